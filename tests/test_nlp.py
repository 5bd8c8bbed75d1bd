"""Selective parsing: only sentences a rule can use get the whole spaCy pipeline.

What a user would notice if it went wrong: facts or actors missing compared with a
full parse, or evidence pointing at the wrong characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus import Article, read_corpus
from kg.extract import Extractor
from kg.nlp import FULL, NAMES, TOKENS, inflected_forms, parse

ROOT = Path(__file__).resolve().parent.parent


def _facts(extractor: Extractor, article: Article) -> set[tuple]:
    # a deadline's label quotes the words the parser hung on the date: parsing a sentence
    # without its neighbours may change which, so labels are left out of the comparison
    facts = extractor.extract(article)
    return {
        (f.kind, tuple(sorted((role, tuple(keys)) for role, keys in f.roles.items())),
         tuple(sorted((k, v) for k, v in f.attrs.items() if k != "label")), f.hedged,
         tuple(e.start for e in f.evidence))
        for f in facts.facts
    }


@pytest.fixture(scope="module")
def extractors() -> tuple[Extractor, Extractor]:
    return Extractor(selective=True), Extractor(selective=False)


@pytest.mark.parametrize("folder", ["seeds", "tests/dev_articles"])
def test_selective_parsing_gives_the_facts_and_actors_of_a_full_parse(folder, extractors):
    selective, full = extractors
    articles, _ = read_corpus([ROOT / folder])
    assert articles
    for article in articles:
        assert _facts(selective, article) == _facts(full, article), article.source
        assert set(selective.extract(article).actors) == set(full.extract(article).actors), article.source


def test_every_level_keeps_character_offsets():
    body = ("Le marché a salué la nouvelle.\n\nLe milliardaire Xavier Niel a visité Lyon.\n\n"
            "Orange a rejeté l'offre de Bouygues le 3 mars 2021. Les analystes restent prudents.")
    levels = {"Le marché": TOKENS, "Le milliardaire": NAMES, "Orange": FULL, "Les analystes": TOKENS}

    def plan(start, sentence):
        return next(level for opening, level in levels.items() if sentence.text.startswith(opening))

    paragraphs = parse(body, plan=plan)
    for paragraph in paragraphs:
        text = paragraph.doc.text
        assert body[paragraph.offset : paragraph.offset + len(text)] == text
    by_text = {p.doc.text.strip(): p.doc for p in paragraphs}
    assert by_text["Le marché a salué la nouvelle."].has_annotation("DEP") is False
    names = by_text["Le milliardaire Xavier Niel a visité Lyon."]
    assert not names.has_annotation("DEP") and [e.text for e in names.ents if e.label_ == "PER"] == ["Xavier Niel"]
    full = by_text["Orange a rejeté l'offre de Bouygues le 3 mars 2021."]
    assert full.has_annotation("DEP") and full[2].lemma_ == "rejeter"


def test_a_person_named_outside_any_rule_is_still_an_actor(extractors):
    selective, _ = extractors
    body = ("Le patron de Kering, François-Henri Pinault, a visité l'usine de Florence mardi.\n\n"
            "Kering a rejeté l'offre de LVMH sur Tod's.")
    article = Article(id="a1", source="a1.txt", title="t", date=None, body=body)
    names = {actor.name for actor in selective.extract(article).actors.values()}
    assert {"François-Henri Pinault", "Kering", "LVMH"} <= names


def test_inflected_forms_come_from_the_model_lemmatizer():
    from spacy.strings import get_string_id

    forms = inflected_forms(["rejeter", "associer", "acquérir"])
    for form in ("rejeter", "rejette", "rejetée", "associé", "associée", "acquiert"):
        assert get_string_id(form) in forms, form
    assert get_string_id("marché") not in forms
