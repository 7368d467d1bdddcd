"""A neighbourhood narrowed by region and held to a size (``/graph``, the explorer page): one
county's part of a store of several, alike on every store; too large an answer is refused with
its size instead of being built (a province's whole graph is ~100 MB of JSON)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import pages
from api.app import create_app
from api.basis import register_basis
from api.settings import Settings
from graph.errors import AnswerTooLarge
from graph.networkx_store import NetworkxStore
from graph.schema import Label
from graph.store import GraphStore
from ingest.load import SAMPLE_REGISTER, register_load
from queries.answers import NodeLink
from queries.service import Questions
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG, ingest

ZEZHOU_UNIT = "unit:泽州县:县工业和信息化局"


def _three(store: GraphStore) -> GraphStore:
    """The plans of three counties and the sample register of 泽州县's firms."""
    ingest(store, SAMPLE, YANGCHENG, GAOPING)
    store.load(register_load(SAMPLE_REGISTER, "泽州县")[0])
    return store


@pytest.fixture(scope="module")
def reference() -> Questions:
    return Questions(_three(NetworkxStore(None)))


def _ids(answer: NodeLink) -> list[str]:
    return [n["id"] for n in answer.nodes]


def _shape(answer: NodeLink) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Nodes and links by id, label, region and type (a Cypher store keeps a document's
    version history as a JSON string, the embedded one as a list)."""
    nodes = [(n["id"], n["label"], n.get("region"), n.get("name")) for n in answer.nodes]
    links = [(x["source"], x["target"], x["key"], x["type"]) for x in answer.links]
    return nodes, links


def _regions(answer: NodeLink) -> Counter[Any]:
    return Counter(n.get("region") for n in answer.nodes)


def test_a_region_keeps_its_own_nodes_and_the_shared_chains(reference: Questions) -> None:
    whole = reference.neighbourhood(None, 0)
    zezhou = reference.neighbourhood(None, 0, region="泽州县")
    labels = Counter(n["label"] for n in zezhou.nodes)
    # documents, units, people, groups and towns by their own region, the rest as they belong
    assert set(_regions(zezhou)) == {"泽州县", None}
    assert labels["Firm"] and labels["Task"] and labels["Chain"] and labels["ChainNode"]
    own = {n["id"] for n in whole.nodes if n.get("region") in ("阳城县", "高平市")}
    assert own and not own & set(_ids(zezhou))
    # tasks by their document's region, firms by their town's
    tasks = [n for n in zezhou.nodes if n["label"] == "Task"]
    assert all(t["doc"].startswith("doc:泽州县:") for t in tasks)
    assert len(tasks) == sum(1 for n in whole.nodes if n["label"] == "Task" and "泽州县" in n["id"])
    assert labels["Firm"] == sum(1 for n in whole.nodes if n["label"] == "Firm")
    assert reference.neighbourhood(None, 0, region="阳城县").nodes and not any(
        n["label"] == "Firm" for n in reference.neighbourhood(None, 0, region="阳城县").nodes
    )
    # links only among the nodes kept
    kept = set(_ids(zezhou))
    assert zezhou.links and all(x["source"] in kept and x["target"] in kept for x in zezhou.links)


def test_region_and_types_and_focus_combine(reference: Questions) -> None:
    units = reference.neighbourhood(None, 0, ["Unit"], "高平市")
    assert units.nodes and {(n["label"], n["region"]) for n in units.nodes} == {("Unit", "高平市")}
    around = reference.neighbourhood(ZEZHOU_UNIT, 2, None, "阳城县")
    # the focus stays though it is of another region
    assert ZEZHOU_UNIT in _ids(around)
    assert set(_regions(around)) <= {"阳城县", "泽州县", None}
    assert [n for n in around.nodes if n.get("region") == "泽州县"] == [
        n for n in around.nodes if n["id"] == ZEZHOU_UNIT
    ]


def test_too_large_is_refused_with_its_size(reference: Questions) -> None:
    whole = reference.neighbourhood(None, 0)
    n = len(whole.nodes)
    assert reference.neighbourhood(None, 0, limit=n) == whole
    with pytest.raises(
        AnswerTooLarge, match=f"has {n:,} nodes, more than the limit of {n - 1:,}"
    ) as e:
        reference.neighbourhood(None, 0, limit=n - 1)
    assert e.value.size == n
    zezhou = reference.neighbourhood(None, 0, region="泽州县")
    with pytest.raises(AnswerTooLarge) as e:
        reference.neighbourhood(None, 0, region="泽州县", limit=len(zezhou.nodes) - 1)
    assert e.value.size == len(zezhou.nodes)


def test_every_store_answers_alike(store: GraphStore, reference: Questions) -> None:
    q = Questions(_three(store))
    for args in [
        (None, 0, None, "泽州县", None),
        (None, 0, ["Unit", "Task"], "高平市", None),
        (None, 0, ["Firm", "Town"], "泽州县", None),
        (ZEZHOU_UNIT, 2, None, "阳城县", None),
        (ZEZHOU_UNIT, 1, ["Task"], None, 500),
    ]:
        assert _shape(q.neighbourhood(*args)) == _shape(reference.neighbourhood(*args)), args
    with pytest.raises(AnswerTooLarge):
        q.neighbourhood(None, 0, None, None, 10)
    firms = sorted((n["id"], n.get("source"), n.get("name")) for n in q.nodes(Label.FIRM))
    assert firms == sorted(
        (n["id"], n.get("source"), n.get("name")) for n in reference.nodes(Label.FIRM)
    )
    assert firms and register_basis(q) == register_basis(reference)


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(create_app(_three(NetworkxStore(None)), Settings())) as c:
        yield c


def test_api_graph_takes_region_and_limit(client: TestClient, reference: Questions) -> None:
    r = client.get("/graph", params={"region": "阳城县", "types": "Unit"})
    assert r.status_code == 200
    assert r.json() == reference.neighbourhood(None, 1, ["Unit"], "阳城县").model_dump()
    whole = len(reference.neighbourhood(None, 0).nodes)
    r = client.get("/graph", params={"limit": 50})
    assert r.status_code == 422
    assert r.json()["detail"].startswith(
        f"The answer has {whole:,} nodes, more than the limit of 50"
    )
    assert client.get("/graph", params={"region": "晋城县"}).status_code == 404
    assert client.get("/graph", params={"limit": 0}).status_code == 422


def test_explorer_page_draws_no_more_than_it_can(
    client: TestClient, reference: Questions, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client.get("/pages/explorer").text
    assert 'id="explorer-region"' in page and "<option>阳城县</option>" in page
    assert "explorer-too-many" not in page
    monkeypatch.setattr(pages, "EXPLORER_NODES", 20)
    page = client.get("/pages/explorer").text
    assert "个节点，超过一次能绘制的 20 个，未绘制" in page
    assert '<span id="explorer-count">0 个节点</span>' in page
    page = client.get("/pages/explorer", params={"region": "高平市", "types": "Document"}).text
    assert "explorer-too-many" not in page and "地区：高平市" in page
    documents = reference.neighbourhood(None, 0, ["Document"], "高平市").nodes
    # its plan, and the documents it cites that are not stored (placeholders of no region)
    assert 0 < len(documents) <= 20
    assert {d.get("region") for d in documents} == {"高平市", None}
    assert f'<span id="explorer-count">{len(documents)} 个节点</span>' in page
    assert client.get("/pages/explorer", params={"region": "晋城县"}).status_code == 404
