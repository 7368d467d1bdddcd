"""Seats a post gives its unit when the list names no person.

"各乡镇镇长" is every township head, "县D局、县E局主要负责同志" the heads of both bureaus, "县长" the
county government's head, "市发展改革局、工业和信息化局…分管负责同志" one seat per unit (the level
of the first unit carried over to the rest).
"""

from __future__ import annotations

import re

from graph.record import CollectiveMember, Span
from graph.schema import Role
from ingest.markers import unit_list
from ingest.posts import IMPLIED_UNIT, compact, split_post, title_of, unit_like, with_prefixes
from ingest.resolve import Roster

UNIT_END = re.compile(r"(?:会|联|社|团|组|园区|街道|社区|[村镇乡])$")
SHARED_TAIL = re.compile(r"(?:主要|分管|有关|相关)?(?:负责同志|负责人|领导同志|领导)$")


def split_items(text: str) -> list[str]:
    """Items of a list separated by 、，；, brackets kept whole ("各县（市、区）人民政府")."""
    items: list[str] = []
    depth = 0
    begin = 0
    for i, c in enumerate(text):
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "、，,；;":
            items.append(text[begin:i])
            begin = i + 1
    items.append(text[begin:])
    return [s for item in items if (s := item.strip(" \t\u3000。"))]


def collective(
    text: str, roster: Roster, region: str | None, role: str | None = None,
    span: Span | None = None,
) -> list[CollectiveMember]:  # fmt: skip
    """Seats a post gives its unit: 各乡镇镇长, 县D局、县E局主要负责同志, 县长, 市政府副秘书长;
    each seat has the ``span`` of the line or clause that names it."""
    out: list[CollectiveMember] = []
    pending: list[str] = []
    items = with_prefixes(split_items(compact(text).removesuffix("等")), roster)
    several = len(items) > 1
    for item in items:
        item = re.sub(r"等(?:部门|单位)?(?=(?:主要|分管|有关|相关)?(?:负责|领导))", "", item)
        tail = SHARED_TAIL.search(item)
        if tail is not None and tail.start() > 0:
            head = item[: tail.start()]
            units = [m.surface for m in unit_list(head, 0, len(head), Role.RESPONSIBLE)] or [head]
            units = [*pending, *units]
            many = several or len(units) > 1
            for u in units:
                text_u = u + tail.group(0) if many else item
                out.extend(seat(text_u, u, tail.group(0), role, roster, region, span))
            pending = []
        elif item.startswith("各") and (title_of(item) or re.search(r"乡[（(]镇[）)]长$", item)):
            out.extend(seat(item, *_each(item, roster, region), role, roster, region, span))
        elif (title := title_of(item)) is not None:
            post = split_post(item, roster, region)
            if post is not None and post.unit:
                for u in pending:  # "县发改局、县财政局局长": the heads of both
                    out.extend(seat(u + post.title, u, post.title, role, roster, region, span))
                out.append(_seat_at(item, post.unit, post.title, role, span))
            elif post is not None and title is not None and pending:
                for u in pending:
                    out.extend(seat(u + title, u, title, role, roster, region, span))
            pending = []
        elif unit_shaped(item, roster):
            pending.append(item)
    for u in pending:
        out.extend(seat(u, u, None, role, roster, region, span))
    return out


def unit_shaped(text: str, roster: Roster) -> bool:
    """Whether a list item is a unit ("县委军民融合办", "各区人民政府", "乙丙通信公司"), not prose.

    >>> unit_shaped("县总工会", Roster.bundled()), unit_shaped("领导小组主要职责", Roster.bundled())
    (True, False)
    """
    name = text.strip("：:")
    return name.startswith("各") or unit_like(name, roster) or UNIT_END.search(name) is not None


def _each(item: str, roster: Roster, region: str | None) -> tuple[str, str | None]:
    """各乡镇镇长 → (各乡镇人民政府, 镇长); 各乡（镇）长 → every township head."""
    post = re.sub(r"(?:乡镇)?(?:乡[（(]镇[）)]长|乡镇长)$", "乡镇镇长", item)
    title = title_of(post)
    if title is None:
        return post, None
    unit = roster.canonical(post[: -len(title)], region)
    if title in IMPLIED_UNIT and not roster.known(unit) and not unit.endswith("政府"):
        unit += "人民政府"  # 各乡镇镇长 → the heads of 各乡镇人民政府
    return unit, title


def seat(
    text: str, unit: str, title: str | None, role: str | None, roster: Roster, region: str | None,
    span: Span | None = None,
) -> list[CollectiveMember]:  # fmt: skip
    unit = unit.strip()
    if not unit or not re.search(r"[\u4e00-\u9fff]", unit):
        return []
    return [_seat_at(text, roster.canonical(unit, region), title, role, span)]


def _seat_at(
    text: str, unit: str, title: str | None, role: str | None, span: Span | None = None
) -> CollectiveMember:
    return CollectiveMember(text=text, unit=unit, title=title or None, role=role, span=span)
