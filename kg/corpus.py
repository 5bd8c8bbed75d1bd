"""Read news articles from files into clean ``Article`` records.

The reader finds the publication date wherever the text gives it (a date prefix
on the first line, a "published on ... by ..." line, a dateline), the title, the
byline and the URL, and strips page furniture. Which lines are furniture is data:
``kg/rules/fr/furniture.toml``; date lines are read by :mod:`kg.dates`.

``Article.body`` is the text every later stage runs on, and evidence offsets
point into it, so it is built once here and never re-cleaned downstream.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.dates import (
    HeaderMatch,
    PartialDate,
    RuleFileError,
    convert_pattern,
    load_toml,
    match_date_header,
    record_text,
    rule_line,
)

__all__ = [
    "DEFAULT_FURNITURE_PATH",
    "READERS",
    "Article",
    "CorpusError",
    "Furniture",
    "ReadError",
    "load_furniture",
    "read_article",
    "read_corpus",
    "slugify",
]

DEFAULT_FURNITURE_PATH = Path(__file__).parent / "rules" / "fr" / "furniture.toml"

# a title is a short line of one sentence; longer first lines are the lead paragraph
TITLE_MAX_LENGTH = 200
# a byline is a short name, not a sentence
NAME_MAX_LENGTH = 60
NAME_MAX_WORDS = 6
# header kinds, most trusted first: the page's own "published" line beats a dateline
_DATE_PRIORITY = ("published", "dateline", "updated")
# spaCy and the patterns expect the straight apostrophe; same length, so nothing shifts
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_OPENERS = "«\"“‘([¿¡"
_CLOSERS = "»\"”’)]'"


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


# --------------------------------------------------------------------------- readers


class _BadFile(Exception):
    """A reader's complaint about a file's content (becomes a CorpusError)."""


def _read_plain_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        raise _BadFile(f"not valid UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); "
                       "re-save the file as UTF-8") from exc
    return text


# suffix -> reader turning the file's bytes into plain text with one paragraph a line
# (or blank-line separated); .md / .html / .jsonl readers go here
READERS: dict[str, Callable[[bytes], str]] = {".txt": _read_plain_text}
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


@dataclass
class _Page:
    """Mutable state while one file's lines are sorted into text and furniture."""

    lines: list[str]
    removed: list[bool]
    headers: list[HeaderMatch]
    author: str | None = None
    url: str | None = None


def _parse(text: str, furniture: Furniture) -> tuple[str, PartialDate | None, str, str | None,
                                                     str | None]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_APOSTROPHES)
    lines = [_clean_line(line) for line in text.split("\n")]
    if not any(lines):
        raise _BadFile("no text (only whitespace)")
    page = _Page(lines, [not line for line in lines], [])
    first = next(i for i, line in enumerate(lines) if line)
    first_content: int | None = None
    byline_author: str | None = None

    for i, line in enumerate(lines):
        if page.removed[i]:
            continue
        header = match_date_header(line, first_line=(i == first))
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


def read_article(path: str | Path, *, furniture: Furniture | None = None) -> Article:
    """Read one article file; raise CorpusError naming the file when it cannot be read."""
    source = str(path)
    file = Path(path)
    reader = READERS.get(file.suffix.lower())
    if reader is None:
        raise CorpusError(source, f"unsupported file type {file.suffix or '(none)'!r} "
                                  f"(supported: {', '.join(sorted(READERS))})")
    try:
        raw = file.read_bytes()
    except IsADirectoryError:
        raise CorpusError(source, "is a folder, not an article file") from None
    except FileNotFoundError:
        raise CorpusError(source, "no such file") from None
    except OSError as exc:
        raise CorpusError(source, f"cannot read file: {exc.strerror}") from exc
    if not raw:
        raise CorpusError(source, "empty file")
    try:
        title, date, body, author, url = _parse(reader(raw), furniture or _default_furniture())
    except _BadFile as exc:
        raise CorpusError(source, str(exc)) from None
    digest = hashlib.sha256(raw).hexdigest()
    article_id = slugify(file.stem) or f"article-{digest[:16]}"
    return Article(article_id, title, date, body, source, url, author, digest)


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
            if child.is_file() and child.suffix.lower() in READERS \
                    and child.stem.lower() not in _SKIPPED_STEMS:
                yield child


def read_corpus(paths: Iterable[str | Path], *, furniture: Furniture | None = None
                ) -> tuple[list[Article], list[ReadError]]:
    """Read files and folders (recursively, sorted); a bad file is reported, never fatal."""
    articles: list[Article] = []
    errors: list[ReadError] = []
    seen_files: set[Path] = set()
    ids: dict[str, str] = {}
    for path in _expand(paths):
        resolved = Path(path).resolve()
        if resolved in seen_files:
            continue  # the same file named twice (a folder and one of its files)
        seen_files.add(resolved)
        try:
            article = read_article(path, furniture=furniture)
        except CorpusError as exc:
            errors.append(ReadError(exc.source, exc.message))
            continue
        if article.id in ids:
            errors.append(ReadError(article.source, f"article id {article.id!r} is already used "
                                                    f"by {ids[article.id]}; rename one file"))
            continue
        ids[article.id] = article.source
        articles.append(article)
    return articles, errors
