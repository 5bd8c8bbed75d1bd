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
