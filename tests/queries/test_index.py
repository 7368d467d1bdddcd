"""The indexed questions (``queries.index``) answer as the pure functions do, and cached answers
follow the store's version."""

from __future__ import annotations

import copy

import pytest

from graph.errors import UnknownUnit
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.schema import Label
from graph.sqlite_store import SqliteStore
from graph.store import EmbeddedStore, GraphStore
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file
from queries import coverage as cov
from queries import responsibility as resp
from queries import search as srch
from queries.index import GraphIndex, coverage_of, snapshot_of
from queries.service import Questions
from tests.multidoc import GAOPING, JINCHENG, SAMPLE, YANGCHENG, ingest


@pytest.fixture(scope="module")
def many() -> NetworkxStore:
    """Four plans of three regions in one store."""
    store = NetworkxStore(None)
    ingest(store, SAMPLE, YANGCHENG, GAOPING, JINCHENG)
    return store


def test_indexed_questions_answer_as_the_pure_functions(many: NetworkxStore) -> None:
    G = many.graph
    ix = GraphIndex(G)
    units = resp.nodes_of(G, Label.UNIT)
    assert units == ix.nodes_of(Label.UNIT)
    for u in units:
        assert ix.tasks_of(u) == resp.tasks_of(G, u), u
    names = {G.nodes[u]["name"] for u in units} | {"县工信局", "县不存在局"}
    for name in sorted(names):
        for region in (None, "泽州县", "阳城县"):
            try:
                expected = resp.unit_ids(G, name, region)
            except UnknownUnit:
                with pytest.raises(UnknownUnit):
                    ix.unit_ids(name, region)
                continue
            assert ix.unit_ids(name, region) == expected, (name, region)
    for q in ("局", "县工业和信息化局", "招商", "刘", "17号", "nothing", " "):
        for limit in (1, 5, 50, 500):
            assert ix.search(q, limit) == srch.search(G, q, limit), (q, limit)
    for focus in [
        units[0],
        units[-1],
        resp.nodes_of(G, Label.TASK)[3],
        "doc:泽州县:泽政办发〔2023〕17号",
    ]:
        for depth in (0, 1, 2):
            for types in (None, ["Unit", "Task"]):
                assert ix.neighbourhood(focus, depth, types) == srch.neighbourhood(
                    G, focus, depth, types
                )
    for region in (None, "泽州县", "阳城县", "高平市", "无此县"):
        assert coverage_of(ix, region) == cov.coverage(G, region), region


def test_the_name_index_finds_what_the_scan_finds(many: NetworkxStore) -> None:
    """Every 1-, 2- and 3-character piece of every searchable value, whole values (exact
    matches first), pieces across a name and its title, and a node whose title is the query
    but whose name holds it first: the same hits in the same order at every limit."""
    G = many.graph
    G2 = G.copy()
    G2.add_node("x:1", label="Task", name="县工信局牵头", title="工信")
    G2.add_node("x:2", label="Unit", name="工信")
    G2.add_node("x:3", label="Person", title="工信\0局")
    queries: dict[str, None] = {"工信": None, "\0": None, "工信\0局": None, "信\0": None}
    for _, d in G.nodes(data=True):
        for attr in srch.SEARCHABLE:
            value = d.get(attr)
            if isinstance(value, str):
                queries[value] = None
                for k in (1, 2, 3):
                    for i in range(0, max(len(value) - k, 0) + 1, 3):
                        queries[value[i : i + k]] = None
    for graph in (G, G2):
        ix = GraphIndex(graph)
        for q in queries:
            for limit in (-1, 0, 1, 7, 50, 200):
                assert ix.search(q, limit) == srch.search(graph, q, limit), (q, limit)


def test_matrix_filters(many: NetworkxStore) -> None:
    q = Questions(many)
    full = q.matrix()
    assert full == resp.matrix(many.graph)
    assert q.matrix() is full  # kept on the snapshot, not copied
    regional = q.matrix(region="阳城县")
    tasks = {t.id for t in regional.tasks}
    assert tasks and all(many.graph.nodes[t]["doc"].startswith("doc:阳城县") for t in tasks)
    assert regional.units and all(set(u.cells) <= tasks and u.cells for u in regional.units)
    doc = "doc:泽州县:泽政办发〔2023〕17号"
    one = q.matrix(document=doc)
    assert {t.id for t in one.tasks} == {
        t for t in resp.nodes_of(many.graph, Label.TASK) if many.graph.nodes[t]["doc"] == doc
    }


@pytest.mark.parametrize("kind", ["json", "sqlite"])
def test_answers_follow_the_store_version(kind: str, sample_fragment: Fragment) -> None:
    chains_fragment = register_load(SAMPLE_REGISTER)[0]
    chains_fragment.merge(document_fragment(extract_file(SAMPLE)))
    store: EmbeddedStore = NetworkxStore(None) if kind == "json" else SqliteStore(None)
    store.load(copy.deepcopy(sample_fragment))
    q = Questions(store)
    before = q.units()
    assert q.units() is before  # cached
    snap = snapshot_of(store)
    assert snapshot_of(store) is snap
    store.load(copy.deepcopy(chains_fragment))
    assert snapshot_of(store) is not snap
    assert q.chains() and q.units() is not before
    store.remove_documents(["doc:泽州县:泽政办发〔2023〕17号"])
    assert all(u.task_count == 0 for u in q.units())


def test_gaps_of_many_plans_alike_on_every_store(store: GraphStore) -> None:
    """Matched keywords, units and people of every gap in one order on networkx and Cypher."""
    reference = NetworkxStore(None)
    for s in (store, reference):
        ingest(s, SAMPLE, YANGCHENG, GAOPING, JINCHENG)
        s.load(register_load(SAMPLE_REGISTER)[0])
    ours, theirs = Questions(store), Questions(reference)
    chains = theirs.chains()
    assert chains and ours.chains() == chains
    for chain in chains:
        for town in [None, *(t.id for t in chain.towns)]:
            for thin in (1, 2, 5):
                assert ours.gaps(chain.id, town, thin) == theirs.gaps(chain.id, town, thin)
