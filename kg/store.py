"""Where the graph lives: an rdflib ``Dataset`` over one of three stores.

* a folder (default ``.kg/store``, or ``KG_STORE``): Oxigraph embedded on disk
  through oxrdflib — named graphs, RocksDB persistence, and a SPARQL engine
  orders of magnitude faster than rdflib's own on joins (FIELD-NOTES);
* ``memory``: rdflib's in-memory store, for tests and notebooks;
* ``http(s)://…``: a SPARQL 1.1 endpoint (Oxigraph server, Fuseki, ...).

Every article owns one named graph (its IRI); replacing an article replaces
that graph only, so actors other articles mention survive.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg.namespaces import PREFIXES, SPARQL_PREFIXES

DEFAULT_LOCATION = ".kg/store"
ENV_VAR = "KG_STORE"

Quad = tuple[URIRef, URIRef, object, URIRef]


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says why and what to do."""


def default_location() -> str:
    return os.environ.get(ENV_VAR) or DEFAULT_LOCATION


@dataclass
class KGStore:
    """A dataset plus the few operations the pipeline needs."""

    location: str
    dataset: Dataset

    # -- reading --------------------------------------------------------------------

    def query(self, sparql: str):
        return self.dataset.query(sparql if "PREFIX" in sparql.upper() else SPARQL_PREFIXES + sparql)

    def article_hashes(self) -> dict[str, str]:
        """Content hash of every article in the store, by article IRI."""
        rows = self.dataset.query(
            SPARQL_PREFIXES + "SELECT ?a ?h WHERE { GRAPH ?a { ?a dkg:contentHash ?h } }"
        )
        return {str(a): str(h) for a, h in rows}

    def article_graphs(self) -> list[URIRef]:
        rows = self.dataset.query(
            SPARQL_PREFIXES + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a dkg:Article } }"
        )
        return sorted(URIRef(a) for (a,) in rows)

    def __len__(self) -> int:
        return len(self.dataset)

    # -- writing --------------------------------------------------------------------

    def replace_graph(self, name: URIRef, triples: Iterable[tuple]) -> int:
        """Drop the named graph and write it anew; returns the number of triples written."""
        self.remove_graph(name)
        graph = self.dataset.graph(name)
        quads = [(s, p, o, graph) for s, p, o in triples]
        self.dataset.addN(quads)
        return len(quads)

    def remove_graph(self, name: URIRef) -> None:
        if self.dataset.store.__class__.__name__ == "OxigraphStore":
            self.dataset.update(f"DROP SILENT GRAPH <{name}>")  # runs inside Oxigraph
        else:
            self.dataset.remove_graph(self.dataset.graph(name))

    def close(self) -> None:
        import gc

        self.dataset.close()
        # oxrdflib drops its Oxigraph handle, but the RocksDB lock is only released once
        # nothing (such as a finished query's result) refers to it any more
        gc.collect()

    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(location: str | None = None) -> KGStore:
    """Open (creating if needed) the store at ``location`` (see module doc)."""
    location = location or default_location()
    if location == "memory":
        dataset = Dataset(default_union=True)
    elif location.startswith(("http://", "https://")):
        dataset = _remote(location)
    else:
        dataset = _embedded(Path(location))
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return KGStore(location, dataset)


def _embedded(path: Path) -> Dataset:
    path.parent.mkdir(parents=True, exist_ok=True)
    dataset = Dataset(store="Oxigraph", default_union=True)
    try:
        # oxrdflib's create=True refuses an existing folder; Oxigraph creates it when missing
        dataset.open(str(path), create=False)
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"{path}: the store is in use by another kg process (RocksDB lock); "
                "wait for it to finish or use another --store"
            ) from exc
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    return dataset


def _remote(url: str) -> Dataset:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    base = url.rstrip("/")
    for suffix in ("/query", "/sparql", "/update"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    store = SPARQLUpdateStore(query_endpoint=f"{base}/query", update_endpoint=f"{base}/update",
                              context_aware=True, autocommit=True)
    return Dataset(store=store, default_union=True)


def article_graph(store: KGStore, name: URIRef) -> Graph:
    """One article's graph, copied into memory (for validation or display)."""
    graph = Graph()
    for triple in store.dataset.graph(name):
        graph.add(triple)
    return graph

