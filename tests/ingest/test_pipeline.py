"""The bundled sample against its gold extraction, and encodings of the same text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.errors import UnreadableDocument
from graph.record import Record
from ingest.pipeline import extract_file
from ingest.resolve import Roster

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
GOLD = json.loads((ROOT / "tests" / "data" / "zezhou-2023-17.gold.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def record() -> Record:
    return extract_file(SAMPLE)


def test_document_fields_equal_gold(record: Record) -> None:
    got = record.document.model_dump()
    assert {k: got[k] for k in GOLD["document"]} == GOLD["document"]


def test_towns_and_mechanisms_equal_gold(record: Record) -> None:
    assert record.towns == GOLD["towns"]
    assert record.mechanisms == GOLD["mechanisms"]


def test_tasks_equal_gold(record: Record) -> None:
    got = [
        {"number": t.full_number, "title": t.title, "units": [u.name for u in t.units]}
        for t in record.tasks
    ]
    assert got == GOLD["tasks"]
    # the plan lists 责任单位 without lead/support, so every unit is "responsible"
    assert {u.role.value for t in record.tasks for u in t.units} == {"responsible"}
    assert [t.id for t in record.tasks] == ["三.1", "三.2", "三.3", "三.4", "三.5", "三.6"]
    assert {t.parent for t in record.tasks} == {"三"}


def test_task_spans_point_at_the_text(record: Record) -> None:
    from ingest.normalise import normalise

    text = normalise(SAMPLE.read_text("utf-8")).text
    for task in record.tasks:
        start, end = task.span
        assert text[start:end].startswith(task.number + task.title)
        for unit in task.units:
            assert unit.span is not None
            assert text[unit.span[0] : unit.span[1]] == unit.surface


def test_units_split_across_a_page_break_are_joined(record: Record) -> None:
    third = record.tasks[2]
    assert "县中小企业发展促进中心" in [u.surface for u in third.units]


def test_group_equals_gold(record: Record) -> None:
    gold = GOLD["group"]
    assert len(record.groups) == 1
    group = record.groups[0]
    assert group.name == gold["name"]
    assert group.office_unit == gold["office_unit"]
    members = [
        {
            "name": m.name,
            "role": m.role,
            "positions": [{"title": p.title, "unit": p.unit} for p in m.positions],
        }
        for m in group.members
    ]
    assert members == gold["members"]
    assert [{"text": c.text, "unit": c.unit} for c in group.collective_members] == gold[
        "collective_members"
    ]
    assert group.office_director is not None and group.office_deputy_director is not None
    director = group.office_director.unit + group.office_director.title
    deputy = group.office_deputy_director.unit + group.office_deputy_director.title
    assert director == gold["office_director_title"]
    assert deputy == gold["office_deputy_director_title"]


def test_gold_aliases_are_in_the_roster() -> None:
    roster = Roster.bundled()
    for canonical, aliases in GOLD["aliases"].items():
        for alias in aliases:
            assert roster.canonical(alias, "泽州县") == canonical


def _comparable(record: Record) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    data["document"].pop("source")
    return data


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_same_record_in_other_encodings(record: Record, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"sample-{encoding}.txt"
    path.write_bytes(SAMPLE.read_text("utf-8").encode(encoding))
    assert _comparable(extract_file(path)) == _comparable(record)


def test_text_without_tasks_is_a_document_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(
        "某某县人民政府办公室关于召开会议的通知\n\n请各单位准时参加。\n\n"
        "某某县人民政府办公室\n2024年3月1日\n",
        encoding="utf-8",
    )
    record = extract_file(path)
    assert not record.tasks and not record.groups
    assert record.warnings == ["notice.txt: 未找到任务或领导小组（no tasks or group found）"]
    assert record.document.issuer == "某某县人民政府办公室"
    assert record.document.date == "2024-03-01"


def test_group_notice_without_tasks_is_a_document_with_its_group(tmp_path: Path) -> None:
    path = tmp_path / "group.txt"
    path.write_text(
        "某某县人民政府办公室关于成立某某县招商引资工作领导小组的通知\n\n"
        "为加强组织领导，决定成立某某县招商引资工作领导小组，组成人员如下：\n"
        "组  长：张三  县长\n"
        "副组长：李四  副县长\n"
        "成  员：王五  县发展和改革局局长\n"
        "领导小组办公室设在县商务局。\n\n"
        "某某县人民政府办公室\n2024年3月1日\n",
        encoding="utf-8",
    )
    record = extract_file(path)
    assert not record.tasks and record.warnings == []
    [group] = record.groups
    assert [m.name for m in group.members] == ["张三", "李四", "王五"]
    assert group.office_unit == "县商务局"


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.txt", b""), ("blank.txt", b"  \n\n "), ("binary.txt", bytes(range(256)) * 8)],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=name):
        extract_file(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match=r"nothere\.txt"):
        extract_file(tmp_path / "nothere.txt")
