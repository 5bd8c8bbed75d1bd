"""Read news articles from files into clean ``Article`` records.

The reader finds the publication date wherever the text gives it (a date prefix
on the first line, a "published on ... by ..." line, a dateline), the title, the
byline and the URL, and strips page furniture. Which lines are furniture is data:
``kg/rules/fr/furniture.toml``; date lines are read by :mod:`kg.dates`.

Files users actually have are read: ``.txt``, ``.md`` (markdown syntax and front
matter stripped), ``.html`` (the main text, title, date and URL taken from the
page by trafilatura) and ``.jsonl`` (one article a line). Bytes are UTF-8 with
or without a byte-order mark, or Windows-1252 / Latin-1 (found by
charset-normalizer); line endings may be mixed.

A bad file never stops the corpus: it becomes one ``ReadError`` naming the file
(and the line, in a ``.jsonl``) and the problem. A kept article that looks
suspicious (cut off mid-sentence, a date or URL field that could not be read)
carries ``Article.warnings``. The behaviours are listed in README.md, "Messy input".

``Article.body`` is the text every later stage runs on, and evidence offsets
point into it, so it is built once here and never re-cleaned downstream.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg.dates import (
    DateRules,
    HeaderMatch,
    PartialDate,
    RuleFileError,
    convert_pattern,
    default_rules,
    load_toml,
    match_date_header,
    normalize,
    record_text,
    rule_line,
)

__all__ = [
    "DEFAULT_FURNITURE_PATH",
    "DEFAULT_LANGUAGE_PATH",
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Article",
    "CorpusError",
    "Furniture",
    "Language",
    "ReadError",
    "load_furniture",
    "load_language",
    "max_bytes_setting",
    "read_article",
    "read_corpus",
    "reading_rules",
    "slugify",
]

DEFAULT_FURNITURE_PATH = Path(__file__).parent / "rules" / "fr" / "furniture.toml"
DEFAULT_LANGUAGE_PATH = Path(__file__).parent / "rules" / "fr" / "language.toml"

# a file (or a .jsonl line) above this is refused before it is read into memory
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "KG_MAX_FILE_BYTES"
# a title is a short line of one sentence; longer first lines are the lead paragraph
TITLE_MAX_LENGTH = 200
# a byline is a short name, not a sentence
NAME_MAX_LENGTH = 60
NAME_MAX_WORDS = 6
# a last paragraph at least this long without end punctuation is a cut-off sentence;
# shorter ones are signatures, captions or labels
TRUNCATED_MIN_WORDS = 8
# a .jsonl file with this many bad lines is not a JSON Lines file: stop reporting
JSONL_MAX_BAD_LINES = 20
# header kinds, most trusted first: the page's own "published" line beats a dateline
_DATE_PRIORITY = ("published", "dateline", "updated")
# spaCy and the patterns expect the straight apostrophe; same length, so nothing shifts
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_OPENERS = "«\"“‘([¿¡"
_CLOSERS = "»\"”’)]'"
_SENTENCE_END = ".!?…:;"


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    date: PartialDate | None
    body: str
    source: str
    url: str | None = None
    author: str | None = None
    content_hash: str = ""
    # kept, but worth a look: "ends mid-sentence", "date field not understood"...
    warnings: tuple[str, ...] = ()

    @property
    def undated(self) -> bool:
        return self.date is None


@dataclass(frozen=True)
class ReadError:
    source: str
    message: str


class CorpusError(Exception):
    """One file could not be read as an article."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


# --------------------------------------------------------------------------- furniture rules


@dataclass(frozen=True)
class _LineRule:
    id: str
    action: str  # "drop" | "truncate"
    regex: re.Pattern[str]


@dataclass(frozen=True)
class _FieldRule:
    id: str
    field: str  # "author" | "url"
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Furniture:
    path: str
    max_line_length: int
    lines: tuple[_LineRule, ...]
    fields: tuple[_FieldRule, ...]


def load_furniture(path: str | Path | None = None) -> Furniture:
    """Load and check a furniture rule file (default: the packaged French one)."""
    path = Path(path) if path is not None else DEFAULT_FURNITURE_PATH
    data, raw = load_toml(path)

    def fail(record: dict[str, Any], rule_id: str, problem: str) -> RuleFileError:
        fallback = None if "id" in record else record_text(record)
        return RuleFileError(path, rule_line(raw, rule_id, fallback), rule_id, problem)

    unknown = sorted(set(data) - {"meta", "line", "field"})
    if unknown:
        raise RuleFileError(path, rule_line(raw, unknown[0]), unknown[0], "unknown section")
    meta = data.get("meta", {})
    if set(meta) - {"max_line_length"}:
        raise fail(meta, "meta", f"unknown key(s) {sorted(set(meta) - {'max_line_length'})}")
    max_length = meta.get("max_line_length", 160)
    if not isinstance(max_length, int) or max_length <= 0:
        raise fail(meta, "meta", "`max_line_length` must be a positive integer")

    seen: set[str] = set()
    parsed: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {"line": [], "field": []}
    kinds = {"line": ("action", ("drop", "truncate")), "field": ("field", ("author", "url"))}
    for section, (kind_key, choices) in kinds.items():
        for index, record in enumerate(data.get(section, [])):
            rule_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(record, dict) or not isinstance(rule_id, str) or not rule_id:
                raise fail(record if isinstance(record, dict) else {},
                           f"<{section} #{index} without id>", "missing or empty `id`")
            expected = {"id", kind_key, "pattern", "example"}
            if set(record) != expected:
                extra, missing = sorted(set(record) - expected), sorted(expected - set(record))
                raise fail(record, rule_id, f"unknown key(s) {extra}, missing key(s) {missing}")
            if rule_id in seen:
                raise fail(record, rule_id, "duplicate rule id")
            seen.add(rule_id)
            if record[kind_key] not in choices:
                raise fail(record, rule_id, f"`{kind_key}` must be one of {list(choices)}")
            try:
                regex = re.compile(convert_pattern(str(record["pattern"])), re.IGNORECASE)
            except re.error as exc:
                raise fail(record, rule_id, f"pattern does not compile: {exc}") from exc
            if section == "field" and "value" not in regex.groupindex:
                raise fail(record, rule_id, "a field pattern needs a (?P<value>...) group")
            if not regex.fullmatch(_clean_line(str(record["example"]))):
                raise fail(record, rule_id, "the pattern does not match its own example")
            parsed[section].append((rule_id, str(record[kind_key]), regex))
    return Furniture(
        str(path),
        max_length,
        tuple(_LineRule(*item) for item in parsed["line"]),
        tuple(_FieldRule(*item) for item in parsed["field"]),
    )


@functools.cache
def _default_furniture() -> Furniture:
    return load_furniture(DEFAULT_FURNITURE_PATH)


# --------------------------------------------------------------------------- language check


@dataclass(frozen=True)
class Language:
    """The light "is this French?" test: share of the text's words that are function words."""

    path: str
    min_words: int
    min_ratio: float
    words: frozenset[str]


def load_language(path: str | Path | None = None) -> Language:
    """Load and check a language file (default: the packaged French one)."""
    path = Path(path) if path is not None else DEFAULT_LANGUAGE_PATH
    data, raw = load_toml(path)

    def fail(key: str, problem: str) -> RuleFileError:
        return RuleFileError(path, rule_line(raw, key), key, problem)

    unknown = sorted(set(data) - {"meta", "language"})
    if unknown:
        raise fail(unknown[0], "unknown section")
    meta, section = data.get("meta", {}), data.get("language", {})
    if set(meta) - {"min_words", "min_ratio"} or set(section) - {"words"}:
        raise fail("meta", "known keys: [meta] min_words, min_ratio; [language] words")
    min_words, min_ratio = meta.get("min_words", 40), meta.get("min_ratio", 0.12)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words <= 0:
        raise fail("meta", "`min_words` must be a positive integer")
    if not isinstance(min_ratio, (int, float)) or isinstance(min_ratio, bool) or not 0 <= min_ratio < 1:
        raise fail("meta", "`min_ratio` must be a number from 0 to 1")
    words = section.get("words")
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        raise fail("language", "`words` must be a non-empty list of words")
    bad = sorted(w for w in words if w != w.lower() or not _WORD_RE.fullmatch(w))
    if bad:
        raise fail("language", f"words must be lower-case single words: {bad[:5]}")
    return Language(str(path), min_words, float(min_ratio), frozenset(words))


@functools.cache
def _default_language() -> Language:
    return load_language(DEFAULT_LANGUAGE_PATH)


def reading_rules(folder: str | Path) -> dict[str, Any]:
    """How a language folder reads a page, as keyword arguments of :func:`read_corpus`:
    its ``furniture.toml``, ``language.toml`` and ``dates.toml``, each falling back to the
    packaged file when the folder has none."""
    from kg.dates import load_rules as load_date_rules

    folder = Path(folder)
    furniture, language, dates = folder / "furniture.toml", folder / "language.toml", folder / "dates.toml"
    return {
        "furniture": load_furniture(furniture) if furniture.exists() else _default_furniture(),
        "language": load_language(language) if language.exists() else _default_language(),
        "dates": load_date_rules(dates) if dates.exists() else default_rules(),
    }


# letters only: elided forms ("l'offre") split into "l" and "offre"
_WORD_RE = re.compile(r"[^\W\d_]+")


def _check_language(body: str, language: Language) -> None:
    words = _WORD_RE.findall(body.casefold())
    if len(words) < language.min_words:
        return  # too short to tell; a short French dispatch must not be lost
    share = sum(word in language.words for word in words) / len(words)
    if share < language.min_ratio:
        raise _BadFile(f"not French (only {share:.0%} of its {len(words)} words are French function "
                       f"words, {language.min_ratio:.0%} needed; see {Path(language.path).name})")


def _truncation_warning(body: str) -> str | None:
    last = body.rsplit("\n", 1)[-1].rstrip().rstrip(_CLOSERS).rstrip()
    if not last or last[-1] in _SENTENCE_END or len(last.split()) < TRUNCATED_MIN_WORDS:
        return None
    return f"ends mid-sentence (...{last[-40:]!r}): the file may be truncated; kept as it is"


# --------------------------------------------------------------------------- bytes to text


class _BadFile(Exception):
    """A reader's complaint about a file's content (becomes a CorpusError)."""


# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Left free, charset-normalizer reads a short French text in cp1250 ("aoűt" for
# "août"): a text that is not UTF-8 is, in practice, one of these.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
# invisible characters inside words ("Micro\u200bsoft", a soft hyphen, a stray BOM):
# they would hide a name from the gazetteer and the rules; joiners are left alone
_INSIDE_WORDS = str.maketrans(dict.fromkeys("\u00ad\u200b\u2060\ufeff"))
# form feed, vertical tab, NEL and the Unicode separators end a line like "\n" does
_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n",
                         "\u2029": "\n\n"})
# C0/C1 controls, lone surrogates (from JSON escapes) and non-characters: no RDF
# serialisation or browser wants them, and no article means them
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _decode(raw: bytes) -> str:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise _BadFile(f"starts with a {codec.upper()} byte-order mark but is not "
                               f"{codec.upper()} text") from None
    if b"\x00" in raw:
        raise _BadFile("binary file (it holds NUL bytes), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw, cp_isolation=_LEGACY_ENCODINGS).best()
        if best is None:
            raise _BadFile("binary file or unknown encoding (neither UTF-8 nor Windows-1252/Latin-1); "
                           "re-save it as UTF-8") from None
        text = str(best)
    controls = len(_UNWANTED.findall(text))
    # a few stray controls (a bell, a colour code) are noise in a text; many mean binary
    if controls > max(16, len(text) // 20):
        raise _BadFile(f"binary file ({controls} control characters), not text")
    return text


# terminal colour codes (copied from a console) would leave "[0m" behind once ESC is gone
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _sanitize(text: str) -> str:
    text = _ANSI_ESCAPE.sub("", text.replace("\r\n", "\n")).translate(_BREAKS).translate(_INSIDE_WORDS)
    # NFC: a decomposed "é" (as macOS writes it) must meet the gazetteer's composed one
    return unicodedata.normalize("NFC", _UNWANTED.sub("", text))


# --------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class _Doc:
    """One article's text as its format gives it, with what the format's metadata says."""

    text: str
    title: str | None = None
    date: str | None = None  # as the metadata gives it: read with the date rules in _article
    url: str | None = None
    warnings: tuple[str, ...] = ()


_ISO_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?(?=$|[T ])")
_URL_RE = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
# a date a news site writes in its addresses: "/2022/03/04/", "/2022-03-04-", "/20220304/"
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)(?:/|-)?(0[1-9]|1[0-2])(?:/|-)?(0[1-9]|[12]\d|3[01])(?=[/\-_.]|$)")


def _date_value(value: str, dates: DateRules) -> PartialDate | None:
    """An ISO date (time and zone ignored) or a date in words; None when neither."""
    value = value.strip()
    iso = _ISO_PREFIX.match(value)
    try:
        if iso is not None:
            return PartialDate.from_iso(iso.group())
    except ValueError:
        return None
    return normalize(value, anchor=None, rules=dates)


def _metadata(title: object, date: object, url: object) -> _Doc:
    """Metadata fields, checked: what cannot be used is dropped with a warning."""
    warnings: list[str] = []
    clean_title = " ".join(_sanitize(title).split()) if isinstance(title, str) else None
    date_text = _sanitize(date) if isinstance(date, str) and date.strip() else None
    clean_url = None
    if isinstance(url, str) and url.strip():
        # only a plain web address: "javascript:" or a quote would be a hazard in the viewer
        if _URL_RE.fullmatch(url.strip()):
            clean_url = url.strip()
        else:
            warnings.append(f"url {url[:60]!r} is not an http(s) address; left out")
    return _Doc("", clean_title or None, date_text, clean_url, tuple(warnings))


def _plain_text(text: str) -> _Doc:
    return _Doc(text)


_MD_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_FENCE = re.compile(r"(`{3,}|~{3,})")
_MD_BREAK_LINE = re.compile(r"(?:[-*_=] ?){3,}|\|?(?: ?:?-+:? ?\|)+ ?:?-*:? ?\|?")
_MD_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]: ?\S+.*")
# block markers, removed in this order: quotes, then a heading or a list item inside them
_MD_BLOCKS = (re.compile(r"^(?: {0,3}> ?)+"), re.compile(r"^ {0,3}#{1,6}(?= |$)"),
              re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])(?= )"))
_MD_HEADING_CLOSE = re.compile(r" #+ *$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")
_MD_INLINE = (
    (re.compile(r"<!--.*?-->"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # an image's alt text is not article text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
)
# escaped characters hide in the Private Use Area while the inline patterns run
_PUA = 0xE000


def _markdown_text(text: str) -> _Doc:
    """Markdown to plain text: the words stay, the syntax goes; front matter gives metadata."""
    meta = _Doc("")
    front = _MD_FRONT_MATTER.match(text)
    if front is not None:
        fields: dict[str, str] = {}
        for line in front.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() in ("title", "date", "url"):
                fields[key.strip().lower()] = value.strip().strip("\"'")
        meta = _metadata(fields.get("title"), fields.get("date"), fields.get("url"))
        text = text[front.end():]
    lines: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue  # code blocks are not article text
        opening = _MD_FENCE.match(stripped)
        if opening is not None:
            fence = opening.group(1)
            lines.append("")
            continue
        if _MD_BREAK_LINE.fullmatch(stripped) or _MD_REFERENCE.fullmatch(line):
            lines.append("")  # rules, setext underlines, table rulers, link definitions
            continue
        for block in _MD_BLOCKS:
            line = block.sub("", line)
        line = _MD_HEADING_CLOSE.sub("", line) if "#" in stripped[:7] else line
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = " ; ".join(cell.strip() for cell in line.strip()[1:-1].split("|"))
        line = _MD_ESCAPE.sub(lambda m: chr(_PUA + ord(m.group(1))), line)
        for pattern, replacement in _MD_INLINE:
            line = pattern.sub(replacement, line)
        lines.append(re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PUA), line))
    return _Doc("\n".join(lines), meta.title, meta.date, meta.url, meta.warnings)


def _html_text(text: str) -> _Doc:
    """The main text of a web page, with its title, date and URL from the page's metadata."""
    try:
        import trafilatura
    except ImportError as exc:
        raise _BadFile(f"reading HTML needs {_missing_package(exc)}, which is not installed") from None

    try:
        found = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True,
            # the date from the page's markup only: guessing it from the text finds the wrong dates
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        raise _BadFile(f"the HTML page could not be parsed ({type(exc).__name__})") from None
    body = getattr(found, "text", None) if found is not None else None
    if not body or not body.strip():
        raise _BadFile("no article text found in the HTML page")
    meta = _metadata(getattr(found, "title", None), getattr(found, "date", None), getattr(found, "url", None))
    # trafilatura puts one block a line; later stages want paragraphs apart
    return _Doc(body.replace("\n", "\n\n"), meta.title, meta.date, meta.url, meta.warnings)


def _missing_package(exc: ImportError) -> str:
    """The package to install for a failed import, as its message or its module names it."""
    # lxml names the separate project in prose rather than in ``exc.name``
    named = re.search(r"separate project ([\w.-]+)", str(exc))
    package = named.group(1).rstrip(".") if named else (exc.name or "a package").split(".")[0]
    return f"the Python package {package} (pip install {package})"


# suffix -> reader turning a file's text into one article's text (paragraphs one a
# line or blank-line separated) and metadata; .jsonl files hold many articles
READERS: dict[str, Callable[[str], _Doc]] = {
    ".txt": _plain_text,
    ".md": _markdown_text,
    ".markdown": _markdown_text,
    ".html": _html_text,
    ".htm": _html_text,
}
_JSONL_SUFFIXES = (".jsonl",)
SUPPORTED_SUFFIXES = tuple(sorted((*READERS, *_JSONL_SUFFIXES)))
# files in a corpus folder that describe the corpus rather than belong to it
_SKIPPED_STEMS = {"readme"}


def slugify(text: str) -> str:
    """Lower-case ASCII slug safe for IRIs: [a-z0-9_-], underscores and digits kept."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower())
    return re.sub(r"-{2,}", "-", slug).strip("-")


def _clean_line(line: str) -> str:
    return line.strip().strip(_INVISIBLE).strip()


def _key(line: str) -> str:
    return " ".join(line.casefold().split())


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > NAME_MAX_WORDS or len(text) > NAME_MAX_LENGTH:
        return False
    if any(ch.isdigit() for ch in text) or text[-1] in ".!?:;,":
        return False
    # short particles may be lower-case; the name's own words are capitalised
    return words[0][0].isupper() and words[-1][0].isupper() and all(
        w[0].isupper() or len(w) <= 3 for w in words
    )


def _first_sentence(line: str) -> str:
    """The line up to its first sentence end (a '.', '!', '?' followed by a capital)."""
    for match in re.finditer(r"[.!?…]+", line):
        end = match.end()
        while end < len(line) and line[end] in _CLOSERS:
            end += 1
        after = end
        if after >= len(line) or not line[after].isspace():
            continue
        while after < len(line) and (line[after].isspace() or line[after] in _OPENERS):
            after += 1
        if after >= len(line) or not (line[after].isupper() or line[after].isdigit()):
            continue
        word = line[: match.start()].split()[-1:] or [""]
        # "Dr. X", "J. Smith": an initial or a short capitalised abbreviation, not an end
        if match.group() == "." and word[0][:1].isupper() and len(word[0]) <= 3:
            continue
        return line[:end].strip()
    return line.strip()


def _is_title_line(line: str) -> bool:
    return len(line) <= TITLE_MAX_LENGTH and _first_sentence(line) == line.strip()


_DATELINE_LINES = 3


@dataclass
class _Page:
    """Mutable state while one file's lines are sorted into text and furniture."""

    lines: list[str]
    removed: list[bool]
    headers: list[HeaderMatch]
    author: str | None = None
    url: str | None = None


def _parse(text: str, furniture: Furniture, dates: DateRules) -> tuple[str, PartialDate | None, str, str | None,
                                                     str | None]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_APOSTROPHES)
    lines = [_clean_line(line) for line in text.split("\n")]
    if not any(lines):
        raise _BadFile("no text (only whitespace)")
    page = _Page(lines, [not line for line in lines], [])
    # a dateline stands in the page's first lines: under the title, or a byline
    top = [i for i, line in enumerate(lines) if line][:_DATELINE_LINES]
    first_content: int | None = None
    byline_author: str | None = None

    for i, line in enumerate(lines):
        if page.removed[i]:
            continue
        header = match_date_header(line, at_top=i in top, rules=dates)
        if header is not None:
            page.headers.append(header)
            if header.rest:
                lines[i] = header.rest  # the rest of the line is article text
            else:
                page.removed[i] = True
                if header.kind == "dateline" and byline_author is None:
                    byline_author = _byline_above(page, i)
                    if first_content is not None and page.removed[first_content]:
                        first_content = None  # the byline opened the page; the title follows
                continue
        if len(lines[i]) <= furniture.max_line_length:
            if _take_field(page, lines[i], furniture):
                page.removed[i] = True
                continue
            action = next((r.action for r in furniture.lines if r.regex.fullmatch(lines[i])), None)
            if action == "drop":
                page.removed[i] = True
                continue
            if action == "truncate" and first_content is not None:
                for j in range(i, len(lines)):
                    page.removed[j] = True
                break
        if first_content is None:
            first_content = i

    if first_content is None:
        raise _BadFile("no article text left once page furniture and date lines are removed")
    title_line = lines[first_content]
    if _is_title_line(title_line):
        title = title_line
        for j in range(first_content + 1, len(lines)):
            if not page.removed[j] and _key(lines[j]) == _key(title):
                page.removed[j] = True
    else:
        title = _first_sentence(title_line)

    paragraphs: list[list[str]] = [[]]
    for line, removed in zip(lines, page.removed, strict=True):
        if removed:
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(line)
    body = "\n\n".join("\n".join(p) for p in paragraphs if p)
    date, header_author = _pick_date(page.headers)
    return title, date, body, header_author or page.author or byline_author, page.url


def _byline_above(page: _Page, index: int) -> str | None:
    """A name alone on the line right above a dateline is the byline."""
    above = index - 1
    if above < 0 or page.removed[above]:
        return None
    if not _looks_like_name(page.lines[above]):
        return None
    page.removed[above] = True
    return page.lines[above]


def _take_field(page: _Page, line: str, furniture: Furniture) -> bool:
    for rule in furniture.fields:
        match = rule.regex.fullmatch(line)
        if match is None:
            continue
        value = match.group("value").strip()
        if rule.field == "author":
            if not _looks_like_name(value):
                continue
            page.author = page.author or value
        else:
            page.url = page.url or value
        return True
    return False


def _pick_date(headers: list[HeaderMatch]) -> tuple[PartialDate | None, str | None]:
    author = next((h.author for h in headers if h.author), None)
    for kind in _DATE_PRIORITY:
        for header in headers:
            if header.kind == kind:
                return header.date, author
    return None, author


# --------------------------------------------------------------------------- public API


def _size(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def max_bytes_setting() -> tuple[int, str | None]:
    """The size limit: ``KG_MAX_FILE_BYTES`` (bytes, or with a k/M suffix) or the default;
    the second value is a complaint about an unreadable setting."""
    setting = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not setting:
        return DEFAULT_MAX_BYTES, None
    found = re.fullmatch(r"(\d+)\s*([kKmM]?)[bB]?", setting)
    if found is None or int(found.group(1)) == 0:
        return DEFAULT_MAX_BYTES, (f"{setting!r} is not a size (such as 800000, 500k or 20M); "
                                   f"using the default {_size(DEFAULT_MAX_BYTES)}")
    scale = {"": 1, "k": 1024, "m": 1024 * 1024}[found.group(2).lower()]
    return int(found.group(1)) * scale, None


def _open(file: Path, source: str, limit: int | None) -> BinaryIO:
    """Open a regular file for reading; refuse folders, devices, and files over ``limit``."""
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise CorpusError(source, "is a folder, not an article file")
        if not stat.S_ISREG(info.st_mode):
            raise CorpusError(source, "not a regular file (a device, pipe or socket)")
        if limit is not None and info.st_size > limit:
            raise CorpusError(source, f"too large: {_size(info.st_size)}, over the {_size(limit)} limit "
                                      f"(set {MAX_BYTES_ENV} to raise it)")
        return file.open("rb")
    except FileNotFoundError:
        raise CorpusError(source, "no such file") from None
    except PermissionError:
        raise CorpusError(source, "cannot read file: permission denied") from None
    except OSError as exc:
        raise CorpusError(source, f"cannot read file: {exc.strerror or type(exc).__name__}") from None


def _article(doc: _Doc, *, article_id: str, source: str, digest: str, furniture: Furniture,
             language: Language, dates: DateRules) -> Article:
    text = _sanitize(doc.text)
    first = next((line for line in text.split("\n") if _clean_line(line)), "")
    if doc.title and _key(doc.title) != _key(_clean_line(first)):
        text = f"{doc.title}\n\n{text}"  # the body starts with its title, as in a text file
    title, date, body, author, url = _parse(text, furniture, dates)
    _check_language(body, language)
    warnings = list(doc.warnings)
    stated = _date_value(doc.date, dates) if doc.date else None
    if doc.date and stated is None:
        warnings.append(f"date {doc.date[:40]!r} not understood; the date is taken from the text if any")
    truncated = _truncation_warning(body)
    if truncated:
        warnings.append(truncated)
    address = doc.url or url
    return Article(article_id, title, stated or date or _url_date(address), body, source, address, author,
                   digest, tuple(warnings))


def _url_date(address: str | None) -> PartialDate | None:
    """The day a page's address gives, the last resort of an article with no date in its text."""
    found = _URL_DATE_RE.search(address or "")
    if found is None:
        return None
    try:
        return PartialDate.from_iso("-".join(found.groups()))
    except ValueError:  # "/2022/02/30/"
        return None


def _read_single(file: Path, source: str, reader: Callable[[str], _Doc], *, limit: int | None,
                 furniture: Furniture, language: Language, dates: DateRules) -> Article:
    with _open(file, source, limit) as handle:
        try:
            raw = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as exc:
            raise CorpusError(source, f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    if limit is not None and len(raw) > limit:
        raise CorpusError(source, f"too large: over the {_size(limit)} limit (set {MAX_BYTES_ENV} to raise it)")
    if not raw:
        raise CorpusError(source, "empty file")
    try:
        doc = reader(_decode(raw))
        article_id = slugify(file.stem) or f"article-{hashlib.sha256(raw).hexdigest()[:16]}"
        return _article(doc, article_id=article_id, source=source, digest=hashlib.sha256(raw).hexdigest(),
                        furniture=furniture, language=language, dates=dates)
    except _BadFile as exc:
        raise CorpusError(source, str(exc)) from None


def _jsonl_lines(handle: BinaryIO, limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; ``None`` for a line over ``limit`` (not kept in memory)."""
    number = 0
    while True:
        line = handle.readline() if limit is None else handle.readline(limit + 2)
        if not line:
            return
        number += 1
        if limit is not None and len(line.rstrip(b"\r\n")) > limit:
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield number, None
            continue
        yield number, line


def _jsonl_doc(raw: bytes, first: bool) -> _Doc:
    if first and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        record = json.loads(_decode(raw.rstrip(b"\r\n")))
    except json.JSONDecodeError as exc:
        raise _BadFile(f"not valid JSON at column {exc.colno}: {exc.msg.removesuffix(' at')}") from None
    except (ValueError, RecursionError) as exc:
        raise _BadFile(f"not valid JSON ({type(exc).__name__})") from None
    if not isinstance(record, dict):
        raise _BadFile('not a JSON object (expected {"text": ..., "title": ..., "date": ..., "url": ...})')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadFile('no "text" field (a non-empty string is needed)')
    meta = _metadata(record.get("title"), record.get("date"), record.get("url"))
    return _Doc(text, meta.title, meta.date, meta.url, meta.warnings)


def _read_jsonl(file: Path, source: str, *, limit: int | None, furniture: Furniture,
                language: Language, dates: DateRules) -> Iterator[Article | ReadError]:
    """One article a line; a bad line is one error naming the line, and the others are read."""
    stem = slugify(file.stem) or "articles"
    try:
        handle = _open(file, source, None)  # the limit holds per line: a JSON Lines file may be big
    except CorpusError as exc:
        yield ReadError(exc.source, exc.message)
        return
    bad = any_line = 0
    with handle:
        try:
            if b"\x00" in handle.read(8192):
                yield ReadError(source, "binary file (it holds NUL bytes), not JSON Lines text")
                return
            handle.seek(0)
            for number, raw in _jsonl_lines(handle, limit):
                where = f"{source}:{number}"
                if raw is not None and not raw.strip():
                    continue
                any_line += 1
                try:
                    if raw is None:
                        raise _BadFile(f"too large: over the {_size(limit or 0)} limit "
                                       f"(set {MAX_BYTES_ENV} to raise it)")
                    article = _article(_jsonl_doc(raw, number == 1), article_id=f"{stem}-{number}",
                                       source=where, digest=hashlib.sha256(raw).hexdigest(),
                                       furniture=furniture, language=language, dates=dates)
                except _BadFile as exc:
                    bad += 1
                    yield ReadError(where, str(exc))
                    if bad >= JSONL_MAX_BAD_LINES:
                        yield ReadError(source, f"{bad} bad lines: not a JSON Lines file of articles; "
                                                "the rest of it is not read")
                        return
                    continue
                yield article
        except OSError as exc:
            yield ReadError(source, f"cannot read file: {exc.strerror or type(exc).__name__}")
            return
    if not any_line:
        yield ReadError(source, "empty file" if file.stat().st_size == 0 else "no article in the file")


def _read_path(path: str | Path, *, limit: int | None, furniture: Furniture,
               language: Language, dates: DateRules) -> Iterator[Article | ReadError]:
    source = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        yield from _read_jsonl(file, source, limit=limit, furniture=furniture, language=language, dates=dates)
        return
    reader = READERS.get(suffix)
    try:
        if reader is None:
            if file.is_dir():
                raise CorpusError(source, "is a folder, not an article file")
            raise CorpusError(source, f"unsupported file type {file.suffix or '(none)'!r} "
                                      f"(supported: {', '.join(SUPPORTED_SUFFIXES)})")
        yield _read_single(file, source, reader, limit=limit, furniture=furniture, language=language,
                           dates=dates)
    except CorpusError as exc:
        yield ReadError(exc.source, exc.message)


def read_article(path: str | Path, *, furniture: Furniture | None = None, language: Language | None = None,
                 dates: DateRules | None = None, max_bytes: int | None = None) -> Article:
    """Read one article file; raise CorpusError naming the file when it cannot be read.

    ``max_bytes`` defaults to ``KG_MAX_FILE_BYTES`` or 5 MB. A ``.jsonl`` file holds
    many articles: read it with :func:`read_corpus`.
    """
    if Path(path).suffix.lower() in _JSONL_SUFFIXES:
        raise CorpusError(str(path), "a .jsonl file holds one article a line; read it with read_corpus")
    limit = max_bytes if max_bytes is not None else max_bytes_setting()[0]
    (found,) = _read_path(path, limit=limit, furniture=furniture or _default_furniture(),
                          language=language or _default_language(), dates=dates or default_rules())
    if isinstance(found, ReadError):
        raise CorpusError(found.source, found.message)
    return found


def _expand(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            yield path
            continue
        for child in sorted(folder.rglob("*")):
            rel = child.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts):
                continue  # hidden files and folders (.git, editor swap files)
            if child.suffix.lower() in SUPPORTED_SUFFIXES and child.stem.lower() not in _SKIPPED_STEMS \
                    and not child.is_dir():
                yield child  # not only regular files: an unreadable or odd one is reported, not lost


def _text_key(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def read_corpus(paths: Iterable[str | Path], *, furniture: Furniture | None = None,
                language: Language | None = None, dates: DateRules | None = None,
                max_bytes: int | None = None) -> tuple[list[Article], list[ReadError]]:
    """Read files and folders (recursively, sorted); a bad file is reported, never fatal.

    ``furniture``, ``language`` and ``dates`` default to the packaged French files;
    :func:`reading_rules` loads all three from a language folder.

    Each problem is one ``ReadError`` naming the file (``file.jsonl:LINE`` for a line
    of a JSON Lines file): unreadable, empty, binary, over ``max_bytes``, not French,
    the same text as an earlier file, an article id already used.
    """
    articles: list[Article] = []
    errors: list[ReadError] = []
    limit = max_bytes
    if limit is None:
        limit, complaint = max_bytes_setting()
        if complaint:
            errors.append(ReadError(MAX_BYTES_ENV, complaint))
    furniture = furniture or _default_furniture()
    language = language or _default_language()
    dates = dates or default_rules()
    seen_files: set[Path] = set()
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in _expand(paths):
        try:
            resolved = Path(path).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            resolved = Path(os.path.abspath(path))
        if resolved in seen_files:
            continue  # the same file named twice (a folder and one of its files)
        seen_files.add(resolved)
        for found in _read_path(path, limit=limit, furniture=furniture, language=language, dates=dates):
            if isinstance(found, ReadError):
                errors.append(found)
                continue
            if found.id in ids:
                errors.append(ReadError(found.source, f"article id {found.id!r} is already used "
                                                      f"by {ids[found.id]}; rename one file"))
                continue
            key = _text_key(found.body)
            if key in texts:
                errors.append(ReadError(found.source, f"same text as {texts[key]}; skipped as a duplicate"))
                continue
            ids[found.id] = found.source
            texts[key] = found.source
            articles.append(found)
    return articles, errors
