"""``--store http://…``: the same commands against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import serialize
from kg.query import read_query, serialize_query
from kg.store import StoreError, open_store

from .conftest import ROOT, SEEDS


def unstamped(text: str) -> str:
    """The export without content stamps: the rules may be edited while the suite runs."""
    return re.sub(r'"[0-9a-f]{64}:[0-9a-f]{16}"', '"STAMP"', text)


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("oxigraph serve did not start within 15 s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = _free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "server"),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_build_query_export_remove_against_a_server(server, seed_store, tmp_path):
    assert "5 article(s) read, 5 built" in run("build", str(SEEDS), "--store", server)
    assert "0 built, 5 unchanged" in run("build", str(SEEDS), "--store", server)

    bids = str(ROOT / "queries" / "bids.rq")
    bindings = json.loads(run("query", bids, "--store", server, "-f", "json"))["results"]["bindings"]
    assert any(b["bidder"]["value"] == "Microsoft" for b in bindings)
    # the server's answers, read back and written by Oxigraph: the embedded store's bytes
    for text, fmt in [(bids, "json"), (bids, "xml"), (bids, "csv"), (bids, "tsv"), ("DESCRIBE org:bytedance", "turtle"),
                      ("CONSTRUCT { ?b dkg:bidder ?x } WHERE { ?b dkg:bidder ?x }", "ntriples")]:
        with open_store(server) as store:
            assert serialize_query(store, read_query(text), fmt) == serialize_query(seed_store, read_query(text), fmt)

    # the server holds exactly what the embedded store holds
    out = tmp_path / "server.nq"
    run("export", "-f", "nquads", "-o", str(out), "--store", server)
    assert unstamped(out.read_text(encoding="utf-8")) == unstamped(serialize(seed_store, "nquads"))
    assert unstamped(run("export", "-f", "turtle", "--store", server)) == unstamped(serialize(seed_store, "turtle"))

    # validated article by article there too: the same graphs, triples and shared resources
    from kg.validation import validate_store

    assert run("validate", "--store", server).splitlines() == validate_store(seed_store).lines()

    assert "removed" in run("remove", "000_042e905e502cadab", "--store", server)
    with open_store(server) as store:
        assert len(store.article_graphs()) == 4
        labels = store.select('SELECT ?g WHERE { GRAPH ?g { ?a <http://www.w3.org/2000/01/rdf-schema#label> '
                              '"ByteDance" } }')
        assert labels  # a shared actor survives in the other articles' graphs


def test_a_changed_article_replaces_only_its_graph_on_a_server(server, tmp_path):
    from kg.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in SEEDS.glob("00[01]_*.txt"):
        shutil.copy(path, corpus / path.name)
    with open_store(server) as store:
        build([corpus], store)
        before = store.article_hashes()
        target = corpus / "001_2f0f35355889fd64.txt"
        target.write_text(target.read_text(encoding="utf-8") + "\n\nWalmart a racheté Oracle.\n", encoding="utf-8")
        report = build([corpus], store)
        after = store.article_hashes()
    assert len(report.built) == 1 and len(report.unchanged) == 1
    changed = [iri for iri in before if before[iri] != after[iri]]
    assert [iri.rsplit("/", 1)[1] for iri in changed] == ["001_2f0f35355889fd64"]


def _silent_server() -> tuple[socket.socket, str]:
    """A socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_does_not_answer_times_out_with_a_clear_error(monkeypatch):
    listener, url = _silent_server()
    monkeypatch.setenv("KG_STORE_TIMEOUT", "0.5")
    try:
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["export", "--store", url])
        assert time.monotonic() - started < 10
    finally:
        listener.close()
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {url}: no answer within 0.5s") and "Traceback" not in result.output


def test_a_server_that_is_down_is_named():
    port = _free_port()
    with pytest.raises(StoreError, match=r"cannot reach the SPARQL server .*is it running"):
        with open_store(f"http://127.0.0.1:{port}", timeout=2) as store:
            store.article_hashes()


def test_endpoints_for_oxigraph_fuseki_and_virtuoso():
    from kg.store import Endpoints

    oxigraph = Endpoints.from_url("http://127.0.0.1:7878/")
    assert (oxigraph.query, oxigraph.update, oxigraph.store) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    fuseki = Endpoints.from_url("http://localhost:3030/kg")
    assert (fuseki.query, fuseki.update, fuseki.store) == ("http://localhost:3030/kg", "http://localhost:3030/kg", None)
    assert Endpoints.from_url("http://localhost:3030/kg/query").query == "http://localhost:3030/kg"
    virtuoso = Endpoints.from_url("http://localhost:8890/sparql")
    assert (virtuoso.query, virtuoso.update) == ("http://localhost:8890/sparql", "http://localhost:8890/sparql")


@pytest.fixture
def html_server() -> Iterator[str]:
    """A server on 127.0.0.1 that answers every request with an HTML page (a proxy's login page, say)."""
    import http.server
    import threading

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b"<html><body>Please log in</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(("text", "fmt"), [("SELECT ?s WHERE { ?s ?p ?o }", "json"),
                                           ("DESCRIBE org:bytedance", "turtle")])
def test_a_server_answer_kg_cannot_read_back_is_named_in_one_line(html_server, text, fmt):
    result = CliRunner().invoke(cli, ["query", text, "-f", fmt, "--store", html_server])
    assert result.exit_code == 1
    assert result.output == (f"Error: the SPARQL endpoint {html_server} answered in text/html, which kg cannot "
                             f"read back, so it cannot give --format {fmt} there\n")
