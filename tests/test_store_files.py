"""What the embedded store's folder holds over time: read commands add nothing, writes leave
no temporary files, few logs and a small write-ahead log, and an interrupted write leaves no
half-written article behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.rdf import article_iri
from kg.store import SNAPSHOTS, WRITING, EmbeddedStore, GraphData, StoreError, open_store

from .conftest import SEEDS
from .test_store import _many_graphs

ONE = SEEDS / "000_042e905e502cadab.txt"
TWO = SEEDS / "001_2f0f35355889fd64.txt"
KG = str(Path(sys.executable).with_name("kg"))


def _kg(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def _log_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.log"))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    store = tmp_path / "kg"
    code, output = _kg("build", str(ONE), "--store", str(store))
    assert code == 0, output
    return store


def test_read_commands_add_no_file_and_change_none(built, tmp_path):
    before = _files(built)
    for _ in range(3):
        for args in (["stats"], ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"], ["query", "ASK { ?s ?p ?o }"],
                     ["export", "-f", "nquads"], ["viz", "-o", str(tmp_path / "graph.html")],
                     ["explain", "ByteDance"], ["validate"]):
            code, output = _kg(*args, "--store", str(built))
            assert code == 0, (args, output)
        _kg("deal", "Oracle", "--store", str(built))  # found or not, it only reads
    assert _files(built) == before  # no LOG.old.* (137 KB each, one per read before), no compaction


def test_writers_keep_two_rotated_info_logs(built):
    for _ in range(4):
        assert _kg("build", str(ONE), "--store", str(built))[0] == 0
    assert len(list(built.glob("LOG.old.*"))) == 2


def test_readers_share_the_store_exclude_a_writer_and_read_a_writers_snapshot(built, monkeypatch):
    import kg.store

    monkeypatch.setattr(kg.store, "READERS_WAIT", 0.3)
    with open_store(str(built), write=False) as first, open_store(str(built), write=False) as second:
        assert first.article_graphs() == second.article_graphs()
        with pytest.raises(StoreError, match=r"other kg processes were still reading the store after 0\.3 s"):
            open_store(str(built))  # a writer waits for the reads under way, then gives up
        assert not (built / WRITING).exists() and not list((built / SNAPSHOTS).glob("*"))
    with open_store(str(built)) as writer:
        with pytest.raises(StoreError, match="in use by another kg process"):
            open_store(str(built))  # two writers, never
        with open_store(str(built), write=False) as reader:  # a reader: the writer's snapshot
            assert reader.snapshot and len(reader.article_graphs()) == 1
        writer.remove_graph(writer.article_graphs()[0])
    with open_store(str(built), write=False) as reader:
        assert not reader.snapshot and reader.article_graphs() == []


def test_temporary_files_of_a_killed_bulk_load_are_removed_by_the_next_write_only(built):
    # what `kill -9` during a bulk load leaves: Oxigraph's bulk-<random>.sst, never referenced
    leftover = built / "bulk-190323553658937428174405926735398331264.sst"
    leftover.write_bytes(b"\0" * 4096)
    assert _kg("stats", "--store", str(built))[0] == 0
    assert leftover.exists()  # a read command never repairs a store
    assert _kg("build", str(TWO), "--store", str(built))[0] == 0
    assert not leftover.exists()
    assert not list(built.glob("bulk-*"))


def test_a_failed_bulk_load_leaves_no_temporary_file(tmp_path):
    graphs = _graphs(40, 1_500)  # large enough for parallel parts
    last = graphs[-1]
    graphs[-1] = GraphData(last.name, (*last.body, "<urn:a> <urn:b> this-is-not-rdf"), last.stamp)
    with open_store(str(tmp_path / "kg")) as store:
        with pytest.raises(StoreError, match="writing to the store failed"):
            store.write_graphs(graphs)
        assert not list((tmp_path / "kg").glob("bulk-*"))


def test_ctrl_c_during_a_bulk_load_leaves_no_article_without_its_stamp(tmp_path, monkeypatch):
    load = EmbeddedStore._bulk_load

    def interrupted(self, graphs):
        load(self, graphs)
        # Ctrl-C: Python raises it once the native bulk load returns, before the stamps
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(EmbeddedStore, "_bulk_load", interrupted)
    with open_store(str(tmp_path / "kg")) as store, pytest.raises(KeyboardInterrupt):
        build([ONE, TWO], store)
    monkeypatch.undo()
    code, output = _kg("stats", "--format", "json", "--store", str(tmp_path / "kg"))
    assert code == 0, output
    assert json.loads(output)["counts"]["articles"] == 0
    with open_store(str(tmp_path / "kg")) as store:
        assert len(build([ONE, TWO], store).built) == 2


def _graphs(count: int, triples: int, version: str = "") -> list[GraphData]:
    graphs = _many_graphs(count, triples)
    return [GraphData(g.name, tuple(line.replace(' é"', f'{version} é"') for line in g.body), g.stamp)
            for g in graphs]


def _contents(store) -> set[tuple[str | None, ...]]:
    return set(store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))


def test_replacing_graphs_by_the_same_ones_writes_no_log(tmp_path):
    graphs = _graphs(20, 1_500)
    names = [g.name for g in graphs]
    with open_store(str(tmp_path / "kg")) as store:
        store.write_graphs(graphs)
        before, logged = _contents(store), _log_bytes(tmp_path / "kg")
        assert store.write_graphs(graphs, existing=names) == 20 * 1_501
        # dropping and inserting them again logged about 1 KB a statement: 33 MB here
        assert _log_bytes(tmp_path / "kg") - logged < 10_000
        assert _contents(store) == before


def _statements(data: GraphData) -> set[object]:
    import pyoxigraph as ox

    return {q.triple for q in ox.parse(data.ntriples().encode("utf-8"), ox.RdfFormat.N_TRIPLES)}


def test_replacing_every_statement_leaves_a_small_log_and_the_new_graphs(tmp_path):
    import pyoxigraph as ox

    old, new = _graphs(20, 1_500), _graphs(20, 1_500, version="-v2")
    new[0] = GraphData(new[0].name, old[0].body[:700] + new[0].body[700:], new[0].stamp)  # half changed
    with open_store(str(tmp_path / "kg")) as store:
        store.write_graphs(old)
        store.write_graphs(new, existing=[g.name for g in old])
        for data in new:
            stored = {q.triple for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(data.name))}
            assert stored == _statements(data)
    # the write-ahead log of the 59,000 statements deleted and inserted is gone (it stayed: 33 MB)
    assert _log_bytes(tmp_path / "kg") < 1 << 20


def test_the_build_summary_counts_what_the_store_holds(tmp_path):
    store = tmp_path / "kg"
    code, output = _kg("build", str(ONE), str(TWO), "--store", str(store))
    assert code == 0, output
    summary = output.splitlines()[0]
    stored = json.loads(_kg("stats", "--format", "json", "--store", str(store))[1])["counts"]["triples"]
    assert f", {stored} triples stored in " in summary  # it said 2 articles' duplicate statements too


# -- reads while a build writes; a build killed mid-write ------------------------------------


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _stats(store: Path) -> dict:
    code, output = _kg("stats", "--format", "json", "--store", str(store))
    assert code == 0, output
    return json.loads(output)["counts"]


def test_read_commands_work_while_a_build_writes_and_see_the_last_completed_store(built, tmp_path):
    from bench.generate import generate

    corpus = tmp_path / "corpus"
    generate(30, corpus, seed=3, words=300)
    build_ = subprocess.Popen([KG, "build", str(corpus), "--store", str(built)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (built / WRITING).exists() or build_.poll() is not None, 60, "the build opened the store")
        reads = [["query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a dkg:Article } }", "-f", "csv"],
                 ["export", "-f", "nquads"], ["viz", "-o", str(tmp_path / "graph.html")], ["deal", "Microsoft"]]
        assert _stats(built)["articles"] == 1  # the store as the last build left it
        for args in reads:
            code, output = _kg(*args, "--store", str(built))
            assert code == 0, (args, output)
            if args[0] == "query":
                assert output.split() == ["n", "1"]
        assert build_.poll() is None, "the reads ran while the build was writing"
        out, err = build_.communicate(timeout=300)
    finally:
        if build_.poll() is None:
            build_.kill()
            build_.communicate()
    assert build_.returncode == 0, err
    assert "30 built" in out
    assert _stats(built)["articles"] == 31
    assert not (built / WRITING).exists() and not (built / SNAPSHOTS).exists()


def test_a_snapshot_a_reader_holds_outlives_its_writer_and_goes_with_the_next_one(built):
    writer = open_store(str(built))
    reader = open_store(str(built), write=False)
    assert reader.snapshot  # the writer holds the store: the reader was given the writer's snapshot
    build([TWO], writer)
    writer.close()
    assert len(reader.article_graphs()) == 1  # the state the writer started from, intact
    assert len(list((built / SNAPSHOTS).iterdir())) == 1  # kept: a reader holds it
    reader.close()
    with open_store(str(built), write=False) as after:
        assert not after.snapshot and len(after.article_graphs()) == 2
    with open_store(str(built)):
        assert len(list((built / SNAPSHOTS).iterdir())) == 1  # its own only
    assert not (built / SNAPSHOTS).exists()


# a build whose bulk load has ended but whose stamps are not written yet: it says so and waits
_STOPS_AFTER_BULK_LOAD = """
import sys, time
import kg.store
load = kg.store.EmbeddedStore._bulk_load
def stopping(self, graphs):
    load(self, graphs)
    print("loaded", flush=True)
    time.sleep(600)
kg.store.EmbeddedStore._bulk_load = stopping
from kg.cli import cli
cli(sys.argv[1:])
"""


def _kill_during_bulk_load(store: Path, *paths: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", _STOPS_AFTER_BULK_LOAD, "build", *map(str, paths),
                              "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    child.kill()  # kill -9: no cleanup of any kind
    _, err = child.communicate(timeout=30)
    assert line == "loaded\n", err


def test_kill_9_during_a_bulk_load_leaves_graphs_stats_calls_incomplete_and_the_next_build_redoes(tmp_path):
    store = tmp_path / "kg"
    _kill_during_bulk_load(store, ONE, TWO)
    counts = _stats(store)
    assert (counts["articles"], counts["incomplete_articles"]) == (0, 2)
    code, output = _kg("stats", "--store", str(store))
    assert "Incomplete: 2 article graph(s) without their content stamp" in output
    code, output = _kg("build", str(ONE), str(TWO), "--store", str(store))
    assert code == 0, output
    assert "2 built" in output and "2 left incomplete by an interrupted build and rebuilt" in output
    counts = _stats(store)
    assert (counts["articles"], counts["incomplete_articles"]) == (2, 0)
    code, output = _kg("build", str(ONE), str(TWO), "--store", str(store))
    assert "2 unchanged" in output and "incomplete" not in output


def test_the_next_build_of_other_files_removes_the_graphs_a_killed_build_left_incomplete(built):
    _kill_during_bulk_load(built, TWO)
    assert _stats(built)["incomplete_articles"] == 1
    code, output = _kg("build", str(ONE), "--store", str(built))
    assert code == 0, output
    assert "1 unchanged" in output and "1 left incomplete by an interrupted build and removed" in output
    counts = _stats(built)
    assert (counts["articles"], counts["incomplete_articles"]) == (1, 0)
    with open_store(str(built), write=False) as store:
        assert [str(g) for g in store.article_graphs()] == [str(article_iri(ONE.stem))]


def test_a_writer_compacts_the_store_once_it_wrote_a_tenth_of_it(tmp_path, monkeypatch):
    import kg.store

    compacted = []
    real = kg.store.compact
    monkeypatch.setattr(kg.store, "compact", lambda ox: (compacted.append(len(ox)), real(ox)))
    folder, graphs = str(tmp_path / "kg"), _graphs(40, 1_000)
    with open_store(folder) as store:  # a first build: everything is new
        store.write_graphs(graphs[:30])
    assert compacted == [30 * 1_001]
    with open_store(folder) as store:  # 2 articles of 32: under a tenth
        store.write_graphs(graphs[30:32])
    with open_store(folder) as store:  # the same graphs again: nothing written
        store.write_graphs(graphs[:32], existing=[g.name for g in graphs[:32]])
    assert compacted == [30 * 1_001]
    with open_store(folder) as store:  # 8 new and 4 changed of 40: over a tenth
        store.write_graphs(graphs[32:] + _graphs(4, 1_000, version="-v2"), existing=[g.name for g in graphs[:32]])
        assert store.written == 8 * 1_001 + 4 * 2 * 1_000  # statements replaced: each deleted and inserted
    assert compacted == [30 * 1_001, 40 * 1_001]
    with open_store(folder, write=False) as reader:  # the compacted store holds every statement
        assert len(reader.ox) == 40 * 1_001


def test_a_build_started_during_a_read_waits_for_it_and_later_reads_read_its_snapshot(built):
    import threading

    done = {}

    def build_two() -> None:
        done["code"], done["output"] = _kg("build", str(TWO), "--store", str(built))

    with open_store(str(built), write=False) as under_way:
        writer = threading.Thread(target=build_two)
        writer.start()
        deadline = time.monotonic() + 20
        while not (built / WRITING).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        with open_store(str(built), write=False) as later:  # not kept waiting: the writer's snapshot
            assert later.snapshot and len(later.article_graphs()) == 1
        assert writer.is_alive()  # still waiting for the read under way
        assert len(under_way.article_graphs()) == 1
    writer.join(60)
    assert done["code"] == 0, done["output"]
    with open_store(str(built), write=False) as after:
        assert not after.snapshot and len(after.article_graphs()) == 2
