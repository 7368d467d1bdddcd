"""Every route of the HTTP API on the sample store, and every error it can answer."""

from __future__ import annotations

import asyncio
import csv
import doctest
import importlib
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.settings import InvalidSettings, Settings
from graph.networkx_store import NetworkxStore
from tests.api.conftest import SAMPLE, TOKEN

DOC = "doc:泽州县:泽政办发〔2023〕17号"
GXJ = "unit:泽州县:县工业和信息化局"
TASK5 = "task:泽州县:泽政办发〔2023〕17号:三.5"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ok(client: TestClient, url: str, **kw: Any) -> Any:
    response = client.get(url, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def error(client: TestClient, url: str, code: int, **kw: Any) -> str:
    response = client.get(url, **kw)
    assert response.status_code == code, response.text
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str)
    return str(body["detail"])


# -- documents ----------------------------------------------------------------------------
def test_documents_lists_the_sample(client: TestClient) -> None:
    [doc] = ok(client, "/documents")
    assert doc["id"] == DOC and doc["doc_number"] == "泽政办发〔2023〕17号"
    assert doc["task_count"] == 6 and doc["towns"] == ["泽州铸造", "泽州山楂红酒"]
    assert doc["groups"] == ["泽州县专业镇发展领导小组"]


@pytest.mark.parametrize("ref", [DOC, quote(DOC), "泽政办发〔2023〕17号", "zezhou-2023-17.txt"])
def test_document_by_id_number_or_file(client: TestClient, ref: str) -> None:
    doc = ok(client, f"/documents/{ref}")
    assert doc["id"] == DOC
    assert [t["full_number"] for t in doc["tasks"]] == [f"三（{n}）" for n in "一二三四五六"]
    assert len(doc["mechanisms"]) == 5


def test_unknown_document_is_404_naming_it(client: TestClient) -> None:
    assert "泽政办发〔1999〕1号" in error(client, "/documents/泽政办发〔1999〕1号", 404)


# -- tasks --------------------------------------------------------------------------------
def test_tasks(client: TestClient) -> None:
    rows = ok(client, "/tasks")
    assert len(rows) == 6 and rows[4]["id"] == TASK5
    assert [u["name"] for u in rows[4]["units"]][:2] == ["县行政审批服务管理局", "县投资促进中心"]


@pytest.mark.parametrize("unit", ["县工信局", "县工业和信息化局", GXJ])
def test_tasks_of_a_unit_by_alias_name_or_id(client: TestClient, unit: str) -> None:
    rows = ok(client, "/tasks", params={"unit": unit})
    assert len(rows) == 6 and {r["role"] for r in rows} == {"responsible"}


def test_tasks_of_an_unknown_unit_is_404(client: TestClient) -> None:
    assert "县不存在局" in error(client, "/tasks?unit=县不存在局", 404)


@pytest.mark.parametrize("ref", [TASK5, "三.5", "三（五）", "精准招商引资"])
def test_task_detail_with_heads_and_source_sentence(client: TestClient, ref: str) -> None:
    task = ok(client, f"/tasks/{ref}")
    assert task["id"] == TASK5 and task["title"] == "优化营商环境，实施精准招商引资行动"
    assert task["document"]["doc_number"] == "泽政办发〔2023〕17号"
    heads = {u["name"]: [h["name"] for h in u["heads"]] for u in task["units"]}
    assert heads["县工业和信息化局"] == ["刘宽利"] and heads["县投资促进中心"] == ["李海兵"]
    assert task["offices"][0]["director"]["name"] == "刘宽利"
    marker = task["marker"]
    assert marker["sentence"].startswith("〔责任单位：") and marker["sentence"].endswith("〕")
    assert all(u["name"] in marker["sentence"] for u in task["units"])
    start, end = task["span"]
    a, b = marker["span"]
    assert start <= a < b <= end
    assert task["text"][a - start : b - start] == marker["sentence"]
    for u in task["units"]:
        s, e = u["span"]
        assert task["text"][s - start : e - start] == u["surface"]


def test_unknown_task_is_404(client: TestClient) -> None:
    assert "九.9" in error(client, "/tasks/九.9", 404)


def test_task_title_matching_several_is_404_listing_them(client: TestClient) -> None:
    assert "matches 6 tasks" in error(client, "/tasks/实施", 404)


# -- units --------------------------------------------------------------------------------
def test_units(client: TestClient) -> None:
    units = ok(client, "/units")
    assert units[0]["name"] == "县工业和信息化局" and units[0]["task_count"] == 6
    assert any(u["task_count"] == 0 for u in units)
    loaded = ok(client, "/units?with_tasks=true")
    assert len(loaded) == 16 and all(u["task_count"] for u in loaded)


@pytest.mark.parametrize("ref", [GXJ, quote(GXJ, safe=""), "县工业和信息化局", "县工信局"])
def test_unit_detail_by_id_name_or_alias(client: TestClient, ref: str) -> None:
    unit = ok(client, f"/units/{ref}")
    assert unit["unit"]["id"] == GXJ
    assert [h["name"] for h in unit["unit"]["heads"]] == ["刘宽利"]
    assert len(unit["tasks"]) == 6 and unit["documents"][0]["id"] == DOC
    roles = {g["role"]: g["person"] for g in unit["groups"]}
    assert "办公室设在本单位" in roles
    assert roles["办公室主任"]["name"] == "刘宽利"
    assert roles["成员"]["name"] == "刘宽利"


def test_collective_unit_has_its_collective_head(client: TestClient) -> None:
    unit = ok(client, "/units/各乡镇人民政府")
    assert unit["unit"]["heads"][0]["name"] == "各乡镇镇长"
    assert any(g["role"].startswith("成员（各乡镇镇长") for g in unit["groups"])


@pytest.mark.parametrize("ref", [GXJ, "县工信局"])
def test_unit_tasks(client: TestClient, ref: str) -> None:
    rows = ok(client, f"/units/{ref}/tasks")
    assert len(rows) == 6 and rows[0]["role"] == "responsible"


@pytest.mark.parametrize("url", ["/units/县不存在局", "/units/unit:泽州县:县不存在局/tasks"])
def test_unknown_unit_is_404_naming_it(client: TestClient, url: str) -> None:
    assert "县不存在局" in error(client, url, 404)


def test_unit_name_in_two_regions_is_409_listing_ids(
    client: TestClient, desk_store: NetworkxStore
) -> None:
    desk_store.graph.add_node(
        "unit:阳城县:县工业和信息化局", label="Unit", name="县工业和信息化局", region="阳城县"
    )
    detail = error(client, "/units/县工业和信息化局", 409)
    assert GXJ in detail and "unit:阳城县:县工业和信息化局" in detail


# -- people and groups --------------------------------------------------------------------
def test_people(client: TestClient) -> None:
    people = ok(client, "/people")
    assert len(people) == 25
    liu = next(p for p in people if p["name"] == "刘宽利")
    assert liu["posts"][0]["unit"] == "县工业和信息化局" and liu["posts"][0]["title"] == "局长"


@pytest.mark.parametrize("ref", ["person:泽州县:刘宽利", "刘宽利"])
def test_person_detail_with_what_they_answer_for(client: TestClient, ref: str) -> None:
    person = ok(client, f"/people/{ref}")
    assert person["id"] == "person:泽州县:刘宽利"
    assert person["groups"][0]["group_name"] == "泽州县专业镇发展领导小组"
    assert len(person["accountable"]) == 6


def test_unknown_person_is_404(client: TestClient) -> None:
    assert "张三" in error(client, "/people/张三", 404)


def test_groups_with_office_and_director(client: TestClient) -> None:
    [group] = ok(client, "/groups")
    assert group["office"]["unit"] == "县工业和信息化局"
    assert group["office"]["director"]["name"] == "刘宽利"
    assert group["office"]["deputy_director"]["name"] == "原林林"
    assert len(group["members"]) == 25 and group["members"][0]["groups"][0]["role"] == "组长"
    assert group["collective_members"][0]["text"] == "各乡镇镇长"
    assert group["documents"] == [DOC]


# -- matrix -------------------------------------------------------------------------------
def test_matrix_json(client: TestClient) -> None:
    m = ok(client, "/matrix")
    assert len(m["tasks"]) == 6 and len(m["units"]) == 16
    assert m["units"][0]["name"] == "县工业和信息化局"
    assert set(m["units"][0]["cells"].values()) == {"responsible"}


@pytest.mark.parametrize(
    ("params", "headers"), [({"format": "csv"}, {}), ({}, {"Accept": "text/csv"})]
)
def test_matrix_csv(client: TestClient, params: dict[str, str], headers: dict[str, str]) -> None:
    response = client.get("/matrix", params=params, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "单位" and rows[0][5].startswith("三（五）")
    assert rows[1][0] == "县工业和信息化局" and len(rows) == 17
    cells = {c for row in rows[1:] for c in row[1:] if c}
    assert cells <= {"牵头", "牵头（按排序推定）", "配合", "责任"} and "责任" in cells


@pytest.mark.parametrize(("params", "headers"), [({"format": "xlsx"}, {}), ({}, {"Accept": XLSX})])
def test_matrix_xlsx(client: TestClient, params: dict[str, str], headers: dict[str, str]) -> None:
    response = client.get("/matrix", params=params, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["责任矩阵", "任务"]
    ws = wb["责任矩阵"]
    # 三（一） states no 牵头: its first 责任单位 leads, marked as inferred (the one lead rule)
    assert ws["A2"].value == "县工业和信息化局" and ws["B2"].value == "牵头（按排序推定）"
    assert str(ws["F1"].value).startswith("三（五）")
    assert ws.max_row == 17
    tasks = wb["任务"]
    assert tasks["B6"].value == "优化营商环境，实施精准招商引资行动"


def test_matrix_xlsx_marks_the_lead(desk_store: NetworkxStore, settings: Settings) -> None:
    G = desk_store.graph
    for _, _, d in G.in_edges(TASK5, data=True):
        if d.get("type") == "RESPONSIBLE_FOR" and d.get("order") == 0:
            d["role"] = "lead"
    response = TestClient(create_app(desk_store, settings)).get("/matrix?format=xlsx")
    ws = load_workbook(io.BytesIO(response.content))["责任矩阵"]
    lead = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "牵头"]
    assert len(lead) == 1 and lead[0].font.bold and lead[0].column == 6


def test_matrix_bad_format_is_422_naming_the_parameter(client: TestClient) -> None:
    assert "format" in error(client, "/matrix?format=pdf", 422)


# -- coverage, chains, gaps ---------------------------------------------------------------
def test_coverage(client: TestClient) -> None:
    c = ok(client, "/coverage")
    assert c["task_units_without_group_member"] == ["县乡村振兴中心"]
    assert "县统计局" in c["group_units_without_task"]
    assert ok(client, "/coverage?region=泽州县") == c
    assert "阳城县" in error(client, "/coverage?region=阳城县", 404)


def test_chains(client: TestClient) -> None:
    chains = {c["key"]: c for c in ok(client, "/chains")}
    assert set(chains) == {"foundry", "hawthorn"}
    assert [t["name"] for t in chains["foundry"]["towns"]] == ["泽州铸造"]
    assert chains["foundry"]["firms"] > 0


@pytest.mark.parametrize("chain", ["foundry", "chain:foundry", "铸造"])
def test_chain_gaps_with_owners(client: TestClient, chain: str) -> None:
    report = ok(client, f"/chains/{chain}/gaps", params={"town": "泽州铸造"})
    assert report["chain"] == "chain:foundry" and report["town"] == "town:泽州县:泽州铸造"
    statuses = {n["status"] for n in report["nodes"]}
    assert {"missing", "present"} <= statuses
    gaps = [n for n in report["nodes"] if n["action"]]
    assert gaps and all(n["action"] in {"补链", "延链", "强链"} for n in gaps)
    owned = [n for n in gaps if n["tasks"] and n["units"] and n["people"]]
    assert owned, "some gap names its tasks, units and people"


def test_chain_gaps_thin_below_changes_statuses(client: TestClient) -> None:
    loose = ok(client, "/chains/foundry/gaps?town=泽州铸造&thin_below=1")
    strict = ok(client, "/chains/foundry/gaps?town=泽州铸造&thin_below=100")
    assert not any(n["status"] == "thin" for n in loose["nodes"])
    assert not any(n["status"] == "present" for n in strict["nodes"])


def test_chain_gaps_without_town_counts_every_firm(client: TestClient) -> None:
    assert ok(client, "/chains/hawthorn/gaps")["town"] is None


@pytest.mark.parametrize(
    ("url", "code", "named"),
    [
        ("/chains/steel/gaps", 404, "steel"),
        ("/chains/foundry/gaps?town=无此镇", 404, "无此镇"),
        ("/chains/foundry/gaps?thin_below=0", 422, "thin_below"),
    ],
)
def test_chain_gap_errors(client: TestClient, url: str, code: int, named: str) -> None:
    assert named in error(client, url, code)


def test_gaps_of_every_chain(client: TestClient) -> None:
    reports = {r["chain"]: r for r in ok(client, "/gaps")}
    assert set(reports) == {"chain:foundry", "chain:hawthorn"}
    assert reports["chain:hawthorn"]["town"] == "town:泽州县:泽州山楂红酒"


# -- search and graph ---------------------------------------------------------------------
def test_search_chinese_substring(client: TestClient) -> None:
    hits = ok(client, "/search", params={"q": "工业和信息化"})
    assert hits[0]["id"] == GXJ


def test_search_alias(client: TestClient) -> None:
    hits = ok(client, "/search", params={"q": "县工信局"})
    assert hits[0]["id"] == GXJ and hits[0]["matched"] == "县工业和信息化局"


def test_search_person_and_limit(client: TestClient) -> None:
    assert ok(client, "/search?q=刘宽利")[0]["id"] == "person:泽州县:刘宽利"
    assert len(ok(client, "/search?q=县&limit=3")) == 3


@pytest.mark.parametrize("url", ["/search", "/search?q=", "/search?q=x&limit=0"])
def test_search_bad_query_is_422_naming_the_field(client: TestClient, url: str) -> None:
    detail = error(client, url, 422)
    assert "'q'" in detail or "'limit'" in detail


def test_graph_neighbourhood(client: TestClient) -> None:
    g = ok(client, "/graph", params={"focus": "县工信局", "depth": 1})
    ids = {n["id"] for n in g["nodes"]}
    assert GXJ in ids and TASK5 in ids and "person:泽州县:刘宽利" in ids
    assert all(link["source"] in ids and link["target"] in ids for link in g["links"])
    assert all("text" not in n for n in g["nodes"])


def test_graph_types_filter(client: TestClient) -> None:
    g = ok(client, f"/graph?focus={GXJ}&depth=2&types=Unit,Task")
    assert {n["label"] for n in g["nodes"]} == {"Unit", "Task"}
    g2 = ok(client, f"/graph?focus={GXJ}&depth=2&types=Unit&types=Task")
    assert g2 == g


def test_graph_whole(client: TestClient, desk_store: NetworkxStore) -> None:
    g = ok(client, "/graph")
    assert len(g["nodes"]) == desk_store.graph.number_of_nodes()


@pytest.mark.parametrize(
    ("url", "code", "named"),
    [
        ("/graph?focus=无此节点", 404, "无此节点"),
        ("/graph?types=Bureau", 422, "Bureau"),
        ("/graph?depth=99", 422, "depth"),
    ],
)
def test_graph_errors(client: TestClient, url: str, code: int, named: str) -> None:
    assert named in error(client, url, code)


# -- uploads ------------------------------------------------------------------------------
def upload(
    client: TestClient,
    data: bytes,
    name: str = "plan.txt",
    content_type: str = "text/plain",
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post("/documents", files={"file": (name, data, content_type)}, headers=headers)


def other_plan() -> bytes:
    text = SAMPLE.read_text("utf-8").replace("泽政办发〔2023〕17号", "泽政办发〔2023〕99号")
    return text.encode("utf-8")


def test_upload_ingests_and_returns_the_record(
    client: TestClient, auth: dict[str, str], desk_store: NetworkxStore
) -> None:
    response = upload(client, other_plan(), "另一个方案.txt", headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["version"]) == ("new", 1)
    assert body["id"] == "doc:泽州县:泽政办发〔2023〕99号"
    assert body["record"]["document"]["source"] == "另一个方案.txt"
    assert len(body["record"]["tasks"]) == 6
    assert response.headers["location"].startswith("/documents/doc:")
    assert len(ok(client, "/documents")) == 2
    assert ok(client, "/documents/泽政办发〔2023〕99号")["task_count"] == 6
    assert len(ok(client, f"/units/{GXJ}/tasks")) == 12


def test_upload_again_replaces_the_document(client: TestClient, auth: dict[str, str]) -> None:
    before = ok(client, "/units")
    response = upload(client, SAMPLE.read_bytes(), "zezhou.txt", "application/octet-stream", auth)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["version"]) == ("unchanged", 1)
    assert ok(client, "/units") == before and len(ok(client, "/documents")) == 1


def test_upload_without_configured_token_is_403(desk_store: NetworkxStore) -> None:
    client = TestClient(create_app(desk_store, Settings()))
    response = upload(client, other_plan(), headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and "ZHENKG_API_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize(
    "headers", [None, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}]
)
def test_upload_without_the_right_token_is_401(
    client: TestClient, headers: dict[str, str] | None
) -> None:
    response = upload(client, other_plan(), headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert len(ok(client, "/documents")) == 1


def test_upload_too_large_is_413(client: TestClient, auth: dict[str, str]) -> None:
    response = upload(client, b"x" * 300_000, headers=auth)
    assert response.status_code == 413 and "200000" in response.json()["detail"]


def test_upload_size_is_checked_while_reading(
    desk_store: NetworkxStore, settings: Settings
) -> None:
    """Without a Content-Length to trust, the stream is cut at the limit, not read to the end.

    Driven at the ASGI level: the test client would buffer the whole body before the app saw it.
    """
    app = create_app(desk_store, settings)
    head = (
        b'--zhenkg\r\nContent-Disposition: form-data; name="file"; filename="a.txt"'
        b"\r\nContent-Type: text/plain\r\n\r\n"
    )
    chunks = [head] + [b"x" * 65536] * 100  # 6.4 MB offered
    pulled = 0
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(chunks):
            pulled += 1
            return {"type": "http.request", "body": chunks[pulled - 1], "more_body": True}
        return {"type": "http.request", "body": b"\r\n--zhenkg--\r\n", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/documents",
        "raw_path": b"/documents",
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {TOKEN}".encode()),
            (b"content-type", b"multipart/form-data; boundary=zhenkg"),
        ],
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    assert statuses == [413]
    assert pulled * 65536 < 2 * settings.max_upload, f"pulled {pulled} chunks before refusing"


def test_upload_declared_too_large_is_413_before_reading(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        "/documents",
        content=b"",
        headers={
            **auth,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": "999999999",
        },
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("plan.exe", "application/octet-stream"),
        ("plan.pdf", "image/png"),
        ("plan.txt", "application/pdf"),
        ("plan", "text/plain"),
    ],
)
def test_upload_unsupported_type_is_415(
    client: TestClient, auth: dict[str, str], name: str, content_type: str
) -> None:
    response = upload(client, b"hello", name, content_type, auth)
    assert response.status_code == 415, response.text
    assert name in response.json()["detail"]


def test_upload_not_multipart_is_415(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/documents", content=other_plan(), headers={**auth, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415 and "multipart/form-data" in response.json()["detail"]


def test_upload_without_file_field_is_422(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/documents", data={"other": "x"}, files={"doc": ("a.txt", b"x")}, headers=auth
    )
    assert response.status_code == 422 and "'file'" in response.json()["detail"]


@pytest.mark.parametrize(
    ("data", "name", "content_type", "said"),
    [
        (b"%PDF-1.4 not really a pdf", "broken.pdf", "application/pdf", "broken.pdf"),
        (b"", "empty.txt", "text/plain", "empty.txt"),
    ],
)
def test_upload_unreadable_is_422_and_changes_nothing(
    client: TestClient, auth: dict[str, str], data: bytes, name: str, content_type: str, said: str
) -> None:
    before = client.get("/graph").json()
    response = upload(client, data, name, content_type, auth)
    assert response.status_code == 422, response.text
    assert said in response.json()["detail"]
    assert client.get("/graph").json() == before


def test_upload_without_tasks_is_stored_with_a_warning(
    client: TestClient, auth: dict[str, str]
) -> None:
    text = "某某县人民政府办公室关于召开会议的通知\n\n请各单位准时参加。\n\n2024年3月1日\n"
    response = upload(client, text.encode(), "notice.txt", "text/plain", auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["warnings"] == ["notice.txt: 未找到任务或领导小组（no tasks or group found）"]
    assert body["id"] in {d["id"] for d in ok(client, "/documents")}


# -- store errors -------------------------------------------------------------------------
def test_store_unavailable_is_503(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = NetworkxStore(path)
    client = TestClient(create_app(store, Settings()))
    assert client.get("/coverage").status_code == 200
    path.write_text("{not json", encoding="utf-8")
    response = client.get("/coverage")
    assert response.status_code == 503 and str(path) in response.json()["detail"]


class CypherOnly:
    """A store that is not the embedded one (only its name matters here)."""

    name = "falkordb"


def test_graph_only_questions_on_a_cypher_store_are_501() -> None:
    client = TestClient(create_app(CypherOnly(), Settings()))  # type: ignore[arg-type]
    response = client.get("/people")
    assert response.status_code == 501 and "embedded store" in response.json()["detail"]


def test_settings_from_env() -> None:
    s = Settings.from_env(
        {"ZHENKG_API_TOKEN": "t", "ZHENKG_MAX_UPLOAD": "5", "ZHENKG_THIN_BELOW": ""}
    )
    assert s.api_token is not None and s.api_token.get_secret_value() == "t"
    assert (s.max_upload, s.thin_below) == (5, 2)
    with pytest.raises(InvalidSettings, match="ZHENKG_MAX_UPLOAD='lots'"):
        Settings.from_env({"ZHENKG_MAX_UPLOAD": "lots"})


# -- docs and pages -----------------------------------------------------------------------
REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I
)


def local_only(html: str) -> None:
    assert not REMOTE.findall(html), REMOTE.findall(html)[:3]
    assert "fonts.googleapis" not in html and "cdn." not in html


@pytest.mark.parametrize("url", ["/docs", "/redoc"])
def test_api_docs_are_served_from_this_host(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    local_only(response.text)
    assets = re.findall(
        r'(?:src|href)="(/(?:static-offline-docs|docs-assets)/[^"]+)"', response.text
    )
    assert assets
    for asset in assets:
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert b"cdn.redoc.ly" not in fetched.content


def test_html_carries_a_same_origin_content_policy(client: TestClient) -> None:
    for url in ["/", "/docs", "/pages/explorer"]:
        policy = client.get(url).headers["content-security-policy"]
        assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "content-security-policy" not in client.get("/coverage").headers


def test_openapi_documents_every_route_with_examples(client: TestClient) -> None:
    spec = ok(client, "/openapi.json")
    paths = set(spec["paths"])
    assert {
        "/documents",
        "/documents/{id}",
        "/tasks",
        "/tasks/{id}",
        "/units",
        "/units/{id}",
        "/units/{id}/tasks",
        "/people",
        "/people/{id}",
        "/groups",
        "/matrix",
        "/coverage",
        "/chains",
        "/chains/{id}/gaps",
        "/gaps",
        "/search",
        "/graph",
    } <= paths
    upload_op = spec["paths"]["/documents"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert {"401", "403", "413", "415", "422"} <= set(upload_op["responses"])
    unit_param = spec["paths"]["/units/{id}"]["get"]["parameters"][0]
    assert unit_param["examples"]["县工信局"]["value"] == "县工信局"
    assert "example" in str(spec["paths"]["/coverage"]["get"]["responses"]["200"])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "县乡村振兴中心"),
        ("/", "刘宽利"),
        ("/", "补链"),
        ("/pages/matrix", "/matrix?format=xlsx"),
        ("/pages/units", "县工业和信息化局"),
        (f"/pages/units/{GXJ}", "办公室主任"),
        ("/pages/units/县工信局", "刘宽利"),
        ("/pages/tasks/三.5", "<mark"),
        ("/pages/people/刘宽利", "县工业和信息化局"),
        ("/pages/chains", "铸造"),
        ("/pages/chains/foundry", "缺口与责任"),
        ("/pages/chains/chain:hawthorn?town=", "全部企业"),
        ("/pages/explorer", "vis.Network"),
        (f"/pages/explorer?focus={GXJ}&depth=1&types=Unit&types=Task", "服务端聚焦"),
    ],
)
def test_pages_render_offline(client: TestClient, url: str, expected: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert expected in response.text
    local_only(response.text)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset


def test_matrix_page_is_sortable_and_marks_the_lead(
    desk_store: NetworkxStore, settings: Settings
) -> None:
    for _, _, d in desk_store.graph.in_edges(TASK5, data=True):
        if d.get("type") == "RESPONSIBLE_FOR" and d.get("order") == 0:
            d["role"] = "lead"
    html = TestClient(create_app(desk_store, settings)).get("/pages/matrix").text
    # one stated lead (三（五）), and the inferred first unit of each of the five other tasks
    assert html.count('<td class="cell lead"') == 6 and "★" in html
    assert html.count("★ 牵头（按排序推定）") == 5 and html.count("★ 牵头</td>") == 1
    assert 'data-sort="num"' in html and "/static/sort.js" in html


def test_chain_map_has_tiers_in_order_and_coloured_nodes(client: TestClient) -> None:
    html = client.get("/pages/chains/foundry").text
    tiers = [html.index(f"tier-{t}") for t in ("upstream", "midstream", "downstream", "services")]
    assert tiers == sorted(tiers)
    assert "status-present" in html and "action-补链" in html
    assert re.search(r'<tr class="action-[^"]+" id="gap-', html)
    assert "上游" in html and "配套" in html and "upstream</" not in html


@pytest.mark.parametrize("url", ["/pages/units/县不存在局", "/pages/chains/steel"])
def test_page_errors_are_html(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    local_only(response.text)


@pytest.mark.parametrize(
    "module",
    [
        "api.settings",
        "api.errors",
        "api.views",
        "api.routers.upload",
        "api.routers.matrix",
        "api.routers.graph",
        "api.cli_server",
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed
