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


#: Articles of the generated corpus: the size issue 14 asks the viewer to stay readable at.
GENERATED_ARTICLES = 200


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    """The path of a closed on-disk store of GENERATED_ARTICLES articles from bench/generate.py.

    Built once per run by ``kg build --jobs 2`` in a subprocess (about a minute on two
    cores), so later commands and read-only opens can share it. Under pytest-xdist the
    workers share one build: the first to ask builds it under a file lock in the run's
    common temporary folder, the others wait for it and read the same store.
    """
    if worker_id == "master":  # no xdist: this process is the only one to ask
        return _build_generated(tmp_path_factory.mktemp("generated"))
    from filelock import FileLock

    folder = tmp_path_factory.getbasetemp().parent / "generated"
    with FileLock(f"{folder}.lock"):
        if not (folder / "built").exists():
            folder.mkdir(exist_ok=True)
            _build_generated(folder)
            (folder / "built").touch()  # a failed build leaves no mark: the next worker retries it
    return str(folder / "kg")


def _build_generated(folder: Path) -> str:
    import subprocess
    import sys

    from bench.generate import generate

    generate(GENERATED_ARTICLES, folder / "corpus", seed=5)
    location = str(folder / "kg")
    kg = str(Path(sys.executable).with_name("kg"))
    done = subprocess.run(
        [kg, "build", str(folder / "corpus"), "--store", location, "--jobs", "2"],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return location
