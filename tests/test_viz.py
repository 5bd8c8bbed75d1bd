"""The HTML viewer, checked as text: offline, escaped, complete. No browser here."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from kg.graph import RELATIONS, actor_graph
from kg.viz import json_for_html, write_html

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
SCRIPT_PAYLOAD = "</script><script>window.__xss=1</script>"
IMG_PAYLOAD = "<img src=x onerror=window.__xss=1>"


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def page(dataset: rdflib.Dataset, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    report = write_html(dataset, path, title="Deals <b>&</b>")
    assert report.path == path
    assert (report.nodes_drawn, report.edges_drawn, report.nodes_left_out) == (11, 13, 0)
    return path.read_text(encoding="utf-8")


def page_data(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="dkg-data">(.*?)</script>', page, re.S
    )
    assert match
    return json.loads(match.group(1))


def test_page_loads_nothing_from_the_network(page: str) -> None:
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, re.I):
        assert not re.search(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", tag, re.I), tag
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert "bootstrap" not in page.lower()


def test_vis_network_is_inlined_from_pyvis(page: str) -> None:
    assert "@version 9.1.2" in page
    assert "vis-network" in page
    # the page's own scripts: data, vis-network, the viewer
    assert len(re.findall(r"</script>", page)) == 3


def test_article_text_is_escaped_everywhere(page: str) -> None:
    assert SCRIPT_PAYLOAD not in page
    assert IMG_PAYLOAD not in page
    assert "onerror=window.__xss" in page  # present, but only inside escaped JSON
    assert "\\u003cimg src=x onerror=window.__xss=1\\u003e" in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003e" in page
    # and JSON.parse gives the sentence back exactly
    sentences = [
        ev["sentence"]
        for e in page_data(page)["edges"]
        for ev in e["evidence"]
        if ev["sentence"]
    ]
    assert any(SCRIPT_PAYLOAD in s and IMG_PAYLOAD in s and "& co." in s for s in sentences)


def test_title_is_escaped(page: str) -> None:
    assert "<title>Deals &lt;b&gt;&amp;&lt;/b&gt;</title>" in page
    assert "<b>&</b>" not in page


def test_content_security_policy_allows_only_the_page_scripts(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_nodes_edges_and_legend_are_in_the_page(page: str) -> None:
    data = page_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Microsoft", "ByteDance", "TikTok (États-Unis)", "CFIUS", "Reuters"} <= labels
    assert {e["relation"] for e in data["edges"]} == set(RELATIONS)
    assert [k["id"] for k in data["kinds"]] == ["organization", "person", "government", "media"]
    assert [r["id"] for r in data["relations"]] == list(RELATIONS)
    for element in ("kind-legend", "relation-filters", "timeline", "panel", "search", "date-from"):
        assert f'id="{element}"' in page
    bid = next(e for e in data["edges"] if e["summary"].startswith("Microsoft →"))
    assert bid["summary"] == "Microsoft → TikTok (États-Unis): bid, rejected by ByteDance"
    assert bid["label"] == "bid · rejected"
    assert bid["evidence"][0]["article_title"]
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["TikTok (États-Unis)"] > sizes["Reuters"]  # size follows centrality
    assert [t["date"] for t in data["timeline"]][:2] == ["2020-08", "2020-09"]
    assert data["notice"] == ""


def test_max_nodes_keeps_the_most_central_and_says_what_it_left_out(
    dataset: rdflib.Dataset, tmp_path: Path
) -> None:
    report = write_html(dataset, tmp_path / "cut.html", max_nodes=3)
    assert (report.nodes_drawn, report.nodes_left_out) == (3, 8)
    data = page_data((tmp_path / "cut.html").read_text(encoding="utf-8"))
    assert data["notice"].startswith("Showing 3 of 11 actors (most central)")
    assert "TikTok (États-Unis)" in {n["label"] for n in data["nodes"]}
    assert "Reuters" in data["leftOut"]
    assert data["leftOutCount"] == 8
    kept = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])
    assert report.edges_drawn == len(data["edges"])


def test_accepts_a_networkx_graph_and_writes_atomically(dataset, tmp_path: Path) -> None:
    graph = actor_graph(dataset)
    target = tmp_path / "out" / "graph.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    report = write_html(graph, target)
    assert report.nodes_drawn == graph.number_of_nodes()
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]  # no temp file left


def test_empty_graph_still_gives_a_page(tmp_path: Path) -> None:
    report = write_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert (report.nodes_drawn, report.edges_drawn) == (0, 0)
    assert page_data((tmp_path / "empty.html").read_text(encoding="utf-8"))["nodes"] == []


def test_json_for_html_escapes_markup_characters() -> None:
    text = json_for_html({"s": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><!-- & \u2028"}


def test_page_assets_are_declared_package_data() -> None:
    # a non-editable install copies only what pyproject.toml declares
    import tomllib
    from fnmatch import fnmatch

    root = Path(__file__).parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["kg"]
    assets = sorted(p.relative_to(root / "kg").as_posix() for p in (root / "kg" / "viewer").iterdir())
    assert {"page.html.j2", "viewer.js", "viewer.css"} <= {Path(a).name for a in assets}
    for asset in assets:
        assert any(fnmatch(asset, g) for g in globs), f"kg/{asset} is not package data"


def test_to_pyvis_styles_actors_and_relations_like_the_page(dataset, page: str) -> None:
    from pyvis.network import Network

    from kg.viz import to_pyvis

    net = to_pyvis(dataset)
    assert isinstance(net, Network)
    nodes = {n["label"]: n for n in net.nodes}
    assert len(nodes) == 11 and len(net.edges) == 13
    # the same looks as the page's: one declaration (kg.viz.node_style / edge_style) for both
    kinds = {k["id"]: k for k in page_data(page)["kinds"]}
    for label, kind, color, shape in [
        ("Microsoft", "organization", "#4e79a7", "dot"),
        ("Donald Trump", "person", "#f28e2b", "diamond"),
        ("CFIUS", "government", "#e15759", "square"),
        ("Reuters", "media", "#59a14f", "triangle"),
    ]:
        assert nodes[label]["color"]["background"] == color
        assert nodes[label]["shape"] == shape
        assert nodes[label]["color"] == kinds[kind]["vis"]["color"]
    assert nodes["Microsoft"]["title"] == "Microsoft (Company)"
    relations = {r["id"]: r for r in page_data(page)["relations"]}
    bid = next(e for e in net.edges if e["title"].startswith("Microsoft →"))
    assert bid["color"]["color"] == "#1f6fd1" == relations["bid"]["vis"]["color"]["color"]
    assert bid["label"] == "bid · rejected"
    rejected = next(e for e in net.edges if "rejected Microsoft" in e["title"])
    assert rejected["dashes"] == [8, 5]
    hedged = [e for e in net.edges if e["label"].endswith("(reported)")]
    assert hedged and all(e["color"]["opacity"] == 0.45 for e in hedged)
    # options go to pyvis
    assert to_pyvis(dataset, height="300px").height == "300px"


def test_to_pyvis_keeps_titles_as_text_and_its_page_escapes_them(tmp_path: Path) -> None:
    from kg.viz import to_pyvis

    g = nx.MultiDiGraph()
    g.add_node("a", label=SCRIPT_PAYLOAD, kind="person")
    g.add_node("b", label="B & co", kind="organization")
    g.add_edge("a", "b", relation="bid", summary=IMG_PAYLOAD + " href", evidence=[])
    net = to_pyvis(g, heading=IMG_PAYLOAD)
    # the Network holds what a reader should read (vis-network shows titles as text) ...
    titles = {n["title"] for n in net.nodes} | {e["title"] for e in net.edges}
    assert titles == {SCRIPT_PAYLOAD + " (Person)", "B & co (Company)", IMG_PAYLOAD + " href"}
    assert {n["label"] for n in net.nodes} == {SCRIPT_PAYLOAD, "B & co"}
    # ... and its page never carries it as markup
    net.write_html(str(tmp_path / "net.html"))
    text = (tmp_path / "net.html").read_text(encoding="utf-8")
    assert SCRIPT_PAYLOAD not in text and IMG_PAYLOAD not in text
    assert "<h1>&lt;img src=x onerror=window.__xss=1&gt;</h1>" in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.__xss=1" in text


def test_to_pyvis_refuses_what_only_pyvis_own_online_page_has() -> None:
    from kg.viz import to_pyvis

    with pytest.raises(ValueError, match="select_menu need pyvis's own page"):
        to_pyvis(nx.MultiDiGraph(), select_menu=True)


def test_to_pyvis_show_and_write_html_produce_one_offline_page(dataset, tmp_path: Path, monkeypatch) -> None:
    from kg.viz import to_pyvis

    monkeypatch.chdir(tmp_path)  # pyvis may write lib/ into the working folder: it must not
    net = to_pyvis(dataset)
    net.show("shown.html")
    net.write_html(str(tmp_path / "written.html"))
    to_pyvis(dataset, notebook=False).write_html(str(tmp_path / "script.html"))
    for name in ("shown.html", "written.html", "script.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "vis.DataSet" in text and "Microsoft (Company)" in text
        assert "@version 9.1.2" in text  # vis-network inlined
        # nothing fetched: no bootstrap, no CDN, no script or stylesheet from elsewhere
        test_page_loads_nothing_from_the_network(text)
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
        for body in re.findall(r"<script>(.*?)</script>", text, re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["script.html", "shown.html", "written.html"]


def test_articles_link_to_their_web_address_else_their_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("texte", encoding="utf-8")
    g = nx.MultiDiGraph()
    g.graph["articles"] = {
        "urn:web": {"title": "w", "date": None, "url": "https://example.org/x", "source": "a.txt"},
        "urn:txt": {"title": "t", "date": None, "url": None, "source": "a.txt"},
        "urn:jsonl": {"title": "j", "date": None, "url": None, "source": "corpus.jsonl:12"},
        "urn:js": {"title": "s", "date": None, "url": "javascript:alert(1)", "source": "gone.txt"},
    }
    write_html(g, tmp_path / "g.html")
    hrefs = {k: v["href"] for k, v in page_data((tmp_path / "g.html").read_text(encoding="utf-8"))["articles"].items()}
    assert hrefs == {
        "urn:web": "https://example.org/x",
        "urn:txt": (tmp_path / "a.txt").resolve().as_uri(),
        "urn:jsonl": (tmp_path / "corpus.jsonl").resolve().as_uri(),
        "urn:js": None,
    }


def test_kg_viz_writes_the_same_bytes_whatever_the_hash_seed(generated_store: str, tmp_path: Path) -> None:
    # a set's order changes with PYTHONHASHSEED; at a few hundred articles the page used to
    # follow it (the same sentence twice in one article, evidence in set order)
    kg = str(Path(sys.executable).with_name("kg"))
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"viz{seed}.html"
        done = subprocess.run(
            [kg, "viz", "--store", generated_store, "-o", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
        pages.append(out.read_bytes())
    assert len(page_data(pages[0].decode("utf-8"))["nodes"]) > 60  # a graph at scale, not the seeds
    assert pages[0] == pages[1]
