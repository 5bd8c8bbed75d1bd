"""Write the graph to a file: Turtle, TriG, N-Quads or JSON-LD, or the actor graph as
GraphML, GEXF or Cytoscape JSON; deterministic and atomic.

Serialisation runs in Oxigraph whatever the store: the embedded store is read
directly, the other kinds hand their quads (N-Quads text) to an in-memory
Oxigraph store first. rdflib's serialisers take minutes at a million triples
(FIELD-NOTES); Oxigraph's take seconds. Output is stable: N-Quads lines are
sorted, Turtle is written from sorted triples, JSON-LD from sorted graphs and nodes, TriG follows
Oxigraph's index order (a function of the content), so two exports of the same
store are byte-identical.

Turtle merges the article graphs; JSON-LD keeps them apart, compacted. Reading a million quads back from
the on-disk store costs about 1.6 s per million terms decoded (each long IRI or
literal is one RocksDB look-up), so the merged graph is read one predicate at a
time (the predicate is not decoded on every row, the graph name not at all),
de-duplicated by Oxigraph, on a few threads; the lines are sorted in Python and
streamed through Oxigraph's serialiser without building a store. At a million
triples: 9.6 s with a CONSTRUCT into an in-memory store, 4.0 s this way.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import re
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.namespaces import PREFIXES
from kg.store import EmbeddedStore, KGStore, StoreError

if TYPE_CHECKING:
    import pyoxigraph

FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nquads": "nquads", "nq": "nquads",
           "jsonld": "json-ld", "json-ld": "json-ld", "graphml": "graphml", "gexf": "gexf", "cyjs": "cyjs"}
#: the formats of the actor graph (:func:`kg.graph.actor_graph`), for Gephi, yEd and Cytoscape
ACTOR_GRAPH_FORMATS = ("graphml", "gexf", "cyjs")

_PREDICATES = "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }"
# PREDICATE is replaced by the predicate's IRI, as Oxigraph writes it (<...>, valid in SPARQL)
_BY_PREDICATE = "SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s PREDICATE ?o } }"


def serialize(store: KGStore, fmt: str = "turtle") -> str:
    """The whole store as text. Turtle merges the article graphs; TriG, N-Quads and JSON-LD
    keep them apart. Two runs on the same store give identical text."""
    return serialize_bytes(store, fmt).decode("utf-8")


def serialize_bytes(store: KGStore, fmt: str = "turtle") -> bytes:
    import pyoxigraph as ox

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from turtle, trig, nquads, jsonld, "
                         f"{', '.join(ACTOR_GRAPH_FORMATS)})")
    kind = FORMATS[fmt]
    if kind in ACTOR_GRAPH_FORMATS:
        return actor_graph_bytes(store, kind)
    source = _oxigraph_view(store)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    if kind == "nquads":
        text: bytes = source.dump(format=ox.RdfFormat.N_QUADS)  # type: ignore[assignment]
        return b"".join(sorted(line + b"\n" for line in text.splitlines() if line.strip()))
    if kind == "trig":
        return source.dump(format=ox.RdfFormat.TRIG, prefixes=prefixes)  # type: ignore[return-value]
    if kind == "json-ld":
        return compact_jsonld(source)
    # one graph: the union of the article graphs, each triple once, in sorted order so that the
    # serialiser groups each subject's triples and the bytes are stable
    triples = ox.parse(union_triples(source), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)  # type: ignore[return-value]


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact_jsonld(source: pyoxigraph.Store) -> bytes:
    """The named graphs as compact JSON-LD: the project's prefixes as ``@context``, one graph
    object (``@id`` the article, ``@graph`` its nodes) per named graph, sorted; one node a line.

    The context holds only prefixes, so compaction is the choice of a compact IRI for each IRI
    (the longest namespace that leaves a suffix not starting with ``//``), ``@type`` for
    ``rdf:type``, plain strings for ``xsd:string`` literals and single values out of their
    arrays; ``tests/test_export.py`` checks that pyld's compaction leaves the document as it
    is. Done here, not by pyld: pyld took 3.8 s for 22,000 quads, a minute or more at the
    sizes the other formats export in seconds (``bench/RESULTS.md``).
    """
    import pyoxigraph as ox

    namespaces = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
    compacted: dict[str, str] = {}  # a store names the same few thousand IRIs over and over

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = next((f"{prefix}:{iri[len(ns):]}" for ns, prefix in namespaces
                          if iri.startswith(ns) and not iri[len(ns):].startswith("//")), iri)
            compacted[iri] = found
        return found

    def value(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            return {"@id": compact(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}

    def node_id(term: Any) -> str:
        return compact(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"

    dumps = functools.partial(json.dumps, ensure_ascii=False, sort_keys=True)
    graphs = []
    for name in sorted(source.named_graphs(), key=str):
        # subject -> key -> [(N-Triples text of the object, its JSON-LD value)]: the text orders the values
        nodes: dict[str, dict[str, list[tuple[str, Any]]]] = {}
        for quad in source.quads_for_pattern(None, None, None, name):
            node = nodes.setdefault(str(quad.subject), {"@id": [("", node_id(quad.subject))]})
            target = quad.object
            if quad.predicate.value == _RDF_TYPE and not isinstance(target, ox.Literal):
                node.setdefault("@type", []).append((str(target), node_id(target)))
            else:
                node.setdefault(compact(quad.predicate.value), []).append((str(target), value(target)))
        lines = ",\n".join(f"   {dumps(_single_values(nodes[key]))}" for key in sorted(nodes))
        graphs.append(f'  {{"@id": {dumps(compact(name.value))}, "@graph": [\n{lines}\n  ]}}')
    context = dumps({prefix: str(namespace) for prefix, namespace in PREFIXES.items()})
    text = f'{{"@context": {context},\n "@graph": [\n' + ",\n".join(graphs) + "\n ]}\n"
    return text.encode("utf-8")


def _single_values(node: dict[str, list[tuple[str, Any]]]) -> dict[str, Any]:
    """Values in order, and a lone value out of its array (what compaction does with compactArrays)."""
    out: dict[str, Any] = {}
    for key, pairs in node.items():
        values = [v for _, v in sorted(pairs, key=lambda pair: pair[0])]
        out[key] = values[0] if len(values) == 1 else values
    return out


def actor_graph_bytes(store: KGStore, fmt: str) -> bytes:
    """The actor graph (:func:`kg.graph.actor_graph`) as GraphML, GEXF or Cytoscape JSON.

    Cytoscape JSON keeps every attribute as it is (lists, the evidence records). GraphML and
    GEXF hold only scalars: they get :func:`kg.graph.plain_graph` (lists joined with ``" | "``,
    records as JSON text, missing values left out), with any character XML cannot hold (a
    control character of a literal) written ``\\xNN``. GEXF's ``lastmodifieddate`` (the day
    of writing) is left out, so two exports of the same store are byte-identical.
    """
    import networkx as nx

    from kg.graph import actor_graph, plain_graph

    graph = actor_graph(store.dataset)
    if fmt == "cyjs":
        text = json.dumps(nx.cytoscape_data(graph), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        return text.encode("utf-8")
    flat = plain_graph(graph)
    for data in (flat.graph, *(d for _, d in flat.nodes(data=True)), *(d for _, _, d in flat.edges(data=True))):
        data.update({name: _xml_text(value) for name, value in data.items() if isinstance(value, str)})
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(flat)
    writer.write(buffer)
    return buffer.getvalue()


# what XML 1.0 cannot hold, even escaped: GraphML and GEXF are XML
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """The text with the characters XML cannot hold written as ``\\xNN`` (RDF literals may hold them)."""
    return _NOT_XML.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def union_triples(source: pyoxigraph.Store) -> bytes:
    """Every distinct triple of the named graphs, one sorted line each, in Turtle syntax.

    One SELECT DISTINCT per predicate, serialised by Oxigraph as SPARQL TSV (terms in Turtle
    syntax, tabs and newlines inside literals escaped), on up to four threads: pyoxigraph
    releases the GIL while it reads. DISTINCT drops a triple that several articles state before
    its terms are decoded. The lines are then sorted here.
    """
    import pyoxigraph as ox

    predicates = [str(row[0]) for row in source.query(_PREDICATES)]  # type: ignore[index, union-attr]

    def read(predicate: str) -> bytes:
        result = source.query(_BY_PREDICATE.replace("PREDICATE", predicate))
        rows = result.serialize(format=ox.QueryResultsFormat.TSV)  # type: ignore[union-attr]
        body = rows.split(b"\n", 1)[1]  # without the header line
        return body.replace(b"\t", b" " + predicate.encode("utf-8") + b" ").replace(b"\n", b" .\n")

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        chunks = list(pool.map(read, predicates))
    lines: list[bytes] = []
    for chunk in chunks:
        lines.extend(chunk.splitlines(keepends=True))
    lines.sort()
    return b"".join(lines)


def _oxigraph_view(store: KGStore) -> pyoxigraph.Store:
    """The store's named graphs in an Oxigraph store (the store itself when it is one)."""
    import pyoxigraph as ox

    if isinstance(store, EmbeddedStore):
        return store.ox
    view = ox.Store()
    try:
        view.load(b"\n".join(sorted(store.nquads().splitlines())), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError) as exc:  # a server's answer of garbage bytes
        raise StoreError(f"{store.location}: the store's quads cannot be read back as N-Quads "
                         f"({' '.join(str(exc).split())[:160]}); is this a SPARQL endpoint?") from None
    view.clear_graph(ox.DefaultGraph())  # the article graphs are the graph; a server's default graph is not
    return view


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write through a temporary file and a rename: a reader never sees half a file, and a
    failed write (a full disk) leaves the file that was there untouched.

    A symbolic link is written through, to the file it points to, and stays a link. A
    device or a pipe (``/dev/stdout``, a FIFO) cannot be renamed onto: it is written
    directly. A new file gets the mode the umask allows, as ``open`` would give it; a
    replaced file keeps its own.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = path.resolve() if path.is_symlink() else path
    if path.exists() and not path.is_file():  # (both follow links, "/dev/stdout" to its pipe)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        with open(path, "wb") as handle:  # a device or a pipe: no rename possible
            handle.write(payload)
        return path
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process's umask (read by setting it, the only portable way, and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export(store: KGStore, path: str | Path, fmt: str = "turtle") -> Path:
    return write_atomic(path, serialize_bytes(store, fmt))
