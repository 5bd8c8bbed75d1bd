"""Words that look like names but never name an actor: page furniture, a ministry's
portfolio, deal documents, stock indices and exchanges, products."""

from __future__ import annotations

from pathlib import Path

from kg.corpus import read_corpus
from kg.extract import default_extractor


def surfaces(text: str) -> set[str]:
    """Every surface the article's actors are found under (weak candidates included)."""
    _, mentions = default_extractor().matches(text)
    return {m.surface for m in mentions.mentions}


def actor_names(text: str) -> set[str]:
    """The names of the actors the extractor puts in the graph."""
    from tests.extraction import extracted

    return {a.name for a in extracted(text).actors.values()}


def test_a_ministry_s_portfolio_is_no_actor() -> None:
    assert actor_names("Le ministre de l'Industrie, Paul Ferrand, a rejeté l'offre de Valmont sur Tarvex. "
                       "L'Industrie suivra le dossier.") & {"Industrie", "l'Industrie"} == set()
    found = surfaces("Selon le ministre des Transports, Norvia ne rachètera pas Kesterel. "
                     "Transports et Économie se sont réunis lundi.")
    assert not found & {"Transports", "Économie", "Transports et Économie"}


def test_deal_documents_are_no_actors_and_make_no_bidder() -> None:
    from tests.extraction import facts

    text = "Norvia a lancé une OPA hostile sur Kesterel. Le conseil de Kesterel a rejeté l'OPA."
    assert "OPA" not in surfaces(text)
    assert [f.roles["bidder"] for f in facts(text, "bid")] == [["norvia"]]
    text = "Valmont propose une OPE sur Tarvex. Selon le communiqué, l'OPE valorise Tarvex à 2 milliards."
    assert not surfaces(text) & {"OPE", "l'OPE"}


def test_stock_indices_and_exchanges_where_shares_trade_are_no_actors() -> None:
    found = surfaces("À la Bourse de Tarvin, Norvia gagnait 4 % tandis que le CAC 40 reculait de 1 %.")
    assert not found & {"Bourse de Tarvin", "CAC 40", "CAC"}
    found = surfaces("Kesterel, cotée sur le Nasdaq, a rejeté l'offre de Brandel ; le FTSE 100 a peu bougé.")
    assert not found & {"Nasdaq", "FTSE 100", "FTSE"}


def test_an_exchange_that_acts_is_still_an_actor() -> None:
    found = surfaces("La Bourse de Tarvin a rejeté l'offre de Norvia, qui voulait la racheter.")
    assert "Bourse de Tarvin" in found


def test_products_named_after_a_product_noun_are_no_actors() -> None:
    found = surfaces("Norvia, propriétaire des marques Ostral, Vinea et Pomelo, a racheté Kesterel.")
    assert not found & {"Ostral", "Vinea", "Pomelo"}
    assert "Kesterel" in found
    found = surfaces("Le jeu Dragon Realm a séduit Brandel, qui a racheté son éditeur Tarvex.")
    assert "Dragon Realm" not in found and "Tarvex" in found


def test_page_furniture_left_in_the_text_is_no_actor() -> None:
    found = surfaces("Aller au contenu principal. Norvia a lancé une offre sur Kesterel.")
    assert not found & {"Aller", "Aller au contenu principal"}
    found = surfaces("Partager. Imprimer. Tarvex a rejeté l'offre de Valmont.")
    assert not found & {"Partager", "Imprimer"}


JUNK = {"Aller", "Aller au contenu principal", "Partager", "Imprimer", "Industrie", "Transports",
        "Économie", "OPA", "OPE", "Communiqué", "CAC 40", "CAC", "Bourse de Tarvin", "Ostral", "Vinea",
        "Nasdaq", "Publicité", "Menu", "Accueil"}

PAGES = {
    "norvia.txt": """Norvia relance son OPA sur Kesterel
Aller au contenu principal
Menu
Partager
Norvia a relevé lundi son OPA sur Kesterel à 31 euros par action. Aller au contenu principal Partager
Le ministre de l'Industrie, Paul Ferrand, juge l'OPA « amicale ». Industrie et Transports suivent le dossier.
À la Bourse de Tarvin, Kesterel gagnait 6 % tandis que le CAC 40 cédait 0,5 %.
Publicité
""",
    "valmont.txt": """Valmont rachète Tarvex
Accueil
Imprimer
Valmont, propriétaire des marques Ostral et Vinea, a annoncé le rachat de Tarvex pour 2 milliards d'euros.
Selon le communiqué, l'OPE sera lancée en mai. Tarvex, cotée sur le Nasdaq, a accepté l'offre.
Le ministre de l'Économie a salué l'opération.
""",
}


def test_a_folder_of_junk_laden_pages_gives_no_junk_actor(tmp_path: Path) -> None:
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    articles, errors = read_corpus([tmp_path])
    assert not errors and len(articles) == 2
    names: set[str] = set()
    for article in articles:
        facts = default_extractor().extract(article)
        for actor in facts.actors.values():
            names |= {actor.name, *actor.alt_labels}
    assert not names & JUNK, names & JUNK
    assert {"Norvia", "Kesterel", "Valmont", "Tarvex"} <= names
