"""The pages in a real browser: ``zhenkg serve`` on the sample, driven by headless Chromium.

Every test fails if the page requests anything from a host other than 127.0.0.1/localhost:
the desk has to work on a government intranet with no way out. Screenshots go to the test's
``tmp_path``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from ingest.load import SAMPLE_REGISTER
from tests.api.conftest import SAMPLE, free_port, zhenkg
from tests.api.test_progress import DEADLINES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL = {"127.0.0.1", "localhost"}
GXJ = "unit:泽州县:县工业和信息化局"
YJJ = "unit:酉县:县应急管理局"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``zhenkg serve`` on a free port over a temporary store holding the sample, firms, a plan
    with deadlines and a filled 任务分解表 imported for it (the 督办 sections)."""
    folder = tmp_path_factory.mktemp("store")
    db, sheet = folder / "graph.db", folder / "任务分解表.xlsx"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENKG_")}
    steps = [
        ["ingest", str(SAMPLE), str(DEADLINES)],
        ["firms", "import", str(SAMPLE_REGISTER)],
        ["matrix", "--format", "xlsx", "--out", str(sheet)],
        lambda: ["progress", "import", str(filled(sheet)), "--date", "2025-01-10"],
    ]
    for step in steps:
        argv = step() if callable(step) else step
        subprocess.run(
            [*zhenkg(), *argv, "--db", str(db)],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    with served(db, env, tmp_path_factory.mktemp("server") / "serve.log") as url:
        yield url


@contextmanager
def served(db: str | Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """``zhenkg serve`` over ``db`` on a free loopback port, until the block ends."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                *zhenkg(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                str(db),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"zhenkg serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"zhenkg serve did not answer on {url}:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def filled(sheet: Path) -> Path:
    """The sheet with 一（一） reported done and 一（二） underway (the rest left blank)."""
    from tests.api.test_progress import FILLED, T, fill

    return fill(sheet, {t: FILLED[t] for t in (T[1], T[2])}, sheet.with_name("填报.xlsx"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, on a temporary profile (Playwright's default)."""
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("no browser: install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Desk:
    """A browser page that records every request leaving the host."""

    def __init__(self, page: Any, base: str, shots: Path) -> None:
        self.page = page
        self.base = base
        self.shots = shots
        self.foreign: list[str] = []
        self.failed: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda exc: self.failed.append(f"page error: {exc}"))
        # A blocked remote load (Content-Security-Policy) or a missing local file logs an error.
        page.on("console", self._console)

    def _request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL:
            self.foreign.append(request.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.failed.append(f"console error: {message.text}")

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == 200, path
        return self.page

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path


@pytest.fixture
def desk(browser: Any, server: str, tmp_path: Path) -> Iterator[Desk]:
    """A fresh page; fails the test if it requested anything off the host or threw."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = Desk(context.new_page(), server, tmp_path)
    try:
        yield page
    finally:
        context.close()
    assert not page.foreign, f"requests left the host: {page.foreign}"
    assert not page.failed, page.failed


def drawn(page: Any) -> int:
    """Nodes in the explorer's vis network once it has stopped moving."""
    page.wait_for_function("() => typeof network !== 'undefined' && network.body", timeout=30_000)
    page.wait_for_function("() => network.physics.options.enabled === false", timeout=60_000)
    # pyvis fades its progress bar out for half a second after the layout settles.
    page.wait_for_function(
        "() => { const bar = document.getElementById('loadingBar');"
        " return !bar || getComputedStyle(bar).display === 'none'; }",
        timeout=10_000,
    )
    return int(page.evaluate("() => network.body.data.nodes.length"))


def test_explorer_overview_then_everything(desk: Desk) -> None:
    page = desk.open("/pages/explorer")
    drawn(page)
    kinds = set(page.evaluate("() => network.body.data.nodes.map(n => n.kind)"))
    assert kinds <= {"Document", "Group", "Unit", "Chain", "Town"} and "Unit" in kinds
    assert "概览" in page.inner_text("#explorer-bar")


def test_explorer_draws_the_sample(desk: Desk) -> None:
    page = desk.open("/pages/explorer?types=all")
    assert drawn(page) > 20
    kinds = set(page.evaluate("() => network.body.data.nodes.map(n => n.kind)"))
    assert {"Unit", "Task", "Person", "Group", "Document", "ChainNode", "Firm"} <= kinds
    legend = page.locator("#explorer-legend input[data-kind]")
    assert legend.count() == len(kinds)
    desk.shot("explorer")


@pytest.mark.parametrize("query", ["县工业和信息化局", "县工信局"])
def test_explorer_search_finds_the_bureau(desk: Desk, query: str) -> None:
    page = desk.open("/pages/explorer")
    drawn(page)
    page.fill("#explorer-search", query)
    page.press("#explorer-search", "Enter")
    page.wait_for_selector(f'#explorer-results button[data-id="{GXJ}"]', timeout=10_000)
    assert page.evaluate("() => network.getSelectedNodes()") == [GXJ]
    assert "县工业和信息化局" in page.inner_text("#explorer-selected")
    desk.shot("explorer-search")


def test_explorer_filters_by_type_and_focuses_a_neighbourhood(desk: Desk) -> None:
    page = desk.open("/pages/explorer?types=all")
    total = drawn(page)
    visible = "() => network.body.data.nodes.get({filter: n => !n.hidden}).length"
    page.uncheck('input[data-kind="Person"]')
    people = page.evaluate("() => network.body.data.nodes.get({filter: n => n.kind === 'Person'})")
    assert people and all(p["hidden"] for p in people)
    assert page.evaluate(visible) == total - len(people)
    page.evaluate(f"() => zhenkgExplorer.select({GXJ!r})")
    page.click("#explorer-focus")
    focused = page.evaluate(visible)
    assert 1 < focused < total
    assert page.evaluate(f"() => !!network.body.data.nodes.get({GXJ!r}).hidden") is False
    desk.shot("explorer-focus")
    page.click("#explorer-reset")
    assert page.evaluate(visible) == total


def test_explorer_focus_from_the_server(desk: Desk) -> None:
    page = desk.open(f"/pages/explorer?focus={GXJ}&depth=1")
    assert 1 < drawn(page) < 60
    assert "服务端聚焦" in page.inner_text("#explorer-bar")


def test_chain_map_shows_the_gaps(desk: Desk) -> None:
    page = desk.open("/pages/chains/foundry")
    tiers = page.locator("#chain-map .tier h2").all_inner_texts()
    assert tiers == ["上游", "中游", "下游", "配套"]
    assert page.locator(".chain-node.action-补链").count() > 0
    assert page.locator(".chain-node.status-present").count() > 0
    assert "不是普查" in page.inner_text("#chain-basis")
    header = page.locator("#gap-table thead th").all_inner_texts()
    assert header == ["环节", "建议", "得分", "牵头单位", "负责人", "来源任务"]
    assert page.locator("#gap-table tbody tr.collapsed").count() == 1
    assert "其余" in page.inner_text("#gap-table tbody tr.collapsed")
    desk.shot("chain-foundry")
    page.locator(".chain-node.action-补链").first.click()
    assert page.evaluate("() => location.hash").startswith("#gap-")


def test_matrix_sorts_and_offers_the_workbook(desk: Desk) -> None:
    page = desk.open("/pages/matrix")
    first = "() => document.querySelector('#matrix tbody tr th').innerText.trim()"
    assert page.evaluate(first) == "县工业和信息化局"
    page.click("#matrix thead th:nth-child(1)")
    names = page.locator("#matrix tbody tr th").all_inner_texts()
    collated = page.evaluate(
        "names => names.slice().sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))", names
    )
    assert len(names) == 16 + 4 and names == collated  # the sample's units, the deadline plan's
    page.click("#matrix thead th:nth-child(2)")
    counts = [int(c) for c in page.locator("#matrix tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    page.click("#matrix thead th:nth-child(2)")
    counts = [int(c) for c in page.locator("#matrix tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts)
    with page.expect_download() as download:
        page.click("a[href='/matrix?format=xlsx']")
    assert download.value.suggested_filename == "责任矩阵.xlsx"
    with page.expect_download() as download:
        page.click("a[href='/matrix/supervision']")
    assert download.value.suggested_filename == "任务分解表.xlsx"
    desk.shot("matrix")


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "#finding-no-member"),
        (f"/pages/units/{GXJ}", "#unit-groups"),
        ("/pages/tasks/三.5", "#marker"),
        ("/docs", ".swagger-ui .info"),
        ("/redoc", "redoc-wrap, .api-content"),
    ],
)
def test_pages_stay_on_this_host(desk: Desk, path: str, ready: str) -> None:
    page = desk.open(path)
    page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_load_state("networkidle")
    desk.shot(path.strip("/").replace("/", "_").replace(":", "_") or "overview")


# Visible words a planner may meet in ASCII letters; anything else is English left behind.
ALLOWED = {"zhenkg", "API", "JSON", "CSV", "XLSX"}
PAGES = [
    "/",
    "/pages/matrix",
    "/pages/units",
    f"/pages/units/{GXJ}",
    f"/pages/units/{YJJ}",
    "/pages/tasks/三.5",
    "/pages/people/刘宽利",
    "/pages/chains",
    "/pages/chains/foundry",
    "/pages/chains/hawthorn",
    "/pages/documents/泽政办发〔2023〕17号",
    "/pages/explorer",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_speak_chinese(desk: Desk, path: str) -> None:
    page = desk.open(path)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    english = sorted({w for w in re.findall(r"[A-Za-z]{2,}", text)} - ALLOWED)
    assert not english, (path, english)


def test_missing_pages_are_chinese_with_navigation(desk: Desk, server: str) -> None:
    response = desk.page.goto(server + "/pages/units/县不存在局")
    assert response is not None and response.status == 404
    assert desk.page.locator("nav.topnav a").count() > 3
    assert "找不到" in desk.page.inner_text("main")
    desk.failed.clear()  # the browser logs the 404 itself as a console error


def test_overview_lists_overdue_tasks_by_unit(desk: Desk) -> None:
    page = desk.open("/")
    card = page.wait_for_selector("#overdue-card", timeout=30_000)
    text = card.inner_text()
    assert "督办：逾期未完成" in text and "县应急管理局" in text
    assert "健全安全责任体系" in text  # 一（二）: reported underway, past 2024-12-31
    assert "开展隐患排查整治" not in text  # 一（一）: reported done on 2024-06-20
    assert int(page.inner_text("#overdue-count")) >= 1
    card.scroll_into_view_if_needed()
    desk.shot("overview-overdue")


def test_unit_page_puts_overdue_tasks_first(desk: Desk) -> None:
    page = desk.open(f"/pages/units/{YJJ}")
    assert "逾期未完成" in page.inner_text("#unit-overdue")
    rows = page.locator("table.list tbody tr")
    classes = [rows.nth(i).get_attribute("class") or "" for i in range(rows.count())]
    late = [i for i, c in enumerate(classes) if "overdue" in c]
    assert late and late == list(range(len(late)))  # overdue rows come first
    texts = rows.all_inner_texts()
    assert any("健全安全责任体系" in t and "推进中" in t and "逾期" in t for t in texts)
    assert any("开展隐患排查整治" in t and "已完成" in t and "逾期" not in t for t in texts)
    desk.shot("unit-overdue")
