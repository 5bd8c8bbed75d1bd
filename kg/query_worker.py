"""Runs one SPARQL query on an embedded store in a process of its own.

Oxigraph evaluates a query in native code that no Python signal, timeout or
memory check can stop; ``ORDER BY`` over a cartesian product grew to 7.5 GB in
27 s. In a child process the parent can kill it at its deadline or on Ctrl-C, and
the operating system caps its memory (``RLIMIT_AS``): an allocation past the cap
ends the child, never the machine.

The request is one JSON line on standard input: ``path``, ``query``,
``prefixes``, ``memory_bytes``, ``format`` and ``output_prefixes`` (for Turtle); the parent then keeps standard input
open, and the child exits when it closes, so a killed parent leaves no query running.
Without a ``format`` the answer is JSON lines on standard output: a header
(``{"kind": "solutions", "columns": [...]}``, ``{"kind": "boolean", ...}``,
``{"kind": "triples"}`` or ``{"kind": "error", ...}``), then one line per solution,
each value ``[type, text]`` (``"iri"``, ``"bnode"``), ``["literal", text, datatype]`` (``""`` for a
language-tagged string) or ``null``.
With a ``format`` (one of :data:`RESULT_FORMATS` or :data:`GRAPH_FORMATS`) it is the
header ``{"kind": "serialized"}``, then what Oxigraph writes, streamed, then a newline.
Either way the last line is ``{"kind": "end"}``: an answer without it was cut short
(no format writes that line itself: each escapes or quotes the quotes of a value).

Only the standard library and pyoxigraph are imported: the child starts in about
40 ms, where rdflib alone would take 150.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
from collections.abc import Iterator
from typing import Any

#: ``--format`` names of the W3C SPARQL 1.1 query results formats (SELECT and ASK)
RESULT_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
#: ``--format`` names of the RDF formats a CONSTRUCT or DESCRIBE is written in
GRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES"}


def check_fits(result: Any, fmt: str) -> None:
    """Refuse a format that does not fit the answer: results formats for tables, RDF for triples."""
    import pyoxigraph as ox

    table = isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
    if fmt not in (RESULT_FORMATS if table else GRAPH_FORMATS):
        raise ValueError(f"format {fmt} does not fit this query, which gives {'a table' if table else 'triples'}")


def serialize(result: Any, fmt: str, prefixes: dict[str, str], output: Any = None) -> bytes | None:
    """An Oxigraph result (solutions, boolean or triples) written by Oxigraph in ``fmt``, into
    ``output`` (a binary file) or, without one, returned.

    Triples are made distinct (the union of the article graphs gives a triple once per article
    that states it, and an RDF graph is a set) and sorted: the bytes are stable, and Turtle
    groups each subject's triples.
    """
    import pyoxigraph as ox

    check_fits(result, fmt)
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        return result.serialize(output, format=getattr(ox.QueryResultsFormat, RESULT_FORMATS[fmt]))
    distinct = {str(triple): triple for triple in result}
    triples = [distinct[key] for key in sorted(distinct)]
    rdf_format = getattr(ox.RdfFormat, GRAPH_FORMATS[fmt])
    return ox.serialize(triples, output, format=rdf_format, prefixes=prefixes if fmt == "turtle" else None)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def sortable(term: Term | None, as_string: bool) -> bool:
    """Whether the parent's sort places this value (a :func:`_term`) as Oxigraph's ORDER BY
    would: unbound, IRIs and plain strings, or anything under ``STR()`` (kg.query)."""
    return term is None or as_string or term[0] == "iri" or (term[0] == "literal" and term[2] == _XSD_STRING)


#: a value as :func:`_term` gives it: ``("iri", text)``, ``("bnode", id)`` or ``("literal", text, datatype)``
Term = tuple[str, ...]


def _term(term: object) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):  # the datatype too: the parent sorts plain strings only
        return ("literal", term.value, "" if term.language else term.datatype.value)
    return ("literal", str(term), "other")  # a quoted triple


def decoded(solutions: Any) -> Iterator[list[Term | None]]:
    """Each solution's values as :func:`_term` gives them, each distinct value converted once.

    An answer repeats its values (a label, a headline or a graph on many rows); converting each
    afresh was half of what the parent spent on sources.rq's 13,742 rows at 1,000 articles.
    """
    terms: dict[object, Term | None] = {None: None}
    for solution in solutions:
        row = []
        for value in solution:
            try:
                term = terms[value]
            except KeyError:
                term = terms[value] = _term(value)
            row.append(term)
        yield row


def sortable_rows(result: Any, columns: list[str], keys: list[list[Any]]) -> list[list[Term | None]] | None:
    """The rows, when every sort key's value is :func:`sortable`; None at the first that is not
    (the rest is not decoded: the query as written is run instead)."""
    if not all(variable in columns for variable, _ in keys):
        return None
    # under STR() every value has its place
    checks = [columns.index(variable) for variable, as_string in keys if not as_string]
    rows = []
    for row in decoded(result):
        for index in checks:
            if not sortable(row[index], False):
                return None
        rows.append(row)
    return rows


def _exit_when_orphaned() -> None:
    sys.stdin.buffer.read()
    os._exit(1)


def _address_space() -> int:
    """The address space the process holds now, in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _emit(record: object) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> int:
    request = json.loads(sys.stdin.readline())
    # the parent keeps our standard input open while it waits: its end means the parent is
    # gone (even by kill -9), and nobody is left to read the answer or to stop this query
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
    import pyoxigraph as ox

    streaming = False
    try:
        store = ox.Store.read_only(request["path"])
        memory = int(request.get("memory_bytes") or 0)
        if memory > 0:
            # the cap is on what the query adds: an opened store already reserves some
            # hundreds of MB of address space it may never touch
            limit = _address_space() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = store.query(request["query"], use_default_graph_as_union=True, prefixes=request["prefixes"])
        if request.get("format"):
            check_fits(result, request["format"])
            _emit({"kind": "serialized"})
            sys.stdout.flush()
            streaming = True
            # streamed: the answer never sits whole in this process, whose memory is capped
            serialize(result, request["format"], request.get("output_prefixes") or request["prefixes"],
                      sys.stdout.buffer)
            sys.stdout.buffer.write(b"\n")
        elif isinstance(result, ox.QueryBoolean):
            _emit({"kind": "boolean", "value": bool(result)})
        elif isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = None
            if request.get("unordered"):  # the query without its ORDER BY: the parent sorts (kg.query)
                rows = sortable_rows(store.query(request["unordered"], use_default_graph_as_union=True,
                                                  prefixes=request["prefixes"]), columns, request["order_keys"])
            _emit({"kind": "solutions", "columns": columns, "sorted": rows is None})
            for row in rows if rows is not None else decoded(result):
                _emit(row)
        else:
            _emit({"kind": "triples"})
    except MemoryError:  # Python's own past the cap (sorting triples): the parent reads this line
        sys.stderr.write("memory allocation failed (MemoryError)\n")
        sys.stderr.flush()
        os._exit(1)
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        if streaming:  # half an answer is out: end without the last line, so the parent sees it cut short
            sys.stderr.write(f"{exc}\n")
            sys.stdout.flush()
            os._exit(1)
        _emit({"kind": "error", "syntax": isinstance(exc, SyntaxError), "message": str(exc)})
    _emit({"kind": "end"})
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
