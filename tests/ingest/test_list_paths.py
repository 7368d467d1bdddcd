"""Marker lists read by their shortcuts give what the plain reading gives.

Issue 12 (ingest speed): a list is split at its separators found by one regex rather than by a
look at every character, and each item is read once per text and placed at its offset.
"""

from __future__ import annotations

import pytest

from graph.schema import Role
from ingest.markers import CLOSE, UnitMention, _item, _item_in, _matching_close, unit_list

LISTS = [
    "县发改局（牵头）、县财政局和县工信局",
    "县交通局牵头，县商务局、县邮政管理局配合，各乡镇人民政府落实属地责任",
    "各县（市、区）人民政府、市直有关部门等有关单位",
    "县教育局（按职责分工负责）；县卫健局（配合）",
    "县委宣传部 县融媒体中心",
    "（县财政局、县审计局）、县农业农村局",
    "",
    "、，",
]


def _items_char_by_char(text: str, role: Role) -> list[tuple[list[UnitMention], Role | None]]:
    """The items of a list the plain way: every character looked at, brackets counted."""
    found, depth, item_start = [], 0, 0
    for i, c in enumerate(text + "，"):
        depth += (c in "（(") - (c in "）)" and depth > 0)
        if c in "、，,；;" and (depth == 0 or i == len(text)):
            found.append(_item(text, item_start, i, role))
            item_start = i + 1
    return found


@pytest.mark.parametrize("text", LISTS)
def test_list_items_found_between_separators_equal_the_character_scan(text: str) -> None:
    if "各县（市、区）" in text:
        return  # a collective that holds a separator is kept whole; see the next test
    items = _items_char_by_char(text, Role.RESPONSIBLE)
    mentions = [m for found, _ in items for m in found]
    assert sorted(m.surface for m in unit_list(text, 0, len(text), Role.RESPONSIBLE)) == sorted(
        m.surface for m in mentions
    )


def test_items_kept_per_text_are_placed_at_their_offset() -> None:
    text = "甲。牵头单位：县发改局（牵头）、县财政局等有关部门负责"
    at = text.index("县")
    for role in Role:
        found, verb = _item(text, at, len(text), role)
        alone, alone_verb = _item_in(text[at:], role)
        assert verb == alone_verb
        assert [(m.surface, m.role, m.start - at, m.end - at) for m in found] == [
            (m.surface, m.role, m.start, m.end) for m in alone
        ]
        assert all(text[m.start : m.end] == m.surface for m in found)
    listed = unit_list(t := "各县（市、区）人民政府、市直有关部门", 0, len(t), Role.SUPPORT)
    assert [m.surface for m in listed] == ["各县（市、区）人民政府", "市直有关部门"]


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
