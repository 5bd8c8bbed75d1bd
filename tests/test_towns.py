"""Towns are places and seats, never actors: "à Boston", "le groupe de Leverkusen"."""

from __future__ import annotations

from kg.cities import countries_of_town
from tests.extraction import extracted, facts


def test_towns_come_from_geonames_with_their_countries_most_populous_first() -> None:
    assert countries_of_town("Saskatoon") == ("CA",)
    assert countries_of_town("Laval")[0] == "CA"  # Laval, Québec outnumbers Laval, Mayenne
    assert countries_of_town("Philadelphie")[0] == "US"  # the French form is an alternate name
    assert countries_of_town("Norvia") == ()
    assert countries_of_town("Sky") == ()  # a code among the alternate names is no town's name


def test_a_town_after_a_locative_preposition_is_no_actor() -> None:
    result = extracted("Norvia cédera des actifs de Tarvex à Boston et à Leeds pour obtenir le feu vert.")
    assert not {"boston", "leeds"} & set(result.actors)



def test_a_company_named_like_a_town_stays_a_company() -> None:
    # "Nokia" is also a Finnish town: written as a company elsewhere, it is one everywhere
    [bid] = facts("Le groupe Nokia a lancé une offre sur Tarvex. Tarvex cédera ses actifs à Nokia.", "bid")
    assert bid.roles["bidder"] == ["nokia"]


def test_a_company_named_by_its_seat_is_the_one_company_of_that_country() -> None:
    text = ("Le canadien Norvia a lancé une offre sur le groupe allemand Tarvex. "
            "Le conseil du groupe de Leverkusen l'a rejetée mardi.")
    result = extracted(text)
    assert "leverkusen" not in result.actors
    [bid] = [f for f in result.facts if f.kind == "bid"]
    assert (bid.roles["bidder"], bid.roles["rejected_by"]) == (["norvia"], ["tarvex"])


def test_a_seat_two_companies_of_the_article_could_have_names_neither() -> None:
    text = ("Le groupe allemand Tarvex a reçu une offre de l'allemand Norvia. "
            "Le groupe de Leverkusen a rejeté l'offre.")
    result = extracted(text)
    assert "leverkusen" not in result.actors
    assert not [f for f in result.facts if f.kind == "bid" and f.roles["rejected_by"] == ["norvia"]]
