"""kg stats: counts, centrality, groups and deal links on the fixture."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from kg.namespaces import ID_BASE
from kg.stats import centrality, format_stats, graph_stats

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"


@pytest.fixture(scope="module")
def stats() -> dict:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return graph_stats(ds)


def test_stats_are_json_serialisable(stats: dict) -> None:
    assert json.loads(json.dumps(stats)) == stats


def test_counts(stats: dict) -> None:
    counts = stats["counts"]
    assert counts["articles"] == 2
    assert counts["triples"] > 100
    assert counts["actors"] == {"government": 2, "media": 1, "organization": 6, "person": 2}
    assert counts["events"]["Bid"] == 2
    assert counts["events"]["RegulatoryAction"] == 1
    assert counts["relations"]["bid"] == 3


def test_most_central_actor_is_the_bid_target(stats: dict) -> None:
    top = stats["central"][0]
    assert top["label"] == "TikTok (États-Unis)"
    assert top["id"] == ID_BASE + "org/tiktok-etats-unis"
    assert top["degree"] > 0 and top["betweenness"] > 0
    assert len(stats["central"]) == 10
    degrees = [a["degree"] for a in stats["central"]]
    assert degrees == sorted(degrees, reverse=True)


def test_connected_groups_largest_first(stats: dict) -> None:
    groups = stats["groups"]
    assert [g["size"] for g in groups] == [10, 1]
    assert groups[1]["members"] == ["Reuters"]  # cited as a source, linked to no one
    assert "Microsoft" in groups[0]["members"]


def test_links_through_bids_and_regulation(stats: dict) -> None:
    pairs = {(x["source_label"], x["relation"], x["target_label"]) for x in stats["links"]}
    assert ("Microsoft", "bid", "TikTok (États-Unis)") in pairs
    assert ("ByteDance", "rejected", "Microsoft") in pairs
    assert ("CFIUS", "regulates", "TikTok (États-Unis)") in pairs
    assert ("Donald Trump", "deadline", "TikTok (États-Unis)") in pairs
    assert not any(x["relation"] in ("partner", "role") for x in stats["links"])


def test_format_stats_for_the_terminal(stats: dict) -> None:
    text = format_stats(stats)
    assert "Articles: 2" in text
    assert "Most central actors" in text
    assert "TikTok (États-Unis)" in text
    assert "Microsoft → TikTok (États-Unis): bid, rejected by ByteDance" in text
    # a joint bid is two edges but one line
    assert text.count("Oracle & Walmart → TikTok (États-Unis): bid, pending") == 1


def test_centrality_on_a_large_graph_samples_betweenness_deterministically() -> None:
    g = nx.MultiDiGraph(nx.gnm_random_graph(800, 1600, seed=3, directed=True))
    first, second = centrality(g), centrality(g)
    assert first == second
    assert len(first) == 800
