"""The benchmarks of issues 5, 14 and 15, in one run; ``bench/run`` calls this. Prints a Markdown report.

1. extraction words/s on one core against the bare ``fr_core_news_sm`` pipeline on the same text;
2. end-to-end ``kg build`` articles/s with ``--jobs 1`` and ``--jobs 2``, and an unchanged rebuild;
3. at one million triples: load into the default store against rdflib's Memory store, Turtle
   and JSON-LD export against rdflib, and the competency queries (``queries/*.rq``) against
   rdflib Memory;
4. ``kg validate`` on the built articles, against pySHACL per graph and against the previous
   ``kg validate`` (pySHACL on the union of the graphs, capped);
5. a corpus of ``--large`` articles (1,000): build time and peak memory, store size, ``kg
   validate`` and the competency queries on what the build wrote;
6. (``--only store``) what the store folder gains on disk: the write-ahead log and folder size
   while every article of the ``--articles`` store is replaced (``kg build --force``, then every
   statement changed), and the files read commands add;
7. the viewer at ``--viewer-articles`` (100, 200, 300): ``kg viz``, the time its page's data takes
   (the deal pane's ``kg.deals.deal_timelines`` against the graph and the timeline), the page's
   size with and without the deal pane's data, and the page in Debian's Chromium: time until
   usable, what a dense graph opens on, its labels' size on screen, the deal pane opening; and a
   synthetic page of 2,000 actors and 5,000 relations until usable, against the same graph in
   ``to_pyvis``'s page (vis-network alone).

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
    with open_store(location, write=False) as store:
        rows = len(run_query(store, text).rows)
        times, cpu = [], []
        for _ in range(5):
            started, started_cpu = time.perf_counter(), time.process_time()
            run_query(store, text)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    # CPU time too: on a shared machine the wall clock measures the neighbours as well
    return {"seconds": statistics.median(times), "cpu": min(cpu), "rows": rows}


def _query_child(location: str, query: Path, cap: float, *, full: bool = False) -> Any:
    """Median latency of one query in a fresh process (with ``full``: the step's whole result)."""
    command = [sys.executable, "-m", "bench.bench", "--step", "oxquery", location, str(query)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return f">{cap:g}s"
    if done.returncode != 0:
        return f"failed ({_MEMORY_LIMIT_GB} GB memory cap)" if "memory" in done.stderr.lower() or done.returncode < 0 \
            else "failed"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result if full else float(result["seconds"])


_MEMORY_LIMIT_GB = 8


def _limit_memory() -> None:
    import resource

    limit = _MEMORY_LIMIT_GB * 1024**3
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def step_validate(location: str, cap: float) -> dict[str, Any]:
    """``kg validate``'s library call on a built store, and the two ways it could be done instead."""
    import warnings

    from kg.ontology import load_shapes
    from kg.store import open_store
    from kg.validation import validate_store

    _limit_memory()
    warnings.simplefilter("ignore", DeprecationWarning)  # pyshacl's own use of rdflib
    with open_store(location, write=False) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = validate_store(store)
        ours = time.perf_counter() - started
        ours_cpu = time.process_time() - cpu
        names = store.graph_names()

        def per_graph() -> None:
            # pySHACL, the reference engine, on each graph copied into rdflib's memory (shapes parsed once)
            import pyshacl
            from rdflib import Graph

            shapes = load_shapes()
            for name in names:
                graph = Graph().parse(data=store.graph_ntriples(name).decode("utf-8"), format="nt")
                pyshacl.validate(graph, shacl_graph=shapes, inference="none")

        def union() -> None:
            # what kg validate did before: pySHACL given the store's Dataset (the union of its graphs)
            import pyshacl

            pyshacl.validate(store.dataset, shacl_graph=load_shapes(), inference="none")

        pyshacl_per_graph = _capped(cap, per_graph)
        previous = _capped(cap, union)
    return {"graphs": report.graphs, "triples": report.triples, "shared": report.shared,
            "violations": len(report.findings), "ours": ours, "ours_cpu": ours_cpu,
            "pyshacl_per_graph": pyshacl_per_graph, "previous": previous}


class _PeakMemory:
    """The highest sum of PSS (proportional set size: a page shared by n processes counts 1/n in
    each) of a process and all its descendants, sampled every 50 ms from /proc (Linux)."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(stat.parent.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += parents.get(pid, [])
        return tree

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, sum(self._pss(pid) for pid in self._tree()))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class _FolderWatch:
    """The largest write-ahead log (``*.log``, in total) and folder size a store reaches,
    sampled every 10 ms while a command writes it."""

    def __init__(self, folder: Path) -> None:
        import threading

        self.folder, self.log, self.size = folder, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            log, size = _log_and_size(self.folder)
            self.log, self.size = max(self.log, log), max(self.size, size)

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        self._thread.join()
        return self.log, self.size


def _log_and_size(folder: Path) -> tuple[int, int]:
    log = size = 0
    for entry in list(folder.iterdir()) if folder.is_dir() else []:
        try:
            length = entry.stat().st_size
        except FileNotFoundError:  # deleted by RocksDB meanwhile
            continue
        size += length
        log += length if entry.suffix == ".log" else 0
    return log, size


def step_replace(location: str, mode: str) -> dict[str, Any]:
    """Replace every article graph of a built store through ``KGStore.write_graphs``, as a build
    that re-extracts them does; ``mode`` ``changed``: every statement differs (its subject is
    renamed), the worst case for the write-ahead log."""
    from kg.build import BATCH_TRIPLES
    from kg.store import _STAMP_PREDICATE, GraphData, open_store

    store = open_store(location)
    graphs = []
    for name in sorted(str(g) for g in store.article_graphs()):
        lines = [line[:-2] for line in store.graph_ntriples(name).decode("utf-8").splitlines()]
        body = [line for line in lines if f" {_STAMP_PREDICATE} " not in line]
        stamp = tuple(line for line in lines if f" {_STAMP_PREDICATE} " in line)
        if mode == "changed":
            body = [line.replace(">", "-v2>", 1) for line in body]
        graphs.append(GraphData(name, tuple(body), stamp))
    names = [g.name for g in graphs]
    watch = _FolderWatch(Path(location))
    started = time.perf_counter()
    batch: list[GraphData] = []
    size = 0
    for data in graphs:
        batch.append(data)
        size += len(data)
        if size >= BATCH_TRIPLES:
            store.write_graphs(batch, existing=names)
            batch, size = [], 0
    store.write_graphs(batch, existing=names)
    store.close()
    seconds = time.perf_counter() - started
    log, peak = watch.stop()
    return {"seconds": seconds, "triples": sum(len(g) for g in graphs), "peak_log": log, "peak_size": peak,
            "after": _log_and_size(Path(location))}


def _best_of(runs: int, work: Any) -> tuple[float, Any]:
    """The shortest of ``runs`` wall-clock times of ``work()`` (the least disturbed by other work), and its result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def step_viewer(location: str, page_path: str) -> dict[str, Any]:
    """The viewer's data on a built store: the deal pane's (``kg.deals.deal_timelines``) against the
    rest of the page's, ``kg viz``'s page (written to ``page_path``) and its size with and without
    the deal pane's data."""
    from kg.deals import deal_timelines
    from kg.graph import actor_graph, events_timeline
    from kg.store import open_store
    from kg.viz import render_html

    with open_store(location, write=False) as store:
        dataset = store.dataset
        deals_store, timelines = _best_of(3, lambda: deal_timelines(store))
        deals_dataset, _ = _best_of(1, lambda: deal_timelines(dataset))
        graph_seconds, graph = _best_of(1, lambda: actor_graph(dataset))
        timeline_seconds, timeline = _best_of(1, lambda: events_timeline(dataset))
        cpu = time.process_time()
        render_seconds, (page, report) = _best_of(1, lambda: render_html(dataset, title="bench"))
        render_cpu = time.process_time() - cpu
        graph.graph["timeline"] = timeline  # the same page without the deal pane's data
        bare_seconds, (bare, _) = _best_of(1, lambda: render_html(graph, title="bench"))
    Path(page_path).write_text(page, encoding="utf-8")
    return {
        "deals": len(timelines), "records": sum(len(t.events) for t in timelines),
        "disagreeing": sum(1 for t in timelines if t.disagreement),
        "deal_timelines_store": deals_store, "deal_timelines_dataset": deals_dataset,
        "actor_graph": graph_seconds, "events_timeline": timeline_seconds,
        "render": render_seconds, "render_cpu": render_cpu, "render_without_deals": bare_seconds,
        "page_bytes": len(page.encode("utf-8")), "page_bytes_without_deals": len(bare.encode("utf-8")),
        "actors": report.nodes_drawn, "relations": report.edges_drawn,
    }


def step_browser(page_path: str) -> dict[str, Any]:
    """The page of :func:`step_viewer` in Debian's Chromium (as the browser tests drive it): time until it
    is laid out and usable, what a dense graph opens on, its labels' size on screen, and the deal pane."""
    from playwright.sync_api import sync_playwright

    url = Path(page_path).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        ready = time.perf_counter() - started
        opened = page.evaluate("""() => {
            const scale = dkg.network.getScale();
            const sizes = dkg.nodesView.get().map(n => (n.font && n.font.size || 14) * scale).sort((a, b) => a - b);
            return {actors: dkg.nodesView.length, relations: dkg.edgesView.length,
                    smallest_label_px: sizes.length ? sizes[0] : null,
                    median_label_px: sizes.length ? sizes[Math.floor(sizes.length / 2)] : null,
                    notice: document.getElementById('notice').innerText};
        }""")
        started = time.perf_counter()
        page.click("#bids li:first-child")
        page.wait_for_selector("#panel section.deal")
        deal_pane = time.perf_counter() - started
        pane_records = page.locator("#panel .deal-timeline li").count()
        started = time.perf_counter()
        if page.is_visible("#show-all"):
            page.click("#show-all")
        show_all = time.perf_counter() - started
        everything = page.evaluate("dkg.nodesView.length")
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
        browser.close()
    external = [u for u in requests if not u.startswith(("file://", "data:"))]
    return {"ready": ready, **opened, "deal_pane": deal_pane, "pane_records": pane_records,
            "show_all": show_all, "all_actors": everything, "heap_bytes": heap, "external_requests": len(external)}


def step_bigpage(folder: str) -> dict[str, Any]:
    """A synthetic graph of 2,000 actors and 5,000 relations (``bench.generate.synthetic_graph``) in
    Chromium: ``kg viz``'s page until usable (laid out, "Show all actors", an actor clicked, a relation
    kind unchecked: what the browser test does), against the baseline of the same graph drawn by
    ``to_pyvis``'s page (vis-network alone, the same options) until laid out."""
    from playwright.sync_api import sync_playwright

    from bench.generate import synthetic_graph
    from kg.viz import to_pyvis, write_html

    graph = synthetic_graph(2000, 5000)
    ours, baseline = Path(folder) / "big.html", Path(folder) / "big-pyvis.html"
    write_html(graph, ours, max_nodes=2000)
    to_pyvis(graph, notebook=False).write_html(str(baseline))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        started = time.perf_counter()
        page.goto(ours.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=300_000)
        ready = time.perf_counter() - started
        page.click("#show-all")
        shown = page.evaluate("dkg.nodesView.length")
        point = page.evaluate("""() => {
            const id = dkg.data.nodes.find(n => n.label === 'Actor 0').id;
            const p = dkg.network.canvasToDOM(dkg.network.getPositions([id])[id]);
            const r = document.querySelector('#graph canvas').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""")
        page.mouse.click(point["x"], point["y"])
        clicked = page.inner_text("#panel h3")
        page.uncheck("input[data-relation=bid]")
        usable = time.perf_counter() - started
        page.close()
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        started = time.perf_counter()
        page.goto(baseline.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=300_000)
        pyvis_ready = time.perf_counter() - started
        browser.close()
    return {"ready": ready, "usable": usable, "shown": shown, "clicked": clicked, "pyvis_ready": pyvis_ready}


def _measured_build(corpus: Path, store: Path, jobs: int) -> tuple[float, int]:
    """Wall clock and peak memory (PSS of the build and its workers) of ``kg build``."""
    started = time.perf_counter()
    with subprocess.Popen([KG, "build", str(corpus), "--store", str(store), "--jobs", str(jobs)], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as child:
        memory = _PeakMemory(child.pid)
        _, errors = child.communicate()
        peak = memory.stop()
    if child.returncode != 0:
        raise SystemExit(f"kg build failed:\n{errors.decode()[-2000:]}")
    return time.perf_counter() - started, peak


def _timed_kg(*args: str, ok: tuple[int, ...] = (0,)) -> float:
    """Wall clock of one kg command, start-up included (as a user waits for it)."""
    started = time.perf_counter()
    done = subprocess.run([KG, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in ok:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


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
    parser.add_argument("--large", type=int, default=1000, help="articles of the large corpus (section 5)")
    parser.add_argument("--only", choices=["all", "validate", "large", "store", "viewer", "queries"], default="all",
                        help="validate: build --articles and validate them; large: the large corpus alone; "
                             "queries: the competency queries alone on --large articles (or --store-dir); "
                             "store: the store folder's logs while replacing --articles articles; "
                             "viewer: kg viz's data, page and browser at --viewer-articles")
    parser.add_argument("--viewer-articles", default="100,200,300",
                        help="corpus sizes of the viewer section, comma-separated")
    parser.add_argument("--store-dir", help="with --only queries: a store already built to query (not rebuilt)")
    parser.add_argument("--cap", type=float, default=300, help="timeout for each rdflib load/export (s)")
    parser.add_argument("--query-cap", type=float, default=30, help="timeout for each rdflib query (s)")
    parser.add_argument("--validate-cap", type=float, default=120,
                        help="timeout for each pySHACL baseline of kg validate (s)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        steps = {"extraction": step_extraction, "rdflib": step_rdflib, "oxigraph": step_oxigraph,
                 "oxquery": step_oxquery, "validate": step_validate, "replace": step_replace,
                 "viewer": step_viewer, "browser": step_browser, "bigpage": step_bigpage}
        text_args = options.step in ("oxquery", "replace", "viewer", "browser", "bigpage")
        args: list[Any] = [options.args[0], *[a if text_args else float(a) for a in options.args[1:]]]
        print(json.dumps(steps[options.step](*args)))
        return

    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        print(f"# dealkg benchmarks, {time.strftime('%Y-%m-%d %H:%M')}\n")
        print(f"Machine: {_machine()}; load average {os.getloadavg()[0]:.1f} at the start.\n")
        if options.only == "all":
            _main_sections(options, work)
        if options.only in ("all", "validate"):
            _validate_section(options, work)
        if options.only in ("all", "large"):
            _large_section(options, work)
        if options.only in ("all", "store"):
            _store_section(options, work)
        if options.only in ("all", "viewer"):
            _viewer_section(options, work)
        if options.only == "queries":  # section 5 measures them in a whole run
            _queries_section(options, work)
        print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f} (above 1 means other work shared the "
              "two cores during the run).")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _corpus(work: Path, articles: int) -> Path:
    from bench.generate import generate

    corpus = work / f"corpus{articles}"
    if not corpus.exists():
        _say(f"generating {articles} articles in {corpus}")
        generate(articles, corpus, seed=5)
    return corpus


def _main_sections(options: argparse.Namespace, work: Path) -> None:
    """Extraction, builds, and the million-triple store against rdflib (sections 1-3)."""
    from bench.generate import generate

    corpus = _corpus(work, options.articles)
    small = work / "small"
    generate(100, small, seed=5)

    _say("1/7 extraction on one core")
    extraction = _child("extraction", str(small))
    # the same on real press (seeds and development set): denser in deals than the generator
    press = work / "press"
    press.mkdir()
    for article in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "dev_articles").glob("*.txt")]:
        shutil.copy(article, press / article.name)
    extraction_press = _child("extraction", str(press))

    _say("2/7 end-to-end builds")
    jobs1 = _kg_build(corpus, work / "store1", 1)
    rebuild = _kg_build(corpus, work / "store1", 1)
    jobs2 = _kg_build(corpus, work / "store2", 2)

    _say(f"3/7 replicating to {options.triples} triples; default store")
    nquads = work / "million.nq"
    triples = _million(work / "store1", nquads, options.triples)
    oxigraph = _child("oxigraph", str(nquads), str(options.query_cap))
    rdflib = _child("rdflib", str(nquads), str(options.cap), str(options.cap), str(options.query_cap))

    n = options.articles
    ratio = extraction["build_wps"] / extraction["bare_wps"]
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


def _validate_section(options: argparse.Namespace, work: Path) -> None:
    """kg validate on the --articles corpus, against pySHACL per graph and the previous kg validate."""
    store = work / "store1"
    if not store.exists():
        _say(f"building {options.articles} articles for kg validate")
        _kg_build(_corpus(work, options.articles), store, 2)
    _say(f"4/7 kg validate, {options.articles} articles (pySHACL baselines capped at {options.validate_cap:g} s)")
    command = _timed_kg("validate", "--store", str(store), ok=(0, 3))
    result = _child("validate", str(store), str(options.validate_cap))
    n = options.articles
    print(f"\n| `kg validate`, {n} generated articles ({result['graphs']} graphs, {result['triples']:,} triples, "
          f"{result['shared']} shared resources; {result['violations']} violations) | time | target |\n"
          "| --- | --- | --- |")
    print(f"| `kg validate` (command, wall clock, start-up included) | {_fmt(command)} | ≤ 10 s at 300 |")
    print(f"| its library call (`kg.validation.validate_store`), wall / CPU | {_fmt(result['ours'])} / "
          f"{_fmt(result['ours_cpu'])} | |")
    print(f"| baseline: pySHACL on each graph (in rdflib memory, shapes parsed once) | "
          f"{_fmt(result['pyshacl_per_graph'])} | |")
    print(f"| baseline: the previous `kg validate` (pySHACL on the store's union) | {_fmt(result['previous'])} | |")


def _large_section(options: argparse.Namespace, work: Path) -> None:
    """A corpus of --large articles built for real: build, memory, size, validate, queries."""
    from kg.store import open_store

    n = options.large
    corpus = _corpus(work, n)
    store = work / f"store{n}"
    _say(f"5/7 {n} articles: build --jobs 2, validate, queries")
    build, peak = _measured_build(corpus, store, 2)
    size = _size(store)
    with open_store(str(store), write=False) as opened:
        triples = len(opened)
        quads = len(opened.nquads().splitlines())
    validate = _timed_kg("validate", "--store", str(store), ok=(0, 3))
    queries = {q.stem: _query_child(str(store), q, options.query_cap) for q in QUERIES}
    print(f"\n| {n} generated articles (seed 5) | value | target |\n| --- | --- | --- |")
    print(f"| `kg build --jobs 2`, wall clock | {build:.1f} s ({n / build:.1f} articles/s) | |")
    print(f"| peak memory of the build (PSS of the build, fork server and workers) | {peak / 2**20:,.0f} MB | |")
    print(f"| store: {quads:,} quads ({triples:,} distinct triples), folder size | {size / 2**20:,.1f} MB | |")
    print(f"| `kg validate` (command, wall clock) | {_fmt(validate)} | |")
    for name, seconds in queries.items():
        print(f"| {name}.rq (median of 5 after a warm-up) | {_fmt(seconds, 'ms')} | ≤ 100 ms |")


def _queries_section(options: argparse.Namespace, work: Path) -> None:
    """Each competency query's latency on a store of --large articles (built, or --store-dir)."""
    n = options.large
    store = Path(options.store_dir) if options.store_dir else work / f"store{n}"
    if not options.store_dir:
        _say(f"building {n} articles for the queries section")
        _kg_build(_corpus(work, n), store, 2)
    _say(f"queries on {store}")
    with_store = f"`--store-dir {options.store_dir}`" if options.store_dir else f"{n} generated articles (seed 5)"
    print(f"\n| competency query, {with_store} | rows | wall, median of 5 after a warm-up | CPU, best of 5 "
          "| target |\n| --- | --- | --- | --- | --- |")
    for query in QUERIES:
        result = _query_child(str(store), query, options.query_cap, full=True)
        if isinstance(result, str):
            print(f"| {query.stem}.rq | | {result} | | ≤ 100 ms |")
            continue
        print(f"| {query.stem}.rq | {result['rows']:,} | {_fmt(result['seconds'], 'ms')} | "
              f"{_fmt(result['cpu'], 'ms')} | ≤ 100 ms |")


def _store_section(options: argparse.Namespace, work: Path) -> None:
    """What the store folder gains on disk while its articles are replaced, and on reads."""
    n = options.articles
    built = work / "store1"
    if not built.exists():
        _say(f"building {n} articles for the store section")
        _kg_build(_corpus(work, n), built, 2)
    _say(f"6/7 replacing {n} articles; read commands")
    mb = 2**20
    rows = []
    for what in ("force", "changed"):
        store = work / f"replace-{what}"
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(built, store)
        if what == "force":
            watch = _FolderWatch(store)
            seconds = _timed_kg("build", str(_corpus(work, n)), "--store", str(store), "--jobs", "2", "--force")
            log, peak = watch.stop()
            label = f"`kg build --force`, {n} articles (re-extracted, same statements)"
        else:
            result = _child("replace", str(store), "changed")
            seconds, log, peak = result["seconds"], result["peak_log"], result["peak_size"]
            label = f"every statement of the {n} graphs changed (`write_graphs`, {result['triples']:,} triples)"
        after_log, after_size = _log_and_size(store)
        rows.append(f"| {label} | {seconds:.1f} s | {log / mb:.1f} MB | {peak / mb:.1f} MB | "
                    f"{after_log / mb:.1f} MB / {after_size / mb:.1f} MB |")
    reads = work / "replace-force"
    logs_before = sorted(p.name for p in reads.glob("LOG*"))
    size_before = _log_and_size(reads)[1]
    for _ in range(10):
        _timed_kg("stats", "--store", str(reads))
        _timed_kg("query", "ASK { ?s ?p ?o }", "--store", str(reads))
    logs_after = sorted(p.name for p in reads.glob("LOG*"))
    size_after = _log_and_size(reads)[1]
    print(f"\n| replacing the {n} articles of a built store (seed 5) | time | largest write-ahead log | "
          "largest folder | log / folder after |\n| --- | --- | --- | --- | --- |")
    log, size = _log_and_size(built)
    print(f"| the store as built | | | | {log / mb:.1f} MB / {size / mb:.1f} MB |")
    print("\n".join(rows))
    print(f"\n20 read commands (10 `kg stats`, 10 `kg query`) on that store: LOG files {len(logs_before)} → "
          f"{len(logs_after)}, folder {size_before / mb:.2f} MB → {size_after / mb:.2f} MB.")


def _viewer_section(options: argparse.Namespace, work: Path) -> None:
    """kg viz at a few hundred articles: the deal pane's data against the rest, the page, the browser."""
    sizes = [int(n) for n in options.viewer_articles.split(",") if n.strip()]
    _say(f"7/7 the viewer at {', '.join(map(str, sizes))} articles: kg viz, its data, Chromium")
    rows = []
    for n in sizes:
        store = work / f"store{n}"
        if not store.exists():
            _kg_build(_corpus(work, n), store, 2)
        page = work / f"page{n}.html"
        command = _timed_kg("viz", "--store", str(store), "-o", str(work / f"viz{n}.html"))
        rows.append((n, command, _child("viewer", str(store), str(page)), _child("browser", str(page))))
    print("\n| the viewer, generated articles (seed 5) | " + " | ".join(f"{n}" for n, *_ in rows)
          + " |\n| --- |" + " --- |" * len(rows))

    def row(label: str, cell: Any) -> None:
        print(f"| {label} | " + " | ".join(cell(*r) for r in rows) + " |")

    row("actors / relations in the page", lambda n, c, v, b: f"{v['actors']} / {v['relations']:,}")
    row("deals / their records (refusals, statuses, acts, deadlines) / disagreeing",
        lambda n, c, v, b: f"{v['deals']} / {v['records']:,} / {v['disagreeing']}")
    row("`kg viz` (command, wall clock, start-up included)", lambda n, c, v, b: _fmt(c))
    row("its page: `render_html` on the store's Dataset, wall / CPU",
        lambda n, c, v, b: f"{_fmt(v['render'])} / {_fmt(v['render_cpu'])}")
    row("of which `deal_timelines` (the deal pane's data) on that Dataset",
        lambda n, c, v, b: _fmt(v["deal_timelines_dataset"]))
    row("of which `actor_graph` (the graph) / `events_timeline` (the timeline)",
        lambda n, c, v, b: f"{_fmt(v['actor_graph'])} / {_fmt(v['events_timeline'])}")
    row("`deal_timelines(store)` (a notebook's call; best of 3)", lambda n, c, v, b: _fmt(v["deal_timelines_store"]))
    row("page size / without the deal pane's data (baseline)",
        lambda n, c, v, b: f"{v['page_bytes'] / 2**20:.1f} / {v['page_bytes_without_deals'] / 2**20:.1f} MB")
    row("Chromium: open until laid out and usable", lambda n, c, v, b: _fmt(b["ready"]))
    row("actors / relations it opens on (dense: most central deals)",
        lambda n, c, v, b: f"{b['actors']} / {b['relations']}")
    row("smallest label on screen at opening", lambda n, c, v, b: f"{b['smallest_label_px']:.1f} px")
    row("deal pane: click in Bids at a glance until shown (records)",
        lambda n, c, v, b: f"{_fmt(b['deal_pane'], 'ms')} ({b['pane_records']})")
    row("\"Show all actors\" (actors then shown)",
        lambda n, c, v, b: f"{_fmt(b['show_all'], 'ms')} ({b['all_actors']})")
    row("JS heap after that / requests off the page", lambda n, c, v, b: (
        f"{b['heap_bytes'] / 2**20:.0f} MB / {b['external_requests']}" if b["heap_bytes"] else
        f"n/a / {b['external_requests']}"))
    _say("7/7 a synthetic graph of 2,000 actors and 5,000 relations in Chromium")
    big = _child("bigpage", str(work))
    print("\n| 2,000 actors, 5,000 relations (`bench.generate.synthetic_graph`, seed 7), Chromium | time | target |\n"
          "| --- | --- | --- |")
    print(f"| `kg viz`'s page: open until laid out | {_fmt(big['ready'])} | |")
    print(f"| then usable: \"Show all actors\" ({big['shown']:,} shown), an actor clicked "
          f"({big['clicked']}), bids unchecked; from the start | {_fmt(big['usable'])} | ≤ 10 s |")
    print(f"| baseline: the same graph in `to_pyvis`'s page (vis-network alone), open until laid out | "
          f"{_fmt(big['pyvis_ready'])} | |")


if __name__ == "__main__":
    main()
