"""The list routes page alike on every store: ``offset`` and ``limit`` cut a page out of the
filtered rows in their order, and ``X-Total-Count`` gives the rows before paging.

The store holds three counties' plans, so that the region and document filters keep a part.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import unit_views
from api.app import create_app
from api.desk import responses_of
from api.leads import units_with_leads
from api.settings import Settings
from graph.build import record_fragment
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import EmbeddedStore, GraphStore
from ingest.pipeline import extract_file
from queries.service import Questions
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG

TOTAL = "X-Total-Count"
GXJ = "unit:泽州县:县工业和信息化局"
SAMPLE_TITLE = "泽州县促进专业镇高质量发展实施方案"
ON_EVERY_STORE = ["/tasks", "/units", "/units/县工信局/tasks", f"/units/{GXJ}/tasks"]
EMBEDDED_ONLY = ["/documents", "/people", "/groups"]


@pytest.fixture(scope="module")
def fragments() -> list[Fragment]:
    """The plans of 泽州县, 阳城县 and 高平市."""
    return [record_fragment(extract_file(p)) for p in (SAMPLE, YANGCHENG, GAOPING)]


@pytest.fixture
def client(store: GraphStore, fragments: list[Fragment]) -> Iterator[TestClient]:
    """A client over ``store`` (each backend) holding the three plans."""
    for fragment in fragments:
        store.load(copy.deepcopy(fragment))
    with TestClient(create_app(store, Settings())) as c:
        yield c


def rows(client: TestClient, url: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    """The rows of a 200 answer and its ``X-Total-Count``."""
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, params, response.text[:300])
    body = response.json()
    assert isinstance(body, list)
    return body, int(response.headers[TOTAL])


def assert_pages(client: TestClient, url: str, **filters: str) -> list[dict[str, Any]]:
    """Two pages of ``url`` make its whole answer, and a page past the end is empty; the whole
    answer (``filters`` applied) is returned."""
    whole, total = rows(client, url, **filters)
    assert total == len(whole) >= 2, url
    assert len({r["id"] for r in whole}) == len(whole)  # real rows, each once
    half = (total + 1) // 2
    first, first_total = rows(client, url, **filters, limit=half)
    second, second_total = rows(client, url, **filters, offset=half, limit=half)
    assert first and second and first + second == whole, url
    assert first_total == second_total == total
    rest, rest_total = rows(client, url, **filters, offset=1)  # no limit: every row on
    assert rest == whole[1:] and rest_total == total
    for offset in (total, total + 50):
        past, past_total = rows(client, url, **filters, offset=offset, limit=5)
        assert past == [] and past_total == total
    return whole


def assert_refused(client: TestClient, url: str) -> None:
    """``limit=0`` and a negative ``offset`` are 422, naming the parameter."""
    for params, name in (({"limit": 0}, "limit"), ({"offset": -1}, "offset")):
        response = client.get(url, params=params)
        assert response.status_code == 422, (url, params)
        assert name in response.json()["detail"]


@pytest.mark.parametrize("url", ON_EVERY_STORE)
def test_list_pages_on_every_store(client: TestClient, url: str) -> None:
    assert_pages(client, url)
    assert_refused(client, url)


def test_embedded_lists_page(client: TestClient) -> None:
    for url in EMBEDDED_ONLY:
        if not isinstance(client.app.state.store, EmbeddedStore):
            # a Cypher store still says it cannot list these, paged or not
            assert client.get(url, params={"limit": 2}).status_code == 501
            continue
        whole = assert_pages(client, url)
        assert_refused(client, url)
        if url != "/people":  # one a county (people are many)
            assert len(whole) == 3


def test_unpaged_answers_are_what_they_were(client: TestClient, fragments: list[Fragment]) -> None:
    reference = NetworkxStore(None)
    for fragment in fragments:
        reference.load(copy.deepcopy(fragment))
    expected = TestClient(create_app(reference, Settings()))
    for url in ON_EVERY_STORE:
        got = client.get(url)
        assert got.json() == expected.get(url).json(), url
        assert got.headers[TOTAL] == str(len(got.json()))


def test_filters_are_applied_before_paging(client: TestClient) -> None:
    tasks, _ = rows(client, "/tasks")
    of_yangcheng = assert_pages(client, "/tasks", region="阳城县")
    assert of_yangcheng == [t for t in tasks if t["id"].startswith("task:阳城县:")]
    title = of_yangcheng[0]["document"]  # a Cypher store knows a document by its title
    assert assert_pages(client, "/tasks", document=title) == of_yangcheng
    by_unit = assert_pages(client, f"/units/{GXJ}/tasks", document=SAMPLE_TITLE)
    assert by_unit == rows(client, f"/units/{GXJ}/tasks")[0] and by_unit[0]["role"]

    units, _ = rows(client, "/units")
    of_gaoping = assert_pages(client, "/units", region="高平市")
    assert of_gaoping == [u for u in units if u["region"] == "高平市"]
    assert len(of_gaoping) < len(units)
    carrying = assert_pages(client, "/units", region="高平市", with_tasks="true")
    assert carrying == [u for u in of_gaoping if u["task_count"]]

    everywhere, _ = rows(client, "/units/县工信局/tasks")
    in_zezhou = assert_pages(client, "/units/县工信局/tasks", region="泽州县")
    assert in_zezhou == [t for t in everywhere if t["id"].startswith("task:泽州县:")]
    assert len(in_zezhou) < len(everywhere)


def test_matrix_pages_its_units_on_every_store(client: TestClient) -> None:
    whole = client.get("/matrix")
    units = whole.json()["units"]
    assert whole.headers[TOTAL] == str(len(units)) and len(units) > 10
    page = client.get("/matrix", params={"offset": 3, "limit": 4})
    assert page.json()["units"] == units[3:7] and page.json()["tasks"] == whole.json()["tasks"]
    assert page.headers[TOTAL] == str(len(units))
    csv = client.get("/matrix", params={"offset": 3, "limit": 4, "format": "csv"})
    assert csv.headers[TOTAL] == str(len(units)) and csv.text.count("\n") == 5  # head + 4
    assert_refused(client, "/matrix")


def test_a_page_of_groups_or_people_looks_up_only_its_rows(
    sample_store: NetworkxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(sample_store, Settings()))
    everyone, total = rows(client, "/people")
    looked_up: list[str] = []
    summary = unit_views.person_summary

    def counted(G: Any, person: str) -> Any:
        looked_up.append(person)
        return summary(G, person)

    monkeypatch.setattr(unit_views, "person_summary", counted)
    page, page_total = rows(client, "/people", offset=2, limit=3)
    assert page == everyone[2:5] and page_total == total > 5
    assert looked_up == [p["id"] for p in page]


def test_pages_are_kept_apart_from_the_whole_answer(sample_store: NetworkxStore) -> None:
    app = create_app(sample_store, Settings())
    client = TestClient(app)
    whole = client.get("/tasks")
    page = client.get("/tasks", params={"offset": 2, "limit": 2})
    kept = responses_of(app.state.desk.snapshot())
    assert kept.get(("/tasks", b"", b"*/*")) is not None  # the whole answer is kept as before
    assert kept.get(("/tasks", b"offset=2&limit=2", b"*/*")) is not None
    again = client.get("/tasks", params={"offset": 2, "limit": 2})  # from the kept bytes
    assert again.content == page.content and again.json() == whole.json()[2:4]
    assert again.headers[TOTAL] == page.headers[TOTAL] == str(len(whole.json()))
    assert client.get("/tasks").content == whole.content


def test_pages_of_units_are_cut_from_one_list(client: TestClient) -> None:
    store, desk = client.app.state.store, client.app.state.desk
    first = units_with_leads(Questions(store, desk.snapshot()))
    again = units_with_leads(Questions(store, desk.snapshot()))
    assert again == first and (again is first) == isinstance(store, EmbeddedStore)
    page, total = rows(client, "/units", offset=5, limit=5)
    assert page == [u.model_dump(mode="json") for u in first[5:10]] and total == len(first)
    assert any(u.lead_count for u in first)
