"""The actor graph: a networkx projection of the events in the RDF dataset.

The RDF graph is event-centred (a ``dkg:Bid`` node links bidder, target, seller,
status ...), which is right for queries but hard to look at. People think in
actors: "Valmont bid for Kesterel US, Tarvex said no". :func:`actor_graph`
turns each event into edges between the actors it involves, and keeps on every
edge the evidence behind it (sentence, article, rule) so the viewer and
``kg stats`` never have to go back to the store.

For files other tools read (GraphML, GEXF, Cytoscape JSON), :func:`plain_graph`
gives the same graph with plain scalar attributes only. Its contract:

- the graph, node and edge attributes are ``str``, ``int``, ``float`` or ``bool``,
  never ``None`` (an unset value is left out), lists, dicts or other objects, so
  ``nx.write_graphml`` and ``nx.write_gexf`` take it as it is;
- node keys are actor IRIs; every node has ``label``, ``kind`` (organization,
  person, government, media), ``altLabels``, ``sameAs``, ``articles``,
  ``region`` and ``nationality`` (lists joined with ``" | "``, ``""`` when empty)
  and ``article_count`` (int);
- edge keys are ``"<relation>|<event IRI>"``; every edge has ``relation`` (one
  of :data:`RELATIONS`), ``summary``, ``hedged`` (bool), ``evidence_count``
  (int), ``evidence`` (the evidence list as JSON text) and ``events`` (joined
  with ``" | "``), plus the relation's own attributes of :func:`actor_graph`
  flattened the same way (a bid's ``status``, ``seller_labels``...);
- ``graph.graph`` holds ``articles``: the article IRI → ``{title, date, url,
  source}`` map as JSON text.

Everything is read with a handful of broad SPARQL queries under ``GRAPH ?g`` (so
we know which article says what) and joined in Python: rdflib's own engine plans
multi-pattern joins badly (FIELD-NOTES), and a few simple scans stay fast on
both the in-memory and the Oxigraph store.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from kg.namespaces import DKG, ID_BASE, SPARQL_PREFIXES, slugify
from kg.store import oxigraph_of

#: Relation names used on edges, in the order the viewer lists them.
RELATIONS: tuple[str, ...] = (
    "bid",
    "rejected",
    "regulates",
    "deadline",
    "partner",
    "owns",
    "stake",
    "role",
    "lawsuit",
    "part_of",
)

#: Actor kinds, from the four disjoint actor classes.
KINDS: dict[URIRef, str] = {
    DKG.Government: "government",
    DKG.Media: "media",
    DKG.Person: "person",
    DKG.Organization: "organization",
}

# When the type triple is missing (an actor only ever seen as an object), the IRI
# still says what it is: id/<kind>/<slug>.
_KIND_FROM_PATH = {"org": "organization", "person": "person", "gov": "government", "media": "media"}

# A status seen in two articles ("Pending" then "Rejected"): show the later stage.
_STATUS_ORDER = (
    "Announced",
    "Pending",
    "Approved",
    "Withdrawn",
    "Rejected",
    "Blocked",
    "Completed",
)

# A typo is read only in long names and words: short ones differ by one letter too often
# while naming two companies ("Avira", "Avria").
_TYPO_MIN_LETTERS = 8
_TYPO_MIN_WORD = 6

_ISO_DATE = re.compile(r"^-?\d{4}(?:-\d{2}(?:-\d{2})?)?")

_Q_ARTICLES = (
    SPARQL_PREFIXES
    + """
SELECT ?g ?art ?headline ?date ?url ?source WHERE { GRAPH ?g {
    ?art a dkg:Article .
    OPTIONAL { ?art schema:headline ?headline }
    OPTIONAL { ?art schema:datePublished ?date }
    OPTIONAL { ?art schema:url ?url }
    OPTIONAL { ?art dkg:sourceFile ?source }
} }
"""
)

_Q_ACTORS = (
    SPARQL_PREFIXES
    + """
SELECT ?g ?a ?type WHERE { GRAPH ?g {
    VALUES ?type { dkg:Organization dkg:Person dkg:Government dkg:Media }
    ?a a ?type .
} }
"""
)

_Q_ACTOR_PROPS = (
    SPARQL_PREFIXES
    + """
SELECT ?g ?a ?p ?o WHERE { GRAPH ?g {
    VALUES ?p { rdfs:label skos:altLabel owl:sameAs dkg:partOf dkg:region dkg:nationality
                dkg:partnerOf dkg:owns dkg:holdsStakeIn dkg:holdsRoleIn }
    ?a ?p ?o .
} }
"""
)

_Q_EVENTS = (
    SPARQL_PREFIXES
    + """
SELECT ?g ?e ?cls ?p ?o WHERE { GRAPH ?g {
    VALUES ?cls { dkg:Bid dkg:Deadline dkg:Partnership dkg:Stake dkg:Ownership
                  dkg:RoleAssignment dkg:Lawsuit dkg:RegulatoryAction }
    ?e a ?cls ; ?p ?o .
} }
"""
)

_Q_EVIDENCE = (
    SPARQL_PREFIXES
    + """
SELECT ?g ?ev ?p ?o WHERE { GRAPH ?g {
    ?ev a dkg:Evidence ; ?p ?o .
} }
"""
)


@dataclass
class _Event:
    iri: str
    cls: URIRef
    props: dict[URIRef, set[Any]] = field(default_factory=lambda: defaultdict(set))
    # (evidence IRI, graph it was linked in): the graph decides hedging and the article
    evidence_links: set[tuple[str, str]] = field(default_factory=set)
    hedged_in: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)

    def iris(self, prop: URIRef) -> list[str]:
        return sorted(str(o) for o in self.props.get(prop, ()) if isinstance(o, URIRef))

    def literals(self, prop: URIRef) -> list[str]:
        return sorted(str(o) for o in self.props.get(prop, ()) if isinstance(o, Literal))


@dataclass
class _Facts:
    articles: dict[str, dict[str, str | None]]
    actors: dict[str, dict[str, Any]]
    events: dict[str, _Event]
    evidence: dict[str, dict[str, Any]]
    # actor IRI -> predicate -> {(object, graph)}, for partOf and the shortcut triples
    actor_links: dict[str, dict[URIRef, set[tuple[str, str]]]]


def iso_date(value: Any) -> str | None:
    """The ISO prefix of an xsd:date / gYearMonth / gYear literal, precision kept.

    ``"2020-09"`` stays a month: inventing a day would claim more than the text says.
    """
    if value is None:
        return None
    match = _ISO_DATE.match(str(value))
    return match.group(0) if match else None


def _rows(dataset: rdflib.Dataset, query: str) -> Iterable[Any]:
    ox = oxigraph_of(dataset)
    if ox is None:
        return dataset.query(query)
    return _as_rdflib(ox.query(query, use_default_graph_as_union=True))


def _as_rdflib(solutions: Any) -> Iterator[tuple[Any, ...]]:
    """Oxigraph's rows as tuples of rdflib terms, each distinct term converted once.

    What ``dataset.query`` gives through oxrdflib, which builds a new rdflib term for every
    value of every row (most of the actor graph's time on a few hundred articles).
    """
    terms: dict[Any, Any] = {}
    width = len(solutions.variables)
    for solution in solutions:
        row = []
        for i in range(width):
            value = solution[i]
            if value is None:
                row.append(None)
                continue
            term = terms.get(value)
            if term is None:
                term = terms[value] = _rdflib_term(value)
            row.append(term)
        yield tuple(row)


def _rdflib_term(value: Any) -> Any:
    if isinstance(value, pyoxigraph.NamedNode):
        return URIRef(value.value)
    if isinstance(value, pyoxigraph.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        return Literal(value.value, datatype=URIRef(value.datatype.value))
    return rdflib.BNode(value.value)


def _read_facts(dataset: rdflib.Dataset) -> _Facts:
    articles: dict[str, dict[str, str | None]] = {}
    for g, art, headline, date, url, source in _rows(dataset, _Q_ARTICLES):
        entry = articles.setdefault(
            str(art), {"title": None, "date": None, "url": None, "source": None, "graph": str(g)}
        )
        if headline is not None and entry["title"] is None:
            entry["title"] = str(headline)
        if date is not None and entry["date"] is None:
            entry["date"] = iso_date(date)
        if url is not None and entry["url"] is None:
            entry["url"] = str(url)
        if source is not None and entry["source"] is None:
            entry["source"] = str(source)

    actors: dict[str, dict[str, Any]] = {}
    kind_rank = {kind: i for i, kind in enumerate(KINDS.values())}
    for g, actor, rdf_type in _rows(dataset, _Q_ACTORS):
        entry = _new_actor(actors, str(actor))
        kind = KINDS[rdf_type]
        # Types are disjoint by contract; if data breaks it, choose deterministically
        if entry["_typed"] is False or kind_rank[kind] < kind_rank[entry["kind"]]:
            entry["kind"] = kind
        entry["_typed"] = True
        entry["articles"].add(str(g))

    actor_links: dict[str, dict[URIRef, set[tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for g, actor, pred, obj in _rows(dataset, _Q_ACTOR_PROPS):
        a = str(actor)
        if pred in (DKG.partOf, DKG.partnerOf, DKG.owns, DKG.holdsStakeIn, DKG.holdsRoleIn):
            if isinstance(obj, URIRef):
                actor_links[a][pred].add((str(obj), str(g)))
            continue
        if a not in actors:
            continue  # labels of events, deadlines and the like are not actor names
        entry = actors[a]
        if pred == RDFS.label:
            entry["labels"].add(str(obj))
        elif pred == SKOS.altLabel:
            entry["altLabels"].add(str(obj))
        elif pred == OWL.sameAs:
            entry["sameAs"].add(str(obj))
        elif pred == DKG.region:
            entry["region"].add(str(obj))
        elif pred == DKG.nationality:
            entry["nationality"].add(str(obj))

    events: dict[str, _Event] = {}
    for g, event, cls, pred, obj in _rows(dataset, _Q_EVENTS):
        e = events.get(str(event))
        if e is None:
            e = events[str(event)] = _Event(str(event), cls)
        e.graphs.add(str(g))
        if pred == DKG.evidence:
            e.evidence_links.add((str(obj), str(g)))
        elif pred == DKG.hedged:
            if isinstance(obj, Literal) and obj.toPython() is True:
                e.hedged_in.add(str(g))
        else:
            e.props[pred].add(obj)

    evidence: dict[str, dict[str, Any]] = defaultdict(dict)
    for g, ev, pred, obj in _rows(dataset, _Q_EVIDENCE):
        entry = evidence[str(ev)]
        entry.setdefault("graph", str(g))
        if pred == DKG.sentence:
            entry["sentence"] = str(obj)
        elif pred == DKG.rule:
            entry["rule"] = str(obj)
        elif pred == DKG.article:
            entry["article"] = str(obj)
        elif pred == DKG.startOffset:
            entry["start"] = obj.toPython() if isinstance(obj, Literal) else 0

    for entry in actors.values():
        labels = sorted(entry.pop("labels"))
        entry["label"] = labels[0] if labels else _label_from_iri(entry["id"])
        # A second canonical label (data from two gazetteer versions) is still a name
        entry["altLabels"] = sorted((entry["altLabels"] | set(labels[1:])) - {entry["label"]})
        for key in ("sameAs", "articles", "region", "nationality"):
            entry[key] = sorted(entry[key])
        entry.pop("_typed")
    _merge_spelling_variants(actors, events, actor_links)
    return _Facts(articles, actors, events, dict(evidence), actor_links)


def _spelling_key(label: str) -> str:
    """A company's name without case, accents, spaces, hyphens or punctuation: "Tar-Vex",
    "TarVex" and "Tarvex" read alike."""
    return slugify(label).replace("-", "")


def _one_typo_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _typo_variants(a: str, b: str) -> bool:
    """Two company names that differ by one typo in one long word: as many words, the same
    digits, every other word identical. Names differing by a whole word ("Tarvex Capital",
    "Tarvex Partners"), a number ("Norvia 2", "Norvia 3") or in a short word are two companies."""
    wa, wb = slugify(a).split("-"), slugify(b).split("-")
    if len(wa) != len(wb) or sum(map(len, wa)) < _TYPO_MIN_LETTERS:
        return False
    if [c for c in a if c.isdigit()] != [c for c in b if c.isdigit()]:
        return False
    differing = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return min(len(x), len(y)) >= _TYPO_MIN_WORD and x[0] == y[0] and not x.isdigit() \
        and _one_typo_apart(x, y)


def _merge_spelling_variants(actors: dict[str, dict[str, Any]], events: dict[str, _Event],
                             actor_links: dict[str, dict[URIRef, set[tuple[str, str]]]]) -> None:
    """One company spelt two ways in two articles ("Grévine" / "Grevine" share an IRI already;
    "Tar-Vex" / "TarVex", "Ostrandt Mining" / "Ostrand Mining" do not) is one node: the
    spelling seen in more articles (then the one with a Wikidata link, then the first IRI)
    keeps it, and the other spelling becomes one of its names. Two companies with different
    Wikidata links are never merged. Only the actor graph merges them; each article's graph
    keeps what the article says."""
    companies = sorted((iri for iri, a in actors.items() if a["kind"] == "organization"),
                       key=lambda iri: (-len(actors[iri]["articles"]), not actors[iri]["sameAs"], iri))
    merged: dict[str, str] = {}
    by_key: dict[str, str] = {}
    kept: list[str] = []
    for iri in companies:
        label = actors[iri]["label"]
        target = by_key.get(_spelling_key(label)) or next(
            (k for k in kept if _typo_variants(actors[k]["label"], label)), None)
        if target is not None and actors[target]["sameAs"] and actors[iri]["sameAs"] \
                and actors[target]["sameAs"] != actors[iri]["sameAs"]:
            target = None
        if target is None:
            by_key.setdefault(_spelling_key(label), iri)
            kept.append(iri)
            continue
        merged[iri] = target
        whole, part = actors[target], actors.pop(iri)
        whole["altLabels"] = sorted((set(whole["altLabels"]) | set(part["altLabels"]) | {part["label"]})
                                    - {whole["label"]})
        for name in ("sameAs", "articles", "region", "nationality"):
            whole[name] = sorted(set(whole[name]) | set(part[name]))
    if not merged:
        return
    for event in events.values():
        for pred, objects in event.props.items():
            event.props[pred] = {URIRef(merged[str(o)]) if isinstance(o, URIRef) and str(o) in merged else o
                                 for o in objects}
    for source in list(actor_links):
        links = actor_links.pop(source)
        into = actor_links[merged.get(source, source)]
        for pred, pairs in links.items():
            into[pred] |= {(merged.get(obj, obj), g) for obj, g in pairs}


def _new_actor(actors: dict[str, dict[str, Any]], iri: str) -> dict[str, Any]:
    entry = actors.get(iri)
    if entry is None:
        entry = actors[iri] = {
            "id": iri,
            "kind": _kind_from_iri(iri),
            "_typed": False,
            "labels": set(),
            "altLabels": set(),
            "sameAs": set(),
            "articles": set(),
            "region": set(),
            "nationality": set(),
        }
    return entry


def _kind_from_iri(iri: str) -> str:
    if iri.startswith(ID_BASE):
        return _KIND_FROM_PATH.get(iri[len(ID_BASE) :].split("/", 1)[0], "organization")
    return "organization"


def _label_from_iri(iri: str) -> str:
    tail = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").strip() or iri


class _Builder:
    """Adds actor-to-actor edges, merging repeated statements of one relation."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self.graph = nx.MultiDiGraph()
        self.graph.graph["articles"] = {
            iri: {"title": a["title"], "date": a["date"], "url": a["url"], "source": a["source"]}
            for iri, a in sorted(facts.articles.items())
        }
        for iri in sorted(facts.actors):
            self._node(iri)

    def _node(self, iri: str) -> None:
        if iri in self.graph:
            return
        actor = self.facts.actors.get(iri)
        if actor is None:  # seen only as an object: still an actor, with what the IRI says
            actor = {
                "id": iri,
                "kind": _kind_from_iri(iri),
                "label": _label_from_iri(iri),
                "altLabels": [],
                "sameAs": [],
                "articles": [],
                "region": [],
                "nationality": [],
            }
            self.facts.actors[iri] = actor
        self.graph.add_node(iri, **{k: v for k, v in actor.items() if k != "id"})

    def label(self, iri: str) -> str:
        actor = self.facts.actors.get(iri)
        return actor["label"] if actor else _label_from_iri(iri)

    def labels(self, iris: Iterable[str]) -> list[str]:
        return [self.label(i) for i in iris]

    def evidence(self, event: _Event) -> list[dict[str, Any]]:
        out = []
        # sorted: a set's order changes with PYTHONHASHSEED, and the order of equal
        # evidence (the same sentence twice) would follow it
        for ev_iri, graph in sorted(event.evidence_links):
            ev = self.facts.evidence.get(ev_iri, {})
            article = ev.get("article") or graph
            out.append(
                self._evidence_entry(
                    ev.get("sentence"),
                    article,
                    ev.get("rule"),
                    graph in event.hedged_in,
                    ev.get("start", 0),
                )
            )
        if not out:  # an event without evidence still comes from the articles that state it
            for graph in sorted(event.graphs):
                out.append(self._evidence_entry(None, graph, None, graph in event.hedged_in, 0))
        return out

    def article_evidence(self, graphs: Iterable[str]) -> list[dict[str, Any]]:
        return [self._evidence_entry(None, g, None, False, 0) for g in sorted(set(graphs))]

    def _evidence_entry(
        self, sentence: str | None, article: str, rule: str | None, hedged: bool, start: int
    ) -> dict[str, Any]:
        info = self.facts.articles.get(article, {})
        return {
            "sentence": sentence,
            "article_title": info.get("title"),
            "article_date": info.get("date"),
            "article_iri": article,
            "rule": rule,
            "hedged": hedged,
            "_start": start,
        }

    def edge(
        self,
        u: str,
        v: str,
        relation: str,
        key: str,
        evidence: list[dict[str, Any]],
        event: str | None = None,
        **attrs: Any,
    ) -> None:
        self._node(u)
        self._node(v)
        edge_key = f"{relation}|{key}"
        data = self.graph.get_edge_data(u, v, edge_key)
        if data is None:
            self.graph.add_edge(
                u, v, key=edge_key, relation=relation, events=[], evidence=[], **attrs
            )
            data = self.graph.edges[u, v, edge_key]
        else:
            for name, value in attrs.items():
                if isinstance(value, list):
                    data[name] = sorted(set(data.get(name, [])) | set(value))
                elif data.get(name) is None:
                    data[name] = value
        if event and event not in data["events"]:
            data["events"].append(event)
            data["events"].sort()
        data["evidence"].extend(evidence)

    def finish(self) -> nx.MultiDiGraph:
        for u, v, data in self.graph.edges(data=True):
            data["summary"] = _edge_summary(self.label(u), self.label(v), data)
            seen: dict[tuple[Any, ...], dict[str, Any]] = {}
            for ev in data["evidence"]:
                k = (ev["sentence"], ev["article_iri"], ev["rule"])
                if k not in seen:
                    seen[k] = ev
                    continue
                if not ev["hedged"]:
                    seen[k]["hedged"] = False
                # a sentence said twice in one article sorts by its first place, whichever
                # of its evidence came first
                if (ev["_start"] or 0) < (seen[k]["_start"] or 0):
                    seen[k]["_start"] = ev["_start"]
            ordered = sorted(
                seen.values(),
                key=lambda e: (
                    e["article_date"] or "",
                    e["article_iri"],
                    e["_start"] or 0,
                    e["sentence"] or "",
                    # one sentence matched by several rules: by rule, not by set order
                    e["rule"] or "",
                ),
            )
            for ev in ordered:
                ev.pop("_start", None)
            data["evidence"] = ordered
            data["hedged"] = bool(ordered) and all(e["hedged"] for e in ordered)
        return self.graph


def _edge_summary(u: str, v: str, data: dict[str, Any]) -> str:
    """A sentence for the edge, for tooltips, the side panel and ``kg stats``."""
    relation = data["relation"]
    bid = data.get("bid_summary")
    if relation == "bid":
        return bid or f"{u} → {v}: bid"
    if relation == "rejected":
        targets = " / ".join(data.get("target_labels") or [])
        return f"{u} rejected {v}'s bid" + (f" for {targets}" if targets else "")
    if relation == "regulates":
        actions = ", ".join(a.lower() for a in data.get("actions") or [])
        text = f"{u} regulates {v}" + (f": {actions}" if actions else "")
        return text + (f" ({bid})" if bid else "")
    if relation == "deadline":
        what = "; ".join(data.get("what") or []) or "deadline"
        due = f", due {data['due_date']}" if data.get("due_date") else ""
        return f"{u} set a deadline for {v}: {what}{due}"
    if relation == "partner":
        roles = "; ".join(data.get("roles") or [])
        return f"{u} and {v} are partners" + (f" ({roles})" if roles else "")
    if relation == "stake":
        sizes = "; ".join(data.get("sizes") or [])
        return f"{u} holds a stake in {v}" + (f" ({sizes})" if sizes else "")
    if relation == "role":
        return f"{u}: {data.get('title') or 'role'} of {v}"
    if relation == "lawsuit":
        about = "; ".join(data.get("about") or [])
        return f"{u} sued {v}" + (f" over {about}" if about else "")
    if relation == "owns":
        return f"{u} owns {v}"
    return f"{u} is part of {v}"


def _status(event: _Event) -> tuple[str | None, list[str]]:
    names = sorted(
        {str(s).rsplit("#", 1)[-1] for s in event.props.get(DKG.status, ())},
        key=lambda s: (_STATUS_ORDER.index(s) if s in _STATUS_ORDER else -1, s),
    )
    return (names[-1] if names else None), names


def bid_summary(bidders: list[str], target: str, status: str | None, rejected_by: list[str]) -> str:
    """One line a reader gets at a glance: "Valmont → Kesterel (US): bid, rejected by Tarvex"."""
    text = f"{' & '.join(bidders) or '?'} → {target}: bid"
    if status in ("Rejected", "Blocked") and rejected_by:
        text += f", {status.lower()} by {' & '.join(rejected_by)}"
    elif status:
        text += f", {status.lower()}"
    return text


def _bid_info(b: _Builder, bid: _Event) -> dict[str, Any]:
    status, statuses = _status(bid)
    bidders = bid.iris(DKG.bidder)
    targets = bid.iris(DKG.target)
    rejected = bid.iris(DKG.rejectedBy)
    return {
        "bidders": bidders,
        "targets": targets,
        "sellers": bid.iris(DKG.seller),
        "rejected_by": rejected,
        "regulators": bid.iris(DKG.regulator),
        "deadlines": bid.iris(DKG.deadline),
        "status": status,
        "statuses": statuses,
        "dates": sorted({d for d in map(iso_date, bid.literals(DKG.eventDate)) if d}),
        "reported_by": bid.iris(DKG.reportedBy),
        "summary": bid_summary(
            b.labels(bidders), " / ".join(b.labels(targets)) or "?", status, b.labels(rejected)
        ),
    }


def actor_graph(dataset: rdflib.Dataset) -> nx.MultiDiGraph:
    """Project the events of ``dataset`` onto an actor graph.

    Nodes are actor IRIs with ``label``, ``kind`` (organization, person,
    government, media), ``altLabels``, ``sameAs`` and ``articles``. Edges carry
    ``relation`` (one of :data:`RELATIONS`), the ``events`` they come from, an
    ``evidence`` list of ``{sentence, article_title, article_date, article_iri,
    rule, hedged}`` and relation-specific attributes (a bid's ``status``,
    ``sellers``, ``summary``; a deadline's ``due_date`` ...). One statement made
    by several articles is one edge with several pieces of evidence.
    ``graph.graph["articles"]`` maps each article IRI to its ``title``, ``date``,
    ``url`` (``schema:url``, or None) and ``source`` (the file given to ``kg build``).
    """
    return _actor_graph(_read_facts(dataset))


def graph_and_timeline(dataset: rdflib.Dataset) -> tuple[nx.MultiDiGraph, list[dict[str, Any]]]:
    """:func:`actor_graph` and :func:`events_timeline` from one reading of ``dataset`` (what ``kg viz`` draws)."""
    facts = _read_facts(dataset)
    return _actor_graph(facts), _events_timeline(facts)


def _actor_graph(facts: _Facts) -> nx.MultiDiGraph:
    b = _Builder(facts)
    bids = {iri: e for iri, e in facts.events.items() if e.cls == DKG.Bid}
    bid_infos = {iri: _bid_info(b, e) for iri, e in sorted(bids.items())}

    for iri, bid in sorted(bids.items()):
        info = bid_infos[iri]
        evidence = b.evidence(bid)
        seller_labels = b.labels(info["sellers"])
        for bidder in info["bidders"]:
            for target in info["targets"]:
                b.edge(
                    bidder,
                    target,
                    "bid",
                    iri,
                    _copy(evidence),
                    event=iri,
                    bid=iri,
                    status=info["status"],
                    statuses=info["statuses"],
                    sellers=info["sellers"],
                    seller_labels=seller_labels,
                    rejected_by=b.labels(info["rejected_by"]),
                    regulators=b.labels(info["regulators"]),
                    date=info["dates"][0] if info["dates"] else None,
                    reported_by=b.labels(info["reported_by"]),
                    bid_summary=info["summary"],
                )
        for rejecter in info["rejected_by"]:
            for bidder in info["bidders"]:
                b.edge(
                    rejecter,
                    bidder,
                    "rejected",
                    iri,
                    _copy(evidence),
                    event=iri,
                    bid=iri,
                    targets=info["targets"],
                    target_labels=b.labels(info["targets"]),
                    bid_summary=info["summary"],
                )

    # Regulatory actions first: their evidence names the regulator, the bid's may not.
    for iri, action in sorted(facts.events.items()):
        if action.cls != DKG.RegulatoryAction:
            continue
        kinds = [k.rsplit("#", 1)[-1] for k in action.iris(DKG.action)]
        dates = sorted({d for d in map(iso_date, action.literals(DKG.eventDate)) if d})
        for concerned in action.iris(DKG.concerns):
            bid_info = bid_infos.get(concerned)
            targets = bid_info["targets"] if bid_info else _actor_or_nothing(facts, concerned)
            for regulator in action.iris(DKG.regulator):
                for target in targets:
                    b.edge(
                        regulator,
                        target,
                        "regulates",
                        concerned,
                        b.evidence(action),
                        event=iri,
                        bid=concerned if bid_info else None,
                        actions=kinds,
                        date=dates[0] if dates else None,
                        bid_summary=bid_info["summary"] if bid_info else None,
                    )
    for iri, info in bid_infos.items():
        for regulator in info["regulators"]:
            for target in info["targets"]:
                if not b.graph.has_edge(regulator, target, f"regulates|{iri}"):
                    b.edge(
                        regulator,
                        target,
                        "regulates",
                        iri,
                        b.evidence(bids[iri]),
                        event=iri,
                        bid=iri,
                        actions=[],
                        date=None,
                        bid_summary=info["summary"],
                    )

    deadline_bids: dict[str, set[str]] = defaultdict(set)
    for iri, info in bid_infos.items():
        for deadline in info["deadlines"]:
            deadline_bids[deadline].add(iri)

    for iri, event in sorted(facts.events.items()):
        cls = event.cls
        evidence = b.evidence(event)
        if cls == DKG.Deadline:
            concerned_bids = set(deadline_bids.get(iri, ()))
            targets: set[str] = set()
            for concerned in event.iris(DKG.concerns):
                if concerned in bid_infos:
                    concerned_bids.add(concerned)
                else:
                    targets.update(_actor_or_nothing(facts, concerned))
            for bid in concerned_bids:
                targets.update(bid_infos[bid]["targets"])
            due = sorted({d for d in map(iso_date, event.literals(DKG.dueDate)) if d})
            for imposer in event.iris(DKG.imposedBy):
                for target in sorted(targets):
                    b.edge(
                        imposer,
                        target,
                        "deadline",
                        iri,
                        _copy(evidence),
                        event=iri,
                        deadline=iri,
                        due_date=due[0] if due else None,
                        what=event.literals(RDFS.label),
                        bids=sorted(concerned_bids),
                    )
        elif cls == DKG.Partnership:
            partners = event.iris(DKG.partner)
            roles = event.literals(DKG.partnershipRole)
            for i, a in enumerate(partners):
                for c in partners[i + 1 :]:
                    b.edge(
                        a, c, "partner", "", _copy(evidence), event=iri, roles=roles, symmetric=True
                    )
        elif cls == DKG.Stake:
            for holder in event.iris(DKG.stakeholder):
                for owned in event.iris(DKG.stakeIn):
                    b.edge(
                        holder,
                        owned,
                        "stake",
                        "",
                        _copy(evidence),
                        event=iri,
                        sizes=event.literals(DKG.stakeSize),
                    )
        elif cls == DKG.Ownership:
            for owner in event.iris(DKG.owner):
                for owned in event.iris(DKG.owned):
                    b.edge(owner, owned, "owns", "", _copy(evidence), event=iri)
        elif cls == DKG.RoleAssignment:
            titles = event.literals(DKG.roleTitle)
            for holder in event.iris(DKG.holder):
                for org in event.iris(DKG.roleIn):
                    b.edge(
                        holder,
                        org,
                        "role",
                        "",
                        _copy(evidence),
                        event=iri,
                        titles=titles,
                        title=", ".join(titles) or None,
                    )
        elif cls == DKG.Lawsuit:
            for plaintiff in event.iris(DKG.plaintiff):
                for defendant in event.iris(DKG.defendant):
                    b.edge(
                        plaintiff,
                        defendant,
                        "lawsuit",
                        "",
                        _copy(evidence),
                        event=iri,
                        about=event.literals(DKG.about),
                    )

    # partOf is an actor property, and the shortcut triples may stand alone (older
    # graphs): the article that states them is the only evidence there is.
    shortcut = {
        DKG.partOf: "part_of",
        DKG.partnerOf: "partner",
        DKG.owns: "owns",
        DKG.holdsStakeIn: "stake",
        DKG.holdsRoleIn: "role",
    }
    for subject in sorted(facts.actor_links):
        for pred, links in sorted(facts.actor_links[subject].items()):
            relation = shortcut[pred]
            by_object: dict[str, set[str]] = defaultdict(set)
            for obj, graph in links:
                by_object[obj].add(graph)
            for obj, graphs in sorted(by_object.items()):
                u, v = (
                    (min(subject, obj), max(subject, obj))
                    if relation == "partner"
                    else (subject, obj)
                )
                if relation != "part_of" and b.graph.has_edge(u, v, f"{relation}|"):
                    continue
                extra = {"symmetric": True} if relation == "partner" else {}
                b.edge(u, v, relation, "", b.article_evidence(graphs), **extra)
    return b.finish()


def _copy(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Edges own their evidence dicts: finish() edits them in place
    return [dict(e) for e in evidence]


def _actor_or_nothing(facts: _Facts, iri: str) -> list[str]:
    """``[iri]`` when it names an actor, else ``[]`` (an event we know nothing of)."""
    if iri in facts.actors:
        return [iri]
    if iri.startswith(ID_BASE) and iri[len(ID_BASE) :].split("/", 1)[0] in _KIND_FROM_PATH:
        return [iri]
    return []


def events_timeline(dataset: rdflib.Dataset) -> list[dict[str, Any]]:
    """Dated events, oldest first: bids, deadlines, regulatory actions, articles.

    Each item has ``date`` (ISO string with the precision the text gives: a month
    stays ``"2020-09"``), ``granularity`` (day, month, year), ``kind`` (bid,
    deadline, regulatory, article), ``label``, ``iri``, ``actors`` (IRIs) and
    ``evidence`` (same dicts as on graph edges). Articles are there as context:
    when each piece of the story was published.
    """
    return _events_timeline(_read_facts(dataset))


def _events_timeline(facts: _Facts) -> list[dict[str, Any]]:
    # facts may have been read for the actor graph already: the builder only adds actors
    # named as objects alone, which both label alike
    b = _Builder(facts)
    items: list[dict[str, Any]] = []

    def add(
        date: str | None,
        kind: str,
        label: str,
        iri: str,
        actors: Iterable[str],
        evidence: list[dict[str, Any]],
    ) -> None:
        if not date:
            return
        for ev in evidence:
            ev.pop("_start", None)
        items.append(
            {
                "date": date,
                "granularity": {4: "year", 7: "month"}.get(len(date.lstrip("-")), "day"),
                "kind": kind,
                "label": label,
                "iri": iri,
                "actors": sorted(set(actors)),
                "evidence": evidence,
            }
        )

    bid_infos = {iri: _bid_info(b, e) for iri, e in facts.events.items() if e.cls == DKG.Bid}
    for iri, event in facts.events.items():
        evidence = sorted(b.evidence(event), key=_evidence_order)
        if event.cls == DKG.Bid:
            info = bid_infos[iri]
            actors = info["bidders"] + info["targets"] + info["rejected_by"] + info["sellers"]
            for date in info["dates"]:
                add(date, "bid", info["summary"], iri, actors, _copy(evidence))
        elif event.cls == DKG.Deadline:
            imposers = event.iris(DKG.imposedBy)
            what = "; ".join(event.literals(RDFS.label)) or "deadline"
            by = f" (set by {' & '.join(b.labels(imposers))})" if imposers else ""
            concerned = event.iris(DKG.concerns)
            for date in sorted({d for d in map(iso_date, event.literals(DKG.dueDate)) if d}):
                add(
                    date,
                    "deadline",
                    f"Deadline: {what}{by}",
                    iri,
                    imposers + concerned,
                    _copy(evidence),
                )
        elif event.cls == DKG.RegulatoryAction:
            regulators = event.iris(DKG.regulator)
            kinds = ", ".join(k.rsplit("#", 1)[-1].lower() for k in event.iris(DKG.action))
            about = [
                bid_infos[c]["summary"] if c in bid_infos else b.label(c)
                for c in event.iris(DKG.concerns)
            ]
            label = f"{' & '.join(b.labels(regulators))}: {kinds or 'action'}"
            if about:
                label += f" ({'; '.join(about)})"
            for date in sorted({d for d in map(iso_date, event.literals(DKG.eventDate)) if d}):
                add(date, "regulatory", label, iri, regulators, _copy(evidence))
    for iri, article in facts.articles.items():
        add(
            article["date"],
            "article",
            f"Article: {article['title'] or iri}",
            iri,
            [],
            b.article_evidence([iri]),
        )

    kind_order = {"article": 0, "bid": 1, "regulatory": 2, "deadline": 3}
    items.sort(key=lambda i: (i["date"], kind_order[i["kind"]], i["label"], i["iri"]))
    return items


def _evidence_order(ev: dict[str, Any]) -> tuple[Any, ...]:
    return (
        ev["article_date"] or "",
        ev["article_iri"],
        ev.get("_start") or 0,
        ev["sentence"] or "",
        ev["rule"] or "",
    )


#: How :func:`plain_graph` joins a list of names or IRIs into one string.
LIST_SEPARATOR = " | "


def _plain(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in items):
            return LIST_SEPARATOR.join(str(i) for i in items)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of an :func:`actor_graph` whose attributes are plain scalars (see the module docstring).

    For writers that accept nothing else: ``nx.write_graphml(plain_graph(g), path)``.
    """
    out = nx.MultiDiGraph()
    out.graph["articles"] = _plain(graph.graph.get("articles") or {})
    for node, attrs in graph.nodes(data=True):
        flat = {"label": str(attrs.get("label") or node), "kind": str(attrs.get("kind") or "organization")}
        for name in ("altLabels", "sameAs", "articles", "region", "nationality"):
            flat[name] = _plain(list(attrs.get(name) or []))
        flat["article_count"] = len(attrs.get("articles") or [])
        flat.update({k: v for k, v in ((k, _plain(v)) for k, v in attrs.items() if k not in flat) if v is not None})
        out.add_node(str(node), **flat)
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        evidence = list(attrs.get("evidence") or [])
        flat = {
            "relation": str(attrs.get("relation") or "part_of"),
            "summary": str(attrs.get("summary") or attrs.get("relation") or ""),
            "hedged": bool(attrs.get("hedged")),
            "evidence_count": len(evidence),
            "evidence": json.dumps(evidence, ensure_ascii=False, sort_keys=True, default=str),
            "events": _plain(list(attrs.get("events") or [])),
        }
        flat.update({k: v for k, v in ((k, _plain(v)) for k, v in attrs.items() if k not in flat) if v is not None})
        out.add_edge(str(u), str(v), key=str(key), **flat)
    return out
