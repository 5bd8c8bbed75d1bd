"""The dealkg ontology and SHACL shapes: where they are, loading, validation, docs.

``python -m kg.ontology > docs/ontology.md`` regenerates the ontology's
human-readable page; a test checks the committed page is up to date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node

from kg.namespaces import ONTOLOGY_IRI, PREFIXES, shorten_iri

SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
_EXTRA_PREFIXES = {
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": str(DCTERMS),
    "vann": str(VANN),
}


def _ontology_dir() -> Path:
    # A source checkout (editable install, tests, CI) keeps the files at repo level.
    # A wheel has no repo: packaging must copy them into kg/data/ (package-data
    # already ships kg/data/*); that copy step is not automated yet.
    package_dir = Path(__file__).resolve().parent
    candidates = (package_dir.parent / "ontology", package_dir / "data")
    for candidate in candidates:
        if (candidate / "dealkg.ttl").is_file():
            return candidate
    return candidates[0]


ONTOLOGY_DIR = _ontology_dir()
ONTOLOGY_PATH = ONTOLOGY_DIR / "dealkg.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in {**PREFIXES, **_EXTRA_PREFIXES}.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def load_ontology() -> Graph:
    """The OWL ontology (``ontology/dealkg.ttl``) as a fresh graph."""
    return _bind(Graph()).parse(ONTOLOGY_PATH, format="turtle")


def load_shapes() -> Graph:
    """The SHACL shapes (``ontology/shapes.ttl``) as a fresh graph."""
    graph = _bind(Graph()).parse(SHAPES_PATH, format="turtle")
    graph.bind("dkg-shapes", "https://w3id.org/dealkg/shapes#")
    return graph


#: What every shape's ``sh:message`` starts with (ontology/shapes.ttl, checked by tests/test_ontology.py).
SHAPE_ID = re.compile(r"S\d\d-[A-Za-z]+")


class ShapesError(ValueError):
    """The shapes file cannot be read or compiled; the message names it and says why."""


@dataclass(frozen=True)
class Shapes:
    """The SHACL shapes, compiled once for the engine (pyshacl-turbo) and reused for every graph."""

    graph: Graph
    program: Any  # pyshacl_turbo.CompiledShapes
    ids: tuple[str, ...]


def compile_shapes(graph: Graph | None = None) -> Shapes:
    """Compile ``graph`` (default: ``ontology/shapes.ttl``) for validation."""
    # the engine takes ~0.2 s to import: only paid by commands that validate
    import pyshacl_turbo

    if graph is None:
        try:
            graph = load_shapes()
        except Exception as exc:  # rdflib raises its parser's own kinds
            raise ShapesError(f"{SHAPES_PATH}: cannot be read: {' '.join(str(exc).split())[:300]}") from None
    try:
        program = pyshacl_turbo.compile_shapes(graph)
    except Exception as exc:
        raise ShapesError(f"{SHAPES_PATH}: the shapes cannot be compiled: {exc}") from None
    ids = sorted({str(label) for shape in graph.subjects(RDF.type, SH.NodeShape)
                  for label in graph.objects(shape, RDFS.label)})
    return Shapes(graph, program, tuple(ids))


@lru_cache(maxsize=1)
def default_shapes() -> Shapes:
    """``ontology/shapes.ttl`` compiled once per process."""
    return compile_shapes()


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the shape's id (``S07-EventEvidence``), the focus node and the path
    (full IRIs; ``[]`` for a blank node, ``None`` for no path) and the shape's message."""

    shape: str
    focus: str
    path: str | None
    message: str

    def line(self) -> str:
        """``<focus> <path>: <message>``, IRIs shortened with the project's prefixes."""
        parts = [shorten_iri(self.focus)] + ([shorten_iri(self.path)] if self.path is not None else [])
        return f"{' '.join(parts)}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {"shape": self.shape, "focus": self.focus, "path": self.path, "message": self.message}


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of a SHACL validation.

    ``violations`` are sorted, so that two runs on the same data give the same report;
    ``results`` has one line per violation, ``<focus node> <path>: <message>``.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""

    @property
    def results(self) -> list[str]:
        return [v.line() for v in self.violations]


def validate(data: Graph | Dataset | Any, *, shapes: Shapes | Graph | None = None,
             focus: Iterable[str] | None = None) -> ValidationReport:
    """SHACL-validate ``data`` (an rdflib graph or dataset, or a pyoxigraph store) against the shapes.

    A dataset or store is validated as the union of its graphs; to check one article alone,
    pass its named graph (:mod:`kg.validation` validates a whole store article by article).
    ``shapes`` defaults to ``ontology/shapes.ttl``; ``focus`` (IRIs) keeps only those of the
    shapes' focus nodes.
    """
    compiled = default_shapes() if shapes is None else shapes if isinstance(shapes, Shapes) \
        else compile_shapes(shapes)
    conforms, results_graph, text = compiled.program.validate(data, focus_nodes=None if focus is None
                                                              else list(focus))
    violations = sorted((_violation(results_graph, result)
                         for result in results_graph.subjects(RDF.type, SH.ValidationResult)), key=Violation.line)
    return ValidationReport(conforms=bool(conforms), violations=violations, text=str(text))


def _violation(report: Graph, result: Node) -> Violation:
    message = report.value(result, SH.resultMessage)
    if message is None:
        message = report.value(result, SH.sourceConstraintComponent)
    found = SHAPE_ID.match(str(message))
    path = report.value(result, SH.resultPath)
    return Violation(shape=found.group(0) if found else "?", focus=_iri(report.value(result, SH.focusNode)),
                     path=None if path is None else _iri(path), message=str(message))


def _iri(node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, BNode):
        # Blank-node ids change between runs; keep report lines comparable.
        return "[]"
    return str(node)


# --- Markdown rendering --------------------------------------------------------


def ontology_markdown(graph: Graph | None = None) -> str:
    """A human-readable page describing every class, property and individual.

    Deterministic: terms are sorted by IRI and lists keep their file order, so the
    page only changes when ``dealkg.ttl`` does.
    """
    g = graph if graph is not None else load_ontology()
    onto = URIRef(ONTOLOGY_IRI)
    out: list[str] = []
    title = _lang(g, onto, DCTERMS.title, "en") or "dealkg ontology"
    out += [
        f"# {title}",
        "",
        "<!-- Generated by `python -m kg.ontology > docs/ontology.md`;",
        "     do not edit by hand: edit ontology/dealkg.ttl and regenerate. -->",
        "",
    ]
    for lang in ("en", "fr"):
        description = _lang(g, onto, DCTERMS.description, lang)
        if description:
            out += [f"{description} *({lang})*", ""]
    out += [
        f"- IRI: <{ONTOLOGY_IRI}>",
        f"- Version: {g.value(onto, OWL.versionInfo)}",
        f"- Namespace: `{g.value(onto, VANN.preferredNamespacePrefix)}:` = "
        f"<{g.value(onto, VANN.preferredNamespaceUri)}>",
        f"- License: <{g.value(onto, DCTERMS.license)}>",
        f"- Creator: {g.value(onto, DCTERMS.creator)}",
        "",
    ]

    sections = [
        ("Classes", _terms(g, OWL.Class), _class_facts),
        ("Object properties", _terms(g, OWL.ObjectProperty), _property_facts),
        ("Datatype properties", _terms(g, OWL.DatatypeProperty), _property_facts),
        ("Individuals", _terms(g, OWL.NamedIndividual), _individual_facts),
    ]
    for heading, terms, facts in sections:
        out += [f"## {heading}", ""]
        for term in terms:
            out += _term_block(g, term, facts(g, term))
    return "\n".join(out).rstrip("\n") + "\n"


def _terms(g: Graph, rdf_type: URIRef) -> list[URIRef]:
    return sorted(t for t in g.subjects(RDF.type, rdf_type) if isinstance(t, URIRef))


def _term_block(g: Graph, term: URIRef, facts: list[tuple[str, str]]) -> list[str]:
    label_en = _lang(g, term, RDFS.label, "en")
    lines = [f"### {label_en} (`{_curie(g, term)}`)", ""]
    for lang in ("fr", "en"):
        label = _lang(g, term, RDFS.label, lang)
        comment = _lang(g, term, RDFS.comment, lang)
        lines.append(f"- **{lang}** — *{label}*: {comment}")
    lines += [f"- {name}: {value}" for name, value in facts if value]
    lines.append("")
    return lines


def _class_facts(g: Graph, term: URIRef) -> list[tuple[str, str]]:
    individuals = _list(g, g.value(term, OWL.oneOf))
    facts = [
        ("Subclass of", _join(g, g.objects(term, RDFS.subClassOf))),
        ("Subclasses", _join(g, g.subjects(RDFS.subClassOf, term))),
        ("Close match", _join(g, g.objects(term, SKOS.closeMatch))),
        ("Disjoint with", _join(g, _disjoint_with(g, term))),
        ("One of", ", ".join(_individual(g, i) for i in individuals)),
    ]
    return facts


def _property_facts(g: Graph, term: URIRef) -> list[tuple[str, str]]:
    characteristics = sorted(
        _curie(g, t)
        for t in g.objects(term, RDF.type)
        if t not in (OWL.ObjectProperty, OWL.DatatypeProperty)
    )
    chain = _list(g, g.value(term, OWL.propertyChainAxiom))
    return [
        ("Domain", _join(g, g.objects(term, RDFS.domain))),
        ("Range", _join(g, g.objects(term, RDFS.range))),
        ("Subproperty of", _join(g, g.objects(term, RDFS.subPropertyOf))),
        ("Characteristics", ", ".join(f"`{c}`" for c in characteristics)),
        ("Implied by the chain", " ∘ ".join(_expr(g, step) for step in chain)),
        ("Close match", _join(g, g.objects(term, SKOS.closeMatch))),
    ]


def _individual_facts(g: Graph, term: URIRef) -> list[tuple[str, str]]:
    classes = [t for t in g.objects(term, RDF.type) if t != OWL.NamedIndividual]
    return [("Instance of", _join(g, classes))]


def _disjoint_with(g: Graph, term: URIRef) -> list[Node]:
    others: list[Node] = []
    for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = _list(g, g.value(axiom, OWL.members))
        if term in members:
            others += [m for m in members if m != term]
    return others


def _individual(g: Graph, node: Node) -> str:
    label = _lang(g, node, RDFS.label, "en")
    return f"`{_curie(g, node)}` ({label} / {_lang(g, node, RDFS.label, 'fr')})"


def _join(g: Graph, nodes: Iterable[Node]) -> str:
    return ", ".join(sorted(_expr(g, n) for n in nodes))


def _expr(g: Graph, node: Node) -> str:
    """A term, or an anonymous class/datatype expression, as readable text."""
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(_expr(g, n) for n in _list(g, union))
        inverse = g.value(node, OWL.inverseOf)
        if inverse is not None:
            return f"inverse({_expr(g, inverse)})"
        return "(anonymous)"
    return f"`{_curie(g, node)}`"


def _list(g: Graph, head: Node | None) -> list[Node]:
    return [] if head is None else list(Collection(g, head))


def _curie(g: Graph, node: Node) -> str:
    return node.n3(g.namespace_manager) if isinstance(node, URIRef) else str(node)


def _lang(g: Graph, subject: Node, predicate: URIRef, lang: str) -> str:
    for value in sorted(g.objects(subject, predicate)):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


if __name__ == "__main__":
    print(ontology_markdown(), end="")
