"""French temporal expressions -> partial dates that keep their granularity.

The engine here knows nothing of French: words, cue phrases and patterns live in
``kg/rules/fr/dates.toml`` (HeidelTime-style records with examples). A month stays
a month (a month name alone gives ``2020-08``), a relative expression is resolved
against an anchor (usually the publication date) and never gets more precise than
the anchor allows: a weekday or "in 45 days" against a month-only anchor gives ``None``.

Overlapping matches are settled by one policy: longest first, then leftmost, then
the rule's order in the file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_RULES_PATH",
    "DateMention",
    "DateRule",
    "DateRules",
    "HeaderMatch",
    "HeaderRule",
    "PartialDate",
    "RuleFileError",
    "convert_pattern",
    "default_rules",
    "find_dates",
    "load_rules",
    "load_toml",
    "match_date_header",
    "normalize",
    "parse_date_header",
    "record_text",
    "rule_line",
]

DEFAULT_RULES_PATH = Path(__file__).parent / "rules" / "fr" / "dates.toml"

PARTS = ("early", "mid", "late")
CUE_KINDS = ("deadline", "effective")
HEADER_KINDS = ("published", "updated", "dateline")
GRANULARITIES = ("year", "month", "day")
UNITS = ("day", "week", "month", "year")
DIRECTIONS = ("on_or_before", "before", "after")

_PART_RANK = {None: 0, "early": 1, "mid": 2, "late": 3}
_ISO_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_APOSTROPHES = "'’"


# --------------------------------------------------------------------------- values


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Ordered chronologically with the coarser date first (``2020-09`` sorts before
    ``2020-09-01``); ``order=True`` is not used because it would compare ``None``
    with ``int`` and raise on mixed granularities.
    """

    year: int
    month: int | None = None
    day: int | None = None
    part: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
        elif not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day out of range: {self.year}-{self.month:02d}-{self.day}")
        if self.part is not None:
            if self.part not in PARTS:
                raise ValueError(f"part must be one of {PARTS}, got {self.part!r}")
            if self.day is not None:
                raise ValueError("a part (early/mid/late) only refines a month or a year")

    def _key(self) -> tuple[int, int, int, int]:
        return (self.year, self.month or 0, self.day or 0, _PART_RANK[self.part])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    @property
    def granularity(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def as_term(self) -> PartialDate:
        """The date as the term of a deadline: "by the end of 2019" falls due in its last
        month, December. Other dates (a month, a day, "early 2020") are their own term."""
        if self.month is None and self.part == "late":
            return PartialDate(self.year, 12)
        return self

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def xsd(self) -> str:
        return {"year": "gYear", "month": "gYearMonth", "day": "date"}[self.granularity]

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        match = _ISO_RE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        return cls(year, month, day)

    def truncate(self, granularity: str) -> PartialDate:
        """The same date, no more precise than ``granularity`` (the part is dropped)."""
        if granularity == "year":
            return PartialDate(self.year)
        if granularity == "month" and self.month is not None:
            return PartialDate(self.year, self.month)
        return PartialDate(self.year, self.month, self.day)


@dataclass(frozen=True)
class DateMention:
    """A date found in a text.

    The span covers the cue phrase when there is one ("by 12 November"), so
    the evidence shows why the date is a deadline.
    """

    start: int
    end: int
    text: str
    value: PartialDate
    cue: str | None
    relative: bool
    rule: str = ""


@dataclass(frozen=True)
class HeaderMatch:
    """A publication-date line: its date, what kind of line it is, and what else it gave."""

    date: PartialDate
    kind: str
    author: str | None
    rest: str | None
    rule: str


# --------------------------------------------------------------------------- rule files


class RuleFileError(ValueError):
    """A rule file is malformed; the message names the file, the line and the rule."""

    def __init__(self, path: str | Path, line: int, rule_id: str, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.rule_id = rule_id
        self.problem = problem
        super().__init__(f"{self.path}:{line}: rule {rule_id!r}: {problem}")


def load_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """Parse a rule file; return the data and the raw text (to locate records)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(path, 0, "-", f"cannot read rule file: {exc.strerror}") from exc
    try:
        return tomllib.loads(raw), raw
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise RuleFileError(path, int(found.group(1)) if found else 0, "-", str(exc)) from exc


def rule_line(raw: str, rule_id: str, fallback: str | None = None) -> int:
    """1-based line of ``id = "rule_id"`` in the raw file (or of ``fallback`` text), 0 if absent."""
    found = re.search(rf"""^\s*id\s*=\s*["']{re.escape(rule_id)}["']""", raw, re.MULTILINE)
    if found is None and fallback:
        index = raw.find(fallback)
        return raw.count("\n", 0, index) + 1 if index >= 0 else 0
    if found is None:
        found = re.search(rf"^\s*\[+\s*{re.escape(rule_id)}\s*\]+", raw, re.MULTILINE)
    return raw.count("\n", 0, found.start()) + 1 if found else 0


def convert_pattern(source: str) -> str:
    """Apply the rule-file conventions: ' ?' optional space, ' ' any space, either apostrophe."""
    out = source.replace(" ?", r"\s*").replace(" ", r"\s+")
    return out.replace("'", "['’]")


def record_text(record: Mapping[str, Any]) -> str | None:
    """Text that locates a record without an id: its pattern, else its example."""
    for key in ("pattern", "example"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return None


class _Checker:
    """Strict reading of one rule file: every problem names file, line and rule."""

    def __init__(self, path: Path, raw: str) -> None:
        self.path = path
        self.raw = raw

    def fail(self, record: Mapping[str, Any] | None, rule_id: str, problem: str) -> RuleFileError:
        fallback = None
        if record is not None and "id" not in record:
            fallback = record_text(record)
        return RuleFileError(self.path, rule_line(self.raw, rule_id, fallback), rule_id, problem)

    def record_id(self, record: Any, section: str, index: int) -> str:
        if not isinstance(record, dict):
            raise RuleFileError(self.path, 0, f"{section}#{index}", "record must be a table")
        rule_id = record.get("id")
        if not isinstance(rule_id, str) or not rule_id:
            raise self.fail(record, f"<{section} #{index} without id>", "missing or empty `id`")
        return rule_id

    def keys(
        self, record: Mapping[str, Any], rule_id: str, required: set[str], allowed: set[str]
    ) -> None:
        unknown = sorted(set(record) - allowed - required)
        if unknown:
            allowed_keys = sorted(allowed | required)
            raise self.fail(record, rule_id, f"unknown key(s) {unknown}; allowed: {allowed_keys}")
        missing = sorted(required - set(record))
        if missing:
            raise self.fail(record, rule_id, f"missing key(s) {missing}")

    def string(self, record: Mapping[str, Any], key: str, rule_id: str) -> str:
        value = record[key]
        if not isinstance(value, str) or not value:
            raise self.fail(record, rule_id, f"`{key}` must be a non-empty string")
        return value

    def choice(
        self, record: Mapping[str, Any], key: str, rule_id: str, choices: Iterable[str]
    ) -> str:
        value = record[key]
        choices = tuple(choices)
        if value not in choices:
            raise self.fail(record, rule_id,
                            f"`{key}` must be one of {list(choices)}, got {value!r}")
        return str(value)

    def compile(
        self, source: str, rule_id: str, record: Mapping[str, Any] | None
    ) -> re.Pattern[str]:
        try:
            return re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(record, rule_id, f"pattern does not compile: {exc}") from exc


class _Expander:
    """Replaces ``{name}`` with the named sub-pattern, recursively."""

    _REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

    def __init__(self, named: Mapping[str, str], checker: _Checker) -> None:
        self.named = named
        self.checker = checker

    def expand(self, source: str, rule_id: str, record: Mapping[str, Any] | None,
               trail: tuple[str, ...] = ()) -> str:
        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.named:
                raise self.checker.fail(record, rule_id, f"unknown sub-pattern {{{name}}}")
            if name in trail:
                raise self.checker.fail(record, rule_id, f"sub-pattern cycle through {{{name}}}")
            return "(?:" + self.expand(self.named[name], rule_id, record, (*trail, name)) + ")"

        return self._REF.sub(sub, source)


@dataclass(frozen=True)
class DateRule:
    id: str
    type: str
    regex: re.Pattern[str]
    example: str
    expect: PartialDate | None = None
    cue: str | None = None
    scope: str = "text"
    direction: str | None = None
    unit: str | None = None
    amount: int | None = None
    sign: int = 1
    granularity: str | None = None


@dataclass(frozen=True)
class HeaderRule:
    id: str
    kind: str
    regex: re.Pattern[str]
    example: str
    expect: PartialDate | None = None


@dataclass(frozen=True)
class DateRules:
    """Everything loaded from one dates rule file."""

    path: str
    rules: tuple[DateRule, ...]
    headers: tuple[HeaderRule, ...]
    cue_before: re.Pattern[str]
    cue_start: re.Pattern[str]
    filler: re.Pattern[str]
    lexicons: Mapping[str, Mapping[str, Any]]
    example_anchor: PartialDate | None


def _lex_key(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


_LEXICON_VALUES: dict[str, Callable[[Any], bool]] = {
    "month": lambda v: isinstance(v, int) and 1 <= v <= 12,
    "weekday": lambda v: isinstance(v, int) and 0 <= v <= 6,
    "part": lambda v: v in PARTS,
    "number_word": lambda v: isinstance(v, int) and v > 0,
    "unit": lambda v: v in UNITS,
}

_TOP_KEYS = {"meta", "patterns", "lexicon", "normalize", "cue", "rule", "header"}
_RULE_KEYS = {
    "date": {"scope", "cue", "expect"},
    "weekday": {"direction", "scope", "cue", "expect"},
    "shift": {"unit", "amount", "sign", "granularity", "scope", "cue", "expect"},
}
_RULE_GROUPS = {"date": {"year", "month", "day", "part", "sep"}, "weekday": {"weekday"},
                "shift": {"n", "unit"}}


def load_rules(path: str | Path | None = None) -> DateRules:
    """Load and check a dates rule file (default: the packaged French one)."""
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    data, raw = load_toml(path)
    check = _Checker(path, raw)

    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise RuleFileError(path, rule_line(raw, unknown[0]), unknown[0],
                            f"unknown section; allowed: {sorted(_TOP_KEYS)}")

    meta = data.get("meta", {})
    check.keys(meta, "meta", set(), {"language", "description", "example_anchor"})
    example_anchor = None
    if "example_anchor" in meta:
        try:
            example_anchor = PartialDate.from_iso(str(meta["example_anchor"]))
        except ValueError as exc:
            raise check.fail(meta, "meta", str(exc)) from exc

    lexicons: dict[str, dict[str, Any]] = {}
    named: dict[str, str] = {}
    for name, table in data.get("lexicon", {}).items():
        if name not in _LEXICON_VALUES:
            raise check.fail(None, f"lexicon.{name}",
                             f"unknown lexicon; known: {sorted(_LEXICON_VALUES)}")
        entries: dict[str, Any] = {}
        for word, value in table.items():
            if not _LEXICON_VALUES[name](value):
                raise check.fail(None, f"lexicon.{name}", f"bad value {value!r} for {word!r}")
            entries[_lex_key(word)] = value
        lexicons[name] = entries
        # longest spelling first so a full month name wins over its abbreviation
        words = sorted(entries, key=lambda w: (-len(w), w))
        named[name] = "|".join(
            r"\s+".join(re.escape(part).replace("'", "['’]") for part in word.split())
            for word in words
        )
    for name, source in data.get("patterns", {}).items():
        if name in named:
            raise check.fail(None, name, "sub-pattern name already used by a lexicon")
        if not isinstance(source, str):
            raise check.fail(None, name, "sub-pattern must be a string")
        named[name] = convert_pattern(source)
    expander = _Expander(named, check)
    for name in named:
        check.compile(expander.expand(named[name], name, None), name, None)

    normalize_table = data.get("normalize", {})
    check.keys(normalize_table, "normalize", {"filler"}, set())
    filler_src = expander.expand(convert_pattern(normalize_table["filler"]), "normalize", None)
    filler = check.compile(rf"(?:\s|{filler_src})*", "normalize", None)

    cue_parts: dict[str, list[str]] = {kind: [] for kind in CUE_KINDS}
    seen: set[str] = set()
    for index, record in enumerate(data.get("cue", [])):
        rule_id = check.record_id(record, "cue", index)
        check.keys(record, rule_id, {"id", "kind", "pattern", "example"}, set())
        _unique(check, seen, record, rule_id)
        kind = check.choice(record, "kind", rule_id, CUE_KINDS)
        source = expander.expand(convert_pattern(check.string(record, "pattern", rule_id)),
                                 rule_id, record)
        regex = check.compile(source, rule_id, record)
        if not regex.match(check.string(record, "example", rule_id)):
            raise check.fail(record, rule_id, "the pattern does not open its own example")
        cue_parts[kind].append(source)
    cue_alt = "|".join(
        f"(?P<{kind}>{'|'.join(parts)})" for kind, parts in cue_parts.items() if parts
    ) or r"(?!x)x"
    # a cue ends on a space or on an elided article's apostrophe, never mid-word
    cue_end = r"(?:\s+|(?<=['’]))"
    cue_before = re.compile(rf"(?<![\w'’-])(?:{cue_alt}){cue_end}$", re.IGNORECASE)
    cue_start = re.compile(rf"(?:{cue_alt}){cue_end}", re.IGNORECASE)

    rules: list[DateRule] = []
    for index, record in enumerate(data.get("rule", [])):
        rule_id = check.record_id(record, "rule", index)
        _unique(check, seen, record, rule_id)
        if "type" not in record:
            raise check.fail(record, rule_id, "missing key(s) ['type']")
        rtype = check.choice(record, "type", rule_id, _RULE_KEYS)
        check.keys(record, rule_id, {"id", "type", "pattern", "example"}, _RULE_KEYS[rtype])
        rules.append(_date_rule(check, expander, record, rule_id, rtype))

    headers: list[HeaderRule] = []
    for index, record in enumerate(data.get("header", [])):
        rule_id = check.record_id(record, "header", index)
        _unique(check, seen, record, rule_id)
        check.keys(record, rule_id, {"id", "kind", "pattern", "example"}, {"expect"})
        kind = check.choice(record, "kind", rule_id, HEADER_KINDS)
        source = expander.expand(convert_pattern(check.string(record, "pattern", rule_id)),
                                 rule_id, record)
        regex = check.compile(source, rule_id, record)
        if "date" not in regex.groupindex:
            raise check.fail(record, rule_id, "a header pattern needs a (?P<date>...) group")
        extra = set(regex.groupindex) - {"date", "author", "rest"}
        if extra:
            raise check.fail(record, rule_id, f"unknown group(s) {sorted(extra)}")
        headers.append(HeaderRule(rule_id, kind, regex, check.string(record, "example", rule_id),
                                  _expect(check, record, rule_id)))

    return DateRules(str(path), tuple(rules), tuple(headers), cue_before, cue_start, filler,
                     lexicons, example_anchor)


def _unique(check: _Checker, seen: set[str], record: Mapping[str, Any], rule_id: str) -> None:
    if rule_id in seen:
        raise check.fail(record, rule_id, "duplicate rule id")
    seen.add(rule_id)


def _expect(check: _Checker, record: Mapping[str, Any], rule_id: str) -> PartialDate | None:
    if "expect" not in record:
        return None
    # "2020-08 mid": an ISO value, then the part when the rule gives one
    iso, _, part = str(record["expect"]).partition(" ")
    try:
        value = PartialDate.from_iso(iso)
        return PartialDate(value.year, value.month, value.day, part.strip() or None)
    except ValueError as exc:
        raise check.fail(record, rule_id, f"`expect`: {exc}") from exc


def _date_rule(check: _Checker, expander: _Expander, record: Mapping[str, Any], rule_id: str,
               rtype: str) -> DateRule:
    pattern = check.string(record, "pattern", rule_id)
    source = expander.expand(convert_pattern(pattern), rule_id, record)
    # word boundaries here so no rule can match inside a word
    regex = check.compile(rf"(?<!\w)(?:{source})(?!\w)", rule_id, record)
    groups = set(regex.groupindex)
    extra = groups - _RULE_GROUPS[rtype]
    if extra:
        raise check.fail(record, rule_id, f"unknown group(s) {sorted(extra)} for type {rtype!r}")
    fields: dict[str, Any] = {}
    if "cue" in record:
        fields["cue"] = check.choice(record, "cue", rule_id, CUE_KINDS)
    if "scope" in record:
        fields["scope"] = check.choice(record, "scope", rule_id, ("text", "header"))
    if rtype == "date" and not groups & {"year", "month"}:
        raise check.fail(record, rule_id, "a date pattern needs a year or month group")
    if rtype == "weekday":
        if "weekday" not in groups:
            raise check.fail(record, rule_id, "a weekday pattern needs a (?P<weekday>...) group")
        if "direction" not in record:
            raise check.fail(record, rule_id, "missing key(s) ['direction']")
        fields["direction"] = check.choice(record, "direction", rule_id, DIRECTIONS)
    if rtype == "shift":
        if "unit" in record:
            fields["unit"] = check.choice(record, "unit", rule_id, UNITS)
        elif "unit" not in groups:
            raise check.fail(record, rule_id, "a shift needs `unit` or a (?P<unit>...) group")
        if "amount" in record:
            if not isinstance(record["amount"], int) or isinstance(record["amount"], bool):
                raise check.fail(record, rule_id, "`amount` must be an integer")
            fields["amount"] = record["amount"]
        elif "n" not in groups:
            raise check.fail(record, rule_id, "a shift needs `amount` or a (?P<n>...) group")
        if "sign" in record:
            if record["sign"] not in (1, -1):
                raise check.fail(record, rule_id, "`sign` must be 1 or -1")
            fields["sign"] = record["sign"]
        if "granularity" in record:
            fields["granularity"] = check.choice(record, "granularity", rule_id, GRANULARITIES)
    example = check.string(record, "example", rule_id)
    return DateRule(rule_id, rtype, regex, example, _expect(check, record, rule_id), **fields)


@functools.cache
def default_rules() -> DateRules:
    return load_rules(DEFAULT_RULES_PATH)


# --------------------------------------------------------------------------- resolution


def _lookup(rules: DateRules, lexicon: str, text: str) -> Any:
    return rules.lexicons.get(lexicon, {}).get(_lex_key(text))


def _as_date(value: PartialDate) -> dt.date:
    assert value.month is not None and value.day is not None
    return dt.date(value.year, value.month, value.day)


def _shift(anchor: PartialDate, unit: str, amount: int, granularity: str) -> PartialDate | None:
    if amount == 0:
        return anchor.truncate(granularity)
    if unit in ("day", "week"):
        if anchor.day is None:
            return None  # moving by days from a month would invent a day
        moved = _as_date(anchor) + dt.timedelta(days=amount * (7 if unit == "week" else 1))
        return PartialDate(moved.year, moved.month, moved.day).truncate(granularity)
    if unit == "month":
        if anchor.month is None:
            return None
        index = anchor.year * 12 + anchor.month - 1 + amount
        return PartialDate(index // 12, index % 12 + 1).truncate(granularity)
    return PartialDate(anchor.year + amount)


def _resolve(rule: DateRule, match: re.Match[str], anchor: PartialDate | None,
             rules: DateRules) -> tuple[PartialDate, bool] | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    try:
        if rule.type == "date":
            return _resolve_date(groups, anchor, rules)
        if anchor is None:
            return None
        if rule.type == "weekday":
            weekday = _lookup(rules, "weekday", groups["weekday"])
            if weekday is None or anchor.day is None:
                return None  # a month-only anchor cannot tell which Monday
            base = _as_date(anchor)
            if rule.direction == "after":
                day = base + dt.timedelta(days=(weekday - base.weekday()) % 7 or 7)
            else:
                back = (base.weekday() - weekday) % 7
                if rule.direction == "before" and back == 0:
                    back = 7
                day = base - dt.timedelta(days=back)
            return PartialDate(day.year, day.month, day.day), True
        unit = rule.unit or _lookup(rules, "unit", groups.get("unit", ""))
        if unit is None:
            return None
        if rule.amount is not None:
            amount = rule.amount
        else:
            number = groups["n"]
            amount = int(number) if number.isdigit() else _lookup(rules, "number_word", number)
            if amount is None:
                return None
        natural = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
        granularity = rule.granularity or natural
        if GRANULARITIES.index(granularity) > GRANULARITIES.index(natural):
            granularity = natural
        value = _shift(anchor, unit, rule.sign * amount, granularity)
        return (value, True) if value is not None else None
    except (ValueError, OverflowError):
        return None  # a 31st of September, a shift out of the calendar: not a date


def _resolve_date(groups: Mapping[str, str], anchor: PartialDate | None,
                  rules: DateRules) -> tuple[PartialDate, bool] | None:
    relative = False
    if "year" in groups:
        year = int(groups["year"])
    elif anchor is not None:
        year, relative = anchor.year, True
    else:
        return None
    month = None
    if "month" in groups:
        text = groups["month"]
        month = int(text) if text.isdigit() else _lookup(rules, "month", text)
        if month is None:
            return None
    day = int(groups["day"]) if "day" in groups else None
    part = _lookup(rules, "part", groups["part"]) if "part" in groups else None
    return PartialDate(year, month, day, part), relative


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    order: int
    rule: DateRule
    match: re.Match[str]


def _find(text: str, anchor: PartialDate | None, rules: DateRules,
          scopes: tuple[str, ...]) -> list[DateMention]:
    candidates = [
        _Candidate(m.start(), m.end(), order, rule, m)
        for order, rule in enumerate(rules.rules)
        if rule.scope in scopes
        for m in rule.regex.finditer(text)
        if m.end() > m.start()
    ]
    candidates.sort(key=lambda c: (c.start - c.end, c.start, c.order))
    chosen: list[tuple[_Candidate, PartialDate, bool]] = []
    for cand in candidates:
        if any(cand.start < other.end and other.start < cand.end for other, _, _ in chosen):
            continue
        resolved = _resolve(cand.rule, cand.match, anchor, rules)
        if resolved is not None:
            chosen.append((cand, *resolved))
    chosen.sort(key=lambda item: item[0].start)

    mentions: list[DateMention] = []
    previous_end = 0
    for cand, value, relative in chosen:
        start, cue = cand.start, cand.rule.cue
        opening = rules.cue_start.match(text, cand.start, cand.end)
        if opening is not None:
            cue = cue or opening.lastgroup
        else:
            before = rules.cue_before.search(text, max(previous_end, cand.start - 80), cand.start)
            if before is not None:
                start, cue = before.start(), cue or before.lastgroup
        if cue == "deadline" and cand.rule.type == "weekday" and cand.rule.direction == "on_or_before":
            value = _coming_weekday(cand.match, anchor, rules) or value
        mentions.append(DateMention(start, cand.end, text[start:cand.end], value, cue, relative,
                                    cand.rule.id))
        previous_end = cand.end
    return mentions


def _coming_weekday(match: re.Match[str], anchor: PartialDate | None, rules: DateRules) -> PartialDate | None:
    """"d'ici vendredi", "jusqu'à lundi": a bare weekday that ends a term is still to come
    (that day, or the next one of its name), where alone it is the latest past one."""
    weekday = _lookup(rules, "weekday", match.group("weekday"))
    if weekday is None or anchor is None or anchor.day is None:
        return None
    base = _as_date(anchor)
    day = base + dt.timedelta(days=(weekday - base.weekday()) % 7)
    return PartialDate(day.year, day.month, day.day)


def find_dates(text: str, *, anchor: PartialDate | None,
               rules: DateRules | None = None) -> list[DateMention]:
    """Every date in ``text``: non-overlapping, sorted, longest match wins."""
    return _find(text, anchor, rules or default_rules(), ("text",))


def normalize(expression: str, *, anchor: PartialDate | None,
              rules: DateRules | None = None) -> PartialDate | None:
    """The date an expression denotes, or None; words around it must be mere filler."""
    rules = rules or default_rules()
    mentions = _find(expression, anchor, rules, ("text", "header"))
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    rest = expression[: mention.start] + " " + expression[mention.end :]
    return mention.value if rules.filler.fullmatch(rest) else None


def match_date_header(line: str, *, at_top: bool = True,
                      rules: DateRules | None = None) -> HeaderMatch | None:
    """Read a publication-date line ("published on ... by ...", a dateline, a date prefix).

    Rules with a ``rest`` group (article text after the date on the same line) only
    apply when ``at_top`` is true (the page's first lines, where a dateline stands):
    anywhere else such a line is article text.
    """
    rules = rules or default_rules()
    stripped = line.strip()
    for header in rules.headers:
        if not at_top and "rest" in header.regex.groupindex:
            continue
        match = header.regex.fullmatch(stripped)
        if match is None:
            continue
        date_text = match.group("date")
        mentions = _find(date_text, None, rules, ("text", "header"))
        if len(mentions) != 1 or mentions[0].relative:
            continue
        if mentions[0].start != 0 or mentions[0].end != len(date_text):
            continue
        groups = match.groupdict()
        author = (groups.get("author") or "").strip() or None
        rest = groups.get("rest")
        return HeaderMatch(mentions[0].value, header.kind, author,
                           rest.strip() if rest is not None else None, header.id)
    return None


def parse_date_header(line: str) -> PartialDate | None:
    """The date of a publication-date line, or None when the line is not one."""
    found = match_date_header(line, at_top=True)
    return found.date if found else None
