"""Who turns a bid down, and which bid: organs and shareholders, takeovers of a subsidiary."""

from __future__ import annotations

from tests.extraction import facts


def rejections(text: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    return {(f.roles["bidder"][0], f.roles["target"][0]): (f.attrs["status"], f.roles["rejected_by"])
            for f in facts(text) if f.kind == "bid"}


def test_the_shareholders_of_a_company_reject_for_it() -> None:
    text = "Réunis en assemblée, les actionnaires de Corlane ont rejeté l'offre du fonds Bravik."
    assert rejections(text) == {("bravik", "corlane"): ("rejected", ["corlane"])}


def test_what_shareholders_would_hold_is_not_the_company_s_stake() -> None:
    text = ("Bravik propose de fusionner avec Corlane. Une fois l'opération réalisée, les actionnaires "
            "de Corlane détiendraient 30 % du nouvel ensemble.")
    assert not [f for f in facts(text, "stake") if f.roles["holder"] == ["corlane"]]


def test_an_approach_turned_down_is_a_rejected_bid_of_its_author() -> None:
    text = "Le laboratoire Quenard a rejeté l'approche non sollicitée de Vitalis."
    assert rejections(text) == {("vitalis", "quenard"): ("rejected", ["quenard"])}


def test_the_owner_turning_down_the_takeover_of_its_named_subsidiary() -> None:
    # "le rachat de Y par X": after a takeover noun, "de" names the target and "par" the bidder
    text = "Le groupe Delvaux a refusé le projet de rachat de sa filiale Sorel Energy par le fonds Atrium."
    assert rejections(text) == {("atrium", "sorel-energy"): ("rejected", ["delvaux"])}


def test_a_subsidiary_with_its_own_name_is_sold_whole_by_its_owner() -> None:
    [bid] = facts("Le groupe Delvaux cède sa filiale Sorel Energy au fonds Atrium.", "bid")
    roles = (bid.roles["bidder"], bid.roles["target"], bid.roles["seller"])
    assert roles == (["atrium"], ["sorel-energy"], ["delvaux"])


def test_the_bidder_described_before_its_name_after_par() -> None:
    # "par son concurrent X": the noun before the name describes it, "par" still introduces X;
    # the day word between the participle and its agent is a date, not another clause
    for text, bid in (
        ("Le conseil de Tarvex a rejeté l'offre déposée lundi par son concurrent Norvia.", ("norvia", "tarvex")),
        ("Le groupe Ostrand a repoussé l'offre présentée mardi par son compatriote Maribor.",
         ("maribor", "ostrand")),
    ):
        assert rejections(text) == {bid: ("rejected", [bid[1]])}


def test_a_relation_noun_before_a_name_is_not_a_description() -> None:
    # "de sa filiale X" says whose subsidiary X is: X owns nothing here
    text = "Le groupe Harvel négocie avec Maribor et sa filiale Corlane la cession de sa filiale Ostrane."
    assert not [f for f in facts(text, "ownership") if f.roles["owner"] == ["ostrane"]]


def test_a_proposal_is_a_bid_only_when_made_to_a_company() -> None:
    assert not facts("Le ministre a présenté une proposition de réforme aux syndicats de Renault.", "bid")
    found = facts("Le fonds Maribor a adressé lundi une proposition ferme au conseil de Tarvex.", "bid")
    assert [(f.roles["bidder"], f.roles["target"]) for f in found] == [(["maribor"], ["tarvex"])]


def test_an_idiom_of_refusal_turns_the_bidder_down() -> None:
    # "dire non", "fermer la porte", "opposer une fin de non-recevoir": said to the bidder or its offer
    assert rejections("Le groupe Ostrand a dit non à Grévine.")[("grevine", "ostrand")] == ("rejected", ["ostrand"])
    assert rejections("Le conseil de Harvel a fermé la porte à l'offre de Corlane.")[("corlane", "harvel")] \
        == ("rejected", ["harvel"])


def test_an_idiom_of_refusal_denied_turns_nobody_down() -> None:
    assert all(status != "rejected" for status, _ in rejections("Ostrand ne dit pas non à Grévine.").values())


def test_the_formal_name_of_an_offer_keeps_its_bidder() -> None:
    # in "l'offre publique d'achat de X sur Y" X is whose offer it is, not a complement of "achat"
    assert ("norvia", "tarvex") in rejections("L'offre publique d'achat de Norvia sur Tarvex a été lancée lundi.")


def test_who_undergoes_a_refusal_is_the_bidder_not_the_rejecter() -> None:
    text = "Norvia a lancé une offre sur Tarvex. Norvia s'est heurté au refus de Tarvex."
    assert rejections(text) == {("norvia", "tarvex"): ("rejected", ["tarvex"])}
    text = "Le fonds Maribor a déposé une offre sur Corlane. Maribor a essuyé un refus."
    status, rejected_by = rejections(text)[("maribor", "corlane")]
    assert status == "rejected" and "maribor" not in rejected_by
