"""Turtle and JSON-LD exports: the union of the article graphs, each triple once, whatever the store."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import serialize
from kg.store import open_store

_ODD = ["a\rb", "c\u2028d", "e\x0cf", "tab\there", 'q"\\', "line\nbreak", "ça « va »", "trailing \\"]


def _fill(store) -> Graph:
    """Two article graphs sharing some triples; returns their union as rdflib sees it."""
    union = Graph()
    for g in ("https://w3id.org/dealkg/id/article/one", "https://w3id.org/dealkg/id/article/two"):
        graph = store.dataset.graph(URIRef(g))
        for i, text in enumerate(_ODD):
            triple = (URIRef(f"https://w3id.org/dealkg/id/org/x{i}"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                      Literal(text))
            graph.add(triple)
            union.add(triple)
        numbers = (URIRef(g), URIRef("https://w3id.org/dealkg/ontology#amount"), Literal(12))
        graph.add(numbers)
        union.add(numbers)
    return union


def test_the_merged_export_reads_back_as_the_union_on_every_store(tmp_path):
    texts = []
    for location in ("memory", str(tmp_path / "kg")):
        with open_store(location) as store:
            union = _fill(store)
            text = serialize(store, "turtle")
            back = Graph().parse(data=text, format="turtle")
            assert isomorphic(back, union), location
            texts.append(text)
    assert texts[0] == texts[1]  # same bytes from both kinds of store


_ARTICLES = """@prefix dkg: <https://w3id.org/dealkg/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix a: <https://w3id.org/dealkg/id/article/> . @prefix org: <https://w3id.org/dealkg/id/org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
a:one { a:one a dkg:Article ; <https://schema.org/datePublished> "2020-09-15"^^xsd:date .
  org:x a dkg:Organization ; rdfs:label "X", "X SA"@fr, "tab\there « ça »" ; dkg:amount 12, 1.5 ;
    <http://example.org/other#p> <http://example.org/no-prefix> , <https://schema.org///odd> ;
    dkg:evidence <https://w3id.org/dealkg/id/evidence/e1> .
  <https://w3id.org/dealkg/id/evidence/e1> dkg:sentence "Une phrase." . }
a:two { a:two a dkg:Article . org:x a dkg:Organization ; rdfs:label "X" ; dkg:partOf org:y . }
"""


def _normal(value):
    """A JSON-LD value with its arrays sorted and single values unwrapped, for comparing documents."""
    import json

    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list):
        items = sorted((_normal(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
        return items[0] if len(items) == 1 else items
    return value


def test_jsonld_is_compact_with_the_prefixes_and_one_graph_per_article(tmp_path):
    import json

    from pyld import jsonld

    from kg.namespaces import PREFIXES

    texts = []
    for location in ("memory", str(tmp_path / "kg")):
        with open_store(location) as store:
            store.dataset.parse(data=_ARTICLES, format="trig")
            expected = Dataset()
            expected.parse(data=_ARTICLES, format="trig")
            text = serialize(store, "jsonld")
            texts.append(text)
        document = json.loads(text)
        assert document["@context"] == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        assert [graph["@id"] for graph in document["@graph"]] == ["article:one", "article:two"]
        nodes = {node["@id"]: node for node in document["@graph"][0]["@graph"]}
        assert nodes["org:x"]["@type"] == "dkg:Organization" and "X" in nodes["org:x"]["rdfs:label"]
        assert nodes["org:x"]["http://example.org/other#p"] == [{"@id": "http://example.org/no-prefix"},
                                                                {"@id": "https://schema.org///odd"}]
        # rdflib reads every article graph back as it was
        back = Dataset()
        back.parse(data=text, format="json-ld")
        for name in ("https://w3id.org/dealkg/id/article/one", "https://w3id.org/dealkg/id/article/two"):
            assert isomorphic(back.graph(URIRef(name)), expected.graph(URIRef(name))), name
        # pyld reads the same quads, and its own compaction with this context leaves the document as it is
        quads = jsonld.to_rdf(document, {"format": "application/n-quads"})
        assert len(quads.splitlines()) == len(list(expected.quads((None, None, None, None))))
        assert "<https://schema.org///odd>" in quads
        recompacted = jsonld.compact(document, {"@context": document["@context"]})
        # (but for the IRI that pyld 3.3 writes "schema://odd", which JSON-LD reads as another IRI)
        for values in (recompacted, document):
            (x,) = [node for node in values["@graph"][0]["@graph"] if node["@id"] == "org:x"]
            x["http://example.org/other#p"].pop()
        assert _normal(recompacted) == _normal(document)
    assert texts[0] == texts[1]  # same bytes from both kinds of store


def test_each_subject_is_written_once_with_its_prefix(tmp_path):
    with open_store(str(tmp_path / "kg")) as store:
        _fill(store)
        text = serialize(store, "turtle")
    assert "@prefix org: <https://w3id.org/dealkg/id/org/> ." in text
    subjects = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace()
                and not line.startswith("@prefix")]
    assert "org:x0" in subjects and len(subjects) == len(set(subjects))
    assert Dataset().parse(data=text, format="turtle")


def _read_actor_graph(fmt: str, data: bytes):
    import io
    import json

    import networkx as nx

    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data))
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(data))
    return nx.cytoscape_graph(json.loads(data))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_the_actor_graph_exports_reopen_in_networkx_with_their_attributes(seed_store, fmt):
    from kg.export import serialize_bytes
    from kg.graph import actor_graph, plain_graph

    graph = actor_graph(seed_store.dataset)
    # GraphML and GEXF hold kg.graph.plain_graph's scalars; Cytoscape JSON the lists and records themselves
    expected = graph if fmt == "cyjs" else plain_graph(graph)
    data = serialize_bytes(seed_store, fmt)
    assert serialize_bytes(seed_store, fmt) == data  # byte-identical (no date of writing in GEXF)
    back = _read_actor_graph(fmt, data)
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(expected.nodes) and back.number_of_edges() == expected.number_of_edges()
    added = {"cyjs": {"id", "name", "value", "source", "target", "key"}, "gexf": {"id"}}.get(fmt, set())
    for node, attributes in expected.nodes(data=True):
        assert {k: v for k, v in back.nodes[node].items() if k not in added} == attributes, node
    for u, v, key, attributes in expected.edges(keys=True, data=True):
        assert {k: v for k, v in back.edges[u, v, key].items() if k not in added} == attributes, (u, v, key)
    bytedance = back.nodes["https://w3id.org/dealkg/id/org/bytedance"]
    assert bytedance["label"] == "ByteDance" and bytedance["kind"] == "organization"


def test_export_writes_the_actor_graph_to_a_file_or_standard_output(seed_store_copy, tmp_path):
    import os
    import stat

    from click.testing import CliRunner

    from kg.cli import cli

    target = tmp_path / "actors.gexf"
    previous = os.umask(0o027)
    try:
        written = CliRunner().invoke(cli, ["export", "-f", "gexf", "-o", str(target), "--store", seed_store_copy])
    finally:
        os.umask(previous)
    assert written.exit_code == 0 and written.output == f"wrote {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    printed = CliRunner().invoke(cli, ["export", "-f", "gexf", "-o", "-", "--store", seed_store_copy])
    assert printed.exit_code == 0 and printed.output_bytes == target.read_bytes()
    assert _read_actor_graph("gexf", target.read_bytes()).number_of_nodes() > 10
