"""Company names as the press writes them: tickers, legal suffixes, company words."""

from __future__ import annotations

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
