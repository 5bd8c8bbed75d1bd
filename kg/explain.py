"""``kg explain``: every fact about a resource, with the sentences and rules behind it."""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.namespaces import ID_BASE, KINDS, SPARQL_PREFIXES, mint
from kg.query import _shorten
from kg.store import KGStore


class NotFound(LookupError):
    pass


# characters an IRI may not hold (RFC 3987 and the SPARQL IRIREF rule): letting one
# through would let a name close the <...> and rewrite the query around it
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SPARQL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal; no character of it can end the literal."""
    return '"' + text.translate(_SPARQL_ESCAPES) + '"'


def _checked_iri(iri: str) -> URIRef:
    if _NOT_IN_IRI.search(iri):
        raise NotFound(f"{iri!r} is not a valid IRI (spaces, quotes, <, >, {{, }}, |, ^, ` and \\ "
                       "are not allowed)")
    return URIRef(iri)


def resolve(store: KGStore, name_or_iri: str) -> URIRef:
    """An IRI, a prefixed name (``id:org/valmont``) or a label (any case)."""
    if name_or_iri.startswith(("http://", "https://")):
        return _checked_iri(name_or_iri)
    prefix, _, local = name_or_iri.partition(":")
    if local and prefix in KINDS:
        return _checked_iri(f"{ID_BASE}{prefix}/{local}")
    needle = sparql_string(name_or_iri.lower())
    found = list(store.query(
        SPARQL_PREFIXES + 'SELECT DISTINCT ?s WHERE { { ?s rdfs:label ?l } UNION { ?s skos:altLabel ?l } '
        f'FILTER(LCASE(STR(?l)) = {needle}) }} ORDER BY ?s'
    ))
    if not found:
        guess = mint("org", name_or_iri)
        raise NotFound(f"nothing in the store is called {name_or_iri!r} (try an IRI such as {guess})")
    return URIRef(found[0][0])


_FACTS = """
SELECT ?g ?headline ?date ?event ?type ?role ?other ?otherRole ?sentence ?rule ?hedged WHERE {
  GRAPH ?g {
    ?event ?role <%(iri)s> ; a ?type .
    FILTER(?type != dkg:Evidence)
    OPTIONAL { ?event ?otherRole ?other . ?other rdfs:label ?otherLabel . FILTER(?other != <%(iri)s>) }
    OPTIONAL { ?event dkg:evidence ?ev . ?ev dkg:sentence ?sentence ; dkg:rule ?rule }
    OPTIONAL { ?event dkg:hedged ?hedged }
    ?g schema:headline ?headline .
    OPTIONAL { ?g schema:datePublished ?date }
  }
} ORDER BY ?g ?event ?role ?otherRole ?other ?sentence
"""


def explain(store: KGStore, name_or_iri: str) -> str:
    iri = resolve(store, name_or_iri)
    lines: list[str] = [str(iri)]
    about = store.query(
        SPARQL_PREFIXES + f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o"
    )
    for p, o in about:
        lines.append(f"  {_shorten(p)} {_shorten(o)}")
    events: dict[tuple[str, str], dict] = {}
    for row in store.query(SPARQL_PREFIXES + _FACTS % {"iri": iri}):
        g, headline, date, event, typ, role, other, other_role, sentence, rule, hedged = row
        key = (str(g), str(event))
        entry = events.setdefault(key, {
            "headline": str(headline), "date": str(date or "undated"), "type": _shorten(typ),
            "role": _shorten(role), "others": set(), "evidence": set(), "hedged": bool(hedged),
        })
        if other is not None and other_role is not None:
            entry["others"].add(f"{_shorten(other_role)} {_shorten(other)}")
        if sentence is not None:
            entry["evidence"].add((str(rule), " ".join(str(sentence).split())))
    if not events:
        lines.append("  (no event mentions it)")
    for (graph, event), entry in sorted(events.items()):
        hedge = " [hedged]" if entry["hedged"] else ""
        lines.append("")
        lines.append(f"{entry['type']} {_shorten(URIRef(event))} — as {entry['role']}{hedge}")
        lines.append(f"  article: {entry['headline']} ({entry['date']}) {_shorten(URIRef(graph))}")
        for other in sorted(entry["others"]):
            lines.append(f"  {other}")
        for rule, sentence in sorted(entry["evidence"]):
            lines.append(f"  rule {rule}: « {sentence} »")
    return "\n".join(lines)
