"""People who speak or act for a company, and words that only look like a deal."""

from __future__ import annotations

from tests.extraction import facts


def test_a_director_general_announcing_the_offer_s_withdrawal_withdraws_his_company_s_offer() -> None:
    # the title has two words ("directeur général"): the company is the bidder, not the man
    text = ("Torvane a lancé en janvier une offre sur Melisse. Paul Aubrac, directeur général de Torvane, "
            "a annoncé lundi le retrait de l'offre lancée sur Melisse.")
    bidders = {b for f in facts(text, "bid") for b in f.roles["bidder"]}
    assert bidders == {"torvane"}


def test_a_board_chairman_answering_an_ultimatum_regulates_nothing() -> None:
    text = ("Torvane a donné trois semaines au conseil de Melisse pour accepter son offre. Le président "
            "du conseil, Jean Vidal, a répondu à l'ultimatum par un refus.")
    assert not [f for f in facts(text, "regulation") if "jean-vidal" in f.roles["regulator"]]


def test_giving_oneself_the_means_to_catch_up_with_a_rival_is_no_bid_for_it() -> None:
    text = "Torvane, qui voulait s'offrir les moyens de rattraper Melisse, cherche une autre voie."
    assert facts(text, "bid") == []
