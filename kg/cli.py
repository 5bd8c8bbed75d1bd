"""The ``kg`` command line: each command parses its options and calls one library function.

Imports of the heavy parts (spaCy, pyvis, pySHACL) happen inside the commands
that need them, so ``kg --help``, ``kg query`` and ``kg export`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from kg.query import DEFAULT_MAX_MEMORY_MB
from kg.query import FORMATS as QUERY_FORMATS
from kg.safe_text import printable as _printable
from kg.store import DEFAULT_LOCATION, ENV_VAR, KGStore, StoreError, open_store

EXIT_SKIPPED = 3
EXIT_VIOLATIONS = 3


def _out(message: str, *, nl: bool = True) -> None:
    """Print a result to standard output, checked: a write that fails (a full disk, a closed
    pipe) is an error with a non-zero exit, never output silently cut short."""
    try:
        click.echo(message, nl=nl)
        sys.stdout.flush()
    except OSError as exc:
        # what is left in the buffer cannot be written either: nothing to flush at exit
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        raise click.ClickException(f"cannot write to standard output: {exc.strerror or exc}") from None


def store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` of a command that reads: the store must exist (a typo is an error)."""
    return _store_option(command, write=False)


def writing_store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` of a command that writes: a new or empty folder becomes a store."""
    return _store_option(command, write=True)


def _store_option(command: Callable[..., Any], *, write: bool) -> Callable[..., Any]:
    """``--store``: a folder (embedded Oxigraph), ``memory`` or a SPARQL endpoint URL."""

    @click.option(
        "--store", "store_location", envvar=ENV_VAR, default=DEFAULT_LOCATION, show_default=True,
        help=f"Folder of the embedded store, 'memory', or an http(s) SPARQL endpoint (env {ENV_VAR}).",
    )
    @wraps(command)
    def wrapper(*args: Any, store_location: str, **kwargs: Any) -> Any:
        try:
            # (kg query --update writes too)
            store = open_store(store_location, write=write or bool(kwargs.get("allow_update")))
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        with store:
            try:
                return command(*args, store=store, **kwargs)
            except StoreError as exc:  # a server that stops answering mid-command, a failed write
                raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group()
@click.version_option(package_name="dealkg")
def cli() -> None:
    """dealkg: turn French news about corporate deals into a knowledge graph.

    Example:

        kg build && kg query queries/bids.rq && kg viz -o out/graph.html
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--force", is_flag=True, help="Rebuild every article, even unchanged ones.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Extraction processes (0: one per core); the store is written by this process.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Also write OUT/graph.ttl and OUT/graph.html.")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False),
              help="Read and extract with this language folder (an edited copy of kg/rules/fr: rules, "
                   "lexicons, dates, furniture) instead of the packaged one.")
@click.option("--validate", "validate_graphs", is_flag=True,
              help="Check each new graph against ontology/shapes.ttl before it is written; one that "
                   "violates a shape is reported and not written.")
@writing_store_option
def build(store: KGStore, paths: tuple[str, ...], force: bool, jobs: int, out_dir: str | None,
          rules_dir: str | None, validate_graphs: bool) -> None:
    """Read articles (default: seeds/), extract facts, write the store.

    Re-running is idempotent: unchanged articles are skipped and a changed
    article replaces its own named graph. Exit code 0 when every file was
    built, 3 when some were skipped with an error or (with --validate)
    rejected by the shapes (each is named on stderr).

    Example:

    \b
        kg build seeds/ --jobs 2 --out out
        kg build seeds/ --rules my_rules/fr --store my_store
        kg build seeds/ --validate
    """
    import time

    from kg.build import DEFAULT_CORPUS, WorkersStopped, build_and_publish
    from kg.dates import RuleFileError
    from kg.ontology import ShapesError
    from kg.rules import RuleError

    started = time.perf_counter()
    progress = _ProgressBar() if sys.stderr.isatty() else None  # quiet in pipes and CI
    try:
        report = build_and_publish(paths or (DEFAULT_CORPUS,), store, force=force, jobs=jobs, out_dir=out_dir,
                                   on_article=progress, rules=rules_dir, validate=validate_graphs)
    except (WorkersStopped, RuleError, RuleFileError, ShapesError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if progress is not None:
            progress.close()
    for error in report.errors:
        click.echo(_printable(f"skipped {error.source}: {error.message}"), err=True)
    for source, violations in report.rejected:
        for violation in violations:
            click.echo(_printable(f"invalid {source}: {violation.line()} (not stored)"), err=True)
    for source in report.undated:
        click.echo(_printable(f"undated {source}: no publication date found (kept)"), err=True)
    for warning in report.warnings:
        click.echo(_printable(f"warning {warning}"), err=True)
    _out(f"{report.summary()} in {time.perf_counter() - started:.1f}s")
    _out(f"store: {store.location}")
    for label, path in report.outputs.items():
        _out(f"{label}: {path}")
    if not report.ok:
        sys.exit(EXIT_SKIPPED)


class _ProgressBar:
    """One line on stderr, redrawn at most ten times a second: articles, facts, errors, rate."""

    def __init__(self) -> None:
        import time

        self._clock = time.perf_counter
        self._start = self._clock()
        self._last = float("-inf")  # the first article is shown at once
        self._drawn = False

    def __call__(self, source: str, what: str, report: Any) -> None:
        now = self._clock()
        done = len(report.built) + len(report.unchanged) + len(report.errors) + len(report.rejected)
        if now - self._last < 0.1 and done < report.read:
            return
        self._last = now
        total = max(report.read, 1)
        width = 24
        filled = min(width, width * done // total)
        rate = len(report.built) / max(now - self._start, 1e-9)
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {done}/{report.read} articles  "
                f"{report.facts} facts  {len(report.errors)} errors  {rate:.1f} articles/s")
        click.echo(f"\r{line}", err=True, nl=False)
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            click.echo("", err=True)


@cli.command()
@click.argument("sparql")
@click.option("--format", "-f", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="SELECT and ASK: table (the default, for people), or the W3C SPARQL results formats json, "
                   "xml, csv, tsv. CONSTRUCT and DESCRIBE: turtle (the default) or ntriples.")
@click.option("--update", "allow_update", is_flag=True,
              help="Allow a SPARQL Update (INSERT, DELETE, DROP...): it changes the store.")
@click.option("--allow-network", is_flag=True,
              help="Allow SERVICE and LOAD, which make the store fetch from (and send to) the network.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Seconds a query may run (on the embedded store) or wait (on an endpoint).")
@click.option("--max-memory", type=click.IntRange(min=64), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              metavar="MB", help="Memory a query on the embedded store and its result may take.")
@store_option
def query(store: KGStore, sparql: str, fmt: str | None, allow_update: bool, allow_network: bool, timeout: float,
          max_memory: int) -> None:
    """Run a SPARQL query (text, a .rq file, or - for standard input) on the store.

    The dkg:, id:, schema:, rdfs:, skos: ... prefixes are predeclared. Queries
    are read-only: an update is rejected unless --update is given. They are
    closed: SERVICE and LOAD are rejected unless --allow-network is given. A
    malformed query is reported with its line and column.

    Example:

    \b
        kg query queries/bids.rq --format csv
        kg query "DESCRIBE org:bytedance" --format ntriples
        cat queries/bids.rq | kg query - --format json
    """
    from kg.query import QueryError, answer, read_query

    try:
        text = answer(store, read_query(sparql), fmt, allow_update=allow_update, allow_network=allow_network,
                      timeout=timeout, max_memory_mb=max_memory)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from exc
    _out(text, nl=not text.endswith("\n"))


@cli.command()
@click.option("--format", "-f", "fmt",
              type=click.Choice(["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "cyjs"]),
              default="turtle", show_default=True,
              help="RDF: turtle, trig, nquads, jsonld. The actor graph (as kg viz draws it), for Gephi "
                   "and Cytoscape: graphml, gexf, cyjs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="File to write; '-' or none: standard output. A link is written through.")
@store_option
def export(store: KGStore, fmt: str, output: str | None) -> None:
    """Write the graph as Turtle, TriG, N-Quads or JSON-LD, or the actor graph as GraphML, GEXF
    or Cytoscape JSON (sorted, deterministic).

    Example:

    \b
        kg export -f trig -o out/graph.trig
        kg export -f gexf -o out/actors.gexf
    """
    from kg.export import export as export_file
    from kg.export import serialize

    if output and output != "-":
        try:
            written = export_file(store, output, fmt)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc} "
                                       "(a file already there is left as it was)") from None
        if written.is_file():  # (not a device or a pipe, which may be standard output itself)
            _out(f"wrote {written}")
    else:
        _out(serialize(store, fmt), nl=False)


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="out/graph.html", show_default=True)
@click.option("--max-nodes", type=int, default=400, show_default=True,
              help="Above this, draw only the most central actors.")
@store_option
def viz(store: KGStore, output: str, max_nodes: int) -> None:
    """Write the interactive HTML graph of the actors (one offline file).

    Example:

        kg viz -o out/graph.html
    """
    from kg.viz import write_html

    report = write_html(store.dataset, output, max_nodes=max_nodes)
    _out(f"wrote {report.path} ({report.nodes_drawn} actors, {report.edges_drawn} relations"
               + (f", {report.nodes_left_out} less central actors left out" if report.nodes_left_out else "")
               + ")")


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def validate(store: KGStore, fmt: str) -> None:
    """SHACL-validate the store against ontology/shapes.ttl, article by article.

    Each article's graph is checked on its own, then the resources several
    articles describe are checked on their union. One line per violation: the
    article's file (or the articles, across them), focus node, path and the
    shape's message, which starts with its id (S07-EventEvidence). Exit code 0
    when the store conforms, 3 when there are violations, 1 when it cannot be
    validated.

    Example:

    \b
        kg validate
        kg validate --format json
    """
    from kg.ontology import ShapesError
    from kg.validation import validate_store

    try:
        report = validate_store(store)
    except ShapesError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        _out(report.to_json())
    else:
        for line in report.lines():
            _out(_printable(line))
    if not report.conforms:
        sys.exit(EXIT_VIOLATIONS)


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def stats(store: KGStore, fmt: str) -> None:
    """Counts, the most central actors and the connected groups.

    Example:

        kg stats --format json
    """
    import json

    from kg.stats import format_stats, graph_stats

    result = graph_stats(store.dataset)
    _out(json.dumps(result, ensure_ascii=False, indent=2) if fmt == "json" else format_stats(result))


@cli.command()
@click.argument("resource")
@store_option
def explain(store: KGStore, resource: str) -> None:
    """Every fact about a resource (IRI, org:… name or label), with its sentences and rules.

    Example:

        kg explain "Borelli Capital"
    """
    from kg.explain import NotFound
    from kg.explain import explain as explain_resource

    try:
        _out(explain_resource(store, resource))
    except NotFound as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.argument("name")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def deal(store: KGStore, name: str, fmt: str) -> None:
    """One deal's timeline across the articles: status changes, rejections, regulatory acts, deadlines.

    NAME is a bidder's or target's name or alias (case and accents aside; several words
    narrow it down) or a bid IRI. Each step has its date, its article and its sentence;
    when articles give the deal different statuses, the timeline says which says what.
    A name that several deals answer to lists them, with the IRI to ask for.

    Example:

    \b
        kg deal "Borelli Capital"
        kg deal bid:valmont-kesterel --format json
    """
    import json

    from kg.deals import AmbiguousDeal, DealNotFound, deal_timeline, format_candidates, format_timeline

    try:
        timeline = deal_timeline(store, name)
    except AmbiguousDeal as exc:
        raise click.ClickException(_printable_lines(format_candidates(exc))) from None
    except DealNotFound as exc:
        raise click.ClickException(_printable(str(exc))) from None
    if fmt == "json":
        _out(json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2))
    else:
        _out(_printable_lines(format_timeline(timeline)))


def _printable_lines(text: str) -> str:
    return "\n".join(_printable(line) for line in text.split("\n"))


@cli.command()
@click.argument("article")
@writing_store_option
def remove(store: KGStore, article: str) -> None:
    """Drop one article's named graph (by id, file name or IRI); other articles keep their facts.

    Example:

        kg remove 003_e9e4c306ac64db1a
    """
    from kg.build import remove_article

    try:
        _out(f"removed {remove_article(store, article)}")
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("eval")
@click.option("--set", "which", type=click.Choice(["seeds", "dev", "test", "all"]), default="seeds",
              show_default=True,
              help="seeds: seeds/; dev: tests/dev_articles (tuning); test: tests/test_articles (blind, "
                   "totals only); all: the three side by side.")
@click.option("--articles", type=click.Path(exists=True), help="Articles folder (overrides --set).")
@click.option("--gold", type=click.Path(exists=True, file_okay=False), help="Gold folder (overrides --set).")
@click.option("--errors", "show_errors", is_flag=True,
              help="Also list missed (-), wrong (+) and denied-yet-asserted (!) facts; not allowed on the test set.")
def evaluate(which: str, articles: str | None, gold: str | None, show_errors: bool) -> None:
    """Precision, recall and F1 per relation against a gold set.

    Example:

        kg eval --set dev
    """
    from kg.evaluate import GoldError, run_eval

    try:
        _out(run_eval(which, articles=articles, gold_folder=gold, show_errors=show_errors))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli()
