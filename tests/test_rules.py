"""Every rule's own French examples, and the strict loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.rules import RuleError, default_rulebook, load_rulebook, load_rules

RULES = default_rulebook().rules


def _names(values) -> set[str]:
    out = set()
    for v in values:
        out.add(v.whole.name if hasattr(v, "whole") else v.name)
    return out


@pytest.mark.parametrize(
    ("rule", "example"),
    [(r, e) for r in RULES for e in r.examples],
    ids=[f"{r.id}-{i}" for r in RULES for i, _ in enumerate(r.examples)],
)
def test_rule_example(rule, example):
    from kg.dates import PartialDate
    from kg.extract import default_extractor

    matches, _ = default_extractor().matches(example.text, anchor=PartialDate(2020, 9, 1))
    mine = [m for m in matches if m.rule.id == rule.id]
    assert mine, f"{rule.id} did not fire on its example: {example.text}"
    for key, expected in example.expect.items():
        if key == "status":
            assert rule.status == expected
        elif key == "action":
            assert rule.action == expected
        elif key == "date":
            assert expected in {m.date.value.iso() for m in mine if m.date}
        elif key == "hedged":
            assert any(m.hedged for m in mine) == (expected == "true")
        else:
            found = set().union(*(_names(m.slots.get(key, [])) for m in mine))
            if key in ("partner", "other"):  # a partnership is symmetric: either slot will do
                found = set().union(*(_names(m.slots.get(k, [])) for m in mine for k in ("partner", "other")))
            assert expected in found, f"{rule.id}: {key} = {found}, expected {expected!r}"


def _copy_language(tmp_path: Path) -> Path:
    source = Path(__file__).resolve().parent.parent / "kg" / "rules" / "fr"
    target = tmp_path / "fr"
    target.mkdir()
    for path in source.glob("*.toml"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


BAD_RULES = {
    "unknown locator": ('bidder = "subj | sideways"', "unknown locator 'sideways'"),
    "unknown slot": ('buyer = "subj"', "has no slot 'buyer'"),
    "unknown lexicon": ('bidder = "obj{@no_such_words}"', "unknown lexicon '@no_such_words'"),
    "misspelt constraint": ('bidder = "subj{compnay}"', "unknown constraint {compnay}"),
    "preposition missing": ('bidder = "prep{company}"', "'prep' needs an argument"),
    "argument where none is taken": ('bidder = "subj:de"', "'subj' takes no argument"),
    "pair member out of range": ('bidder = "pair:3"', "'pair' takes 1 or 2 (got '3')"),
    "actor constraint on a word locator": ('_offer = "next{company}"\nbidder = "subj"', "finds a word, not an actor"),
    "unknown negated lexicon": ('bidder = "verb{!@no_such_verbs}>subj"', "unknown lexicon '@no_such_verbs'"),
    "negated lexicon on a scan": ('_offer = "next{!@bid_nouns}"\nbidder = "subj"', "cannot say which one"),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_a_bad_rule_is_rejected_naming_file_line_and_id(tmp_path, case):
    slot, message = BAD_RULES[case]
    folder = _copy_language(tmp_path)
    bad = folder / "rules_extra.toml"
    bad.write_text(
        '# a user rule\n\n[[rule]]\nid = "my.bad-rule"\nrelation = "bid"\ntrigger = "@bid_verbs"\n'
        f'[rule.slots]\n{slot}\n[[rule.examples]]\ntext = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_rulebook(folder)
    text = str(caught.value)
    assert f"{bad}:4:" in text and "my.bad-rule" in text and message in text


def test_a_rule_without_examples_is_rejected(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nid = "no.examples"\nrelation = "bid"\ntrigger = "racheter"\n', encoding="utf-8")
    with pytest.raises(RuleError, match=r"no\.examples.*at least one French example"):
        load_rules(path, default_rulebook().lexicons)


def test_no_french_words_in_python_code():
    root = Path(__file__).resolve().parent.parent / "kg"
    # a French entry spelt like an English identifier ("direction" of a date rule) is English there
    english_homographs = {"direction", "action"}
    lexicon_words = {w for words in default_rulebook().lexicons.values() for w in words
                     if len(w) > 5 and w not in english_homographs}
    for path in root.rglob("*.py"):
        code = "\n".join(
            line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines()
            if not line.strip().startswith(("#", '"', "'"))
        )
        hits = sorted(w for w in lexicon_words if f'"{w}"' in code or f"'{w}'" in code)
        assert not hits, f"{path.name} holds French lexicon words in code: {hits}"


def _add_word(folder: Path, entry: str) -> Path:
    frames = folder / "frames.toml"
    frames.write_text(frames.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    return frames


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('[[word]]\nword = "avaler"\nframe = "acquire"\nexamples = [{ text = "x", expect = {} }]\n',
         "at least 2 examples"),
        ('[[word]]\nword = "avaler"\nframe = "swallow"\nexamples = []\n', "frame must be one of"),
    ],
    ids=["one example", "unknown frame"],
)
def test_a_bad_frame_word_is_rejected_naming_file_and_line(tmp_path, entry, message):
    frames = _add_word(_copy_language(tmp_path), entry)
    with pytest.raises(RuleError) as caught:
        load_rulebook(frames.parent)
    assert f"{frames}:" in str(caught.value) and "avaler" in str(caught.value) and message in str(caught.value)


def test_a_deal_word_added_to_a_frame_gives_bids_without_a_rule(tmp_path):
    from kg.corpus import Article
    from kg.dates import PartialDate
    from kg.extract import Extractor

    folder = _copy_language(tmp_path)
    _add_word(folder, '[[word]]\nword = "phagocyter"\nframe = "acquire"\n'
                      '[[word.examples]]\ntext = "Le groupe Norvia phagocyte Tarvex."\n'
                      'expect = { bidder = "Norvia", target = "Tarvex" }\n'
                      '[[word.examples]]\ntext = "Valmont a phagocyté Kesterel."\n'
                      'expect = { bidder = "Valmont", target = "Kesterel" }\n')
    book = load_rulebook(folder)
    assert "phagocyter" in book.lexicons["bid_verbs"]  # the other rules see the frame's words
    article = Article(id="a", title="a", date=PartialDate(2024, 3, 5), source="t",
                      body="Le groupe Grévine a phagocyté son rival Ostrand en 2023.")
    facts = Extractor(book).extract(article).facts
    assert [(f.roles["bidder"], f.roles["target"]) for f in facts if f.kind == "bid"] == [(["grevine"], ["ostrand"])]


def test_a_language_folder_missing_a_lexicon_the_engine_needs_is_refused(tmp_path):
    folder = _copy_language(tmp_path)
    lexicons = folder / "lexicons.toml"
    text = lexicons.read_text(encoding="utf-8")
    lexicons.write_text(text.replace("[disjunctions]", "[disjunctions_renamed]"), encoding="utf-8")
    with pytest.raises(RuleError, match=r"lexicons.toml.*missing: disjunctions"):
        load_rulebook(folder)


def test_every_lexicon_the_code_reads_is_declared_in_the_schema():
    import re

    from kg.rules import CODE_LEXICONS

    package = Path(__file__).resolve().parent.parent / "kg"
    used = set()
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'lex(?:icons)?\["([a-z_]+)"\]', source))
        used |= set(re.findall(r'"@([a-z_]+)"', source))
    jsonld_keywords = {"context", "graph", "id", "language", "type", "value"}  # kg/export.py writes JSON-LD
    assert used - {"lexicon", "name"} - jsonld_keywords <= set(CODE_LEXICONS)
