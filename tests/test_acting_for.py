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


def test_its_offer_in_a_clause_is_the_subject_s_not_the_relative_clause_s() -> None:
    # "X, which Y runs, thinks its offer...": X's offer, not its chief's
    text = ("Le groupe Torvane Mining a lancé une offre sur Melisse Industries. Torvane Mining, que dirige "
            "Paul Aubrac, estime au contraire que son offre procure une valeur certaine.")
    assert {b for f in facts(text, "bid") for b in f.roles["bidder"]} == {"torvane-mining"}


def test_a_pronoun_opening_a_sentence_is_the_subject_of_the_sentence_before() -> None:
    # (the nearest name before the pronoun is the target's)
    text = ("Après le rejet de sa proposition, le géant minier Torvane Mining a décidé de passer outre le "
            "conseil de Melisse Industries. Il a annoncé mercredi une offre publique d'achat hostile "
            "sur Melisse Industries.")
    assert {b for f in facts(text, "bid") for b in f.roles["bidder"]} == {"torvane-mining"}


def _acts_for(text: str) -> set[tuple[str, str]]:
    """(actor, institution) for every dkg:actsFor triple the article's graph holds."""
    from kg.namespaces import DKG
    from kg.rdf import article_triples
    from tests.extraction import extracted

    return {(str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
            for s, p, o in article_triples(extracted(text)) if p == DKG.actsFor}


def test_an_administration_named_after_its_leader_is_the_government_not_the_leader() -> None:
    text = "L'administration Obama a bloqué le rachat de Maribor par Norvia."
    bid = next(f for f in facts(text, "bid"))
    assert bid.roles["rejected_by"] == ["gouvernement-des-etats-unis"]
    assert bid.attrs["status"] == "blocked"
    # the leader stays an actor of its own, linked to the government it leads
    assert _acts_for(text) == {("barack-obama", "gouvernement-des-etats-unis")}


def test_a_government_named_after_its_leader_is_that_leader_s_country_s_government() -> None:
    bid = next(f for f in facts("Le gouvernement d'Emmanuel Macron a bloqué le rachat de Corlane par Tarvex.", "bid"))
    assert bid.roles["rejected_by"] == ["gouvernement-francais"]


def test_an_unknown_leader_s_government_is_the_one_government_the_article_names() -> None:
    text = ("Le gouvernement italien examine l'offre de Tarvex sur Norvia. Le gouvernement Vardelli a "
            "adopté un décret pour repousser l'assemblée de Norvia.")
    from kg.extract import default_extractor

    _, mentions = default_extractor().matches(text)
    named = {m.surface: m.actor.key for m in mentions.mentions}
    assert named["gouvernement Vardelli"] == "gouvernement-italien"
    assert {r for f in facts(text, "regulation") for r in f.roles["regulator"]} == {"gouvernement-italien"}


def test_a_company_s_administration_is_no_government() -> None:
    text = "Le conseil d'administration de Norvia a rejeté l'offre de Tarvex."
    assert not [f for f in facts(text) if any("gouvernement" in k for keys in f.roles.values() for k in keys)]
