"""``kg stats``: counts and the shape of the actor graph.

Centrality is computed on the undirected projection of :func:`kg.graph.actor_graph`
(one edge per linked pair, whatever the direction or the number of relations):
"who is in the middle of the story" does not depend on who bid for whom.
PageRank is left out on purpose: networkx computes it with scipy, a large
dependency for one number that degree and betweenness already approximate here.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import rdflib

from kg.graph import KINDS, actor_graph
from kg.namespaces import SPARQL_PREFIXES
from kg.store import INCOMPLETE_PATTERN

#: Relations that count as "linked through bids and regulation".
DEAL_RELATIONS = ("bid", "rejected", "regulates", "deadline")

# Exact betweenness is O(nodes * edges): sample sources beyond this size, with a
# fixed seed so two runs print the same numbers.
_EXACT_BETWEENNESS_MAX = 500
_BETWEENNESS_SAMPLE = 300

_Q_TRIPLES = SPARQL_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# an article counts once its graph has its content stamp, which a build writes last: a graph
# without one is what a killed build left (kg.store.INCOMPLETE_ARTICLES), counted apart
_Q_ARTICLES = SPARQL_PREFIXES + (
    "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a dkg:Article ; dkg:contentHash ?h } }"
)
_Q_INCOMPLETE = f"{SPARQL_PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {INCOMPLETE_PATTERN}"
_Q_EVENTS = (
    SPARQL_PREFIXES
    + """
SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g {
    VALUES ?cls { dkg:Bid dkg:Deadline dkg:Partnership dkg:Stake dkg:Ownership
                  dkg:RoleAssignment dkg:Lawsuit dkg:RegulatoryAction }
    ?e a ?cls .
} } GROUP BY ?cls
"""
)


def _count(dataset: rdflib.Dataset, query: str) -> int:
    for row in dataset.query(query):
        return int(row[0].toPython())
    return 0


def centrality(graph: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree and betweenness centrality of every node, on the undirected projection."""
    undirected = nx.Graph(graph)
    degree = (
        nx.degree_centrality(undirected) if len(undirected) > 1 else {n: 0.0 for n in undirected}
    )
    n = len(undirected)
    k = _BETWEENNESS_SAMPLE if n > _EXACT_BETWEENNESS_MAX else None
    betweenness = nx.betweenness_centrality(undirected, k=k, seed=0)
    return {
        node: {"degree": degree.get(node, 0.0), "betweenness": betweenness.get(node, 0.0)}
        for node in undirected
    }


def graph_stats(
    dataset: rdflib.Dataset, *, top: int = 10, graph: nx.MultiDiGraph | None = None
) -> dict[str, Any]:
    """Counts, most central actors, connected groups and deal links, as plain JSON data.

    ``graph`` may be passed when the caller already built :func:`kg.graph.actor_graph`.
    """
    g = graph if graph is not None else actor_graph(dataset)
    kinds = {kind: 0 for kind in KINDS.values()}
    for _, kind in g.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    events = {str(cls).rsplit("#", 1)[-1]: int(n.toPython()) for cls, n in dataset.query(_Q_EVENTS)}
    relations: dict[str, int] = {}
    for _, _, relation in g.edges(data="relation"):
        relations[relation] = relations.get(relation, 0) + 1

    scores = centrality(g)
    ranked = sorted(
        scores,
        key=lambda n: (-scores[n]["degree"], -scores[n]["betweenness"], g.nodes[n]["label"], n),
    )
    central = [
        {
            "id": n,
            "label": g.nodes[n]["label"],
            "kind": g.nodes[n]["kind"],
            "degree": round(scores[n]["degree"], 4),
            "betweenness": round(scores[n]["betweenness"], 4),
            "neighbours": len(set(g.predecessors(n)) | set(g.successors(n))),
        }
        for n in ranked[:top]
    ]

    groups = [
        sorted(g.nodes[n]["label"] for n in component)
        for component in nx.weakly_connected_components(g)
    ]
    groups.sort(key=lambda members: (-len(members), members))

    links = []
    for u, v, data in g.edges(data=True):
        if data["relation"] in DEAL_RELATIONS:
            links.append(
                {
                    "source": u,
                    "source_label": g.nodes[u]["label"],
                    "target": v,
                    "target_label": g.nodes[v]["label"],
                    "relation": data["relation"],
                    "summary": data["summary"],
                    "articles": sorted({e["article_iri"] for e in data["evidence"]}),
                }
            )
    order = {r: i for i, r in enumerate(DEAL_RELATIONS)}
    links.sort(key=lambda x: (order[x["relation"]], x["source_label"], x["target_label"]))

    return {
        "counts": {
            "articles": _count(dataset, _Q_ARTICLES),
            "incomplete_articles": _count(dataset, _Q_INCOMPLETE),
            "triples": _count(dataset, _Q_TRIPLES),
            "actors": dict(sorted(kinds.items())),
            "actors_total": g.number_of_nodes(),
            "events": dict(sorted(events.items())),
            "relations": dict(sorted(relations.items())),
            "edges_total": g.number_of_edges(),
        },
        "central": central,
        "groups": [{"size": len(m), "members": m} for m in groups],
        "links": links,
    }


def format_stats(stats: dict[str, Any], *, max_members: int = 12) -> str:
    """The terminal rendering of :func:`graph_stats`."""
    c = stats["counts"]
    lines = [
        f"Articles: {c['articles']}    Triples (in article graphs): {c['triples']}",
        *([f"Incomplete: {c['incomplete_articles']} article graph(s) without their content stamp, left by "
           "an interrupted build (not counted above); the next kg build redoes them"]
          if c.get("incomplete_articles") else []),
        f"Actors: {c['actors_total']} ("
        + ", ".join(f"{k} {n}" for k, n in c["actors"].items() if n)
        + ")",
        "Events: " + (", ".join(f"{k} {n}" for k, n in c["events"].items()) or "none"),
        f"Actor graph: {c['actors_total']} actors, {c['edges_total']} relations ("
        + ", ".join(f"{k} {n}" for k, n in c["relations"].items())
        + ")",
        "",
        "Most central actors",
    ]
    if stats["central"]:
        width = max(len(a["label"]) for a in stats["central"])
        lines.append(f"  {'#':>2}  {'actor':<{width}}  {'kind':<12}  degree  betweenness")
        for i, a in enumerate(stats["central"], 1):
            lines.append(
                f"  {i:>2}  {a['label']:<{width}}  {a['kind']:<12}  {a['degree']:6.3f}"
                f"  {a['betweenness']:11.3f}"
            )
    else:
        lines.append("  (no actors)")
    lines += ["", f"Connected groups: {len(stats['groups'])}"]
    for i, group in enumerate(stats["groups"], 1):
        members = group["members"]
        shown = ", ".join(members[:max_members])
        more = f", … (+{len(members) - max_members})" if len(members) > max_members else ""
        lines.append(f"  {i:>2}. {group['size']} actor(s): {shown}{more}")
    lines += ["", "Links through bids and regulation"]
    if stats["links"]:
        # a joint bid is one edge per bidder but one sentence
        shown_lines = dict.fromkeys(f"  [{x['relation']}] {x['summary']}" for x in stats["links"])
        lines.extend(shown_lines)
    else:
        lines.append("  (none)")
    return "\n".join(lines)
