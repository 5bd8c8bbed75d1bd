"""``kg build``: articles in, named graphs out.

Reads the corpus, skips articles whose content hash the store already holds,
extracts the others one by one and replaces each one's named graph. One bad
article is reported and skipped; it never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus import Article, ReadError, read_corpus
from kg.rdf import article_iri, article_triples
from kg.store import KGStore

DEFAULT_CORPUS = "seeds"

# The rules are part of what an article's graph depends on: a change to them
# must rebuild every article even when its text did not change.
_RULES_DIR = Path(__file__).parent / "rules"


@dataclass
class BuildReport:
    read: int = 0
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    triples: int = 0
    facts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [
            f"{self.read} article(s) read",
            f"{len(self.built)} built",
            f"{len(self.unchanged)} unchanged",
            f"{self.facts} facts",
            f"{self.triples} triples written",
        ]
        if self.undated:
            parts.append(f"{len(self.undated)} undated")
        if self.errors:
            parts.append(f"{len(self.errors)} skipped with errors")
        return ", ".join(parts)


def rules_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(_RULES_DIR.rglob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(
    paths: Iterable[str | Path],
    store: KGStore,
    *,
    force: bool = False,
    on_article: Callable[[str, str], None] | None = None,
) -> BuildReport:
    """Build (or update) the store from articles; see the module doc."""
    from kg.extract import extract

    report = BuildReport()
    articles, errors = read_corpus(paths)
    report.errors.extend(errors)
    report.read = len(articles)
    fingerprint = rules_fingerprint()
    known = {} if force else store.article_hashes()
    for article in articles:
        iri = article_iri(article.id)
        stamp = _stamp(article, fingerprint)
        if article.undated:
            report.undated.append(article.source)
        if known.get(str(iri)) == stamp:
            report.unchanged.append(article.source)
            _notify(on_article, article.source, "unchanged")
            continue
        try:
            facts = extract(article)
            stamped = _with_stamp(article, stamp)
            facts.article = stamped
            triples = list(article_triples(facts))
        except Exception as exc:  # one article's failure must not stop the corpus
            report.errors.append(ReadError(article.source, f"extraction failed: {type(exc).__name__}: {exc}"))
            _notify(on_article, article.source, "error")
            continue
        report.triples += store.replace_graph(iri, triples)
        report.facts += len(facts.facts)
        report.built.append(article.source)
        _notify(on_article, article.source, "built")
    return report


def _stamp(article: Article, fingerprint: str) -> str:
    return f"{article.content_hash}:{fingerprint}"


def _with_stamp(article: Article, stamp: str) -> Article:
    from dataclasses import replace

    return replace(article, content_hash=stamp)


def _notify(callback: Callable[[str, str], None] | None, source: str, what: str) -> None:
    if callback is not None:
        callback(source, what)


@dataclass
class PublishReport(BuildReport):
    outputs: dict[str, str] = field(default_factory=dict)


def build_and_publish(
    paths: Iterable[str | Path],
    store: KGStore,
    *,
    force: bool = False,
    out_dir: str | Path | None = None,
    on_article: Callable[[str, str], None] | None = None,
) -> PublishReport:
    """The main job: build, then (with ``out_dir``) write graph.ttl and graph.html there."""
    report = PublishReport(**vars(build(paths, store, force=force, on_article=on_article)))
    if out_dir is not None:
        from kg.export import export
        from kg.viz import write_html

        out = Path(out_dir)
        report.outputs["turtle"] = str(export(store, out / "graph.ttl", "turtle"))
        report.outputs["html"] = str(write_html(store.dataset, out / "graph.html").path)
    return report


def remove_article(store: KGStore, article: str) -> str:
    """Drop an article's graph, named by id, file name/path or IRI; returns its IRI."""
    graphs = {str(g): g for g in store.article_graphs()}
    candidates = [article, str(article_iri(Path(article).stem.lower()))]
    for candidate in candidates:
        if candidate in graphs:
            store.remove_graph(graphs[candidate])
            return candidate
    raise LookupError(f"no article {article!r} in the store ({len(graphs)} articles there)")
