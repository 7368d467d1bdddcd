"""The supervision loop: export the 任务分解表, fill it in with openpyxl, import it, ask overdue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.cli import main
from api.settings import Settings
from api.supervision import ALL_SHEET, HEADER, ID_COLUMN
from graph.sqlite_store import SqliteStore
from graph.store import open_embedded
from tests.multidoc import SAMPLE, ingest

ROOT = Path(__file__).resolve().parents[2]
DEADLINES = ROOT / "tests" / "data" / "layouts" / "m-deadlines.txt"
DOC = "酉政办发〔2024〕8号"
T = {n: f"task:酉县:{DOC}:一.{n}" for n in range(1, 6)}
# 1 2024-06-30, 2 2024-12-31, 3 长期坚持, 4 每年11月底前, 5 2025-03-31


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "graph.db"
    ingest(open_embedded(path), DEADLINES, SAMPLE)
    return path


@pytest.fixture
def sheet(db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "任务分解表.xlsx"
    assert main(["matrix", "--format", "xlsx", "--out", str(out), "--db", str(db)]) == 0
    return out


def fill(sheet: Path, reports: dict[str, tuple[str, str, Any]], out: Path) -> Path:
    """Fill 进展 / 完成情况 / 完成日期 of the rows of ``reports`` (task id → cells) in 全部任务."""
    wb = load_workbook(sheet)
    ws = wb[ALL_SHEET]
    col = {h: i + 1 for i, h in enumerate(HEADER)}
    for row in range(2, ws.max_row + 1):
        task = ws.cell(row, col[ID_COLUMN]).value
        if task in reports:
            for h, v in zip(("进展", "完成情况", "完成日期"), reports[task], strict=True):
                ws.cell(row, col[h]).value = v
    wb.save(out)
    return out


def overdue(db: Path, as_of: str, *extra: str, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert main(["overdue", "--as-of", as_of, "--db", str(db), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def overdue_ids(answer: Any) -> set[str]:
    return {o["task"]["id"] for u in answer["units"] for o in u["tasks"]}


FILLED = {
    T[1]: ("已完成全覆盖排查", "已完成", "2024-06-20"),
    T[2]: ("清单已起草，待审定", "推进中", None),
    T[4]: ("已培训 320 人", "已完成", "2024-11-25"),
}


def test_round_trip(
    db: Path, sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = overdue(db, "2025-01-15", capsys=capsys)
    assert overdue_ids(before) == {T[1], T[2], T[4]}
    assert before["kinds"] == {"date": 3, "recurring": 1, "ongoing": 1, "unknown": 0, "none": 6}

    filled = fill(sheet, FILLED, tmp_path / "填报.xlsx")
    argv = ["progress", "import", str(filled), "--date", "2025-01-10", "--db", str(db)]
    assert main(argv) == 0
    assert "导入进展 3 条（其中已完成 2 条）" in capsys.readouterr().out

    after = overdue(db, "2025-01-15", capsys=capsys)
    assert overdue_ids(after) == {T[2]}
    [unit] = after["units"]
    assert unit["name"] == "县应急管理局"
    [late] = unit["tasks"]
    assert late["due"] == "2024-12-31" and late["days"] == 15 and late["role"] == "lead"
    assert late["latest"]["status"] == "推进中" and late["latest"]["version"] == 1
    # later: the March deadline passes, and the yearly training falls due again in November
    assert overdue_ids(overdue(db, "2025-04-01", capsys=capsys)) == {T[2], T[5]}
    assert overdue_ids(overdue(db, "2025-12-01", capsys=capsys)) == {T[2], T[4], T[5]}
    # a report dated after the asked day does not count for it
    assert T[1] not in overdue_ids(overdue(db, "2024-07-15", capsys=capsys))
    # by unit: the support unit on a task sees it with its role
    mine = overdue(db, "2025-01-15", "--unit", "县公安局", capsys=capsys)
    assert mine["units"] == [] and mine["kinds"]["ongoing"] == 1

    # importing the same sheet again the same day changes nothing
    counts = open_embedded(db).counts()
    assert counts["Progress"] == 3
    assert main(argv) == 0
    assert open_embedded(db).counts() == counts

    # the text answer, in Chinese
    capsys.readouterr()
    assert main(["overdue", "--as-of", "2025-01-15", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("截至 2025-01-15，逾期未完成 1 项")
    assert "县应急管理局" in text and "推进中 2025-01-10" in text


def test_overdue_route(db: Path, sheet: Path, tmp_path: Path) -> None:
    filled = fill(sheet, FILLED, tmp_path / "填报.xlsx")
    assert main(["progress", "import", str(filled), "--date", "2025-01-10", "--db", str(db)]) == 0
    client = TestClient(create_app(open_embedded(db), Settings()))
    got = client.get("/overdue", params={"as_of": "2025-01-15"})
    assert got.status_code == 200
    assert overdue_ids(got.json()) == {T[2]}
    assert (
        client.get("/overdue", params={"as_of": "2025-01-15", "unit": "县应急局"}).json()["count"]
        == 1
    )
    assert client.get("/overdue", params={"unit": "县无此局"}).status_code == 404
    assert client.get("/overdue", params={"as_of": "2025-13-01"}).status_code == 422


def test_malformed_sheet_is_refused_whole(
    db: Path, sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = load_workbook(sheet)
    ws = wb[ALL_SHEET]
    col = {h: i + 1 for i, h in enumerate(HEADER)}
    rows = {ws.cell(r, col[ID_COLUMN]).value: r for r in range(2, ws.max_row + 1)}
    good, unknown, changed, bad = rows[T[1]], rows[T[2]], rows[T[3]], rows[T[5]]
    ws.cell(good, col["完成情况"]).value = "已完成"
    ws.cell(unknown, col[ID_COLUMN]).value = "task:酉县:无此任务"
    ws.cell(unknown, col["进展"]).value = "推进中"
    ws.cell(changed, col["重点任务"]).value = "一（三） 强化执法检查（改）"
    ws.cell(changed, col["完成情况"]).value = "推进中"
    ws.cell(bad, col["完成情况"]).value = "差不多"
    ws.cell(bad, col["完成日期"]).value = "明年"
    out = tmp_path / "坏表.xlsx"
    wb.save(out)
    before = open_embedded(db).counts()
    capsys.readouterr()
    assert main(["progress", "import", str(out), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err
    assert "3 行被拒，未导入任何内容" in err
    assert f"{ALL_SHEET} 第{unknown}行：未知任务" in err
    assert f"{ALL_SHEET} 第{changed}行：与库中任务不一致（重点任务）" in err
    assert f"{ALL_SHEET} 第{bad}行：完成情况“差不多”无法识别" in err
    assert open_embedded(db).counts() == before


def test_not_a_sheet(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["甲", "乙"])
    wb.save(other)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", "utf-8")
    for path, says in ((other, "没有任务分解表"), (text, "不是可读取的 Excel 工作簿")):
        capsys.readouterr()
        assert main(["progress", "import", str(path), "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and says in err and str(path) in err


def test_conflicting_rows_in_two_sheets(
    db: Path, sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = load_workbook(sheet)
    col = {h: i + 1 for i, h in enumerate(HEADER)}
    for ws, status in ((wb[ALL_SHEET], "已完成"), (wb[DOC], "推进中")):
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, col[ID_COLUMN]).value == T[1]:
                ws.cell(r, col["完成情况"]).value = status
    out = tmp_path / "两表.xlsx"
    wb.save(out)
    capsys.readouterr()
    assert main(["progress", "import", str(out), "--db", str(db)]) == 1
    assert f"与{ALL_SHEET} 第" in capsys.readouterr().err


def test_overdue_on_the_responsibility_part_prints_as_on_the_whole_graph(
    db: Path,
    sheet: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``overdue`` reads the store's units, tasks, heads and progress reports (the
    ``responsibility`` part), not the whole graph: with reports imported, every day, unit and
    form prints what the whole graph gives."""
    filled = fill(sheet, FILLED, tmp_path / "填报.xlsx")
    assert main(["progress", "import", str(filled), "--date", "2025-01-10", "--db", str(db)]) == 0
    monkeypatch.setattr(SqliteStore, "stored_answer", lambda self, key: (0, None))
    monkeypatch.setattr(SqliteStore, "keep_answer", lambda *_: False)
    commands = [
        ["overdue", "--as-of", day, *form]
        for day in ("2024-07-15", "2025-01-15", "2025-04-01", "2025-12-01")
        for form in ([], ["--json"], ["--unit", "县应急管理局", "--json"], ["--unit", "县公安局"])
    ]
    read: list[str] = []
    real = SqliteStore.part_at

    def part_at(self: SqliteStore, question: str, ref: tuple[str, ...] = ()) -> object:
        read.append(question)
        return real(self, question, ref)

    def printed() -> list[tuple[int, str]]:
        out = []
        for args in commands:
            code = main([*args, "--db", str(db)])
            out.append((code, capsys.readouterr().out))
        return out

    capsys.readouterr()
    monkeypatch.setattr(SqliteStore, "part_at", part_at)
    on_part = printed()
    assert read == ["responsibility"] * len(commands)
    monkeypatch.setattr(SqliteStore, "part_at", lambda *_: None)
    assert on_part == printed()
    assert sum("推进中" in out for _, out in on_part) >= 6  # the reports are read
