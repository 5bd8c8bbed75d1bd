"""User and money figures: a number, its scale and unit, and what it measures."""

from __future__ import annotations

from decimal import Decimal

from kg.build import build
from kg.query import run_query
from kg.store import open_store


def test_users_figure_on_the_seeds(ask):
    rows = ask("SELECT ?amount ?unit WHERE { ?f a dkg:Figure ; dkg:figureOf org:tiktok ; "
               "dkg:amount ?amount ; dkg:unit ?unit ; dkg:evidence/dkg:rule ?rule }")
    assert ("100000000", "utilisateur") in rows  # "TikTok revendique 100 millions d'utilisateurs"
    assert ("37200000", "utilisateur") in rows  # "37,2 millions d'utilisateurs": decimal comma


def test_a_price_measures_the_bid_of_its_sentence(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deal.txt").write_text(
        "Publié le 03-08-2021 par Jeanne Martin\n\n"
        "Le constructeur Renault a annoncé lundi le rachat de Nissan pour 5,5 milliards d'euros. "
        "Le groupe japonais compte 130 000 salariés.\n", encoding="utf-8")
    store = open_store("memory")
    assert build([corpus], store).ok
    rows = run_query(store, "SELECT ?amount ?unit ?bidder WHERE { ?f a dkg:Figure ; dkg:amount ?amount ; "
                            "dkg:unit ?unit ; dkg:figureOf/dkg:bidder/rdfs:label ?bidder }").rows
    assert [(Decimal(a), u, b) for a, u, b in rows] == [(Decimal("5500000000"), "EUR", "Renault")]
    counts = run_query(store, "SELECT ?amount ?of WHERE { ?f dkg:unit 'salarié' ; dkg:amount ?amount ; "
                              "dkg:figureOf/rdfs:label ?of }").rows
    assert [(Decimal(a), o) for a, o in counts] == [(Decimal("130000"), "Nissan")]
