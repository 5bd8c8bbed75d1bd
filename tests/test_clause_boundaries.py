"""Where a sentence or a clause really ends, and who a deal word's verb speaks for:
names ending in "!", datelines, lists split by the parser, deal words argued against."""

from __future__ import annotations

from tests.extraction import extracted, facts


def bids(text: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    return {(f.roles["bidder"][0], f.roles["target"][0]): (f.attrs["status"], f.roles["rejected_by"])
            for f in facts(text) if f.kind == "bid"}


def actor_keys(text: str) -> set[str]:
    return set(extracted(text).actors)


def test_an_exclamation_mark_inside_a_name_ends_no_sentence() -> None:
    # a brand spelt with "!" then a lower-case verb: one sentence, so the board's refusal holds
    assert bids("Le conseil de Zenko! a rejeté lundi l'offre non sollicitée de Norvia.") == {
        ("norvia", "zenko"): ("rejected", ["zenko"])}
    assert bids("Le conseil de Vroom! a repoussé jeudi la proposition de Grévine.") == {
        ("grevine", "vroom"): ("rejected", ["vroom"])}


def test_an_exclamation_mark_before_a_capital_still_ends_the_sentence() -> None:
    text = "Quelle surprise ! Le groupe Norvia a lancé une offre sur Tarvex."
    assert bids(text) == {("norvia", "tarvex"): ("announced", [])}


def test_the_place_of_a_dateline_is_no_actor_and_does_not_join_the_lede() -> None:
    text = "GRENOBLE (Isère) – Le conseil de Tarvex a rejeté mardi l'offre de Norvia."
    assert "grenoble" not in actor_keys(text)
    assert bids(text) == {("norvia", "tarvex"): ("rejected", ["tarvex"])}
    wire = "ANVERS, 4 mars 2024 (AFP) – Le groupe Ostrand a repoussé l'offre de Harvel."
    assert "anvers" not in actor_keys(wire)
    assert bids(wire) == {("harvel", "ostrand"): ("rejected", ["ostrand"])}


def test_a_company_opening_a_paragraph_in_capitals_is_still_an_actor() -> None:
    text = "NORVIA, le numéro un du secteur, a lancé une offre sur Tarvex."
    assert bids(text) == {("norvia", "tarvex"): ("announced", [])}


def test_a_bidder_giving_up_without_naming_the_deal_withdraws_its_bid() -> None:
    text = "Norvia a lancé une offre sur Tarvex. Le lendemain, Norvia a jeté l'éponge."
    assert bids(text) == {("norvia", "tarvex"): ("withdrawn", [])}
    text = "Le fonds Maribor a déposé une offre sur Corlane. Trois semaines plus tard, Maribor a renoncé."
    assert bids(text) == {("maribor", "corlane"): ("withdrawn", [])}


def test_a_target_giving_up_is_not_read_as_turning_the_bid_down() -> None:
    # a target that "throws in the towel" may be giving in: nothing is said of the bid
    text = "Norvia a lancé une offre sur Tarvex. Le lendemain, Tarvex a jeté l'éponge."
    assert bids(text) == {("norvia", "tarvex"): ("announced", [])}


def test_both_parties_ending_talks_withdraw_even_when_the_list_is_misparsed() -> None:
    # the model makes the second name alone the subject; the first one still gives up with it
    text = ("Norvia envisage un rapprochement avec Tarvex. Dans un communiqué commun diffusé samedi, "
            "Norvia et Tarvex ont annoncé mettre fin à leurs discussions.")
    assert bids(text) == {("norvia", "tarvex"): ("withdrawn", [])}


def test_a_squeeze_out_is_no_withdrawal() -> None:
    text = ("Norvia a racheté 96 % de Tarvex à l'issue de son offre. Norvia a l'intention de lancer "
            "une procédure de retrait obligatoire.")
    [bid] = facts(text, "bid")
    assert bid.attrs["status"] != "withdrawn"


def test_an_offer_inside_another_noun_s_subject_is_not_made_by_the_verb_s_subject() -> None:
    # "the raising of our offer" is the subject: the verb "faire" there files no offer for Ostrand
    text = "« Malgré le relèvement de notre offre, Ostrand n'a fait aucun geste », regrette Grévine."
    assert not [b for b in facts(text, "bid") if b.roles["bidder"] == ["ostrand"]]
    text = "Le rejet de notre offre de 3 milliards d'euros, Corlane l'a fait en une heure."
    assert not [b for b in facts(text, "bid") if b.roles["bidder"] == ["corlane"]]


def test_a_deal_argued_against_has_none_of_the_arguer_as_its_party() -> None:
    assert not facts("Le ministre a mis en garde Ostrand contre un rapprochement avec Harvel.", "bid")
    assert not facts("Dans sa lettre, il met en garde Corlane contre une fusion avec Tarvex.", "bid")
