"""One deal's timeline across the articles: kg.deals and ``kg deal``.

On the seeds, what the timeline must hold is read from the store with plain SPARQL
(the dates the articles give, the articles that speak of the deal, the sentences),
never typed in. Disagreeing articles come from ``docs/examples/deal.trig`` (invented
companies), whose three articles end Valmont's bid for Kesterel on three statuses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.deals import AmbiguousDeal, DealNotFound, deal_timeline, deal_timelines, find_deals
from kg.graph import iso_date
from kg.namespaces import SPARQL_PREFIXES
from kg.store import open_store

from .conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "deal.trig"
BID = "https://w3id.org/dealkg/id/bid/valmont-kesterel"
ARTICLE = "https://w3id.org/dealkg/id/article/"


def select(store, sparql: str) -> list[tuple[str | None, ...]]:
    return store.select(SPARQL_PREFIXES + sparql)


@pytest.fixture(scope="module")
def busiest(seed_store) -> str:
    """The seed deal that the most articles speak of (ties: the first IRI)."""
    rows = select(seed_store, "SELECT ?bid (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?bid a dkg:Bid } } "
                              "GROUP BY ?bid ORDER BY DESC(?n) ?bid")
    assert int(rows[0][1]) > 1, "the seeds should hold a deal told by several articles"
    return str(rows[0][0])


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> str:
    """docs/examples/deal.trig in an embedded store (a closed folder, for commands to open)."""
    location = str(tmp_path_factory.mktemp("deal") / "kg")
    with open_store(location) as store:
        store.ox.load(path=str(EXAMPLE), format=ox.RdfFormat.TRIG)
    return location


@pytest.fixture
def example_store(example):
    with open_store(example, write=False) as store:
        yield store


def test_a_seed_deal_timeline_holds_every_date_the_articles_give_it_in_order(seed_store, busiest):
    timeline = deal_timeline(seed_store, busiest)
    # the dates the articles give its status changes and regulatory acts, and its deadlines' due dates
    expected = {iso_date(d) for (d,) in select(seed_store, f"""
        SELECT DISTINCT ?d WHERE {{ GRAPH ?g {{
          {{ <{busiest}> dkg:statusChange/dkg:eventDate ?d }}
          UNION {{ ?act dkg:concerns <{busiest}> ; a dkg:RegulatoryAction ; dkg:eventDate ?d }}
          UNION {{ <{busiest}> dkg:deadline/dkg:dueDate ?d }}
          UNION {{ ?dl dkg:concerns <{busiest}> ; a dkg:Deadline ; dkg:dueDate ?d }}
        }} }}""")}
    assert len(expected) > 1
    assert {e.date for e in timeline.events if e.date} == expected
    whens = [e.when for e in timeline.events]
    assert None not in whens and whens == sorted(whens)
    due = {iso_date(d) for (d,) in select(seed_store, f"SELECT ?d WHERE {{ <{busiest}> dkg:deadline/dkg:dueDate ?d }}")}
    assert {e.date for e in timeline.events if e.kind == "deadline"} == due


def test_a_seed_deal_timeline_cites_each_article_and_its_own_sentences(seed_store, busiest):
    timeline = deal_timeline(seed_store, busiest)
    graphs = {g for (g,) in select(seed_store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{busiest}> a dkg:Bid }} }}")}
    assert {a.iri for a in timeline.articles} == graphs
    for e in timeline.events:
        said = {" ".join(str(s).split()) for (s,) in select(
            seed_store, f"SELECT ?s WHERE {{ GRAPH <{e.article.iri}> {{ ?ev a dkg:Evidence ; dkg:sentence ?s }} }}")}
        assert e.sentence in said, (e.what, e.article.id)
        headline = select(seed_store, f"SELECT ?h WHERE {{ GRAPH <{e.article.iri}> {{ <{e.article.iri}> "
                                      "schema:headline ?h } }")
        assert e.article.headline == headline[0][0]
        assert e.article.source and Path(ROOT, e.article.source).is_file()


def test_a_seed_refusal_names_who_refused_and_each_article_its_latest_status(seed_store, busiest):
    timeline = deal_timeline(seed_store, busiest)
    refusers = {label for (label,) in select(seed_store, f"""
        SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ <{busiest}> dkg:rejectedBy/rdfs:label ?l }} }}""")}
    refusals = [e for e in timeline.events if e.kind == "refusal"]
    assert refusals and refusers
    assert all(set(e.actors) <= refusers and e.what.endswith(" & ".join(e.actors)) for e in refusals)
    per_article = {(ARTICLE + g.rsplit("/", 1)[-1], s.rsplit("#", 1)[-1]) for g, s in select(
        seed_store, f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ <{busiest}> dkg:status ?s }} }}")}
    assert {(s.article.iri, s.status) for s in timeline.statuses} == per_article


def test_a_bidder_name_picks_its_deals_whatever_the_case_and_accents(seed_store, busiest):
    deal = find_deals(seed_store, busiest)[0]
    words = " ".join(p.label for p in deal.bidders + deal.targets)
    bare = "".join(c for c in unicodedata.normalize("NFKD", words) if not unicodedata.combining(c))
    assert busiest in [d.bid for d in find_deals(seed_store, bare.upper())]
    # a bidder in several deals: its name lists every one of them
    shared = select(seed_store, """
        SELECT ?l (COUNT(DISTINCT ?bid) AS ?n) WHERE { GRAPH ?g { ?bid a dkg:Bid ; dkg:bidder/rdfs:label ?l } }
        GROUP BY ?l HAVING (COUNT(DISTINCT ?bid) > 1) ORDER BY ?l""")
    assert shared, "the seeds should hold a bidder in several deals"
    label = str(shared[0][0])
    with pytest.raises(AmbiguousDeal) as caught:
        deal_timeline(seed_store, label.lower())
    bids = {b for (b,) in select(seed_store, f"""
        SELECT DISTINCT ?bid WHERE {{ GRAPH ?g {{ ?bid a dkg:Bid ; dkg:bidder/rdfs:label ?l }}
        FILTER(STR(?l) = "{label}") }}""")}
    assert {d.bid for d in caught.value.candidates} >= bids


def test_articles_that_disagree_on_the_status_are_named(example_store):
    timeline = deal_timeline(example_store, "valmont")
    assert timeline.bid == BID
    disagreement = timeline.disagreement
    assert disagreement is not None
    assert {s: [a.id for a in arts] for s, arts in disagreement.items()} == {
        "Announced": ["d1"], "Rejected": ["d2"], "Pending": ["d3"]}
    assert json.loads(json.dumps(timeline.to_dict()))["disagreement"] == [
        {"status": status, "articles": [ARTICLE + a]} for status, a in
        (("Announced", "d1"), ("Rejected", "d2"), ("Pending", "d3"))]


def test_the_example_timeline_reads_as_its_articles_tell_it(example_store):
    events = deal_timeline(example_store, "Kesterel Valmont").events
    assert [(e.when, e.kind) for e in events] == [
        ("2026-01-10", "status"), ("2026-01-11", "regulatory"), ("2026-02-02", "refusal"),
        ("2026-02-20", "status"), ("2026-03-31", "deadline")]
    refusal = events[2]
    assert refusal.actors == ("Kesterel",) and refusal.article.headline == "Kesterel dit non à Valmont"
    assert refusal.sentence == "Le conseil de Kesterel a rejeté lundi l'offre de Valmont."
    # "auraient repris", with no date of its own: reported, and placed at its article's date
    pending = events[3]
    assert pending.status == "Pending" and pending.hedged and pending.date is None
    assert events[0].article.url == "https://example.org/d1" and events[2].article.source == "corpus/d2.txt"
    assert events[4].actors == ("Autorité de la concurrence de Norvie",)


def test_an_alias_or_an_iri_picks_a_deal_and_a_shared_name_lists_the_candidates(example_store):
    assert deal_timeline(example_store, "LE CHIMISTE LYONNAIS").bid == BID
    assert deal_timeline(example_store, "bid:valmont-kesterel").bid == BID
    assert deal_timeline(example_store, BID).bid == BID
    with pytest.raises(AmbiguousDeal) as caught:
        deal_timeline(example_store, "Kesterel")
    assert [d.summary for d in caught.value.candidates] == ["Borelli Capital → Kesterel", "Valmont → Kesterel"]


@pytest.mark.parametrize(("name", "message"), [
    ("Tarvex", "no deal in the store has a bidder or target called 'Tarvex' "
               "(kg query queries/bids.rq lists the deals)"),
    ("bid:tarvex-kesterel", "no deal in the store has the IRI 'bid:tarvex-kesterel'"),
    ("bid:a> } DROP ALL {", "'bid:a> } DROP ALL {' is not a valid IRI (spaces, quotes, <, >, {, }, |, ^, ` "
                            "and \\ are not allowed)"),
    ("« »", "no deal in the store has a bidder or target called '« »' (kg query queries/bids.rq lists the deals)"),
])
def test_an_unknown_name_is_one_clear_error(example_store, name, message):
    with pytest.raises(DealNotFound) as caught:
        deal_timeline(example_store, name)
    assert str(caught.value) == message


def test_every_deal_at_once_is_what_each_gives_alone(example_store, seed_store):
    for store in (example_store, seed_store):
        every = deal_timelines(store)
        bids = {b for (b,) in select(store, "SELECT DISTINCT ?b WHERE { GRAPH ?g { ?b a dkg:Bid } }")}
        assert {t.bid for t in every} == bids
        assert [t.summary.casefold() for t in every] == sorted(t.summary.casefold() for t in every)
        for timeline in every:
            assert deal_timeline(store, timeline.bid) == timeline


# -- kg deal ------------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(cli, ["deal", *args])


def test_kg_deal_prints_the_timeline_with_the_disagreement_first(example):
    result = invoke("Valmont", "--store", example)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:6] == ["Valmont → Kesterel", "  bid:valmont-kesterel", "  articles disagree on the status:",
                         "    announced: d1 (2026-01-12)", "    rejected: d2 (2026-02-03)",
                         "    pending: d3 (2026-02-20)"]
    steps = [line.split()[:2] for line in lines if re.match(r"\(?\d{4}-", line)]
    assert steps == [["2026-01-10", "status"], ["2026-01-11", "regulatory"], ["2026-02-02", "refusal"],
                     ["(2026-02-20)", "status"], ["2026-03-31", "deadline"]]
    assert "« Le conseil de Kesterel a rejeté lundi l'offre de Valmont. »" in result.output
    assert "— d2 · Kesterel dit non à Valmont · 2026-02-03 · corpus/d2.txt" in result.output
    assert lines[-1] == "5 events in 3 articles; a date in parentheses is the article's (the sentence gives none)"


def test_kg_deal_json_is_the_library_record(example):
    result = invoke("bid:valmont-kesterel", "--format", "json", "--store", example)
    assert result.exit_code == 0, result.output
    with open_store(example, write=False) as store:  # (one process at a time opens a store)
        expected = deal_timeline(store, BID).to_dict()
    assert json.loads(result.output) == json.loads(json.dumps(expected))
    assert [e["when"] for e in expected["events"]] == sorted(e["when"] for e in expected["events"])


def test_kg_deal_on_the_seeds_lists_each_step_of_the_library_timeline(seed_store_copy, seed_store, busiest):
    result = invoke(busiest, "--store", seed_store_copy)
    assert result.exit_code == 0, result.output
    timeline = deal_timeline(seed_store, busiest)
    for e in timeline.events:
        assert f"« {e.sentence} »" in result.output
    assert f"{len(timeline.events)} events in {len(timeline.articles)} articles" in result.output


def test_kg_deal_with_a_shared_name_lists_the_candidates_and_fails(example):
    result = invoke("kesterel", "--store", example)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: 'kesterel' names 2 deals: add a word of the other party's name, or give its IRI:",
        "  bid:borelli-capital-kesterel  Borelli Capital → Kesterel",
        "  bid:valmont-kesterel  Valmont → Kesterel",
    ]


def test_kg_deal_with_an_unknown_name_or_store_is_one_error_line(example, tmp_path):
    result = invoke("Tarvex", "--store", example)
    assert result.exit_code == 1
    assert result.output == ("Error: no deal in the store has a bidder or target called 'Tarvex' "
                             "(kg query queries/bids.rq lists the deals)\n")
    missing = tmp_path / "nowhere"
    result = invoke("Valmont", "--store", str(missing))
    assert result.exit_code == 1
    assert result.output == (f"Error: {missing}: no store here (a mistyped --store?); "
                             f"kg build --store {missing} creates one\n")
    assert not missing.exists()
