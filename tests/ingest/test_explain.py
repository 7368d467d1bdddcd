"""Warnings for lines that look like duties or members but went unparsed."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[2]


def test_the_sample_reads_without_warnings() -> None:
    assert extract_file(ROOT / "data" / "samples" / "zezhou-2023-17.txt").warnings == []


def test_unparsed_duty_and_member_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "某某县人民政府办公室关于印发某某县招商工作方案的通知\n\n"
        "全县要加强招商引资（县商务局会同县财政局研究后统筹安排负责）。\n"
        "一、重点任务\n"
        "（一）引进龙头企业。引进企业5家。（责任单位：县商务局、县工业和信息化局）\n"
        "二、组织保障\n"
        "组长：县委书记、县长\n",
        encoding="utf-8",
    )
    record = extract_file(path)
    assert [t.title for t in record.tasks] == ["引进龙头企业"]
    assert record.warnings == [
        "plan.txt: 看似职责分工，未能读取："
        "全县要加强招商引资（县商务局会同县财政局研究后统筹安排负责）。",
        "plan.txt: 看似领导小组成员名单，未能读取：组长：县委书记、县长",
    ]
