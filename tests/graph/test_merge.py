"""Many plans in one graph: regions kept apart, idempotent re-ingest, versions, citations."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graph.build import document_key, record_fragment
from graph.errors import UnknownNode
from graph.merge import (
    PlaceholderDocument,
    load_document,
    merge_document,
    merge_numbers,
    placeholder_id,
    remove_document,
    stored_documents,
)
from graph.schema import Label, Rel, document_id, person_id, unit_id
from graph.store import EmbeddedStore, GraphStore, open_embedded
from graph.versions import Version, version_json, version_tasks
from ingest.batch import ingest_paths
from ingest.pipeline import extract_file
from tests.multidoc import (
    ADDED,
    DROPPED,
    EDITED_TASK,
    GAOPING,
    JINCHENG,
    SAMPLE,
    YANGCHENG,
    ZEZHOU_DOC,
    edges_of,
    edited_sample,
    embedded_store,
    ingest,
    nodes_of,
    store_file,
)

YANGCHENG_DOC = "doc:阳城县:阳政办发〔2023〕21号"
GAOPING_DOC = "doc:高平市:高政办发〔2023〕35号"
JINCHENG_DOC = "doc:晋城市:晋市政办发〔2023〕5号"
PROVINCE = "晋政办发〔2022〕80号"
CITY = "晋市政办发〔2023〕5号"


def _cites(G: nx.MultiDiGraph) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in G.edges(data=True) if d["type"] == Rel.CITES.value}


def _documents(G: nx.MultiDiGraph) -> set[str]:
    return {n for n, d in G.nodes(data=True) if d["label"] == Label.DOCUMENT.value}


@pytest.fixture(params=["sqlite", "json"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each embedded store: SQLite (the default) and the JSON file of the earlier format."""
    return str(request.param)


@pytest.fixture
def three(tmp_path: Path, kind: str) -> EmbeddedStore:
    """A file store holding the sample and the two other counties' plans."""
    store = embedded_store(kind, tmp_path)
    ingest(store, SAMPLE, YANGCHENG, GAOPING)
    return store


def test_units_and_people_are_scoped_by_region(three: EmbeddedStore) -> None:
    G = three.read_graph()
    for region in ("泽州县", "阳城县"):
        assert G.has_node(unit_id(region, "县工业和信息化局"))
    assert G.has_node(unit_id("高平市", "市工业和信息化局"))
    # 张三 chairs both counties' groups: two people, each holding a post in their own region.
    for region, title in (("阳城县", "县长"), ("高平市", "市长")):
        pid = person_id(region, "张三")
        posts = [(v, d["title"]) for _, v, d in G.out_edges(pid, data=True) if d["type"] == "HOLDS"]
        assert posts == [(unit_id(region, title[0] + "人民政府"), title)]
    # No task of one county has a unit of another.
    for u, t, d in G.edges(data=True):
        if d["type"] == Rel.RESPONSIBLE_FOR.value:
            assert G.nodes[u]["region"] == G.nodes[G.nodes[t]["doc"]]["region"]
    groups = sorted(d["region"] for _, d in G.nodes(data=True) if d["label"] == "Group")
    assert groups == ["泽州县", "阳城县", "高平市"]


def test_ingesting_again_changes_nothing(three: EmbeddedStore, kind: str, tmp_path: Path) -> None:
    before_counts = three.counts()
    nodes, edges = nodes_of(three.read_graph()), edges_of(three.read_graph())
    report = ingest(three, SAMPLE, YANGCHENG, GAOPING)
    assert [item.merged.status for item in report.loaded] == ["unchanged"] * 3
    assert three.counts() == before_counts
    assert nodes_of(three.read_graph()) == nodes and edges_of(three.read_graph()) == edges
    reread = open_embedded(store_file(kind, tmp_path)).read_graph()  # the file holds the same
    assert nodes_of(reread) == nodes and edges_of(reread) == edges


def test_a_changed_version_changes_exactly_that_tasks_edges(
    three: EmbeddedStore, tmp_path: Path
) -> None:
    nodes, edges = nodes_of(three.read_graph()), edges_of(three.read_graph())
    report = ingest(three, edited_sample(tmp_path))
    assert report.loaded[0].merged.status == "updated" and report.loaded[0].merged.version == 2

    G = three.read_graph()
    gone, new = edges - edges_of(G), edges_of(G) - edges
    assert [json.loads(e)[:2] for e in gone] == [[unit_id("泽州县", DROPPED), EDITED_TASK]]
    assert [json.loads(e)[:2] for e in new] == [[unit_id("泽州县", ADDED), EDITED_TASK]]
    changed = {n for n in nodes.keys() & nodes_of(G).keys() if nodes[n] != nodes_of(G)[n]}
    assert changed == {ZEZHOU_DOC, EDITED_TASK}  # history and source; the task's own text
    assert set(nodes_of(G)) - set(nodes) == {unit_id("泽州县", ADDED)}
    assert set(nodes) - set(nodes_of(G)) == set()  # 县市场监督管理局 is still on other tasks

    versions = G.nodes[ZEZHOU_DOC]["versions"]
    assert [(v["version"], v["source"]) for v in versions] == [
        (1, SAMPLE.name),
        (2, "zezhou-edited.txt"),
    ]
    said = {v["version"]: dict(v["tasks"][1]["units"]) for v in versions}
    assert DROPPED in said[1] and ADDED not in said[1]
    assert ADDED in said[2] and DROPPED not in said[2]
    assert G.nodes[ZEZHOU_DOC]["version"] == 2


def test_going_back_to_an_earlier_text_is_a_new_version(
    three: EmbeddedStore, tmp_path: Path
) -> None:
    ingest(three, edited_sample(tmp_path))
    ingest(three, SAMPLE)
    versions = three.read_graph().nodes[ZEZHOU_DOC]["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[2]["sha256"] == versions[0]["sha256"]
    ingest(three, SAMPLE)
    assert len(three.read_graph().nodes[ZEZHOU_DOC]["versions"]) == 3


def test_citations_go_to_placeholders_that_the_cited_document_replaces(kind: str) -> None:
    store = embedded_store(kind)
    ingest(store, YANGCHENG, GAOPING)
    G = store.read_graph()
    province, city = placeholder_id(PROVINCE), placeholder_id(CITY)
    assert G.nodes[province]["placeholder"] is True and G.nodes[city]["doc_number"] == CITY
    assert _cites(G) == {(YANGCHENG_DOC, province), (YANGCHENG_DOC, city), (GAOPING_DOC, province)}

    ingest(store, JINCHENG)
    G = store.read_graph()
    assert not G.has_node(city)
    assert _cites(G) == {
        (YANGCHENG_DOC, province),
        (YANGCHENG_DOC, JINCHENG_DOC),
        (GAOPING_DOC, province),
        (JINCHENG_DOC, province),
    }
    cites = _cites(G)
    ingest(store, JINCHENG)  # re-ingesting the cited document keeps the edges into it
    assert _cites(store.read_graph()) == cites

    remove_document(store, CITY)
    G = store.read_graph()
    assert G.nodes[city]["placeholder"] is True
    assert _cites(G) == {(YANGCHENG_DOC, province), (YANGCHENG_DOC, city), (GAOPING_DOC, province)}

    remove_document(store, YANGCHENG_DOC)  # the city placeholder loses its only citer
    assert _documents(store.read_graph()) == {GAOPING_DOC, province}
    remove_document(store, "高政办发〔2023〕35号")
    assert (
        _documents(store.read_graph()) == set() and store.read_graph().number_of_edges() > 0
    )  # chains stay


def test_the_cited_document_first_needs_no_placeholder(kind: str) -> None:
    store = embedded_store(kind)
    ingest(store, JINCHENG, YANGCHENG)
    assert (YANGCHENG_DOC, JINCHENG_DOC) in _cites(store.read_graph())
    assert not store.read_graph().has_node(placeholder_id(CITY))


def test_a_citer_dropping_a_citation_drops_the_orphan_placeholder(
    tmp_path: Path, kind: str
) -> None:
    store = embedded_store(kind)
    ingest(store, YANGCHENG, GAOPING)
    text = YANGCHENG.read_text("utf-8")
    edited = tmp_path / "yangcheng-v2.txt"
    edited.write_text(
        text.replace("和《晋城市促进专业镇高质量发展实施方案》（晋市政办发〔2023〕5号）", ""),
        "utf-8",
    )
    report = ingest(store, edited)
    assert report.loaded[0].merged.dropped == [placeholder_id(CITY)]
    assert not store.read_graph().has_node(placeholder_id(CITY))
    assert store.read_graph().has_node(placeholder_id(PROVINCE))  # 高平市 still cites it


def test_placeholders_cannot_be_removed_directly(kind: str) -> None:
    store = embedded_store(kind)
    ingest(store, YANGCHENG)
    with pytest.raises(PlaceholderDocument):
        remove_document(store, placeholder_id(CITY))
    with pytest.raises(UnknownNode):
        remove_document(store, "不存在〔2023〕1号")


def test_a_document_loaded_without_history_gets_version_one_from_the_graph(
    tmp_path: Path, kind: str
) -> None:
    store = embedded_store(kind)
    store.load(record_fragment(extract_file(SAMPLE)))  # as an older ingest wrote it
    index = stored_documents(store)
    assert [len(v.tasks) for v in index[ZEZHOU_DOC].versions] == [6]
    merged = load_document(store, extract_file(edited_sample(tmp_path)))
    assert (merged.status, merged.version) == ("updated", 2)
    v1 = store.read_graph().nodes[ZEZHOU_DOC]["versions"][0]["tasks"][1]
    assert DROPPED in dict(v1["units"])


def test_every_backend_merges_citations_and_versions(store: GraphStore, tmp_path: Path) -> None:
    """The same merge over networkx and FalkorDB (and Neo4j with NEO4J_URI): protocol only."""
    assert not ingest_paths(store, [YANGCHENG, GAOPING]).failed
    index = stored_documents(store)
    assert index[placeholder_id(CITY)].placeholder
    assert set(index[YANGCHENG_DOC].cites) == {PROVINCE, CITY}
    assert not ingest_paths(store, [JINCHENG, SAMPLE]).failed
    counts = store.counts()
    index = stored_documents(store)
    assert placeholder_id(CITY) not in index and placeholder_id(PROVINCE) in index

    report = ingest_paths(store, [SAMPLE, JINCHENG])
    assert [x.merged.status for x in report.loaded] == ["unchanged", "unchanged"]
    assert store.counts() == counts

    report = ingest_paths(store, [edited_sample(tmp_path)])
    assert report.loaded[0].merged.version == 2
    versions = stored_documents(store)[ZEZHOU_DOC].versions
    assert [v.version for v in versions] == [1, 2]
    assert ADDED in dict(versions[1].tasks[1].units) and DROPPED in dict(versions[0].tasks[1].units)

    remove_document(store, CITY)
    assert stored_documents(store)[placeholder_id(CITY)].placeholder


def test_version_json_is_the_model_dump() -> None:
    """The history entry merge_document writes equals the Version model's JSON."""
    record = extract_file(SAMPLE)
    model = Version(
        version=2,
        sha256=record.document.sha256,
        source=record.document.source,
        tasks=version_tasks(record),
    )
    dumped = model.model_dump(mode="json")
    assert json.dumps(version_json(record, 2)) == json.dumps(dumped)  # same keys in same order


@pytest.mark.parametrize("order", [(YANGCHENG, GAOPING, JINCHENG), (JINCHENG, YANGCHENG, GAOPING)])
def test_a_merge_reads_only_the_documents_it_can_touch(kind: str, order: tuple[Path, ...]) -> None:
    """The documents having or citing the numbers of :func:`merge_numbers` give the merge the
    whole index gives, and the SQLite store reads no others."""
    store = embedded_store(kind)
    ingest(store, SAMPLE, *order[:2])
    record = extract_file(order[2])
    did = document_id(document_key(record))
    numbers = merge_numbers(record)
    narrow = stored_documents(store, [did], numbers)
    whole = stored_documents(store, [did])
    assert set(narrow) <= set(whole)
    if kind == "sqlite":
        assert ZEZHOU_DOC not in narrow  # neither has nor cites a number the merge looks at
    merges = [merge_document(record_fragment(record), record, index) for index in (narrow, whole)]
    assert merges[0] == merges[1]
