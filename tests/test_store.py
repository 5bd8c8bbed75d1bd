from __future__ import annotations

import re

from kg.build import build, remove_article
from kg.store import MARKER, StoreError, open_store

from .conftest import SEEDS


def unstamped(text: str) -> str:
    """The export without content stamps: the rules may be edited while the suite runs."""
    return re.sub(r'"[0-9a-f]{64}:[0-9a-f]{16}"', '"STAMP"', text)


def test_building_twice_gives_the_same_graph(tmp_path):
    store = open_store(str(tmp_path / "kg"))
    first = build([SEEDS], store)
    size = len(store)
    second = build([SEEDS], store)
    assert len(store) == size
    assert len(second.unchanged) == 5 and not second.built
    forced = build([SEEDS], store, force=True)
    assert len(forced.built) == 5 and len(store) == size
    assert first.triples > 0
    store.close()


def test_store_persists_on_disk_and_reopens(tmp_path):
    with open_store(str(tmp_path / "kg")) as store:
        build([SEEDS], store)
        size = len(store)
    with open_store(str(tmp_path / "kg")) as store:
        assert len(store) == size


def test_second_process_gets_a_clear_message(tmp_path):
    import pytest

    with open_store(str(tmp_path / "kg")):
        with pytest.raises(StoreError, match="in use by another kg process"):
            open_store(str(tmp_path / "kg"))


def test_a_changed_article_replaces_only_its_graph(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEEDS.glob("00[01]_*.txt"):
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    store = open_store("memory")
    build([corpus], store)
    target = corpus / "001_2f0f35355889fd64.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nWalmart a racheté Oracle.\n", encoding="utf-8")
    report = build([corpus], store)
    assert [s.endswith("001_2f0f35355889fd64.txt") for s in report.built] == [True]
    assert len(report.unchanged) == 1
    remove_article(store, "001_2f0f35355889fd64")
    assert len(store.article_graphs()) == 1
    labels = {str(o) for o in store.dataset.objects(None, None) if str(o) == "ByteDance"}
    assert labels == {"ByteDance"}  # shared actors survive in the remaining article's graph


def _two_article_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEEDS.glob("00[01]_*.txt"):
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return corpus


def test_a_second_build_writes_nothing(tmp_path, monkeypatch):
    from kg.store import EmbeddedStore

    corpus = _two_article_corpus(tmp_path)
    with open_store(str(tmp_path / "kg")) as store:
        build([corpus], store)

        def no_write(*args, **kwargs):
            raise AssertionError("an unchanged corpus must not write to the store")

        monkeypatch.setattr(EmbeddedStore, "write_graphs", no_write)
        monkeypatch.setattr(EmbeddedStore, "remove_graph", no_write)
        report = build([corpus], store)
    assert report.triples == 0 and len(report.unchanged) == 2


def test_a_failed_swap_leaves_the_previous_graph_intact(tmp_path):
    import pytest

    from kg.export import serialize
    from kg.rdf import article_iri
    from kg.store import GraphData

    corpus = _two_article_corpus(tmp_path)
    with open_store(str(tmp_path / "kg")) as store:
        build([corpus], store)
        before = serialize(store, "nquads")
        name = str(article_iri("001_2f0f35355889fd64"))
        # the new graph breaks halfway through: the whole swap must be refused, not half applied
        broken = GraphData(name, ('<urn:a> <urn:b> "new"', "<urn:a> <urn:b> this-is-not-rdf"))
        with pytest.raises(StoreError, match="writing to the store failed"):
            store.write_graphs([broken], existing=[name])
        assert serialize(store, "nquads") == before


def test_an_interrupted_first_write_is_rebuilt_next_time(tmp_path):
    from kg.build import extract_graph, rules_fingerprint
    from kg.corpus import read_article

    corpus = _two_article_corpus(tmp_path)
    with open_store(str(tmp_path / "kg")) as store:
        article = read_article(corpus / "001_2f0f35355889fd64.txt")
        _, data, _, _ = extract_graph(article, f"{article.content_hash}:{rules_fingerprint()}")
        assert data is not None and data.stamp
        # what a build killed between the bulk load and the stamps leaves behind
        store.write_graphs([type(data)(data.name, data.body[: len(data.body) // 2])])
        report = build([corpus], store)
        assert len(report.built) == 2 and not report.unchanged
        assert len(build([corpus], store).unchanged) == 2


def test_memory_and_embedded_stores_export_the_same_bytes(tmp_path, seed_store):
    from kg.export import serialize

    memory = open_store("memory")
    build([SEEDS], memory)
    for fmt in ("nquads", "turtle", "jsonld"):
        assert unstamped(serialize(memory, fmt)) == unstamped(serialize(seed_store, fmt)), fmt


def test_a_file_is_not_a_store_folder(tmp_path):
    import pytest

    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file, not a store folder"):
        open_store(str(tmp_path / "file"))


def test_query_and_export_open_the_store_without_loading_the_language_model(tmp_path):
    import subprocess
    import sys

    with open_store(str(tmp_path / "kg")) as store:
        build([SEEDS / "000_042e905e502cadab.txt"], store)
    where = str(tmp_path / "kg")
    code = ("import sys; from kg.cli import cli; from click.testing import CliRunner; "
            f"q = CliRunner().invoke(cli, ['query', 'SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1', '--store', {where!r}]); "
            f"e = CliRunner().invoke(cli, ['export', '-f', 'turtle', '--store', {where!r}]); "
            "print(q.exit_code, e.exit_code, 'dkg:Article' in e.output, 'spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0 0 True False"


def _many_graphs(count: int, triples: int):
    from kg.store import GraphData

    graphs = []
    for g in range(count):
        name = f"https://w3id.org/dealkg/id/article/t{g:03d}"
        body = tuple(f'<{name}#s{i}> <https://w3id.org/dealkg/ontology#p> "v{i} é" ' for i in range(triples))
        graphs.append(GraphData(name, body, (f'<{name}> <https://w3id.org/dealkg/ontology#contentHash> "h{g}"',)))
    return graphs


def test_a_large_batch_of_new_graphs_is_written_whole(tmp_path):
    # large enough to be bulk-loaded in parallel parts
    graphs = _many_graphs(41, 1_500)
    with open_store(str(tmp_path / "kg")) as store:
        assert store.write_graphs(graphs) == 41 * 1_501
        assert len(store) == 41 * 1_501
        assert store.article_hashes() == {g.name: f"h{i}" for i, g in enumerate(graphs)}
        sizes = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert {int(n or 0) for _, n in sizes} == {1_501}


def test_a_large_batch_that_fails_leaves_no_graph_stamped(tmp_path):
    import pytest

    from kg.store import GraphData

    graphs = _many_graphs(40, 1_500)
    last = graphs[-1]
    graphs[-1] = GraphData(last.name, (*last.body, "<urn:a> <urn:b> this-is-not-rdf"), last.stamp)
    with open_store(str(tmp_path / "kg")) as store:
        with pytest.raises(StoreError, match="writing to the store failed"):
            store.write_graphs(graphs)
        # nothing is stamped, so the next build writes every one of these graphs again
        assert store.article_hashes() == {}


def _invoke(*args: str):
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, list(args))


def test_a_mistyped_store_is_an_error_and_nothing_is_created(tmp_path):
    missing = tmp_path / "kg-tpyo"
    for command in (["stats"], ["query", "ASK { ?s ?p ?o }"], ["export"]):
        result = _invoke(*command, "--store", str(missing))
        assert result.exit_code == 1
        assert result.output == (f"Error: {missing}: no store here (a mistyped --store?); "
                                 f"kg build --store {missing} creates one\n")
    assert not missing.exists()


def test_a_folder_of_other_files_is_never_turned_into_a_store(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "LOCK").write_text("my notes")  # a name RocksDB uses
    (folder / "000001.log").write_text("my log")
    result = _invoke("build", str(SEEDS), "--store", str(folder))
    assert result.exit_code == 1
    assert "this folder is not empty and holds no dealkg store" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["000001.log", "LOCK"]
    assert (folder / "LOCK").read_text() == "my notes"


def test_a_store_without_its_current_file_is_reported_and_left_untouched(tmp_path):
    location = tmp_path / "kg"
    with open_store(str(location)) as store:
        build([SEEDS / "000_042e905e502cadab.txt"], store)
    (location / "CURRENT").unlink()
    before = sorted(p.name for p in location.iterdir())
    for _ in range(2):
        result = _invoke("stats", "--store", str(location))
        assert result.exit_code == 1
        assert "the store is damaged (its RocksDB CURRENT file is missing)" in result.output
    assert sorted(p.name for p in location.iterdir()) == before


def test_a_store_built_before_the_marker_existed_still_opens(tmp_path):
    location = tmp_path / "kg"
    with open_store(str(location)) as store:
        build([SEEDS / "000_042e905e502cadab.txt"], store)
    (location / MARKER).unlink()
    result = _invoke("stats", "--store", str(location))
    assert result.exit_code == 0 and "Articles: 1" in result.output
    assert not (location / MARKER).exists()  # a read command writes nothing
    assert _invoke("build", str(SEEDS / "000_042e905e502cadab.txt"), "--store", str(location)).exit_code == 0
    assert (location / MARKER).exists()


def test_an_article_id_taken_by_another_file_in_an_earlier_build_is_an_error(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "Rapport annuel.txt").write_text("Valmont rachète Kesterel\n\nLe groupe Valmont a déposé une "
                                              "offre sur Kesterel.\n", encoding="utf-8")
    (second / "rapport-annuel.txt").write_text("Norvia rachète Tarvex\n\nLe groupe Norvia a déposé une "
                                               "offre sur Tarvex.\n", encoding="utf-8")
    with open_store(str(tmp_path / "kg")) as store:
        assert build([first], store).built
        report = build([second], store)
        assert not report.built
        assert [(e.source, e.message) for e in report.errors] == [(
            str(second / "rapport-annuel.txt"),
            "article id 'rapport-annuel' is already used in the store by "
            f"{first / 'Rapport annuel.txt'}; rename one file, or kg remove rapport-annuel first")]
        assert list(store.article_sources().values()) == [str(first / "Rapport annuel.txt")]
        assert build([first / "Rapport annuel.txt"], store).unchanged  # the same file again is no clash


def _files(folder):
    """The store's data files and their sizes (RocksDB's own LOG and OPTIONS files aside, which
    its open attempt writes)."""
    return sorted((p.name, p.stat().st_size) for p in folder.iterdir()
                  if not p.name.startswith(("LOG", "OPTIONS")))


def test_truncated_store_files_are_reported_in_one_line_and_left_untouched(tmp_path):
    location = tmp_path / "kg"
    with open_store(str(location)) as store:
        build([SEEDS / "000_042e905e502cadab.txt"], store)
    for manifest in location.glob("MANIFEST-*"):
        with open(manifest, "r+b") as handle:
            handle.truncate(10)
    before = _files(location)
    result = _invoke("stats", "--store", str(location))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {location}: the store is damaged (Corruption:")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert _files(location) == before


def test_a_store_under_a_file_is_one_line(tmp_path):
    (tmp_path / "notes").write_text("a file, not a folder")
    result = _invoke("build", str(SEEDS / "000_042e905e502cadab.txt"), "--store", str(tmp_path / "notes" / "kg"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'notes' / 'kg'}: cannot create the store folder: "
                             "File exists (a parent is a file)\n")


def _all_files(folder):
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir())


def test_bytes_overwritten_inside_a_table_file_are_reported_and_left_untouched(tmp_path):
    import pytest

    location = tmp_path / "kg"
    with open_store(str(location)) as store:
        build([SEEDS / "000_042e905e502cadab.txt"], store)
    largest = max(location.glob("*.sst"), key=lambda p: p.stat().st_size)
    with open(largest, "r+b") as handle:  # same size, other bytes: RocksDB does not notice
        handle.seek(largest.stat().st_size // 3)
        handle.write(b"\xff" * 64)
    before = _all_files(location)
    for command in (["stats"], ["export"], ["validate"], ["query", "ASK { ?s ?p ?o }"],
                    ["build", "--force", str(SEEDS / "000_042e905e502cadab.txt")]):
        result = _invoke(*command, "--store", str(location))
        assert result.exit_code == 1, (command, result.output)
        assert result.output == (f"Error: {location}: the store is damaged ({largest.name} is not the file kg "
                                 "wrote: its bytes have changed); its files are left untouched: restore the "
                                 "folder from a backup or load an export into a new store, or rebuild it with "
                                 "kg build into a new --store\n")
    assert _all_files(location) == before
    with pytest.raises(StoreError, match="the store is damaged"):
        open_store(str(location), write=False)


def test_an_intact_store_passes_its_checksums_after_reads_and_writes(tmp_path):
    location = tmp_path / "kg"
    for name in ("000_042e905e502cadab.txt", "001_2f0f35355889fd64.txt"):
        assert _invoke("build", str(SEEDS / name), "--store", str(location)).exit_code == 0
        for _ in range(2):
            assert _invoke("stats", "--store", str(location)).exit_code == 0
    assert (location / ".dealkg-checksums").exists()
    assert "Articles: 2" in _invoke("stats", "--store", str(location)).output
