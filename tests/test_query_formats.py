"""``kg query --format``: the W3C SPARQL results formats, Turtle and N-Triples for
CONSTRUCT and DESCRIBE, queries from standard input, and typed DataFrames.

Every answer is read back by a reader that is not Oxigraph's: rdflib's SPARQL result
parsers and rdflib's Turtle and N-Triples parsers, compared with what rdflib's own
engine answers on a copy of the store.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.cli import cli
from kg.query import QueryError, serialize_query, to_dataframe
from kg.store import open_store

from .conftest import ROOT

# IRIs, typed literals (xsd:date, xsd:integer), plain strings and an unbound variable
SELECT = """SELECT DISTINCT ?deadline ?due ?start ?what ?nothing WHERE {
  ?deadline a dkg:Deadline ; dkg:dueDate ?due ; rdfs:label ?what ; dkg:evidence/dkg:startOffset ?start .
  OPTIONAL { ?deadline dkg:noSuchProperty ?nothing }
} ORDER BY ?deadline ?start ?what"""
CONSTRUCT = "CONSTRUCT { ?b dkg:bidder ?x ; dkg:target ?y } WHERE { ?b a dkg:Bid ; dkg:bidder ?x ; dkg:target ?y }"
DESCRIBE = "DESCRIBE org:bytedance"


def rdflib_answer(memory_copy, sparql: str):
    return memory_copy.query(sparql)


@pytest.fixture(params=["embedded", "embedded, bounded", "memory"])
def store_and_bounds(request, seed_store, memory_copy):
    """Each path a query takes: Oxigraph in this process, Oxigraph in the bounded child, rdflib."""
    if request.param == "memory":
        return memory_copy, {}
    return seed_store, ({"timeout": 30.0, "max_memory_mb": 512} if "bounded" in request.param else {})


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_results_read_back_with_their_types(store_and_bounds, memory_copy, fmt):
    store, bounds = store_and_bounds
    data = serialize_query(store, SELECT, fmt, **bounds)
    parsed = Result.parse(io.BytesIO(data), format=fmt)
    expected = rdflib_answer(memory_copy, SELECT)
    assert [str(v) for v in parsed.vars] == ["deadline", "due", "start", "what", "nothing"]
    assert [tuple(row) for row in parsed] == [tuple(row) for row in expected]
    first = next(iter(parsed))
    assert isinstance(first[0], URIRef) and first[0].startswith("https://w3id.org/dealkg/id/deadline/")
    assert first[1].datatype == XSD.date and first[2].datatype == XSD.integer and first[4] is None


def test_select_csv_reads_back_as_the_lexical_forms(store_and_bounds, memory_copy):
    store, bounds = store_and_bounds
    parsed = Result.parse(io.BytesIO(serialize_query(store, SELECT, "csv", **bounds)), format="csv")
    expected = [tuple(None if v is None else str(v) for v in row) for row in rdflib_answer(memory_copy, SELECT)]
    # W3C CSV keeps no types and writes an unbound value as an empty field
    assert [tuple(None if v is None or str(v) == "" else str(v) for v in row) for row in parsed] == expected


@pytest.mark.parametrize(("fmt", "answer"), [("json", True), ("xml", True), ("json", False)])
def test_ask_reads_back_as_a_boolean(store_and_bounds, fmt, answer):
    store, bounds = store_and_bounds
    text = "ASK { ?b a dkg:Bid }" if answer else "ASK { ?b a dkg:NoSuchClass }"
    assert Result.parse(io.BytesIO(serialize_query(store, text, fmt, **bounds)), format=fmt).askAnswer is answer


@pytest.mark.parametrize("text", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_construct_and_describe_read_back_as_rdflibs_own_answer(store_and_bounds, memory_copy, text, fmt):
    store, bounds = store_and_bounds
    data = serialize_query(store, text, fmt, **bounds).decode("utf-8")
    back = Graph().parse(data=data, format="turtle" if fmt == "turtle" else "nt")
    expected = rdflib_answer(memory_copy, text).graph
    assert len(back) > 0 and isomorphic(back, expected)
    if fmt == "ntriples":  # each triple once, though several articles state it
        lines = data.splitlines()
        assert len(lines) == len(set(lines)) == len(back)
    else:
        assert "@prefix org: <https://w3id.org/dealkg/id/org/> ." in data


def test_every_store_writes_the_same_bytes(seed_store, memory_copy):
    for text, fmt in [(SELECT, "json"), (SELECT, "xml"), (SELECT, "csv"), (SELECT, "tsv"), (DESCRIBE, "turtle")]:
        embedded = serialize_query(seed_store, text, fmt)
        assert serialize_query(seed_store, text, fmt, timeout=30.0) == embedded, fmt
        assert serialize_query(memory_copy, text, fmt) == embedded, fmt


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture(scope="module")
def store_path(seed_store_copy):
    return seed_store_copy


def test_kg_query_json_is_the_w3c_format_with_the_types(store_path):
    result = run("query", str(ROOT / "queries" / "deadlines.rq"), "--format", "json", "--store", store_path)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"head", "results"} and document["head"]["vars"]
    types = {b["due"]["datatype"] for b in document["results"]["bindings"]}
    assert str(XSD.date) in types and types <= {str(XSD.date), str(XSD.gYearMonth)}


def test_construct_and_describe_through_the_cli_default_to_turtle(store_path, memory_copy):
    result = run("query", DESCRIBE, "--store", store_path)
    assert result.exit_code == 0, result.output
    back = Graph().parse(data=result.output, format="turtle")
    assert (URIRef("https://w3id.org/dealkg/id/org/bytedance"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("ByteDance")) in back
    assert isomorphic(back, rdflib_answer(memory_copy, DESCRIBE).graph)
    triples = run("query", CONSTRUCT, "-f", "ntriples", "--store", store_path)
    assert triples.exit_code == 0, triples.output
    assert isomorphic(Graph().parse(data=triples.output, format="nt"), rdflib_answer(memory_copy, CONSTRUCT).graph)


def test_a_query_from_standard_input(store_path):
    inline = run("query", SELECT, "--format", "csv", "--store", store_path)
    piped = run("query", "-", "--format", "csv", "--store", store_path, input=SELECT)
    assert inline.exit_code == 0 and piped.exit_code == 0, piped.output
    assert piped.output == inline.output and "2020-09-15" in piped.output
    described = run("query", "-", "--store", store_path, input=DESCRIBE.encode("utf-8"))
    assert described.exit_code == 0 and "org:bytedance" in described.output


@pytest.mark.parametrize(("stdin", "message"), [
    ("", "Error: standard input: no query text (an empty pipe or file?)\n"),
    ("  \n", "Error: standard input: no query text (an empty pipe or file?)\n"),
    (b"SELECT \xff", "Error: standard input: not UTF-8 text\n"),
])
def test_a_bad_standard_input_is_one_line(store_path, stdin, message):
    result = run("query", "-", "--store", store_path, input=stdin)
    assert result.exit_code == 1 and result.output == message


@pytest.mark.parametrize(("text", "fmt", "message"), [
    (DESCRIBE, "json", "Error: --format json is for SELECT and ASK, and this DESCRIBE query gives triples: "
                       "use --format turtle or ntriples\n"),
    (CONSTRUCT, "table", "Error: --format table is for SELECT and ASK, and this CONSTRUCT query gives triples: "
                         "use --format turtle or ntriples\n"),
    ("ASK { ?s ?p ?o }", "turtle", "Error: --format turtle is for CONSTRUCT and DESCRIBE, and this ASK query "
                                   "gives a table: use --format table, json, xml, csv, tsv\n"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "json", "Error: an update prints a summary table, not json: "
                                                  "leave out --format\n"),
])
def test_a_format_that_does_not_fit_the_query_is_one_line(store_path, text, fmt, message):
    result = run("query", text, "--format", fmt, "--store", store_path)
    assert result.exit_code == 1 and result.output == message


def test_to_dataframe_types_the_columns(tmp_path):
    data = """@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <http://example.org/g> {
      ex:a ex:n 3 ; ex:x 1.5 ; ex:ok true ; ex:day "2020-09-15"^^xsd:date ; ex:month "2020-09"^^xsd:gYearMonth ;
           ex:at "2020-09-15T10:30:00"^^xsd:dateTime ; ex:due "2020-09-15"^^xsd:date ; ex:name "A"@fr .
      ex:b ex:n 4 ; ex:x 2 ; ex:ok false ; ex:month "2020-11"^^xsd:gYearMonth ; ex:due "2020-11"^^xsd:gYearMonth ;
           ex:name "B" . }"""
    text = """PREFIX ex: <http://example.org/>
    SELECT ?s ?n ?x ?ok ?day ?month ?at ?due ?name WHERE {
      ?s ex:n ?n ; ex:x ?x ; ex:ok ?ok ; ex:month ?month ; ex:due ?due ; ex:name ?name .
      OPTIONAL { ?s ex:day ?day } OPTIONAL { ?s ex:at ?at } } ORDER BY ?s"""
    frames = []
    for location in ("memory", str(tmp_path / "kg")):
        with open_store(location) as store:
            store.dataset.parse(data=data, format="trig")
            frames.append(to_dataframe(store, text))
            if location != "memory":
                frames.append(to_dataframe(store, text, timeout=30.0, shorten=False))
    frame = frames[0]
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        "s": "string", "n": "Int64", "x": "Float64", "ok": "boolean", "day": "datetime64[us]",
        "month": "period[M]", "at": "datetime64[us]", "due": "string", "name": "string"}
    assert frame["n"].tolist() == [3, 4] and frame["x"].tolist() == [1.5, 2.0]
    assert frame["ok"].tolist() == [True, False] and frame["s"].tolist() == ["http://example.org/a",
                                                                             "http://example.org/b"]
    assert str(frame["day"][0].date()) == "2020-09-15" and frame["day"].isna().tolist() == [False, True]
    assert [str(p) for p in frame["month"]] == ["2020-09", "2020-11"]
    assert frame["due"].tolist() == ["2020-09-15", "2020-11"]  # a date and a month: no day is invented
    for other in frames[1:]:
        assert other.equals(frame)


def test_to_dataframe_shortens_iris_and_takes_only_select(seed_store):
    frame = to_dataframe(seed_store, "SELECT ?b WHERE { ?b a dkg:Bid } ORDER BY ?b LIMIT 1")
    assert frame["b"][0].startswith("bid:")
    assert to_dataframe(seed_store, "SELECT ?b WHERE { ?b a dkg:Bid } LIMIT 1", shorten=False)["b"][0].startswith(
        "https://w3id.org/dealkg/id/bid/")
    with pytest.raises(QueryError, match="to_dataframe takes a SELECT query, not DESCRIBE"):
        to_dataframe(seed_store, DESCRIBE)
