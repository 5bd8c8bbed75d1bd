"""Nothing is lost silently: every write of a result is checked, and `export -o` never
breaks what it writes onto (a link, a device, a pipe, a file of its own mode)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.query import run_query
from kg.store import open_store

KG = str(Path(sys.executable).with_name("kg"))


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> str:
    """A closed store of one article graph: each command opens it itself."""
    location = str(tmp_path_factory.mktemp("store") / "kg")
    with open_store(location) as opened:
        triples = " ".join(f'<https://w3id.org/dealkg/id/org/x{i}> rdfs:label "Acteur {i}" .' for i in range(2000))
        run_query(opened, f"INSERT DATA {{ GRAPH <https://w3id.org/dealkg/id/article/a> {{ {triples} }} }}",
                  allow_update=True)
    return location


def kg(*args: str, stdout=subprocess.PIPE, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("command", [
    ("export", "-f", "nquads"), ("query", "SELECT ?s ?o WHERE { ?s ?p ?o }"), ("stats",),
], ids=["export", "query", "stats"])
def test_a_full_disk_on_standard_output_is_an_error_not_a_short_file(small_store: str, command) -> None:
    with open("/dev/full", "w") as full:
        done = kg(*command, "--store", small_store, stdout=full)
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write to standard output: No space left on device\n"


def test_a_full_disk_under_export_o_is_one_line_and_leaves_the_link(small_store: str, tmp_path: Path) -> None:
    link = tmp_path / "out.nq"
    link.symlink_to("/dev/full")
    done = kg("export", "-f", "nquads", "--store", small_store, "-o", str(link))
    assert done.returncode == 1
    assert done.stderr == (f"Error: cannot write {link}: No space left on device "
                           "(a file already there is left as it was)\n")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_writes_through_a_link_and_keeps_it(small_store: str, tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("old\n")
    link = tmp_path / "graph.ttl"
    link.symlink_to(real.name)
    done = kg("export", "--store", small_store, "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert "Acteur 1999" in real.read_text()


def test_export_into_a_pipe_writes_the_whole_graph(small_store: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    done = kg("export", "-f", "nquads", "--store", small_store, "-o", str(fifo))
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].count("\n") == 2000


def test_export_dash_is_standard_output(small_store: str, tmp_path: Path) -> None:
    done = kg("export", "-f", "nquads", "--store", small_store, "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 2000
    assert not (tmp_path / "-").exists()


def test_a_new_export_honours_the_umask_and_a_replaced_one_keeps_its_mode(small_store: str, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ttl"
    kept = tmp_path / "kept.ttl"
    kept.write_text("old\n")
    kept.chmod(0o604)
    previous = os.umask(0o027)
    try:
        assert kg("export", "--store", small_store, "-o", str(fresh)).returncode == 0
        assert kg("export", "--store", small_store, "-o", str(kept)).returncode == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604
