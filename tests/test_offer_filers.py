"""Who filed an offer, when the press says it after the offer word: a relative clause with
its subject before or after the verb, or a participle with its agent."""

from __future__ import annotations

from tests.extraction import facts


def bidders(text: str) -> set[str]:
    return {b for f in facts(text, "bid") for b in f.roles["bidder"]}


def test_the_inverted_subject_of_a_relative_clause_filed_the_offer() -> None:
    assert bidders("Tarvex a rejeté la proposition de rachat que lui avait faite Norvia en mars.") == {"norvia"}
    assert bidders("Le conseil d'Ostrand a repoussé l'offre que lui a soumise le groupe Grévine.") == {"grevine"}


def test_the_agent_of_an_offer_participle_filed_the_offer_past_a_date() -> None:
    text = "Le conseil de Corlane a rejeté l'offre de 2 milliards d'euros déposée le 3 mai par Harvel."
    assert bidders(text) == {"harvel"}


def test_a_relative_clause_on_another_verb_names_no_filer() -> None:
    # the one who contests or judges an offer did not file it
    assert "ostrand" not in bidders("L'offre de Grévine, que conteste Ostrand, expire vendredi.")
    assert "tarvex" not in bidders("L'offre de Norvia, que Tarvex juge insuffisante, expire lundi.")


def test_every_member_of_a_consortium_named_after_the_relative_verb_filed_it() -> None:
    text = ("Tarvex a repoussé lundi la proposition de 12 milliards d'euros que lui avaient soumise samedi "
            "Norvia, Grévine et le fonds Maribor, jugeant qu'elle ne faisait pas mieux.")
    [bid] = facts(text, "bid")
    assert sorted(bid.roles["bidder"]) == ["grevine", "maribor", "norvia"]
    assert bid.roles["rejected_by"] == ["tarvex"]
