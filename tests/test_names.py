"""Company names as the press writes them: tickers, legal suffixes, company words."""

from __future__ import annotations

import pytest

from kg.extract import default_extractor


def actors(text: str) -> dict[str, tuple[str, str]]:
    """surface -> (actor key, type) for every mention of the text."""
    _, mentions = default_extractor().matches(text)
    return {m.surface: (m.actor.key, m.actor.type) for m in mentions.mentions}


def test_a_ticker_after_a_name_is_no_part_of_it_and_its_code_is_the_company() -> None:
    found = actors("Banca Ostrand BOS.MI a rejeté l'offre de Valmont. BOS recule de 2 % à Milan, "
                   "tandis que Norvia (NRV.PA) progresse et que NRV gagne 1 %.")
    assert found["Banca Ostrand"] == ("banca-ostrand", "Organization")
    assert "BOS.MI" not in found
    assert found["NRV"][0] == found["Norvia"][0] == "norvia"


def test_a_legal_suffix_names_the_same_company_as_the_bare_name() -> None:
    found = actors("Valmont Inc a déposé une offre sur Kesterel. Le conseil de Kesterel a reçu Valmont.")
    assert found["Valmont Inc"] == found["Valmont"] == ("valmont", "Organization")


def test_a_company_word_in_a_name_makes_it_a_company_not_a_person() -> None:
    found = actors("Selon Norvia Holdings, Arkadis Steel a proposé de racheter Tarvex.")
    assert found["Norvia Holdings"][1] == "Organization"
    assert found["Arkadis Steel"][1] == "Organization"


def test_names_with_a_digit_or_a_lower_case_first_letter_are_names() -> None:
    found = actors("Le groupe Valmont a racheté 3Dvision en mars, puis eBrisk en juin, "
                   "à l'issue d'une bataille avec l'éditeur d'Ostrand.")
    assert found["3Dvision"][0] == "3dvision"
    assert found["eBrisk"][0] == "ebrisk"
    assert "d'Ostrand" not in found


def test_a_name_without_its_trailing_company_word_is_the_same_company() -> None:
    found = actors("Norvia a proposé de racheter Kesterel Technologies. Le conseil de Kesterel "
                   "a reçu l'offre de Norvia.")
    assert found["Kesterel Technologies"][0] == found["Kesterel"][0] == "kesterel-technologies"



def test_two_companies_joined_by_a_hyphen_after_a_deal_word_are_two_names() -> None:
    found = actors("Tarvex et Norvia confirment leurs discussions. La fusion Tarvex-Norvia "
                   "sera examinée à Bruxelles.")
    assert found["Tarvex"][0] == "tarvex" and found["Norvia"][0] == "norvia"
    assert "Tarvex-Norvia" not in found


def test_a_hyphenated_name_never_written_apart_stays_one_name() -> None:
    found = actors("Le rachat de Kesterel par Hanse-Lindqvist inquiète. L'opération Hanse-Lindqvist "
                   "sera bouclée en mai.")
    assert found["Hanse-Lindqvist"][0] == "hanse-lindqvist"
    assert "Hanse" not in found and "Lindqvist" not in found


def test_a_hyphenated_group_acting_in_the_sentence_stays_one_name() -> None:
    found = actors("Tarvex et Norvia ont fusionné en 2019. Tarvex-Norvia détient 20 % de Kesterel.")
    assert found["Tarvex-Norvia"][0] == "tarvex-norvia"


def test_a_name_never_ends_on_a_small_word_the_recogniser_ran_on_into() -> None:
    found = actors("Norvik a rejeté le projet de rachat de sa filiale Pellion par Rocheval.")
    assert not [surface for surface in found if surface.split()[-1].islower()]
    assert found["Pellion"][0] == "pellion"


def test_a_name_run_together_from_a_longer_one_is_the_same_company() -> None:
    found = actors("Le groupe Norvane Resources Holding of Quebec a rejeté l'offre. NorvaneRes a convoqué son conseil.")
    assert found["NorvaneRes"][0] == found["Norvane Resources Holding of Quebec"][0]


# -- names with digits, "&", initials ----------------------------------------------------


def test_a_number_in_a_name_is_part_of_it_and_makes_it_a_company() -> None:
    found = actors("Le groupe Valmont a racheté Radio 7 pour 30 millions d'euros. "
                   "Le fonds 4D Partners a ensuite déposé une offre sur Tarvex.")
    assert found["Radio 7"] == ("radio-7", "Organization")
    assert found["4D Partners"] == ("4d-partners", "Organization")
    found = actors("Norvia a annoncé l'acquisition de 21st Aventure Media pour 2 milliards, "
                   "avec le soutien du fonds 3G Ventures.")
    assert found["21st Aventure Media"][0] == "21st-aventure-media"
    assert found["3G Ventures"][0] == "3g-ventures"
    assert "Aventure Media" not in found and "G Ventures" not in found


def test_a_quantity_after_a_name_is_no_part_of_it() -> None:
    found = actors("Kesterel détient désormais 12 % de Brandel, qui a cédé 3 usines à Norvia.")
    assert not [surface for surface in found if any(c.isdigit() for c in surface)]


def test_an_ampersand_makes_a_company_and_and_co_is_a_legal_suffix() -> None:
    found = actors("Martin & Fils a rejeté l'offre de Kesterel.")
    assert found["Martin & Fils"][1] == "Organization"
    found = actors("Le distributeur Brival & Co a accepté l'offre de Norvia. Brival a convoqué ses actionnaires.")
    assert found["Brival & Co"] == found["Brival"] == ("brival", "Organization")


def test_group_and_holdings_name_the_same_company_as_the_bare_name() -> None:
    found = actors("Selon Ostrander Holdings, l'offre sur Tarvex est ferme. Ostrander a réuni son conseil.")
    assert found["Ostrander Holdings"][0] == found["Ostrander"][0] == "ostrander"
    assert actors("Vinterberg Group a racheté Tarvex.")["Vinterberg Group"][0] == "vinterberg"


def test_a_legal_suffix_is_not_dropped_when_a_place_would_be_left() -> None:
    found = actors("Le fonds Qatar Holdings a pris 5 % de Kesterel.")
    assert "qatar" not in {key for key, _ in found.values()}


def test_an_exchange_and_a_code_in_brackets_are_the_company_s_ticker() -> None:
    found = actors("Le groupe Valmont (NYSE: VLM) a proposé de racheter Tarvex. VLM gagne 3 %.")
    assert found["VLM"][0] == found["Valmont"][0] == "valmont"
    assert "NYSE" not in found
    found = actors("Norvia (Euronext: NRV) a rejeté l'offre de Kesterel.")
    assert found["NRV"][0] == "norvia" and "Euronext" not in found


def test_a_name_spelt_with_and_without_a_space_is_one_company() -> None:
    found = actors("Arcelor Vinter a proposé de racheter Tarvex. Le conseil de Tarvex a rejeté "
                   "l'offre d'ArcelorVinter.")
    assert found["Arcelor Vinter"] == found["ArcelorVinter"]
    assert found["Arcelor Vinter"][1] == "Organization"
    found = actors("Le groupe Hollis Brandt a racheté Kesterel. HollisBrandt paiera en numéraire.")
    assert found["Hollis Brandt"][0] == found["HollisBrandt"][0]


def test_a_misspelt_company_name_is_the_same_company() -> None:
    found = actors("Le groupe Kesterburg Capital a déposé une offre sur Tarvex. Le conseil de Tarvex "
                   "a rejeté l'offre du groupe Kesterbourg Capital.")
    assert found["Kesterburg Capital"][0] == found["Kesterbourg Capital"][0]
    found = actors("Le groupe Lindqvist Marine a racheté Tarvex. Le groupe Lindqvist Marines paiera en actions.")
    assert found["Lindqvist Marine"][0] == found["Lindqvist Marines"][0]


def test_initials_name_the_same_company_whichever_comes_first() -> None:
    found = actors("Alpha Beta Capital a proposé de racheter Tarvex. ABC a offert 20 euros par action.")
    assert found["ABC"][0] == found["Alpha Beta Capital"][0] == "alpha-beta-capital"
    found = actors("OMV a déposé une offre sur Kesterel. Le fonds Ostra Marin Ventures offre 20 euros par action.")
    assert found["OMV"][0] == found["Ostra Marin Ventures"][0] == "ostra-marin-ventures"


def test_an_apposition_that_says_what_a_name_is_makes_it_a_company() -> None:
    found = actors("Harlan Webb, le fabricant de jouets, a déposé une offre sur Tarvex.")
    assert found["Harlan Webb"][1] == "Organization"
    found = actors("Selon Dora Vance, la société de conseil, Tarvex a rejeté l'offre de Norvia.")
    assert found["Dora Vance"][1] == "Organization"


# -- generic nouns -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "named"), [
    ("Le gouvernement français a rejeté l'offre de Norvia sur Kesterel. L'État détient 15 % de Kesterel.",
     "gouvernement français"),
    ("Le gouvernement allemand juge hostile l'offre de Valmont sur Tarvex. L'État veut garder 10 % de Tarvex.",
     "gouvernement allemand"),
])
def test_the_state_is_the_one_national_government_the_article_names(text: str, named: str) -> None:
    found = actors(text)
    assert found["État"] == found[named] and found[named][1] == "Government"


def test_the_state_is_no_government_when_the_article_names_two() -> None:
    found = actors("Le gouvernement britannique et le gouvernement allemand ont rejeté l'offre de Valmont. "
                   "L'État veut garder sa part.")
    assert found.get("État", ("", ""))[0] not in ("gouvernement-britannique", "gouvernement-allemand")
