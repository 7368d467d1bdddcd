"""The chain map's 招商目标 section in a real browser: ``zhenkg serve`` over the sample, its
泽州 register and an invented register of two made-up counties (headless Chromium, as
``test_browser``; nothing may leave the host)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.load import SAMPLE_REGISTER
from tests.api.conftest import SAMPLE, zhenkg
from tests.api.test_browser import Desk, browser, desk, served

__all__ = ["browser", "desk"]  # fixtures shared with test_browser; ``server`` is this store's

pytestmark = pytest.mark.browser

NEIGHBOURS = Path(__file__).resolve().parents[1] / "data" / "targets" / "neighbours.csv"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``zhenkg serve`` on a free port over the sample with both registers."""
    folder = tmp_path_factory.mktemp("targets")
    db = str(folder / "graph.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENKG_")}
    for argv in (
        ["ingest", str(SAMPLE)],
        ["firms", "import", str(SAMPLE_REGISTER)],
        ["firms", "import", str(NEIGHBOURS)],
    ):
        subprocess.run(
            [*zhenkg(), *argv, "--db", db], env=env, check=True, capture_output=True, timeout=120
        )
    with served(db, env, folder / "serve.log") as url:
        yield url


def test_chain_map_lists_investment_targets(desk: Desk) -> None:
    page = desk.open("/pages/chains/foundry")
    section = page.locator("#targets")
    assert "招商目标" in section.locator("h2").inner_text()
    assert "甲县（虚构）" in page.inner_text("#targets-basis")
    header = page.locator("#target-table thead th").all_inner_texts()
    assert header[:5] == ["序号", "环节", "动作", "得分", "企业"]
    assert {"所在地", "来源", "责任单位", "责任人"} <= set(header)
    rows = page.locator("#target-table tbody tr")
    assert rows.count() == 4
    first = rows.first.locator("td").all_inner_texts()
    assert first[1] == "检验检测认证" and first[4] == "测试甲检测有限公司"
    assert "neighbours.csv 第 3 行" in first[8] and first[9] and first[10]
    assert "测试丁管件有限公司" not in page.inner_text("#targets")
    desk.shot("chain-targets")
    with page.expect_download() as download:
        page.click("#download-targets")
    assert download.value.suggested_filename == "招商目标清单.xlsx"
    rows.first.locator("td a").first.click()
    assert page.url.endswith("#node-chainnode:foundry:testing")
    assert page.locator('.chain-node[data-id="chainnode:foundry:testing"]').count() == 1


def test_chain_map_for_every_firm_asks_for_a_town(desk: Desk) -> None:
    page = desk.open("/pages/chains/foundry?town=")
    assert "选择一个专业镇" in page.inner_text("#targets-basis")
    assert page.locator("#target-table").count() == 0
