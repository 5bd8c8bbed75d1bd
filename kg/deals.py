"""One deal's story across every article: ``kg deal NAME`` and the viewer's deal pane.

A deal is a ``dkg:Bid`` (one IRI per bidder and target, shared by every article that
speaks of it). :func:`deal_timeline` gathers, from all the article graphs, what
happened to it: each status change (``dkg:statusChange``), each refusal or block (a
change to ``Rejected`` or ``Blocked``, with the bid's ``dkg:rejectedBy`` in that
article), each regulatory act (a ``dkg:RegulatoryAction`` that ``dkg:concerns`` it)
and each deadline (``dkg:deadline`` / ``dkg:concerns``), one record per sentence
that states it, with its date, its article and the sentence. Where articles give the
bid different latest statuses (``dkg:status`` in their graphs, what
``queries/disagreements.rq`` finds), :attr:`DealTimeline.disagreement` says which
article says what.

Records are plain frozen dataclasses (:class:`DealTimeline`, :class:`DealEvent`,
:class:`ArticleRef`), for notebooks; :meth:`DealTimeline.to_dict` gives JSON-ready
data (``kg deal --format json``, the viewer) and :func:`format_timeline` the terminal
text. Everything is read with a few SPARQL SELECTs over the article graphs (each row
under ``GRAPH ?g``, so it is known which article says what), joined in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import rdflib

from kg.graph import iso_date
from kg.namespaces import DKG, ID_BASE, SPARQL_PREFIXES, shorten_iri
from kg.store import KGStore, oxigraph_of, select_values

#: What a record of a timeline is, in the order records of one date are listed.
EVENT_KINDS: tuple[str, ...] = ("status", "refusal", "regulatory", "deadline")
#: Statuses that stop a deal: a change to one of them is a refusal.
REFUSALS = ("Rejected", "Blocked")

_DKG = str(DKG._NS)
_RDFS_LABEL = str(rdflib.RDFS.label)
_SKOS_ALT = str(rdflib.SKOS.altLabel)
# characters an IRI may not hold (RFC 3987, SPARQL IRIREF): a name must never close <...>
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WORD = re.compile(r"[^\W_]+")


_NARROW = "add a word of the other party's name, or give its IRI"


class DealNotFound(LookupError):
    """No deal in the store answers to the name; the message says what was looked for."""


class AmbiguousDeal(LookupError):
    """Several deals answer to the name: :attr:`candidates` lists them, best known first."""

    def __init__(self, name: str, candidates: list[Deal]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} names {len(candidates)} deals: {_NARROW}")


@dataclass(frozen=True)
class Party:
    """An actor of a deal: its IRI and canonical name."""

    iri: str
    label: str


@dataclass(frozen=True)
class ArticleRef:
    """Where a record comes from: the article's IRI, id, headline, date, web address and file."""

    iri: str
    id: str
    headline: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class ArticleStatus:
    """The latest status one article gives the deal (its ``dkg:status`` there)."""

    article: ArticleRef
    status: str


@dataclass(frozen=True)
class DealEvent:
    """One step of a deal's story, as one sentence of one article states it.

    ``kind`` is ``status``, ``refusal``, ``regulatory`` or ``deadline``; ``date`` is
    the date the sentence gives (a deadline's due date), with the text's precision
    (``"2020-09"`` is a month), or ``None``; ``when`` falls back on the article's date.
    ``status`` is set for status changes and refusals, ``action`` for regulatory acts
    (``Review``, ``Approval``, ``Prohibition``, ``Order``, ``Conditions``), ``actors``
    names who refused, regulated or set the deadline.
    """

    kind: str
    what: str
    date: str | None
    article: ArticleRef
    sentence: str | None
    event: str
    status: str | None = None
    action: str | None = None
    actors: tuple[str, ...] = ()
    hedged: bool = False
    offset: int | None = None

    @property
    def when(self) -> str | None:
        """The date the story places it at: its own, else the article's (when the sentence gives none)."""
        return self.date or self.article.date


@dataclass(frozen=True)
class Deal:
    """A bid, by its IRI and parties (as :class:`AmbiguousDeal` lists candidates)."""

    bid: str
    bidders: tuple[Party, ...]
    targets: tuple[Party, ...]
    sellers: tuple[Party, ...] = ()

    @property
    def summary(self) -> str:
        """"Valmont & Ostrand → Kesterel (US)"."""
        bidders = " & ".join(p.label for p in self.bidders) or "?"
        return f"{bidders} → {' / '.join(p.label for p in self.targets) or '?'}"


@dataclass(frozen=True)
class DealTimeline(Deal):
    """A deal's story across the articles: the latest status each gives, then the records, in date order."""

    statuses: tuple[ArticleStatus, ...] = ()
    events: tuple[DealEvent, ...] = ()

    @property
    def disagreement(self) -> dict[str, tuple[ArticleRef, ...]] | None:
        """When articles give the deal different latest statuses: status -> the articles saying it."""
        by_status: dict[str, list[ArticleRef]] = defaultdict(list)
        for entry in self.statuses:  # oldest article first: the statuses come in the story's order
            by_status[entry.status].append(entry.article)
        if len(by_status) < 2:
            return None
        return {status: tuple(arts) for status, arts in by_status.items()}

    @property
    def articles(self) -> tuple[ArticleRef, ...]:
        """Every article that tells part of the story, oldest first."""
        seen = {e.article.iri: e.article for e in self.events}
        seen.update({s.article.iri: s.article for s in self.statuses})
        return tuple(sorted(seen.values(), key=lambda a: (a.date or "~", a.iri)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the fields, ``summary``, ``disagreement`` (``[{status, articles}]``, article
        IRIs, oldest first) and each event's ``when``."""
        disagreement = self.disagreement
        return {
            "bid": self.bid,
            "summary": self.summary,
            "bidders": [asdict(p) for p in self.bidders],
            "targets": [asdict(p) for p in self.targets],
            "sellers": [asdict(p) for p in self.sellers],
            "statuses": [{"article": s.article.iri, "status": s.status} for s in self.statuses],
            # a list, not a map: the statuses in the order the articles gave them
            "disagreement": None if disagreement is None else [
                {"status": status, "articles": [a.iri for a in arts]} for status, arts in disagreement.items()
            ],
            "articles": {a.iri: asdict(a) for a in self.articles},
            "events": [
                {**{k: v for k, v in asdict(e).items() if k != "article"}, "article": e.article.iri,
                 "actors": list(e.actors), "when": e.when}
                for e in self.events
            ],
        }


# -- reading the store -----------------------------------------------------------------

# The events of a deal in one article graph: the bid itself, its status changes, its
# deadlines and whatever concerns it (regulatory acts, deadlines). {bids} restricts ?bid.
_RELATED = """
  {bids}
  ?bid a dkg:Bid .
  {{ ?bid a dkg:Bid . BIND(?bid AS ?e) }} UNION {{ ?bid dkg:statusChange ?e }}
  UNION {{ ?bid dkg:deadline ?e }} UNION {{ ?e dkg:concerns ?bid }}
"""
_Q_EVENTS = """
SELECT DISTINCT ?g ?bid ?e ?cls ?p ?o WHERE { GRAPH ?g {
%s
  ?e a ?cls ; ?p ?o .
  VALUES ?cls { dkg:Bid dkg:StatusChange dkg:RegulatoryAction dkg:Deadline }
} }
"""
_Q_EVIDENCE = """
SELECT DISTINCT ?g ?ev ?sentence ?start WHERE { GRAPH ?g {
%s
  ?e dkg:evidence ?ev . ?ev dkg:sentence ?sentence .
  OPTIONAL { ?ev dkg:startOffset ?start }
} }
"""
_Q_LABELS = """
SELECT DISTINCT ?a ?label WHERE { GRAPH ?g {
%s
  ?e ?r ?a . ?a rdfs:label ?label .
  VALUES ?r { dkg:bidder dkg:target dkg:seller dkg:rejectedBy dkg:regulator dkg:imposedBy }
} }
"""
_Q_NAMES = """
SELECT DISTINCT ?bid ?role ?a ?p ?name WHERE { GRAPH ?g {
  ?bid a dkg:Bid ; ?role ?a . ?a ?p ?name .
  VALUES ?role { dkg:bidder dkg:target dkg:seller }
  VALUES ?p { rdfs:label skos:altLabel }
} }
"""
_Q_ARTICLES = """
SELECT ?g ?headline ?date ?url ?source WHERE { GRAPH ?g {
  ?g a dkg:Article .
  OPTIONAL { ?g schema:headline ?headline }
  OPTIONAL { ?g schema:datePublished ?date }
  OPTIONAL { ?g schema:url ?url }
  OPTIONAL { ?g dkg:sourceFile ?source }
} }
"""

Source = KGStore | rdflib.Dataset


def _select(source: Source, sparql: str) -> list[tuple[str | None, ...]]:
    """A SELECT's rows as plain strings, on a store (fast path) or an rdflib Dataset."""
    text = SPARQL_PREFIXES + sparql
    if isinstance(source, KGStore):
        return source.select(text)
    ox = oxigraph_of(source)
    if ox is not None:  # an embedded store's Dataset (what kg viz renders): Oxigraph's rows, no rdflib terms
        return select_values(ox, text)
    return [tuple(None if v is None else str(v) for v in row) for row in source.query(text)]


def _values(bids: list[str] | None) -> str:
    if bids is None:
        return ""
    return "VALUES ?bid { " + " ".join(f"<{b}>" for b in bids) + " }"


def fold_words(text: str) -> list[str]:
    """The words of ``text`` with case and accents folded: "États-Unis" -> ["etats", "unis"]."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _WORD.findall(bare)


def _local(iri: str) -> str:
    return iri[len(_DKG):] if iri.startswith(_DKG) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _deals(source: Source) -> dict[str, tuple[Deal, set[str]]]:
    """Every bid in the store: its parties, and the folded words of all their names."""
    roles: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(dict))
    words: dict[str, set[str]] = defaultdict(set)
    for bid, role, actor, prop, name in _select(source, _Q_NAMES):
        assert bid and role and actor and prop and name is not None
        role_name = _local(role)
        labels = roles[bid][role_name].setdefault(actor, set())
        if prop == _RDFS_LABEL:
            labels.add(name)
        if role_name in ("bidder", "target"):
            words[bid].update(fold_words(name))
    out: dict[str, tuple[Deal, set[str]]] = {}
    for bid, by_role in roles.items():
        def parties(role: str, by_role: dict[str, dict[str, set[str]]] = by_role) -> tuple[Party, ...]:
            found = by_role.get(role, {})
            return tuple(sorted((Party(a, min(ls) if ls else _name_from_iri(a)) for a, ls in found.items()),
                                key=lambda p: (p.label.casefold(), p.iri)))
        out[bid] = (Deal(bid, parties("bidder"), parties("target"), parties("seller")), words[bid])
    return out


def _name_from_iri(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def find_deals(source: Source, name: str) -> list[Deal]:
    """The deals a name picks: a bid IRI (``https://…/id/bid/…`` or ``bid:slug``), or words of
    a bidder's or target's name or alias, case and accents aside ("tiktok etats-unis").

    A bid matches when every word of ``name`` is a word of one of its bidders' or targets'
    names, so "Valmont" gives every deal Valmont bid in or was bid for, and
    "Valmont Kesterel" the one between them. Sorted by summary.
    """
    deals = _deals(source)
    iri = _as_bid_iri(name)
    if iri is not None:
        return [deals[iri][0]] if iri in deals else []
    wanted = set(fold_words(name))
    if not wanted:
        return []
    found = [deal for deal, words in deals.values() if wanted <= words]
    return sorted(found, key=lambda d: (d.summary.casefold(), d.bid))


def _as_bid_iri(name: str) -> str | None:
    text = name.strip()
    if text.startswith(("http://", "https://")):
        iri = text
    elif text.startswith("bid:") and len(text) > 4:
        iri = f"{ID_BASE}bid/{text[4:]}"
    else:
        return None
    if _NOT_IN_IRI.search(iri):
        raise DealNotFound(f"{name!r} is not a valid IRI (spaces, quotes, <, >, {{, }}, |, ^, ` and \\ "
                           "are not allowed)")
    return iri


def deal_timeline(source: Source, name: str) -> DealTimeline:
    """The timeline of the one deal ``name`` picks (see :func:`find_deals`).

    Raises :class:`DealNotFound` when no deal answers to it, :class:`AmbiguousDeal`
    (with its ``candidates``) when several do.
    """
    found = find_deals(source, name)
    if not found:
        if _as_bid_iri(name) is not None:
            raise DealNotFound(f"no deal in the store has the IRI {name.strip()!r}")
        raise DealNotFound(f"no deal in the store has a bidder or target called {name!r} "
                           "(kg query queries/bids.rq lists the deals)")
    if len(found) > 1:
        raise AmbiguousDeal(name, found)
    return deal_timelines(source, bids=[found[0].bid])[0]


def deal_timelines(source: Source, *, bids: list[str] | None = None) -> list[DealTimeline]:
    """The timelines of ``bids`` (IRIs; default: every deal in the store), sorted by summary."""
    deals = {iri: deal for iri, (deal, _) in _deals(source).items() if bids is None or iri in bids}
    if not deals:
        return []
    restrict = _values(sorted(deals) if bids is not None else None)
    related = _RELATED.format(bids=restrict)

    articles: dict[str, ArticleRef] = {}
    for g, headline, date, url, source_file in _select(source, _Q_ARTICLES):
        assert g is not None
        if g not in articles:
            articles[g] = ArticleRef(g, g.rstrip("/").rsplit("/", 1)[-1], headline, iso_date(date), url,
                                     source_file)

    labels: dict[str, str] = {}
    for actor, label in _select(source, _Q_LABELS % related):
        assert actor is not None and label is not None
        labels[actor] = min(label, labels.get(actor, label))

    # (graph, event) -> predicate -> values; which bids each event belongs to
    props: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    kinds: dict[str, str] = {}
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g, bid, event, cls, prop, obj in _select(source, _Q_EVENTS % related):
        assert g and bid and event and cls and prop and obj is not None
        if bid not in deals:
            continue
        kinds[event] = _local(cls)
        owners[(g, event)].add(bid)
        props[(g, event)][_local(prop) if prop.startswith(_DKG) else prop].add(obj)

    evidence: dict[tuple[str, str], tuple[str, int | None]] = {}
    for g, ev, sentence, start in _select(source, _Q_EVIDENCE % related):
        assert g and ev and sentence is not None
        evidence[(g, ev)] = (" ".join(sentence.split()), int(start) if start and start.isdigit() else None)

    events: dict[str, list[DealEvent]] = defaultdict(list)
    statuses: dict[str, list[ArticleStatus]] = defaultdict(list)
    for (g, event), p in sorted(props.items()):
        article = articles.get(g) or ArticleRef(g, g.rstrip("/").rsplit("/", 1)[-1])
        kind = kinds[event]
        if kind == "Bid":
            for status in sorted(p.get("status", ())):
                statuses[event].append(ArticleStatus(article, _local(status)))
            if "statusChange" not in p:  # a graph written before status histories: its status, with the bid's sentences
                events[event].extend(_records(kind, event, p, p, article, g, evidence, labels))
            continue
        for bid in sorted(owners[(g, event)]):
            bid_props = props.get((g, bid), {})
            events[bid].extend(_records(kind, event, p, bid_props, article, g, evidence, labels))

    out = []
    for iri, deal in deals.items():
        ordered = sorted(set(events[iri]), key=_event_order)
        out.append(DealTimeline(
            deal.bid, deal.bidders, deal.targets, deal.sellers,
            statuses=tuple(sorted(statuses[iri], key=lambda s: (s.article.date or "~", s.article.iri, s.status))),
            events=tuple(ordered),
        ))
    return sorted(out, key=lambda t: (t.summary.casefold(), t.bid))


def _records(kind: str, event: str, p: dict[str, set[str]], bid_props: dict[str, set[str]],
             article: ArticleRef, graph: str, evidence: dict[tuple[str, str], tuple[str, int | None]],
             labels: dict[str, str]) -> list[DealEvent]:
    """One record per sentence that states ``event`` in ``graph`` (one without a sentence when none)."""
    def names(prop: str, props: dict[str, set[str]] = p) -> tuple[str, ...]:
        return tuple(sorted(labels.get(a, _name_from_iri(a)) for a in props.get(prop, ())))

    hedged = bool(p.get("hedged", set()) & {"true", "1"})
    if kind in ("StatusChange", "Bid"):
        if kind == "Bid" and not p.get("status"):
            return []
        status = _local(min(p.get("toStatus" if kind == "StatusChange" else "status", {"?"})))
        # a bid's own date is when it was made, not when it got the status it has in the end
        dates = p.get("eventDate", set()) if kind == "StatusChange" else set()
        if status in REFUSALS:
            by = names("rejectedBy", bid_props)
            common: dict[str, Any] = {"kind": "refusal", "status": status, "actors": by,
                                      "what": status.lower() + (f" by {' & '.join(by)}" if by else "")}
        else:
            common = {"kind": "status", "status": status, "what": status.lower()}
    elif kind == "RegulatoryAction":
        actions = sorted(_local(a) for a in p.get("action", ()))
        by = names("regulator")
        dates = p.get("eventDate", set())
        common = {"kind": "regulatory", "action": ", ".join(actions) or None, "actors": by,
                  "what": (", ".join(a.lower() for a in actions) or "regulatory act")
                  + (f" by {' & '.join(by)}" if by else "")}
    elif kind == "Deadline":
        by = names("imposedBy")
        dates = p.get("dueDate", set())
        what = "; ".join(sorted(p.get(_RDFS_LABEL, ()))) or "deadline"
        common = {"kind": "deadline", "actors": by,
                  "what": f"deadline: {what}" + (f" (set by {' & '.join(by)})" if by else "")}
    else:
        return []
    date = min((d for d in map(iso_date, dates) if d), default=None)
    sentences = sorted({evidence[(graph, ev)] for ev in p.get("evidence", ()) if (graph, ev) in evidence},
                       key=lambda s: (s[1] or 0, s[0]))
    merged: dict[str, int | None] = {}
    for sentence, offset in sentences:
        merged.setdefault(sentence, offset)
    return [DealEvent(date=date, article=article, sentence=sentence, event=event, hedged=hedged, offset=offset,
                      **common)
            for sentence, offset in (merged.items() or [(None, None)])]


def _event_order(e: DealEvent) -> tuple[Any, ...]:
    return (e.when or "~", EVENT_KINDS.index(e.kind), e.article.date or "~", e.article.iri, e.offset or 0,
            e.what, e.sentence or "", e.event)


# -- for people ----------------------------------------------------------------------------

def format_candidates(error: AmbiguousDeal) -> str:
    """The candidates of an ambiguous name, one a line, with the IRI to ask for."""
    lines = [f"{error.name!r} names {len(error.candidates)} deals: {_NARROW}:"]
    lines += [f"  {shorten_iri(d.bid)}  {d.summary}" for d in error.candidates]
    return "\n".join(lines)


def format_timeline(timeline: DealTimeline) -> str:
    """A deal's timeline for the terminal: the deal, the statuses articles give, then one block per record.

    A date in parentheses is the article's: the sentence gives none.
    """
    lines = [timeline.summary, f"  {shorten_iri(timeline.bid)}"]
    if timeline.sellers:
        lines.append(f"  seller: {' & '.join(p.label for p in timeline.sellers)}")
    disagreement = timeline.disagreement
    if disagreement:
        lines.append("  articles disagree on the status:")
        for status, arts in disagreement.items():
            cited = ", ".join(a.id + (f" ({a.date})" if a.date else "") for a in arts)
            lines.append(f"    {status.lower()}: {cited}")
    elif timeline.statuses:
        status = timeline.statuses[0].status.lower()
        lines.append(f"  status: {status} (in {_count(len(timeline.statuses), 'article')})")
    lines.append("")
    width = max([10, *(len(e.date or f"({e.when})") for e in timeline.events if e.when)])
    for e in timeline.events:
        date = e.date or (f"({e.when})" if e.when else "undated")
        hedge = " (reported)" if e.hedged else ""
        lines.append(f"{date:<{width}}  {e.kind:<10}  {e.what}{hedge}")
        pad = " " * (width + 2)
        if e.sentence:
            lines.append(f"{pad}« {e.sentence} »")
        where = e.article.url or e.article.source
        cite = " · ".join(x for x in (e.article.id, e.article.headline, e.article.date, where) if x)
        lines.append(f"{pad}— {cite}")
    lines.append("")
    lines.append(f"{_count(len(timeline.events), 'event')} in {_count(len(timeline.articles), 'article')}"
                 + ("; a date in parentheses is the article's (the sentence gives none)"
                    if any(e.date is None and e.when for e in timeline.events) else ""))
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
