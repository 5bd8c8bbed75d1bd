"""Score the graph that ``kg build`` writes against hand-made gold annotations.

The gold set (``tests/gold/``) is one TOML file per article, written from the
article text alone, independently of the extraction rules (the format and the
annotation guidelines are in ``tests/gold/README.md``). Both sides are reduced
to plain tuples per article and relation; an actor is compared by its set of
names, so "Kesterel", "KesteRel" and a description of it all meet as
long as one surface form is shared.

Scores are micro-averaged over articles: true/false positives and false
negatives are summed over all articles, then precision, recall and F1 are
computed once per relation.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import ID_BASE, SPARQL_PREFIXES, slugify

RELATIONS = (
    "actors",
    "bids",
    "rejections",
    "deadlines",
    "regulators",
    "partnerships",
    "ownership",
    "stakes",
    "roles",
    "lawsuits",
)

#: What a reader takes from a bid or a deadline besides its existence: scored as
#: tuples that carry the attribute, so a right bid with a wrong status is a miss.
ATTRIBUTES = ("bid_status", "bid_hedged", "sellers", "imposed_by")
ATTRIBUTE_LABELS = {
    "bid_status": "bid status (latest)",
    "bid_hedged": "bid hedged",
    "sellers": "sellers",
    "imposed_by": "deadline imposedBy",
}
SCORED = RELATIONS + ATTRIBUTES

#: The relations behind the headline number: the events the project exists for.
OVERALL_RELATIONS = ("bids", "rejections", "deadlines", "regulators")

#: set name -> (articles folder, gold folder), relative to the project root.
SETS: dict[str, tuple[str, str]] = {
    "seeds": ("seeds", "tests/gold/seeds"),
    "dev": ("tests/dev_articles", "tests/gold/dev"),
    "test": ("tests/test_articles", "tests/gold/test"),
}
#: Sets whose individual errors are never shown: only their totals may guide anyone.
BLIND_SETS = frozenset({"test"})

STATUSES = frozenset(
    {"announced", "pending", "rejected", "withdrawn", "blocked", "approved", "completed"}
)
ACTIONS = frozenset({"review", "approval", "prohibition", "order", "conditions"})

ARTICLE_PREFIX = ID_BASE + "article/"

Facts = dict[str, dict[str, list[tuple]]]


class GoldError(ValueError):
    """A gold file that does not follow the format; the message names file and key."""


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    relation: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        # Finding nothing is only perfect when there was nothing to find.
        return 1.0 if self.fn == 0 else 0.0

    @property
    def recall(self) -> float:
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.fp == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.relation, self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def overall(
    scores: Mapping[str, Score], relations: Iterable[str] = OVERALL_RELATIONS
) -> Score:
    """Micro-average of several relations (counts summed, then P/R/F1)."""
    total = Score("overall", 0, 0, 0)
    for relation in relations:
        s = scores[relation]
        total = Score("overall", total.tp + s.tp, total.fp + s.fp, total.fn + s.fn)
    return total


# --------------------------------------------------------------------- normalising

_SPACES = re.compile(r"\s+")
# Gold and extractor may or may not keep the article ("la CMA" / "CMA"): drop it on both sides.
_DETERMINER = re.compile(r"^(?:le |la |les |l')")
_EDGE_PUNCTUATION = " \t\"'«»“”‘’.,;:!?()[]"


def normalize_name(name: str) -> str:
    """Casefolded, accent-free, whitespace-collapsed form used to compare names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION)
    return _DETERMINER.sub("", text).strip(_EDGE_PUNCTUATION)


def name_key(name: str | Iterable[str] | None) -> frozenset[str]:
    """All normalised variants of a gold name ("A|B") or of a predicted name set."""
    if name is None:
        return frozenset()
    variants = name.split("|") if isinstance(name, str) else name
    return frozenset(n for n in (normalize_name(v) for v in variants) if n)


def _date_key(value: str) -> str:
    text = str(value).strip()
    # An xsd:dateTime or a timezone suffix says nothing more about the due day.
    return text[:10] if len(text) > 10 else text


# --------------------------------------------------------------------------- gold

_NAME, _NAMES, _TEXT, _BOOL, _DATE, _STATUS, _ACTION = (
    "name",
    "names",
    "text",
    "bool",
    "date",
    "status",
    "action",
)

_EVENT_COMMON: dict[str, tuple[str, bool]] = {"hedged": (_BOOL, False), "note": (_TEXT, False)}

#: table -> key -> (kind, required). Anything else in a file is an error.
_TABLES: dict[str, dict[str, tuple[str, bool]]] = {
    "bid": {
        "bidders": (_NAMES, True),
        "target": (_NAME, True),
        "seller": (_NAME, False),
        "status": (_STATUS, True),
        "rejected_by": (_NAMES, False),
        **_EVENT_COMMON,
    },
    "deadline": {
        "date": (_DATE, True),
        "imposed_by": (_NAME, False),
        "what": (_TEXT, False),
        "concerns": (_NAME, False),
        **_EVENT_COMMON,
    },
    "regulator": {
        "name": (_NAME, True),
        "on": (_NAME, False),
        "action": (_ACTION, False),
        **_EVENT_COMMON,
    },
    "partnership": {"partners": (_NAMES, True), "role": (_TEXT, False), **_EVENT_COMMON},
    "ownership": {
        "owner": (_NAME, True),
        "owned": (_NAME, True),
        "size": (_TEXT, False),
        **_EVENT_COMMON,
    },
    "stake": {
        "holder": (_NAME, True),
        "in": (_NAME, True),
        "size": (_TEXT, False),
        **_EVENT_COMMON,
    },
    "role": {
        "person": (_NAME, True),
        "title": (_TEXT, True),
        "of": (_NAME, False),
        **_EVENT_COMMON,
    },
    "lawsuit": {
        "plaintiff": (_NAME, True),
        "defendant": (_NAME, False),
        "about": (_TEXT, False),
        **_EVENT_COMMON,
    },
}

#: ``[[negated]]``: relation -> the keys that state the denied fact, read as in ``_TABLES``.
_NEGATED: dict[str, dict[str, tuple[str, bool]]] = {
    "bid": {"bidders": (_NAMES, True), "target": (_NAME, True)},
    "rejection": {
        "rejected_by": (_NAMES, True),
        "bidders": (_NAMES, True),
        "target": (_NAME, True),
    },
    "status": {"bidders": (_NAMES, True), "target": (_NAME, True), "status": (_STATUS, True)},
    "regulator": {"name": (_NAME, True)},
    "partnership": {"partners": (_NAMES, True)},
    "ownership": {"owner": (_NAME, True), "owned": (_NAME, True)},
    "stake": {"holder": (_NAME, True), "in": (_NAME, True)},
    "lawsuit": {"plaintiff": (_NAME, True)},
}
_TOP_LEVEL: dict[str, tuple[str, bool]] = {
    "article": (_TEXT, True),
    "actors": (_NAMES, True),
    "note": (_TEXT, False),
}
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")


def _check_value(path: Path, where: str, kind: str, value: Any) -> None:
    def fail(why: str) -> GoldError:
        return GoldError(f"{path}: key {where!r}: {why} (got {value!r})")

    if kind == _NAME:
        if not isinstance(value, str) or not name_key(value):
            raise fail("expected a non-empty name 'Canonical|variant|...'")
        if any(not part.strip() for part in value.split("|")):
            raise fail("empty variant in name")
    elif kind == _NAMES:
        if not isinstance(value, list) or not value:
            raise fail("expected a non-empty list of names")
        for i, item in enumerate(value):
            _check_value(path, f"{where}[{i}]", _NAME, item)
    elif kind == _TEXT:
        if not isinstance(value, str):
            raise fail("expected a string")
    elif kind == _BOOL:
        if not isinstance(value, bool):
            raise fail("expected true or false")
    elif kind == _DATE:
        if not isinstance(value, str) or not _DATE_SHAPE.match(value):
            raise fail("expected YYYY-MM-DD or YYYY-MM")
        try:
            dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
        except ValueError as exc:
            raise fail(f"not a calendar date: {exc}") from None
    elif kind == _STATUS:
        if value not in STATUSES:
            raise fail(f"status must be one of {sorted(STATUSES)}")
    elif kind == _ACTION:
        if value not in ACTIONS:
            raise fail(f"action must be one of {sorted(ACTIONS)}")
    else:  # pragma: no cover - a programming error in the schema above
        raise AssertionError(kind)


def _check_table(path: Path, where: str, schema: dict[str, tuple[str, bool]], data: Any) -> None:
    if not isinstance(data, dict):
        raise GoldError(f"{path}: key {where!r}: expected a table")
    for key in data:
        if key not in schema:
            raise GoldError(f"{path}: key {where}.{key!r}: unknown key (allowed: {sorted(schema)})")
    for key, (kind, required) in schema.items():
        if key in data:
            _check_value(path, f"{where}.{key}" if where else key, kind, data[key])
        elif required:
            raise GoldError(f"{path}: key {where}.{key!r}: missing required key")


def _check_negated(path: Path, where: str, data: Any) -> None:
    relation = data.get("relation") if isinstance(data, dict) else None
    if relation not in _NEGATED:
        raise GoldError(
            f"{path}: key {where}.'relation': must be one of {sorted(_NEGATED)} (got {relation!r})"
        )
    schema = {"relation": (_TEXT, True), "note": (_TEXT, False), **_NEGATED[relation]}
    _check_table(path, where, schema, data)


def _validate(path: Path, doc: dict[str, Any]) -> None:
    for key, value in doc.items():
        if key in _TOP_LEVEL:
            continue
        if key not in _TABLES and key != "negated":
            allowed = sorted([*_TOP_LEVEL, *_TABLES, "negated"])
            raise GoldError(f"{path}: key {key!r}: unknown key (allowed: {allowed})")
        if not isinstance(value, list):
            raise GoldError(f"{path}: key {key!r}: expected an array of tables [[{key}]]")
        for i, item in enumerate(value):
            if key == "negated":
                _check_negated(path, f"{key}[{i}]", item)
            else:
                _check_table(path, f"{key}[{i}]", _TABLES[key], item)
    _check_table(path, "", _TOP_LEVEL, {k: v for k, v in doc.items() if k in _TOP_LEVEL})
    if doc["article"] != path.stem:
        raise GoldError(
            f"{path}: key 'article': {doc['article']!r} differs from the file name {path.stem!r}"
        )
    for i, partnership in enumerate(doc.get("partnership", [])):
        if len(partnership["partners"]) < 2:
            raise GoldError(f"{path}: key 'partnership[{i}].partners': needs two partners or more")


def _bid_tuples(bid: dict[str, Any]) -> Iterable[tuple[str, str]]:
    return ((bidder, bid["target"]) for bidder in bid["bidders"])


def _with_actor_variants(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document whose relation names carry every variant of the
    listed actors they name: annotators write a variant once, in ``actors``, and
    a relation that says "Kesterel" then also matches "le groupe lyonnais"."""
    actors = [(name_key(name), name) for name in doc["actors"]]

    def widen(name: str) -> str:
        key = name_key(name)
        extra = [full for variants, full in actors if variants & key]
        return "|".join(dict.fromkeys("|".join([name, *extra]).split("|")))

    def widen_table(table: dict[str, Any], schema: dict[str, tuple[str, bool]]) -> dict[str, Any]:
        out = dict(table)
        for key, (kind, _) in schema.items():
            if key in out and kind == _NAME:
                out[key] = widen(out[key])
            elif key in out and kind == _NAMES:
                out[key] = [widen(n) for n in out[key]]
        return out

    wide = dict(doc)
    for table, schema in _TABLES.items():
        wide[table] = [widen_table(t, schema) for t in doc.get(table, [])]
    wide["negated"] = [widen_table(t, _NEGATED[t["relation"]]) for t in doc.get("negated", [])]
    return wide


def _gold_facts(doc: dict[str, Any]) -> dict[str, list[tuple]]:
    doc = _with_actor_variants(doc)
    facts: dict[str, list[tuple]] = {relation: [] for relation in (*SCORED, "negated")}
    facts["actors"] = [(name,) for name in doc["actors"]]
    for bid in doc.get("bid", []):
        for bidder, target in _bid_tuples(bid):
            facts["bids"].append((bidder, target))
            facts["bid_status"].append((bidder, target, bid["status"]))
            facts["bid_hedged"].append((bidder, target, _flag(bid.get("hedged", False))))
            for rejecter in bid.get("rejected_by", []):
                facts["rejections"].append((rejecter, bidder, target))
        if "seller" in bid:
            facts["sellers"].append((bid["seller"], bid["target"]))
    facts["deadlines"] = [(d["date"],) for d in doc.get("deadline", [])]
    facts["imposed_by"] = [
        (d["date"], d["imposed_by"]) for d in doc.get("deadline", []) if "imposed_by" in d
    ]
    facts["regulators"] = [(r["name"],) for r in doc.get("regulator", [])]
    facts["partnerships"] = [
        pair for p in doc.get("partnership", []) for pair in _pairs(p["partners"])
    ]
    facts["ownership"] = [(o["owner"], o["owned"]) for o in doc.get("ownership", [])]
    facts["stakes"] = [(s["holder"], s["in"]) for s in doc.get("stake", [])]
    facts["roles"] = [
        (r["person"], r["of"]) if "of" in r else (r["person"],) for r in doc.get("role", [])
    ]
    facts["lawsuits"] = [(s["plaintiff"],) for s in doc.get("lawsuit", [])]
    facts["negated"] = [
        (relation, fact)
        for entry in doc.get("negated", [])
        for relation, fact in _negated_tuples(entry)
    ]
    return facts


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _pairs(partners: list[str]) -> list[tuple]:
    return [(frozenset({a, b}),) for a, b in combinations(partners, 2)]


def _negated_tuples(entry: dict[str, Any]) -> list[tuple[str, tuple]]:
    """The scored tuples a denied fact would have given, with the relation they belong to."""
    kind = entry["relation"]
    if kind == "bid":
        return [("bids", t) for t in _bid_tuples(entry)]
    if kind == "rejection":
        return [
            ("rejections", (rejecter, *t))
            for t in _bid_tuples(entry)
            for rejecter in entry["rejected_by"]
        ]
    if kind == "status":
        return [("bid_status", (*t, entry["status"])) for t in _bid_tuples(entry)]
    if kind == "regulator":
        return [("regulators", (entry["name"],))]
    if kind == "partnership":
        return [("partnerships", pair) for pair in _pairs(entry["partners"])]
    if kind == "ownership":
        return [("ownership", (entry["owner"], entry["owned"]))]
    if kind == "stake":
        return [("stakes", (entry["holder"], entry["in"]))]
    return [("lawsuits", (entry["plaintiff"],))]


def load_gold(folder: Path | str) -> Facts:
    """Every ``*.toml`` under ``folder`` (recursively): article id -> relation -> tuples.

    Strict on purpose: a typo in a key or a status would otherwise silently
    drop a fact from the gold set and inflate the scores.
    """
    root = Path(folder)
    if not root.is_dir():
        raise GoldError(f"{root}: not a folder")
    gold: Facts = {}
    origin: dict[str, Path] = {}
    for path in sorted(root.rglob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise GoldError(f"{path}: not valid TOML: {exc}") from None
        _validate(path, doc)
        article = doc["article"]
        if article in gold:
            raise GoldError(f"{path}: key 'article': {article!r} already in {origin[article]}")
        origin[article] = path
        gold[article] = _gold_facts(doc)
    return gold


# -------------------------------------------------------------------- predictions

_ACTOR_TYPES = "dkg:Actor dkg:Organization dkg:Person dkg:Government dkg:Media"

_Q_NAMES = """
SELECT ?g ?x ?name ?alt WHERE {
  GRAPH ?g {
    { ?x rdfs:label ?name } UNION { ?x skos:altLabel ?alt }
  }
}"""
# A part's whole does not depend on the article, so every graph may tell it.
_Q_PART_OF = """
SELECT ?part ?whole WHERE {
  { ?part dkg:partOf ?whole } UNION { GRAPH ?g { ?part dkg:partOf ?whole } }
}"""
_Q_ACTORS = f"""
SELECT DISTINCT ?g ?a WHERE {{
  GRAPH ?g {{ ?a a ?type . VALUES ?type {{ {_ACTOR_TYPES} }} }}
}}"""
_Q_BIDS = """
SELECT DISTINCT ?g ?bidder ?target WHERE {
  GRAPH ?g { ?bid dkg:bidder ?bidder . OPTIONAL { ?bid dkg:target ?target } }
}"""
_Q_REJECTIONS = """
SELECT DISTINCT ?g ?rejecter ?bidder ?target WHERE {
  GRAPH ?g {
    ?bid dkg:rejectedBy ?rejecter ; dkg:bidder ?bidder .
    OPTIONAL { ?bid dkg:target ?target }
  }
}"""
_Q_DEADLINES = "SELECT DISTINCT ?g ?date WHERE { GRAPH ?g { ?d dkg:dueDate ?date } }"
_Q_REGULATORS = "SELECT DISTINCT ?g ?r WHERE { GRAPH ?g { ?x dkg:regulator ?r } }"
_Q_PARTNERSHIPS = """
SELECT DISTINCT ?g ?a ?b WHERE {
  GRAPH ?g {
    { ?p dkg:partner ?a, ?b . FILTER (?a != ?b) }
    UNION { ?a dkg:partnerOf ?b }
  }
}"""
_Q_OWNERSHIP = """
SELECT DISTINCT ?g ?owner ?owned WHERE {
  GRAPH ?g { { ?e dkg:owner ?owner ; dkg:owned ?owned } UNION { ?owner dkg:owns ?owned } }
}"""
_Q_STAKES = """
SELECT DISTINCT ?g ?holder ?in WHERE {
  GRAPH ?g {
    { ?e dkg:stakeholder ?holder ; dkg:stakeIn ?in } UNION { ?holder dkg:holdsStakeIn ?in }
  }
}"""
_Q_ROLES = """
SELECT DISTINCT ?g ?person ?org WHERE {
  GRAPH ?g {
    { ?e dkg:holder ?person . OPTIONAL { ?e dkg:roleIn ?org } }
    UNION { ?person dkg:holdsRoleIn ?org }
  }
}"""
_Q_LAWSUITS = "SELECT DISTINCT ?g ?p WHERE { GRAPH ?g { ?s dkg:plaintiff ?p } }"
_Q_BID_ATTRIBUTES = """
SELECT DISTINCT ?g ?bidder ?target ?status ?hedged WHERE {
  GRAPH ?g {
    ?bid dkg:bidder ?bidder .
    OPTIONAL { ?bid dkg:target ?target }
    OPTIONAL { ?bid dkg:status ?status }
    OPTIONAL { ?bid dkg:hedged ?hedged }
  }
}"""
_Q_SELLERS = """
SELECT DISTINCT ?g ?seller ?target WHERE {
  GRAPH ?g { ?bid dkg:seller ?seller . OPTIONAL { ?bid dkg:target ?target } }
}"""
_Q_IMPOSED_BY = """
SELECT DISTINCT ?g ?date ?who WHERE { GRAPH ?g { ?d dkg:dueDate ?date ; dkg:imposedBy ?who } }
"""


def _article_id(graph: Node) -> str | None:
    text = str(graph)
    return text[len(ARTICLE_PREFIX) :] if text.startswith(ARTICLE_PREFIX) else None


def _rows(dataset: Dataset, query: str) -> Iterable[Any]:
    return dataset.query(SPARQL_PREFIXES + query)


class _Names:
    """Resolves a resource to the "name|name|..." string that stands for it in one article."""

    def __init__(self, dataset: Dataset) -> None:
        # (labels, altLabels) per (article, resource), and over all graphs as a fallback
        self.local: dict[tuple[str, Node], tuple[list[str], list[str]]] = defaultdict(
            lambda: ([], [])
        )
        self.anywhere: dict[Node, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for row in _rows(dataset, _Q_NAMES):
            article = _article_id(row.g)
            for index, value in ((0, row.name), (1, row.alt)):
                if value is None:
                    continue
                # The canonical label goes first so tables read naturally.
                text = str(value).replace("|", " ")
                if article is not None:
                    self.local[(article, row.x)][index].append(text)
                self.anywhere[row.x][index].append(text)
        self.parent: dict[Node, Node] = {}
        for row in _rows(dataset, _Q_PART_OF):
            self.parent.setdefault(row.part, row.whole)

    def root(self, node: Node) -> Node:
        seen = {node}
        while node in self.parent and self.parent[node] not in seen:
            node = self.parent[node]
            seen.add(node)
        return node

    def __call__(self, article: str, node: Node | None, *, fold: bool = False) -> str:
        if node is None:
            return ""
        if fold:
            node = self.root(node)
        labels, alts = self.local.get((article, node)) or self.anywhere.get(node) or ([], [])
        names = list(dict.fromkeys([*sorted(labels), *sorted(alts)]))
        if not names and isinstance(node, URIRef):
            # An unlabelled IRI still carries its slug ("id/org/bytedance").
            names = [str(node).rstrip("/").rsplit("/", 1)[-1].replace("-", " ")]
        elif not names and isinstance(node, Literal):
            names = [str(node)]
        return "|".join(names)


def predictions_from_dataset(dataset: Dataset) -> Facts:
    """Read what the extractor wrote (shape: docs/rdf-shape.md) into gold-shaped tuples.

    Every article named graph (``id/article/<id>``) gives one entry, even when it
    states nothing, so an empty article counts as "found nothing".
    """
    names = _Names(dataset)
    predicted: Facts = {}

    def bucket(graph: Node) -> dict[str, list[tuple]] | None:
        article = _article_id(graph)
        if article is None:
            return None
        return predicted.setdefault(article, {relation: [] for relation in SCORED})

    for graph in dataset.graphs():
        bucket(graph.identifier)

    def collect(relation: str, query: str, make: Callable[[str, Any], tuple]) -> None:
        for row in _rows(dataset, query):
            facts = bucket(row.g)
            if facts is not None:
                facts[relation].append(make(_article_id(row.g) or "", row))

    collect("actors", _Q_ACTORS, lambda a, r: (names(a, r.a, fold=True),))
    collect(
        "bids",
        _Q_BIDS,
        lambda a, r: (names(a, r.bidder), names(a, r.target, fold=True)),
    )
    collect(
        "rejections",
        _Q_REJECTIONS,
        lambda a, r: (names(a, r.rejecter), names(a, r.bidder), names(a, r.target, fold=True)),
    )
    collect("deadlines", _Q_DEADLINES, lambda a, r: (_date_key(r.date),))
    collect("regulators", _Q_REGULATORS, lambda a, r: (names(a, r.r),))
    collect(
        "partnerships",
        _Q_PARTNERSHIPS,
        lambda a, r: (frozenset({names(a, r.a), names(a, r.b)}),),
    )
    collect(
        "ownership",
        _Q_OWNERSHIP,
        lambda a, r: (names(a, r.owner), names(a, r.owned, fold=True)),
    )
    collect("stakes", _Q_STAKES, lambda a, r: (names(a, r.holder), names(a, r["in"], fold=True)))
    collect(
        "roles",
        _Q_ROLES,
        lambda a, r: (
            (names(a, r.person), names(a, r.org, fold=True))
            if r.org is not None
            else (names(a, r.person),)
        ),
    )
    collect("lawsuits", _Q_LAWSUITS, lambda a, r: (names(a, r.p),))
    collect(
        "bid_status",
        _Q_BID_ATTRIBUTES,
        lambda a, r: (names(a, r.bidder), names(a, r.target, fold=True), _status_name(r.status)),
    )
    collect(
        "bid_hedged",
        _Q_BID_ATTRIBUTES,
        lambda a, r: (
            names(a, r.bidder),
            names(a, r.target, fold=True),
            _flag(r.hedged is not None and r.hedged.toPython() is True),
        ),
    )
    collect(
        "sellers", _Q_SELLERS, lambda a, r: (names(a, r.seller), names(a, r.target, fold=True))
    )
    collect("imposed_by", _Q_IMPOSED_BY, lambda a, r: (_date_key(r.date), names(a, r.who)))
    return predicted


def _status_name(status: Node | None) -> str:
    # dkg:Rejected -> "rejected"; a bid without a status matches no gold status.
    return str(status).rsplit("#", 1)[-1].casefold() if status is not None else "none"


# -------------------------------------------------------------------------- scoring

_Key = tuple[Any, ...]


def _fact_key(relation: str, fact: tuple) -> _Key:
    if relation == "deadlines":
        return (_date_key(fact[0]),)
    if relation == "partnerships":
        pair = sorted((name_key(n) for n in fact[0]), key=sorted)
        if len(pair) == 1:  # both partners resolved to the same names
            pair = pair * 2
        return tuple(pair)
    return tuple(name_key(element) for element in fact)


def _compatible(relation: str, gold: _Key, predicted: _Key) -> bool:
    if relation == "deadlines":
        return gold == predicted
    if relation == "partnerships":
        (g1, g2), (p1, p2) = gold, predicted
        return bool((g1 & p1 and g2 & p2) or (g1 & p2 and g2 & p1))
    if relation == "roles" and len(gold) == 1:
        # A role annotated without its organisation is found whatever organisation is given.
        return bool(gold[0] & predicted[0])
    return len(gold) == len(predicted) and all(g & p for g, p in zip(gold, predicted, strict=True))


def _max_matching(relation: str, gold: list[_Key], predicted: list[_Key]) -> int:
    """Size of a maximum one-to-one matching (Kuhn's augmenting paths; lists are small)."""
    return len(_matching(relation, gold, predicted))


def _matching(relation: str, gold: list[_Key], predicted: list[_Key]) -> dict[int, int]:
    """A maximum one-to-one matching, predicted index -> gold index."""
    edges = [
        [j for j, p in enumerate(predicted) if _compatible(relation, g, p)] for g in gold
    ]
    owner: dict[int, int] = {}

    def augment(i: int, visited: set[int]) -> bool:
        for j in edges[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in owner or augment(owner[j], visited):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return owner


def _unique(keys: Iterable[_Key]) -> list[_Key]:
    return list(dict.fromkeys(keys))


def _pairs_by_article(
    gold: Facts, predicted: Facts, articles: Iterable[str] | None
) -> Iterable[tuple[str, dict[str, list[tuple]], dict[str, list[tuple]]]]:
    """(article, gold facts, predicted facts) for each annotated article.

    Predictions for an article nobody annotated cannot be judged, so they are
    left out rather than counted as false positives. Predicted article ids are
    matched to gold ids exactly or, failing that, by slug (an IRI may spell
    "000_abc" as "000-abc").
    """
    by_slug = {slugify(article): facts for article, facts in predicted.items()}
    for article in list(gold) if articles is None else list(articles):
        predicted_facts = predicted.get(article) or by_slug.get(slugify(article), {})
        yield article, gold.get(article, {}), predicted_facts


def score(
    gold: Facts, predicted: Facts, *, articles: Iterable[str] | None = None
) -> dict[str, Score]:
    """Micro-averaged scores per relation and per attribute (``SCORED``);
    ``articles`` defaults to the annotated ones."""
    totals = {relation: Score(relation, 0, 0, 0) for relation in SCORED}
    for _, gold_facts, predicted_facts in _pairs_by_article(gold, predicted, articles):
        for relation in SCORED:
            g = _unique(_fact_key(relation, f) for f in gold_facts.get(relation, []))
            p = _unique(_fact_key(relation, f) for f in predicted_facts.get(relation, []))
            tp = _max_matching(relation, g, p)
            totals[relation] += Score(relation, tp, len(p) - tp, len(g) - tp)
    return totals


@dataclass(frozen=True)
class NegatedCount:
    """How many of the statements the gold marks as denied came out as facts anyway."""

    asserted: int
    statements: int


def _asserted_denials(
    gold_facts: dict[str, list[tuple]], predicted_facts: dict[str, list[tuple]]
) -> list[tuple[str, tuple]]:
    hits = []
    for relation, fact in dict.fromkeys(gold_facts.get("negated", [])):
        denied = _fact_key(relation, fact)
        positives = [_fact_key(relation, f) for f in gold_facts.get(relation, [])]
        for p in (_fact_key(relation, f) for f in predicted_facts.get(relation, [])):
            # A fact a positive statement of the article also gives is not the denial's doing.
            if _compatible(relation, denied, p) and not any(
                _compatible(relation, g, p) for g in positives
            ):
                hits.append((relation, fact))
                break
    return hits


def negated_asserted(
    gold: Facts, predicted: Facts, *, articles: Iterable[str] | None = None
) -> NegatedCount:
    """Count the ``[[negated]]`` gold entries that the predictions assert as facts."""
    asserted = statements = 0
    for _, gold_facts, predicted_facts in _pairs_by_article(gold, predicted, articles):
        statements += len(dict.fromkeys(gold_facts.get("negated", [])))
        asserted += len(_asserted_denials(gold_facts, predicted_facts))
    return NegatedCount(asserted, statements)


def errors(gold: Facts, predicted: Facts, *, articles: Iterable[str] | None = None) -> str:
    """What was missed (-), what was wrongly found (+), and which denied statements
    were asserted (!), per article and relation."""
    lines: list[str] = []
    for article, gold_facts, predicted_facts in _pairs_by_article(gold, predicted, articles):
        for relation in SCORED:
            g_raw = list(dict.fromkeys(gold_facts.get(relation, [])))
            # in a fixed order: which of two equal candidates a gold fact is matched with, and
            # so which one is listed as wrong, must not depend on the store's row order
            p_raw = sorted(dict.fromkeys(predicted_facts.get(relation, [])), key=_show)
            g = [_fact_key(relation, f) for f in g_raw]
            p = [_fact_key(relation, f) for f in p_raw]
            owner = _matching(relation, g, p)
            matched_gold = set(owner.values())
            for i, fact in enumerate(g_raw):
                if i not in matched_gold:
                    lines.append(f"{article}  {relation:<12} - {_show(fact)}")
            for j, fact in enumerate(p_raw):
                if j not in owner:
                    lines.append(f"{article}  {relation:<12} + {_show(fact)}")
        for relation, fact in _asserted_denials(gold_facts, predicted_facts):
            lines.append(f"{article}  {relation:<12} ! denied, yet asserted: {_show(fact)}")
    return "\n".join(lines)


def _show(fact: tuple) -> str:
    def one(value: Any) -> str:
        if isinstance(value, frozenset):
            return " & ".join(sorted(one(v) for v in value))
        return str(value).split("|")[0]

    return " / ".join(one(v) for v in fact)


def format_scores(scores: Mapping[str, Score], *, negated: NegatedCount | None = None) -> str:
    """A fixed-width table: one line per relation, the headline overall line, then
    the attributes readers take from a bid or deadline, then the denials asserted."""
    header = f"{'relation':<28}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"

    def line(label: str, s: Score) -> str:
        return (
            f"{label:<28}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
            f"{s.tp:>6d}{s.fp:>6d}{s.fn:>6d}"
        )

    lines = [header, "-" * len(header)]
    lines += [line(relation, scores[relation]) for relation in RELATIONS if relation in scores]
    if all(relation in scores for relation in OVERALL_RELATIONS):
        lines.append("-" * len(header))
        lines.append(line("overall (bids..regulators)", overall(scores)))
    attributes = [a for a in ATTRIBUTES if a in scores]
    if attributes:
        lines.append("-" * len(header))
        lines += [line(ATTRIBUTE_LABELS[a], scores[a]) for a in attributes]
        if "bid_status" in scores and "bids" in scores:
            lines.append(_status_on_found(scores))
    if negated is not None:
        lines.append("-" * len(header))
        lines.append(
            f"negated facts asserted: {negated.asserted} "
            f"(of {negated.statements} denied statements; must be 0)"
        )
    return "\n".join(lines)


def evaluate(
    dataset: Dataset, gold_folder: Path | str, *, articles: Iterable[str] | None = None
) -> dict[str, Score]:
    """Convenience: load the gold folder, read the dataset, score."""
    return score(load_gold(gold_folder), predictions_from_dataset(dataset), articles=articles)


@dataclass(frozen=True)
class Evaluation:
    """One gold set scored: per-relation scores, denials asserted, and (on request) errors."""

    name: str
    articles: int
    scores: dict[str, Score]
    negated: NegatedCount
    errors: str = ""

    def table(self) -> str:
        return format_scores(self.scores, negated=self.negated)


def evaluate_folder(
    articles: Path | str, gold_folder: Path | str, *, show_errors: bool = False, name: str = ""
) -> Evaluation:
    """Build a folder of articles into a fresh in-memory store and score it against gold;
    with ``show_errors``, also list what was missed and what was wrongly found."""
    from kg.build import build
    from kg.store import open_store

    store = open_store("memory")
    report = build([articles], store)
    if report.errors:
        raise GoldError("; ".join(f"{e.source}: {e.message}" for e in report.errors))
    gold = load_gold(gold_folder)
    predicted = predictions_from_dataset(store.dataset)
    return Evaluation(
        name=name or str(articles),
        articles=len(gold),
        scores=score(gold, predicted),
        negated=negated_asserted(gold, predicted),
        errors=errors(gold, predicted) if show_errors else "",
    )


class BlindSetError(GoldError):
    """Errors were asked for on a set that must stay blind."""


def _is_blind(articles: Path, gold_folder: Path, root: Path) -> bool:
    blind = {(root / folder).resolve() for name in BLIND_SETS for folder in SETS[name]}
    return articles.resolve() in blind or gold_folder.resolve() in blind


def evaluate_set(
    which: str,
    *,
    articles: Path | str | None = None,
    gold_folder: Path | str | None = None,
    show_errors: bool = False,
    root: Path | str = ".",
) -> Evaluation:
    """Score one named set (``SETS``), folders overridable; refuses to list the
    errors of a blind set, however its folders are given."""
    root = Path(root)
    default_articles, default_gold = SETS[which]
    articles = Path(articles) if articles is not None else root / default_articles
    gold_folder = Path(gold_folder) if gold_folder is not None else root / default_gold
    if show_errors and _is_blind(articles, gold_folder, root):
        raise BlindSetError(
            f"the {which!r} set is blind: only its totals are shown, never its errors "
            "(tune on --set dev)"
        )
    for folder in (articles, gold_folder):
        if not folder.is_dir():
            raise GoldError(f"{folder}: no such folder (run kg eval from the project root)")
    return evaluate_folder(articles, gold_folder, show_errors=show_errors, name=which)


def run_eval(
    which: str,
    *,
    articles: Path | str | None = None,
    gold_folder: Path | str | None = None,
    show_errors: bool = False,
) -> str:
    """What ``kg eval`` prints: one set's table (and errors), or with ``which="all"``
    the three sets side by side."""
    if which == "all":
        if articles is not None or gold_folder is not None or show_errors:
            raise GoldError("--set all takes no --articles, --gold or --errors")
        return format_side_by_side(evaluate_set(name) for name in SETS)
    evaluation = evaluate_set(
        which, articles=articles, gold_folder=gold_folder, show_errors=show_errors
    )
    return "\n".join(filter(None, [evaluation.table(), evaluation.errors]))


def status_on_found(scores: Mapping[str, Score]) -> tuple[int, int]:
    """(bids found with their right latest status, bids found): a status can only be
    right on a bid that was found, so this is the status's own accuracy."""
    return scores["bid_status"].tp, scores["bids"].tp


def _status_on_found(scores: Mapping[str, Score]) -> str:
    right, found = status_on_found(scores)
    share = f"{right / found:.3f}" if found else "n/a"
    return f"{'status right on bids found':<28}{share:>7}  ({right} of {found})"


def format_side_by_side(evaluations: Iterable[Evaluation]) -> str:
    """P, R and F1 of several sets in one table, one column group per set."""
    evaluations = list(evaluations)
    header = f"{'relation':<28}" + "".join(
        f"{f'{e.name} ({e.articles})':>21}" for e in evaluations
    )
    sub = f"{'':<28}" + "".join(f"{'P':>7}{'R':>7}{'F1':>7}" for _ in evaluations)

    def line(label: str, pick: Callable[[Evaluation], Score]) -> str:
        cells = "".join(
            f"{pick(e).precision:>7.3f}{pick(e).recall:>7.3f}{pick(e).f1:>7.3f}"
            for e in evaluations
        )
        return f"{label:<28}{cells}"

    rule = "-" * len(sub)
    lines = [header, sub, rule]
    lines += [line(r, lambda e, r=r: e.scores[r]) for r in RELATIONS]
    lines += [rule, line("overall (bids..regulators)", lambda e: overall(e.scores)), rule]
    lines += [line(ATTRIBUTE_LABELS[a], lambda e, a=a: e.scores[a]) for a in ATTRIBUTES]
    lines.append(
        f"{'status right on bids found':<28}"
        + "".join(f"{'{} of {}'.format(*status_on_found(e.scores)):>21}" for e in evaluations)
    )
    lines.append(rule)
    lines.append(
        f"{'negated facts asserted':<28}"
        + "".join(f"{f'{e.negated.asserted} of {e.negated.statements}':>21}" for e in evaluations)
    )
    return "\n".join(lines)


# ----------------------------------------------------------------- checking a set

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md")


def article_stems(folder: Path | str) -> set[str]:
    """Ids of the article files of a set folder (its README left out)."""
    return {
        p.stem
        for p in Path(folder).iterdir()
        if p.suffix.lower() in ARTICLE_SUFFIXES and p.stem.lower() != "readme"
    }


ALL = slice(None)
#: Where the actor names sit in tuples that also carry a status, a flag or a date.
_NAME_SLOTS = {"bid_status": slice(0, 2), "bid_hedged": slice(0, 2), "imposed_by": slice(1, 2)}


def check_set(articles: Path | str, gold_folder: Path | str) -> int:
    """Raise ``GoldError`` unless the gold folder loads, pairs up one to one with the
    article files, and uses in its relations only names listed among the article's
    actors; return the number of gold files."""
    gold = load_gold(gold_folder)
    stems = article_stems(articles)
    if missing := sorted(stems - gold.keys()):
        raise GoldError(f"{gold_folder}: no gold file for article(s) {', '.join(missing)}")
    if orphans := sorted(gold.keys() - stems):
        raise GoldError(f"{articles}: no article file for gold file(s) {', '.join(orphans)}")
    for article, facts in gold.items():
        actors = [name_key(name) for (name,) in facts["actors"]]
        used = [
            (relation, fact)
            for relation in SCORED
            if relation not in ("actors", "deadlines")
            for fact in facts[relation]
        ] + list(facts["negated"])
        for relation, fact in used:
            names = fact[0] if relation == "partnerships" else fact[_NAME_SLOTS.get(relation, ALL)]
            for name in names:
                if not any(name_key(name) & a for a in actors):
                    raise GoldError(
                        f"{gold_folder}/{article}.toml: {relation}: {name!r} is not one of "
                        "the article's actors"
                    )
    return len(gold)


def _main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or argv[0] != "check":
        print("usage: python -m kg.evaluate check GOLD_FOLDER [ARTICLES_FOLDER]", file=sys.stderr)
        return 2
    gold_folder = Path(argv[1])
    if len(argv) == 3:
        articles = Path(argv[2])
    else:
        by_gold = {Path(g): Path(a) for a, g in SETS.values()}
        if gold_folder not in by_gold:
            print(f"error: {gold_folder} is not one of {sorted(map(str, by_gold))}; "
                  "give the articles folder too", file=sys.stderr)
            return 2
        articles = by_gold[gold_folder]
    try:
        count = check_set(articles, gold_folder)
    except (GoldError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: {count} gold files")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
