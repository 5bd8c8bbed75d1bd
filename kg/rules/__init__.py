"""Rules kept as data: the loader.

French language data lives in ``kg/rules/fr/`` (TOML files); this module reads
and validates it into plain dataclasses. The loader is strict: an unknown key,
an unknown lexicon, a slot the relation does not have or a malformed locator
raises :class:`RuleError` naming the file, the line and the rule id, at load
time rather than half-way through a corpus.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

FRENCH = Path(__file__).parent / "fr"

ACTOR_TYPES = ("Organization", "Person", "Government", "Media")

#: The slots each relation accepts; a rule naming another slot is rejected.
RELATION_SLOTS: dict[str, tuple[str, ...]] = {
    "bid": ("bidder", "target", "seller", "rejected_by"),
    "regulation": ("regulator", "deal"),
    "deadline": ("imposed_by",),
    "partnership": ("partner", "other"),
    "stake": ("holder", "in"),
    "ownership": ("owner", "owned"),
    "role": ("person", "org"),
    "lawsuit": ("plaintiff", "defendant"),
    # sets the status of the bids it is said of; "actor": who takes the step (who gives up);
    # "preferred": the one bidder chosen over the others, whose bids the step is said of
    "status": ("rejected_by", "actor", "preferred"),
}
#: The lexicons the engine's code reads (not only its rules): a language folder must declare
#: every one of them in lexicons.toml, or loading it fails naming the missing ones.
CODE_LEXICONS = (
    "authority_name_heads", "awaiting_words", "bid_nouns", "bid_verbs", "board_nouns",
    "company_name_words", "conditional_endings", "consortium_nouns", "contracted_determiners",
    "count_units", "court_words", "currency_units", "deal_nouns", "decree_nouns", "denying_reflexive_verbs",
    "determiners", "disjunctions",
    "document_words", "exchange_words", "executive_titles", "fixed_expressions", "forgoing_verbs",
    "furniture_words", "future_endings",
    "generic_government_nouns", "generic_nouns", "generic_nouns_capitalised", "government_roles", "hq_markers",
    "hypothetical_marks",
    "institution_domains",
    "institution_heads", "institution_names", "institution_prepositions", "institution_qualifiers",
    "institution_seats",
    "index_names", "intent_verbs", "leader_titles", "legal_suffixes", "list_connectors", "list_fillers",
    "locative_prepositions", "merger_nouns", "name_number_endings", "negating_verbs", "negation_words",
    "negotiation_nouns", "ner_stopwords", "object_control_verbs", "object_relatives", "obligation_verbs",
    "offer_verbs", "opposing_prepositions",
    "owned_nouns", "owner_nouns", "part_nouns", "person_refer_nouns", "person_titles",
    "personal_pronouns", "petition_nouns", "plan_verbs", "portfolio_words", "possessive_determiners", "prepositions",
    "privative_marks", "product_nouns",
    "provisional_words", "purpose_marks",
    "refer_nouns", "reject_verbs", "rumour_nouns",
    "reporting_cues", "role_nouns", "sale_nouns", "scale_words", "sell_verbs", "shared_titles",
    "shareholder_nouns", "stake_nouns",
    "ticker_exchanges", "town_prepositions",
)
STATUSES = ("announced", "pending", "rejected", "withdrawn", "blocked", "approved", "completed")
ACTIONS = ("review", "approval", "prohibition", "order", "conditions")
NEGATION_POLICIES = ("forbid", "require", "any")
DATE_CUES = ("deadline", "effective", "none")

# A locator step: a word, optionally ":argument", optionally "{constraint}".
# Steps are chained with ">"; alternatives are separated by "|".
_STEP = re.compile(r"^(?P<name>_?[a-z_]+)(?::(?P<arg>[^{}\s]+))?(?:\{(?P<constraint>[^{}]+)\})?$")


@dataclass(frozen=True)
class Locator:
    """One step of the locator language: what it finds, whether it takes an argument
    (``prep:de``) and which constraints (``{company}``, ``{@bid_nouns}``) it accepts."""

    name: str
    finds: str
    argument: str = "none"  # "none", "required" or "optional"
    actor_constraints: bool = True  # {gov}, {person}, {media}, {org}, {company}
    lexicon_constraints: bool = True  # {@lexicon}: the word found must be in it
    positional: bool = False  # finds actors by where they stand, not by the parse
    arguments: tuple[str, ...] = ()  # the only arguments it takes, when they are few


#: What a ``{constraint}`` on an actor means is decided in the engine (``Engine._fits``).
ACTOR_CONSTRAINTS = ("company", "firm", "gov", "media", "org", "person")

#: The locator language, declared once: the loader validates every rule against it.
LOCATORS: dict[str, Locator] = {locator.name: locator for locator in (
    Locator("subj", "the verb's subject, or the subject it shares with the verb it hangs on"),
    Locator("obj", "the direct object (or the patient of a passive)"),
    Locator("iobj", "the indirect object"),
    Locator("agent", "the 'par' phrase of a passive"),
    Locator("head", "the word this one depends on (the noun a relative clause is about)"),
    Locator("poss", "the owner a possessive determiner stands for"),
    Locator("appos", "the phrase in apposition"),
    Locator("prep", "the nearest dependent introduced by the preposition", argument="required"),
    Locator("right", "the nearest actor after (after the preposition, with one)",
            argument="optional", positional=True),
    Locator("left", "the nearest actor before", argument="optional", positional=True),
    Locator("gov", "an authority named in the sentence", positional=True),
    Locator("prevgov", "an authority named in the two sentences before", positional=True),
    Locator("decree", "an actor named in the sentence's decree or order phrase", positional=True),
    Locator("verb", "the verb this word depends on"),
    Locator("sent", "any actor of the sentence no other verb acts on", positional=True),
    Locator("self", "the trigger itself"),
    Locator("xcomp", "the verb or clause this verb governs"),
    Locator("acl", "the participle clause that qualifies this noun ('an offer aimed at X')"),
    Locator("next", "the nearest word after that is in the lexicon", actor_constraints=False),
    Locator("prev", "the nearest word before that is in the lexicon", actor_constraints=False),
    Locator("near", "an adjacent actor, no verb between", positional=True),
    Locator("inner", "the first actor named inside this phrase"),
    Locator("conj", "the word coordinated with this one ('X et Y': Y)"),
    Locator("refl", "the reflexive pronoun of a pronominal verb", actor_constraints=False),
    Locator("antecedent", "the noun an object pronoun stands for (nearest agreeing noun before its clause)",
            actor_constraints=False),
    Locator("filer", "who filed the offer this noun names, read from the words after it: the 'par' "
            "phrase of an offer verb's participle, or the subject of a relative clause on an offer verb, "
            "before or after that verb", positional=True),
    Locator("pair", "the first (1) or second (2) of two names joined by a hyphen just after the word",
            argument="required", arguments=("1", "2")),
)}
_RULE_KEYS = {"id", "relation", "trigger", "pos", "negation", "status", "action", "slots",
              "examples", "cues", "governor", "comment", "role"}


class RuleError(ValueError):
    """A rule file is malformed; the message names file, line and rule."""

    def __init__(self, path: Path, line: int | None, rule_id: str | None, message: str):
        self.path, self.line, self.rule_id = path, line, rule_id
        where = f"{path}:{line}" if line else str(path)
        who = f" rule {rule_id!r}:" if rule_id else ""
        super().__init__(f"{where}:{who} {message}")


@dataclass(frozen=True)
class Step:
    name: str  # a locator from LOCATORS or a previously located "_slot"
    arg: str | None = None
    constraint: str | None = None


@dataclass(frozen=True)
class SlotSpec:
    name: str
    alternatives: tuple[tuple[Step, ...], ...]
    multi: bool = False
    optional: bool = False
    copy_of: str | None = None


@dataclass(frozen=True)
class Example:
    text: str
    expect: dict[str, str]


@dataclass(frozen=True)
class Rule:
    id: str
    relation: str
    trigger: tuple[str, ...]  # lexicon refs "@name" or words, or ("date",)
    pos: tuple[str, ...]
    negation: str
    slots: tuple[SlotSpec, ...]
    status: str | None
    action: str | None
    role: str | None
    cues: tuple[str, ...]
    governor: str | None
    examples: tuple[Example, ...]
    source: str
    line: int


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    refer_nouns: tuple[str, ...] = ()
    nationality: str | None = None
    hq: str | None = None
    acts_for: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class Place:
    name: str
    forms: tuple[str, ...]
    adjectives: tuple[str, ...]
    iso: str | None = None  # ISO 3166-1 alpha-2 country code


@dataclass(frozen=True)
class Rulebook:
    """Everything the engine needs, loaded from one language folder."""

    gazetteer: tuple[GazetteerEntry, ...]
    default_refer_nouns: dict[str, tuple[str, ...]]
    places: tuple[Place, ...]
    lexicons: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]
    patterns: dict[str, str] = field(default_factory=dict)

    def words(self, ref: str) -> tuple[str, ...]:
        """The words of ``@lexicon`` or of a literal word."""
        return self.lexicons[ref[1:]] if ref.startswith("@") else (ref,)


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:  # its message carries line and column
        raise RuleError(path, None, None, f"invalid TOML: {exc}") from exc


def _strings(value: Any, path: Path, line: int | None, rule_id: str | None, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(path, line, rule_id, f"{key!r} must be a string or a list of strings")


def load_lexicons(path: Path) -> dict[str, tuple[str, ...]]:
    data, text = _read_toml(path)
    lexicons: dict[str, tuple[str, ...]] = {}
    for name, table in data.items():
        line = _line_of(text, f"[{name}]")
        if not isinstance(table, dict) or set(table) != {"words"}:
            raise RuleError(path, line, name, "a lexicon is a table with exactly one key, 'words'")
        lexicons[name] = tuple(w.lower() for w in _strings(table["words"], path, line, name, "words"))
    return lexicons


def load_places(path: Path) -> tuple[Place, ...]:
    data, text = _read_toml(path)
    places = []
    for record in data.get("place", []):
        name = record.get("name")
        line = _line_of(text, f'name = "{name}"')
        unknown = set(record) - {"name", "forms", "adjectives", "iso"}
        if not name or unknown:
            raise RuleError(path, line, name, f"bad place record (unknown keys: {sorted(unknown)})")
        iso = record.get("iso")
        if iso is not None and not (isinstance(iso, str) and len(iso) == 2 and iso.isupper()):
            raise RuleError(path, line, name, f"iso must be a two-letter country code, not {iso!r}")
        places.append(Place(name, _strings(record.get("forms", []), path, line, name, "forms"),
                            _strings(record.get("adjectives", []), path, line, name, "adjectives"), iso))
    return tuple(places)


_GAZETTEER_KEYS = {f for f in GazetteerEntry.__dataclass_fields__}


def load_gazetteer(path: Path) -> tuple[tuple[GazetteerEntry, ...], dict[str, tuple[str, ...]]]:
    data, text = _read_toml(path)
    defaults = {k: tuple(v) for k, v in data.get("defaults", {}).items()}
    entries, seen = [], set()
    for record in data.get("actor", []):
        name = record.get("name")
        line = _line_of(text, f'name = "{name}"')
        unknown = set(record) - _GAZETTEER_KEYS
        if not isinstance(name, str) or not name:
            raise RuleError(path, line, None, "an actor needs a 'name'")
        if unknown:
            raise RuleError(path, line, name, f"unknown keys {sorted(unknown)}")
        if record.get("type") not in ACTOR_TYPES:
            raise RuleError(path, line, name, f"type must be one of {ACTOR_TYPES}")
        if name in seen:
            raise RuleError(path, line, name, "the same actor is listed twice")
        seen.add(name)
        values = {
            key: _strings(value, path, line, name, key) if isinstance(value, list) else value
            for key, value in record.items()
        }
        entries.append(GazetteerEntry(**values))
    return tuple(entries), defaults


def _parse_slot(name: str, spec: str, path: Path, line: int | None, rule_id: str,
                known: set[str]) -> SlotSpec:
    spec = spec.strip()
    multi = optional = False
    while spec and spec[-1] in "+?":
        multi |= spec[-1] == "+"
        optional |= spec[-1] == "?"
        spec = spec[:-1].strip()
    if spec.startswith("="):
        source = spec[1:].strip()
        if source not in known:
            raise RuleError(path, line, rule_id, f"slot {name!r} copies unknown slot {source!r}")
        return SlotSpec(name, (), multi, optional, copy_of=source)
    alternatives = []
    for alternative in spec.split("|"):
        steps = []
        for raw in alternative.strip().split(">"):
            match = _STEP.match(raw.strip())
            if not match:
                raise RuleError(path, line, rule_id, f"slot {name!r}: cannot read locator {raw.strip()!r}")
            step = Step(match["name"], match["arg"], match["constraint"])
            if step.name.startswith("_"):
                if step.name not in known:
                    raise RuleError(path, line, rule_id, f"slot {name!r} refers to {step.name!r} before it is located")
                if step.arg:
                    raise RuleError(path, line, rule_id, f"slot {name!r}: {step.name!r} takes no argument")
            elif step.name not in LOCATORS:
                raise RuleError(path, line, rule_id,
                                f"slot {name!r}: unknown locator {step.name!r} (known: {sorted(LOCATORS)})")
            else:
                _check_step(LOCATORS[step.name], step, f"slot {name!r}", path, line, rule_id)
            if step.name.startswith("_") and step.constraint and not step.constraint.startswith("@") \
                    and step.constraint not in ACTOR_CONSTRAINTS:
                raise RuleError(path, line, rule_id, f"slot {name!r}: unknown constraint {{{step.constraint}}} "
                                                     f"(known: {', '.join(ACTOR_CONSTRAINTS)} or @lexicon)")
            steps.append(step)
        alternatives.append(tuple(steps))
    return SlotSpec(name, tuple(alternatives), multi, optional)


def _check_step(locator: Locator, step: Step, where: str, path: Path, line: int | None, rule_id: str) -> None:
    """A locator step against the locator's declaration: its argument and its constraint."""
    if locator.argument == "required" and not step.arg:
        raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} needs an argument ('{locator.name}:de')")
    if locator.argument == "none" and step.arg:
        raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} takes no argument (got {step.arg!r})")
    if locator.arguments and step.arg not in locator.arguments:
        raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} takes {' or '.join(locator.arguments)} "
                                             f"(got {step.arg!r})")
    constraint = step.constraint
    if constraint is None:
        return
    if constraint.startswith(("@", "!@")):
        if not locator.lexicon_constraints:
            raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} takes no lexicon constraint")
        if constraint.startswith("!") and locator.name in ("next", "prev"):
            raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} scans for a word of a lexicon: "
                                                 f"{{{constraint}}} cannot say which one")
        return
    if constraint not in ACTOR_CONSTRAINTS:
        raise RuleError(path, line, rule_id, f"{where}: unknown constraint {{{constraint}}} "
                                             f"(known: {', '.join(ACTOR_CONSTRAINTS)} or @lexicon)")
    if not locator.actor_constraints:
        raise RuleError(path, line, rule_id, f"{where}: {locator.name!r} finds a word, not an actor: "
                                             f"{{{constraint}}} does not apply (use a lexicon)")


def _check_ref(ref: str, lexicons: dict[str, tuple[str, ...]], path: Path, line: int | None, rule_id: str) -> None:
    if ref.startswith("@") and ref[1:] not in lexicons:
        raise RuleError(path, line, rule_id, f"unknown lexicon {ref!r}")


def load_rules(path: Path, lexicons: dict[str, tuple[str, ...]]) -> tuple[Rule, ...]:
    data, text = _read_toml(path)
    rules, seen = [], set()
    for record in data.get("rule", []):
        rule_id = record.get("id")
        line = _line_of(text, f'id = "{rule_id}"')
        if not isinstance(rule_id, str) or not rule_id:
            raise RuleError(path, None, None, "every rule needs an 'id'")
        if rule_id in seen:
            raise RuleError(path, line, rule_id, "duplicate rule id")
        seen.add(rule_id)
        rules.append(_rule(record, path, line, lexicons))
    return tuple(rules)


_FRAME_KEYS = {"relation", "pos", "status", "slots", "lexicon", "comment"}
_WORD_KEYS = {"word", "frame", "examples"}
#: examples a word must bring to its frame: two sentences on different deals
MIN_WORD_EXAMPLES = 2


def load_frames(path: Path, lexicons: dict[str, tuple[str, ...]]) -> tuple[Rule, ...]:
    """The frame lexicon: each ``[frame.NAME]`` is one argument structure (a rule without
    trigger), each ``[[word]]`` puts a deal word under one frame with its own examples.

    A frame that names a ``lexicon`` takes that lexicon's words too, and its entries' words
    join the lexicon, so the rules that refer to it see every word of the frame. ``lexicons``
    is updated in place."""
    data, text = _read_toml(path)
    unknown = set(data) - {"frame", "word"}
    if unknown:
        raise RuleError(path, None, None, f"unknown tables {sorted(unknown)} (frames.toml has 'frame' and 'word')")
    frames: dict[str, dict[str, Any]] = data.get("frame", {})
    words: dict[str, list[str]] = {name: [] for name in frames}
    examples: dict[str, list[dict[str, Any]]] = {name: [] for name in frames}
    for entry in data.get("word", []):
        word = entry.get("word")
        line = _line_of(text, f'word = "{word}"')
        if not isinstance(word, str) or not word:
            raise RuleError(path, line, None, "every [[word]] needs a 'word'")
        if set(entry) - _WORD_KEYS:
            raise RuleError(path, line, word, f"unknown keys {sorted(set(entry) - _WORD_KEYS)}")
        if entry.get("frame") not in frames:
            raise RuleError(path, line, word, f"frame must be one of {sorted(frames)}")
        if len(entry.get("examples", [])) < MIN_WORD_EXAMPLES:
            raise RuleError(path, line, word, f"a word brings at least {MIN_WORD_EXAMPLES} examples "
                                              "on different deals")
        words[entry["frame"]].append(word.lower())
        examples[entry["frame"]].extend(entry["examples"])
    rules = []
    for name, frame in frames.items():
        line = _line_of(text, f"[frame.{name}]")
        if set(frame) - _FRAME_KEYS:
            raise RuleError(path, line, f"frame.{name}", f"unknown keys {sorted(set(frame) - _FRAME_KEYS)}")
        trigger = list(words[name])
        shared = frame.get("lexicon")
        if shared is not None:
            if shared not in lexicons:
                raise RuleError(path, line, f"frame.{name}", f"unknown lexicon {shared!r}")
            lexicons[shared] = (*lexicons[shared], *(w for w in words[name] if w not in lexicons[shared]))
            trigger = [f"@{shared}"]
        if not trigger:
            raise RuleError(path, line, f"frame.{name}", "a frame without words")
        record = {"relation": frame.get("relation"), "trigger": trigger, "pos": frame.get("pos", []),
                  "slots": frame.get("slots", {}), "examples": examples[name]}
        if "status" in frame:
            record["status"] = frame["status"]
        rules.append(_rule(record, path, line, lexicons, rule_id=f"frame.{name}"))
    return tuple(rules)


def _rule(record: dict[str, Any], path: Path, line: int | None, lexicons: dict[str, tuple[str, ...]],
          *, rule_id: str | None = None) -> Rule:
    """One validated rule (from rules.toml, or compiled from a frame)."""
    rule_id = rule_id or record["id"]
    unknown = set(record) - _RULE_KEYS
    if unknown:
        raise RuleError(path, line, rule_id, f"unknown keys {sorted(unknown)}")
    relation = record.get("relation")
    if relation not in RELATION_SLOTS:
        raise RuleError(path, line, rule_id, f"relation must be one of {sorted(RELATION_SLOTS)}")
    trigger = _strings(record.get("trigger", []), path, line, rule_id, "trigger")
    if not trigger:
        raise RuleError(path, line, rule_id, "a rule needs a 'trigger'")
    for ref in trigger:
        _check_ref(ref, lexicons, path, line, rule_id)
    negation = record.get("negation", "forbid")
    if negation not in NEGATION_POLICIES:
        raise RuleError(path, line, rule_id, f"negation must be one of {NEGATION_POLICIES}")
    status = record.get("status")
    if status is not None and status not in STATUSES:
        raise RuleError(path, line, rule_id, f"status must be one of {STATUSES}")
    action = record.get("action")
    if relation == "regulation" and action not in ACTIONS:
        raise RuleError(path, line, rule_id, f"a regulation rule needs an action among {ACTIONS}")
    cues = _strings(record.get("cues", []), path, line, rule_id, "cues")
    if any(c not in DATE_CUES for c in cues):
        raise RuleError(path, line, rule_id, f"cues must be among {DATE_CUES}")
    governor = record.get("governor")
    if governor:
        _check_ref(governor, lexicons, path, line, rule_id)
    slots: list[SlotSpec] = []
    known: set[str] = set()
    for name, spec in record.get("slots", {}).items():
        if not name.startswith("_") and name not in RELATION_SLOTS[relation]:
            raise RuleError(path, line, rule_id,
                            f"relation {relation!r} has no slot {name!r} (it has {RELATION_SLOTS[relation]})")
        slot = _parse_slot(name, spec, path, line, rule_id, known)
        for alternative in slot.alternatives:
            for step in alternative:
                if step.constraint and step.constraint.startswith(("@", "!@")):
                    _check_ref(step.constraint.lstrip("!"), lexicons, path, line, rule_id)
        slots.append(slot)
        known.add(name)
    examples = []
    for example in record.get("examples", []):
        if set(example) - {"text", "expect"} or not isinstance(example.get("text"), str):
            raise RuleError(path, line, rule_id, "an example has 'text' and 'expect' only")
        examples.append(Example(example["text"], dict(example.get("expect", {}))))
    if not examples:
        raise RuleError(path, line, rule_id, "every rule carries at least one French example")
    return Rule(rule_id, relation, trigger, tuple(record.get("pos", ())), negation,
                tuple(slots), status, action, record.get("role"), cues, governor,
                tuple(examples), str(path), line or 0)


def load_rulebook(folder: Path = FRENCH) -> Rulebook:
    """Load gazetteer, places, lexicons and every ``rules*.toml`` of a language folder."""
    lexicons = load_lexicons(folder / "lexicons.toml")
    missing = [name for name in CODE_LEXICONS if name not in lexicons]
    if missing:
        raise RuleError(folder / "lexicons.toml", None, None,
                        f"lexicons the engine needs are missing: {', '.join(missing)}")
    gazetteer, defaults = load_gazetteer(folder / "gazetteer.toml")
    rules: list[Rule] = list(load_frames(folder / "frames.toml", lexicons)) if (folder / "frames.toml").exists() else []
    for path in sorted(folder.glob("rules*.toml")):
        rules.extend(load_rules(path, lexicons))
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuleError(folder, None, sorted(duplicates)[0], "rule id used in two files")
    return Rulebook(gazetteer, defaults, load_places(folder / "places.toml"), lexicons, tuple(rules))


@lru_cache(maxsize=4)
def default_rulebook(folder: Path = FRENCH) -> Rulebook:
    return load_rulebook(folder)
