"""``kg viz``: the actor graph as one self-contained, offline HTML page.

Why not pyvis's own page (FIELD-NOTES, pyvis 0.3.2): even with
``cdn_resources="in_line"`` it loads bootstrap from a CDN, its filter and select
menus blank the graph, its popup switches to ``innerHTML`` as soon as a title
contains "href", and ``heading=`` is inserted unescaped. So the page is our own:
``kg/viewer/page.html.j2`` (a Jinja2 template, autoescaped), ``viewer.js`` and
``viewer.css`` beside it, all package data. pyvis is used for what it does well:
it ships vis-network 9.1.2, whose JavaScript and CSS are inlined from the
installed package.

Safety rests on three things: every string from an article travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped
(so no sequence can close the block), the page script reads it with
``JSON.parse`` and writes it with ``textContent`` only, and a Content Security
Policy allows exactly the page's own two scripts (by hash), so an injected
``<script>`` or ``onerror=`` would not run even if escaping failed.

:func:`to_pyvis` Networks write their page from ``kg/viewer/pyvis.html.j2`` and
``pyvis.js`` on the same three grounds, in place of pyvis's own template.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx
import rdflib
from markupsafe import Markup

from kg.deals import deal_timelines
from kg.graph import RELATIONS, actor_graph, graph_and_timeline

if TYPE_CHECKING:
    from pyvis.network import Network

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

def node_style(kind: str, *, big: bool = False) -> dict[str, Any]:
    """vis-network options for an actor of ``kind``: shape, colours, label font.

    The one place node looks are decided: the page (:func:`render_html`) and
    :func:`to_pyvis` both use it.
    """
    color = KIND_STYLES.get(kind, KIND_STYLES["organization"])["color"]
    return {
        "shape": KIND_STYLES.get(kind, KIND_STYLES["organization"])["shape"],
        "color": {
            "background": color,
            "border": color if big else "#333",
            "highlight": {"background": color, "border": "#000"},
            "hover": {"background": color, "border": "#000"},
        },
        "borderWidth": 1.5,
        "font": {"size": 12 if big else 16, "strokeWidth": 4, "strokeColor": "#fff"},
    }


def edge_style(relation: str, *, hedged: bool = False) -> dict[str, Any]:
    """vis-network options for a ``relation`` edge: colour, width, dashes, arrow, label font.

    Reported (hedged) relations are faded. Shared by the page and :func:`to_pyvis`.
    """
    style = RELATION_STYLES.get(relation, RELATION_STYLES["part_of"])
    color = style["color"]
    return {
        "color": {"color": color, "highlight": color, "hover": color, "opacity": 0.45 if hedged else 0.9},
        "width": style["width"],
        "dashes": list(style["dashes"]) or False,
        "arrows": {"to": {"enabled": bool(style["arrow"]), "scaleFactor": 0.6}},
        "font": {"size": 14, "color": color, "strokeWidth": 4, "strokeColor": "#fff", "align": "middle"},
    }


def edge_curve(nth: int, *, big: bool = False) -> dict[str, Any] | bool | None:
    """How the ``nth`` edge between one pair bends, so parallel edges stay apart.

    ``None``: vis-network's default; ``False``: straight, which draws fastest on big graphs.
    """
    if nth > 0:
        return {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW", "roundness": 0.2 * ((nth + 1) // 2)}
    return False if big else None


def node_title(label: str, kind: str) -> str:
    """The tooltip of an actor, as plain text: "Valmont (Company)"."""
    return f"{label} ({KIND_STYLES.get(kind, {'name': kind})['name']})"


def edge_caption(label: str, hedged: bool) -> str:
    """The label drawn on an edge: reported (hedged) relations say so."""
    return label + (" (reported)" if hedged else "")


def network_options(*, big: bool, nodes: int) -> dict[str, Any]:
    """vis-network's layout and interaction options, for the page and :func:`to_pyvis`.

    Physics stops after a bounded number of iterations (fewer on big graphs).
    """
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not big and nodes <= 150, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -40 if big else -90,
                "springLength": 60 if big else 150,
                "springConstant": 0.06,
                "avoidOverlap": 0 if big else 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 60 if big else 300, "updateInterval": 25, "fit": True},
            "minVelocity": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "edges": {"selectionWidth": 2, "hoverWidth": 1},
    }


# Above these sizes the browser, not the layout, is the bottleneck: no edge labels,
# straight edges, and a short, bounded stabilisation.
_BIG_NODES = 300
_BIG_EDGES = 600
_LEFT_OUT_LISTED = 100
# Above these sizes labels pile up: the page opens on the most central deals and actors
# (at most _FOCUS_ACTORS) and offers the rest behind "Show all".
_FOCUS_ABOVE_NODES = 60
_FOCUS_ABOVE_EDGES = 150
_FOCUS_ACTORS = 25
_JSONL_LINE = re.compile(r"^(.*\.jsonl?):\d+$", re.I)


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
            return (
                _check_inlinable(str(js), js.read_text(encoding="utf-8"), _ENDS_SCRIPT),
                _check_inlinable(str(css), css.read_text(encoding="utf-8"), _ENDS_STYLE),
            )
    raise RuntimeError(f"vis-network 9.1.2 not found under {root}; pyvis==0.3.2 ships it")


_ENDS_SCRIPT = r"</script|<!--"
_ENDS_STYLE = r"</style"


def _check_inlinable(name: str, text: str, ends_element: str) -> str:
    # Inlined code must not contain what would end its element early
    if re.search(ends_element, text, re.I):
        raise RuntimeError(f"{name} cannot be inlined safely")
    return text


@lru_cache(maxsize=1)
def _viewer_assets() -> tuple[str, str]:
    """The page's own JavaScript and CSS, package data under ``kg/viewer/``."""
    folder = resources.files("kg") / "viewer"
    js = (folder / "viewer.js").read_text(encoding="utf-8")
    css = (folder / "viewer.css").read_text(encoding="utf-8")
    return (
        _check_inlinable("kg/viewer/viewer.js", js, _ENDS_SCRIPT),
        _check_inlinable("kg/viewer/viewer.css", css, _ENDS_STYLE),
    )


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "viewer"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("page.html.j2")


_PYVIS_TEMPLATE = "pyvis.html.j2"
# What select_menu, filter_menu and neighborhood_highlight need is in pyvis's own page only
_PYVIS_PAGE_ONLY = ("select_menu", "filter_menu", "neighborhood_highlight")


@lru_cache(maxsize=1)
def _pyvis_environment() -> jinja2.Environment:
    """The Jinja2 environment of the pages :func:`to_pyvis` Networks write: one offline file.

    vis-network is inlined, the drawing script is ``kg/viewer/pyvis.js``, and a Content
    Security Policy allows those two scripts alone, as on ``kg viz``'s page.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg", "viewer"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    js, css = _vis_assets()
    folder = resources.files("kg") / "viewer"
    draw = _check_inlinable("kg/viewer/pyvis.js", (folder / "pyvis.js").read_text(encoding="utf-8"), _ENDS_SCRIPT)
    vis_script, draw_script = "\n" + js + "\n", "\n" + draw
    env.globals.update(
        # Markup: checked for its element (_check_inlinable) or built from constants and digests
        vis_js=Markup(vis_script),
        vis_css=Markup(css),
        draw_js=Markup(draw_script),
        csp=Markup(
            "default-src 'none'; "
            f"script-src {_csp_hash(vis_script)} {_csp_hash(draw_script)}; "
            "style-src 'unsafe-inline'; img-src data:; font-src data:"
        ),
    )
    env.filters["script_json"] = lambda text: Markup(script_safe_json(str(text)))
    return env


def json_for_html(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so article text can never
    close the element or open a comment; ``JSON.parse`` turns them back.
    """
    return script_safe_json(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


def script_safe_json(text: str) -> str:
    """JSON text made safe inside a ``<script>`` element, as :func:`json_for_html` does.

    These characters only ever occur inside JSON strings, where the escapes mean the same.
    """
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


def _node_size(score: float, top: float) -> float:
    # square root: a hub stays big without dwarfing everyone else
    return round(10 + 30 * (score / top) ** 0.5, 2)


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
    graph: nx.MultiDiGraph,
    timeline: list[dict[str, Any]],
    title: str,
    max_nodes: int,
    deals: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], int, int]:
    scores = _degree_scores(graph)
    order = sorted(graph.nodes, key=lambda n: (-scores.get(n, 0.0), _label(graph, n), str(n)))
    kept = order[: max(0, max_nodes)]
    left_out = order[len(kept) :]
    kept_set = set(kept)
    top = max((scores.get(n, 0.0) for n in kept), default=0.0) or 1.0

    index = {n: i for i, n in enumerate(kept)}
    edges_kept = sum(1 for u, v in graph.edges() if u in kept_set and v in kept_set)
    big = len(kept) > _BIG_NODES or edges_kept > _BIG_EDGES
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
                "title": node_title(_label(graph, n), kind),
                "kind": kind,
                "size": _node_size(score, top),
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
                "caption": None if big else edge_caption(_edge_label(relation, data), bool(data.get("hedged"))),
                "smooth": edge_curve(nth, big=big),
            }
        )

    articles = {
        str(iri): {**_json_safe(info), "href": _article_href(info)}
        for iri, info in (graph.graph.get("articles") or {}).items()
    }
    bid_edges = sorted(
        (e for e in edges if e["relation"] == "bid"),
        key=lambda e: (-(nodes[e["from"]]["centrality"] + nodes[e["to"]]["centrality"]), e["summary"], e["id"]),
    )
    for rank, e in enumerate(bid_edges):
        e["rank"] = rank
    focus = (
        _focus(nodes, edges, bid_edges)
        if len(nodes) > _FOCUS_ABOVE_NODES or len(edges) > _FOCUS_ABOVE_EDGES
        else None
    )
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
        "deals": _pane_deals(deals or [], edges),
        "timeline": _json_safe(timeline),
        "articles": articles,
        # small labels only when there are many actors: a dense graph opens on a few
        "kinds": [
            {"id": k, **style, "vis": node_style(k, big=len(kept) > _BIG_NODES)}
            for k, style in KIND_STYLES.items()
        ],
        "relations": [
            {
                "id": r,
                **RELATION_STYLES.get(r, RELATION_STYLES["part_of"]),
                "count": counts[r],
                "vis": edge_style(r),
                "visHedged": edge_style(r, hedged=True),
            }
            for r in counts
        ],
        "notice": notice,
        "leftOut": [_label(graph, n) for n in left_out[:_LEFT_OUT_LISTED]],
        "leftOutCount": len(left_out),
        "big": big,
        "focus": focus,
        "options": network_options(big=big, nodes=len(kept)),
    }
    return data, len(left_out), edges_left_out


def _pane_deals(deals: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """The deal pane's data (:meth:`kg.deals.DealTimeline.to_dict`), by bid IRI, for the bids drawn.

    Articles are left out of each deal: the page has them once, in ``articles``.
    """
    drawn = {str(e["attrs"]["bid"]) for e in edges if e["attrs"].get("bid")}
    drawn |= {str(b) for e in edges for b in e["attrs"].get("bids") or []}
    return {
        str(d["bid"]): _json_safe({k: v for k, v in d.items() if k != "articles"})
        for d in deals
        if str(d.get("bid")) in drawn
    }


def _focus(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], ranked_bids: list[dict[str, Any]]
) -> dict[str, Any]:
    """What a dense graph opens on: the most central deals, their actors, then the most central actors.

    ``actors`` are node ids; ``edges`` the relations of those deals (the bids and
    what concerns them: refusals, regulators, deadlines), or every relation among
    the actors when there is no bid.
    """
    chosen: dict[int, None] = {}
    deals: set[str] = set()
    for e in ranked_bids:
        if len(chosen) + (e["from"] not in chosen) + (e["to"] not in chosen) > _FOCUS_ACTORS:
            break
        chosen.update({e["from"]: None, e["to"]: None})
        deals.add(str(e["attrs"].get("bid") or e["id"]))
    for n in nodes:  # already in centrality order
        if len(chosen) >= _FOCUS_ACTORS:
            break
        chosen.setdefault(n["id"], None)
    among = [e for e in edges if e["from"] in chosen and e["to"] in chosen]
    of_deals = [
        e["id"]
        for e in among
        if str(e["attrs"].get("bid") or e["id"]) in deals or deals & set(e["attrs"].get("bids") or [])
    ]
    return {"actors": sorted(chosen), "edges": of_deals if deals else [e["id"] for e in among]}


def _article_href(info: dict[str, Any]) -> str | None:
    """Where an evidence's article can be read: its web address, else its file.

    Only http(s) addresses are links (a ``javascript:`` one would run). A file is
    the path given to ``kg build``, resolved from the working folder; a JSON Lines
    record (``corpus.jsonl:12``) links to its file. A missing file is no link.
    """
    url = info.get("url")
    if isinstance(url, str) and re.match(r"https?://[^\s]+$", url.strip(), re.I):
        return url.strip()
    source = info.get("source")
    if not isinstance(source, str) or not source:
        return None
    path = Path(source)
    line = _JSONL_LINE.match(source)
    if line and not path.exists():
        path = Path(line.group(1))
    try:
        return path.resolve().as_uri() if path.is_file() else None
    except (OSError, ValueError):
        return None


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
        deals = list(graph.graph.get("deals") or [])
    else:
        graph, timeline = graph_and_timeline(dataset_or_graph)
        deals = [d.to_dict() for d in deal_timelines(dataset_or_graph)]
    data, left_out, edges_left_out = _page_data(graph, timeline, title, max_nodes, deals)
    js, css = _vis_assets()
    app_js, app_css = _viewer_assets()
    vis_script = "\n" + js + "\n"
    app_script = "\n" + app_js
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_script)} {_csp_hash(app_script)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:"
    )
    page = _template().render(
        # Markup: built from constants and base64 digests, or already checked or
        # escaped for its element; the title alone is autoescaped
        csp=Markup(csp),
        title=title,
        vis_css=Markup(css),
        app_css=Markup(app_css),
        data=Markup(json_for_html(data)),
        vis_js=Markup(vis_script),
        app_js=Markup(app_script),
        kinds=KIND_STYLES,
        relations=RELATION_STYLES,
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
    the timeline, and ``graph.graph["deals"]``, a list of
    :meth:`kg.deals.DealTimeline.to_dict`, the deal pane). Above ``max_nodes`` actors only the most central are drawn
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



def to_pyvis(dataset_or_graph: rdflib.Dataset | nx.MultiDiGraph, **options: Any) -> Network:
    """The actor graph as a ``pyvis.network.Network``, styled like the page, to tweak and ``show()``.

    Colours, shapes, edge styles, sizes, tooltips and layout options are those of
    ``kg viz`` (:func:`node_style`, :func:`edge_style`, :func:`network_options`).
    ``options`` go to ``Network(...)``; the defaults are ``directed=True``,
    ``notebook=True``, ``cdn_resources="in_line"`` and height 650px.

    ``show()`` and ``write_html()`` write one offline file: the Network uses dealkg's
    template (``kg/viewer/pyvis.html.j2``), which inlines vis-network from pyvis and
    fetches nothing, where pyvis's own loads bootstrap from a CDN. Titles and
    ``heading`` are plain text there: the data travels as JSON, vis-network shows
    tooltips with ``innerText``, the heading is autoescaped, and a Content Security
    Policy allows only the page's own two scripts. pyvis's ``select_menu``,
    ``filter_menu`` and ``neighborhood_highlight`` live in its own page only and are
    refused (``kg viz`` has search and a neighbours-only view).
    """
    from pyvis.network import Network  # imports IPython: only for those who ask

    asked = [name for name in _PYVIS_PAGE_ONLY if options.get(name)]
    if asked:
        raise ValueError(
            f"to_pyvis: {', '.join(asked)} need pyvis's own page, which loads bootstrap from a CDN; "
            "leave them out (kg viz has search and a neighbours-only view)"
        )
    graph = dataset_or_graph if isinstance(dataset_or_graph, nx.Graph) else actor_graph(dataset_or_graph)
    settings: dict[str, Any] = {
        "height": "650px",
        "width": "100%",
        "directed": True,
        "notebook": True,
        "cdn_resources": "in_line",
        **options,
    }
    net = Network(**settings)
    # our template for every way pyvis renders: write_html reads template_env/path,
    # show() in a notebook the template prep_notebook loaded
    net.templateEnv = _pyvis_environment()
    net.template_dir = str(resources.files("kg") / "viewer")
    net.path = _PYVIS_TEMPLATE
    net.template = net.templateEnv.get_template(_PYVIS_TEMPLATE)
    big = graph.number_of_nodes() > _BIG_NODES or graph.number_of_edges() > _BIG_EDGES
    scores = _degree_scores(graph)
    top = max(scores.values(), default=0.0) or 1.0
    for node in sorted(graph.nodes, key=str):
        kind = graph.nodes[node].get("kind")
        kind = kind if kind in KIND_STYLES else "organization"
        label = _label(graph, node)
        net.add_node(
            str(node),
            label=label,
            title=node_title(label, kind),
            size=_node_size(scores.get(node, 0.0), top),
            **node_style(kind, big=graph.number_of_nodes() > _BIG_NODES),
        )
    pair_count: dict[tuple[str, str], int] = {}
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("summary")))):
        relation = str(data.get("relation", "part_of"))
        hedged = bool(data.get("hedged"))
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        nth = pair_count.get(pair, 0)
        pair_count[pair] = nth + 1
        extra: dict[str, Any] = {} if big else {"label": edge_caption(_edge_label(relation, data), hedged)}
        smooth = edge_curve(nth, big=big)
        if smooth is not None:
            extra["smooth"] = smooth
        net.add_edge(
            str(u),
            str(v),
            title=str(data.get("summary") or relation),
            **edge_style(relation, hedged=hedged),
            **extra,
        )
    # a dict is what pyvis serialises as is (its Options object knows only some keys)
    net.options = network_options(big=big, nodes=graph.number_of_nodes())
    return net
