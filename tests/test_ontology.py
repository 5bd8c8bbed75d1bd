"""The ontology, its SHACL shapes, their examples and the generated docs agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.namespaces import DKG, ID
from kg.ontology import (
    ONTOLOGY_PATH,
    SHAPES_PATH,
    Shapes,
    compile_shapes,
    load_ontology,
    load_shapes,
    ontology_markdown,
    validate,
)

SH = "http://www.w3.org/ns/shacl#"
EXAMPLES = ONTOLOGY_PATH.parent / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
DOCS = Path(__file__).resolve().parent.parent / "docs" / "ontology.md"
DKG_NS = str(DKG._NS)
SHAPE_ID = re.compile(r"\bS\d\d-[A-Za-z]+\b")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def compiled(shapes: Graph) -> Shapes:
    return compile_shapes(shapes)


def _declared_dkg_terms(graph: Graph) -> set[str]:
    return {
        str(s)[len(DKG_NS) :]
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(DKG_NS) and str(s) != DKG_NS
    }


def _properties(graph: Graph) -> list[URIRef]:
    found = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    found |= set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    return sorted(p for p in found if isinstance(p, URIRef))


@pytest.mark.parametrize("term", sorted(DKG.__annotations__))
def test_every_namespace_term_is_declared_with_french_and_english_labels(
    ontology: Graph, term: str
) -> None:
    iri = URIRef(DKG_NS + term)
    assert ontology.value(iri, RDF.type) is not None, f"dkg:{term} has no rdf:type in dealkg.ttl"
    languages = {
        label.language for label in ontology.objects(iri, RDFS.label) if isinstance(label, Literal)
    }
    assert {"fr", "en"} <= languages, f"dkg:{term} lacks an @fr or @en rdfs:label"


def test_every_term_declared_in_the_ontology_is_in_the_namespace(ontology: Graph) -> None:
    extra = _declared_dkg_terms(ontology) - set(DKG.__annotations__)
    assert not extra, f"declared in dealkg.ttl but missing from kg/namespaces.py: {sorted(extra)}"


def test_every_term_has_french_and_english_comments(ontology: Graph) -> None:
    missing = [
        term
        for term in sorted(DKG.__annotations__)
        if not {"fr", "en"}
        <= {
            c.language
            for c in ontology.objects(URIRef(DKG_NS + term), RDFS.comment)
            if isinstance(c, Literal)
        }
    ]
    assert not missing, f"terms without an @fr and @en rdfs:comment: {missing}"


def test_every_property_has_a_domain_and_a_range(ontology: Graph) -> None:
    properties = _properties(ontology)
    assert len(properties) > 40
    for prop in properties:
        assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_partner_of_is_symmetric(ontology: Graph) -> None:
    assert (DKG.partnerOf, RDF.type, OWL.SymmetricProperty) in ontology


def test_shapes_parse_and_every_shape_has_a_numbered_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, URIRef(SH + "NodeShape")))
    property_shapes = set(shapes.objects(None, URIRef(SH + "property")))
    assert len(node_shapes) >= 19
    for shape in node_shapes | property_shapes:
        message = shapes.value(shape, URIRef(SH + "message"))
        assert message is not None, f"shape {shape} has no sh:message"
        assert SHAPE_ID.match(str(message)), f"message of {shape} does not start with its id"


def test_every_shape_has_a_valid_and_an_invalid_example(shapes: Graph) -> None:
    names = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, URIRef(SH + "NodeShape"))}
    assert names == {_intended(p, "conforms") for p in VALID}
    assert names == {_intended(p, "violates") for p in INVALID}


def _intended(path: Path, verb: str) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(rf"# {verb}: (S\d\d-[A-Za-z]+)", first)
    assert match, f"{path.name}: first line must be '# {verb}: SNN-Name'"
    return match.group(1)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path: Path, compiled: Shapes) -> None:
    report = validate(Graph().parse(path, format="turtle"), shapes=compiled)
    assert report.conforms, "\n".join(report.results)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_violates_only_its_intended_shape(path: Path, compiled: Shapes) -> None:
    intended = _intended(path, "violates")
    report = validate(Graph().parse(path, format="turtle"), shapes=compiled)
    assert not report.conforms
    assert report.results
    # Only the intended shape may fire: an example that trips others tests nothing precise.
    fired = {match.group(0) for line in report.results for match in SHAPE_ID.finditer(line)}
    assert fired == {intended}, "\n".join(report.results)
    assert {v.shape for v in report.violations} == {intended}


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_the_engine_reports_what_pyshacl_reports_on_every_example(path: Path, shapes: Graph,
                                                                  compiled: Shapes) -> None:
    """pyshacl-turbo (what kg validates with) against pySHACL, the reference implementation: same
    verdict and the same focus node, path and message for every result."""
    import warnings

    import pyshacl

    data = Graph().parse(path, format="turtle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # pyshacl's own use of rdflib
        conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    reference = sorted(tuple("" if v is None else "[]" if isinstance(v, BNode) else str(v)
                             for v in (results.value(r, URIRef(SH + "focusNode")),
                                       results.value(r, URIRef(SH + "resultPath")),
                                       results.value(r, URIRef(SH + "resultMessage"))))
                       for r in results.subjects(RDF.type, URIRef(SH + "ValidationResult")))
    report = validate(data, shapes=compiled)
    assert report.conforms == conforms
    assert sorted((v.focus, v.path or "", v.message) for v in report.violations) == reference


def test_every_shape_looks_one_step_from_its_focus_node(shapes: Graph) -> None:
    """kg validate checks resources shared by several articles on their statements plus the types
    of what they point to (kg/validation.py): enough only while no shape follows a longer path or
    nests a shape that reads the value nodes' own statements."""
    for path in shapes.objects(None, URIRef(SH + "path")):
        assert isinstance(path, URIRef), f"sh:path {path} is not a single predicate"
    for nesting in ("node", "qualifiedValueShape"):
        nested = list(shapes.subjects(URIRef(SH + nesting), None))
        assert not nested, f"{nested} nest a shape with sh:{nesting}"
    property_shapes = set(shapes.objects(None, URIRef(SH + "property")))
    assert not property_shapes & set(shapes.subjects(URIRef(SH + "property"), None)), "a property shape nests one"


def test_validation_report_lines_name_focus_node_and_path(compiled: Shapes) -> None:
    report = validate(Graph().parse(EXAMPLES / "invalid" / "S17-Lawsuit.ttl"), shapes=compiled)
    assert report.results == [
        "lawsuit:a1-1 dkg:plaintiff: "
        "S17-Lawsuit: a lawsuit has at least one dkg:plaintiff"
    ]
    assert report.violations[0].shape == "S17-Lawsuit"
    assert report.violations[0].focus == str(ID["lawsuit/a1-1"])
    assert "Constraint Violation" in report.text


def test_a_dataset_is_validated_as_the_union_of_its_article_graphs(compiled: Shapes) -> None:
    dataset = Dataset()
    dataset.graph(ID["article/a1"]).parse(EXAMPLES / "invalid" / "S17-Lawsuit.ttl")
    dataset.graph(ID["article/a2"]).parse(EXAMPLES / "valid" / "S16-RoleAssignment.ttl")
    report = validate(dataset, shapes=compiled)
    assert not report.conforms
    assert len(report.results) == 1


def test_ontology_files_are_found_next_to_the_package() -> None:
    assert ONTOLOGY_PATH.is_file()
    assert SHAPES_PATH.is_file()


def test_docs_ontology_md_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == ontology_markdown(), (
        "docs/ontology.md is stale; regenerate it with "
        "`.venv/bin/python -m kg.ontology > docs/ontology.md`"
    )


def test_ontology_markdown_is_deterministic() -> None:
    assert ontology_markdown() == ontology_markdown(load_ontology())


def test_misspelt_namespace_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = DKG.Bidd
