"""SPARQL in; a table for people, or the W3C formats for programs.

SELECT and ASK give a table (:func:`run_query`, :func:`format_result`), or the W3C
SPARQL 1.1 query results formats, JSON, XML, CSV and TSV, written by Oxigraph's own
serialisers whatever the store (:func:`answer`); CONSTRUCT and DESCRIBE give Turtle or
N-Triples. :func:`to_dataframe` gives a SELECT's solutions as a typed pandas DataFrame.

Queries are read-only: a SPARQL Update (INSERT, DELETE, DROP, LOAD, ...) is
refused unless the caller asks for it (``allow_update``, ``kg query --update``).
They are closed too: ``SERVICE`` and ``LOAD`` make the store itself fetch from
the network, so a shared query could send the data anywhere; both are refused
unless the caller asks for them (``allow_network``, ``kg query --allow-network``).
Given a ``timeout`` or a ``max_memory``, a query on the embedded store runs in a
child process (``kg.query_worker``) that is stopped at the deadline, on Ctrl-C
or past the memory cap; ``kg query`` always gives both.
A malformed query gets the parser's message with its line and column, counted in
the text the user wrote (the predeclared prefixes are not counted). Queries to a
SPARQL endpoint give up after ``timeout`` seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.namespaces import PREFIXES, SPARQL_PREFIXES, shorten_iri
from kg.query_worker import GRAPH_FORMATS, RESULT_FORMATS, Term, decoded, serialize, sortable, sortable_rows
from kg.store import EmbeddedStore, KGStore, RemoteStore, StoreError

if TYPE_CHECKING:
    import pandas

#: what ``kg query --format`` takes: the table, the W3C results formats, the RDF formats
FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)
DEFAULT_MAX_MEMORY_MB = 2048
# the prefixes Turtle answers are written with: the project's own, as in kg export
_OUTPUT_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_MEGABYTE = 1024 * 1024
_WORKER = Path(__file__).with_name("query_worker.py")
_END = '{"kind": "end"}'  # the worker's last line: an answer without it was cut short


class QueryError(ValueError):
    """A query could not be read or run; the message is the parser's."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None


def read_query(text_or_path: str) -> str:
    """The query text: from standard input for ``-``, from a ``.rq`` file path, or given inline."""
    if text_or_path == "-":
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise QueryError("standard input: not UTF-8 text") from None
        except OSError as exc:
            raise QueryError(f"standard input: cannot read the query: {exc.strerror or exc}") from None
        if not text.strip():
            raise QueryError("standard input: no query text (an empty pipe or file?)")
        return text
    candidate = Path(text_or_path)
    try:
        is_file = "\n" not in text_or_path and len(text_or_path) < 300 and candidate.is_file()
    except (OSError, ValueError):  # a query too long or too odd to be a file name
        is_file = False
    if text_or_path.endswith((".rq", ".sparql")) or is_file:
        try:
            return candidate.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{text_or_path}: no such query file") from None
        except UnicodeDecodeError:
            raise QueryError(f"{text_or_path}: not UTF-8 text") from None
        except OSError as exc:
            raise QueryError(f"{text_or_path}: cannot read the query file: {exc.strerror or exc}") from None
    return text_or_path


def _shorten(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return shorten_iri(str(term))
    if isinstance(term, (Literal, BNode)):
        return str(term)
    return str(term)


# the first keyword after the prologue (BASE, PREFIX, comments) says what a request is
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
# where the two parsers put the position: Oxigraph "error at 3:14: ...", pyparsing ".lineno/.col"
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)
_MESSAGE_MAX = 200


# what the keyword scan skips: comments, strings (long ones first) and IRIs; an IRI holds no
# space, "<", ">" or "{", so a "<" that is a comparison never hides a clause behind it
_NOT_KEYWORDS = re.compile(
    r"""#[^\n]*|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"{3}(?:[^"\\]|\\.|"(?!""))*"{3}"""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>""")
# a keyword, not a variable (?service), a prefixed name (ex:load, load:x), a blank node or a language tag
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NETWORK_CLAUSE = re.compile(r"(?<![\w?$:@-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)


def network_clauses(sparql: str) -> list[str]:
    """The clauses of the text that make the store fetch from the network (``SERVICE``, ``LOAD``)."""
    # SPARQL reads \u and \U escapes before its grammar, so "\u0053ERVICE" is the keyword too
    decoded = _CODEPOINT.sub(lambda m: _codepoint(m.group(1) or m.group(2)), sparql)
    bare = _NOT_KEYWORDS.sub(" ", decoded)
    return sorted({found.group(1).upper() for found in _NETWORK_CLAUSE.finditer(bare)})


def _codepoint(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else " "


def _refuse_network(sparql: str) -> None:
    clauses = network_clauses(sparql)
    if clauses:
        raise QueryError(f"this request uses {' and '.join(clauses)}, which makes the store fetch from the "
                         "network (it could send your data anywhere); run it with --allow-network "
                         "(kg query --allow-network ...) if you trust it")


def _first_keyword(sparql: str) -> str:
    prologue = _PROLOGUE.match(sparql)
    rest = sparql[prologue.end() if prologue else 0:]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group().upper() if word else ""


def is_update(sparql: str) -> bool:
    """Whether the text is a SPARQL Update request rather than a query."""
    return _first_keyword(sparql) in UPDATE_KEYWORDS


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; None for an update or unreadable text."""
    word = _first_keyword(sparql)
    return word if word in _FORMS else None


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


def _with_prefixes(sparql: str) -> tuple[str, int]:
    """The text to run, and how many lines were put before the user's first line."""
    if "prefix dkg:" in sparql.lower():
        return sparql, 0
    return SPARQL_PREFIXES + sparql, SPARQL_PREFIXES.count("\n")


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MESSAGE_MAX else message[: _MESSAGE_MAX - 1].rsplit(" ", 1)[0] + " …"


def _syntax_error(exc: Exception, kind: str, shift: int) -> QueryError | None:
    """The parser's complaint as "invalid SPARQL query at line L, column C: ...", or None."""
    line = col = None
    found = _OXIGRAPH_POSITION.match(str(exc))
    if isinstance(exc, SyntaxError) and found is not None:
        line, col, message = int(found.group(1)), int(found.group(2)), found.group(3)
    elif type(exc).__name__ in ("ParseException", "ParseSyntaxException", "ParseFatalException"):
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        message = str(getattr(exc, "msg", "")) or str(exc)
        found_text = re.search(r"found ('.*?'|end of text)", str(exc))
        if found_text and "found" not in message:
            message = f"{message}, found {found_text.group(1)}"
    if line is None or col is None:
        return None
    if line > shift:
        line -= shift
    return QueryError(f"invalid SPARQL {kind} at line {line}, column {col}: {_short(message)}")


def _remote(store: KGStore) -> bool:
    return store.location.startswith(("http://", "https://"))


@contextlib.contextmanager
def _deadline(store: KGStore, timeout: float | None) -> Iterator[None]:
    """Bound the wait on a SPARQL endpoint.

    rdflib's SPARQL store calls ``urlopen`` with no timeout of its own, so the
    process-wide socket default is the only handle; it is restored afterwards.
    """
    if timeout is None or not _remote(store):
        yield
        return
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


@contextlib.contextmanager
def _bounded(store: KGStore, timeout: float | None, max_memory_mb: int | None) -> Iterator[None]:
    """A query on a store that is not embedded: the wait bounded by ``timeout``, and a SPARQL
    server's answer by ``max_memory_mb`` (what ``kg query --max-memory`` caps on every store)."""
    with contextlib.ExitStack() as bounds:
        bounds.enter_context(_deadline(store, timeout))
        if max_memory_mb is not None and isinstance(store, RemoteStore):
            bounds.enter_context(store.client.answers_capped(
                max_memory_mb, " (the memory cap, --max-memory); add a LIMIT or raise the cap"))
        yield


def _remote_error(exc: BaseException, store: KGStore, timeout: float | None) -> QueryError | None:
    """A clear message for a network failure, found anywhere in the exception chain."""
    seen: BaseException | None = exc
    while seen is not None:
        reason = getattr(seen, "reason", None)
        if isinstance(seen, TimeoutError) or isinstance(reason, TimeoutError):
            after = f" within {timeout:g} s" if timeout else ""
            return QueryError(f"the SPARQL endpoint {store.location} did not answer{after} (timed out); "
                              "try again, simplify the query or raise --timeout")
        code = getattr(seen, "code", None)
        if isinstance(seen, OSError) and isinstance(code, int):  # urllib's HTTPError
            return QueryError(f"the SPARQL endpoint {store.location} refused the request: HTTP {code} "
                              f"{_short(str(reason or ''))}".rstrip())
        if isinstance(seen, OSError):
            why = reason if reason is not None else (seen.strerror or seen)
            return QueryError(f"cannot reach the SPARQL endpoint {store.location}: {why}")
        seen = seen.__cause__ or seen.__context__
    return None


def _failure(exc: Exception, store: KGStore, kind: str, shift: int, timeout: float | None) -> QueryError:
    if _remote(store):
        network = _remote_error(exc, store, timeout)
        if network is not None:
            return network
        if isinstance(exc, StoreError):  # the server's answer could not be read: its own line says why
            return QueryError(str(exc))
    return _syntax_error(exc, kind, shift) or QueryError(f"invalid {kind}, or it failed: {_short(str(exc))}")


def run_query(store: KGStore, sparql: str, *, shorten: bool = True, allow_update: bool = False,
              allow_network: bool = False, timeout: float | None = None,
              max_memory_mb: int | None = None) -> QueryResult:
    """Run a SELECT or ASK query; prefixes of the ontology are predeclared.

    An update is refused unless ``allow_update``; then it runs and the result is one
    row saying so. ``SERVICE`` and ``LOAD`` are refused unless ``allow_network``.
    ``timeout`` (seconds) bounds the wait on a remote endpoint, and the run of a query
    on the embedded store; ``max_memory_mb`` caps the memory that run and its result
    take. Without either, an embedded query runs in this process, with no bound.
    """
    if not allow_network:
        _refuse_network(sparql)
    form = query_form(sparql)
    if form in _GRAPH_FORMS:
        raise QueryError(f"a {form} query gives triples, not a table: ask for them in Turtle or N-Triples "
                         "(kg query --format turtle; kg.query.answer(store, text, 'turtle'))")
    text, shift = _with_prefixes(sparql)
    if is_update(sparql):
        if not allow_update:
            raise QueryError("this is a SPARQL Update (it would change the store) and queries are "
                             "read-only; run it with --update (kg query --update ...) if you mean it")
        return _run_update(store, text, shift, timeout)
    if isinstance(store, EmbeddedStore):
        if timeout is None and max_memory_mb is None:
            return _run_embedded(store, text, shift, shorten)
        return _run_bounded(store, text, shift, shorten, timeout, max_memory_mb or DEFAULT_MAX_MEMORY_MB)
    try:
        with _bounded(store, timeout, max_memory_mb):
            result = store.dataset.query(text)
            if result.type == "ASK":
                return QueryResult(["ask"], [[str(bool(result.askAnswer))]], bool(result.askAnswer))
            if result.type != "SELECT":
                raise QueryError(f"a {result.type} query gives triples, not a table")
            columns = [str(v) for v in result.vars or []]
            convert = _shorten if shorten else (lambda t: None if t is None else str(t))
            rows = [[convert(row[i]) for i in range(len(columns))] for row in result]
    except QueryError:
        raise
    except Exception as exc:  # rdflib, pyparsing, Oxigraph and urllib raise their own kinds
        raise _failure(exc, store, "query", shift, timeout) from exc
    return QueryResult(columns, rows)


def default_format(sparql: str) -> str:
    """``turtle`` for a CONSTRUCT or DESCRIBE, else ``table``."""
    return "turtle" if query_form(sparql) in _GRAPH_FORMS else "table"


def check_format(sparql: str, fmt: str) -> None:
    """Refuse, in one line, a format that does not fit the query form."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if is_update(sparql):
        if fmt != "table":
            raise QueryError(f"an update prints a summary table, not {fmt}: leave out --format")
        return
    form = query_form(sparql)
    if form in _GRAPH_FORMS and fmt not in GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for SELECT and ASK, and this {form} query gives triples: "
                         f"use --format {' or '.join(GRAPH_FORMATS)}")
    if form in ("SELECT", "ASK") and fmt in GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE, and this {form} query gives a table: "
                         f"use --format {', '.join(f for f in FORMATS if f not in GRAPH_FORMATS)}")


def answer(store: KGStore, sparql: str, fmt: str | None = None, *, allow_update: bool = False,
           allow_network: bool = False, timeout: float | None = None, max_memory_mb: int | None = None) -> str:
    """What ``kg query`` prints: the table (the default for SELECT and ASK), a W3C results
    format, or Turtle (the default for CONSTRUCT and DESCRIBE) or N-Triples.

    A format that does not fit the query form is refused before the query runs. The other
    arguments are :func:`run_query`'s.
    """
    fmt = fmt or default_format(sparql)
    check_format(sparql, fmt)
    if fmt == "table":
        return format_result(run_query(store, sparql, allow_update=allow_update, allow_network=allow_network,
                                       timeout=timeout, max_memory_mb=max_memory_mb))
    return serialize_query(store, sparql, fmt, allow_network=allow_network, timeout=timeout,
                           max_memory_mb=max_memory_mb).decode("utf-8")


def serialize_query(store: KGStore, sparql: str, fmt: str, *, allow_network: bool = False,
                    timeout: float | None = None, max_memory_mb: int | None = None) -> bytes:
    """A query's answer as Oxigraph's serialisers write it: SELECT and ASK in a W3C SPARQL 1.1
    results format (``json``, ``xml``, ``csv``, ``tsv``), CONSTRUCT and DESCRIBE in ``turtle``
    (with the project's prefixes) or ``ntriples``, triples sorted.

    On the embedded store Oxigraph answers and writes (in the bounded child process when given a
    ``timeout`` or ``max_memory_mb``); rdflib's in-memory store and SPARQL servers answer in SPARQL
    JSON results or N-Triples, which Oxigraph reads back and writes, so every store gives the same
    bytes for the same solutions. Updates are refused: they have no results.
    """
    if not allow_network:
        _refuse_network(sparql)
    if is_update(sparql):
        raise QueryError(f"an update has no results to write as {fmt}; run it with kg query --update")
    check_format(sparql, fmt)
    text, shift = _with_prefixes(sparql)
    if isinstance(store, EmbeddedStore) and (timeout is not None or max_memory_mb is not None):
        raw = _bounded_answer(store, text, timeout, max_memory_mb or DEFAULT_MAX_MEMORY_MB, fmt)
        return _decode_serialized(raw, store, shift)
    try:
        with _bounded(store, timeout, max_memory_mb):
            result = store.run(text) if isinstance(store, EmbeddedStore) else _foreign_result(store, text, fmt)
            written = serialize(result, fmt, _OUTPUT_PREFIXES)
            assert written is not None
            return written
    except QueryError:
        raise
    except Exception as exc:  # rdflib, pyparsing, Oxigraph and urllib raise their own kinds
        raise _failure(exc, store, "query", shift, timeout) from exc


# what a server is asked for: SPARQL JSON results, or N-Triples (Turtle second), all of which
# Oxigraph reads back losslessly; a server's CSV has lost the terms' kinds and types
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_ACCEPT_TRIPLES = "application/n-triples, text/turtle;q=0.9"


def _foreign_result(store: KGStore, text: str, fmt: str) -> Any:
    """The answer of a store that is not Oxigraph's, as Oxigraph's own result objects."""
    import pyoxigraph as ox

    if isinstance(store, RemoteStore):
        ctype, body = store.client.query(text, accept=_ACCEPT_TRIPLES if fmt in GRAPH_FORMATS else _ACCEPT_RESULTS)
        results_format = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
        rdf_format = ox.RdfFormat.from_media_type(ctype) if ctype else None
        try:
            if results_format is not None and results_format != ox.QueryResultsFormat.CSV:
                return ox.parse_query_results(body, results_format)
            if rdf_format is not None and not rdf_format.supports_datasets:
                return [quad.triple for quad in ox.parse(body, rdf_format)]
        except (SyntaxError, ValueError) as exc:  # garbage bytes under a right content type
            raise QueryError(str(store.client.not_sparql(ctype, exc))) from None
        raise QueryError(f"the SPARQL endpoint {store.location} answered in {ctype or 'an undeclared type'}, "
                         f"which kg cannot read back, so it cannot give --format {fmt} there")
    result = store.dataset.query(text)
    if result.type in ("SELECT", "ASK"):
        return ox.parse_query_results(result.serialize(format="json"), ox.QueryResultsFormat.JSON)
    assert result.graph is not None
    ntriples = result.graph.serialize(format="nt", encoding="utf-8")
    return [quad.triple for quad in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]


# -- ORDER BY on the embedded store ------------------------------------------------------
#
# Oxigraph's ORDER BY evaluates the sort keys inside each comparison and reads every string over
# 15 bytes (labels, headlines, sentences) from RocksDB again at each one, equal values included:
# sources.rq spent two thirds of its time sorting 13,742 rows at 1,000 articles. The rows are
# decoded once for the answer anyway, so a top-level ORDER BY of plain keys is done here on the
# decoded values, with SPARQL's order; any other ORDER BY is left to Oxigraph.

_ORDER_TAIL = re.compile(r"\s*ORDER\s+BY\s+(.+?)\s*", re.IGNORECASE | re.DOTALL)
# ?x, STR(?x), ASC(?x), DESC(?x), ASC(STR(?x)), DESC(STR(?x))
_ORDER_KEY = re.compile(
    r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*(?:(?P<s1>STR)\s*\(\s*\?(?P<v1>\w+)\s*\)|\?(?P<v2>\w+))\s*\)"
    r"|(?P<s3>STR)\s*\(\s*\?(?P<v3>\w+)\s*\)|\?(?P<v4>\w+))", re.IGNORECASE)


@dataclass(frozen=True)
class _OrderKey:
    variable: str
    as_string: bool  # STR(?x)
    descending: bool


def _split_order(text: str) -> tuple[str, list[_OrderKey]] | None:
    """The query without its final ``ORDER BY`` and the keys of that clause, when the clause
    is the last thing of the query (after the last ``}``: not in a sub-select, no LIMIT or
    OFFSET after it) and every key is a variable or ``STR`` of one; else None."""
    end = text.rfind("}")
    tail = _ORDER_TAIL.fullmatch(text, end + 1) if end >= 0 else None
    if tail is None:
        return None
    keys, clause, at = [], tail.group(1), 0
    while at < len(clause):
        key = _ORDER_KEY.match(clause, at)
        if key is None:
            return None
        keys.append(_OrderKey(key["v1"] or key["v2"] or key["v3"] or key["v4"],
                              bool(key["s1"] or key["s3"]), (key["dir"] or "").upper() == "DESC"))
        at = key.end()
    return text[: end + 1], keys


def _sort_value(term: Term | None, as_string: bool) -> tuple[int, str] | None:
    """A value's place in SPARQL's order (unbound < IRI < literal), None when this sort cannot
    place it as Oxigraph would (blank nodes, literals other than plain strings)."""
    if not sortable(term, as_string):
        return None
    if term is None or (as_string and term[0] == "bnode"):  # STR of a blank node is an error: unbound
        return (0, "")
    return (1, term[1]) if term[0] == "iri" and not as_string else (2, term[1])


def _ordered(rows: list[list[Term | None]], columns: list[str], keys: list[_OrderKey]) -> list[Any] | None:
    """``rows`` (of :func:`kg.query_worker._term` values) sorted by ``keys``, then by the other
    columns, or None when a key is not a column or holds a value :func:`_sort_value` cannot place.

    Each column's distinct values are placed and ranked once, and the rows sorted once on tuples
    of ranks (a descending key's negated): the same order as stable sorts on the places, last key
    first, for a fraction of the comparisons of long strings.
    """
    if any(key.variable not in columns for key in keys):
        return None
    columns_ranked: list[list[int]] = []
    for key in keys:
        index = columns.index(key.variable)
        places: dict[Term | None, tuple[int, str]] = {}
        for term in {row[index] for row in rows}:
            place = _sort_value(term, key.as_string)
            if place is None:
                return None
            places[term] = place
        ranks = _ranks(places)
        sign = -1 if key.descending else 1
        columns_ranked.append([sign * ranks[row[index]] for row in rows])
    # SPARQL leaves the order of rows with equal keys open (Oxigraph's follows its plan): the other
    # columns break ties here, so the same store always gives the same table
    keyed = {columns.index(key.variable) for key in keys if not key.as_string}
    for index in range(len(columns)):
        if index not in keyed:
            ranks = _ranks({term: _tie_value(term) for term in {row[index] for row in rows}})
            columns_ranked.append([ranks[row[index]] for row in rows])
    rank_keys = list(zip(*columns_ranked, strict=True))
    order = sorted(range(len(rows)), key=rank_keys.__getitem__)
    return [rows[i] for i in order]


def _ranks(places: dict[Any, Any]) -> dict[Any, int]:
    """Each value's rank by its place, values in the same place sharing one."""
    ranks: dict[Any, int] = {}
    rank, previous = -1, None
    for value, place in sorted(places.items(), key=lambda item: item[1]):
        if rank < 0 or place != previous:
            rank, previous = rank + 1, place
        ranks[value] = rank
    return ranks


def _tie_value(term: Term | None) -> tuple[int, str, str]:
    if term is None:
        return (0, "", "")
    return ({"bnode": 1, "iri": 2}.get(term[0], 3), term[2] if len(term) > 2 else "", term[1])


def _run_embedded(store: EmbeddedStore, text: str, shift: int, shorten: bool) -> QueryResult:
    """The same answer as through rdflib, read straight from Oxigraph's solutions."""
    import pyoxigraph as ox

    split = _split_order(text)
    try:
        result = store.run(text if split is None else split[0])
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(["ask"], [[str(bool(result))]], bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("this query gives triples, not a table")
        columns = [v.value for v in result.variables]
        if split is None:
            return QueryResult(columns, _shown(decoded(result), shorten))
        ordered = sortable_rows(result, columns, [[k.variable, k.as_string] for k in split[1]])
        ordered = None if ordered is None else _ordered(ordered, columns, split[1])
    except QueryError:
        raise
    except Exception as exc:  # Oxigraph raises SyntaxError for the text, OSError for the store
        raise _failure(exc, store, "query", shift, None) from exc
    if ordered is None:  # a key this sort does not place: Oxigraph orders the rows itself
        return _run_embedded_as_written(store, text, shift, shorten)
    return QueryResult(columns, _shown(ordered, shorten))


def _run_embedded_as_written(store: EmbeddedStore, text: str, shift: int, shorten: bool) -> QueryResult:
    import pyoxigraph as ox

    try:
        result = store.run(text)
        assert isinstance(result, ox.QuerySolutions)
        return QueryResult([v.value for v in result.variables], _shown(decoded(result), shorten))
    except Exception as exc:  # the same query ran a moment ago: only the store can fail now
        raise _failure(exc, store, "query", shift, None) from exc


def _run_bounded(store: EmbeddedStore, text: str, shift: int, shorten: bool, timeout: float | None,
                 max_memory_mb: int) -> QueryResult:
    split = _split_order(text)
    answer = _bounded_answer(store, text, timeout, max_memory_mb, None, split)
    # one record a line; only "\n" ends one (a value may hold U+2028 or U+0085, which
    # str.splitlines would also split at, and JSON leaves unescaped)
    lines = answer.decode("utf-8", errors="replace").split("\n")
    if lines[-1] == "":
        lines.pop()
    header = json.loads(lines[0])
    records = json.loads("[" + ",".join(lines[1:]) + "]")
    failure = header if header["kind"] == "error" else next((r for r in records if isinstance(r, dict)), None)
    if failure is not None:
        exc: Exception = SyntaxError(failure["message"]) if failure["syntax"] else RuntimeError(failure["message"])
        raise _failure(exc, store, "query", shift, None)
    if header["kind"] == "boolean":
        return QueryResult(["ask"], [[str(header["value"])]], header["value"])
    if header["kind"] != "solutions":
        raise QueryError("this query gives triples, not a table")
    rows: list[list[Term | None]] = [[None if t is None else tuple(t) for t in r] for r in records]
    if split is not None and not header.get("sorted", True):
        ordered = _ordered(rows, header["columns"], split[1])
        assert ordered is not None  # the worker checked every key's values
        rows = ordered
    return QueryResult(header["columns"], _shown(rows, shorten))


def _shown(rows: Iterable[list[Term | None]], shorten: bool) -> list[list[str | None]]:
    """The rows of :func:`kg.query_worker._term` values as the table shows them: IRIs shortened
    (with ``shorten``), every other value its text; each distinct value written once."""
    shown: dict[Term | None, str | None] = {None: None}
    table = []
    for row in rows:
        cells = []
        for term in row:
            try:
                cell = shown[term]
            except KeyError:
                assert term is not None
                cell = shown[term] = shorten_iri(term[1]) if shorten and term[0] == "iri" else term[1]
            cells.append(cell)
        table.append(cells)
    return table


def _bounded_answer(store: EmbeddedStore, text: str, timeout: float | None, max_memory_mb: int,
                    fmt: str | None, split: tuple[str, list[_OrderKey]] | None = None) -> bytes:
    """The query run by ``kg.query_worker`` in a child process, killed at the deadline, on
    Ctrl-C, or when its answer outgrows the memory cap (its own memory is capped by the OS);
    the child's whole answer, without its last line (see ``kg.query_worker``)."""
    cap = max_memory_mb * _MEGABYTE
    request = json.dumps({"path": store.data_path, "query": text, "memory_bytes": cap, "format": fmt,
                          "prefixes": {p: str(ns) for p, ns in store.dataset.namespaces()},
                          "output_prefixes": _OUTPUT_PREFIXES,
                          # the query without its ORDER BY, whose rows are sorted here (_split_order)
                          "unordered": split[0] if split else None,
                          "order_keys": [[k.variable, k.as_string] for k in split[1]] if split else []})
    with tempfile.TemporaryFile() as errors:
        # -I: the child imports nothing from the working folder or the user's environment
        child = subprocess.Popen([sys.executable, "-I", str(_WORKER)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=errors)
        try:
            answer = _read_answer(child, request.encode("utf-8"), timeout, cap, max_memory_mb)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            assert child.stdin is not None and child.stdout is not None
            child.stdin.close()
            child.stdout.close()
        end = _END.encode("utf-8") + b"\n"
        if not answer.endswith(b"\n" + end):  # the child died before it finished its answer
            errors.seek(0)
            if child.returncode < 0 or b"memory allocation" in errors.read():
                raise QueryError(f"the query needed more than {max_memory_mb} MB and was stopped (the "
                                 "memory cap, --max-memory); simplify it, add a LIMIT or raise the cap")
            raise QueryError(f"the query process failed (exit code {child.returncode})")
    return answer[: -len(end)]


def _decode_serialized(answer: bytes, store: EmbeddedStore, shift: int) -> bytes:
    first, _, payload = answer.partition(b"\n")
    header = json.loads(first)
    if header["kind"] == "error":
        exc = SyntaxError(header["message"]) if header["syntax"] else RuntimeError(header["message"])
        raise _failure(exc, store, "query", shift, None)
    return payload[:-1]  # (the newline the worker writes after the payload)


def _read_answer(child: subprocess.Popen[bytes], request: bytes, timeout: float | None, cap: int,
                 max_memory_mb: int) -> bytes:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(request + b"\n")
    child.stdin.flush()  # and kept open: the child stops when it closes (see kg.query_worker)
    deadline = None if timeout is None else time.monotonic() + timeout
    answer = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise QueryError(f"the query did not finish within {timeout:g} s and was stopped; "
                                 "simplify it, add a LIMIT or raise --timeout")
            if not selector.select(left):
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return bytes(answer)
            answer += chunk
            if len(answer) > cap:
                raise QueryError(f"the result is larger than {max_memory_mb} MB (the memory cap, "
                                 "--max-memory) and was stopped; add a LIMIT or raise the cap")


def _run_update(store: KGStore, text: str, shift: int, timeout: float | None) -> QueryResult:
    before = None if _remote(store) else len(store.dataset)
    try:
        with _deadline(store, timeout):
            backend = store.dataset.store
            if type(backend).__name__ == "OxigraphStore":
                # through the Dataset, a union-graph dataset falls back to rdflib's slow
                # engine, which cannot even insert into the default graph of this store
                backend.update(text, {}, {}, DATASET_DEFAULT_GRAPH_ID)
            else:
                store.dataset.update(text)
    except Exception as exc:
        raise _failure(exc, store, "update", shift, timeout) from exc
    if before is None:
        return QueryResult(["update"], [["done"]])
    after = len(store.dataset)
    return QueryResult(["update", "triples before", "triples after"], [["done", str(before), str(after)]])


def format_result(result: QueryResult) -> str:
    """The result as a table for people: IRIs shortened with the project's prefixes, a row count."""
    cells = [[("" if v is None else v) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    footer = f"({len(cells)} row{'s' if len(cells) != 1 else ''})"
    return "\n".join([line, rule, *body, footer])


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_NUMBERS = _INTEGERS | {f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"}


def to_dataframe(store: KGStore, sparql: str, *, shorten: bool = True, allow_network: bool = False,
                 timeout: float | None = None, max_memory_mb: int | None = None) -> pandas.DataFrame:
    """A SELECT's solutions as a pandas DataFrame: one column per variable, in order, typed.

    A column whose values are all integers is ``Int64``, all numbers ``Float64``, all
    ``xsd:boolean`` ``boolean``, all ``xsd:date`` or all ``xsd:dateTime`` ``datetime64``, all
    ``xsd:gYearMonth`` a monthly ``period`` (a month stays a month: no day is invented); any
    other column, a mixed one included, is ``string``, with IRIs shortened by the project's
    prefixes unless ``shorten=False``. Unbound values are missing (``<NA>``, ``NaT``). The
    solutions come as SPARQL JSON results (:func:`serialize_query`), so every kind of store
    gives the same frame; the other arguments are :func:`run_query`'s.
    """
    form = query_form(sparql)
    if form != "SELECT":
        raise QueryError(f"to_dataframe takes a SELECT query, not {form or 'this text'}")
    try:
        import pandas as pd
    except ImportError:
        raise QueryError("to_dataframe needs pandas: pip install pandas (or dealkg[pandas])") from None
    document = json.loads(serialize_query(store, sparql, "json", allow_network=allow_network, timeout=timeout,
                                          max_memory_mb=max_memory_mb))
    names = document["head"]["vars"]
    bindings = document["results"]["bindings"]
    return pd.DataFrame({name: _column(pd, [b.get(name) for b in bindings], shorten) for name in names},
                        columns=names, index=pd.RangeIndex(len(bindings)))


def _column(pd: Any, terms: list[dict[str, str] | None], shorten: bool) -> pandas.Series:
    present = [t for t in terms if t is not None]
    if present and all(t["type"] == "literal" and "datatype" in t for t in present):
        values = [None if t is None else t["value"] for t in terms]
        typed = _typed(pd, values, {t["datatype"] for t in present})
        if typed is not None:
            return typed

    def text(term: dict[str, str] | None) -> str | None:
        if term is None:
            return None
        return shorten_iri(term["value"]) if shorten and term["type"] == "uri" else term["value"]

    return pd.Series([text(t) for t in terms], dtype="string")


def _typed(pd: Any, values: list[str | None], datatypes: set[str]) -> pandas.Series | None:
    """The column in the pandas type its one XSD datatype (or its numbers) maps to; None if none does."""
    try:
        if datatypes <= _INTEGERS:
            return pd.Series([None if v is None else int(v) for v in values], dtype="Int64")
        if datatypes <= _NUMBERS:
            return pd.Series([None if v is None else float(v) for v in values], dtype="Float64")
        (datatype,) = datatypes
        if datatype == f"{_XSD}boolean":
            return pd.Series([None if v is None else v in ("true", "1") for v in values], dtype="boolean")
        if datatype in (f"{_XSD}date", f"{_XSD}dateTime"):
            return pd.Series(pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601"))
        if datatype == f"{_XSD}gYearMonth":
            return pd.Series(pd.PeriodIndex([pd.NaT if v is None else v for v in values], freq="M"))
    except (ValueError, TypeError, OverflowError):  # a lexical form pandas cannot read: keep the text
        return None
    return None
