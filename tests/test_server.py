"""``--store http://…``: the same commands against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


# -- servers that answer garbage, dribble or never stop (issue 15) -------------------------------

_GARBAGE = b"\xff\xfe\x00\xc3\x28 not UTF-8 \x80\x81\n" * 20


@pytest.fixture
def bad_server() -> Iterator[Callable[[str], str]]:
    """``bad_server(mode)``: the URL of a server on 127.0.0.1 that answers every request badly:

    * ``garbage``: bytes that are not UTF-8, as SPARQL JSON results (and as N-Quads on /store);
    * ``text``: readable text that is no SPARQL answer, under the types kg asked for;
    * ``not-http``: a status line that is not HTTP;
    * ``dribble-body`` / ``dribble-headers``: one byte every 0.2 s, for up to 60 s;
    * ``huge``: an answer of 80 MB, streamed without a length;
    * ``huge-declared``: an answer that says it is 10 GB long.
    """
    import http.server
    import threading

    servers: list[http.server.ThreadingHTTPServer] = []

    def start(mode: str) -> str:
        class Bad(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                nquads = self.command == "GET"
                ctype = "application/n-quads" if nquads else "application/sparql-results+json"
                try:
                    if mode == "not-http":
                        self.wfile.write(b"\x00\xffSPARQL? never heard of it\r\n\r\n")
                    elif mode == "dribble-headers":
                        for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" + b"X: y\r\n" * 100:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(0.2)
                    else:
                        self.send_response(200)
                        self.send_header("Content-Type", ctype)
                        if mode == "huge-declared":
                            self.send_header("Content-Length", str(10 * 2**30))
                        self.end_headers()
                        if mode == "garbage":
                            self.wfile.write(_GARBAGE)
                        elif mode == "text":
                            self.wfile.write(b"Service temporarily unavailable, please come back later\n"
                                             if not nquads else b"<html>please log in</html>\n")
                        elif mode == "dribble-body":
                            for _ in range(300):
                                self.wfile.write(b" ")
                                self.wfile.flush()
                                time.sleep(0.2)
                        elif mode == "huge":
                            block = b'{"head": {"vars": []}, "results": {"bindings": [' + b" " * 65_000
                            for _ in range(1_300):
                                self.wfile.write(block)
                except OSError:
                    pass  # kg hung up, as it should

            do_GET = do_POST = answer

            def log_message(self, *args: object) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Bad)
        httpd.daemon_threads = True
        servers.append(httpd)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


_ONE_SEED = str(SEEDS / "000_042e905e502cadab.txt")


@pytest.mark.parametrize("mode", ["garbage", "text", "not-http"])
@pytest.mark.parametrize("command", [["stats"], ["export"], ["export", "-f", "nquads"], ["build", _ONE_SEED],
                                     ["validate"], ["query", "SELECT * WHERE { ?s ?p ?o }"],
                                     ["query", "SELECT * WHERE { ?s ?p ?o }", "-f", "json"]])
def test_a_server_answering_garbage_is_one_line_never_a_traceback(bad_server, mode, command):
    url = bad_server(mode)
    result = CliRunner().invoke(cli, [*command, "--store", url])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and url in result.output, result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_garbage_is_named_as_not_being_sparql(bad_server):
    url = bad_server("garbage")
    result = CliRunner().invoke(cli, ["stats", "--store", url])
    assert result.output.startswith(f"Error: {url}: the SPARQL server's answer is not SPARQL results (sent as "
                                    "application/sparql-results+json: UnicodeDecodeError: ")
    assert result.output.endswith("; is this a SPARQL endpoint?\n")


@pytest.mark.parametrize("mode", ["dribble-body", "dribble-headers"])
def test_a_server_dribbling_one_byte_at_a_time_is_cut_off_at_the_deadline(bad_server, monkeypatch, mode):
    url = bad_server(mode)
    monkeypatch.setenv("KG_STORE_TIMEOUT", "1")  # each byte comes well within a second
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["stats", "--store", url])
    assert time.monotonic() - started < 8
    assert result.exit_code == 1
    assert result.output == (f"Error: {url}: no answer within 1s (a slow query or server; set KG_STORE_TIMEOUT "
                             "to wait longer)\n")


def test_kg_query_timeout_is_a_total_deadline_on_a_server_too(bad_server):
    url = bad_server("dribble-body")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", url, "--timeout", "1"])
    assert time.monotonic() - started < 8
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the SPARQL endpoint {url} did not answer within 1 s (timed out)")


@pytest.mark.parametrize("mode", ["huge", "huge-declared"])
def test_a_huge_server_answer_is_dropped_at_the_cap(bad_server, monkeypatch, mode):
    url = bad_server(mode)
    monkeypatch.setenv("KG_STORE_MAX_MB", "1")
    result = CliRunner().invoke(cli, ["export", "--store", url])
    assert result.exit_code == 1
    assert result.output == (f"Error: {url}: the SPARQL server's answer is larger than 1 MB and was dropped; "
                             "set KG_STORE_MAX_MB (megabytes) to accept more\n")


@pytest.mark.parametrize("mode", ["huge", "huge-declared"])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_kg_query_max_memory_caps_a_server_answer_too(bad_server, mode, fmt):
    url = bad_server(mode)  # 80 MB, under KG_STORE_MAX_MB's default of 1024
    result = CliRunner().invoke(cli, ["query", "SELECT * WHERE { ?s ?p ?o }", "--store", url, "--format", fmt,
                                      "--max-memory", "64"])
    assert result.exit_code == 1
    assert result.output == (f"Error: {url}: the SPARQL server's answer is larger than 64 MB and was dropped "
                             "(the memory cap, --max-memory); add a LIMIT or raise the cap\n")


def test_a_bad_server_setting_is_one_line(monkeypatch):
    monkeypatch.setenv("KG_STORE_TIMEOUT", "soon")
    result = CliRunner().invoke(cli, ["stats", "--store", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output == "Error: KG_STORE_TIMEOUT=soon: not a positive number\n"
