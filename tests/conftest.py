from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """The seeds built once into an embedded on-disk store (the default kind of store)."""
    from kg.build import build
    from kg.store import open_store

    store = open_store(str(tmp_path_factory.mktemp("store") / "kg"))
    report = build([SEEDS], store)
    assert report.ok, report.errors
    yield store
    store.close()


@pytest.fixture(scope="session")
def ask(seed_store):
    """Run a SELECT on the seed store; rows as tuples of strings."""
    from kg.query import run_query

    def run(sparql: str) -> set[tuple[str | None, ...]]:
        return {tuple(row) for row in run_query(seed_store, sparql).rows}

    return run


@pytest.fixture(scope="session")
def memory_copy(seed_store):
    """The seed graphs copied into rdflib's in-memory store (rdflib's own SPARQL engine)."""
    from kg.store import open_store

    store = open_store("memory")
    store.dataset.parse(data=seed_store.nquads().decode("utf-8"), format="nquads")
    return store


@pytest.fixture(scope="session")
def seed_store_copy(seed_store, tmp_path_factory) -> str:
    """The path of a closed copy of the seed store, for commands to open (one process at a time may)."""
    import pyoxigraph as ox

    from kg.store import open_store

    location = str(tmp_path_factory.mktemp("copy") / "kg")
    with open_store(location) as store:
        store.ox.bulk_load(seed_store.nquads(), format=ox.RdfFormat.N_QUADS)
    return location
