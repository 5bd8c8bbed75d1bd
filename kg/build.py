"""``kg build``: articles in, named graphs out.

Reads the corpus, skips articles whose stamp (content hash + rules
fingerprint) the store already holds, extracts the others — in this process or
spread over ``jobs`` worker processes, each loading the spaCy model once — and
writes their named graphs from this process, in batches. A changed article's
graph is swapped in one transaction; an interrupted build leaves every previous
graph intact. One bad article is reported and skipped; it never stops the others.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.corpus import Article, ReadError, read_corpus, reading_rules
from kg.rdf import article_iri, article_triples
from kg.store import GraphData, KGStore, encode_graph

#: The pid of the build that started the fork server, read by it (kg.worker) to die with it.
PARENT_ENV = "KG_BUILD_PARENT"

if TYPE_CHECKING:
    from kg.extract import Extractor
    from kg.ontology import Violation

DEFAULT_CORPUS = "seeds"
# graphs are written in batches of about this many triples: one transaction or bulk load each
BATCH_TRIPLES = 100_000

# The rules are part of what an article's graph depends on: a change to them
# must rebuild every article even when its text did not change.
_RULES_DIR = Path(__file__).parent / "rules"


class WorkersStopped(RuntimeError):
    """The extraction processes of ``--jobs N`` died or could not start (the articles
    extracted before that are written)."""


@dataclass
class BuildReport:
    read: int = 0
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    # articles kept but worth a look ("text ends mid-sentence"), as "source: warning"
    warnings: list[str] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    # with validate: the articles whose graph violates a shape, kept out of the store
    rejected: list[tuple[str, list[Violation]]] = field(default_factory=list)
    # article graphs an interrupted build left without their stamp (kg.store.incomplete_articles):
    # those this build read again are rebuilt, the others removed
    redone: list[str] = field(default_factory=list)
    removed_incomplete: list[str] = field(default_factory=list)
    # the triples the store holds for the graphs this build wrote (each graph's distinct triples)
    triples: int = 0
    facts: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.rejected

    def summary(self) -> str:
        parts = [
            f"{self.read} article(s) read",
            f"{len(self.built)} built",
            f"{len(self.unchanged)} unchanged",
            f"{self.facts} facts",
            f"{self.triples} triples stored",
        ]
        if self.redone:
            parts.append(f"{len(self.redone)} left incomplete by an interrupted build and rebuilt")
        if self.removed_incomplete:
            parts.append(f"{len(self.removed_incomplete)} left incomplete by an interrupted build and removed "
                         "(not in this build's files: build them again)")
        if self.undated:
            parts.append(f"{len(self.undated)} undated")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        if self.rejected:
            parts.append(f"{len(self.rejected)} rejected by the shapes (not stored)")
        if self.errors:
            parts.append(f"{len(self.errors)} skipped with errors")
        return ", ".join(parts)


def rules_fingerprint(rules: str | Path | None = None) -> str:
    """A digest of the data files extraction depends on: the packaged ones (dates,
    furniture, and the default rules), plus the folder ``rules`` when one is given."""
    digest = hashlib.sha256()
    folders = [_RULES_DIR] + ([Path(rules)] if rules is not None else [])
    for folder in folders:
        for path in sorted(folder.rglob("*.toml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(
    paths: Iterable[str | Path],
    store: KGStore,
    *,
    force: bool = False,
    jobs: int = 1,
    on_article: Callable[[str, str, BuildReport], None] | None = None,
    batch_triples: int = BATCH_TRIPLES,
    rules: str | Path | None = None,
    validate: bool = False,
) -> BuildReport:
    """Build (or update) the store from articles; see the module doc.

    ``rules``: a folder laid out like ``kg/rules/fr`` (a copy you edited) to extract with
    instead of the packaged rules; articles built with other rules are rebuilt.
    ``validate``: check each new graph against the SHACL shapes before it is written; a graph
    that violates one is not written (the article's previous graph, if any, stays) and is
    listed in ``report.rejected`` with its violations.
    ``on_article(source, what, report)`` is called once per article with ``what`` one of
    built, unchanged, rejected, error (the report holds the running totals).
    """
    if rules is not None:
        rules = str(Path(rules).resolve())
        try:
            _extractor(rules)  # a mistake in the rules stops the build before any article
        except OSError as exc:
            from kg.rules import RuleError

            raise RuleError(Path(rules), None, None, f"not a rules folder: {exc}") from exc
    report = BuildReport()
    # a language folder is read as one unit: its furniture, language check and dates too
    articles, errors = read_corpus(paths, **(reading_rules(rules) if rules is not None else {}))
    report.errors.extend(errors)
    report.read = len(articles)
    fingerprint = rules_fingerprint(rules)
    stored = store.article_hashes()
    known = {} if force else stored
    incomplete = set(store.incomplete_articles())
    sources = store.article_sources() if stored else {}
    todo: list[tuple[Article, str, str | None]] = []
    for article in articles:
        earlier = sources.get(str(article_iri(article.id)))
        if earlier is not None and _file_name(earlier) != _file_name(article.source):
            # "Rapport annuel.txt" then "rapport-annuel.txt": one id, two files; replacing the
            # first article with the second would lose it without a word
            report.errors.append(ReadError(article.source, f"article id {article.id!r} is already used in the "
                                                           f"store by {earlier}; rename one file, or "
                                                           f"kg remove {article.id} first"))
            _notify(on_article, article.source, "error", report)
            continue
        stamp = _stamp(article, fingerprint)
        if article.undated:
            report.undated.append(article.source)
        report.warnings.extend(f"{article.source}: {warning}" for warning in article.warnings)
        if known.get(str(article_iri(article.id))) == stamp:
            report.unchanged.append(article.source)
            _notify(on_article, article.source, "unchanged", report)
        else:
            todo.append((article, stamp, rules))
    # an unstamped graph may hold part of an article only: each goes now, so no query reads half
    # an article as a whole; those this build extracts again are written anew (report.redone)
    again = {str(article_iri(article.id)) for article, _, _ in todo}
    for name in sorted(incomplete):
        store.remove_graph(URIRef(name))
        if name not in again:
            report.removed_incomplete.append(name)
    if not todo:
        return report  # nothing changed: nothing is written
    shapes = None
    if validate:
        from kg.ontology import default_shapes
        from kg.validation import check_graph

        shapes = default_shapes()  # a broken shapes file stops the build before any article

    pending: list[GraphData] = []

    def flush() -> None:
        report.triples += store.write_graphs(pending, existing=stored)
        pending.clear()

    pending_triples = 0
    try:
        for source, data, facts, error in _extract_all(todo, jobs, rules):
            if data is None:
                report.errors.append(ReadError(source, error or "extraction failed"))
                _notify(on_article, source, "error", report)
                continue
            violations = check_graph(data, shapes=shapes) if shapes is not None else []
            if violations:
                report.rejected.append((source, violations))
                _notify(on_article, source, "rejected", report)
                continue
            pending.append(data)
            pending_triples += len(data)
            if data.name in incomplete:
                report.redone.append(source)
            report.facts += facts
            report.built.append(source)
            _notify(on_article, source, "built", report)
            if pending_triples >= batch_triples:
                flush()
                pending_triples = 0
    except WorkersStopped:
        flush()  # what was extracted is kept
        raise
    flush()
    return report


Outcome = tuple[str, GraphData | None, int, str | None]


def extract_graph(article: Article, stamp: str, rules: str | None = None) -> Outcome:
    """One article to its encoded graph: (source, graph or None, number of facts, error)."""
    try:
        facts = _extractor(rules).extract(article)
        facts.article = _with_stamp(article, stamp)
        data = encode_graph(article_iri(article.id), article_triples(facts))
    except Exception as exc:  # one article's failure must not stop the corpus
        return article.source, None, 0, f"extraction failed: {type(exc).__name__}: {exc}"
    return article.source, data, len(facts.facts), None


def _extractor(rules: str | None) -> Extractor:
    from kg.extract import default_extractor

    return default_extractor() if rules is None else _custom_extractor(rules)


@lru_cache(maxsize=2)
def _custom_extractor(rules: str) -> Extractor:
    from kg.corpus import reading_rules
    from kg.extract import Extractor
    from kg.rules import load_rulebook

    return Extractor(load_rulebook(Path(rules)), date_rules=reading_rules(rules)["dates"])


def _extract_all(todo: list[tuple[Article, str, str | None]], jobs: int, rules: str | None) -> Iterator[Outcome]:
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    jobs = min(jobs, len(todo))
    if jobs <= 1:
        for item in todo:
            yield extract_graph(*item)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Workers are forked from a fork server, a fresh process that loaded the model once
    # (kg.worker); never from this process, which holds RocksDB's threads and file
    # handles. An executor, not multiprocessing.Pool: a worker that cannot start breaks
    # the build with an error instead of being respawned for ever.
    # one core per worker: BLAS threads would fight over the same cores. Set before the fork
    # server starts, since it loads numpy for every worker.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ[PARENT_ENV] = str(os.getpid())  # the fork server it starts dies with it (kg.worker)
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg.worker"])
    else:  # no fork server (Windows, macOS without it): each worker loads the model itself
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(rules_fingerprint(), rules))
    try:
        # in order, so that the store is written in the same order whatever the number of jobs
        yield from pool.map(_extract_packed, todo, chunksize=2)
    except BrokenProcessPool as exc:
        raise WorkersStopped(f"the extraction worker processes stopped ({exc}); "
                             "run with --jobs 1 to see the error in this process") from exc
    finally:  # on an error or an interrupt, drop the articles not yet started
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(fingerprint: str, rules: str | None = None) -> None:
    import sys

    from kg.worker import die_with_parent

    # a worker dies with the fork server that started it (or, without one, with the build)
    forked_from = sys.modules["kg.worker"].FORK_SERVER if "kg.worker" in sys.modules else None
    die_with_parent(forked_from if forked_from != os.getpid() else None)
    _init_worker(fingerprint, rules)


def _init_worker(fingerprint: str, rules: str | None = None) -> None:
    import sys

    from kg.extract import default_extractor

    preloaded = sys.modules.get("kg.worker")
    if preloaded is not None and fingerprint != preloaded.LOADED_WITH:
        default_extractor.cache_clear()  # the rules changed since the fork server loaded them
    _extractor(rules)


def _extract_packed(item: tuple[Article, str, str | None]) -> Outcome:
    return extract_graph(*item)


def _stamp(article: Article, fingerprint: str) -> str:
    return f"{article.content_hash}:{fingerprint}"


def _with_stamp(article: Article, stamp: str) -> Article:
    from dataclasses import replace

    return replace(article, content_hash=stamp)


def _file_name(source: str) -> str:
    """The file part of a source ("seeds/a.txt" -> "a.txt"; "feed.jsonl:3" keeps its line): the
    same file reached from another folder or working directory is the same article."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _notify(callback: Callable[[str, str, BuildReport], None] | None, source: str, what: str,
            report: BuildReport) -> None:
    if callback is not None:
        callback(source, what, report)


@dataclass
class PublishReport(BuildReport):
    outputs: dict[str, str] = field(default_factory=dict)


def build_and_publish(
    paths: Iterable[str | Path],
    store: KGStore,
    *,
    force: bool = False,
    jobs: int = 1,
    out_dir: str | Path | None = None,
    on_article: Callable[[str, str, BuildReport], None] | None = None,
    rules: str | Path | None = None,
    validate: bool = False,
) -> PublishReport:
    """The main job: build, then (with ``out_dir``) write graph.ttl and graph.html there."""
    report = PublishReport(**vars(build(paths, store, force=force, jobs=jobs, on_article=on_article, rules=rules,
                                        validate=validate)))
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
