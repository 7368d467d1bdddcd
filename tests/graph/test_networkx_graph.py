"""``apply_fragment`` and ``add_edges`` write a MultiDiGraph's dicts directly: the same graph
node views and ``add_edge`` make."""

from __future__ import annotations

import copy
import random
from typing import Any

import networkx as nx
import pytest

from graph.claims import restate
from graph.fragment import Attrs, Fragment
from graph.networkx_graph import add_edges, apply_fragment, claims_of

Edge = tuple[str, str, str, Attrs]


def _by_add_edge(G: nx.MultiDiGraph, edges: list[Edge]) -> None:
    """What ``add_edges`` replaces: one ``add_edge`` per edge after checking its ends."""
    for source, target, key, attrs in edges:
        for end in (source, target):
            if end not in G:
                raise ValueError(f"edge {key} refers to node {end!r} missing from the fragment")
        G.add_edge(source, target, key=key, **attrs)


def _shape(G: nx.MultiDiGraph) -> Any:
    """Everything order-sensitive a reader sees: nodes, both adjacencies, keys and attributes."""
    return (
        list(G.nodes(data=True)),
        [(u, [(v, list(keys.items())) for v, keys in G._succ[u].items()]) for u in G],
        [(u, [(v, list(keys.items())) for v, keys in G._pred[u].items()]) for u in G],
        list(G.edges(keys=True, data=True)),
    )


def _edges(rng: random.Random, nodes: list[str], n: int) -> list[Edge]:
    out: list[Edge] = []
    for _ in range(n):
        attrs: Attrs = {"type": rng.choice("AB"), "w": rng.randrange(3)}
        if rng.random() < 0.3:
            attrs["origin"] = "chain:x.yaml"
        out.append((rng.choice(nodes), rng.choice(nodes), f"k{rng.randrange(4)}", attrs))
    return out


@pytest.mark.parametrize("seed", range(20))
def test_add_edges_equals_add_edge(seed: int) -> None:
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(6)]  # few nodes: self-loops, parallel and repeated keys
    first, second = _edges(rng, nodes, 40), _edges(rng, nodes, 40)
    fast, slow = nx.MultiDiGraph(), nx.MultiDiGraph()
    for G in (fast, slow):
        G.add_nodes_from(nodes)
    add_edges(fast, first)
    add_edges(fast, second)
    _by_add_edge(slow, first)
    _by_add_edge(slow, second)
    assert _shape(fast) == _shape(slow)
    # stored attributes are the graph's own copies, as add_edge makes them
    stored = {id(d) for *_, d in fast.edges(keys=True, data=True)}
    assert not stored & {id(attrs) for *_, attrs in first + second}


def test_add_edges_missing_end() -> None:
    for edge in [("a", "zz", "k", {}), ("zz", "a", "k", {})]:
        fast, slow = nx.MultiDiGraph(), nx.MultiDiGraph()
        for G in (fast, slow):
            G.add_node("a")
        with pytest.raises(ValueError) as got:
            add_edges(fast, [("a", "a", "k0", {}), edge])
        with pytest.raises(ValueError) as want:
            _by_add_edge(slow, [("a", "a", "k0", {}), edge])
        assert str(got.value) == str(want.value)
        assert _shape(fast) == _shape(slow)


def test_add_edges_subclass_goes_through_add_edge() -> None:
    class Counting(nx.MultiDiGraph):  # type: ignore[misc]
        calls = 0

        def add_edge(self, *args: Any, **kwargs: Any) -> Any:
            Counting.calls += 1
            return super().add_edge(*args, **kwargs)

    G = Counting()
    G.add_nodes_from("ab")
    add_edges(G, [("a", "b", "k", {"type": "A"})])
    assert Counting.calls == 1 and G.edges["a", "b", "k"] == {"type": "A"}


def test_add_edges_clears_cached_views() -> None:
    G = nx.MultiDiGraph()
    G.add_nodes_from("ab")
    assert G.number_of_edges() == 0
    add_edges(G, [("a", "b", "k", {})])
    assert list(G.edges) == [("a", "b", "k")] and G.number_of_edges() == 1


def _apply_the_long_way(G: nx.MultiDiGraph, fragment: Fragment) -> None:
    """``apply_fragment`` as it was: node views, ``has_node`` and ``add_edge``."""
    for node_id, attrs in fragment.nodes.items():
        if G.has_node(node_id):
            G.nodes[node_id].update(attrs)
        else:
            G.add_node(node_id, **attrs)
    stored = claims_of(G)
    for node_id, claims in fragment.claims.items():
        before = stored.get(node_id, {})
        after = {**before, **claims}
        restate(G.nodes[node_id], before, after)
        stored[node_id] = after
    _by_add_edge(G, fragment.edges)


def test_apply_fragment_equals_the_long_way(sample_fragment: Fragment) -> None:
    later = copy.deepcopy(sample_fragment)
    for attrs in later.nodes.values():
        attrs["seen"] = 2  # restated nodes take the later attributes
    for claims in later.claims.values():
        for c in claims.values():
            c["date"] = "2099-01-01"
    fast, slow = nx.MultiDiGraph(), nx.MultiDiGraph()
    for f in (sample_fragment, later, sample_fragment):
        apply_fragment(fast, f)
        _apply_the_long_way(slow, f)
        assert _shape(fast) == _shape(slow) and claims_of(fast) == claims_of(slow)
