"""The graph as an interactive pyvis (vis-network) page that makes no request off the host.

pyvis writes vis-network inline (``cdn_resources="in_line"``) but still links bootstrap from a
CDN; :func:`offline` removes every tag that loads from ``http(s)://`` and refuses a page where
one is left. Physics runs only until the layout stabilises (a few hundred iterations), so a
page of one or two thousand nodes stays responsive; the page freezes it afterwards.

>>> G = nx.MultiDiGraph()
>>> G.add_node("u", label="Unit", name="县工业和信息化局")
>>> G.add_node("t", label="Task", name="强化产业集聚")
>>> _ = G.add_edge("u", "t", type="RESPONSIBLE_FOR")
>>> html = explorer_html(G)
>>> "vis.Network" in html and html.startswith("<!DOCTYPE html>") and remote_tags(html) == []
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx
from pyvis.network import Network

from graph.schema import Label

# Colour-blind-safe palette (Tableau 10), one colour per label.
COLOURS: dict[str, str] = {
    Label.UNIT.value: "#4e79a7",
    Label.PERSON.value: "#e15759",
    Label.TASK.value: "#f28e2b",
    Label.GROUP.value: "#b07aa1",
    Label.DOCUMENT.value: "#59a14f",
    Label.SECTION.value: "#bab0ac",
    Label.MECHANISM.value: "#d4a6c8",
    Label.TOWN.value: "#76b7b2",
    Label.CHAIN.value: "#9c755f",
    Label.CHAIN_NODE.value: "#edc948",
    Label.FIRM.value: "#ff9da7",
    Label.PROGRESS.value: "#79706e",
}
SHAPES = {
    Label.DOCUMENT.value: "square",
    Label.TASK.value: "diamond",
    Label.GROUP.value: "star",
    Label.CHAIN.value: "hexagon",
    Label.TOWN.value: "triangle",
}
SIZES = {
    Label.DOCUMENT.value: 22,
    Label.GROUP.value: 22,
    Label.CHAIN.value: 22,
    Label.TOWN.value: 18,
    Label.UNIT.value: 16,
    Label.TASK.value: 14,
    Label.CHAIN_NODE.value: 12,
    Label.PERSON.value: 10,
    Label.FIRM.value: 8,
    Label.SECTION.value: 8,
    Label.MECHANISM.value: 8,
    Label.PROGRESS.value: 8,
}
LABEL_CHARS = 14
LARGE = 300  # nodes above which the layout is cruder but quicker

_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I | re.S)
_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I | re.S
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.I)
_REMOTE_ATTR = re.compile(
    r"<(?:link|script|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?"
    r"(?:https?:)?//[^>]*>",
    re.I | re.S,
)


def short(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> short("强化产业集聚，实施特色产业壮大行动", 8)
    '强化产业集聚，…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def vis_node(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """The vis-network options of one node: short label, tooltip, colour, shape, type."""
    label = str(data.get("label", "?"))
    name = str(data.get("name") or data.get("title") or node)
    return {
        "label": short(name),
        "title": f"{label} · {name} · {node}",
        "color": COLOURS.get(label, "#999999"),
        "shape": SHAPES.get(label, "dot"),
        "size": SIZES.get(label, 10),
        "kind": label,  # read by the explorer's filters
        "name": name,  # full name, for the explorer's search
    }


def stabilisation_iterations(n_nodes: int) -> int:
    """Fewer layout iterations for bigger graphs, so the page settles within seconds.

    >>> stabilisation_iterations(100), stabilisation_iterations(1000), stabilisation_iterations(2000)
    (400, 200, 100)
    """
    return max(100, min(400, 200_000 // max(n_nodes, 1)))


def options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: stabilise, then the page switches physics off."""
    large = n_nodes > LARGE
    # Barnes-Hut with strong damping settles a couple of thousand nodes in ~100 iterations;
    # forceAtlas2 lays small graphs out more evenly.
    solver = (
        {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -2500, "springLength": 95, "damping": 0.5},
        }
        if large
        else {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 90,
                "avoidOverlap": 0.2,
            },
        }
    )
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {
            "enabled": True,
            **solver,
            "stabilization": {
                "enabled": True,
                "iterations": stabilisation_iterations(n_nodes),
                "updateInterval": 25,
                "fit": True,
            },
            "minVelocity": 2 if large else 1.5,
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": True,
        },
        "edges": {
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#c0c0c0", "highlight": "#333333", "hover": "#666666"},
            "width": 0.8,
        },
        "nodes": {"font": {"size": 12, "face": "sans-serif"}, "borderWidth": 1},
    }


def network(
    G: nx.MultiDiGraph, nodes: Iterable[str] | None = None, height: str = "100%"
) -> Network:
    """A pyvis network of ``G`` (or of the ``nodes`` given), one edge per pair and type."""
    keep = set(G.nodes) if nodes is None else {n for n in nodes if G.has_node(n)}
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    order = [n for n in G.nodes if n in keep]
    for n in order:
        net.add_node(n, **vis_node(n, G.nodes[n]))
    # pyvis checks each edge end against a list; the ends are known to exist, so skip it.
    seen: set[tuple[str, str, str]] = set()
    for u, v, d in G.edges(data=True):
        kind = str(d.get("type", ""))
        if u in keep and v in keep and (u, v, kind) not in seen:
            seen.add((u, v, kind))
            net.edges.append({"from": u, "to": v, "title": kind, "arrows": "to"})
    net.set_options(json.dumps(options(len(order))))
    return net


def remote_tags(html: str) -> list[str]:
    """Tags of ``html`` that would load something from another host."""
    return [m.group(0) for m in _REMOTE_ATTR.finditer(html)]


def offline(html: str) -> str:
    """``html`` without remote stylesheet and script tags, nor pyvis's empty heading.

    >>> remote = "https" + "://cdn.x/b.css"
    >>> offline(f'<link href="{remote}" rel="stylesheet"/><p>x</p>')
    '<p>x</p>'

    Raises:
        ValueError: a remote resource is left that cannot simply be dropped.
    """
    html = _REMOTE_SCRIPT.sub("", _REMOTE_LINK.sub("", html))
    html = _EMPTY_HEADING.sub("", html)
    left = remote_tags(html)
    if left:
        raise ValueError(f"page still loads remote resources: {left[:3]}")
    return html


def explorer_html(
    G: nx.MultiDiGraph,
    nodes: Iterable[str] | None = None,
    *,
    title: str = "zhenkg",
    head: str = "",
    before: str = "",
    after: str = "",
    height: str = "100%",
) -> str:
    """A self-contained page drawing ``G`` (or ``nodes`` of it), safe to open offline.

    Args:
        G: the graph; nodes carry ``label`` and ``name``.
        nodes: the nodes to draw (default: all).
        title: the page title.
        head: markup added at the end of ``<head>`` (stylesheets of the embedding page).
        before: markup placed before the network (controls, legend).
        after: markup placed after pyvis's script (scripts that use ``network``, ``nodes``).
        height: CSS height of the network.
    """
    html = offline(network(G, nodes, height).generate_html())
    html = html.replace(
        "<head>",
        f'<head>\n<meta name="viewport" content="width=device-width">'
        f"\n<title>{_escape(title)}</title>",
        1,
    )
    html = html.replace("</head>", f"{head}\n</head>", 1)
    html = re.sub(r"<body>", lambda _: f"<body>\n{before}", html, count=1)
    index = html.rfind("</body>")
    return "<!DOCTYPE html>\n" + html[:index] + after + "\n" + html[index:]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
