"""Public bodies named by description, in either word order: invented sentences."""

from __future__ import annotations

import pytest

from kg.extract import default_extractor
from tests.extraction import facts


def bodies(text: str) -> dict[str, tuple[str, str, str | None]]:
    """surface -> (actor name, type, nationality) for every description of a public body."""
    _, mentions = default_extractor().matches(text)
    return {m.surface: (m.actor.name, m.actor.type, m.actor.nationality)
            for m in mentions.mentions if m.actor.type == "Government"}


def test_a_description_of_a_listed_body_is_that_body_in_any_word_order() -> None:
    found = bodies("Le département américain de la Justice a ouvert une enquête sur Valmont.")
    assert found["département américain de la Justice"][0] == "Département de la Justice des États-Unis"
    found = bodies("Le ministère américain des Finances et le département du Trésor se taisent.")
    names = {name for name, _, _ in found.values()}
    assert names == {"Département du Trésor des États-Unis"}


def test_an_unlisted_ministry_is_one_actor_whatever_the_word_order() -> None:
    first = bodies("Le ministère des Finances japonais examine le dossier de Norvia.")
    second = bodies("Le ministère japonais des Finances examine le dossier de Norvia.")
    assert {name for name, _, _ in first.values()} == {name for name, _, _ in second.values()}
    assert {(kind, country) for _, kind, country in first.values()} == {("Government", "Japon")}
    text = "Le ministère des Finances japonais a reçu Valmont, puis le ministère japonais des Finances a tranché."
    assert len({name for name, _, _ in bodies(text).values()}) == 1


@pytest.mark.parametrize("text", ["Le gouvernement brésilien a donné son aval à Valmont.",
                                  "Le gouvernement du Brésil a donné son aval à Valmont.",
                                  "L'exécutif brésilien a donné son aval à Valmont."])
def test_a_government_named_by_its_country_is_that_country_s_government(text: str) -> None:
    assert set(bodies(text).values()) == {("Gouvernement brésilien", "Government", "Brésil")}


def test_a_court_named_by_its_seat_is_a_public_body() -> None:
    found = bodies("La cour d'appel de Lyon doit se prononcer sur le recours des actionnaires de Kesterel.")
    assert found == {"cour d'appel de Lyon": ("Cour d'appel de Lyon", "Government", None)}


@pytest.mark.parametrize("text", ["Le ministère de la Justice a été saisi par Valmont.",
                                  "L'administration Obama a longtemps hésité.",
                                  "Le gouvernement a salué l'accord entre Valmont et Kesterel."])
def test_a_description_without_country_or_seat_names_no_body(text: str) -> None:
    assert bodies(text) == {}


def test_a_ministry_described_by_the_press_blocks_a_deal() -> None:
    found = facts("Le ministère canadien de l'Industrie a bloqué le rachat de Norvia par Valmont.")
    bid = next(f for f in found if f.kind == "bid")
    assert bid.attrs["status"] == "blocked"
    assert bid.roles["rejected_by"] == ["ministere-de-l-industrie-canadien"]


def test_a_government_a_clause_acts_on_is_not_the_one_that_prohibits() -> None:
    found = facts("Valmont renonce à vendre sa filiale à Norvia afin d'éviter une interdiction "
                  "en Europe, tout en ménageant le gouvernement italien.")
    assert not [f for f in found if f.kind == "regulation" and "gouvernement-italien" in f.roles["regulator"]]


def test_a_description_of_a_listed_regulator_names_it_in_either_order() -> None:
    found = bodies("Le gendarme de la Bourse italienne a validé le prospectus de Valmont.")
    assert {name for name, _, _ in found.values()} == {"Consob"}
    found = bodies("L'autorité brésilienne de la concurrence et le Cade examinent le dossier de Valmont.")
    assert {name for name, _, _ in found.values()} == {"Conseil administratif de défense économique"}
