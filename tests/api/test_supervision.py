"""The 任务分解表 supervision sheet: opens in openpyxl and says what the matrix says."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.cli import main
from api.supervision import ALL_SHEET, HEADER, INFERRED_NOTE, supervision_rows
from graph.store import open_embedded
from queries.answers import TaskRow, UnitRole
from queries.service import Questions
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG, ingest


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the sample and the two other counties' plans."""
    path = tmp_path_factory.mktemp("supervision") / "graph.db"
    ingest(open_embedded(path), SAMPLE, YANGCHENG, GAOPING)
    return path


@pytest.fixture(scope="module")
def xlsx(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet written by ``zhenkg matrix --format xlsx --out``."""
    out = tmp_path_factory.mktemp("sheet") / "督办" / "任务分解表.xlsx"
    assert main(["matrix", "--format", "xlsx", "--out", str(out), "--db", str(db)]) == 0
    return out


def _rows(ws: object) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_sheets_header_frozen_and_filtered(xlsx: Path) -> None:
    wb = load_workbook(xlsx)
    assert wb.sheetnames == [
        ALL_SHEET,
        "泽政办发〔2023〕17号",
        "阳政办发〔2023〕21号",
        "高政办发〔2023〕35号",
    ]
    for ws in wb.worksheets:
        assert _rows(ws)[0] == HEADER
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:L{ws.max_row}"
        assert ws.column_dimensions["L"].hidden
    per_doc = sum(ws.max_row - 1 for ws in wb.worksheets[1:])
    assert per_doc == wb[ALL_SHEET].max_row - 1 == 13
    assert [r[0] for r in _rows(wb["阳政办发〔2023〕21号"])[1:]] == [1, 2, 3, 4]


def test_rows_equal_the_matrix(db: Path, xlsx: Path) -> None:
    m = Questions(open_embedded(db)).matrix()
    rows = _rows(load_workbook(xlsx)[ALL_SHEET])[1:]
    assert len(rows) == len(m.tasks)
    for row, task in zip(rows, m.tasks, strict=True):
        _, title, lead, support, deadline, _, source, _, *blank, task_id = row
        assert blank == [None, None, None] and task_id == task.id
        assert title == f"{task.full_number} {task.title}"
        on_task = {u.name: u.cells[task.id] for u in m.units if task.id in u.cells}
        named = [n for cell in (lead, support) if cell for n in str(cell).split("、")]
        assert sorted(named) == sorted(on_task)
        leads = [n for n, role in on_task.items() if role == "lead"]
        if leads:
            assert str(lead).split("、") == leads
        assert (deadline or None) == task.deadline
        assert str(source).startswith(task.document)


def test_lead_inferred_from_the_first_responsible_unit(xlsx: Path) -> None:
    rows = _rows(load_workbook(xlsx)["泽政办发〔2023〕17号"])
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["重点任务"] == "三（一） 强化产业集聚，实施特色产业壮大行动"
    assert first["牵头单位"] == "县工业和信息化局"
    assert str(first["配合单位"]).startswith("县农业农村局、县中小企业发展促进中心")
    assert first["责任人"] == "刘宽利（局长）"
    assert first["备注"] == INFERRED_NOTE
    assert first["来源文件"] == "泽州县促进专业镇高质量发展实施方案（泽政办发〔2023〕17号）"


def test_stated_lead_support_and_deadline(xlsx: Path) -> None:
    rows = _rows(load_workbook(xlsx)["高政办发〔2023〕35号"])
    first = dict(zip(HEADER, rows[1], strict=True))
    assert (first["牵头单位"], first["配合单位"]) == (
        "市工业和信息化局",
        "市发展和改革局、市财政局",
    )
    assert (first["完成时限"], first["责任人"], first["备注"]) == (
        "2024-12-31",
        "赵六（局长）",
        None,
    )
    third = dict(zip(HEADER, rows[3], strict=True))
    assert third["牵头单位"] == "市人力资源和社会保障局" and third["备注"] == INFERRED_NOTE


def test_collective_head_and_co_leads() -> None:
    row = TaskRow(
        id="t",
        document="某方案",
        title="甲",
        units=[
            UnitRole(id="a", name="县甲局", role="lead", order=0),
            UnitRole(id="b", name="各乡镇人民政府", role="lead", order=1),
            UnitRole(id="c", name="县丙局", role="support", order=2),
        ],
    )
    row.units[1].heads = []
    [r] = supervision_rows([row])
    assert (r.lead, r.support, r.note, r.source) == (
        ["县甲局", "各乡镇人民政府"],
        ["县丙局"],
        "",
        "某方案",
    )


def test_xlsx_needs_an_output_file(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["matrix", "--format", "xlsx", "--db", str(db)]) == 1
    assert "--out" in capsys.readouterr().err
