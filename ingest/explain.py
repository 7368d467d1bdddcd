"""What a reader should check: lines that look like duties or members but went unparsed.

A line is *duty-like* when it carries a responsibility label (责任单位：, 牵头单位：), a closing
parenthesis with a role verb ("（A、B负责）") or a "由A牵头" clause; *member-like* when it
starts with a group role label (组长：, 副主任：, 成员：). One that lies outside every task and
every group the parser found is reported, so a planner knows which lines to read by hand.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator

from graph.record import Record

DUTY_LIKE = re.compile(
    r"(?:责任单位|牵头单位|配合单位|责任部门|牵头部门)\s*[：:]"
    r"|[（(][^（）()\n]{2,80}?(?:负责|牵头|配合|参与|协办|指导)[^（）()\n]{0,30}[）)]"
    r"|由[^，。；\n]{2,30}?牵头"
)
MEMBER_LIKE = re.compile(
    r"^\s*(?:第一|常务)?副?(?:组\s*长|主\s*任(?:\s*委\s*员)?|指\s*挥\s*长|专\s*班\s*长)\s*[：:]"
    r"|^\s*成\s*员\s*[：:]"
)
SNIPPET = 40


def unparsed_lines(text: str, record: Record) -> list[str]:
    """Warnings for duty- or member-like lines of ``text`` that no task or group covers.

    >>> from graph.record import DocumentFields
    >>> r = Record(document=DocumentFields())
    >>> unparsed_lines("前言\\n加强监管（县市场监管局负责）\\n组长：张三", r)
    ['看似职责分工，未能读取：加强监管（县市场监管局负责）', '看似领导小组成员名单，未能读取：组长：张三']
    """
    # task spans by start, with the furthest end reached so far: a position lies in a task
    # when the furthest end among the tasks starting at or before it lies past it
    covered = sorted(t.span for t in record.tasks)
    starts = [a for a, _ in covered]
    reach = list(itertools.accumulate((b for _, b in covered), max))
    seat_starts = sorted(a for a, _ in seats_of(record))
    out: list[str] = []
    for start, end, at, warning in suspect_lines(text):
        task = bisect.bisect_right(starts, at) - 1
        if task >= 0 and reach[task] > at:
            continue  # within a task
        seat = bisect.bisect_left(seat_starts, start)
        if seat < len(seat_starts) and seat_starts[seat] < end:
            continue  # a unit, group or member starts on the line
        out.append(warning)
    return out


def seats_of(record: Record) -> list[tuple[int, int]]:
    """The spans of the task units, groups and members a record found."""
    seats = [u.span for t in record.tasks for u in t.units if u.span is not None]
    seats += [g.span for g in record.groups if g.span is not None]
    seats += [m.span for g in record.groups for m in g.members if m.span is not None]
    seats += [c.span for g in record.groups for c in g.collective_members if c.span is not None]
    return seats


def suspect_lines(text: str) -> Iterator[tuple[int, int, int, str]]:
    """The duty- or member-like lines of ``text``: start, end (past the line break), where the
    duty (or the line) starts, and the warning the line gets when nothing covers it."""
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        duty = DUTY_LIKE.search(line)
        member = MEMBER_LIKE.match(line)
        if not duty and not member:
            continue
        kind = "职责分工" if duty else "领导小组成员名单"
        snippet = line.strip()
        if len(snippet) > SNIPPET:
            snippet = snippet[:SNIPPET] + "…"
        yield start, pos, start + (duty.start() if duty else 0), f"看似{kind}，未能读取：{snippet}"
