"""Task tables written as text: wrapped cells, and a unit column that owns the rows below it.

The fixtures ``tests/data/layouts/t-assessment-owner.txt`` and ``t-owner-no-task-header.txt``
are invented in the shape of county assessment tables (考核细则) copied from a web page; the
real one of the development corpus (``../shared/corpus/real/d06_shicheng.txt``) is read when
it is there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.record import Record
from ingest.pipeline import extract_file
from ingest.resolve import Roster
from ingest.tables import table_tasks, text_tables

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ROOT / "tests" / "data" / "layouts"
REAL = ROOT.parent / "shared" / "corpus" / "real" / "d06_shicheng.txt"
GOLD = ROOT / "bench" / "real" / "d06_shicheng.gold.json"


def _pairs(record: Record) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(t.title, [(u.name, u.role.value) for u in t.units]) for t in record.tasks]


def test_wrapped_cells_join_their_row() -> None:
    text = (
        "序号\t考核项目\t分值\t考核内容\t评分标准\t说明\n"
        "1\t县水利局\t20\t开展河道清障，\n"
        "恢复行洪能力\t1.清障（10分）；\n"
        "2.验收（10分）。\t\n"
        "10\t整治入河排污口\t每处未整治扣2分\t\n"
    )
    [table] = text_tables(text)
    assert table[1] == ["1", "县水利局", "20", "开展河道清障，\n恢复行洪能力", *table[1][4:]]
    assert table[1][4] == "1.清障（10分）；\n2.验收（10分）。" and table[1][5] == ""
    assert table[2] == ["10", "整治入河排污口", "每处未整治扣2分", ""]


def test_paragraph_after_a_table_is_not_a_cell() -> None:
    text = "序号\t重点任务\t牵头单位\n1\t培育企业\t县工信局\n三、保障措施\n加强资金监管。\n"
    assert text_tables(text) == [[["序号", "重点任务", "牵头单位"], ["1", "培育企业", "县工信局"]]]
    text = "序号\t重点任务\t牵头单位\n1\t培育企业\t县工信局\n加强资金监管，确保专款专用。\n"
    assert text_tables(text)[0][-1] == ["1", "培育企业", "县工信局"]


def test_unit_column_owns_the_rows_below() -> None:
    record = extract_file(LAYOUTS / "t-assessment-owner.txt")
    assert _pairs(record) == [
        ("开展安全生产大排查大整治", [("县应急管理局", "responsible")]),
        ("加强建筑施工安全监管", [("县住房和城乡建设局", "responsible")]),
        # a row with only a score and a task belongs to the unit above, its task wrapped
        ("开展城镇燃气安全专项整治，推进老旧管网改造", [("县住房和城乡建设局", "responsible")]),
        ("强化道路运输安全管理", [("县交通运输局", "responsible")]),
        ("加强景区和文化场所安全管理", [("县文化和旅游局", "responsible")]),
        ("督促园区企业落实安全生产责任", [("县经开区管委会", "responsible")]),
        ("加强校园安全管理", [("县教育局", "responsible")]),  # serial number 5 again
    ]
    # group labels in a cell of their own are sections; rows of the general part are no tasks
    assert [s.title for s in record.sections] == ["重点考核部门", "一般考核部门"]
    assert [t.parent for t in record.tasks] == ["表1.1"] * 4 + ["表1.2"] * 3


def test_task_spans_cover_the_wrapped_cell() -> None:
    path = LAYOUTS / "t-assessment-owner.txt"
    text = path.read_text("utf-8")
    task = extract_file(path).tasks[2]
    assert text[task.span[0] : task.span[1]] == "开展城镇燃气安全专项整治，\n推进老旧管网改造"
    assert task.provenance is not None and task.provenance.cell == 1
    unit = task.units[0]
    assert unit.span is not None and text[unit.span[0] : unit.span[1]] == "县住建局"


def test_task_column_without_a_task_header_is_the_longest_text_but_the_rule() -> None:
    record = extract_file(LAYOUTS / "t-owner-no-task-header.txt")
    assert [t.number for t in record.tasks] == ["1", "2", "3", "4", "5", "6"]
    assert _pairs(record)[1] == ("推广测土配方施肥技术", [("县农业农村局", "responsible")])
    assert _pairs(record)[3] == (
        "新建农村供水工程，巩固提升农村饮水安全",
        [("县水利局", "responsible")],
    )
    assert not any("扣" in t.title for t in record.tasks)  # the scoring rule is never the task


def test_member_tables_and_tables_without_units_give_no_tasks() -> None:
    roster = Roster.bundled()
    members = [
        ["职务", "姓名", "单位及职务"],
        ["组长", "张三", "县人民政府县长"],
        ["成员", "李四", "县财政局局长"],
        ["成员", "王五", "县水利局局长"],
    ]
    plain = [
        ["序号", "考核内容", "分值", "评分标准"],
        ["1", "开展河道清障", "10", "未完成扣5分"],
        ["2", "整治入河排污口", "10", "每处扣2分"],
    ]
    assert table_tasks("", [members, plain], roster, "甲县", {}) == []


@pytest.mark.skipif(not REAL.exists(), reason="../shared/corpus/real is absent")
def test_real_assessment_table_matches_its_gold() -> None:
    gold = json.loads(GOLD.read_text("utf-8"))["tasks"]
    got = _pairs(extract_file(REAL))
    assert [units for _, units in got] == [[tuple(u) for u in t["units"]] for t in gold]
    assert all(title.startswith(t["title"][:8]) for (title, _), t in zip(got, gold, strict=True))
