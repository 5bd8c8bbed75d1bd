"""tests/bad_inputs/: nasty files through the whole build; hostile names through every export."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg.build import BuildReport, build
from kg.corpus import Article
from kg.dates import PartialDate
from kg.export import serialize
from kg.extract import Actor, ArticleFacts, Evidence, Fact
from kg.namespaces import ID_BASE, slugify
from kg.rdf import article_triples
from kg.store import KGStore, open_store

BAD_INPUTS = Path(__file__).parent / "bad_inputs"

# file (or file:line) -> ("built" | "skipped", text the warning or error must contain, or None)
EXPECTED: dict[str, tuple[str, str | None]] = {
    "articles.jsonl:1": ("built", None),
    "articles.jsonl:2": ("skipped", "not valid JSON at column"),
    "articles.jsonl:4": ("skipped", 'no "text" field'),
    "articles.jsonl:5": ("built", "'javascript:alert(1)' is not an http(s) address"),
    "articles.jsonl:6": ("skipped", "not a JSON object"),
    "binary.txt": ("skipped", "binary file"),
    "blank.txt": ("skipped", "no text (only whitespace)"),
    "bom_mixed_line_endings.txt": ("built", None),
    "control_characters.txt": ("built", None),
    "empty.txt": ("skipped", "empty file"),
    "english.txt": ("skipped", "not French"),
    "good_article.txt": ("built", None),
    "good_article_copy.txt": ("skipped", "same text as {dir}/good_article.txt"),
    "hostile_names.txt": ("built", None),
    "notes.md": ("built", None),
    "oversize.txt": ("skipped", "too large: 19.1 kB, over the 16.0 kB limit"),
    "page.html": ("built", None),
    "truncated.txt": ("built", "ends mid-sentence"),
    "truncated_page.html": ("built", "ends mid-sentence"),
    "undated.txt": ("built", None),
    "windows1252.txt": ("built", None),
}
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# every IRI the pipeline mints: base, kind, then a slug of [a-z0-9_-]
MINTED = re.compile(re.escape(ID_BASE) + r"[a-z]+/[a-z0-9_-]+")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport, KGStore, list[Article]]:
    folder = tmp_path_factory.mktemp("bad") / "bad_inputs"
    shutil.copytree(BAD_INPUTS, folder)
    if not AS_ROOT:  # root reads any file, so the case only exists for other users
        locked = folder / "unreadable.txt"
        locked.write_text((BAD_INPUTS / "undated.txt").read_text(encoding="utf-8"), encoding="utf-8")
        locked.chmod(0)
    articles: list[Article] = []
    store = open_store("memory")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_MAX_FILE_BYTES", "16k")
        from kg.corpus import read_corpus

        articles, _ = read_corpus([folder])
        report = build([folder], store)
    return folder, report, store, articles


def _name(source: str, folder: Path) -> str:
    return str(Path(source).relative_to(folder)) if source.startswith(str(folder)) else source


def test_every_nasty_file_gets_its_documented_outcome(corpus_build) -> None:
    folder, report, _, articles = corpus_build
    built = {_name(source, folder) for source in report.built}
    errors = {_name(error.source, folder): error.message for error in report.errors}
    warnings = {_name(a.source, folder): " ".join(a.warnings) for a in articles}
    expected = dict(EXPECTED)
    if not AS_ROOT:
        expected["unreadable.txt"] = ("skipped", "cannot read file: permission denied")
    assert built | set(errors) == set(expected)
    for name, (outcome, text) in expected.items():
        text = text.format(dir=folder) if text else None
        if outcome == "built":
            assert name in built, f"{name}: {errors.get(name)}"
            assert (text or "") in warnings[name], name
            assert bool(warnings[name]) == bool(text), f"{name}: unexpected warning {warnings[name]}"
        else:
            assert name not in built
            assert text in errors[name], f"{name}: {errors[name]}"
            assert "\n" not in errors[name]


def test_the_good_articles_keep_their_metadata(corpus_build) -> None:
    folder, report, _, articles = corpus_build
    by_name = {_name(a.source, folder): a for a in articles}
    assert report.undated == [str(folder / name) for name in ("bom_mixed_line_endings.txt", "control_characters.txt",
                                                              "truncated.txt", "undated.txt")]
    page = by_name["page.html"]
    assert (page.title, page.date, page.url) == (
        "Bruxelles interdit la fusion de Siemens et Alstom", PartialDate(2019, 2, 6),
        "https://www.example.fr/eco/siemens-alstom")
    assert "injected" not in page.body and "Partager" not in page.body and "©" not in page.body
    notes = by_name["notes.md"]
    assert notes.date == PartialDate(2022, 2, 8) and notes.url == "https://www.example.fr/tech/nvidia-arm"
    assert "**" not in notes.body and "](" not in notes.body and "<script>" not in notes.body
    assert "Nvidia a annoncé mardi renoncer au rachat d'Arm" in notes.body
    assert by_name["windows1252.txt"].date == PartialDate(2020, 8, 3)
    assert by_name["windows1252.txt"].title == "Danone cède une filiale à Lactalis"
    assert by_name["bom_mixed_line_endings.txt"].body.count("\n\n") == 2
    assert "\x1b" not in by_name["control_characters.txt"].body and "[0m" not in by_name["control_characters.txt"].body
    line = by_name["articles.jsonl:1"]
    assert (line.id, line.date, line.title) == ("articles-1", PartialDate(2018, 3, 14),
                                                "Broadcom retire son offre sur Qualcomm")
    assert by_name["articles.jsonl:5"].url is None


def test_the_built_good_article_has_its_graph(corpus_build) -> None:
    _, report, store, _ = corpus_build
    assert report.facts > 0
    graphs = {str(g) for g in store.article_graphs()}
    assert f"{ID_BASE}article/good_article" in graphs and f"{ID_BASE}article/articles-1" in graphs
    assert f"{ID_BASE}article/good_article_copy" not in graphs


@pytest.mark.parametrize(("fmt", "rdflib_format", "oxigraph_format"), [
    ("turtle", "turtle", pyoxigraph.RdfFormat.TURTLE),
    ("trig", "trig", pyoxigraph.RdfFormat.TRIG),
    ("nquads", "nquads", pyoxigraph.RdfFormat.N_QUADS),
    ("jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
])
def test_hostile_text_gives_exports_both_parsers_read_back(corpus_build, fmt, rdflib_format,
                                                           oxigraph_format) -> None:
    _, _, store, _ = corpus_build
    text = serialize(store, fmt)
    parsed = Dataset()
    parsed.parse(data=text, format=rdflib_format)
    quads = list(pyoxigraph.parse(text.encode("utf-8"), format=oxigraph_format))
    if fmt == "turtle":  # the union of the article graphs, each triple once
        assert len(quads) == len(store.dataset)
    else:  # every quad of the named graphs
        assert len(quads) == len(list(pyoxigraph.parse(store.nquads(), format=pyoxigraph.RdfFormat.N_QUADS)))
    headlines = {str(o) for _, p, o, _ in parsed.quads((None, None, None, None))
                 if str(p) == "https://schema.org/headline"}
    # nothing lost: the headline comes back exactly as the article wrote it
    assert "Acme <script>alert(1)</script> & \"Fils\" rachète O'Brien]]> Holdings" in headlines
    for quad in quads:
        for term in (quad.subject, quad.object):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(ID_BASE):
                assert MINTED.fullmatch(term.value), term.value


def _hostile_facts() -> ArticleFacts:
    names = [
        'Acme "Fils" & <Cie>', "O'Brien]]> Holdings", "\u202eLatot\u202c Capital", "Zé\u200bro\u00adWidth",
        "Sоciété Gеnérale", "Ｍｉｃｒｏｓｏｆｔ", "Supercalifragilistique" * 30, "\\u0022 } ; DROP ALL ; #",
        "<script>alert('x')</script>", "",
    ]
    actors = {slugify(n): Actor(slugify(n), n, "Organization", alt_labels={n + " \n\t'\"<>"}) for n in names}
    keys = list(actors)
    article = Article("hostile", 'Titre "<b>&amp;</b>"', PartialDate(2021, 3, 2), "Texte.", "x\"<>.txt",
                      url="https://www.example.fr/a?b=1&c=<2>", content_hash="abc")
    evidence = [Evidence("hostile", 'Phrase "citée" <i>&</i> \\ \u202e fin', 0, 6, 'rule"<>')]
    facts = [Fact("bid", {"bidder": [keys[0], keys[1]], "target": [keys[2]], "rejected_by": [keys[3]]},
                  {"status": "rejected"}, evidence),
             Fact("role", {"person": [keys[4]], "org": [keys[5]]}, {"title": 'P"D<G>'}, evidence),
             Fact("lawsuit", {"plaintiff": [keys[6]], "defendant": [keys[7]]}, {}, evidence),
             Fact("stake", {"holder": [keys[8]], "in": [keys[9]]}, {}, evidence)]
    return ArticleFacts(article, actors, facts)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_hostile_actor_names_become_valid_iris_and_literals(fmt: str) -> None:
    facts = _hostile_facts()
    store = open_store("memory")
    store.replace_graph(URIRef(f"{ID_BASE}article/hostile"), article_triples(facts))
    text = serialize(store, fmt)
    rdflib_format = {"jsonld": "json-ld"}.get(fmt, fmt)
    again = Dataset()
    again.parse(data=text, format=rdflib_format)
    oxigraph_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "trig": pyoxigraph.RdfFormat.TRIG,
                       "nquads": pyoxigraph.RdfFormat.N_QUADS, "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
    quads = list(pyoxigraph.parse(text.encode("utf-8"), format=oxigraph_format))
    assert len(quads) == len(store.dataset)
    labels = {str(o) for _, _, o, _ in again.quads((None, None, None, None)) if isinstance(o, Literal)}
    assert 'Acme "Fils" & <Cie>' in labels and "\u202eLatot\u202c Capital" in labels
    iris = {str(t) for q in again.quads((None, None, None, None)) for t in q[:3] if isinstance(t, URIRef)}
    minted = {iri for iri in iris if iri.startswith(ID_BASE)}
    assert minted and all(MINTED.fullmatch(iri) for iri in minted), sorted(minted)
    assert f"{ID_BASE}org/microsoft" in minted  # full-width letters fold to the plain name
    assert f"{ID_BASE}org/zerowidth" in minted  # zero-width space and soft hyphen are dropped


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_hostile_names_survive_the_actor_graph_exports(fmt: str) -> None:
    import io
    import json

    import networkx as nx

    from kg.export import serialize_bytes

    store = open_store("memory")
    store.replace_graph(URIRef(f"{ID_BASE}article/hostile"), article_triples(_hostile_facts()))
    # control characters, which RDF holds and XML cannot (a store filled by other means than kg build)
    graph = store.dataset.graph(URIRef(f"{ID_BASE}article/hostile"))
    odd = URIRef(f"{ID_BASE}org/ctrl")
    graph.add((odd, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
               URIRef("https://w3id.org/dealkg/ontology#Organization")))
    graph.add((odd, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Ctrl\x0cCorp\x01")))
    graph.add((odd, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("Ctrl\x0bCo")))
    data = serialize_bytes(store, fmt)
    back = {"graphml": lambda: nx.read_graphml(io.BytesIO(data)), "gexf": lambda: nx.read_gexf(io.BytesIO(data)),
            "cyjs": lambda: nx.cytoscape_graph(json.loads(data))}[fmt]()
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert {'Acme "Fils" & <Cie>', "\u202eLatot\u202c Capital", "<script>alert('x')</script>"} <= labels
    # XML cannot hold them: GraphML and GEXF write \xNN (and join lists with " | ")
    assert back.nodes[str(odd)]["label"] == ("Ctrl\x0cCorp\x01" if fmt == "cyjs" else "Ctrl\\x0cCorp\\x01")
    assert back.nodes[str(odd)]["altLabels"] == (["Ctrl\x0bCo"] if fmt == "cyjs" else "Ctrl\\x0bCo")


def test_a_turtle_export_of_hostile_names_is_a_graph_rdflib_reads_back_whole() -> None:
    facts = _hostile_facts()
    graph = Graph()
    for triple in article_triples(facts):
        graph.add(triple)
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert len(again) == len(graph)
    assert set(again) == set(graph)


def test_build_reports_the_warnings_of_kept_articles(tmp_path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cut.txt").write_text(
        "Publié le 03-08-2020\n\nRenault annonce le rachat de Nissan pour 5 milliards d'euros. "
        "Le groupe a précisé que l'opération devait être", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", "memory"])
    assert result.exit_code == 0, result.output
    assert "warning " in result.output and "cut.txt" in result.output
    assert "1 warning(s)" in result.output


def test_a_missing_html_dependency_skips_only_the_html_files(tmp_path, monkeypatch) -> None:
    # as after an install whose pip left out trafilatura's lxml cleaner
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    shutil.copy(BAD_INPUTS / "page.html", tmp_path / "page.html")
    shutil.copy(BAD_INPUTS / "good_article.txt", tmp_path / "good_article.txt")
    report = build([tmp_path], open_store("memory"))
    assert len(report.built) == 1
    [error] = report.errors
    assert error.source.endswith("page.html")
    assert "needs the Python package trafilatura (pip install trafilatura)" in error.message


def test_a_file_name_with_a_newline_or_an_escape_code_cannot_forge_a_line(tmp_path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a\nskipped forged: fine.txt").write_text("")  # empty: skipped, so named
    (corpus / "b\x1b[31mred.txt").write_text("")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--store", str(tmp_path / "kg")])
    assert result.exit_code == 3
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2
    assert any("a\\nskipped forged: fine.txt" in line for line in skipped)
    assert any("b\\x1b[31mred.txt" in line for line in skipped)
    assert "\x1b" not in result.stderr
