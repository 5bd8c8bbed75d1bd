"""SPARQL in; a table, CSV or JSON out.

Queries are read-only: an update (INSERT, DELETE, DROP, ...) does not parse as
a query and is refused with the parser's message.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, URIRef

from kg.namespaces import PREFIXES, SPARQL_PREFIXES
from kg.store import KGStore

FORMATS = ("table", "csv", "json")


class QueryError(ValueError):
    """A query could not be read or run; the message is the parser's."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None


def read_query(text_or_path: str) -> str:
    """The query text, from a ``.rq`` file path or given inline."""
    candidate = Path(text_or_path)
    if text_or_path.endswith((".rq", ".sparql")) or (len(text_or_path) < 300 and candidate.is_file()):
        if not candidate.is_file():
            raise QueryError(f"{text_or_path}: no such query file")
        return candidate.read_text(encoding="utf-8")
    return text_or_path


def _shorten(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in PREFIXES.items():
            if text.startswith(str(namespace)):
                return f"{prefix}:{text[len(str(namespace)):]}"
        return text
    if isinstance(term, (Literal, BNode)):
        return str(term)
    return str(term)


def run_query(store: KGStore, sparql: str, *, shorten: bool = True) -> QueryResult:
    """Run a SELECT or ASK query; prefixes of the ontology are predeclared."""
    text = sparql if "prefix dkg:" in sparql.lower() else SPARQL_PREFIXES + sparql
    try:
        result = store.dataset.query(text)
    except Exception as exc:  # rdflib and Oxigraph raise their own parser errors
        raise QueryError(f"invalid or read-only-violating query: {exc}") from exc
    if result.type == "ASK":
        return QueryResult(["ask"], [[str(bool(result.askAnswer))]], bool(result.askAnswer))
    if result.type != "SELECT":
        raise QueryError(f"only SELECT and ASK queries are supported here, not {result.type}")
    columns = [str(v) for v in result.vars or []]
    convert = _shorten if shorten else (lambda t: None if t is None else str(t))
    rows = [[convert(row[i]) for i in range(len(columns))] for row in result]
    return QueryResult(columns, rows)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(
            {"columns": result.columns, "rows": [dict(zip(result.columns, r, strict=True)) for r in result.rows]},
            ensure_ascii=False, indent=2,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    cells = [[("" if v is None else v) for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    footer = f"({len(cells)} row{'s' if len(cells) != 1 else ''})"
    return "\n".join([line, rule, *body, footer])
