"""The dealkg ontology and SHACL shapes: where they are, loading, validation, docs.

``python -m kg.ontology > docs/ontology.md`` regenerates the ontology's
human-readable page; a test checks the committed page is up to date.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node

from kg.namespaces import ONTOLOGY_IRI, PREFIXES

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


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of a SHACL validation.

    ``results`` has one line per violation, ``<focus node> <path>: <message>``,
    sorted so that two runs on the same data print the same report.
    """

    conforms: bool
    results: list[str] = field(default_factory=list)
    text: str = ""


def validate(data_graph: Graph | Dataset, *, shapes: Graph | None = None) -> ValidationReport:
    """SHACL-validate ``data_graph`` against ``ontology/shapes.ttl``.

    A ``Dataset`` is validated as the union of its graphs (pyshacl's behaviour);
    the shapes are written to hold for one article's graph and for that union
    alike. To check one article alone, pass its named graph.
    """
    # pyshacl takes ~0.3 s to import; only pay it when validating.
    import pyshacl

    shapes_graph = shapes if shapes is not None else load_shapes()
    with warnings.catch_warnings():
        # pyshacl still calls Dataset.default_context, deprecated in rdflib 7.6: noise
        # in every caller's test run that nothing on our side can fix.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        conforms, results_graph, text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            inference="none",
            abort_on_first=False,
        )
    _bind(results_graph)
    lines = sorted(
        _result_line(results_graph, result)
        for result in results_graph.subjects(RDF.type, SH.ValidationResult)
    )
    return ValidationReport(conforms=bool(conforms), results=lines, text=str(text))


def _result_line(report: Graph, result: Node) -> str:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    message = report.value(result, SH.resultMessage)
    if message is None:
        message = report.value(result, SH.sourceConstraintComponent)
    parts = [_n3(report, focus)]
    if path is not None:
        parts.append(_n3(report, path))
    return f"{' '.join(parts)}: {message}"


def _n3(graph: Graph, node: Node | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, BNode):
        # Blank-node ids change between runs; keep report lines comparable.
        return "[]"
    return node.n3(graph.namespace_manager)


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
