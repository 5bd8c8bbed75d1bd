from __future__ import annotations

from kg.build import build, remove_article
from kg.store import StoreError, open_store

from .conftest import SEEDS


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
