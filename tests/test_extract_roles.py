"""Who may fill a deal's roles: checks on invented sentences, whatever rule reads them."""

from __future__ import annotations

import pytest

from tests.extraction import facts


def bids(text: str) -> list[tuple[set[str], set[str]]]:
    return [(set(f.roles["bidder"]), set(f.roles["target"])) for f in facts(text, "bid")]


@pytest.mark.parametrize(
    "text",
    [
        "L'Autorité de la concurrence a autorisé jeudi Ostrand à racheter Duvelle.",
        "La Commission européenne a approuvé le rachat de Kesterel. Elle avait ouvert une enquête approfondie.",
    ],
)
def test_an_authority_that_regulates_the_deal_is_never_its_bidder(text: str) -> None:
    for bidders, _ in bids(text):
        assert not bidders & {"autorite-de-la-concurrence", "commission-europeenne"}, bidders


@pytest.mark.parametrize(
    "text",
    [
        "Le groupe Arkema exclut de racheter Hexcel.",
        "Bouygues dément toute offre sur Colas.",
        "Aucune offre de Vinci sur Eiffage n'a été déposée à ce jour.",
    ],
)
def test_a_denying_verb_or_determiner_asserts_no_bid(text: str) -> None:
    assert bids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Maribor se défend de vouloir racheter Tarvex.",
        "Le groupe Norvia se garde bien de lancer une offre sur Ostrand.",
    ],
)
def test_a_reflexive_denial_asserts_no_bid(text: str) -> None:
    assert bids(text) == []


def test_the_same_verb_without_its_reflexive_denies_nothing() -> None:
    assert bids("Maribor défend son offre sur Tarvex.") != []


def test_who_files_an_offer_is_its_bidder() -> None:
    assert ({"vinci"}, {"eiffage"}) in bids("Vinci a déposé mardi une offre publique d'achat sur Eiffage.")


def test_a_name_ending_the_sentence_before_does_not_describe_the_next_subject() -> None:
    # "Le groupe X" opens its own sentence: the name before the full stop is no apposition
    assert bids("Les syndicats ont écrit à la direction de Norvia. Le groupe Tarvex propose de racheter Norvia.") \
        == [({"tarvex"}, {"norvia"})]
    assert bids("Le fonds a quitté le capital de Kesterel. La société Arkadis a racheté Kesterel en mai.") \
        == [({"arkadis"}, {"kesterel"})]
