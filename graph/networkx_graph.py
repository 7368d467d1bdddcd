"""Fragments applied to a networkx ``MultiDiGraph``: what :class:`~graph.networkx_store.
NetworkxStore` does to its graph under its lock, and what tests and queries build graphs with.

A fragment's nodes are merged by id, its claims restated on their nodes (``graph.claims``), its
edges merged by (source, target, key). Loading a document drops the facts of its earlier
version first; loading a data file's edges drops its old ones only when they changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from graph.claims import GRAPH_KEY, Claims, restate, without
from graph.fragment import Attrs, Fragment, source_digests, unique_edges
from graph.schema import Label

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "SHARED_LABELS",
    "SOURCES_KEY",
    "add_edges",
    "apply_fragment",
    "changed_sources",
    "claims_of",
    "drop_documents",
    "drop_sources",
    "new_graph",
]


def new_graph() -> nx.MultiDiGraph:
    """An empty ``MultiDiGraph``. networkx is imported here, on first use, not with this
    module: its import (~0.1 s) is a tenth of ``zhenkg ingest``'s start-up, and an ingest into
    the SQLite store, writing rows, needs no graph."""
    import networkx as nx

    return nx.MultiDiGraph()


def claims_of(G: nx.MultiDiGraph) -> dict[str, Claims]:
    """The documents' claims on shared nodes (``graph.claims``), by node id; kept in the
    graph's attributes, apart from the nodes' own."""
    claims: dict[str, Claims] = G.graph.setdefault(GRAPH_KEY, {})
    return claims


def apply_fragment(G: nx.MultiDiGraph, fragment: Fragment) -> None:
    """Merge a fragment's nodes, claims and edges into ``G`` (idempotent by ids and keys).

    Raises:
        ValueError: a claim or an edge refers to a node neither in the fragment nor in ``G``.
    """
    # a node's attributes straight from the graph's node dict (``G.nodes[n]`` is the same
    # dict behind a view lookup and a membership test, ~100 nodes a plan)
    held: dict[str, Attrs] = G._node
    for node_id, attrs in fragment.nodes.items():
        mine = held.get(node_id)
        if mine is not None:
            mine.update(attrs)
        else:
            G.add_node(node_id, **attrs)
    stored = claims_of(G)
    for node_id, claims in fragment.claims.items():
        mine = held.get(node_id)
        if mine is None:
            raise ValueError(f"claim on node {node_id!r} missing from the fragment")
        before = stored.get(node_id, {})
        after = {**before, **claims}
        restate(mine, before, after)
        stored[node_id] = after
    add_edges(G, fragment.edges)


def add_edges(G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, Attrs]]) -> None:
    """Merge edges ``(source, target, key, attrs)`` into ``G``, as ``G.add_edge`` would.

    A batch of 100 plans holds some 70k edges, and ``add_edge`` (endpoint checks, node
    creation, a cache reset per call) was a third of loading it: a plain ``MultiDiGraph``'s
    adjacency dicts are written here directly, in the order and with the copies ``add_edge``
    makes (``tests/graph/test_networkx_graph.py`` compares the two); subclasses go through
    ``add_edge``.

    Raises:
        ValueError: an edge refers to a node not in ``G``.
    """
    import networkx as nx  # imported by whoever made ``G``

    fast = type(G) is nx.MultiDiGraph
    succ, pred = G._succ, G._pred
    for source, target, key, attrs in edges:
        out = succ.get(source)
        if out is None or target not in succ:
            end = target if out is not None else source
            raise ValueError(f"edge {key} refers to node {end!r} missing from the fragment")
        if not fast:
            G.add_edge(source, target, key=key, **attrs)
            continue
        keys = out.get(target)
        if keys is None:
            out[target] = pred[target][source] = {key: dict(attrs)}
        else:
            stored = keys.get(key)
            if stored is None:
                keys[key] = dict(attrs)
            else:
                stored.update(attrs)  # nothing changes for an edge stored as it is
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches views of a graph
    if clear is not None:
        clear(G)


# Nodes that exist only because some document stated them; dropped when no edge is left.
SHARED_LABELS = frozenset(
    {Label.UNIT.value, Label.PERSON.value, Label.GROUP.value, Label.TOWN.value}
)


def drop_documents(G: nx.MultiDiGraph, doc_ids: list[str]) -> None:
    # every fact a document states is loaded with its Document node: no node, nothing to drop
    if not any(G.has_node(d) for d in doc_ids):
        return
    gone = set(doc_ids)
    edges = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("doc") in gone]
    touched = {n for u, v, _ in edges for n in (u, v)}
    G.remove_edges_from(edges)
    owned = [n for n, d in G.nodes(data=True) if d.get("doc") in gone or n in gone]
    G.remove_nodes_from(owned)
    orphans = [
        n
        for n in touched
        if G.has_node(n) and G.nodes[n].get("label") in SHARED_LABELS and G.degree(n) == 0
    ]
    G.remove_nodes_from(orphans)
    _drop_claims(G, gone)


def _drop_claims(G: nx.MultiDiGraph, gone: set[str]) -> None:
    """Forget the claims of ``gone``; the nodes they were on show what the others claim."""
    stored = claims_of(G)
    for node_id in [n for n, claims in stored.items() if gone & claims.keys()]:
        before = stored[node_id]
        after = without(before, gone)
        if G.has_node(node_id):
            restate(G.nodes[node_id], before, after)
        if after and G.has_node(node_id):
            stored[node_id] = after
        else:
            del stored[node_id]


# The digests of the data files' edges as this graph holds them (``graph.fragment.source_digests``),
# kept in memory only: a graph read from a file has none, and its first load scans once.
SOURCES_KEY = "zhenkg_source_digests"


def changed_sources(G: nx.MultiDiGraph, fragment: Fragment) -> list[str]:
    """The data files ``fragment`` states otherwise than ``G`` holds them (digests updated).

    Every plan's fragment restates the chain templates: comparing digests spares a walk over
    every edge of the graph for each load.
    """
    if not fragment.sources:
        return []
    held: dict[str, str] = G.graph.setdefault(SOURCES_KEY, {})
    edges = unique_edges(fragment, set(fragment.sources))
    changed = []
    for origin, digest in source_digests(edges, fragment.sources).items():
        if held.get(origin) != digest:
            changed.append(origin)
            held[origin] = digest
    return changed


def drop_sources(G: nx.MultiDiGraph, sources: list[str]) -> None:
    """Drop the edges a data file stated (nodes stay: other facts may point at them)."""
    if sources:
        gone = set(sources)
        G.remove_edges_from(
            [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if d.get("origin") in gone]
        )
