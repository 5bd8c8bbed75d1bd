"""Generic nouns ("le gouvernement", "l'État", "le régulateur") resolved within each article,
and never one node shared by articles: invented sentences."""

from __future__ import annotations

import pytest
from rdflib import RDF

from kg.corpus import Article
from kg.extract import default_extractor
from kg.namespaces import DKG
from kg.rdf import article_triples
from tests.extraction import ARTICLE_DATE


def referred(text: str) -> dict[str, str]:
    """surface -> actor key of every mention of ``text``."""
    _, mentions = default_extractor().matches(text)
    return {m.surface: m.actor.key for m in mentions.mentions}


def governments(text: str, article_id: str) -> set[str]:
    """IRIs of the Government actors of one article's graph."""
    article = Article(id=article_id, title=article_id, date=ARTICLE_DATE, body=text, source=f"{article_id}.txt")
    return {str(s) for s, p, o in article_triples(default_extractor().extract(article))
            if p == RDF.type and o == DKG.Government}


def test_the_government_is_the_nearest_government_named_before() -> None:
    found = referred("Le gouvernement japonais examine l'offre de Tarvex sur Norvia. "
                     "Le gouvernement a demandé des garanties à Tarvex.")
    assert found["Le gouvernement"] == "gouvernement-japonais"


def test_the_government_is_that_of_the_country_the_parties_share() -> None:
    found = referred("Le groupe japonais Tarvex a lancé une offre sur le japonais Norvia. "
                     "Le gouvernement a demandé des garanties.")
    assert found["Le gouvernement"] == "gouvernement-japonais"


def test_the_regulator_is_the_agency_the_article_names() -> None:
    found = referred("L'autorité japonaise de la concurrence examine l'offre de Tarvex sur Norvia. "
                     "Le régulateur a autorisé le rachat.")
    assert found["Le régulateur"] == found["autorité japonaise de la concurrence"]


@pytest.mark.parametrize("text", [
    "Tarvex a lancé une offre sur Norvia. Le gouvernement a demandé des garanties à Tarvex.",
    "En l'état, Tarvex maintient son offre sur Norvia.",
])
def test_a_generic_noun_nothing_resolves_is_no_actor(text: str) -> None:
    assert not [key for key in referred(text).values() if "gouvernement" in key or "etat" in key]


@pytest.mark.parametrize(("first", "second"), [
    # resolved in each article to the government of its own companies' country
    ("Le groupe japonais Tarvex a lancé une offre sur le japonais Norvia. Le gouvernement a demandé des garanties.",
     "Le groupe italien Ostrand a lancé une offre sur le groupe italien Corlane. Le gouvernement a demandé "
     "des garanties."),
    # written as a name and unresolved: an actor of each article alone
    ("Tarvex a lancé une offre sur Norvia. Le Gouvernement a bloqué le rachat de Norvia par Tarvex.",
     "Ostrand a lancé une offre sur Corlane. Le Gouvernement a bloqué le rachat de Corlane par Ostrand."),
])
def test_two_articles_writing_the_government_never_share_its_node(first: str, second: str) -> None:
    one, other = governments(first, "a-premier"), governments(second, "b-second")
    assert one and other and not one & other
