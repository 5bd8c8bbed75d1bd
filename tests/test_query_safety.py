"""kg query: read-only unless --update, parser messages with line and column, remote timeouts."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.explain import NotFound, resolve, sparql_string
from kg.query import QueryError, is_update, network_clauses, read_query, run_query
from kg.store import KGStore, open_store

from .processes import children, running


@pytest.fixture
def store(tmp_path) -> Iterator[KGStore]:
    opened = open_store(str(tmp_path / "kg"))
    run_query(opened, 'INSERT DATA { GRAPH <https://w3id.org/dealkg/id/article/a> { '
                      '<https://w3id.org/dealkg/id/org/acme> rdfs:label "Acme \\"Fils\\"" } }', allow_update=True)
    yield opened
    opened.close()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("text", [
    "DELETE WHERE { ?s ?p ?o }", "drop all", "PREFIX a: <http://a/>\n# a comment\n  INSERT DATA { a:x a:y 1 }",
    "BASE <http://b/> LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR DEFAULT",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_recognised(text: str) -> None:
    assert is_update(text)


@pytest.mark.parametrize("text", ["SELECT * { ?s ?p ?o }", "ASK {}", "PREFIX insert: <http://a/> SELECT * {}",
                                  "# DELETE\nSELECT * {}", "  describe <http://a>"])
def test_queries_are_not_updates(text: str) -> None:
    assert not is_update(text)


def test_an_update_is_refused_without_update_and_changes_nothing(store: KGStore, tmp_path) -> None:
    before = len(store.dataset)
    with pytest.raises(QueryError, match=r"SPARQL Update .* read-only; run it with --update"):
        run_query(store, "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(store.dataset) == before == 1


def test_cli_refuses_then_runs_an_update_with_the_flag(tmp_path) -> None:
    location = str(tmp_path / "kg")
    open_store(location).close()
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> rdfs:label 'A' } }"
    refused = invoke("query", update, "--store", location)
    assert refused.exit_code == 1
    assert refused.output == ("Error: this is a SPARQL Update (it would change the store) and queries are "
                              "read-only; run it with --update (kg query --update ...) if you mean it\n")
    done = invoke("query", update, "--update", "--store", location)
    assert done.exit_code == 0, done.output
    assert "done" in done.output and "0" in done.output and "1" in done.output
    listed = invoke("query", "SELECT ?l WHERE { ?s rdfs:label ?l }", "--store", location, "-f", "csv")
    assert listed.output == "l\nA\n"


@pytest.mark.parametrize(("text", "where"), [
    ("SELECT ?x WHERE { ?x", "line 1, column 21"),
    ("SELECT ?x\nWHERE { ?x ?y ?z }\nLIMIT many", "line 3, column 7"),
    ("PREFIX dkg: <https://w3id.org/dealkg/ontology#>\nSELECT * WHERE {\n  ?s dkg:bidder ?o .\n  FILTER(?o = \"x) }",
     "line 4, column"),
])
def test_a_malformed_query_names_line_and_column(tmp_path, text: str, where: str) -> None:
    open_store(str(tmp_path / "kg")).close()
    result = invoke("query", text, "--store", str(tmp_path / "kg"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: invalid SPARQL query at {where}")
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_memory_store_errors_also_name_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"^invalid SPARQL query at line 2, column \d+: Expected"):
        run_query(open_store("memory"), "SELECT ?x\nWHERE { ?x")


def test_a_long_or_odd_query_text_is_not_taken_for_a_file_name() -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } # " + "x" * 280
    assert read_query(text) == text
    with pytest.raises(QueryError, match="no such query file"):
        read_query("absent.rq")


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A local port that accepts connections and never answers (a hung SPARQL server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()


def test_a_remote_query_times_out_cleanly(silent_endpoint: str) -> None:
    started = time.monotonic()
    result = invoke("query", "SELECT * WHERE { ?s ?p ?o }", "--store", silent_endpoint, "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.output == (f"Error: the SPARQL endpoint {silent_endpoint} did not answer within 0.5 s "
                             "(timed out); try again, simplify the query or raise --timeout\n")
    assert socket.getdefaulttimeout() is None  # the process-wide setting is put back


def test_an_unreachable_endpoint_is_one_line() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke("query", "SELECT * WHERE { ?s ?p ?o }", "--store", f"http://127.0.0.1:{port}", "--timeout", "2")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach the SPARQL endpoint http://127.0.0.1:{port}")
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize("label", ['Acme "Fils"', 'x") } ; DROP ALL ; #', "a\\", "ligne\nsuivante", "\u202eabc"])
def test_explain_labels_cannot_break_out_of_the_string(store: KGStore, label: str) -> None:
    if label == 'Acme "Fils"':
        assert str(resolve(store, label)) == "https://w3id.org/dealkg/id/org/acme"
    else:
        with pytest.raises(NotFound, match="nothing in the store is called"):
            resolve(store, label)
    assert len(store.dataset) == 1


@pytest.mark.parametrize("iri", ["https://a.org/x> } ; #", "org:acme> ?p ?o } #", "http://a b"])
def test_explain_refuses_iris_that_would_rewrite_the_query(store: KGStore, iri: str) -> None:
    with pytest.raises(NotFound, match="is not a valid IRI"):
        resolve(store, iri)


def test_sparql_string_escapes_every_terminator() -> None:
    assert sparql_string('a"b\\c\nd\re\tf') == '"a\\"b\\\\c\\nd\\re\\tf"'


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A local HTTP port that records every request it gets and answers 500 at once."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    requests: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection = server.accept()[0]
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    requests.append(connection.recv(65536))
                    connection.sendall(b"HTTP/1.1 500 Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", requests
    stop.set()
    thread.join(2)
    server.close()


def _leaking_query(base: str) -> str:
    # the service IRI is built from the data (LATERAL binds it first), so the data is in the request
    return ('SELECT * WHERE { GRAPH ?g { ?a ?p ?o } '
            f'BIND(IRI(CONCAT("{base}/?", ENCODE_FOR_URI(STR(?a)))) AS ?svc) '
            'LATERAL { SERVICE SILENT ?svc { ?x ?y ?z } } }')


def test_a_service_call_is_refused_and_nothing_leaves(store: KGStore, listener) -> None:
    base, requests = listener
    store.close()  # the command opens the store itself
    result = invoke("query", _leaking_query(base), "--store", store.location)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "uses SERVICE" in result.output and "--allow-network" in result.output
    time.sleep(0.3)
    assert requests == []


def test_a_load_is_refused_even_as_an_update(store: KGStore, listener) -> None:
    base, requests = listener
    store.close()
    result = invoke("query", f"LOAD <{base}/data.ttl>", "--update", "--store", store.location)
    assert result.exit_code == 1
    assert "uses LOAD" in result.output
    time.sleep(0.3)
    assert requests == []


def test_the_library_refuses_the_network_too_unless_allowed(store: KGStore, listener) -> None:
    base, requests = listener
    with pytest.raises(QueryError, match="--allow-network"):
        run_query(store, _leaking_query(base))
    run_query(store, _leaking_query(base), allow_network=True)
    time.sleep(0.3)
    assert requests and b"acme" in requests[0]  # the probe sees the data leave when it is allowed


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * { ?s ?p ?o .service silent ?svc { } }",
    "SELECT * { \\u0053ERVICE <http://x/> { } }",
    "SELECT * { FILTER(?a<?b) SERVICE ?c { } }",
])
def test_every_spelling_of_service_is_found(text: str) -> None:
    assert network_clauses(text) == ["SERVICE"]


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service ex:load "SERVICE" } # SERVICE',
    'SELECT * { <http://a/#SERVICE> ?p """a "LOAD" b"""@en }',
])
def test_words_that_are_no_clause_are_not_refused(text: str) -> None:
    assert network_clauses(text) == []


# every pair of triples, sorted: Oxigraph computes it all before the first row comes out
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@pytest.fixture
def filled_store(tmp_path) -> str:
    """A closed store of 300 triples: the command under test opens it itself."""
    location = str(tmp_path / "filled")
    with open_store(location) as opened:
        triples = " ".join(f"<http://x/s{i}> <http://x/p> {i} ." for i in range(300))
        run_query(opened, f"INSERT DATA {{ GRAPH <http://x/g> {{ {triples} }} }}", allow_update=True)
    return location


def test_a_bounded_query_answers_what_the_unbounded_one_does(seed_store: KGStore) -> None:
    text = read_query("queries/bids.rq")
    free = run_query(seed_store, text)
    bounded = run_query(seed_store, text, timeout=30, max_memory_mb=512)
    assert bounded.columns == free.columns and bounded.rows == free.rows and free.rows
    raw = run_query(seed_store, text, shorten=False, timeout=30)
    assert raw.rows == run_query(seed_store, text, shorten=False).rows
    assert run_query(seed_store, "ASK { ?s ?p ?o }", timeout=30).boolean is True


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_long_local_query_stops_at_its_timeout(filled_store: str, fmt: str) -> None:
    started = time.monotonic()
    result = invoke("query", CARTESIAN, "--store", filled_store, "--timeout", "1", "--format", fmt)
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert result.output == ("Error: the query did not finish within 1 s and was stopped; "
                             "simplify it, add a LIMIT or raise --timeout\n")


@pytest.mark.parametrize(("text", "fmt"), [
    (CARTESIAN, "table"), (CARTESIAN, "xml"),
    # 27 million distinct triples, made distinct and sorted in the worker before they are written
    ("CONSTRUCT { ?a ?b ?o } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i BIND(CONCAT(STR(?c), STR(?f), STR(?i)) AS ?o) }",
     "ntriples")])
def test_a_query_past_the_memory_cap_stops_with_a_clear_line(filled_store: str, text: str, fmt: str) -> None:
    result = invoke("query", text, "--store", filled_store, "--max-memory", "100", "--format", fmt)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the query needed more than 100 MB and was stopped")


@pytest.mark.parametrize("fmt", ["table", "tsv"])
def test_a_result_past_the_memory_cap_stops_with_a_clear_line(filled_store: str, fmt: str) -> None:
    # 27 million rows stream out of a worker whose own memory stays small
    result = invoke("query", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--store", filled_store,
                    "--max-memory", "64", "--format", fmt)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the result is larger than 64 MB (the memory cap, --max-memory)")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_stopping_kg_query_stops_its_worker_too(filled_store: str, stop: signal.Signals) -> None:
    kg = Path(sys.executable).with_name("kg")
    # billions of rows counted one by one: long, in little memory
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    query = subprocess.Popen([str(kg), "query", endless, "--store", filled_store, "--timeout", "600"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while not (workers := children(query.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # the worker is at work
    assert workers, "the query runs in a worker process"
    query.send_signal(stop)
    query.communicate(timeout=15)
    assert query.returncode != 0
    deadline = time.monotonic() + 5
    while running(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running(workers) == []
