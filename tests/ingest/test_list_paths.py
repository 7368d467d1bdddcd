"""Marker lists read by their shortcuts give what the plain reading gives.

Issue 12 (ingest speed): a list is split at its separators found by one regex rather than by a
look at every character, each list and item is read once per text and placed at its
offset, and a bracket's close is found by a regex.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.schema import Role
from ingest.markers import CLOSE, MARKER, UnitMention, _matching_close, find_marker, unit_list
from ingest.resolve import BUNDLED, Roster
from ingest.tables import _cells
from ingest.task_units import _resolved, task_units

# list, the role it is read with, and what unit_list gave before its shortcuts, each unit as
# "surface role start" in "甲：" + list
R, S = Role.RESPONSIBLE, Role.SUPPORT
LISTS = [
    (
        "县发改局（牵头）、县财政局和县工信局",
        R,
        "县发改局 lead 2; 县财政局 support 11; 县工信局 support 16",
    ),
    (
        "县交通局牵头，县商务局、县邮政管理局配合，各乡镇人民政府落实属地责任",
        S,
        "县交通局 lead 2; 县商务局 support 9; 县邮政管理局 support 14; 各乡镇人民政府 support 23",
    ),
    (
        "各县（市、区）人民政府、市直有关部门等有关单位",
        R,
        "各县（市、区）人民政府 responsible 2; 市直有关部门 responsible 14; 有关单位 responsible 21",
    ),
    ("县教育局（按职责分工负责）；县卫健局（配合）", R, "县教育局 lead 2; 县卫健局 support 16"),
    ("县教育局（按职责分工负责）；县卫健局（配合）", S, "县教育局 support 2; 县卫健局 support 16"),
    ("县委宣传部 县融媒体中心", S, "县委宣传部 support 2; 县融媒体中心 support 8"),
    (
        "（县财政局、县审计局）、县农业农村局",
        R,
        "（县财政局、县审计局） responsible 2; 县农业农村局 responsible 14",
    ),
    ("", R, ""),
    ("、，", R, ""),
    (
        "县发改局、县财政局等有关部门负责",
        S,
        "县发改局 responsible 2; 县财政局 responsible 7; 有关部门 responsible 12",
    ),
    (
        "县住建局和县自然资源局，县水利局协助",
        R,
        "县住建局 lead 2; 县自然资源局 lead 7; 县水利局 support 14",
    ),
]


@pytest.mark.parametrize(("listed", "role", "before"), LISTS)
def test_lists_read_between_separators_give_what_they_gave_before(
    listed: str, role: Role, before: str
) -> None:
    text = "甲：" + listed
    found = unit_list(text, 2, len(text), role)
    assert "; ".join(f"{m.surface} {m.role.value} {m.start}" for m in found) == before
    assert all(text[m.start : m.end] == m.surface for m in found)
    assert unit_list(text, 2, len(text), role) == found  # the answer kept gives the same


def test_lists_kept_per_text_are_placed_at_their_offset() -> None:
    text = "甲。配合单位：县交通局牵头，县商务局、县邮政管理局配合"
    at = text.index("：") + 1
    first = unit_list(text, at, len(text), Role.SUPPORT)
    assert [text[m.start : m.end] for m in first] == [m.surface for m in first]
    assert unit_list(text[at:], 0, len(text) - at, Role.SUPPORT) == [
        UnitMention(m.surface, m.role, m.start - at, m.end - at) for m in first
    ]
    first.clear()  # a caller changing its list changes nothing kept
    assert len(unit_list(text, at, len(text), Role.SUPPORT)) == 3


def _close_char_by_char(text: str, open_at: int, end: int) -> int:
    """Where a bracket closes, every character looked at."""
    opener, depth = text[open_at], 0
    for i in range(open_at, end):
        c = text[i]
        if c == opener or (opener in "（(" and c in "（("):
            depth += 1
        elif c == CLOSE[opener] or (opener in "（(" and c in "）)"):
            depth -= 1
            if depth == 0:
                return i
        elif c in "\n。" and opener in "（(":
            return i
    return end


@pytest.mark.parametrize(
    "text",
    [
        "（牵头单位：县工信局；配合单位：县财政局、各乡（镇）人民政府）后文",
        "〔责任单位：县发改局（牵头）、县财政局。〕",
        "（责任单位：县发改局\n县财政局）",
        "(责任单位：县发改局（牵头）)",
        "【牵头单位】县工信局【配合单位】县财政局",
        "［责任单位：县发改局］",
        "[责任单位：县发改局[牵头]]",
        "（未闭合",
    ],
)
def test_brackets_closed_by_regex_equal_the_character_scan(text: str) -> None:
    for end in range(1, len(text) + 1):
        assert _matching_close(text, 0, end) == _close_char_by_char(text, 0, end)


@pytest.mark.parametrize(
    "text",
    [
        "加强监管。（ 责任单位：县市场监管局）",
        "甲 \u3000\n【牵头单位】县工信局【配合单位】：县财政局",
        "乙。牵头单位 ：县发改局；配合单位：县财政局",
        "丙〔〔责任单位：县发改局〕",
        "责任单位不明。牵头部门负责，责任单位：县发改局",
        "丁［ \t责任主体：各乡镇］",
        "无标记的正文，县发改局负责",
        "",
    ],
)
def test_markers_found_from_the_first_label_equal_the_marker_regex(text: str) -> None:
    for pos in range(len(text) + 1):
        for end in range(pos, len(text) + 1):
            want = MARKER.search(text, pos, end)
            got = find_marker(text, pos, end)
            assert (got and (got.span(), got.groupdict())) == (
                want and (want.span(), want.groupdict())
            )


def test_units_resolved_per_roster_equal_each_roster_s_answer(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("any_level:\n  城市管理局: [城管委]\n", "utf-8")
    rosters = [Roster.bundled(), Roster.from_files(BUNDLED, extra)]
    surfaces = ["县城管委", "县工信局", "各乡镇人民政府", "市发展改革委", "县城管委"]
    for _ in range(2):  # the second time from what was kept
        for roster in rosters:
            for surface in surfaces:
                for region in (None, "泽州县"):
                    name = roster.canonical(surface, region)
                    assert _resolved(roster, surface, region) == (name, roster.kind(name, region))
    assert _resolved(rosters[1], "县城管委", None)[0] == "县城市管理局"
    assert _resolved(rosters[0], "县城管委", None)[0] == "县城管委"


def test_task_units_read_again_from_what_was_kept_give_the_same_units() -> None:
    """A list's level carried over (市财政局、国税局) is part of what is kept per name."""
    roster = Roster.bundled()
    lists = ["市财政局、国税局、汉中火车站、水利局", "县发改局、财政局", "国税局、县工信局、财政局"]
    for region in (None, "泽州县"):
        first = [
            task_units(unit_list(t, 0, len(t), Role.RESPONSIBLE), roster, region, True)
            for t in lists
        ]
        again = [
            task_units(unit_list(t, 0, len(t), Role.RESPONSIBLE), roster, region, True)
            for t in lists
        ]
        assert first == again
        assert [u.name for u in first[1]][:1] == ["县发展和改革局"]


@pytest.mark.parametrize(
    "line",
    [
        "",
        "序号  重点任务  牵头单位",
        "序号\u3000\u3000任务",
        "一行正文 没有宽空格",
        "  两端  ",
        "甲 \u3000乙",
        "无",
    ],
)
def test_cells_of_a_line_without_a_wide_gap_are_none_as_the_split_gives(line: str) -> None:
    split = [c for c in re.split(r"[ \u3000]{2,}", line.strip()) if c]
    assert _cells(line) == (split if len(split) >= 2 else [])
