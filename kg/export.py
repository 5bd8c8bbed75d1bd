"""Write the graph to a file: Turtle, TriG, N-Quads or JSON-LD, deterministic and atomic.

Serialisation runs in Oxigraph whatever the store: the embedded store is dumped
directly, the other kinds hand their quads (N-Quads text) to an in-memory
Oxigraph store first. rdflib's serialisers take minutes at a million triples
(FIELD-NOTES); Oxigraph's take seconds. Output is stable: N-Quads lines are
sorted, Turtle and JSON-LD are written from sorted triples, TriG follows
Oxigraph's index order (a function of the content), so two exports of the same
store are byte-identical.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kg.namespaces import PREFIXES
from kg.store import EmbeddedStore, KGStore

if TYPE_CHECKING:
    import pyoxigraph

FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld"}

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def serialize(store: KGStore, fmt: str = "turtle") -> str:
    """The whole store as text. Turtle and JSON-LD merge the article graphs; TriG and
    N-Quads keep them apart. Two runs on the same store give identical text."""
    return serialize_bytes(store, fmt).decode("utf-8")


def serialize_bytes(store: KGStore, fmt: str = "turtle") -> bytes:
    import pyoxigraph as ox

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from turtle, trig, nquads, jsonld)")
    kind = FORMATS[fmt]
    source = _oxigraph_view(store)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if kind == "nquads":
        text: bytes = source.dump(format=ox.RdfFormat.N_QUADS)  # type: ignore[assignment]
        return b"".join(sorted(line + b"\n" for line in text.splitlines() if line.strip()))
    if kind == "trig":
        return source.dump(format=ox.RdfFormat.TRIG, prefixes=prefixes)  # type: ignore[return-value]
    # one graph: the union of the article graphs, each triple once, loaded in sorted order so that
    # the serialiser groups subjects and is stable (an in-memory Oxigraph store gives its triples
    # back newest first, hence the reverse order)
    triples = source.query(_UNION).serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr]
    union = ox.Store()
    union.load(b"\n".join(sorted(set(triples.splitlines()), reverse=True)), format=ox.RdfFormat.N_TRIPLES)
    rdf_format = ox.RdfFormat.TURTLE if kind == "turtle" else ox.RdfFormat.JSON_LD
    return union.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)  # type: ignore[return-value]


def _oxigraph_view(store: KGStore) -> pyoxigraph.Store:
    """The store's named graphs in an Oxigraph store (the store itself when it is one)."""
    import pyoxigraph as ox

    if isinstance(store, EmbeddedStore):
        return store.ox
    view = ox.Store()
    view.load(b"\n".join(sorted(store.nquads().splitlines())), format=ox.RdfFormat.N_QUADS)
    view.clear_graph(ox.DefaultGraph())  # the article graphs are the graph; a server's default graph is not
    return view


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write through a temporary file and a rename: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def export(store: KGStore, path: str | Path, fmt: str = "turtle") -> Path:
    return write_atomic(path, serialize_bytes(store, fmt))
