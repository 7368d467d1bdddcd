"""The heading tree of a plan and the responsibility markers in it.

A heading is a numbered line (一、 / （一） / (一) / 1. / 1、 / （1） / 第一条 …), on its own
line or run in with its body ("（一）强化产业集聚，实施….依托…"). Levels follow the order in
which the numbering styles first appear, up to three. A task is the smallest heading whose own
body (up to the next heading) carries a responsibility marker; the headings above it are its
sections.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from graph.schema import Role
from ingest.numbers import cn_to_int

CN = "一二三四五六七八九十百零〇"
STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第(?P<n>[{CN}\d]+)(?:部分|章)\s*")),
    ("cn", re.compile(rf"^(?P<n>[{CN}]+)\s*[、.．]\s*")),
    ("pcn", re.compile(rf"^[（(]\s*(?P<n>[{CN}]+)\s*[）)]\s*[、.．]?\s*")),
    ("art", re.compile(rf"^第(?P<n>[{CN}\d]+)条\s*")),
    ("num", re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("pnum", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*[、.．]?\s*")),
    ("circ", re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
MAX_TITLE = 60

LABELS = {
    "牵头单位": Role.LEAD,
    "牵头部门": Role.LEAD,
    "主责单位": Role.LEAD,
    "配合单位": Role.SUPPORT,
    "配合部门": Role.SUPPORT,
    "协同单位": Role.SUPPORT,
    "协办单位": Role.SUPPORT,
    "参与单位": Role.SUPPORT,
    "协助单位": Role.SUPPORT,
    "责任单位": Role.RESPONSIBLE,
    "责任部门": Role.RESPONSIBLE,
    "主要责任单位": Role.RESPONSIBLE,
    "落实单位": Role.RESPONSIBLE,
}
LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
MARKER = re.compile(rf"(?P<open>[〔\[［【(（]\s*)?(?P<label>{LABEL})\s*[：:]\s*")
CLOSE = {"〔": "〕", "[": "]", "［": "］", "【": "】", "(": ")", "（": "）"}
SEGMENT_LABEL = re.compile(rf"\s*(?P<label>{LABEL}|完成时限|完成时间|时间节点|时限要求)\s*[：:]\s*")
DEADLINE_LABEL = re.compile(
    r"(?:完成时限|完成时间|时间节点|时限要求)\s*[：:]\s*(?P<v>[^。；;〕）)】\]\n]+)"
)
ITEM_SPLIT = re.compile(r"[、，,；;]")


@dataclass
class Heading:
    """A numbered heading and its own body (up to the next heading)."""

    style: str
    level: int
    numeral: str
    number: str  # as written, e.g. "（一）"
    title: str
    start: int  # offset of the heading line
    end: int  # end of its own body
    parent: Heading | None = None
    index: int = 0
    markers: list[UnitMention] = field(default_factory=list)
    deadline: str | None = None

    @property
    def local_id(self) -> str:
        """Stable id within the document: "三", "三.1", "三.1.2"."""
        parts: list[str] = []
        node: Heading | None = self
        while node is not None:
            parts.append(node.numeral if node.level == 1 else str(node.index))
            node = node.parent
        return ".".join(reversed(parts))

    @property
    def full_number(self) -> str:
        """Numbers of the heading and its ancestors: "三（一）"."""
        parts: list[str] = []
        node: Heading | None = self
        while node is not None:
            parts.append(node.numeral if node.level == 1 else node.number)
            node = node.parent
        return "".join(reversed(parts))


@dataclass(frozen=True)
class UnitMention:
    """A unit named by a responsibility marker, with its role, surface and span."""

    surface: str
    role: Role
    start: int
    end: int


def _numeral_value(style: str, numeral: str) -> int:
    if style == "circ":
        return CIRCLED.index(numeral) + 1
    return cn_to_int(numeral) or 0


def _title_of(rest: str) -> str:
    for stop in ("。", "：", ":"):
        cut = rest.find(stop)
        if 0 < cut <= MAX_TITLE:
            return rest[:cut].strip()
    return rest.strip().rstrip("。；;，,") if len(rest) <= MAX_TITLE else rest[:MAX_TITLE]


def headings(text: str, start: int = 0, end: int | None = None) -> list[Heading]:
    """The numbered headings of ``text[start:end]`` with levels and parents.

    >>> hs = headings("一、总要求\\n（一）甲。正文\\n（二）乙\\n二、任务")
    >>> [(h.local_id, h.full_number, h.title) for h in hs]
    [('一', '一', '总要求'), ('一.1', '一（一）', '甲'), ('一.2', '一（二）', '乙'), ('二', '二', '任务')]
    """
    end = len(text) if end is None else end
    found: list[Heading] = []
    order: list[str] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        for style, pattern in STYLES:
            m = pattern.match(stripped)
            if not m or len(stripped) == m.end():
                continue
            if style not in order:
                if len(order) >= 3 and style not in ("art",):
                    break
                order.append(style)
            rest = stripped[m.end() :]
            found.append(
                Heading(
                    style=style,
                    level=order.index(style) + 1,
                    numeral=m["n"],
                    number=stripped[: m.end()].strip(),
                    title=_title_of(rest),
                    start=line_start,
                    end=end,
                )
            )
            break
    stack: list[Heading] = []
    for i, h in enumerate(found):
        if i + 1 < len(found):
            h.end = found[i + 1].start
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        h.index = _numeral_value(h.style, h.numeral)
        stack.append(h)
    return found


def markers(text: str, start: int, end: int) -> tuple[list[UnitMention], str | None]:
    """Units named by responsibility markers in ``text[start:end]``, and a stated deadline.

    Bracketed (〔责任单位：…〕, （牵头单位：A；配合单位：B、C）) and unbracketed
    ("配合单位：…" to the end of the sentence) forms; lists split on 、 ， and ；.

    >>> ms, dl = markers(t := "甲。（牵头单位：县工信局；配合单位：县财政局、各乡（镇）人民政府）", 0, len(t))
    >>> [(m.surface, m.role.value) for m in ms], dl
    ([('县工信局', 'lead'), ('县财政局', 'support'), ('各乡（镇）人民政府', 'support')], None)
    """
    found: list[UnitMention] = []
    deadline: str | None = None
    pos = start
    while True:
        m = MARKER.search(text, pos, end)
        if not m:
            break
        body_start = m.start("label")
        if m["open"]:
            body_end = _matching_close(text, m.start(), end)
        else:
            stop = re.compile(r"[。\n]").search(text, m.end(), end)
            body_end = stop.start() if stop else end
        for seg_start, seg_end in _segments(text, body_start, body_end):
            seg = SEGMENT_LABEL.match(text, seg_start, seg_end)
            if not seg:
                continue
            if seg["label"] in LABELS:
                role = LABELS[seg["label"]]
                found.extend(_items(text, seg.end(), seg_end, role))
            elif deadline is None:
                deadline = text[seg.end() : seg_end].strip()
        pos = max(body_end, m.end())
    if deadline is None:
        d = DEADLINE_LABEL.search(text, start, end)
        if d:
            deadline = d["v"].strip()
    return found, deadline


def _matching_close(text: str, open_at: int, end: int) -> int:
    opener = text[open_at]
    closer = CLOSE[opener]
    depth = 0
    for i in range(open_at, end):
        c = text[i]
        if c == opener or (opener in "（(" and c in "（("):
            depth += 1
        elif c == closer or (closer in "）)" and c in "）)"):
            depth -= 1
            if depth == 0:
                return i
        elif c in "\n。" and opener not in "〔【[［":
            return i
    return end


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a marker body at ；/; that precede another label."""
    cuts = [start]
    for m in re.finditer(r"[；;]", text[start:end]):
        after = start + m.end()
        if SEGMENT_LABEL.match(text, after, end):
            cuts.append(after)
    cuts.append(end)
    pairs = list(itertools.pairwise(cuts))
    return [(a, b if i + 1 == len(pairs) else b - 1) for i, (a, b) in enumerate(pairs)]


def _items(text: str, start: int, end: int, role: Role) -> list[UnitMention]:
    out: list[UnitMention] = []
    depth = 0
    item_start = start
    for i in range(start, end + 1):
        c = text[i] if i < end else "、"
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and ITEM_SPLIT.match(c):
            raw = text[item_start:i]
            surface = raw.strip().removesuffix("等").strip()
            if surface:
                s = item_start + raw.index(surface)
                out.append(UnitMention(surface, role, s, s + len(surface)))
            item_start = i + 1
    return out


def assign_markers(text: str, found: list[Heading]) -> None:
    """Attach markers to headings; a marker after the last of unmarked sub-items is the parent's."""
    for h in found:
        h.markers, h.deadline = markers(text, h.start, h.end)
    for parent in {id(h.parent): h.parent for h in found if h.parent is not None}.values():
        assert parent is not None
        children = [h for h in found if h.parent is parent]
        marked = [h for h in children if h.markers]
        if (
            not parent.markers
            and len(marked) == 1
            and marked[0] is children[-1]
            and len(children) > 1
        ):
            last = children[-1]
            parent.markers, parent.deadline = last.markers, last.deadline or parent.deadline
            last.markers = []
