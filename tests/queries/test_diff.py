"""``zhenkg diff`` and the comparison under it: files, stored documents and versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from graph.versions import VersionTask, version_tasks
from ingest.pipeline import extract_file
from queries.diff import diff_tasks, match_tasks
from queries.lead_rule import split_lead
from tests.multidoc import ADDED, DROPPED, SAMPLE, YANGCHENG, edited_sample

EXACTLY_THE_EDIT = {
    "added": [],
    "removed": [],
    "changed": [
        {
            "id": "三.2",
            "number": "三（二）",
            "title": "强化创新驱动，实施创新能力提升行动",
            "was": {
                "id": "三.2",
                "number": "三（二）",
                "title": "强化创新驱动，实施创新能力提升行动",
            },
            "renamed": None,
            "units_added": [ADDED],
            "units_dropped": [DROPPED],
            "roles": [],
            "lead": None,
            "deadline": None,
        }
    ],
}


def _task(
    id: str, title: str, units: list[tuple[str, str]], deadline: str | None = None
) -> VersionTask:
    return VersionTask(id=id, number=id, title=title, deadline=deadline, units=units)


def _json_diff(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["diff", *args, "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_two_files_differ_by_exactly_the_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = edited_sample(tmp_path)
    out = _json_diff(capsys, str(SAMPLE), str(edited), "--db", str(tmp_path / "unused.db"))
    assert {k: out[k] for k in EXACTLY_THE_EDIT} == EXACTLY_THE_EDIT
    assert (out["a"], out["b"]) == (SAMPLE.name, edited.name)


def test_versions_in_the_store_differ_by_exactly_the_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "graph.db")
    assert main(["ingest", str(SAMPLE), "--db", db]) == 0
    assert main(["ingest", str(edited_sample(tmp_path)), "--db", db]) == 0
    number = "泽政办发〔2023〕17号"
    out = _json_diff(capsys, f"{number}@1", f"{number}@2", "--db", db)
    assert {k: out[k] for k in EXACTLY_THE_EDIT} == EXACTLY_THE_EDIT
    # The current version is the latest; a file against the store works too.
    assert _json_diff(capsys, f"{number}@1", number, "--db", db)["changed"] == out["changed"]
    assert _json_diff(capsys, str(SAMPLE), number, "--db", db)["changed"] == out["changed"]
    assert _json_diff(capsys, number, f"{number}@2", "--db", db)["changed"] == []

    capsys.readouterr()
    assert main(["diff", f"{number}@1", f"{number}@2", "--db", db]) == 0
    text = capsys.readouterr().out
    assert f"+ {ADDED}" in text and f"- {DROPPED}" in text and "三（二）" in text
    assert main(["diff", f"{number}@7", number, "--db", db]) == 1
    assert "no version" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "missing.txt"), number, "--db", db]) == 1
    assert "missing.txt: no such file, nor a stored document" in capsys.readouterr().err


def test_same_document_has_no_difference(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["diff", str(SAMPLE), str(SAMPLE)]) == 0
    assert "no change" in capsys.readouterr().out


def test_renames_leads_deadlines_roles_and_added_removed_tasks() -> None:
    a = [
        _task(
            "一", "强化产业集聚，实施特色产业壮大行动", [("县甲局", "lead"), ("县乙局", "support")]
        ),
        _task("二", "加强要素保障", [("县丙局", "responsible")], "2024-12-31"),
        _task("三", "拓展市场渠道", [("县丁局", "responsible")]),
    ]
    b = [
        _task(
            "一", "强化产业集聚，实施特色产业提质行动", [("县乙局", "lead"), ("县甲局", "support")]
        ),
        _task("二", "加强要素保障", [("县丙局", "responsible")], "2025-06-30"),
        _task("四", "建设人才队伍", [("县戊局", "responsible")]),
    ]
    d = diff_tasks(a, b)
    assert [t.title for t in d.added] == ["建设人才队伍"]
    assert [t.title for t in d.removed] == ["拓展市场渠道"]
    first, second = d.changed
    assert first.renamed is not None and first.renamed.after == "强化产业集聚，实施特色产业提质行动"
    assert first.lead is not None and (first.lead.before, first.lead.after) == ("县甲局", "县乙局")
    assert [(r.unit, r.before, r.after) for r in first.roles] == [
        ("县乙局", "support", "lead"),
        ("县甲局", "lead", "support"),
    ]
    assert first.units_added == first.units_dropped == []
    assert second.deadline is not None and second.deadline.after == "2025-06-30"
    assert second.renamed is None and second.lead is None


def test_renumbered_tasks_pair_by_title() -> None:
    a = [_task("三.1", "甲任务", []), _task("三.2", "乙任务", []), _task("三.3", "丙任务", [])]
    b = [_task("三.1", "乙任务", []), _task("三.2", "丙任务", [])]
    assert match_tasks(a, b) == [(1, 0), (2, 1)]
    d = diff_tasks(a, b)
    assert [t.title for t in d.removed] == ["甲任务"] and not d.changed and not d.added


def test_different_plans_share_no_task() -> None:
    d = diff_tasks(version_tasks(extract_file(SAMPLE)), version_tasks(extract_file(YANGCHENG)))
    assert len(d.added) == 4 and len(d.removed) == 6 and not d.changed


def test_first_responsible_unit_leads_when_no_lead_is_named() -> None:
    assert split_lead([]) == ([], [], False)
    assert split_lead([("县甲局", "responsible"), ("县乙局", "support")]) == (
        ["县甲局"],
        ["县乙局"],
        True,
    )
    a = [_task("一", "甲", [("县甲局", "responsible"), ("县乙局", "responsible")])]
    b = [_task("一", "甲", [("县乙局", "responsible"), ("县甲局", "responsible")])]
    lead = diff_tasks(a, b).changed[0].lead
    assert lead is not None and (lead.before, lead.after) == ("县甲局", "县乙局")
