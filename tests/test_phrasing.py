"""docs/phrasing.md, the phrasebook of deal phrasings, checked against the extractor.

Every row of the phrasebook gives a French sentence and the facts it must give. A row marked
with a rule id must give them today, through that rule; a row marked "—" must still fail,
so that the table (and the handled counts of its introduction) stay true as rules change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest

from kg.corpus import Article
from kg.dates import PartialDate
from kg.extract import ArticleFacts, Extractor, Fact, default_extractor
from kg.namespaces import slugify
from kg.rules import default_rulebook

PHRASEBOOK = Path(__file__).resolve().parent.parent / "docs" / "phrasing.md"
ARTICLE_DATE = PartialDate(2024, 3, 5)  # a Tuesday: what "vendredi" or "dans 30 jours" are read against
RELATIONS = ("bid", "status", "rejection", "regulation", "deadline", "withdrawal", "completion", "hedging",
             "negation")
NOT_HANDLED = "—"
STATUSES = ("announced", "pending", "rejected", "withdrawn", "blocked", "approved", "completed")
ACTIONS = ("review", "approval", "conditions", "prohibition", "order")
RULE_IDS = frozenset(r.id for r in default_rulebook().rules)


# -- the notation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """One fact of the "expected" column.

    ``kind`` is bid, no-bid, nothing, deadline or regulator; ``first`` the bidder, the date or
    the regulator; ``second`` the target; ``attrs`` the bracketed attributes ("hedged" has no value).
    """

    kind: str
    first: str = ""
    second: str = ""
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def negative(self) -> bool:
        return self.kind in ("no-bid", "nothing")

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)

    def __str__(self) -> str:
        inner = ", ".join(k if v == "" else f"{k}={v}" for k, v in self.attrs)
        tail = f" [{inner}]" if inner else ""
        if self.kind == "nothing":
            return "nothing"
        if self.kind in ("bid", "no-bid"):
            return f"{'no ' if self.kind == 'no-bid' else ''}bid {self.first} -> {self.second}{tail}"
        return f"{self.kind} {self.first}{tail}"


_ATTRS = {
    "bid": {"status", "rejected_by", "seller", "hedged"},
    "deadline": {"imposed_by"},
    "regulator": {"action"},
}
_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _attrs(kind: str, text: str | None) -> tuple[tuple[str, str], ...]:
    if text is None:
        return ()
    out = []
    for item in (part.strip() for part in text.split(",")):
        name, _, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if name not in _ATTRS.get(kind, set()):
            raise ValueError(f"unknown attribute {name!r} for {kind}")
        if (name == "hedged") != (value == ""):
            raise ValueError(f"{name!r} needs a value" if value == "" else "hedged takes no value")
        if name == "status" and value not in STATUSES:
            raise ValueError(f"unknown status {value!r}")
        if name == "action" and value not in ACTIONS:
            raise ValueError(f"unknown action {value!r}")
        out.append((name, value))
    return tuple(out)


def parse_expected(cell: str) -> tuple[Expect, ...]:
    """"bid X -> Y [status=rejected, hedged] ; deadline 2024-04-12" -> Expect records."""
    out = []
    for part in (p.strip() for p in cell.strip().strip("`").split(" ; ")):
        match = re.fullmatch(r"(?P<body>[^\[\]]+?)\s*(?:\[(?P<attrs>[^\[\]]*)\])?", part)
        if match is None:
            raise ValueError(f"cannot read {part!r}")
        body, attrs = match["body"].strip(), match["attrs"]
        if body == "nothing" and attrs is None:
            out.append(Expect("nothing"))
            continue
        bid = re.fullmatch(r"(?P<no>no )?bid (?P<x>.+?) -> (?P<y>.+)", body)
        if bid:
            kind = "no-bid" if bid["no"] else "bid"
            if kind == "no-bid" and attrs is not None:
                raise ValueError("'no bid' takes no attributes")
            out.append(Expect(kind, bid["x"].strip(), bid["y"].strip(), _attrs("bid", attrs)))
            continue
        word, _, rest = body.partition(" ")
        if word == "deadline" and _DATE.fullmatch(rest.strip()):
            out.append(Expect("deadline", rest.strip(), attrs=_attrs("deadline", attrs)))
        elif word == "regulator" and rest.strip():
            out.append(Expect("regulator", rest.strip(), attrs=_attrs("regulator", attrs)))
        else:
            raise ValueError(f"cannot read {part!r}")
    return tuple(out)


# -- the phrasebook ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    relation: str
    number: int  # 1-based, within its section
    line: int
    construction: str
    example: str
    expected: str
    handled_by: str

    @property
    def id(self) -> str:
        return f"{self.relation}-{self.number:02d}-{slugify(self.construction.strip('`'))[:48]}"

    def where(self) -> str:
        return f"docs/phrasing.md:{self.line} ({self.relation} #{self.number}: {self.construction})"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _is_rule(line: str) -> bool:
    """The "| --- | --- |" line under a table header."""
    return "-" in line and set(line.strip()) <= set("|-: ")


@cache
def phrasebook() -> tuple[tuple[Row, ...], dict[str, int], tuple[str, ...]]:
    """The rows, the handled counts the introduction states, and the section headings seen."""
    rows: list[Row] = []
    stated: dict[str, int] = {}
    sections: list[str] = []
    section: str | None = None
    for number, line in enumerate(PHRASEBOOK.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            section = line[3:].strip()
            sections.append(section)
            continue
        if not line.lstrip().startswith("|") or _is_rule(line):
            continue
        cells = _cells(line)
        if section is None:  # the introduction's summary: | relation | rows | handled |
            if cells[0] in RELATIONS and len(cells) == 3:
                stated[cells[0]] = int(cells[2])
            continue
        if cells[0] == "construction":
            continue
        assert len(cells) == 4, f"docs/phrasing.md:{number}: a row has 4 cells, not {len(cells)}"
        count = sum(1 for r in rows if r.relation == section) + 1
        construction, example, expected, handled_by = cells
        rows.append(Row(section, count, number, construction, example, expected, handled_by.strip("`")))
    return tuple(rows), stated, tuple(sections)


ROWS = phrasebook()[0]


# -- running the extractor -------------------------------------------------------------------


def _article(text: str) -> Article:
    return Article(id="phrasebook", title="phrasebook", date=ARTICLE_DATE, body=text, source="docs/phrasing.md")


def _names(facts: ArticleFacts, keys: list[str]) -> set[str]:
    """Every name an actor goes by in the article (its label and the forms the article uses),
    folded as resource slugs are: case and accents do not matter."""
    out = set()
    for key in keys:
        actor = facts.actors.get(key)
        if actor is not None:
            out |= {slugify(actor.name), *(slugify(a) for a in actor.alt_labels)}
    return out


def _bids(facts: ArticleFacts, bidder: str, target: str) -> list[Fact]:
    return [f for f in facts.of_kind("bid") if slugify(bidder) in _names(facts, f.roles["bidder"])
            and slugify(target) in _names(facts, f.roles["target"])]


def _show(facts: ArticleFacts) -> str:
    def name(key: str) -> str:
        return facts.actors[key].name if key in facts.actors else key

    lines = []
    for f in facts.facts:
        if f.kind == "figure":
            continue
        roles = ", ".join(f"{r}={'+'.join(name(k) for k in ks)}" for r, ks in f.roles.items() if ks)
        extra = [f"{k}={v}" for k, v in f.attrs.items() if k in ("status", "action")]
        extra += [f"due={f.due.iso()}"] if f.due else []
        extra += ["hedged"] if f.hedged else []
        lines.append(f"    {f.kind}({roles}; {', '.join(extra)}) by {sorted({e.rule for e in f.evidence})}")
    return "\n".join(lines) or "    (no facts)"


def check(expects: tuple[Expect, ...], facts: ArticleFacts) -> tuple[list[str], set[str]]:
    """What the extractor failed to give, and the rules behind the expected facts it gave."""
    problems: list[str] = []
    rules: set[str] = set()
    for e in expects:
        if e.kind == "nothing":
            if facts.of_kind("bid"):
                problems.append("a bid was asserted where the sentence states none")
        elif e.kind == "no-bid":
            if _bids(facts, e.first, e.second):
                problems.append(f"asserted {e.first} -> {e.second}, which the sentence negates")
        elif e.kind == "bid":
            found = [f for f in _bids(facts, e.first, e.second) if _bid_fits(e, f, facts)]
            if not found:
                problems.append(f"missing {e}")
            problems += [f"contradicted: {e.second} said to own {e.first}" for f in found if _owned_by_target(f, facts)]
            for f in found:
                rules |= {ev.rule for ev in f.evidence}
        elif e.kind == "deadline":
            found = [f for f in facts.of_kind("deadline") if f.due is not None and f.due.iso() == e.first
                     and _imposer_fits(e, f, facts)]
            if not found:
                problems.append(f"missing {e}")
            for f in found:
                rules |= {ev.rule for ev in f.evidence}
        else:  # regulator
            found = [f for f in facts.of_kind("regulation")
                     if slugify(e.first) in _names(facts, f.roles["regulator"])
                     and e.attr("action") in (None, f.attrs.get("action"))]
            if not found:
                problems.append(f"missing {e}")
            for f in found:
                rules |= {ev.rule for ev in f.evidence}
    return problems, rules


def _bid_fits(e: Expect, fact: Fact, facts: ArticleFacts) -> bool:
    status = e.attr("status")
    if status is not None and fact.attrs.get("status") != status:
        return False
    for role in ("rejected_by", "seller"):
        who = e.attr(role)
        if who is not None and slugify(who) not in _names(facts, fact.roles[role]):
            return False
    # a plain statement must not come out as hearsay, nor hearsay as a plain statement
    return fact.hedged == (e.attr("hedged") is not None)


def _owned_by_target(bid: Fact, facts: ArticleFacts) -> bool:
    """Whether the article also has the target (or the company it is part of) owning the bidder."""
    target = set(bid.roles["target"])
    target |= {facts.actors[k].part_of for k in bid.roles["target"] if k in facts.actors and facts.actors[k].part_of}
    return any(set(f.roles["owner"]) & target and set(f.roles["owned"]) & set(bid.roles["bidder"])
               for f in facts.of_kind("ownership"))


def _imposer_fits(e: Expect, fact: Fact, facts: ArticleFacts) -> bool:
    who = e.attr("imposed_by")
    if who is None:
        return True
    if who == "none":  # the sentence names who is bound by the deadline, not who set it
        return not fact.roles["imposed_by"]
    return slugify(who) in _names(facts, fact.roles["imposed_by"])


def ungated_extractor() -> Extractor:
    """An extractor whose rules all let a negated trigger through ("negation = any")."""
    book = default_rulebook()
    rules = tuple(replace(r, negation="any") if r.negation == "forbid" else r for r in book.rules)
    return Extractor(replace(book, rules=rules))


def gate_rules(expects: tuple[Expect, ...], text: str, ungated: Extractor) -> set[str]:
    """For a row that only says what must not be asserted: the rules that would assert it but
    for their negation check (the bid appears once the checks are off)."""
    facts = ungated.extract(_article(text))
    rules: set[str] = set()
    for e in expects:
        bids = facts.of_kind("bid") if e.kind == "nothing" else _bids(facts, e.first, e.second)
        rules |= {ev.rule for f in bids for ev in f.evidence}
    return rules


def outcome(row: Row, extractor: Extractor, ungated: Extractor) -> tuple[list[str], set[str], ArticleFacts]:
    """Problems, rules that give the row's facts (for a negative row: that keep them out) and the facts."""
    expects = parse_expected(row.expected)
    facts = extractor.extract(_article(row.example))
    problems, rules = check(expects, facts)
    if all(e.negative for e in expects):
        rules = gate_rules(expects, row.example, ungated) if not problems else set()
    return problems, rules, facts


# -- tests -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """The default extractor: the spaCy model and the rules are loaded once."""
    return default_extractor()


@pytest.fixture(scope="module")
def ungated(extractor: Extractor) -> Extractor:
    """The same rules with their negation checks off (the spaCy model is shared)."""
    return ungated_extractor()


def test_the_phrasebook_has_one_section_per_relation_and_enough_rows() -> None:
    rows, _, sections = phrasebook()
    unknown = [s for s in sections if s not in RELATIONS]
    assert not unknown, f"docs/phrasing.md: unknown sections {unknown}; relations are {RELATIONS}"
    counts = Counter(r.relation for r in rows)
    assert set(counts) == set(RELATIONS), f"relations without rows: {set(RELATIONS) - set(counts)}"
    assert len(rows) >= 90
    examples = Counter(r.example for r in rows)
    assert not [e for e, n in examples.items() if n > 1], "an example is used twice"


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_row_is_well_formed(row: Row) -> None:
    assert row.relation in RELATIONS, row.where()
    assert row.construction and row.example, f"{row.where()}: empty construction or example"
    try:
        expects = parse_expected(row.expected)
    except ValueError as exc:
        pytest.fail(f"{row.where()}: expected {row.expected!r}: {exc}")
    assert expects, row.where()
    if any(e.kind == "nothing" for e in expects):
        assert len(expects) == 1, f"{row.where()}: 'nothing' stands alone"
    assert row.handled_by == NOT_HANDLED or row.handled_by in RULE_IDS, (
        f"{row.where()}: handled by {row.handled_by!r}, which is neither {NOT_HANDLED!r} nor a rule id "
        "of kg/rules/fr/rules.toml")


HANDLED = [r for r in ROWS if r.handled_by != NOT_HANDLED]
UNHANDLED = [r for r in ROWS if r.handled_by == NOT_HANDLED]


@pytest.mark.parametrize("row", HANDLED, ids=[r.id for r in HANDLED])
def test_handled_row_gives_its_facts_through_its_rule(row: Row, extractor: Extractor, ungated: Extractor) -> None:
    problems, rules, facts = outcome(row, extractor, ungated)
    assert not problems, (f"{row.where()}\n  example: {row.example}\n  expected: {row.expected}\n  "
                          + "\n  ".join(problems) + f"\n  the extractor gave:\n{_show(facts)}")
    assert row.handled_by in rules, (
        f"{row.where()}: the facts come from {sorted(rules) or 'no rule'}, not from {row.handled_by}"
        + (" (for a negative row: the rule whose negation check keeps the bid out)"
           if all(e.negative for e in parse_expected(row.expected)) else ""))


@pytest.mark.parametrize("row", UNHANDLED, ids=[r.id for r in UNHANDLED])
def test_unhandled_row_is_still_unhandled(row: Row, extractor: Extractor, ungated: Extractor) -> None:
    # when a rule change makes a row pass, the phrasebook (and its counts) must say so
    problems, rules, _ = outcome(row, extractor, ungated)
    assert problems or not rules, (
        f"{row.where()} is marked {NOT_HANDLED} but is now handled by {sorted(rules)}: "
        "name the rule in docs/phrasing.md and update the counts of its introduction")


def test_the_introduction_states_the_handled_counts() -> None:
    rows, stated, _ = phrasebook()
    actual = {rel: sum(1 for r in rows if r.relation == rel and r.handled_by != NOT_HANDLED) for rel in RELATIONS}
    assert stated == actual, f"docs/phrasing.md introduction states {stated}, the tables give {actual}"


@pytest.mark.parametrize(("cell", "expected"), [
    ("`bid Valmont -> Kesterel [status=rejected, rejected_by=Kesterel, hedged]`",
     (Expect("bid", "Valmont", "Kesterel", (("status", "rejected"), ("rejected_by", "Kesterel"), ("hedged", ""))),)),
    ("deadline 2024-04 [imposed_by=none] ; regulator CMA [action=review]",
     (Expect("deadline", "2024-04", attrs=(("imposed_by", "none"),)),
      Expect("regulator", "CMA", attrs=(("action", "review"),)))),
    ("no bid Ardenne Capital -> Lunaris", (Expect("no-bid", "Ardenne Capital", "Lunaris"),)),
    ("nothing", (Expect("nothing"),)),
])
def test_the_notation_reads(cell: str, expected: tuple[Expect, ...]) -> None:
    assert parse_expected(cell) == expected
    assert " ; ".join(map(str, expected)) == cell.strip("`")


@pytest.mark.parametrize("cell", ["bid Valmont", "bid A -> B [status=lost]", "bid A -> B [price=3]",
                                  "deadline mars", "no bid A -> B [hedged]", "regulator X [action=veto]"])
def test_a_bad_cell_is_refused(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_expected(cell)
