"""Who may fill a deal's roles: checks on invented sentences, whatever rule reads them."""

from __future__ import annotations

import pytest

from tests.extraction import facts


def bids(text: str) -> list[tuple[set[str], set[str]]]:
    return [(set(f.roles["bidder"]), set(f.roles["target"])) for f in facts(text, "bid")]


@pytest.mark.parametrize(
    "text",
    [
        "L'Autorité de la concurrence a autorisé jeudi Ostrand à racheter Duvelle.",
        "La Commission européenne a approuvé le rachat de Kesterel. Elle avait ouvert une enquête approfondie.",
    ],
)
def test_an_authority_that_regulates_the_deal_is_never_its_bidder(text: str) -> None:
    for bidders, _ in bids(text):
        assert not bidders & {"autorite-de-la-concurrence", "commission-europeenne"}, bidders


@pytest.mark.parametrize(
    "text",
    [
        "Le groupe Arkema exclut de racheter Hexcel.",
        "Bouygues dément toute offre sur Colas.",
        "Aucune offre de Vinci sur Eiffage n'a été déposée à ce jour.",
    ],
)
def test_a_denying_verb_or_determiner_asserts_no_bid(text: str) -> None:
    assert bids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Maribor se défend de vouloir racheter Tarvex.",
        "Le groupe Norvia se garde bien de lancer une offre sur Ostrand.",
    ],
)
def test_a_reflexive_denial_asserts_no_bid(text: str) -> None:
    assert bids(text) == []


def test_the_same_verb_without_its_reflexive_denies_nothing() -> None:
    assert bids("Maribor défend son offre sur Tarvex.") != []


def test_who_files_an_offer_is_its_bidder() -> None:
    assert ({"vinci"}, {"eiffage"}) in bids("Vinci a déposé mardi une offre publique d'achat sur Eiffage.")


def test_a_name_ending_the_sentence_before_does_not_describe_the_next_subject() -> None:
    # "Le groupe X" opens its own sentence: the name before the full stop is no apposition
    assert bids("Les syndicats ont écrit à la direction de Norvia. Le groupe Tarvex propose de racheter Norvia.") \
        == [({"tarvex"}, {"norvia"})]
    assert bids("Le fonds a quitté le capital de Kesterel. La société Arkadis a racheté Kesterel en mai.") \
        == [({"arkadis"}, {"kesterel"})]


@pytest.mark.parametrize(
    "text",
    [
        "Le fabricant Norvia va être racheté par le fonds Maribor.",
        "Tarvex doit être repris par Grévine pour 2 milliards d'euros.",
    ],
)
def test_the_subject_of_a_passive_infinitive_is_what_is_bought(text: str) -> None:
    # the subject hangs on the auxiliary ("va", "doit"): it is the patient of the passive,
    # never the buyer
    found = bids(text)
    assert found and all(not bidders & targets for bidders, targets in found), found
    assert ({"maribor"}, {"norvia"}) in found or ({"grevine"}, {"tarvex"}) in found, found


@pytest.mark.parametrize(
    ("text", "bidder", "target"),
    [
        ("Harvel a reçu vendredi une offre ferme de la part de Corlane.", "corlane", "harvel"),
        ("Le groupe Norvia est la cible d'une offre hostile de Tarvex.", "tarvex", "norvia"),
        ("Le groupe Grévine a adressé une offre indicative à Ostrand.", "grevine", "ostrand"),
        ("Le chimiste Grévine propose 31 euros par action Ostrand, en numéraire.", "grevine", "ostrand"),
    ],
)
def test_the_target_of_an_offer_received_aimed_or_priced_per_share(text: str, bidder: str, target: str) -> None:
    assert ({bidder}, {target}) in bids(text)


def test_an_offer_sent_to_a_person_does_not_make_the_person_its_target() -> None:
    text = ("Le PDG de Valmont a annoncé, dans une lettre adressée à Jean Dubreuil, le retrait de l'offre "
            "de rachat sur Kesterel.")
    assert all("jean-dubreuil" not in targets for _, targets in bids(text))


def test_a_set_phrase_with_the_word_share_is_no_stake() -> None:
    assert facts("Harvel a reçu vendredi une offre ferme de la part de Corlane.", "stake") == []
