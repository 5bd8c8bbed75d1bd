"""Write the graph to a file: Turtle, TriG, N-Quads or JSON-LD, deterministic and atomic."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from kg.namespaces import PREFIXES
from kg.store import KGStore

FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld"}


def serialize(store: KGStore, fmt: str = "turtle") -> str:
    """The whole store as text. Turtle and JSON-LD merge the article graphs; TriG and
    N-Quads keep them apart. Output is sorted so two runs give identical files."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from turtle, trig, nquads, jsonld)")
    kind = FORMATS[fmt]
    if kind in ("turtle", "json-ld"):
        graph = Graph()
        _bind(graph)
        for triple in store.dataset.triples((None, None, None)):
            graph.add(triple)
        text = graph.serialize(format=kind, **({"sort_keys": True} if kind == "json-ld" else {}))
        return text
    copy = Dataset()
    _bind(copy)
    for s, p, o, g in store.dataset.quads((None, None, None, None)):
        if g is not None:
            copy.graph(g.identifier if hasattr(g, "identifier") else g).add((s, p, o))
    text = copy.serialize(format=kind)
    if kind == "nquads":
        text = "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    return text


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def write_atomic(path: str | Path, text: str) -> Path:
    """Write through a temporary file and a rename: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def export(store: KGStore, path: str | Path, fmt: str = "turtle") -> Path:
    return write_atomic(path, serialize(store, fmt))
