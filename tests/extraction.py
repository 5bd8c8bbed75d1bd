"""Invented text through the default extractor, as one article: the helper every
extraction test shares."""

from __future__ import annotations

from kg.corpus import Article
from kg.dates import PartialDate
from kg.extract import ArticleFacts, Fact, default_extractor

ARTICLE_DATE = PartialDate(2024, 3, 5)


def article(text: str, date: PartialDate | None = ARTICLE_DATE) -> Article:
    return Article(id="invented", title="invented", date=date, body=text, source="invented.txt")


def extracted(text: str, date: PartialDate | None = ARTICLE_DATE) -> ArticleFacts:
    """What the extractor finds in ``text``, taken as a whole article of that date."""
    return default_extractor().extract(article(text, date))


def facts(text: str, kind: str | None = None, date: PartialDate | None = ARTICLE_DATE) -> list[Fact]:
    """The facts of ``text``, only those of ``kind`` when it is given."""
    return [f for f in extracted(text, date).facts if kind is None or f.kind == kind]
