"""Which headings of a plan are tasks, and with which units (markers, duties).

A task is the smallest heading whose own body (up to the next heading) carries a
responsibility: a marker (〔责任单位：…〕, （牵头单位：A；配合单位：B）, a "配合单位：…" line), a
closing sentence ("A牵头，B、C配合"), or a heading above it that names its lead ("一、A牵头的
工作"). A body closing several passages with their own duties gives a task per passage. The
headings come from :func:`ingest.structure.headings`.
"""

from __future__ import annotations

import re

from graph.schema import Role
from ingest.duties import Duty, duties, duty_brackets, duty_sentences, heading_duties
from ingest.markers import MARKER, UnitMention, as_support, markers
from ingest.structure import Heading, heading_title

TABLE_LINE = re.compile(r"\n[^\n]*\t")  # a line break, then a line holding a tab
PASSAGE_HINT = re.compile(r"负责|牵头")
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后)[，,]?")


def assign_markers(text: str, found: list[Heading], region: str | None = None) -> None:
    """Attach responsibilities to headings.

    In order: the heading's own markers, else the duties its closing sentence states; a marker
    after the last of unmarked sub-items is the parent's; a heading that names a lead ("一、A牵头
    的工作") gives it to every task below it (or is itself the task when nothing is below).
    """
    passages: list[tuple[Heading, list[tuple[int, int, list[Duty], str | None]]]] = []
    for h in found:
        body_end = _body_end(text, h)
        h.markers, h.deadline = markers(text, h.start, body_end)
        title_end = h.title_start + len(h.title)
        h.owners = [
            UnitMention(d.surface, d.role, d.start, d.end)
            for d in heading_duties(text, h.title_start, title_end, region)
        ]
        if not h.markers and not h.owners:
            ds, deadline = duties(text, h.title_start, body_end, region)
            brackets = duty_brackets(text, h.title_start, body_end, region)
            if len(PASSAGE_HINT.findall(text, h.title_start, body_end)) > 1:
                found_in = duty_sentences(text, h.title_start, body_end, region)
                brackets = sorted(brackets + found_in, key=lambda b: b[0])
            if len(brackets) > 1:
                passages.append((h, brackets))
                continue
            if brackets and not ds:  # one bracket with prose after it
                _, _, ds, deadline = brackets[0]
            h.markers = _mentions(ds)
            h.deadline = h.deadline or (deadline if ds else None)
    for h, brackets in passages:
        at = found.index(h)
        found[at + 1 : at + 1] = _passages(text, h, brackets)
    children: dict[int, list[Heading]] = {}
    for h in found:
        if h.parent is not None:
            children.setdefault(id(h.parent), []).append(h)
    for h in sorted(found, key=lambda x: -x.level):
        kids = children.get(id(h), [])
        marked = [k for k in kids if k.markers or _subtree_marked(k, children)]
        last = kids[-1] if kids else None
        if (
            not h.markers
            and last is not None
            and len(kids) > 1
            and marked == [last]
            and not _subtree_marked(last, children)
            and _on_own_lines(text, last)
        ):
            h.markers, h.deadline = last.markers, last.deadline or h.deadline
            last.markers = []
    for h in found:
        if h.owners:
            _hand_down(h, children)


def _mentions(ds: list[Duty]) -> list[UnitMention]:
    return [UnitMention(d.surface, d.role, d.start, d.end) for d in ds]


def _passages(
    text: str, h: Heading, brackets: list[tuple[int, int, list[Duty], str | None]]
) -> list[Heading]:
    """The passages of a heading's body that each close with their own duties, as tasks below
    it: "（一）总。甲。…（A牵头，B参与）\n乙。…（C指导）" gives 甲 (A, B) and 乙 (C), each titled by
    its first sentence (the heading's own title when the passage has no other)."""
    out: list[Heading] = []
    seg_start = h.start
    for k, (opened, close, ds, deadline) in enumerate(brackets, 1):
        title_start = h.title_start + len(h.title) if k == 1 else seg_start
        while title_start < opened and text[title_start] in " \n\u3000。；;：:":
            title_start += 1
        title = heading_title(text[title_start:opened])
        title = ORDINAL.sub("", title)  # "一是推进…" → "推进…"
        if len(title) < 4:  # the heading's own title is all the passage has
            title, title_start = h.title, h.title_start
        out.append(
            Heading(
                style="passage",
                level=h.level + 1,
                numeral=str(k),
                number="",
                title=title,
                start=seg_start,
                end=close,
                parent=h,
                index=k,
                markers=_mentions(ds),
                deadline=deadline,
                title_start=title_start,
            )
        )
        seg_start = close
    return out


def _on_own_lines(text: str, h: Heading) -> bool:
    """Whether a heading's markers stand on lines of their own, after its body."""
    first_line_end = text.find("\n", h.start, h.end)
    if first_line_end < 0 or any(m.start < first_line_end for m in h.markers):
        return False
    lines: dict[int, int] = {}
    for m in h.markers:
        line_start = text.rfind("\n", 0, m.start) + 1
        lines[line_start] = min(lines.get(line_start, m.start), m.start)
    return all(
        MARKER.match(text, line_start) or first - line_start <= 1  # "A牵头，B配合。" alone
        for line_start, first in lines.items()
    )


def _body_end(text: str, h: Heading) -> int:
    """End of a heading's own text, before any table rows that follow it."""
    table = TABLE_LINE.search(text, h.start, h.end)
    return table.start() if table else h.end


def _hand_down(h: Heading, children: dict[int, list[Heading]]) -> None:
    """Give the lead a heading names to the tasks below it."""
    kids = children.get(id(h), [])
    if not kids and all(o.role is Role.RESPONSIBLE for o in h.owners):
        return  # "1.县发改局：负责…" in a list of duties is no task of the plan
    targets: list[Heading] = []
    for kid in kids:
        targets.extend(_subtree_marked(kid, children) or [kid])
    for t in targets or [h]:
        if any(m.role is Role.LEAD for m in t.markers):
            continue
        leads = any(o.role is Role.LEAD for o in h.owners) or any(
            m.role is Role.SUPPORT for m in t.markers
        )
        if leads:
            owners = [
                UnitMention(o.surface, Role.LEAD, o.start, o.end)
                if o.role is Role.RESPONSIBLE
                else o
                for o in h.owners
            ]
            t.markers = owners + [as_support(m) for m in t.markers]
        else:
            t.markers = h.owners + t.markers


def _subtree_marked(h: Heading, children: dict[int, list[Heading]]) -> list[Heading]:
    out: list[Heading] = []
    for kid in children.get(id(h), []):
        out.extend([kid] if kid.markers else [])
        out.extend(_subtree_marked(kid, children))
    return out
