"""Fragments share the chain templates' edges; loading restated edges changes only what differs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import graph.networkx_store as nxs
from graph.fragment import Fragment, unique_edges
from graph.networkx_store import NetworkxStore, apply_fragment, graph_to_json
from graph.schema import Label, Rel
from graph.sqlite_store import SqliteStore
from ingest import load
from ingest.pipeline import extract_file

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "zezhou-2023-17.txt"


def test_restated_edge_changes_only_what_differs() -> None:
    f = Fragment()
    f.node("chain:x", Label.CHAIN)
    f.node("chainnode:x:a", Label.CHAIN_NODE)
    f.edge("chain:x", "chainnode:x:a", Rel.HAS_NODE, origin="chain:x.yaml")
    G = nx.MultiDiGraph()
    apply_fragment(G, f)
    apply_fragment(G, f)
    ((s, t, key, attrs),) = f.edges
    assert list(G.edges(keys=True, data=True)) == [(s, t, key, attrs)]
    apply_fragment(G, Fragment(edges=[(s, t, key, {**attrs, "note": "x"})]))
    assert G.edges[s, t, key] == {**attrs, "note": "x"}


def test_templates_shared_and_left_as_built(tmp_path: Path) -> None:
    record = extract_file(SAMPLE)
    templates = load._templates_fragment(str(load.chains_dir()))
    before = copy.deepcopy(templates)
    one, two = load.document_fragment(record), load.document_fragment(record)
    shared = {id(e) for e in templates.edges}
    assert shared <= {id(e) for e in one.edges} & {id(e) for e in two.edges}
    batch = Fragment()
    batch.merge(one)
    batch.merge(two)
    memory, sqlite = NetworkxStore(), SqliteStore(tmp_path / "s.db")
    for store in (memory, sqlite):
        store.load(batch)
    single = NetworkxStore()
    single.load(load.document_fragment(record))
    assert graph_to_json(memory.graph) == graph_to_json(single.graph)
    assert sqlite.counts() == single.counts()
    assert templates == before


def _template(*ends: str) -> Fragment:
    f = Fragment(sources=["chain:x.yaml"])
    f.node("chain:x", Label.CHAIN)
    for end in ends:
        f.node(end, Label.CHAIN_NODE)
        f.edge("chain:x", end, Rel.HAS_NODE, end, origin="chain:x.yaml")
    return f


def test_a_data_file_restated_replaces_its_edges_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stores compare a data file's digest: the same edges again drop nothing (the in-memory
    store does not even walk its edges), fewer edges drop the ones left out."""
    walks: list[list[str]] = []
    drop = nxs.drop_sources
    monkeypatch.setattr(nxs, "drop_sources", lambda G, s: (walks.append(s), drop(G, s)))
    for store in (NetworkxStore(), SqliteStore(tmp_path / "s.db")):
        walks.clear()
        store.load(_template("chainnode:x:a", "chainnode:x:b"))
        store.load(_template("chainnode:x:a", "chainnode:x:b"))
        assert store.counts()["edges"] == 2
        store.load(_template("chainnode:x:a"))
        G = store.read_graph()
        assert [v for _, v in G.edges()] == ["chainnode:x:a"]
        assert G.has_node("chainnode:x:b")  # nodes stay: other facts may point at them
        store.load(_template("chainnode:x:a", "chainnode:x:b"))
        assert store.counts()["edges"] == 2
        if isinstance(store, NetworkxStore):
            assert walks == [["chain:x.yaml"], [], ["chain:x.yaml"], ["chain:x.yaml"]]


def _unique_edges_one_by_one(fragment: Fragment, origins: set[str] | None) -> dict[Any, Any]:
    """``unique_edges`` as it was: every edge merged, repeated objects too."""
    out: dict[Any, Any] = {}
    for source, target, key, attrs in fragment.edges:
        if origins is None or attrs.get("origin") in origins:
            out.setdefault((source, target, key), {}).update(attrs)
    return out


def test_unique_edges_skipping_repeated_objects_equal_every_edge_merged() -> None:
    shared = ("a", "b", "SUPPLIES|chain:x.yaml", {"origin": "chain:x.yaml", "type": "SUPPLIES"})
    other = ("a", "b", "SUPPLIES|chain:x.yaml", {"origin": "chain:x.yaml", "note": "later"})
    plan = ("d", "a", "ADDRESSES|doc:x", {"doc": "doc:x", "type": "ADDRESSES"})
    f = Fragment(edges=[shared, plan, shared, other, shared, plan, ("c", "a", "k", {})])
    for origins in (None, {"chain:x.yaml"}, set()):
        got, want = unique_edges(f, origins), _unique_edges_one_by_one(f, origins)
        assert got == want and [list(a) for a in got.values()] == [list(a) for a in want.values()]
        assert list(got) == list(want)


def test_unique_edges_a_repeat_after_another_statement_still_wins() -> None:
    """A shared edge repeated after a conflicting statement of its key is merged again."""
    shared = ("a", "b", "k", {"type": "SUPPLIES", "weight": 1})
    other = ("a", "b", "k", {"type": "SUPPLIES", "weight": 2})
    f = Fragment(edges=[shared, other, shared])
    assert unique_edges(f) == _unique_edges_one_by_one(f, None) == {("a", "b", "k"): shared[3]}
