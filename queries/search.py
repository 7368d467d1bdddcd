"""Find nodes by name and explore a node's neighbourhood — over networkx."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.errors import UnknownNode
from graph.schema import Label
from queries.answers import Hit, NodeLink

SEARCHABLE = ("name", "title", "doc_number")
LABEL_RANK = {
    label.value: i
    for i, label in enumerate(
        [
            Label.UNIT,
            Label.PERSON,
            Label.TASK,
            Label.GROUP,
            Label.TOWN,
            Label.CHAIN,
            Label.CHAIN_NODE,
            Label.FIRM,
            Label.DOCUMENT,
            Label.SECTION,
            Label.MECHANISM,
        ]
    )
}


def search(G: nx.MultiDiGraph, q: str, limit: int = 50) -> list[Hit]:
    """Nodes whose name, title or number contains ``q`` (exact matches first).

    >>> G = nx.MultiDiGraph(); G.add_node("u", label="Unit", name="县工业和信息化局")
    >>> [h.name for h in search(G, "信息化")]
    ['县工业和信息化局']
    """
    q = q.strip()
    if not q:
        return []
    hits = []
    for n, d in G.nodes(data=True):
        for attr in SEARCHABLE:
            value = d.get(attr)
            if isinstance(value, str) and q in value:
                hits.append(
                    Hit(
                        id=n,
                        label=d.get("label", ""),
                        name=str(d.get("name", n)),
                        region=d.get("region"),
                        matched=value,
                    )
                )
                break
    hits.sort(key=lambda h: hit_key(h, q))
    return hits[:limit]


def hit_key(hit: Hit, q: str) -> tuple[bool, int, int, str]:
    """Sort key of a search hit: exact matches, then by label rank, shorter names, id."""
    return (hit.matched != q, LABEL_RANK.get(hit.label, 99), len(hit.name), hit.id)


def node_view(node_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A node's public attributes (long text left out)."""
    return {"id": node_id, **{k: v for k, v in data.items() if k not in ("text",)}}


def link_view(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """An edge as a node-link link: ends and key, then its attributes (``type`` among them)."""
    return {"source": source, "target": target, "key": key, **data}


def neighbourhood(
    G: nx.MultiDiGraph, focus: str | None = None, depth: int = 1, types: list[str] | None = None
) -> NodeLink:
    """Node-link JSON of ``focus`` and the nodes within ``depth`` hops (either direction).

    Without ``focus``, the whole graph. ``types`` keeps only nodes with those labels (the focus
    always stays). Nodes come in id order, links by source, target and key.

    Raises:
        UnknownNode: ``focus`` is not a node id.
    """
    if focus is not None and not G.has_node(focus):
        raise UnknownNode(f"No node with id {focus!r}")
    if focus is None:
        keep = set(G.nodes)
    else:
        keep = {focus}
        frontier = {focus}
        for _ in range(max(depth, 0)):
            nxt = set()
            for n in frontier:
                nxt.update(G.successors(n))
                nxt.update(G.predecessors(n))
            frontier = nxt - keep
            keep |= frontier
    if types:
        keep = {n for n in keep if G.nodes[n].get("label") in types or n == focus}
    nodes = [node_view(n, G.nodes[n]) for n in sorted(keep)]
    edges = sorted(
        (e for e in G.edges(keys=True, data=True) if e[0] in keep and e[1] in keep),
        key=lambda e: (e[0], e[1], e[2]),
    )
    links = [link_view(u, v, k, d) for u, v, k, d in edges]
    return NodeLink(nodes=nodes, links=links)
