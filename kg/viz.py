"""``kg viz``: the actor graph as one self-contained, offline HTML page.

Why not pyvis's own page (FIELD-NOTES, pyvis 0.3.2): even with
``cdn_resources="in_line"`` it loads bootstrap from a CDN, its filter and select
menus blank the graph, its popup switches to ``innerHTML`` as soon as a title
contains "href", and ``heading=`` is inserted unescaped. So the page is written
here, and pyvis is used for what it does well: it ships vis-network 9.1.2, whose
JavaScript and CSS are inlined from the installed package.

Safety rests on three things: every string from an article travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped
(so no sequence can close the block), the page script reads it with
``JSON.parse`` and writes it with ``textContent`` only, and a Content Security
Policy allows exactly the page's own two scripts (by hash), so an injected
``<script>`` or ``onerror=`` would not run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import rdflib

from kg.graph import RELATIONS, actor_graph, events_timeline

#: Node style per actor kind: colour, vis-network shape, legend name, legend symbol.
KIND_STYLES: dict[str, dict[str, str]] = {
    "organization": {"color": "#4e79a7", "shape": "dot", "name": "Company", "symbol": "●"},
    "person": {"color": "#f28e2b", "shape": "diamond", "name": "Person", "symbol": "◆"},
    "government": {
        "color": "#e15759",
        "shape": "square",
        "name": "Government / regulator",
        "symbol": "■",
    },
    "media": {"color": "#59a14f", "shape": "triangle", "name": "Media", "symbol": "▲"},
}

#: Edge style per relation: colour, dash pattern (empty: solid), arrow, legend name.
RELATION_STYLES: dict[str, dict[str, Any]] = {
    "bid": {"color": "#1f6fd1", "dashes": [], "arrow": True, "width": 3, "name": "bid"},
    "rejected": {
        "color": "#d62728",
        "dashes": [8, 5],
        "arrow": True,
        "width": 2.5,
        "name": "rejected",
    },
    "regulates": {
        "color": "#9467bd",
        "dashes": [3, 4],
        "arrow": True,
        "width": 2,
        "name": "regulates",
    },
    "deadline": {
        "color": "#ff7f0e",
        "dashes": [10, 3, 2, 3],
        "arrow": True,
        "width": 2,
        "name": "deadline",
    },
    "partner": {"color": "#2ca02c", "dashes": [], "arrow": False, "width": 2, "name": "partner"},
    "owns": {"color": "#8c564b", "dashes": [], "arrow": True, "width": 2, "name": "owns"},
    "stake": {"color": "#b5a100", "dashes": [], "arrow": True, "width": 1.5, "name": "stake"},
    "role": {"color": "#7f7f7f", "dashes": [], "arrow": True, "width": 1.5, "name": "role"},
    "lawsuit": {"color": "#e377c2", "dashes": [2, 2], "arrow": True, "width": 2, "name": "lawsuit"},
    "part_of": {
        "color": "#17becf",
        "dashes": [4, 3],
        "arrow": True,
        "width": 1.5,
        "name": "part of",
    },
}

# Above these sizes the browser, not the layout, is the bottleneck: no edge labels,
# straight edges, and a short, bounded stabilisation.
_BIG_NODES = 300
_BIG_EDGES = 600
_LEFT_OUT_LISTED = 100


@dataclass(frozen=True)
class VizReport:
    """What :func:`write_html` drew."""

    path: Path
    nodes_drawn: int
    edges_drawn: int
    nodes_left_out: int
    edges_left_out: int = 0


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, read from the installed pyvis package.

    ``find_spec`` locates the package without importing it: ``import pyvis``
    imports IPython, which costs time and brings nothing here.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed; reinstall dealkg (it ships vis-network)")
    root = Path(next(iter(spec.submodule_search_locations)))
    for folder in (root / "templates" / "lib" / "vis-9.1.2", root / "lib" / "vis-9.1.2"):
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            js_text = js.read_text(encoding="utf-8")
            css_text = css.read_text(encoding="utf-8")
            # Inlined code must not contain what would end its element early
            if re.search(r"</script|<!--", js_text, re.I) or re.search(r"</style", css_text, re.I):
                raise RuntimeError(f"{js} cannot be inlined safely")
            return js_text, css_text
    raise RuntimeError(f"vis-network 9.1.2 not found under {root}; pyvis==0.3.2 ships it")


def json_for_html(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so article text can never
    close the element or open a comment; ``JSON.parse`` turns them back.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _degree_scores(graph: nx.MultiDiGraph) -> dict[str, float]:
    # Degree centrality on the undirected projection: linear time, so it stays
    # instant on the large graphs where betweenness would take minutes.
    undirected = nx.Graph(graph)
    if len(undirected) <= 1:
        return {n: 0.0 for n in undirected}
    return nx.degree_centrality(undirected)


def _edge_label(relation: str, data: dict[str, Any]) -> str:
    if relation == "bid" and data.get("status"):
        return f"bid · {str(data['status']).lower()}"
    if relation == "deadline" and data.get("due_date"):
        return f"deadline {data['due_date']}"
    if relation == "regulates" and data.get("actions"):
        return ", ".join(a.lower() for a in data["actions"])
    if relation == "role" and data.get("title"):
        return str(data["title"])
    if relation == "stake" and data.get("sizes"):
        return "stake " + "; ".join(data["sizes"])
    return RELATION_STYLES.get(relation, {"name": relation})["name"]


def _edge_dates(data: dict[str, Any]) -> list[str]:
    dates = {data.get(k) for k in ("date", "due_date")}
    dates |= {e.get("article_date") for e in data.get("evidence", [])}
    return sorted(d for d in dates if d)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        items = [_json_safe(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _page_data(
    graph: nx.MultiDiGraph, timeline: list[dict[str, Any]], title: str, max_nodes: int
) -> tuple[dict[str, Any], int, int]:
    scores = _degree_scores(graph)
    order = sorted(graph.nodes, key=lambda n: (-scores.get(n, 0.0), _label(graph, n), str(n)))
    kept = order[: max(0, max_nodes)]
    left_out = order[len(kept) :]
    kept_set = set(kept)
    top = max((scores.get(n, 0.0) for n in kept), default=0.0) or 1.0

    index = {n: i for i, n in enumerate(kept)}
    nodes = []
    for n in kept:
        attrs = graph.nodes[n]
        kind = attrs.get("kind") if attrs.get("kind") in KIND_STYLES else "organization"
        score = scores.get(n, 0.0)
        nodes.append(
            {
                "id": index[n],
                "iri": str(n),
                "label": _label(graph, n),
                "kind": kind,
                "size": round(10 + 30 * (score / top) ** 0.5, 2),
                "centrality": round(score, 4),
                "altLabels": list(attrs.get("altLabels") or []),
                "sameAs": list(attrs.get("sameAs") or []),
                "articles": list(attrs.get("articles") or []),
            }
        )

    edges = []
    pair_count: dict[tuple[int, int], int] = {}
    edges_left_out = 0
    for u, v, data in sorted(
        graph.edges(data=True),
        key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("relation")), str(e[2].get("summary"))),
    ):
        if u not in kept_set or v not in kept_set:
            edges_left_out += 1
            continue
        relation = str(data.get("relation", "part_of"))
        a, b = index[u], index[v]
        pair = (min(a, b), max(a, b))
        nth = pair_count.get(pair, 0)
        pair_count[pair] = nth + 1
        extra = {
            k: _json_safe(val)
            for k, val in data.items()
            if k not in ("relation", "evidence", "summary", "events")
        }
        edges.append(
            {
                "id": len(edges),
                "from": a,
                "to": b,
                "relation": relation,
                "label": _edge_label(relation, data),
                "summary": str(data.get("summary") or relation),
                "hedged": bool(data.get("hedged")),
                "dates": _edge_dates(data),
                "evidence": _json_safe(data.get("evidence") or []),
                "attrs": extra,
                # n-th edge between one pair bends further so parallel edges stay apart
                "curve": nth,
            }
        )

    articles = _json_safe(graph.graph.get("articles") or {})
    counts = {r: 0 for r in RELATIONS}
    for e in edges:
        counts[e["relation"]] = counts.get(e["relation"], 0) + 1
    total = graph.number_of_nodes()
    notice = (
        f"Showing {len(kept)} of {total} actors (most central); "
        f"{len(left_out)} actors and {edges_left_out} relations left out."
        if left_out
        else ""
    )
    data = {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "timeline": _json_safe(timeline),
        "articles": articles,
        "kinds": [{"id": k, **style} for k, style in KIND_STYLES.items()],
        "relations": [
            {"id": r, **RELATION_STYLES.get(r, RELATION_STYLES["part_of"]), "count": counts[r]}
            for r in counts
        ],
        "notice": notice,
        "leftOut": [_label(graph, n) for n in left_out[:_LEFT_OUT_LISTED]],
        "leftOutCount": len(left_out),
        "big": len(kept) > _BIG_NODES or len(edges) > _BIG_EDGES,
    }
    return data, len(left_out), edges_left_out


def _label(graph: nx.MultiDiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("label") or node)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(
    dataset_or_graph: rdflib.Dataset | nx.MultiDiGraph,
    *,
    title: str = "dealkg",
    max_nodes: int = 400,
) -> tuple[str, VizReport]:
    """The page as a string, and what it drew (``VizReport.path`` is empty)."""
    if isinstance(dataset_or_graph, nx.Graph):
        graph = dataset_or_graph
        timeline = list(graph.graph.get("timeline") or [])
    else:
        graph = actor_graph(dataset_or_graph)
        timeline = events_timeline(dataset_or_graph)
    data, left_out, edges_left_out = _page_data(graph, timeline, title, max_nodes)
    js, css = _vis_assets()
    vis_script = "\n" + js + "\n"
    app_script = _APP_JS
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_script)} {_csp_hash(app_script)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:"
    )
    page = (
        # built from constants and base64 digests only: nothing to escape
        _PAGE.replace("__CSP__", csp)
        .replace("__TITLE__", html.escape(title))
        .replace("__VIS_CSS__", css)
        .replace("__APP_CSS__", _APP_CSS)
        .replace("__DATA__", json_for_html(data))
        .replace("__VIS_JS__", vis_script)
        .replace("__APP_JS__", app_script)
    )
    report = VizReport(Path(), len(data["nodes"]), len(data["edges"]), left_out, edges_left_out)
    return page, report


def write_html(
    dataset_or_graph: rdflib.Dataset | nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    title: str = "dealkg",
    max_nodes: int = 400,
) -> VizReport:
    """Write the interactive actor graph to ``path``: one HTML file, no network needed.

    ``dataset_or_graph`` is the store's Dataset, or a graph from
    :func:`kg.graph.actor_graph` (its ``graph.graph["timeline"]``, when set, feeds
    the timeline). Above ``max_nodes`` actors only the most central are drawn
    and the page says what it left out. The file is written to a temporary
    file beside ``path`` and renamed, so a reader never sees half a page.
    """
    page, report = render_html(dataset_or_graph, title=title, max_nodes=max_nodes)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return VizReport(
        target,
        report.nodes_drawn,
        report.edges_drawn,
        report.nodes_left_out,
        report.edges_left_out,
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>__TITLE__</title>
<style>__VIS_CSS__</style>
<style>__APP_CSS__</style>
</head>
<body>
<header id="top">
  <h1>__TITLE__</h1>
  <div class="tools">
    <input id="search" type="search" placeholder="Search an actor…" list="actor-names"
           autocomplete="off" aria-label="Search an actor">
    <datalist id="actor-names"></datalist>
    <label>From <input id="date-from" type="date"></label>
    <label>to <input id="date-to" type="date"></label>
    <button id="reset" type="button">Reset</button>
    <span id="status" role="status">Laying out…</span>
  </div>
  <div id="search-results"></div>
  <div id="notice" hidden></div>
</header>
<aside id="left">
  <section>
    <h2>Actors</h2>
    <ul id="kind-legend" class="legend"></ul>
  </section>
  <section>
    <h2>Relations</h2>
    <ul id="relation-filters" class="legend"></ul>
  </section>
  <section>
    <h2>Bids at a glance</h2>
    <ul id="bids" class="bids"></ul>
  </section>
</aside>
<main id="graph" aria-label="Actor graph"></main>
<aside id="panel" aria-live="polite">
  <p class="hint">Click or hover an actor or a relation to see its facts and the sentences
  they come from.</p>
</aside>
<footer id="timeline-box">
  <h2>Timeline</h2>
  <ol id="timeline"></ol>
</footer>
<script type="application/json" id="dkg-data">__DATA__</script>
<script>__VIS_JS__</script>
<script>__APP_JS__</script>
</body>
</html>
"""

_APP_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  display: grid; height: 100vh;
  grid-template-columns: 240px minmax(0, 1fr) 360px;
  grid-template-rows: auto minmax(0, 1fr) 150px;
  grid-template-areas: "top top top" "left graph panel" "left timeline panel";
}
#top { grid-area: top; padding: 6px 12px; border-bottom: 1px solid #ddd; background: #fafafa;
  position: relative; }
#top h1 { display: inline-block; font-size: 17px; margin: 0 16px 0 0; vertical-align: middle; }
.tools { display: inline-flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.tools input[type=search] { width: 220px; padding: 3px 6px; }
#status { color: #666; font-style: italic; }
#notice { margin-top: 4px; padding: 3px 8px; background: #fff4ce; border: 1px solid #e8d48a;
  border-radius: 3px; }
#notice details { display: inline; }
#search-results { position: absolute; z-index: 20; background: #fff; border: 1px solid #ccc;
  left: 200px; top: 34px; max-height: 260px; overflow: auto; min-width: 220px; }
#search-results:empty { display: none; }
#search-results button { display: block; width: 100%; text-align: left; border: 0;
  background: none; padding: 4px 8px; cursor: pointer; }
#search-results button:hover { background: #eef3fb; }
#left { grid-area: left; overflow: auto; padding: 6px 10px; border-right: 1px solid #ddd; }
#left h2, #panel h2, #timeline-box h2 { font-size: 13px; margin: 8px 0 4px;
  text-transform: uppercase; letter-spacing: .04em; color: #555; }
.legend { list-style: none; padding: 0; margin: 0; }
.legend li { margin: 2px 0; display: flex; align-items: center; gap: 6px; }
.legend .sym { width: 18px; text-align: center; font-size: 15px; }
.legend .line { width: 28px; height: 0; border-top-width: 3px; display: inline-block; }
.legend .count { color: #888; margin-left: auto; }
.bids { padding-left: 0; list-style: none; margin: 0; }
.bids li { margin: 3px 0; padding: 3px 5px; border-left: 3px solid #1f6fd1; cursor: pointer;
  background: #f4f8fd; }
.bids li.rejected { border-left-color: #d62728; background: #fdf4f4; }
.bids li:hover { background: #e6eefa; }
#graph { grid-area: graph; min-height: 0; position: relative; background: #fff; }
#panel { grid-area: panel; overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd;
  background: #fcfcfc; }
#panel .hint { color: #777; }
#panel h3 { font-size: 15px; margin: 4px 0 6px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; color: #fff;
  font-size: 11px; margin-right: 4px; }
.fact { margin: 8px 0 10px; padding-top: 6px; border-top: 1px solid #eee; }
.fact .summary { font-weight: 600; }
.fact dl, #panel dl { margin: 4px 0; display: grid; grid-template-columns: auto 1fr; gap: 1px 8px; }
dt { color: #666; } dd { margin: 0; overflow-wrap: anywhere; white-space: pre-line; }
blockquote { margin: 4px 0 2px; padding: 3px 8px; border-left: 3px solid #bbb; background: #fff;
  font-style: italic; overflow-wrap: anywhere; }
.cite { color: #555; font-size: 12px; }
.hedged { color: #a05a00; font-weight: 600; }
#timeline-box { grid-area: timeline; border-top: 1px solid #ddd; padding: 2px 12px;
  overflow: hidden; display: flex; flex-direction: column; }
#timeline { list-style: none; margin: 0; padding: 8px 0 4px; display: flex; gap: 10px;
  overflow-x: auto; flex: 1; border-top: 2px solid #ccc; position: relative; }
#timeline li { flex: 0 0 190px; padding: 4px 6px; border: 1px solid #ddd; border-radius: 4px;
  background: #fff; cursor: pointer; overflow: hidden; }
#timeline li:hover { background: #f2f6fc; }
#timeline li.k-bid { border-top: 4px solid #1f6fd1; }
#timeline li.k-deadline { border-top: 4px solid #ff7f0e; }
#timeline li.k-regulatory { border-top: 4px solid #9467bd; }
#timeline li.k-article { border-top: 4px solid #bbb; color: #555; }
#timeline .date { font-weight: 700; }
#timeline .kind { color: #777; font-size: 11px; margin-left: 4px; }
#timeline .label { display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical;
  overflow: hidden; }
"""

_APP_JS = r"""
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dkg-data').textContent);
  var byId = {}, edgeById = {}, incident = {};
  var relStyle = {};
  data.relations.forEach(function (r) { relStyle[r.id] = r; });
  // kinds arrive as a list to keep the legend's order; look-ups want a map
  var kindOrder = data.kinds.map(function (k) { return k.id; });
  var kindMap = {};
  data.kinds.forEach(function (k) { kindMap[k.id] = k; });
  data.kinds = kindMap;
  data.nodes.forEach(function (n) { byId[n.id] = n; incident[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    incident[e.from].push(e.id);
    if (e.to !== e.from) { incident[e.to].push(e.id); }
  });

  // --- small DOM helpers: text only, never HTML ------------------------------------
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    return x;
  }
  function clear(x) { while (x.firstChild) { x.removeChild(x.firstChild); } }
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function kindName(k) { return (data.kinds[k] || {}).name || k; }

  // --- vis data ------------------------------------------------------------------------
  var big = data.big;
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var k = data.kinds[n.kind] || data.kinds.organization;
    return {
      id: n.id, label: n.label, shape: k.shape, size: n.size,
      color: { background: k.color, border: big ? k.color : '#333',
               highlight: { background: k.color, border: '#000' },
               hover: { background: k.color, border: '#000' } },
      title: n.label + ' (' + kindName(n.kind) + ')',
      font: { size: big ? 12 : 16, strokeWidth: 4, strokeColor: '#fff' }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var s = relStyle[e.relation] || {};
    var item = {
      id: e.id, from: e.from, to: e.to, title: e.summary,
      color: { color: s.color, highlight: s.color, hover: s.color, opacity: e.hedged ? 0.45 : 0.9 },
      width: s.width || 1.5,
      dashes: (s.dashes && s.dashes.length) ? s.dashes : false,
      arrows: { to: { enabled: !!s.arrow, scaleFactor: 0.6 } },
      font: { size: 14, color: s.color, strokeWidth: 4, strokeColor: '#fff', align: 'middle' }
    };
    if (!big) { item.label = e.label + (e.hedged ? ' (reported)' : ''); }
    if (e.curve > 0) {
      item.smooth = { enabled: true, type: e.curve % 2 ? 'curvedCW' : 'curvedCCW',
                      roundness: 0.2 * Math.ceil(e.curve / 2) };
    } else if (big) {
      item.smooth = false;
    }
    return item;
  }));

  // --- filters: relation checkboxes and date range -------------------------------------
  var shownRelations = {};
  data.relations.forEach(function (r) { shownRelations[r.id] = true; });
  var dateFrom = '', dateTo = '';
  function lo(d) { return d.length === 4 ? d + '-01-01' : d.length === 7 ? d + '-01' : d; }
  function hi(d) { return d.length === 4 ? d + '-12-31' : d.length === 7 ? d + '-31' : d; }
  function inRange(dates) {
    if (!dateFrom && !dateTo) { return true; }
    if (!dates || !dates.length) { return true; }  // undated facts are never filtered out
    return dates.some(function (d) {
      return (!dateFrom || hi(d) >= dateFrom) && (!dateTo || lo(d) <= dateTo);
    });
  }
  function edgeVisible(e) { return shownRelations[e.relation] !== false && inRange(e.dates); }
  function filtering() {
    return !!(dateFrom || dateTo) ||
      data.relations.some(function (r) { return shownRelations[r.id] === false; });
  }
  var visibleNodes = null;  // null: no filter, every actor shown
  function nodeVisible(item) { return visibleNodes === null || visibleNodes[item.id] === true; }
  var edgesView = new vis.DataView(edges, {
    filter: function (item) { return edgeVisible(edgeById[item.id]); }
  });
  var nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  function applyFilters() {
    if (filtering()) {
      visibleNodes = {};
      data.edges.forEach(function (e) {
        if (edgeVisible(e)) { visibleNodes[e.from] = true; visibleNodes[e.to] = true; }
      });
    } else {
      visibleNodes = null;
    }
    edgesView.refresh();
    nodesView.refresh();
    renderTimeline();
    setStatus(nodesView.length + ' actors, ' + edgesView.length + ' relations shown');
  }

  // --- the network -------------------------------------------------------------------------
  var container = document.getElementById('graph');
  var iterations = big ? 60 : 300;
  var options = {
    autoResize: true,
    layout: { improvedLayout: !big && data.nodes.length <= 150, randomSeed: 7 },
    physics: {
      enabled: true,
      solver: 'forceAtlas2Based',
      forceAtlas2Based: { gravitationalConstant: big ? -40 : -90, springLength: big ? 60 : 150,
                          springConstant: 0.06, avoidOverlap: big ? 0 : 0.4 },
      stabilization: { enabled: true, iterations: iterations, updateInterval: 25, fit: true },
      minVelocity: 1.5
    },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false, keyboard: false },
    edges: { selectionWidth: 2, hoverWidth: 1 },
    nodes: { borderWidth: 1.5 }
  };
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, options);
  var statusEl = document.getElementById('status');
  function setStatus(t) { statusEl.textContent = t; }
  network.on('stabilizationProgress', function (p) {
    setStatus('Laying out… ' + Math.round(100 * p.iterations / p.total) + '%');
  });
  var ready = false;
  function stopPhysics() {
    if (ready) { return; }
    ready = true;
    // The layout is done: freeze it, so the graph stays still while people read it
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    setStatus(data.nodes.length + ' actors, ' + data.edges.length + ' relations');
    document.body.setAttribute('data-ready', '1');
  }
  network.once('stabilizationIterationsDone', stopPhysics);
  network.once('stabilized', stopPhysics);
  if (!data.nodes.length) { stopPhysics(); }

  // --- side panel --------------------------------------------------------------------------
  var panel = document.getElementById('panel');
  var pinned = false;
  function badge(text, color) {
    var b = el('span', 'badge', text);
    b.style.background = color;
    return b;
  }
  function defList(pairs) {
    var dl = el('dl');
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === '' ||
          (Array.isArray(p[1]) && !p[1].length)) { return; }
      dl.appendChild(el('dt', null, p[0]));
      // one value per line (dd is white-space: pre-line): article titles contain commas
      dl.appendChild(el('dd', null, Array.isArray(p[1]) ? p[1].join('\n') : p[1]));
    });
    return dl;
  }
  function evidenceBlock(list, parent) {
    (list || []).forEach(function (ev) {
      if (ev.sentence) { parent.appendChild(el('blockquote', 'sentence', ev.sentence)); }
      var cite = el('div', 'cite');
      var bits = [];
      bits.push('— ' + (ev.article_title || ev.article_iri || 'unknown article'));
      if (ev.article_date) { bits.push(ev.article_date); }
      if (ev.rule) { bits.push('rule ' + ev.rule); }
      cite.appendChild(el('span', null, bits.join(' · ')));
      if (ev.hedged) { cite.appendChild(el('span', 'hedged', ' · reported, not confirmed')); }
      parent.appendChild(cite);
    });
  }
  function edgeDetails(e) {
    var a = e.attrs || {};
    return defList([
      ['Status', a.status ? String(a.status).toLowerCase() : ''],
      ['Seller', a.seller_labels],
      ['Rejected by', a.rejected_by],
      ['Regulators', a.regulators],
      ['Bid', a.bid_summary && e.relation !== 'bid' ? a.bid_summary : ''],
      ['Reported by', a.reported_by],
      ['Action', a.actions],
      ['What', a.what],
      ['Due', a.due_date],
      ['Role', a.roles || a.title],
      ['Stake', a.sizes],
      ['About', a.about],
      ['Date', a.date]
    ]);
  }
  function fact(e, parent) {
    var box = el('div', 'fact');
    var head = el('div', 'summary');
    var s = relStyle[e.relation] || {};
    head.appendChild(badge(s.name || e.relation, s.color || '#777'));
    head.appendChild(document.createTextNode(e.summary));
    box.appendChild(head);
    box.appendChild(edgeDetails(e));
    evidenceBlock(e.evidence, box);
    parent.appendChild(box);
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    clear(panel);
    var k = data.kinds[n.kind] || {};
    panel.appendChild(el('h3', null, n.label));
    panel.appendChild(badge(kindName(n.kind), k.color || '#777'));
    var titles = n.articles.map(function (a) {
      var art = data.articles[a];
      return art ? (art.title || a) + (art.date ? ' (' + art.date + ')' : '') : a;
    });
    panel.appendChild(defList([
      ['Also called', n.altLabels], ['Same as', n.sameAs], ['IRI', n.iri],
      ['Centrality', String(n.centrality)], ['Articles', titles]
    ]));
    var list = incident[id].slice().sort(function (x, y) {
      var ex = edgeById[x], ey = edgeById[y];
      return data.relations.findIndex(function (r) { return r.id === ex.relation; }) -
             data.relations.findIndex(function (r) { return r.id === ey.relation; }) || x - y;
    });
    panel.appendChild(el('h2', null, 'Facts (' + list.length + ')'));
    var limit = 60;
    list.slice(0, limit).forEach(function (eid) { fact(edgeById[eid], panel); });
    if (list.length > limit) {
      panel.appendChild(el('p', 'hint', '… and ' + (list.length - limit) + ' more'));
    }
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    clear(panel);
    panel.appendChild(el('h3', null, byId[e.from].label + ' → ' + byId[e.to].label));
    fact(e, panel);
  }
  function showTimelineItem(item) {
    clear(panel);
    panel.appendChild(el('h3', null, item.label));
    panel.appendChild(badge(item.kind, '#555'));
    panel.appendChild(defList([['Date', item.date + ' (' + item.granularity + ')']]));
    var box = el('div', 'fact');
    evidenceBlock(item.evidence, box);
    panel.appendChild(box);
  }
  network.on('click', function (p) {
    if (p.nodes && p.nodes.length) { pinned = true; showNode(p.nodes[0]); }
    else if (p.edges && p.edges.length) { pinned = true; showEdge(p.edges[0]); }
    else { pinned = false; }
  });
  network.on('hoverNode', function (p) { if (!pinned) { showNode(p.node); } });
  network.on('hoverEdge', function (p) { if (!pinned) { showEdge(p.edge); } });

  function focusNode(id) {
    if (!nodesView.get(id)) { visibleNodes = null; resetFilters(); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.1, animation: { duration: 300 } });
    pinned = true;
    showNode(id);
  }

  // --- legend and relation filters -----------------------------------------------------
  var kindLegend = document.getElementById('kind-legend');
  kindOrder.forEach(function (k) {
    var li = el('li');
    var sym = el('span', 'sym', data.kinds[k].symbol);
    sym.style.color = data.kinds[k].color;
    li.appendChild(sym);
    li.appendChild(el('span', null, data.kinds[k].name));
    var count = data.nodes.filter(function (n) { return n.kind === k; }).length;
    li.appendChild(el('span', 'count', count));
    kindLegend.appendChild(li);
  });
  var relFilters = document.getElementById('relation-filters');
  data.relations.forEach(function (r) {
    var li = el('li');
    var label = el('label');
    label.style.display = 'flex'; label.style.alignItems = 'center'; label.style.gap = '6px';
    label.style.width = '100%';
    var box = el('input');
    box.type = 'checkbox'; box.checked = true; box.value = r.id;
    box.setAttribute('data-relation', r.id);
    box.addEventListener('change', function () {
      shownRelations[r.id] = box.checked;
      applyFilters();
    });
    var line = el('span', 'line');
    line.style.borderTopStyle = (r.dashes && r.dashes.length) ? 'dashed' : 'solid';
    line.style.borderTopColor = r.color;
    label.appendChild(box); label.appendChild(line); label.appendChild(el('span', null, r.name));
    label.appendChild(el('span', 'count', r.count));
    li.appendChild(label);
    relFilters.appendChild(li);
  });

  // --- bids at a glance ----------------------------------------------------------------
  var bidsEl = document.getElementById('bids');
  var seenBids = {};
  data.edges.forEach(function (e) {
    if (e.relation !== 'bid') { return; }
    var key = (e.attrs && e.attrs.bid) || e.summary;
    if (seenBids[key]) { seenBids[key].push(e.id); return; }
    seenBids[key] = [e.id];
    if (bidsEl.childNodes.length >= 100) { return; }
    var stopped = e.attrs.status === 'Rejected' || e.attrs.status === 'Blocked';
    var li = el('li', stopped ? 'rejected' : '', e.summary);
    li.addEventListener('click', function () {
      network.selectEdges(seenBids[key]);
      pinned = true;
      showEdge(e.id);
    });
    bidsEl.appendChild(li);
  });
  if (!bidsEl.childNodes.length) { bidsEl.appendChild(el('li', '', 'No bid found.')); }

  // --- timeline ---------------------------------------------------------------------------
  var iriToId = {};
  data.nodes.forEach(function (n) { iriToId[n.iri] = n.id; });
  var timelineEl = document.getElementById('timeline');
  function renderTimeline() {
    clear(timelineEl);
    data.timeline.forEach(function (item) {
      if (!inRange([item.date])) { return; }
      var li = el('li', 'k-' + item.kind);
      var head = el('div');
      head.appendChild(el('span', 'date', item.date));
      head.appendChild(el('span', 'kind', item.kind));
      li.appendChild(head);
      li.appendChild(el('div', 'label', item.label));
      li.title = item.label;
      li.addEventListener('click', function () {
        var ids = (item.actors || []).map(function (a) { return iriToId[a]; })
          .filter(function (x) { return x !== undefined && nodesView.get(x); });
        network.selectNodes(ids);
        pinned = true;
        showTimelineItem(item);
      });
      timelineEl.appendChild(li);
    });
    if (!timelineEl.childNodes.length) { timelineEl.appendChild(el('li', '', 'No dated event.')); }
  }
  renderTimeline();

  // --- search ---------------------------------------------------------------------------
  var search = document.getElementById('search');
  var results = document.getElementById('search-results');
  var names = document.getElementById('actor-names');
  data.nodes.slice(0, 2000).forEach(function (n) {
    var o = document.createElement('option');
    o.value = n.label;
    names.appendChild(o);
  });
  function matches(q) {
    var f = fold(q).trim();
    if (!f) { return []; }
    return data.nodes.filter(function (n) {
      return fold(n.label).indexOf(f) >= 0 ||
        n.altLabels.some(function (a) { return fold(a).indexOf(f) >= 0; });
    }).sort(function (a, b) {
      return (fold(b.label) === f) - (fold(a.label) === f) || b.centrality - a.centrality;
    });
  }
  function showResults(list) {
    clear(results);
    list.slice(0, 20).forEach(function (n) {
      var b = el('button', null, n.label + ' — ' + kindName(n.kind));
      b.type = 'button';
      b.addEventListener('click', function () { clear(results); focusNode(n.id); });
      results.appendChild(b);
    });
  }
  search.addEventListener('input', function () {
    var list = matches(search.value);
    var exact = list.filter(function (n) { return n.label === search.value; });
    if (exact.length) { clear(results); focusNode(exact[0].id); return; }
    showResults(list);
  });
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') {
      var list = matches(search.value);
      clear(results);
      if (list.length) { focusNode(list[0].id); } else { setStatus('No actor matches'); }
    } else if (ev.key === 'Escape') { clear(results); }
  });

  // --- dates, reset, notice ------------------------------------------------------------
  var fromEl = document.getElementById('date-from'), toEl = document.getElementById('date-to');
  var allDates = [];
  data.edges.forEach(function (e) { allDates = allDates.concat(e.dates); });
  data.timeline.forEach(function (t) { allDates.push(t.date); });
  allDates.sort();
  if (allDates.length) {
    fromEl.min = toEl.min = lo(allDates[0]);
    fromEl.max = toEl.max = hi(allDates[allDates.length - 1]).replace(/-31$/, '-28');
  }
  function onDates() { dateFrom = fromEl.value || ''; dateTo = toEl.value || ''; applyFilters(); }
  fromEl.addEventListener('change', onDates);
  toEl.addEventListener('change', onDates);
  function resetFilters() {
    fromEl.value = ''; toEl.value = ''; dateFrom = ''; dateTo = '';
    Array.prototype.forEach.call(relFilters.querySelectorAll('input'), function (b) {
      b.checked = true; shownRelations[b.value] = true;
    });
    applyFilters();
  }
  document.getElementById('reset').addEventListener('click', function () {
    resetFilters(); search.value = ''; clear(results); network.unselectAll(); network.fit();
  });
  if (data.notice) {
    var notice = document.getElementById('notice');
    notice.hidden = false;
    notice.appendChild(el('span', null, data.notice + ' '));
    if (data.leftOut.length) {
      var det = el('details');
      det.appendChild(el('summary', null, 'Left out'));
      det.appendChild(el('span', null, data.leftOut.join(', ') +
        (data.leftOutCount > data.leftOut.length ? ', …' : '')));
      notice.appendChild(det);
    }
  }

  window.dkg = { network: network, nodes: nodes, edges: edges, nodesView: nodesView,
                 edgesView: edgesView, data: data, showNode: showNode, showEdge: showEdge,
                 focusNode: focusNode, applyFilters: applyFilters,
                 isReady: function () { return ready; } };
})();
"""
