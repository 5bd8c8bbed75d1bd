"""A denied act asserts nothing; a deal only rumoured is hedged, with its words kept."""

from __future__ import annotations

from tests.extraction import facts


def test_a_past_infinitive_after_a_denying_verb_asserts_nothing() -> None:
    # the small model reads "démenti" as a pronoun here: the denial is read from the word order
    assert not facts("Norvia avait alors démenti être monté au capital de Tarvex.")
    assert not facts("Le groupe Grévine nie avoir déposé une offre sur Ostrand.", "bid")


def test_the_same_act_not_denied_is_asserted() -> None:
    [stake] = facts("Norvia est monté au capital de Tarvex.", "stake")
    assert (stake.roles["holder"], stake.roles["in"]) == (["norvia"], ["tarvex"])


def test_a_deal_word_under_a_rumour_is_hedged() -> None:
    [bid] = facts("La rumeur d'une offre publique d'achat hostile de Norvia sur Tarvex a fait bondir le titre.",
                  "bid")
    assert bid.hedged
    [bid] = facts("Les spéculations sur un rachat de Corlane par Harvel vont bon train.", "bid")
    assert bid.hedged
    [bid] = facts("Harvel a lancé une offre sur Corlane.", "bid")
    assert not bid.hedged


def test_a_failure_or_refusal_only_supposed_changes_no_status() -> None:
    text = "Norvia a lancé une offre sur Tarvex. Norvia promet une indemnité de 200 millions en cas d'échec."
    [bid] = facts(text, "bid")
    assert bid.attrs["status"] == "announced"
    text = "Le groupe Grévine a lancé une offre sur Ostrand. Une indemnité est prévue en cas de refus des autorités."
    [bid] = facts(text, "bid")
    assert bid.attrs["status"] == "announced" and not bid.roles["rejected_by"]


def test_a_failure_that_happened_still_ends_the_bid() -> None:
    [bid] = facts("Norvia a lancé une offre sur Tarvex. Après l'échec de Norvia, le titre a chuté.", "bid")
    assert bid.attrs["status"] == "withdrawn"
