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
