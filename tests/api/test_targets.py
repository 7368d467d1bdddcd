"""Investment targets on the desk: ``/chains/{id}/targets`` (JSON and the 招商目标清单 workbook),
the chain page's section and ``zhenkg targets``; no firm is listed without another region's
register, and the answer says so in Chinese."""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api import targets
from api.app import create_app
from api.cli import main
from api.settings import Settings
from graph.networkx_store import NetworkxStore
from ingest.load import SAMPLE_REGISTER, register_load
from tests.api.conftest import SAMPLE

NEIGHBOURS = Path(__file__).resolve().parents[1] / "data" / "targets" / "neighbours.csv"
COLUMNS = ["环节", "动作", "企业", "所在地", "来源", "责任单位", "责任人"]


@pytest.fixture
def neighbours(desk_store: NetworkxStore, settings: Settings) -> TestClient:
    """The sample store plus an invented register of two made-up counties."""
    desk_store.load(copy.deepcopy(register_load(NEIGHBOURS)[0]))
    return TestClient(create_app(desk_store, settings))


def test_route_says_there_is_no_other_register(client: TestClient) -> None:
    body = client.get("/chains/foundry/targets").json()
    assert body["outcome"] == "no_other_register" and body["targets"] == []
    assert body["town"] == "town:泽州县:泽州铸造" and body["region"] == "泽州县"
    page = client.get("/pages/chains/foundry").text
    assert "没有其他地区的名录" in page and "不编造企业" in page
    assert 'id="target-table"' not in page
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx(client))).active.values)
    assert list(rows[0]) == COLUMNS and "没有其他地区的名录" in str(rows[1][0])


def xlsx(client: TestClient, **params: str) -> bytes:
    response = client.get("/chains/foundry/targets", params={"format": "xlsx", **params})
    assert response.status_code == 200
    assert (
        "招商目标清单" in response.headers["content-disposition"]
        or "%E6%8B%9B" in (response.headers["content-disposition"])
    )
    return bytes(response.content)


def test_route_workbook_and_page_list_the_firms(neighbours: TestClient) -> None:
    body = neighbours.get("/chains/foundry/targets", params={"town": "泽州铸造"}).json()
    assert body["outcome"] == "targets" and body["total"] == 4
    first = body["targets"][0]
    assert (first["name"], first["action"], first["region"]) == (
        "测试甲检测有限公司",
        "补链",
        "甲县（虚构）",
    )
    assert first["source"] == {
        "file": "neighbours.csv",
        "row": 3,
        "reference": "invented for tests",
        "year": None,
    }
    assert first["owner"]["unit"]["name"] and first["owner"]["person"]["name"]
    assert len(neighbours.get("/chains/foundry/targets?top=2").json()["targets"]) == 2
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx(neighbours))).active.values)
    assert list(rows[0]) == COLUMNS and len(rows) == 5
    assert rows[1][:5] == (
        "检验检测认证",
        "补链",
        "测试甲检测有限公司",
        "甲县（虚构） 甲县铸造",
        "neighbours.csv 第 3 行（invented for tests）",
    )
    assert all(r[5] and r[6] for r in rows[1:])
    names = {r[2] for r in rows[1:]}
    assert "测试丁管件有限公司" not in names and "测试戊物流有限公司" not in names
    page = neighbours.get("/pages/chains/foundry").text
    table = page[page.index('id="target-table"') :]
    assert table.count("data-firm=") == 4 and "测试甲检测有限公司" in table
    href = re.search(r'href="(/chains/[^"]*format=xlsx)"', page)
    assert href and neighbours.get(href.group(1).replace("&amp;", "&")).status_code == 200
    everywhere = neighbours.get("/pages/chains/foundry?town=").text
    assert "选择一个专业镇后" in everywhere


def test_route_errors(client: TestClient) -> None:
    assert client.get("/chains/nochain/targets").status_code == 404
    assert client.get("/chains/foundry/targets?town=无此镇").status_code == 404
    assert client.get("/chains/foundry/targets?top=0").status_code == 422


def test_cli_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "graph.db")
    assert main(["ingest", str(SAMPLE), "--db", db]) == 0
    assert main(["firms", "import", str(SAMPLE_REGISTER), "--db", db]) == 0
    capsys.readouterr()
    assert main(["targets", "foundry", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "没有其他地区的名录" in out and "firms import" in out and "测试" not in out
    assert main(["firms", "import", str(NEIGHBOURS), "--db", db]) == 0
    capsys.readouterr()
    assert main(["targets", "铸造", "--town", "泽州铸造", "--top", "2", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "测试甲检测有限公司" in out and "neighbours.csv 第 3 行" in out
    assert "测试乙热处理有限公司" not in out  # ranked below the first two
    assert "只列出" not in out  # --top N lists N
    monkeypatch.setattr(targets, "SHOWN", 2)  # without --top, the first as on the page
    assert main(["targets", "铸造", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "测试甲检测有限公司" in out and "测试乙热处理有限公司" not in out
    assert "只列出排在前面的 2 家次（共 4 家次）" in out
    assert main(["targets", "foundry", "--json", "--db", db]) == 0
    assert '"outcome": "targets"' in capsys.readouterr().out
    assert main(["targets", "foundry", "--out", str(tmp_path), "--db", db]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "招商目标清单.xlsx").active
    assert sheet.title == "招商目标清单" and sheet.max_row == 5
    assert main(["targets", "foundry", "--town", "无此镇", "--db", db]) == 1
