"""Small helpers for showing dealkg results inside Jupyter.

Pure functions returning strings: they neither import IPython nor display
anything, so the library keeps no notebook dependency. A notebook wraps the
result itself, e.g. ``IPython.display.HTML(viewer_iframe(store.dataset))``.
"""

from __future__ import annotations

import html

import networkx as nx
import rdflib

from kg.viz import render_html


def iframe_srcdoc(page: str, *, height: int = 650, title: str = "dealkg") -> str:
    """An ``<iframe>`` holding a whole HTML page inline (``srcdoc``).

    The page keeps its own document, scripts and Content Security Policy, so its
    CSS and JavaScript cannot clash with the notebook's, and nothing is fetched.
    """
    if height <= 0:
        raise ValueError(f"height must be a positive number of pixels, not {height}")
    # wrapped in a <div>: IPython warns about HTML that starts with "<iframe"
    return (
        f'<div class="dealkg-viewer"><iframe title="{html.escape(title)}" '
        f'srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ccc;"></iframe></div>'
    )


def viewer_iframe(
    dataset_or_graph: rdflib.Dataset | nx.MultiDiGraph,
    *,
    height: int = 650,
    title: str = "dealkg",
    max_nodes: int = 400,
) -> str:
    """The interactive actor graph of :func:`kg.viz.render_html`, as an inline iframe."""
    page, _ = render_html(dataset_or_graph, title=title, max_nodes=max_nodes)
    return iframe_srcdoc(page, height=height, title=title)
