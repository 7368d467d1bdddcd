"""The planner's desk (issue 13): one lead everywhere, search by short forms, region filters,
upload statuses, versions, Chinese labels and the chain map's basis."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.cli import main
from api.gaptable import gap_lines
from api.leads import leads
from api.render import matrix_csv
from api.supervision import supervision_rows
from graph.networkx_store import NetworkxStore
from queries.service import Questions
from tests.api.conftest import SAMPLE
from tests.api.test_api import ok, upload

GXJ = "unit:泽州县:县工业和信息化局"
DOC = "doc:泽州县:泽政办发〔2023〕17号"
ALLOWED = {"zhenkg", "API", "JSON", "CSV", "XLSX"}


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _english(html: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", _visible(html))) - ALLOWED


# -- one lead rule ------------------------------------------------------------------------
def test_the_same_lead_in_every_output(client: TestClient, desk_store: NetworkxStore) -> None:
    q = Questions(desk_store)
    tasks = q.tasks()
    names = {u.id: u.name for t in tasks for u in t.units}
    decided = leads(tasks)
    expected = {t.id: [names[u] for u in decided[t.id].units] for t in tasks}
    assert all(expected.values())  # the sample states only 责任单位: every lead is inferred
    by_title = {f"{t.full_number} {t.title}": expected[t.id] for t in tasks}

    # 1. the CLI supervision sheet's rows, 2. the same workbook downloaded from the web
    assert {r.task: r.lead for r in supervision_rows(tasks)} == by_title
    sheet = client.get("/matrix/supervision")
    assert sheet.status_code == 200
    ws = load_workbook(io.BytesIO(sheet.content))["全部任务"]
    web = {r[1]: str(r[2]).split("、") for r in ws.iter_rows(min_row=2, values_only=True)}
    assert web == by_title
    notes = {r[7] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert notes == {"未明确牵头单位，以责任单位首位为牵头单位"}

    # 3. the web matrix workbook
    wb = load_workbook(io.BytesIO(client.get("/matrix?format=xlsx").content))
    listed = {
        r[1]: str(r[4]).split("、") for r in wb["任务"].iter_rows(min_row=2, values_only=True)
    }
    assert listed == {t.title: expected[t.id] for t in tasks}

    # 4. the matrix page: the inferred mark in the lead cells, the 任务分解表 link
    page = client.get("/pages/matrix").text
    assert page.count("★ 牵头（按排序推定）") == sum(len(v) for v in expected.values())
    assert 'href="/matrix/supervision"' in page

    # 5. the units page and the API: lead counts by the same rule
    counts: dict[str, int] = {}
    for lead in expected.values():
        for n in lead:
            counts[n] = counts.get(n, 0) + 1
    api = {u["name"]: u["lead_count"] for u in ok(client, "/units")}
    assert {n: c for n, c in api.items() if c} == counts
    units_page = client.get("/pages/units").text
    for name, n in counts.items():
        assert re.search(
            rf">{re.escape(name)}</a></td>\s*<td[^>]*>\d+</td>\s*<td[^>]*>{n}<", units_page
        )

    # the task view says the lead was inferred
    for t in tasks:
        detail = ok(client, f"/tasks/{t.id}")
        assert detail["lead_inferred"] is True
        assert [u["name"] for u in detail["units"] if u["lead"]] == expected[t.id]

    # and the matrix CSV marks the same cells
    text = matrix_csv(q.matrix(), decided)
    assert text.startswith("\ufeff单位,")
    assert text.count("牵头（按排序推定）") == sum(len(v) for v in expected.values())


def test_cli_supervision_sheet_is_the_web_one(
    client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "g.db"
    assert main(["ingest", str(SAMPLE), "--db", str(db), "--quiet"]) == 0
    out = tmp_path / "sheet.xlsx"
    assert main(["matrix", "--format", "xlsx", "--out", str(out), "--db", str(db)]) == 0
    cli = load_workbook(out)["全部任务"]
    web = load_workbook(io.BytesIO(client.get("/matrix/supervision").content))["全部任务"]
    cells = lambda ws: [r[1:4] for r in ws.iter_rows(min_row=2, values_only=True)]  # noqa: E731
    assert cells(cli) == cells(web)


# -- search -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("工信", "县工业和信息化局"),
        ("发改", "县发展和改革局"),
        ("市场监管", "县市场监督管理局"),
        ("县工信局", "县工业和信息化局"),
        ("工业和信息化", "县工业和信息化局"),
    ],
)
def test_search_finds_short_forms(client: TestClient, q: str, name: str) -> None:
    hits = ok(client, "/search", params={"q": q})
    assert hits and hits[0]["name"] == name, hits


def test_search_ranks_exact_before_substring(client: TestClient) -> None:
    assert ok(client, "/search", params={"q": "县工业和信息化局"})[0]["id"] == GXJ


def test_cli_search(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert main(["ingest", str(SAMPLE), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["search", "工信", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "县工业和信息化局" in out and "单位" in out


# -- region filters -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/tasks?region=阳城县",
        "/tasks?unit=县工信局&region=阳城县",
        "/units?region=阳城县",
        f"/units/{GXJ}/tasks?region=阳城县",
        "/coverage?region=阳城县",
    ],
)
def test_unknown_region_is_404_naming_it(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and "阳城县" in response.json()["detail"]


def test_region_filters_listings(client: TestClient) -> None:
    assert len(ok(client, "/tasks?region=泽州县")) == 6
    assert len(ok(client, "/tasks?unit=县工信局&region=泽州县")) == 6
    units = ok(client, "/units?region=泽州县")
    assert units and {u["region"] for u in units} == {"泽州县"}
    assert len(ok(client, "/tasks", params={"document": "泽政办发〔2023〕17号"})) == 6


def test_units_json_keeps_regions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert main(["ingest", str(SAMPLE), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["units", "--json", "--db", str(db)]) == 0
    units: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    assert isinstance(units, list)
    assert {"id", "name", "region", "task_count", "lead_count"} <= set(units[0])
    assert main(["units", "--region", "阳城县", "--db", str(db)]) == 1


# -- uploads and versions -----------------------------------------------------------------
def test_upload_statuses_and_versions(client: TestClient, auth: dict[str, str]) -> None:
    same = upload(client, SAMPLE.read_bytes(), "zezhou.txt", headers=auth)
    assert same.status_code == 200 and same.json()["status"] == "unchanged"
    edited = SAMPLE.read_text("utf-8").replace("加快", "加速", 1).encode("utf-8")
    again = upload(client, edited, "zezhou-v2.txt", headers=auth)
    assert again.status_code == 200, again.text
    assert (again.json()["status"], again.json()["version"]) == ("new_version", 2)
    versions = ok(client, "/documents/泽政办发〔2023〕17号")["versions"]
    assert [v["version"] for v in versions] == [1, 2]


def test_document_page_shows_versions_with_a_diff_link(
    client: TestClient, auth: dict[str, str]
) -> None:
    edited = SAMPLE.read_text("utf-8").replace("加快", "加速", 1).encode("utf-8")
    assert upload(client, edited, "zezhou-v2.txt", headers=auth).status_code == 200
    html = client.get(f"/pages/documents/{DOC}").text
    assert "第 2 版" in html and "对比第 1 版" in html
    diff = client.get(f"/pages/documents/{DOC}/diff", params={"a": 1, "b": 2})
    assert diff.status_code == 200 and not _english(diff.text), sorted(_english(diff.text))
    assert 'href="/pages/documents/doc:' in client.get("/").text


# -- Chinese on the pages, the chain map's basis --------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pages/matrix",
        "/pages/units",
        f"/pages/units/{GXJ}",
        "/pages/tasks/三.5",
        "/pages/chains/foundry",
        "/pages/chains",
        "/pages/people/刘宽利",
        f"/pages/documents/{DOC}",
        "/pages/units/县某局",
        "/pages/chains/钢铁",
    ],
)
def test_pages_speak_chinese(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert not _english(html), (url, sorted(_english(html)))
    assert 'class="topnav"' in html  # the 404 pages too


def test_chain_map_states_its_basis_and_collapses_fallbacks(
    client: TestClient, desk_store: NetworkxStore
) -> None:
    page = _visible(client.get("/pages/chains/foundry").text)
    assert "13 家企业" in page and "部分样本，不是普查" in page
    for tier in ("上游", "中游", "下游", "配套"):
        assert tier in page
    lines = gap_lines(Questions(desk_store).gaps("foundry", None))
    fallback = [line for line in lines if line.fallback]
    assert len(fallback) == 1 and fallback[0].collapsed
    assert fallback[0].summary in page and fallback[0].summary.startswith("其余 ")


def test_empty_store_says_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "empty.db"
    assert main(["coverage", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "尚未导入文件" in out and "无" not in out.replace("尚未导入文件", "")


# -- registers ----------------------------------------------------------------------------
def test_registers_state_the_basis(client: TestClient) -> None:
    answer = ok(client, "/chains/registers")
    [sample] = answer["registers"]
    assert (sample["file"], sample["firms"], sample["sample"]) == ("zezhou-sample.csv", 13, True)
    assert "不是普查" in answer["basis"]


def test_a_county_loads_its_own_register_with_the_token(
    client: TestClient, auth: dict[str, str]
) -> None:
    rows = "企业名称,所在镇,环节\n甲铸造厂,泽州铸造,foundry:pig_iron\n乙铸造厂,泽州铸造,foundry:pig_iron\n"
    files = {"file": ("本县名录.csv", rows.encode("utf-8"), "text/csv")}
    assert client.post("/chains/registers", files=files).status_code == 401
    refused = client.post(
        "/chains/registers", files={"file": ("x.pdf", b"%PDF", "application/pdf")}, headers=auth
    )
    assert refused.status_code == 415
    response = client.post("/chains/registers", files=files, headers=auth)
    assert response.status_code == 201, response.text
    assert (response.json()["file"], response.json()["firms"]) == ("本县名录.csv", 2)
    names = {r["file"] for r in ok(client, "/chains/registers")["registers"]}
    assert "本县名录.csv" in names
    page = client.get("/pages/chains/foundry").text
    assert "本县名录.csv" in page and 'id="register-form"' in page
