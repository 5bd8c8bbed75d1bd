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
    assert found == {"cour d'appel de Lyon": ("Cour d'appel de Lyon", "Government", "France")}


@pytest.mark.parametrize("text", ["Le ministère de la Justice a été saisi par Valmont.",
                                  "L'administration a longtemps hésité.",
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


@pytest.mark.parametrize(("text", "surface", "name"), [
    ("Une juge fédérale du Texas a suspendu le rachat de Norvia par Tarvex.",
     "juge fédérale du Texas", "Juge fédérale du Texas"),
    ("Le tribunal de district de l'Ohio a bloqué l'acquisition de Maribor par Ostrand.",
     "tribunal de district de l'Ohio", "Tribunal de district de l'Ohio"),
    ("Harvel a saisi un tribunal fédéral de Chicago en septembre.",
     "tribunal fédéral de Chicago", "Tribunal fédéral de Chicago"),
    ("La Cour suprême des États-Unis a rejeté le recours de Maribor.",
     "Cour suprême des États-Unis", "Cour suprême des États-Unis"),
])
def test_a_court_or_judge_named_by_its_seat_is_a_public_body_of_the_seat_s_country(
        text: str, surface: str, name: str) -> None:
    assert bodies(text)[surface] == (name, "Government", "États-Unis")


def test_a_court_s_seat_ends_where_a_person_s_name_begins() -> None:
    found = bodies("Grévine cite devant le tribunal correctionnel de Lyon Paul Ardent, son ancien directeur.")
    assert found == {"tribunal correctionnel de Lyon": ("Tribunal correctionnel de Lyon", "Government", "France")}


def test_a_court_named_by_its_seat_alone_is_the_court_of_that_seat_named_in_full() -> None:
    found = bodies("Harvel a assigné Corlane devant la cour de la chancellerie du Delaware. "
                   "Le tribunal du Delaware doit statuer en mai.")
    assert {name for name, _, _ in found.values()} == {"Cour de la chancellerie du Delaware"}
    assert set(found) == {"cour de la chancellerie du Delaware", "tribunal du Delaware"}


def test_the_court_a_case_is_brought_before_is_no_party_to_it() -> None:
    found = facts("Le tribunal de commerce de Lyon a examiné la plainte de Grévine contre Harvel.")
    assert not [f for f in found if f.kind == "lawsuit" and "tribunal-de-commerce-de-lyon" in f.roles["plaintiff"]]
    assert not [f for f in found if f.kind == "regulation"]


def test_a_court_asked_to_block_an_offer_regulates_nothing() -> None:
    found = facts("Corlane a lancé une offre sur Harvel. Harvel a saisi un tribunal du Delaware pour faire "
                  "bloquer l'offre de Corlane.")
    assert [f.roles["bidder"] for f in found if f.kind == "bid"] == [["corlane"]]
    assert not [f for f in found if f.kind == "regulation"]
    assert all(f.roles["regulator"] == [] for f in found if f.kind == "bid")


def test_a_court_never_bids() -> None:
    text = ("Grévine avait contesté ce report devant le tribunal de Lyon, qui l'a débouté le 11 avril. "
            "C'est pour cela que le groupe défend aujourd'hui son offre sur Harvel.")
    assert not [f for f in facts(text, "bid") if "tribunal-de-lyon" in f.roles["bidder"]]


def test_a_capital_opening_a_longer_name_is_no_government() -> None:
    assert bodies("Selon le Washington Post, Tarvex prépare une offre sur Norvia.") == {}
