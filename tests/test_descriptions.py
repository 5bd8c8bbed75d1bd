"""Descriptions an article gives its actors ("le réassureur X"), and the verdicts on an offer."""

from __future__ import annotations

from kg.extract import default_extractor
from tests.extraction import facts


def references(text: str) -> dict[str, str]:
    """surface -> actor key for the descriptive references of the text."""
    _, mentions = default_extractor().matches(text)
    return {m.surface: m.actor.key for m in mentions.mentions if m.kind == "reference"}


def bids(text: str) -> list[tuple[list[str], str, str, list[str]]]:
    return [(f.roles["bidder"], f.roles["target"][0], f.attrs["status"], f.roles["rejected_by"])
            for f in facts(text, "bid")]


def test_a_noun_put_before_a_name_is_what_a_later_bare_noun_refers_to() -> None:
    found = references("L'assureur Valmont a proposé de racheter le réassureur Kesterel. "
                       "L'offre de Valmont a été rejetée par le conseil du réassureur. "
                       "Le réassureur a aussi repoussé l'approche de Norvia.")
    assert found["du réassureur"] == "kesterel"
    assert found["Le réassureur"] == "kesterel"


def test_a_noun_two_actors_were_called_refers_to_neither() -> None:
    found = references("Le réassureur Kesterel et le réassureur Tarvex ont publié leurs comptes. "
                       "Le réassureur a repoussé l'offre de Valmont.")
    assert "Le réassureur" not in found


def test_a_nationality_the_article_gives_later_already_resolves_an_earlier_description() -> None:
    found = references("Norvia a repoussé l'offre. Le groupe suisse n'a pas retiré sa proposition. "
                       "Le conseil de Norvia se réunira lundi face à l'offre du géant suisse Arkadis.")
    assert found["Le groupe suisse"] == "arkadis"


def test_a_french_word_opening_a_sentence_as_a_label_is_no_actor() -> None:
    _, mentions = default_extractor().matches("Conclusion : un rapprochement avec Kesterel est exclu. "
                                              "Résultat : Valmont renonce.")
    assert {m.actor.key for m in mentions.mentions} <= {"kesterel", "valmont"}


def test_an_offer_judged_too_low_is_refused_by_who_judges_it() -> None:
    found = bids("Le groupe Valmont propose de racheter Kesterel. Le conseil de Kesterel juge l'offre "
                 "de Valmont nettement insuffisante.")
    assert (["valmont"], "kesterel", "rejected", ["kesterel"]) in found


def test_a_verdict_on_something_else_refuses_nothing() -> None:
    found = bids("Le groupe Valmont propose de racheter Kesterel. La directrice de l'autorité a estimé "
                 "que les remèdes présentés étaient insuffisants.")
    assert [b[2] for b in found] == ["announced"]


def test_a_verdict_in_a_relative_clause_is_said_of_the_offer_before_it() -> None:
    found = bids("L'offre de Norvia sur Tarvex, que le conseil de Tarvex avait jugée trop basse en mai, "
                 "a été relevée de 10 %.")
    assert (["norvia"], "tarvex", "rejected", ["tarvex"]) in found


def test_refusing_to_enter_talks_is_a_refusal_of_the_bid() -> None:
    found = bids("Le groupe Valmont a proposé de racheter Kesterel pour 3 milliards d'euros. "
                 "Réuni lundi, le conseil de Kesterel a refusé d'entrer en négociations.")
    assert (["valmont"], "kesterel", "rejected", ["kesterel"]) in found
