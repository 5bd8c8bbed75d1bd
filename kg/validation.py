"""``kg validate`` and ``kg build --validate``: the SHACL shapes, checked article by article.

Each named graph is validated on its own (the shapes are written for one article's graph:
every article graph describes the actors and events it mentions, so it stands alone), in an
in-memory Oxigraph store handed to pyshacl-turbo with the shapes compiled once. That keeps
the cost linear in the number of articles.

What one graph cannot show is what only the union of several says: a resource described by
two articles — an actor, a bid, a deadline — may get two labels, two types or two due dates,
each article being right on its own. The shapes that can fail that way bound how many values
there are or choose between them (``sh:maxCount``: S01, S06, S10, S11, S12, S20; ``sh:xone``:
S02; ``sh:lessThan``: S10), and any shape can when a resource is typed in one article and
described in another. So the resources described by more than one graph (the "shared" ones)
are validated once more, on their union: their statements in every graph, plus the types of
the resources they point to (enough for shapes that look one step from their focus node, as
every shape of ontology/shapes.ttl does; tests/test_ontology.py checks it). A violation
found there is reported as across articles unless one article already shows it on its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kg.namespaces import shorten_iri
from kg.ontology import Shapes, Violation, default_shapes, validate
from kg.store import GraphData, KGStore

_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_SHARED_PART = """CONSTRUCT {{ ?s ?p ?o . ?v a ?type }} WHERE {{
  {{ VALUES ?s {{ {subjects} }} GRAPH ?g {{ ?s ?p ?o }} }}
  UNION
  {{ {{ SELECT DISTINCT ?v WHERE {{ VALUES ?s {{ {subjects} }} GRAPH ?g {{ ?s ?p ?v }} FILTER(!isLiteral(?v)) }} }}
     GRAPH ?h {{ ?v a ?type }} }}
}}"""
DEFAULT_GRAPH = "(default graph)"
# how many articles a line names for a violation across articles (the JSON names them all)
_NAMED = 3


@dataclass(frozen=True)
class Finding:
    """A violation and where it is: one article's graph, or (``across``) the graphs that
    describe a resource only their union gets wrong."""

    violation: Violation
    graphs: tuple[str, ...]
    sources: tuple[str, ...]
    across: bool = False

    def line(self) -> str:
        if not self.across:
            return f"{self.sources[0]}: {self.violation.line()}"
        named = ", ".join(self.sources[:_NAMED]) + (", …" if len(self.sources) > _NAMED else "")
        return f"across {len(self.graphs)} articles ({named}): {self.violation.line()}"

    def as_dict(self) -> dict[str, Any]:
        return {"scope": "across" if self.across else "article", "graphs": list(self.graphs),
                "sources": list(self.sources), **self.violation.as_dict()}


@dataclass
class StoreValidation:
    """What ``kg validate`` found: findings per article, then across articles."""

    graphs: int = 0
    triples: int = 0
    shared: int = 0
    shapes: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        """One line per violation, then a summary line (starting with ``conforms`` when there is none)."""
        checked = (f"{self.graphs} graph(s), {self.triples} triples checked against {len(self.shapes)} shapes; "
                   f"{self.shared} resources described by several articles checked on their union")
        if self.conforms:
            return [f"conforms: {checked}"]
        across = sum(f.across for f in self.findings)
        articles = len({f.graphs for f in self.findings if not f.across})
        return [*(f.line() for f in self.findings),
                f"{len(self.findings)} violation(s): {len(self.findings) - across} in {articles} article(s), "
                f"{across} across articles; {checked}"]

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "graphs": self.graphs, "triples": self.triples,
                           "shared": self.shared, "shapes": list(self.shapes),
                           "violations": [f.as_dict() for f in self.findings]}, ensure_ascii=False, indent=2)


def validate_store(store: KGStore, *, shapes: Shapes | None = None, threads: int = 2,
                   on_graph: Callable[[str], None] | None = None) -> StoreValidation:
    """Validate every graph of ``store`` on its own, then the shared resources on their union.

    ``threads`` graphs are read and validated at a time (Oxigraph and the engine release the GIL).
    """
    import pyoxigraph as ox

    shapes = shapes or default_shapes()
    sources = store.article_sources()
    names: list[str | None] = [*store.graph_names(), None]  # None: the default graph, when it holds anything
    report = StoreValidation(shapes=shapes.ids)
    described: dict[str, list[str]] = {}  # subject IRI -> the graphs that describe it
    seen: set[Violation] = set()

    def one(name: str | None) -> tuple[str, int, list[Violation], list[str]] | None:
        text = store.graph_ntriples(name)
        if not text:
            return None
        graph = _memory_store(text)
        subjects = [s.value for (s,) in graph.query(_SUBJECTS)]  # type: ignore[misc]
        return name or DEFAULT_GRAPH, len(graph), validate(graph, shapes=shapes).violations, subjects

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for done in pool.map(one, names):
            if done is None:
                continue
            label, triples, violations, subjects = done
            report.graphs += 1
            report.triples += triples
            seen.update(violations)
            source = sources.get(label) or shorten_iri(label)
            report.findings.extend(Finding(v, (label,), (source,)) for v in violations)
            for subject in subjects:
                described.setdefault(subject, []).append(label)
            if on_graph is not None:
                on_graph(label)
    shared = {s: graphs for s, graphs in described.items() if len(graphs) > 1}
    report.shared = len(shared)
    if shared:
        subjects = " ".join(f"<{s}>" for s in sorted(shared))
        part = ox.Store()
        part.load(store.construct_ntriples(_SHARED_PART.format(subjects=subjects)), format=ox.RdfFormat.N_TRIPLES)
        # focus on the shared resources only: of the others, only the types were copied
        for violation in validate(part, shapes=shapes, focus=sorted(shared)).violations:
            if violation not in seen:  # else one article shows it on its own, and says so already
                graphs = tuple(shared[violation.focus])
                report.findings.append(Finding(violation, graphs, tuple(sources.get(g) or shorten_iri(g)
                                                                          for g in graphs), across=True))
    return report


def check_graph(data: GraphData, *, shapes: Shapes | None = None) -> list[Violation]:
    """The violations of one graph about to be written (``kg build --validate``)."""
    return validate(_memory_store(data.ntriples().encode("utf-8")), shapes=shapes).violations


def _memory_store(ntriples: bytes) -> Any:
    import pyoxigraph as ox

    graph = ox.Store()
    graph.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return graph
