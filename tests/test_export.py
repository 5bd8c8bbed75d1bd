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


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_the_merged_export_reads_back_as_the_union_on_every_store(tmp_path, fmt):
    texts = []
    for location in ("memory", str(tmp_path / "kg")):
        with open_store(location) as store:
            union = _fill(store)
            text = serialize(store, fmt)
            back = Graph().parse(data=text, format="json-ld" if fmt == "jsonld" else "turtle")
            assert isomorphic(back, union), location
            texts.append(text)
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
    import json

    from kg.export import serialize_bytes
    from kg.graph import actor_graph

    graph = actor_graph(seed_store.dataset)
    data = serialize_bytes(seed_store, fmt)
    assert serialize_bytes(seed_store, fmt) == data  # byte-identical (no date of writing in GEXF)
    back = _read_actor_graph(fmt, data)
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()

    def decoded(value):  # GraphML and GEXF hold lists and records as their JSON text
        return json.loads(value) if fmt != "cyjs" and isinstance(value, str) and value[:1] in "[{" else value

    bytedance = "https://w3id.org/dealkg/id/org/bytedance"
    assert back.nodes[bytedance]["label"] == "ByteDance" and back.nodes[bytedance]["kind"] == "organization"
    assert decoded(back.nodes[bytedance]["altLabels"]) == graph.nodes[bytedance]["altLabels"]
    expected = {(u, v, data["relation"], json.dumps(data["evidence"], sort_keys=True))
                for u, v, data in graph.edges(data=True)}
    found = {(u, v, data["relation"], json.dumps(decoded(data["evidence"]), sort_keys=True))
             for u, v, data in back.edges(data=True)}
    assert found == expected
    hedged = {(u, v, d["relation"]): d["hedged"] for u, v, d in back.edges(data=True)}
    assert set(hedged.values()) <= {True, False}  # booleans stay booleans


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
