"""Completed deals: what closes a deal, and what only prepares or agrees it."""

from __future__ import annotations

from tests.extraction import facts


def bids(text: str) -> dict[tuple[str, str], tuple[str, bool]]:
    return {(f.roles["bidder"][0], f.roles["target"][0]): (f.attrs["status"], f.hedged)
            for f in facts(text) if f.kind == "bid"}


def test_a_time_word_and_an_aside_before_the_object_still_close_the_deal() -> None:
    # the small model leaves the verb without its object when a day or an aside comes first
    text = "Le groupe Tarvel a clôturé mercredi, avec un mois de retard, l'acquisition de Morlane."
    assert bids(text) == {("tarvel", "morlane"): ("completed", False)}


def test_a_compound_past_is_no_conditional_whatever_the_participle_is_tagged() -> None:
    text = "Orvane a bouclé vendredi le rachat de son concurrent Bellac."
    assert bids(text)[("orvane", "bellac")] == ("completed", False)


def test_a_rival_named_after_a_common_noun_is_the_target() -> None:
    # "its rival X", "the distributor X": any noun with its determiner, the name right after
    text = "Le chimiste Orvane a conclu le rachat de son voisin Bellac."
    assert bids(text) == {("orvane", "bellac"): ("completed", False)}


def test_an_agreement_concluded_or_an_offer_finalised_closes_nothing() -> None:
    assert all(status != "completed" for status, _ in bids(
        "Orvane a conclu un accord pour racheter Bellac.").values())
    assert bids("Orvane a finalisé son offre sur Bellac.") == {} or all(
        status != "completed" for status, _ in bids("Orvane a finalisé son offre sur Bellac.").values())
    text = "Orvane a racheté Bellac en mars. L'accord de fusion conclu en janvier prévoyait une indemnité."
    assert bids(text)[("orvane", "bellac")][0] != "completed"


def test_deals_closed_in_a_participle_after_their_noun_are_completed() -> None:
    text = "Le marché a été remodelé par l'absorption de Tarvel par Morlane, une opération bouclée en 2019."
    assert bids(text)[("morlane", "tarvel")][0] == "completed"


def test_giving_up_launching_an_offer_is_no_withdrawn_bid() -> None:
    # the offer belongs to the infinitive, whose launch is given up: no bid was ever made
    assert bids("Morlane renonce à lancer une offre sur Tarvel.") == {}
