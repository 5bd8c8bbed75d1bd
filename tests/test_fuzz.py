"""Property tests: arbitrary bytes and text into the reader, the date normaliser and IRI minting.

Bounded (200 examples, no deadline) so the suite stays fast; Hypothesis keeps the
failing examples it finds in .hypothesis/ and replays them first.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.corpus import SUPPORTED_SUFFIXES, Article, ReadError, read_corpus
from kg.dates import PartialDate, find_dates, normalize
from kg.namespaces import ID_BASE, KINDS, mint, slugify

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# characters no article body may keep: C0/C1 controls but tab and newline, surrogates, non-characters
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# pieces of French news text, so that random text reaches the date and furniture rules
FRAGMENTS = st.sampled_from([
    "15 septembre 2020", "le 1er août", "d'ici le 12 novembre", "fin août", "mi-septembre",
    "dans les 45 jours", "ce lundi", "Publié le 14/09/2020 à 10h32", "Par Jeanne Martin", "2020-02-30",
    "31/02/2021", "0000-00-00", "9999-12-31", "le 32 janvier", "Crédit photo : AFP", "Lire aussi",
    "avant le 20 septembre", "\n", "\n\n", " ", "«", "»", "’", "\u200b", "\u202e", "\r", "\ufeff",
    "Microsoft", "a rejeté l'offre de", "<p>", "</p>", "# ", "**", '{"text": "', '"}', "\x00", "\x1b[0m",
])
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _check_read(found: tuple[list[Article], list[ReadError]]) -> None:
    articles, errors = found
    for error in errors:
        assert isinstance(error, ReadError) and error.message and "\n" not in error.message
    for article in articles:
        assert article.body.strip() and article.body == article.body.strip()
        assert not UNWANTED.search(article.body), repr(article.body)
        assert not UNWANTED.search(article.title), repr(article.title)
        assert article.date is None or isinstance(article.date, PartialDate)
        assert article.url is None or article.url.startswith(("http://", "https://"))


@BOUNDED
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_corpus_reader_never_raises_on_arbitrary_bytes(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    _check_read(read_corpus([path]))


@BOUNDED
@given(text=TEXT, suffix=st.sampled_from(SUPPORTED_SUFFIXES),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_corpus_reader_never_raises_on_arbitrary_text(folder: Path, text: str, suffix: str, encoding: str) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _check_read(read_corpus([path]))


@BOUNDED
@given(text=TEXT, anchor=st.one_of(st.none(), st.dates().map(lambda d: PartialDate(d.year, d.month, d.day)),
                                    st.integers(1, 9999).map(PartialDate)))
def test_find_dates_gives_well_formed_mentions(text: str, anchor: PartialDate | None) -> None:
    previous_end = 0
    for mention in find_dates(text, anchor=anchor):
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        assert isinstance(mention.value, PartialDate) and ISO.fullmatch(mention.value.iso())
        assert mention.value.xsd() in ("gYear", "gYearMonth", "date")
        previous_end = mention.end


@BOUNDED
@given(text=TEXT, anchor=st.one_of(st.none(), st.integers(1, 9999).map(PartialDate)))
def test_normalize_returns_a_date_or_none(text: str, anchor: PartialDate | None) -> None:
    value = normalize(text, anchor=anchor)
    assert value is None or (isinstance(value, PartialDate) and ISO.fullmatch(value.iso()))


def _ntriples(subject: URIRef, name: str) -> str:
    graph = Graph()
    graph.add((subject, URIRef("https://w3id.org/dealkg/ontology#name"), Literal(name)))
    return graph.serialize(format="nt")


@BOUNDED
@given(name=st.text(max_size=300), kind=st.sampled_from(KINDS))
def test_minted_iris_are_valid_in_n_triples_for_both_parsers(name: str, kind: str) -> None:
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= 80
    assert slugify(name) == slug  # stable
    iri = mint(kind, name)
    assert str(iri) == f"{ID_BASE}{kind}/{slug}"
    text = _ntriples(iri, name)
    again = Graph().parse(data=text, format="nt")
    assert {str(s) for s in again.subjects()} == {str(iri)}
    (quad,) = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert quad.subject.value == str(iri) and quad.object.value == name


@BOUNDED
@given(name=st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
def test_names_that_differ_only_by_invisible_marks_meet(name: str) -> None:
    marked = "\u200b".join(name) + "\u200f"
    folded = unicodedata.normalize("NFKD", name)
    if not any(c.isascii() and c.isalnum() for c in folded):
        return  # a name with no Latin letter or digit is named by a hash of itself
    assert slugify(marked) == slugify(name)
