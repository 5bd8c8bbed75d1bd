"""The actor graph and the timeline, read from the hand-written fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from kg.graph import RELATIONS, actor_graph, events_timeline, graph_and_timeline
from kg.namespaces import ID_BASE

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"


def iri(path: str) -> str:
    return ID_BASE + path


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def graph(dataset: rdflib.Dataset):
    return actor_graph(dataset)


def edges(graph, relation: str) -> dict[tuple[str, str], dict]:
    return {(u, v): d for u, v, d in graph.edges(data=True) if d["relation"] == relation}


def test_actors_become_nodes_with_kind_names_and_articles(graph) -> None:
    assert graph.number_of_nodes() == 11
    bytedance = graph.nodes[iri("org/bytedance")]
    assert bytedance["label"] == "ByteDance"
    assert bytedance["kind"] == "organization"
    assert bytedance["altLabels"] == ["Bytedance", "la maison-mère chinoise"]
    assert bytedance["sameAs"] == ["http://www.wikidata.org/entity/Q55614480"]
    assert bytedance["articles"] == [iri("article/a1"), iri("article/a2")]
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert kinds[iri("person/donald-trump")] == "person"
    assert kinds[iri("gov/departement-du-tresor-des-etats-unis")] == "government"
    assert kinds[iri("media/reuters")] == "media"


def test_every_edge_has_a_known_relation_and_evidence(graph) -> None:
    for _, _, data in graph.edges(data=True):
        assert data["relation"] in RELATIONS
        assert data["evidence"], data
        for ev in data["evidence"]:
            assert set(ev) == {
                "sentence", "article_title", "article_date", "article_iri", "rule", "hedged"
            }
    assert {d["relation"] for _, _, d in graph.edges(data=True)} == set(RELATIONS)


def test_bid_goes_from_bidder_to_target_with_evidence_from_both_articles(graph) -> None:
    bid = edges(graph, "bid")[(iri("org/microsoft"), iri("org/tiktok-etats-unis"))]
    assert bid["status"] == "Rejected"
    assert bid["sellers"] == [iri("org/bytedance")]
    assert bid["rejected_by"] == ["ByteDance"]
    assert bid["date"] == "2020-08"
    assert bid["summary"] == "Microsoft → TikTok (États-Unis): bid, rejected by ByteDance"
    assert [e["article_iri"] for e in bid["evidence"]] == [iri("article/a2"), iri("article/a1")]
    first = bid["evidence"][1]
    assert first["sentence"].startswith("Microsoft informe que ByteDance")
    assert first["article_title"] == "C'est non pour un rachat de TikTok par Microsoft"
    assert first["article_date"] == "2020-09-14"
    assert first["rule"] == "bid.reject.refuse-to-sell"
    assert first["hedged"] is False


def test_joint_bid_gives_one_edge_per_bidder(graph) -> None:
    bids = edges(graph, "bid")
    target = iri("org/tiktok-etats-unis")
    assert bids[(iri("org/oracle"), target)]["status"] == "Pending"
    assert bids[(iri("org/walmart"), target)]["status"] == "Pending"


def test_rejection_goes_from_rejecter_to_bidder_and_names_the_target(graph) -> None:
    rejected = edges(graph, "rejected")
    data = rejected[(iri("org/bytedance"), iri("org/microsoft"))]
    assert data["targets"] == [iri("org/tiktok-etats-unis")]
    assert data["summary"] == "ByteDance rejected Microsoft's bid for TikTok (États-Unis)"


def test_regulators_point_at_the_bid_target(graph) -> None:
    regulates = edges(graph, "regulates")
    target = iri("org/tiktok-etats-unis")
    cfius = regulates[(iri("gov/comite-pour-l-investissement-etranger-aux-etats-unis"), target)]
    assert cfius["actions"] == ["Review"]
    assert cfius["date"] == "2020-09-10"
    # the regulatory action's own sentence, not the bid's
    assert len(cfius["evidence"]) == 1
    assert cfius["evidence"][0]["rule"] == "regulator.review"
    assert (iri("gov/departement-du-tresor-des-etats-unis"), target) in regulates


def test_deadline_links_imposer_to_the_target_of_the_bid_it_concerns(graph) -> None:
    deadline = edges(graph, "deadline")[(iri("person/donald-trump"), iri("org/tiktok-etats-unis"))]
    assert deadline["due_date"] == "2020-09-15"
    assert deadline["what"] == ["conclure une vente"]


def test_other_relations(graph) -> None:
    partner = edges(graph, "partner")
    assert list(partner) == [(iri("org/oracle"), iri("org/tiktok"))]
    hedged = partner[(iri("org/oracle"), iri("org/tiktok"))]
    assert hedged["hedged"] is True and hedged["evidence"][0]["hedged"] is True
    assert (iri("org/bytedance"), iri("org/tiktok")) in edges(graph, "owns")
    assert edges(graph, "stake")[(iri("org/walmart"), iri("org/tiktok-etats-unis"))]["sizes"] == [
        "7,5 %"
    ]
    assert edges(graph, "role")[(iri("person/shou-zi-chew"), iri("org/tiktok"))]["title"] == "PDG"
    assert (iri("org/tiktok"), iri("person/donald-trump")) in edges(graph, "lawsuit")
    part = edges(graph, "part_of")[(iri("org/tiktok-etats-unis"), iri("org/tiktok"))]
    assert {e["article_iri"] for e in part["evidence"]} == {iri("article/a1"), iri("article/a2")}


def test_shortcut_triples_do_not_duplicate_event_edges(graph) -> None:
    # oracle partnerOf tiktok AND tiktok partnerOf oracle, plus the Partnership event
    assert len(edges(graph, "partner")) == 1
    assert graph.number_of_edges(iri("org/bytedance"), iri("org/tiktok")) == 1


def test_shortcut_triple_alone_still_gives_an_edge() -> None:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(
        data=f"""
        @prefix dkg: <https://w3id.org/dealkg/ontology#> .
        <{iri("article/x")}> {{
            <{iri("org/a")}> a dkg:Organization ; dkg:owns <{iri("org/b")}> .
        }}""",
        format="trig",
    )
    graph = actor_graph(ds)
    assert list(edges(graph, "owns")) == [(iri("org/a"), iri("org/b"))]
    # B is only ever an object: still a node, named from its IRI
    assert graph.nodes[iri("org/b")]["label"] == "b"


def test_empty_dataset_gives_empty_graph_and_timeline() -> None:
    ds = rdflib.Dataset(default_union=True)
    assert actor_graph(ds).number_of_nodes() == 0
    assert events_timeline(ds) == []


def test_timeline_is_sorted_and_keeps_date_precision(dataset) -> None:
    timeline = events_timeline(dataset)
    assert [(t["date"], t["kind"]) for t in timeline] == [
        ("2020-08", "bid"),
        ("2020-09", "article"),
        ("2020-09-10", "regulatory"),
        ("2020-09-13", "bid"),
        ("2020-09-14", "article"),
        ("2020-09-15", "deadline"),
    ]
    assert timeline[0]["granularity"] == "month"
    assert timeline[0]["label"] == "Microsoft → TikTok (États-Unis): bid, rejected by ByteDance"
    assert timeline[0]["evidence"][0]["sentence"]
    deadline = timeline[-1]
    assert deadline["label"] == "Deadline: conclure une vente (set by Donald Trump)"
    assert iri("person/donald-trump") in deadline["actors"]


def test_oxigraph_store_gives_the_same_graph_timeline_and_deals(dataset, graph) -> None:
    """An embedded store's Dataset is read through Oxigraph directly: every attribute is as rdflib reads it."""
    from kg.deals import deal_timelines

    ds = rdflib.Dataset(store="Oxigraph", default_union=True)
    ds.parse(FIXTURE, format="trig")
    other = actor_graph(ds)
    assert dict(other.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(other.edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))
    assert other.graph == graph.graph
    assert events_timeline(ds) == events_timeline(dataset)
    # kg viz reads the facts once for both
    together = graph_and_timeline(ds)
    assert sorted(together[0].edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))
    assert dict(together[0].nodes(data=True)) == dict(graph.nodes(data=True))
    assert together[1] == events_timeline(dataset)
    assert [t.to_dict() for t in deal_timelines(ds)] == [t.to_dict() for t in deal_timelines(dataset)]


def test_one_sentence_matched_by_several_rules_lists_them_in_rule_order() -> None:
    rules = ["f.six", "b.two", "e.five", "a.one", "d.four", "c.three"]
    evidence = "\n".join(
        f'id:evidence\\/x-{i} a dkg:Evidence ; dkg:sentence "A offre de racheter B." ; '
        f'dkg:startOffset 0 ; dkg:rule "{rule}" ; dkg:article id:article\\/x .'
        for i, rule in enumerate(rules)
    )
    links = ", ".join(f"id:evidence\\/x-{i}" for i in range(len(rules)))
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=f"""
        @prefix dkg: <https://w3id.org/dealkg/ontology#> .
        @prefix id: <https://w3id.org/dealkg/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        id:article\\/x {{
            id:article\\/x a dkg:Article .
            id:org\\/a a dkg:Organization ; rdfs:label "A" .
            id:org\\/b a dkg:Organization ; rdfs:label "B" .
            id:bid\\/a--b a dkg:Bid ; dkg:bidder id:org\\/a ; dkg:target id:org\\/b ;
                dkg:eventDate "2020-01-02"^^xsd:date ; dkg:evidence {links} .
            {evidence}
        }}""", format="trig")
    (_, _, bid), = actor_graph(ds).edges(data=True)
    assert [e["rule"] for e in bid["evidence"]] == sorted(rules)
    (item,) = [i for i in events_timeline(ds) if i["kind"] == "bid"]
    assert [e["rule"] for e in item["evidence"]] == sorted(rules)


def test_plain_graph_has_only_scalar_attributes_and_round_trips_through_graphml_and_gexf(
    graph, tmp_path: Path
) -> None:
    import networkx as nx

    from kg.graph import plain_graph

    plain = plain_graph(graph)
    scalars = (str, int, float, bool)
    assert all(isinstance(v, scalars) for v in plain.graph.values())
    assert all(isinstance(v, scalars) for _, d in plain.nodes(data=True) for v in d.values())
    assert all(isinstance(v, scalars) for _, _, d in plain.edges(data=True) for v in d.values())

    nx.write_graphml(plain, tmp_path / "g.graphml")
    nx.write_gexf(plain, tmp_path / "g.gexf")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == graph.number_of_nodes() == 11
    assert back.number_of_edges() == graph.number_of_edges() == 13
    bytedance = back.nodes[iri("org/bytedance")]
    assert bytedance["label"] == "ByteDance"
    assert bytedance["altLabels"] == "Bytedance | la maison-mère chinoise"
    assert bytedance["article_count"] == 2
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == 13

    (bid,) = [d for u, v, d in back.edges(data=True) if u == iri("org/microsoft") and d["relation"] == "bid"]
    assert bid["status"] == "Rejected"
    assert bid["hedged"] is False
    evidence = json.loads(bid["evidence"])
    assert bid["evidence_count"] == len(evidence) >= 1
    assert any(e["sentence"].startswith("Microsoft informe que ByteDance") for e in evidence)
    articles = json.loads(back.graph["articles"])
    assert articles[iri("article/a1")]["source"] == "seeds/a1.txt"


def _two_articles(first: tuple[str, str], second: tuple[str, str]) -> rdflib.Dataset:
    """Two article graphs, each with one company (IRI slug, label) bidding for its own
    target: what two builds of two articles that spell the bidder differently give."""
    from rdflib import RDF, RDFS, Literal, URIRef

    from kg.namespaces import DKG

    ds = rdflib.Dataset(default_union=True)
    for n, (slug, label) in enumerate((first, second), start=1):
        g = ds.graph(URIRef(iri(f"article/s{n}")))
        g.add((URIRef(iri(f"article/s{n}")), RDF.type, DKG.Article))
        company, target = URIRef(iri(f"org/{slug}")), URIRef(iri(f"org/cible-{n}"))
        for node, name in ((company, label), (target, f"Cible {n}")):
            g.add((node, RDF.type, DKG.Organization))
            g.add((node, RDFS.label, Literal(name)))
        bid = URIRef(iri(f"bid/{slug}--cible-{n}"))
        g.add((bid, RDF.type, DKG.Bid))
        g.add((bid, DKG.bidder, company))
        g.add((bid, DKG.target, target))
        g.add((bid, DKG.status, DKG.Announced))
    return ds


@pytest.mark.parametrize(("first", "second"), [
    (("tar-vex", "Tar-Vex"), ("tarvex", "TarVex")),  # hyphenation
    (("ostrand-mining", "Ostrand Mining"), ("ostrandt-mining", "Ostrandt Mining")),  # a typo
    (("grevine-industries", "Grévine Industries"), ("grevinne-industries", "Grevinne industries")),
])
def test_one_company_spelt_two_ways_in_two_articles_is_one_node(first, second) -> None:
    graph = actor_graph(_two_articles(first, second))
    kept = iri(f"org/{first[0]}")
    assert iri(f"org/{second[0]}") not in graph
    assert second[1] in graph.nodes[kept]["altLabels"]
    assert graph.nodes[kept]["articles"] == [iri("article/s1"), iri("article/s2")]
    assert {v for u, v, d in graph.edges(data=True) if u == kept and d["relation"] == "bid"} == {
        iri("org/cible-1"), iri("org/cible-2")}


@pytest.mark.parametrize(("first", "second"), [
    (("tarvex-capital", "Tarvex Capital"), ("tarvex-partners", "Tarvex Partners")),  # another word
    (("norvia-2", "Norvia 2"), ("norvia-3", "Norvia 3")),  # another number
    (("corlane-energy", "Corlane Energy"), ("corlane-energie", "Corlane Énergie")),  # two letters
    (("harvel", "Harvel"), ("harvey", "Harvey")),  # a short name
    (("maribor-holdings", "Maribor Holdings"), ("maribor", "Maribor")),  # as many words only
])
def test_two_companies_with_close_names_stay_two_nodes(first, second) -> None:
    graph = actor_graph(_two_articles(first, second))
    assert iri(f"org/{first[0]}") in graph and iri(f"org/{second[0]}") in graph
