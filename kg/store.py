"""Where the graph lives: an rdflib ``Dataset`` over one of three stores.

* a folder (default ``.kg/store``, or ``KG_STORE``): Oxigraph embedded on disk
  through oxrdflib — named graphs, RocksDB persistence, and a SPARQL engine
  orders of magnitude faster than rdflib's own on joins (FIELD-NOTES);
* ``memory``: rdflib's in-memory store, for tests and notebooks;
* ``http(s)://…``: a SPARQL 1.1 endpoint (Oxigraph server, Fuseki, ...), written
  with SPARQL 1.1 Update and read with SPARQL queries and the Graph Store Protocol.

Every article owns one named graph (its IRI); replacing an article replaces
that graph only, so actors other articles mention survive. Writes go through
:meth:`KGStore.write_graphs`, which takes graphs already encoded as N-Triples
statements (:func:`encode_graph`): extraction workers produce that text, and
the stores hand it to Oxigraph's parsers instead of building Python objects.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result

from kg.namespaces import DKG, ID, PREFIXES, SPARQL_PREFIXES
from kg.safe_text import printable as _printable

if TYPE_CHECKING:
    import pyoxigraph

DEFAULT_LOCATION = ".kg/store"
ENV_VAR = "KG_STORE"
TIMEOUT_ENV_VAR = "KG_STORE_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
MAX_ANSWER_ENV_VAR = "KG_STORE_MAX_MB"
DEFAULT_MAX_ANSWER_MB = 1024
_MEGABYTE = 1024 * 1024
_CHUNK = 1 << 20  # bytes read at a time from a server
_ERROR_BYTES = 4096  # of an error page, only the start is read (its first line is shown)

Quad = tuple[URIRef, URIRef, object, URIRef]

_STAMP_PREDICATE = f"<{DKG.contentHash}>"
#: Graphs named like an article (``id/article/...``, only ``kg build`` writes those) that have no
#: content stamp, as a SPARQL group binding ``?g``. ``GRAPH ?g {}`` lists graph names without
#: reading their triples.
INCOMPLETE_PATTERN = f"""{{ GRAPH ?g {{}} FILTER(STRSTARTS(STR(?g), "{ID}article/"))
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?g dkg:contentHash ?h }} }} }}"""
INCOMPLETE_ARTICLES = f"{SPARQL_PREFIXES}SELECT ?g WHERE {INCOMPLETE_PATTERN}"
# N-Triples string escapes (the only characters a quoted literal may not hold raw)
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_XSD_STRING = str(XSD.string)


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says why and what to do."""


def default_location() -> str:
    return os.environ.get(ENV_VAR) or DEFAULT_LOCATION


# -- N-Triples encoding ------------------------------------------------------------


def nt_term(term: object) -> str:
    """One RDF term in N-Triples syntax (also valid in SPARQL and Turtle)."""
    if isinstance(term, URIRef):
        text = str(term)
        if _IRI_UNSAFE.search(text):
            text = urllib.parse.quote(text, safe=":/?#[]@!$&'()*+,;=%~")
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical = str(term).translate(_NT_ESCAPES)
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    raise TypeError(f"not an RDF term: {term!r}")


@dataclass(frozen=True)
class GraphData:
    """One article's named graph as N-Triples statements (without the final ' .').

    ``stamp`` holds the content-hash statements apart: the bulk path writes them
    last, so a graph whose writing was interrupted has no stamp and is rebuilt.
    """

    name: str
    body: tuple[str, ...]
    stamp: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.body) + len(self.stamp)

    def statements(self) -> Iterable[str]:
        yield from self.body
        yield from self.stamp

    def nquads(self, *, stamp: bool = True) -> str:
        graph = f"<{self.name}>"
        lines = self.statements() if stamp else self.body
        return "".join(f"{line} {graph} .\n" for line in lines)

    def ntriples(self) -> str:
        return "".join(f"{line} .\n" for line in self.statements())

    def sparql_replace(self) -> str:
        """A SPARQL Update that swaps the graph in one request (one transaction on the servers we know)."""
        body = " .\n".join(self.statements())
        return f"DROP SILENT GRAPH <{self.name}> ;\nINSERT DATA {{ GRAPH <{self.name}> {{\n{body} .\n}} }}"


def encode_graph(name: URIRef | str, triples: Iterable[tuple[Any, Any, Any]]) -> GraphData:
    """A graph's triples as N-Triples statements, each once (a graph is a set: extraction may
    state a triple twice, and ``len()`` of the result is what the store holds for the graph)."""
    body: dict[str, None] = {}
    stamp: dict[str, None] = {}
    for s, p, o in triples:
        predicate = nt_term(p)
        line = f"{nt_term(s)} {predicate} {nt_term(o)}"
        (stamp if predicate == _STAMP_PREDICATE else body)[line] = None
    return GraphData(str(name), tuple(body), tuple(stamp))


# -- the store ---------------------------------------------------------------------


@dataclass
class KGStore:
    """A dataset plus the few operations the pipeline needs (the in-memory kind)."""

    location: str
    dataset: Dataset
    kind: str = field(default="memory")

    # -- reading --------------------------------------------------------------------

    def query(self, sparql: str) -> Any:
        return self.dataset.query(sparql if "PREFIX" in sparql.upper() else SPARQL_PREFIXES + sparql)

    def select(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain strings (IRIs and lexical forms), fast on every kind of store."""
        return [tuple(None if v is None else str(v) for v in row) for row in self.dataset.query(sparql)]

    def article_hashes(self) -> dict[str, str]:
        """Content stamp of every article in the store, by article IRI."""
        rows = self.select(SPARQL_PREFIXES + "SELECT ?a ?h WHERE { GRAPH ?a { ?a dkg:contentHash ?h } }")
        return {str(a): str(h) for a, h in rows}

    def article_sources(self) -> dict[str, str]:
        """The file each article in the store was read from (``dkg:sourceFile``), by article IRI."""
        rows = self.select(SPARQL_PREFIXES + "SELECT ?a ?f WHERE { GRAPH ?a { ?a dkg:sourceFile ?f } }")
        return {str(a): str(f) for a, f in rows}

    def incomplete_articles(self) -> list[str]:
        """Article graphs without their content stamp, sorted: what a build killed between its bulk
        load and the stamps (``kill -9``, a power cut) leaves. Their content may be partial, so they
        are no article yet: ``kg stats`` counts them apart and the next ``kg build`` redoes them."""
        return sorted(str(g) for (g,) in self.select(INCOMPLETE_ARTICLES))

    def article_graphs(self) -> list[URIRef]:
        rows = self.select(SPARQL_PREFIXES + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a dkg:Article } }")
        return sorted(URIRef(str(a)) for (a,) in rows)

    def graph_names(self) -> list[str]:
        """Every named graph that holds a triple (article graphs and any other), sorted."""
        return sorted(str(g) for (g,) in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def graph_ntriples(self, name: str | None) -> bytes:
        """The triples of one named graph, or of the default graph itself (``None``), as N-Triples."""
        graph = self.dataset.default_graph if name is None else self.dataset.graph(URIRef(name))
        return _ntriples(graph)

    def construct_ntriples(self, sparql: str) -> bytes:
        """The triples a SPARQL CONSTRUCT makes, as N-Triples."""
        return _ntriples(self.query(sparql).graph)

    def __len__(self) -> int:
        return len(self.dataset)

    def nquads(self) -> bytes:
        """Every quad of the named graphs as N-Quads (unsorted), for export."""
        lines = []
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            if g is None:
                continue
            name = g.identifier if isinstance(g, Graph) else g
            lines.append(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(name)} .\n")
        return "".join(lines).encode("utf-8")

    # -- writing --------------------------------------------------------------------

    def write_graphs(self, graphs: Sequence[GraphData], *, existing: Iterable[str] = ()) -> int:
        """Write each graph, replacing any graph of that name; returns the triples written.

        ``existing`` names the graphs the store already holds (replaced atomically);
        the others are new and may take a faster, non-transactional path.
        """
        written = 0
        for data in graphs:
            fresh = Graph()
            fresh.parse(data=data.ntriples(), format="nt")  # parsed first: a bad graph leaves the old one
            self.remove_graph(URIRef(data.name))
            target = self.dataset.graph(URIRef(data.name))
            self.dataset.addN((s, p, o, target) for s, p, o in fresh)
            written += len(data)
        return written

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Any, Any, Any]]) -> int:
        """Drop the named graph and write it anew; returns the number of triples written."""
        return self.write_graphs([encode_graph(name, triples)], existing=[str(name)])

    def remove_graph(self, name: URIRef) -> None:
        self.dataset.remove_graph(self.dataset.graph(name))

    def close(self) -> None:
        self.dataset.close()

    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def oxigraph_of(dataset: Dataset) -> pyoxigraph.Store | None:
    """The pyoxigraph store under an rdflib ``dataset`` (an embedded store's), else None."""
    return getattr(dataset.store, "_inner", None)


def select_values(ox: pyoxigraph.Store, sparql: str) -> list[tuple[str | None, ...]]:
    """A SELECT run by Oxigraph over the union of the graphs; its rows as plain strings."""
    result = ox.query(sparql, use_default_graph_as_union=True)
    return [tuple(None if v is None else v.value for v in row) for row in result]  # type: ignore[union-attr]


class EmbeddedStore(KGStore):
    """Oxigraph on disk; reads and writes go straight to pyoxigraph where rdflib would be slow."""

    @property
    def ox(self) -> pyoxigraph.Store:
        ox = oxigraph_of(self.dataset)
        assert ox is not None
        return ox

    def select(self, sparql: str) -> list[tuple[str | None, ...]]:
        return select_values(self.ox, sparql)

    def run(self, sparql: str) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
        """A query run by Oxigraph itself over the union of the graphs, with the dataset's prefixes.

        What ``dataset.query`` does through oxrdflib, without turning every value into an rdflib
        term first (a tenth to a third of a competency query's time at a million triples).
        """
        prefixes = {prefix: str(namespace) for prefix, namespace in self.dataset.namespaces()}
        return self.ox.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        return int(rows[0][0] or 0)

    def nquads(self) -> bytes:
        import pyoxigraph as ox

        return self.ox.dump(format=ox.RdfFormat.N_QUADS)  # type: ignore[return-value]

    def graph_ntriples(self, name: str | None) -> bytes:
        import pyoxigraph as ox

        graph = ox.DefaultGraph() if name is None else ox.NamedNode(name)
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)  # type: ignore[return-value]

    def construct_ntriples(self, sparql: str) -> bytes:
        import pyoxigraph as ox

        result = self.ox.query(sparql, use_default_graph_as_union=True)
        return result.serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr,return-value]

    def write_graphs(self, graphs: Sequence[GraphData], *, existing: Iterable[str] = ()) -> int:
        present = set(existing)
        new = [g for g in graphs if g.name not in present]
        replaced = [g for g in graphs if g.name in present]
        try:
            if new:
                self._write_new(new)
                self.written += sum(len(g) for g in new)
            if replaced:
                self.written += self._replace(replaced)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.location}: writing to the store failed: {exc}") from exc
        return sum(len(g) for g in graphs)

    def _write_new(self, graphs: Sequence[GraphData]) -> None:
        """Bulk-load graphs the store does not hold, then stamp them.

        bulk_load is not transactional, so the stamps go last, in a transaction of their own:
        a build killed in between leaves unstamped graphs, which the next build replaces. On
        Ctrl-C (which Python only sees once the native load returns) or an error, the graphs
        of this batch that have no stamp yet are removed before the exception goes on, so no
        command ever counts an article that is half written.
        """
        import pyoxigraph as ox

        for data in graphs:
            self.ox.remove_graph(ox.NamedNode(data.name))  # leftovers of an interrupted build
        stamped = False
        try:
            self._bulk_load(graphs)
            stamps = "".join(f"{line} <{g.name}> .\n" for g in graphs for line in g.stamp)
            if stamps:
                self.ox.load(stamps, format=ox.RdfFormat.N_QUADS)
            stamped = True
        finally:
            if not stamped:
                with contextlib.suppress(OSError):  # a full disk: the original error goes on
                    for data in graphs:
                        self.ox.remove_graph(ox.NamedNode(data.name))
            remove_leftovers(Path(self.location))  # a failed load's temporary files, if any

    def _replace(self, graphs: Sequence[GraphData]) -> int:
        """Swap each graph in one transaction (the old graph stays until the new one is in),
        writing only the statements that changed.

        A transaction goes through RocksDB's write-ahead log, about 1 KB per statement deleted
        or inserted, and Oxigraph's memtables (128 MB each) are flushed only when full: dropping
        and re-inserting 300 whole articles wrote a 116 MB log, which stayed in the folder
        after the build. Writing the difference, and flushing every :data:`_FLUSH_EVERY`
        statements, keeps the log to the part that changed, in small files. Returns the number
        of statements deleted and inserted.
        """
        pending = total = 0
        for data in graphs:
            update, statements = self._swap(data)
            if update:
                self.ox.update(update)
                pending += statements
                total += statements
            if pending >= _FLUSH_EVERY:
                self.ox.flush()
                pending = 0
        if pending:
            self.ox.flush()
        return total

    def _swap(self, data: GraphData) -> tuple[str, int]:
        """The SPARQL update that turns the stored graph into ``data`` (empty when they are
        the same), and the number of statements it deletes and inserts."""
        import pyoxigraph as ox

        graph = ox.NamedNode(data.name)
        new = {quad.triple for quad in ox.parse(data.ntriples().encode("utf-8"), ox.RdfFormat.N_TRIPLES)}
        old = {quad.triple for quad in self.ox.quads_for_pattern(None, None, None, graph)}
        if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in old | new):
            return data.sparql_replace(), len(old) + len(new)  # DELETE DATA takes no blank nodes
        removed, added = old - new, new - old
        parts = []
        if removed:
            parts.append(f"DELETE DATA {{ GRAPH <{data.name}> {{\n{_triples_text(removed)}}} }}")
        if added:
            parts.append(f"INSERT DATA {{ GRAPH <{data.name}> {{\n{_triples_text(added)}}} }}")
        return " ;\n".join(parts), len(removed) + len(added)

    def _bulk_load(self, graphs: Sequence[GraphData]) -> None:
        """Bulk-load new graphs, in parallel parts when there is enough to share out.

        One bulk_load call parses and sorts on one thread; two calls on disjoint graphs run
        side by side (RocksDB ingests each call's files atomically), which took a million
        triples from 5.4 s to 3.5 s on two cores. Below ~25k triples a part, one call is cheaper.
        """
        import pyoxigraph as ox

        parts = _split(graphs, min(_LOAD_THREADS, os.cpu_count() or 1), _MIN_PART)

        def load(part: Sequence[GraphData]) -> None:
            # UTF-8 bytes: given a str, pyoxigraph converts it first
            self.ox.bulk_load("".join(g.nquads(stamp=False) for g in part).encode("utf-8"),
                              format=ox.RdfFormat.N_QUADS)

        if len(parts) == 1:
            load(parts[0])
            return
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            list(pool.map(load, parts))  # re-raises the first failure

    def _drain_log(self) -> None:
        """Have RocksDB delete the write-ahead log files a flush leaves behind.

        After a flush RocksDB keeps the previous log file until the next one, and recycles
        old files whole (``recycle_log_file_num=10`` in Oxigraph's options, not settable
        through pyoxigraph): after replacing 300 articles a 116 MB file stayed in the folder
        and was replayed at the next open. An update that adds and removes one triple (one
        transaction, the store unchanged) followed by a flush moves RocksDB on to a new file.
        """
        path = Path(self.location)
        for _ in range(3):
            if sum(p.stat().st_size for p in path.glob("*.log")) <= _SMALL_LOG:
                return
            self.ox.update(_NUDGE)
            self.ox.flush()

    def remove_graph(self, name: URIRef) -> None:
        import pyoxigraph as ox

        self.ox.remove_graph(ox.NamedNode(str(name)))

    def _compact(self) -> None:
        """Compact the table files when this session wrote a good part of the store.

        Bulk loads ingest their table files as they come (a 1,000-article build left 38 of
        them), and reading a long string or an IRI looks it up in every file whose key range
        holds it: after ``optimize`` (one sorted file per index) Oxigraph decoded the values of
        the competency queries' answers about twice as fast. It rewrites the whole store
        (1.3 s for 105 MB), so it runs only once the session has written at least
        1 / :data:`_COMPACT_SHARE` of the statements stored; smaller builds leave it to
        RocksDB's own background compaction.
        """
        if self.written and self.written * _COMPACT_SHARE >= len(self.ox):
            compact(self.ox)

    record_checksums: bool = False  # set by open_store for the commands that write
    written: int = 0  # statements this session bulk-loaded, inserted or deleted (write_graphs)
    opened: _Opened | None = None  # the folder's locks and what was opened, set by open_store

    @property
    def data_path(self) -> str:
        """The folder Oxigraph reads: the store's own, or the snapshot a reader was given
        because a writer was at work (see :func:`_open_reader`)."""
        return str(self.opened.data) if self.opened is not None else self.location

    @property
    def snapshot(self) -> bool:
        """True when this reader reads the snapshot a writer at work made, not the store itself."""
        return self.opened is not None and self.opened.data != Path(self.location)

    def close(self) -> None:
        import gc

        if getattr(self, "_closed", False):
            return  # closing twice is harmless, as with a file
        self._closed = True
        try:
            if self.record_checksums:
                self.ox.flush()  # the write-ahead log into table files: the next open adds none
                self._compact()
                self._drain_log()
            self.dataset.close()
            # oxrdflib drops its Oxigraph handle, but the RocksDB lock is only released once
            # nothing (such as a finished query's result) refers to it any more
            gc.collect()
            if self.record_checksums:
                remove_leftovers(Path(self.location))
                write_checksums(Path(self.location))
        finally:
            if self.opened is not None:
                self.opened.release(Path(self.location))


_LOAD_THREADS = 2
_MIN_PART = 25_000
#: Statements replaced between two flushes of the memtables (about 20 MB of write-ahead log).
_FLUSH_EVERY = 20_000
#: A writer compacts the store at close once it wrote 1/_COMPACT_SHARE of its statements.
_COMPACT_SHARE = 10


def compact(ox: pyoxigraph.Store) -> None:
    """Rewrite the store's table files as one sorted file per index (RocksDB's full compaction)."""
    ox.optimize()
#: Write-ahead log left at close that is not worth a nudge (bytes).
_SMALL_LOG = 1 << 20
_NUDGE_TRIPLE = "<urn:dealkg:flush> <urn:dealkg:flush> <urn:dealkg:flush>"
_NUDGE = f"INSERT DATA {{ {_NUDGE_TRIPLE} }} ; DELETE DATA {{ {_NUDGE_TRIPLE} }}"


def _triples_text(triples: Iterable[pyoxigraph.Triple]) -> str:
    return "".join(f"{triple} .\n" for triple in triples)


def _split(graphs: Sequence[GraphData], most: int, least: int) -> list[Sequence[GraphData]]:
    """Graphs cut into at most ``most`` runs of about equal triples, none under ``least``."""
    total = sum(len(g) for g in graphs)
    count = max(1, min(most, total // max(least, 1)))
    if count == 1:
        return [graphs]
    parts: list[Sequence[GraphData]] = []
    start, seen = 0, 0
    for index, data in enumerate(graphs):
        seen += len(data)
        if len(parts) < count - 1 and seen >= total * (len(parts) + 1) / count:
            parts.append(graphs[start:index + 1])
            start = index + 1
    parts.append(graphs[start:])
    return [part for part in parts if part]


# -- SPARQL over HTTP --------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server answers: query, update and (when known) the Graph Store Protocol."""

    query: str
    update: str
    store: str | None
    union_param: bool  # Oxigraph's ?union-default-graph: articles live in named graphs

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        parts = urllib.parse.urlsplit(url.rstrip("/"))
        path = parts.path
        for suffix in ("/query", "/sparql", "/update", "/store"):
            if path.endswith(suffix) and path != "/sparql":
                path = path[: -len(suffix)]
        base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        if not path:  # Oxigraph server: http://HOST:PORT
            return cls(f"{base}/query", f"{base}/update", f"{base}/store", True)
        # Fuseki's dataset URL (http://HOST:3030/kg) and Virtuoso's /sparql take queries and updates
        # on the URL itself; their Graph Store endpoints vary, so exports use queries there
        return cls(base, base, None, False)


class SparqlClient:
    """A small SPARQL 1.1 protocol client: bounded requests and one-line errors naming the server.

    Each request has a total deadline (``timeout`` seconds from the moment it is sent to the last
    byte of the answer, not only between two bytes: a server dribbling one byte a second is cut
    off too) and a size cap (``max_bytes``, :data:`MAX_ANSWER_ENV_VAR` megabytes; an answer
    that grows past it is dropped as soon as it does, never read whole).
    """

    def __init__(self, url: str, *, timeout: float | None = None, max_bytes: int | None = None):
        self.url = url
        self.endpoints = Endpoints.from_url(url)
        self.timeout = timeout if timeout is not None else _env_number(TIMEOUT_ENV_VAR, DEFAULT_TIMEOUT)
        self.max_bytes = max_bytes if max_bytes is not None else int(
            _env_number(MAX_ANSWER_ENV_VAR, DEFAULT_MAX_ANSWER_MB) * _MEGABYTE)
        self._raise_cap = f"; set {MAX_ANSWER_ENV_VAR} (megabytes) to accept more"

    @contextlib.contextmanager
    def answers_capped(self, megabytes: float, how_to_raise: str) -> Iterator[None]:
        """Within the block, an answer over ``megabytes`` is dropped, and the error ends with
        ``how_to_raise`` (naming a command's own option, such as ``kg query --max-memory``)."""
        saved = self.max_bytes, self._raise_cap
        self.max_bytes, self._raise_cap = int(megabytes * _MEGABYTE), how_to_raise
        try:
            yield
        finally:
            self.max_bytes, self._raise_cap = saved

    def _send(self, request: urllib.request.Request) -> tuple[str, bytes]:
        # a caller may bound one command more tightly through the socket default (kg query --timeout)
        timeout = min(self.timeout, socket.getdefaulttimeout() or self.timeout)
        watch = _Watch(timeout)
        opener = urllib.request.build_opener(_WatchedHTTP(watch), _WatchedHTTPS(watch))
        try:
            with watch, opener.open(request, timeout=timeout) as response:
                ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
                return ctype, self._read(response, watch)
        except StoreError:
            raise
        except urllib.error.HTTPError as exc:
            if watch.expired:
                raise self._late(timeout) from TimeoutError(timeout)
            try:
                detail = exc.read(_ERROR_BYTES).decode("utf-8", "replace").strip().splitlines()
            except (OSError, http.client.HTTPException):
                detail = []
            raise StoreError(f"{self.url}: the SPARQL server answered HTTP {exc.code}"
                             + (f": {_printable(detail[0][:300])}" if detail else "")) from exc
        except (OSError, http.client.HTTPException) as exc:
            if watch.expired or isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None),
                                                                             TimeoutError):
                raise self._late(timeout) from TimeoutError(timeout)
            if isinstance(exc, urllib.error.URLError):
                raise StoreError(f"{self.url}: cannot reach the SPARQL server ({exc.reason}); "
                                 "is it running?") from exc
            if isinstance(exc, http.client.HTTPException):  # a status line or headers that are not HTTP
                raise StoreError(f"{self.url}: the server's answer is not HTTP ({type(exc).__name__}: "
                                 f"{_printable(str(exc)[:100])}); is this a SPARQL endpoint?") from exc
            raise StoreError(f"{self.url}: connection to the SPARQL server failed: {exc}") from exc

    def _read(self, response: Any, watch: _Watch) -> bytes:
        """The answer's body, read in chunks up to ``max_bytes``; short of the deadline."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
        if watch.expired:  # the deadline closed the connection: what came is not the whole answer
            raise self._late(watch.seconds) from TimeoutError(watch.seconds)
        return b"".join(chunks)

    def _late(self, timeout: float) -> StoreError:
        return StoreError(f"{self.url}: no answer within {timeout:g}s "
                          f"(a slow query or server; set {TIMEOUT_ENV_VAR} to wait longer)")

    def _too_large(self) -> StoreError:
        return StoreError(f"{self.url}: the SPARQL server's answer is larger than {self.max_bytes / _MEGABYTE:g} MB "
                          f"and was dropped{self._raise_cap}")

    def not_sparql(self, what: str, exc: BaseException | str, ctype: str | None = None) -> StoreError:
        """The error for an answer that is not what was asked for (garbage bytes, a login page)."""
        why = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        if ctype is not None:
            why = f"sent as {ctype or 'no content type'}: {why}"
        return StoreError(f"{self.url}: the SPARQL server's answer is not {what} ({_printable(_first_line(why))}); "
                          "is this a SPARQL endpoint?")

    def query(self, sparql: str, *, accept: str = "application/sparql-results+json") -> tuple[str, bytes]:
        params = {"query": sparql}
        if self.endpoints.union_param:
            params["union-default-graph"] = ""
        data = urllib.parse.urlencode(params).encode("utf-8")
        return self._send(urllib.request.Request(
            self.endpoints.query, data=data, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}))

    def select(self, sparql: str) -> list[tuple[str | None, ...]]:
        _, body = self.query(sparql)
        doc = self.results_json(body)
        names = doc["head"]["vars"]
        try:
            return [tuple(b[n]["value"] if n in b else None for n in names) for b in doc["results"]["bindings"]]
        except (KeyError, TypeError) as exc:
            raise self.not_sparql("SPARQL JSON results", f"no {exc} where a binding should be") from exc

    def results_json(self, body: bytes) -> dict[str, Any]:
        """A SPARQL JSON results document, checked: an answer of garbage is a :class:`StoreError`."""
        try:
            doc = json.loads(body)
        except ValueError as exc:  # not UTF-8 (UnicodeDecodeError is one), not JSON
            raise self.not_sparql("SPARQL JSON results", exc) from exc
        if not (isinstance(doc, dict) and isinstance(doc.get("head"), dict) and isinstance(doc.get("results"), dict)
                and isinstance(doc["head"].get("vars"), list) and isinstance(doc["results"].get("bindings"), list)):
            raise self.not_sparql("SPARQL JSON results", "JSON without head.vars and results.bindings")
        return doc

    def update(self, sparql: str) -> None:
        self._send(urllib.request.Request(
            self.endpoints.update, data=sparql.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-update; charset=utf-8"}))

    def dump_nquads(self) -> bytes:
        """Every quad of the named graphs: one Graph Store GET where the server has one, else a query."""
        if self.endpoints.store:
            try:
                ctype, body = self._send(urllib.request.Request(
                    self.endpoints.store, headers={"Accept": "application/n-quads"}))
                if ctype == "application/n-quads":
                    return body  # may hold default-graph quads too: the exporter keeps named graphs only
            except StoreError:
                pass  # no Graph Store Protocol there: fall back to a query
        _, body = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        rows = self.results_json(body)["results"]["bindings"]
        try:
            return "".join(" ".join(_json_term(row[v]) for v in "spog") + " .\n" for row in rows).encode("utf-8")
        except (KeyError, TypeError, AttributeError) as exc:
            raise self.not_sparql("SPARQL JSON results", f"a row without {exc}") from exc


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise StoreError(f"{name}={_printable(text[:40])}: not a positive number")
    return value


def _first_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 160 else line[:159] + "…"


class _Watch:
    """A request's total deadline: when it passes, the request's sockets are shut down, so a
    blocked read returns at once (a socket timeout alone restarts with every byte received)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def adopt(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watch: _Watch) -> type[http.client.HTTPConnection]:
    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            watch.adopt(self.sock)

    return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, watch)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, watch)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req, context=self._context)


def _json_term(binding: dict[str, str]) -> str:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    lexical = value.translate(_NT_ESCAPES)
    if "xml:lang" in binding:
        return f'"{lexical}"@{binding["xml:lang"]}'
    datatype = binding.get("datatype")
    return f'"{lexical}"^^<{datatype}>' if datatype and datatype != _XSD_STRING else f'"{lexical}"'


class _HTTPStore(SPARQLUpdateStore):
    """rdflib's SPARQL store with our client underneath: timeouts and clear errors for every command."""

    def __init__(self, client: SparqlClient):
        super().__init__(query_endpoint=client.endpoints.query, update_endpoint=client.endpoints.update,
                         context_aware=True, autocommit=True)
        self.client = client

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None,
               **_: Any) -> Result:
        self._queries += 1
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        ctype, body = self.client.query(query, accept=accept)
        try:
            return Result.parse(BytesIO(body), content_type=ctype or "application/sparql-results+json")
        except Exception as exc:  # each of rdflib's parsers fails in its own way on garbage
            raise self.client.not_sparql("SPARQL results", exc, ctype) from exc

    def _update(self, update: str) -> None:
        self._updates += 1
        self.client.update(update)


class RemoteStore(KGStore):
    """A SPARQL 1.1 server; each batch of graphs is one update request (one transaction)."""

    client: SparqlClient

    def select(self, sparql: str) -> list[tuple[str | None, ...]]:
        return self.client.select(sparql)

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        return int(rows[0][0] or 0)

    def nquads(self) -> bytes:
        return self.client.dump_nquads()

    def graph_ntriples(self, name: str | None) -> bytes:
        if name is None:
            # the servers we support answer for their default graph with the union of the named
            # graphs (Oxigraph's union-default-graph, Fuseki's unionDefaultGraph): nothing of its own
            return b""
        return self.construct_ntriples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")

    def construct_ntriples(self, sparql: str) -> bytes:
        return self.client.query(sparql, accept="application/n-triples")[1]

    def write_graphs(self, graphs: Sequence[GraphData], *, existing: Iterable[str] = ()) -> int:
        if graphs:
            self.client.update(" ;\n".join(g.sparql_replace() for g in graphs))
        return sum(len(g) for g in graphs)

    def remove_graph(self, name: URIRef) -> None:
        self.client.update(f"DROP SILENT GRAPH <{name}>")

    def close(self) -> None:
        pass  # nothing held open between requests


#: The file ``kg build`` leaves in a store folder: what tells a dealkg store from any folder.
MARKER = ".dealkg-store"
#: The size and SHA-256 of each RocksDB table file (``*.sst``), written when a command that wrote
#: the store closes it. RocksDB never changes a table file once written (it only adds and deletes
#: them), so a recorded file whose bytes differ was damaged from outside; RocksDB's own block
#: checksums only catch a damaged block when a query happens to read it.
CHECKSUMS = ".dealkg-checksums"
_MARKER_TEXT = "dealkg store: RocksDB files written by Oxigraph; do not edit\n"


def open_store(location: str | None = None, *, timeout: float | None = None, write: bool = True) -> KGStore:
    """Open the store at ``location`` (see module doc).

    With ``write`` (what building and the library default to) a missing or empty folder
    becomes a new store; without it (what the read commands use) a folder that holds no
    dealkg store is an error, and nothing is created. Either way a folder that is not
    empty and not a dealkg store (no :data:`MARKER`, no RocksDB ``CURRENT``) is refused
    and left untouched, and so is a store whose ``CURRENT`` file is gone.
    """
    location = location or default_location()
    store: KGStore
    if location == "memory":
        store = KGStore(location, Dataset(default_union=True), "memory")
    elif location.startswith(("http://", "https://")):
        client = SparqlClient(location, timeout=timeout)
        remote = RemoteStore(location, Dataset(store=_HTTPStore(client), default_union=True), "remote")
        remote.client = client
        store = remote
    else:
        _check_store_folder(Path(location), write)
        verify_checksums(Path(location))  # before RocksDB opens it (and writes to it)
        dataset, opened = _embedded(Path(location), write)
        store = EmbeddedStore(location, dataset, "oxigraph")
        store.opened = opened
        store.record_checksums = write
        if write:
            remove_leftovers(Path(location))
            if not (Path(location) / MARKER).exists():
                (Path(location) / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    for prefix, namespace in PREFIXES.items():
        store.dataset.bind(prefix, namespace, override=True)
    return store


def _file_sums(path: Path, names: Iterable[str]) -> dict[str, list[int | str]]:
    import hashlib

    sums: dict[str, list[int | str]] = {}
    for name in names:
        with contextlib.suppress(FileNotFoundError):  # compacted away meanwhile
            data = (path / name).read_bytes()
            sums[name] = [len(data), hashlib.sha256(data).hexdigest()]
    return sums


def write_checksums(path: Path) -> None:
    """Record the size and SHA-256 of every table file of the store folder (:data:`CHECKSUMS`)."""
    sums = _file_sums(path, sorted(p.name for p in path.glob("*.sst")))
    tmp = path / f"{CHECKSUMS}.tmp"
    try:
        tmp.write_text(json.dumps(sums, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path / CHECKSUMS)
    except OSError as exc:  # a full disk: the store itself is written; say so, do not hide it
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot record the store's checksums: {exc.strerror or exc}") from None


def verify_checksums(path: Path) -> None:
    """Refuse a store a recorded table file of which has other bytes now (see :data:`CHECKSUMS`).

    Files recorded and since removed by RocksDB (compacted) are fine; files written after the
    record are checked from the next write on. About 0.1 s per 100 MB of store.
    """
    try:
        recorded = json.loads((path / CHECKSUMS).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return  # a store written before checksums were recorded (or never written)
    except (OSError, ValueError):
        raise StoreError(f"{path}: the store is damaged (its {CHECKSUMS} file cannot be read); its files are "
                         f"left untouched: {_RESTORE}") from None
    now = _file_sums(path, [name for name in recorded if isinstance(name, str) and "/" not in name])
    for name in sorted(now):
        if now[name] != recorded[name]:
            raise StoreError(f"{path}: the store is damaged ({name} is not the file kg wrote: its bytes have "
                             f"changed); its files are left untouched: {_RESTORE}")


_RESTORE = ("restore the folder from a backup or load an export into a new store, or rebuild it with "
            "kg build into a new --store")


def _check_store_folder(path: Path, write: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder; pass a folder to --store")
    exists = path.is_dir()
    marked = exists and (path / MARKER).exists()
    rocksdb = exists and (path / "CURRENT").exists()  # a store written before the marker existed
    if marked and not rocksdb:
        raise StoreError(f"{path}: the store is damaged (its RocksDB CURRENT file is missing); its files "
                         "are left untouched: restore the folder from a backup, or rebuild it with "
                         "kg build into a new --store")
    if marked or rocksdb:
        return
    if exists and any(p.name != WRITER_LOCK for p in path.iterdir()):  # (a first writer's that failed)
        raise StoreError(f"{path}: this folder is not empty and holds no dealkg store; kg will not turn it "
                         "into one (its files could be taken for the store's): pass a new or empty folder")
    if not write:
        raise StoreError(f"{path}: no store here (a mistyped --store?); kg build --store {path} creates one")


@dataclass
class _Opened:
    """What an embedded store holds open besides RocksDB: the folder RocksDB reads (``data``:
    the store's own, or a snapshot), the locks, and a writer's snapshot token."""

    data: Path
    lock: int | None = None  # flock on the store folder (shared for a reader, exclusive for a writer)
    snapshot_lock: int | None = None  # a reader's shared flock on the snapshot it reads
    writer_lock: int | None = None  # a writer's exclusive flock on WRITER_LOCK, from before it waits
    token: str | None = None  # a writer's: the name of the snapshot it made for readers

    def release(self, store: Path) -> None:
        try:
            if self.token is not None:
                _end_snapshot(store, self.token)
        finally:
            _unlock(self.snapshot_lock)
            _unlock(self.lock)
            _unlock(self.writer_lock)


def _embedded(path: Path, write: bool) -> tuple[Dataset, _Opened]:
    """The store folder opened by Oxigraph, and what is held open with it (see :class:`_Opened`).

    A writer opens RocksDB read-write (and creates the folder); a reader opens it read-only,
    which writes nothing at all: no info ``LOG`` (137 KB of options dumped at every read-write
    open, kept as ``LOG.old.*``), no compaction, no new ``OPTIONS`` or ``MANIFEST``. A reader
    that finds a writer at work reads the snapshot the writer made (:func:`_open_reader`).
    """
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder; pass a folder to --store")
    if not write:
        inner, opened = _open_reader(path)
        return Dataset(store=OxigraphStore(store=inner), default_union=True), opened
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(exist_ok=True)
    except OSError as exc:  # a parent that is a file, a read-only disk
        raise StoreError(
            f"{path}: cannot create the store folder: {exc.strerror or exc}"
            f"{' (a parent is a file)' if isinstance(exc, (FileExistsError, NotADirectoryError)) else ''}"
        ) from None
    writer_lock = _lock_file(path / WRITER_LOCK)
    if writer_lock is None and _fcntl() is not None:
        raise StoreError(_IN_USE.format(path=path))
    try:
        lock = _lock_folder(path, True)
        if lock is None and _fcntl() is not None:
            lock = _wait_for_readers(path)
        try:
            inner = _open_oxigraph(path, ox.Store)
        except BaseException:
            _unlock(lock)
            raise
    except BaseException:
        _unlock(writer_lock)
        raise
    opened = _Opened(path, lock, writer_lock=writer_lock)
    if lock is not None:  # without flock (Windows) readers cannot tell a snapshot in use: none is made
        opened.token = _take_snapshot(path, inner)
    return Dataset(store=OxigraphStore(store=inner), default_union=True), opened


def _open_oxigraph(path: Path, opener: Callable[[str], pyoxigraph.Store]) -> pyoxigraph.Store:
    try:
        return opener(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(_IN_USE.format(path=path)) from exc
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    except RuntimeError as exc:  # RocksDB's "Corruption: ..." (a truncated .sst or MANIFEST)
        why = " ".join(str(exc).split())[:200]
        raise StoreError(f"{path}: the store is damaged ({why}); its files are left untouched: restore "
                         "the folder from a backup, or rebuild it with kg build into a new --store") from None


_IN_USE = ("{path}: the store is in use by another kg process (a build, kg remove or kg query --update "
           "writing it); wait for it to finish or use another --store")
_READERS = ("{path}: other kg processes were still reading the store after {wait:g} s (a long query, "
            "an export, a notebook holding it open); close them, or try again when they are done")
#: The file a writer holds locked (flock, exclusive) for as long as it writes or waits to.
WRITER_LOCK = ".dealkg-writer"
#: How long a writer that finds reads under way waits for them to end (seconds); the reads
#: that start meanwhile read its snapshot, so only those already under way are waited for.
READERS_WAIT = 60.0
_NO_SNAPSHOT = ("{path}: the store is being written by another kg process, which made no snapshot to read "
                "meanwhile ({why}); wait for it to finish or use another --store")

#: The folder, inside the store's, where a writer keeps the snapshot readers use meanwhile.
SNAPSHOTS = ".dealkg-snapshots"
#: The file naming the snapshot of the writer at work (there only while one is).
WRITING = ".dealkg-writing"
#: How long a reader that finds a writer at work waits for the writer's snapshot (seconds): the
#: writer makes it right after opening the store (RocksDB replays a killed build's log first).
SNAPSHOT_WAIT = 20.0
_POLL = 0.05


def _take_snapshot(path: Path, inner: pyoxigraph.Store) -> str:
    """Make the snapshot readers use while this writer writes, and name it in :data:`WRITING`;
    returns its name.

    The snapshot is a RocksDB checkpoint (``Store.backup``): the table files hard-linked (RocksDB
    never changes one, it only adds and deletes them), the small manifest and log copied; about
    0.1 s whatever the store's size. It is the store as the last writer left it, and nobody
    ever writes to it, so a read-only Oxigraph on it is well defined, where one on the folder
    being written is not ("undefined behavior", pyoxigraph's ``Store.read_only``). Snapshots
    of earlier writers that no reader holds any more are removed first.
    """
    (path / WRITING).unlink(missing_ok=True)  # a killed writer's: its snapshot is no one's now
    folder = path / SNAPSHOTS
    for old in sorted(folder.iterdir()) if folder.is_dir() else []:
        _remove_snapshot(old)
    token = f"{time.time_ns()}-{os.getpid()}"
    target = folder / token
    try:
        folder.mkdir(exist_ok=True)
        inner.backup(str(folder / f"{token}.tmp"))
        os.rename(folder / f"{token}.tmp", target)  # readers never see half a snapshot
        _write_atomically(path / WRITING, token)
    except OSError as exc:  # a full disk: the build goes on; readers are told why they must wait
        import shutil

        shutil.rmtree(folder / f"{token}.tmp", ignore_errors=True)
        with contextlib.suppress(OSError):
            _write_atomically(path / WRITING, f"!{exc.strerror or exc}")
    return token


def _wait_for_readers(path: Path) -> int:
    """The store folder's exclusive lock, once the reads under way have ended.

    Called by a writer that holds :data:`WRITER_LOCK`, so no other writer is at work and the
    store's files stay as they are: a snapshot of them (a checkpoint made through a read-only
    Oxigraph) is named in :data:`WRITING` at once, and the reads that start from now on read
    it (:func:`_open_reader`) rather than wait with the writer. Gives up after
    :data:`READERS_WAIT` seconds, with the snapshot removed if no reader holds it.
    """
    import pyoxigraph as ox

    token = None
    if (path / "CURRENT").exists():
        inner = _open_oxigraph(path, ox.Store.read_only)
        try:
            token = _take_snapshot(path, inner)
        finally:
            del inner
    deadline = time.monotonic() + READERS_WAIT
    while True:
        lock = _lock_folder(path, True)
        if lock is not None:
            return lock
        if time.monotonic() > deadline:
            if token is not None:
                _end_snapshot(path, token)
            raise StoreError(_READERS.format(path=path, wait=READERS_WAIT))
        time.sleep(_POLL)


def _end_snapshot(path: Path, token: str) -> None:
    """The writer is done (the store is whole again): readers go back to the store itself."""
    (path / WRITING).unlink(missing_ok=True)  # only the writer, holding the store alone, writes it
    if _remove_snapshot(path / SNAPSHOTS / token):
        with contextlib.suppress(OSError):  # not empty: a reader still holds an earlier snapshot
            (path / SNAPSHOTS).rmdir()  # the folder is as it was before this writer


def _remove_snapshot(folder: Path) -> bool:
    """Delete a snapshot no reader holds (one a reader holds is left for the next writer)."""
    import shutil

    fcntl = _fcntl()
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False  # gone already
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a reader is reading it
        trash = folder.with_name(f"{folder.name}.removed")
        with contextlib.suppress(OSError):
            os.rename(folder, trash)  # under the lock: a reader that locks it next finds it gone
            shutil.rmtree(trash, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def _open_reader(path: Path) -> tuple[pyoxigraph.Store, _Opened]:
    """A read-only Oxigraph on the store, or, while a writer writes it, on the writer's snapshot.

    Readers share the store folder's lock with each other; a writer takes it alone. A reader
    that cannot share it reads the snapshot named in :data:`WRITING`, under a shared lock of
    that snapshot's folder (so the writer leaves it in place until the read ends), waiting up
    to :data:`SNAPSHOT_WAIT` seconds for a writer that is just starting to make it.
    """
    import pyoxigraph as ox

    deadline = time.monotonic() + SNAPSHOT_WAIT
    why = f"none appeared within {SNAPSHOT_WAIT:g} s; a kg older than this one may be writing"
    while True:
        # a writer waiting for the reads under way is not kept waiting by this one too
        lock = None if _writer_at_work(path) else _lock_folder(path, False)
        if lock is not None or _fcntl() is None:
            try:
                return _open_oxigraph(path, ox.Store.read_only), _Opened(path, lock)
            except BaseException:
                _unlock(lock)
                raise
        try:
            token = (path / WRITING).read_text(encoding="utf-8").strip()
        except OSError:
            token = ""
        if token.startswith("!"):
            raise StoreError(_NO_SNAPSHOT.format(path=path, why=token[1:]))
        if token:
            held = _hold_snapshot(path / SNAPSHOTS / token)
            if held is not None:
                try:
                    inner = _open_oxigraph(path / SNAPSHOTS / token, ox.Store.read_only)
                except BaseException:
                    _unlock(held)
                    raise
                return inner, _Opened(path / SNAPSHOTS / token, snapshot_lock=held)
        if time.monotonic() > deadline:
            raise StoreError(_NO_SNAPSHOT.format(path=path, why=why))
        time.sleep(_POLL)


def _writer_at_work(path: Path) -> bool:
    """Whether a writer holds :data:`WRITER_LOCK` (writing, or waiting for the reads under way)."""
    fcntl = _fcntl()
    if fcntl is None:
        return False
    try:
        fd = os.open(path / WRITER_LOCK, os.O_RDONLY)
    except OSError:
        return False  # no writer of this version ever wrote here (a reader creates nothing)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _lock_file(path: Path) -> int | None:
    """An exclusive ``flock`` on ``path`` (created if missing), or None when another holds it
    or where ``flock`` does not exist."""
    fcntl = _fcntl()
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _hold_snapshot(folder: Path) -> int | None:
    """A shared lock on a snapshot folder that is still in place, or None."""
    fcntl = _fcntl()
    assert fcntl is not None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None  # not made yet, or removed meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.stat(folder).st_ino == os.fstat(fd).st_ino:  # not renamed away before we locked it
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _fcntl() -> Any:
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    return fcntl


def _lock_folder(path: Path, write: bool) -> int | None:
    """Lock the store folder: shared for a reader, exclusive for a writer (``flock``, released
    on close or when the process dies); None when another process holds it the other way, or
    where ``flock`` does not exist.

    RocksDB locks a folder it opens read-write, but not one it opens read-only, and a read-only
    instance beside a writer reads files the writer may be deleting. So readers share the
    folder with each other, never with a writer.
    """
    fcntl = _fcntl()
    if fcntl is None:  # Windows: RocksDB's own lock only
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(lock: int | None) -> None:
    if lock is not None:
        os.close(lock)  # closing the descriptor releases its flock


#: Oxigraph's temporary files of a bulk load (``bulk-<random 128-bit number>.sst``), moved into
#: RocksDB when the load ends; a killed load leaves them behind, never referenced.
_BULK_FILE = re.compile(r"bulk-[0-9]{1,39}\.sst")
#: RocksDB's rotated info logs (``LOG.old.<microseconds>``): one per read-write open.
_OLD_LOG = re.compile(r"LOG\.old\.[0-9]+")
#: How many rotated info logs a store keeps (RocksDB's own default, not settable through
#: pyoxigraph, is 1,000 of about 137 KB each).
KEEP_OLD_LOGS = 2


def remove_leftovers(path: Path) -> list[str]:
    """Delete what RocksDB and Oxigraph leave in a store folder and never use again: the
    temporary files of a bulk load that was killed, and all but the newest
    :data:`KEEP_OLD_LOGS` rotated info logs. Only a writer calls this, holding the store's
    locks, so no other load is running. Returns the names removed."""
    names = [p.name for p in path.iterdir()] if path.is_dir() else []
    old_logs = sorted((n for n in names if _OLD_LOG.fullmatch(n)), key=lambda n: int(n.rsplit(".", 1)[1]))
    doomed = [n for n in names if _BULK_FILE.fullmatch(n)] + old_logs[: max(0, len(old_logs) - KEEP_OLD_LOGS)]
    for name in doomed:
        with contextlib.suppress(FileNotFoundError):
            (path / name).unlink()
    return doomed


def _ntriples(triples: Iterable[tuple[Any, Any, Any]]) -> bytes:
    return "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples).encode("utf-8")


def article_graph(store: KGStore, name: URIRef) -> Graph:
    """One article's graph, copied into memory (for validation or display)."""
    graph = Graph()
    for triple in store.dataset.graph(name):
        graph.add(triple)
    return graph
