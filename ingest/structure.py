"""The heading tree of a plan, and which headings are tasks with which units (markers, duties).

A heading is a numbered line (一、 / （一） / (一) / 1. / 1、 / （1） / 第一条 …), on its own
line or run in with its body ("（一）强化产业集聚，实施….依托…"). Levels follow the usual order
of the numbering styles (第一部分 › 第一条 › 一、 › （一） › 1. › （1） › ①), counting only the
styles a document uses. A task is the smallest heading whose own body (up to the next heading)
carries a responsibility: a marker (〔责任单位：…〕, （牵头单位：A；配合单位：B）, a
"配合单位：…" line), a closing sentence ("A牵头，B、C配合"), or a heading above it that names
its lead ("一、A牵头的工作"). The headings above a task are its sections.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from graph.schema import Role
from ingest.duties import Duty, duties, duty_brackets, duty_sentences, heading_duties
from ingest.markers import MARKER, UnitMention, as_support, find_marker, markers
from ingest.numbers import cn_to_int

CN = "一二三四五六七八九十百零〇"
STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第(?P<n>[{CN}\d]+)(?:部分|章)\s*")),
    ("cn", re.compile(rf"^(?P<n>[{CN}]+)\s*[、.．]\s*")),
    ("pcn", re.compile(rf"^[（(]\s*(?P<n>[{CN}]+)\s*[）)]\s*[、.．]?\s*")),
    ("art", re.compile(rf"^第(?P<n>[{CN}\d]+)条\s*")),
    ("num", re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("pnum", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*[、.．]?\s*")),
    ("hnum", re.compile(r"^(?P<n>\d{1,2})\s*[）)]\s*")),
    ("circ", re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# what a heading of any style (and a digit-titled one) starts with
HEAD_START = re.compile(rf"[第{CN}（({CIRCLED}]|\d")
RANK = {style: i for i, (style, _) in enumerate(STYLES)}
# the characters each style's heading can start with (\d as the styles' \d reads it)
STYLE_START = {
    "part": re.compile("第"),
    "cn": re.compile(f"[{CN}]"),
    "pcn": re.compile("[（(]"),
    "art": re.compile("第"),
    "num": re.compile(r"\d"),
    "pnum": re.compile("[（(]"),
    "hnum": re.compile(r"\d"),
    "circ": re.compile(f"[{CIRCLED}]"),
}


@lru_cache(maxsize=1024)
def _styles_for(first: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The styles a line starting with ``first`` may be a heading of, in :data:`STYLES` order:
    a "（" line is tried as pcn and pnum, not as the six styles that cannot start so."""
    return tuple((style, p) for style, p in STYLES if STYLE_START[style].match(first))


MAX_TITLE = 60


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
    title_start: int = 0
    owners: list[UnitMention] = field(default_factory=list)  # lead named by the heading

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


def _numeral_value(style: str, numeral: str) -> int:
    if style == "circ":
        return CIRCLED.index(numeral) + 1
    return cn_to_int(numeral) or 0


def _title_of(rest: str) -> str:
    marker = find_marker(rest)
    if marker:
        rest = rest[: marker.start()]
    for stop in ("。", "：", ":", "；"):
        cut = rest.find(stop)
        if 0 < cut <= MAX_TITLE:
            return rest[:cut].strip()
    rest = rest.strip().rstrip("。；;，,")
    return rest if len(rest) <= MAX_TITLE else rest[:MAX_TITLE]


def headings(text: str, start: int = 0, end: int | None = None) -> list[Heading]:
    """The numbered headings of ``text[start:end]`` with levels and parents.

    >>> hs = headings("一、总要求\\n（一）甲。正文\\n（二）乙\\n二、任务")
    >>> [(h.local_id, h.full_number, h.title) for h in hs]
    [('一', '一', '总要求'), ('一.1', '一（一）', '甲'), ('一.2', '一（二）', '乙'), ('二', '二', '任务')]
    """
    end = len(text) if end is None else end
    found: list[Heading] = []
    for line_start, line in _lines(text, start, end):
        stripped = line.strip()
        if "\t" in stripped:
            continue  # a table row
        indent = len(line) - len(line.lstrip())
        if carried := CARRIED.match(stripped):  # "[接上页] 5.城镇体系规划": a page's continuation
            stripped, indent = stripped[carried.end() :], indent + carried.end()
        if not HEAD_START.match(stripped):
            continue  # most lines start with no numbering at all
        for style, pattern in _styles_for(stripped[:1]):
            m = pattern.match(stripped) or (style == "num" and _digit_title(stripped, found))
            if not m or len(stripped) == m.end():
                continue
            rest = stripped[m.end() :]
            digits_titled = m.re is DIGIT_TITLE
            if style in ("num", "pnum", "hnum") and not digits_titled and QUANTITY.match(rest):
                break  # "1.5万亩", "3、4月" are not headings
            title = _title_of(rest)
            found.append(
                Heading(
                    style=style,
                    level=0,
                    numeral=m["n"],
                    number=stripped[: m.end()].strip(),
                    title=title,
                    start=line_start,
                    end=end,
                    title_start=line_start + indent + m.end() + max(rest.find(title), 0),
                )
            )
            break
    levels = {
        style: i + 1
        for i, style in enumerate(sorted({h.style for h in found}, key=lambda st: RANK[st]))
    }
    stack: list[Heading] = []
    for i, h in enumerate(found):
        h.level = levels[h.style]
        if i + 1 < len(found):
            h.end = found[i + 1].start
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        h.index = _numeral_value(h.style, h.numeral)
        stack.append(h)
    return found


QUANTITY = re.compile(r"[\d%％万亿元个年月日]")  # what starts "1.5万亩", "3、4月"
TABLE_LINE = re.compile(r"\n[^\n]*\t")  # a line break, then a line holding a tab
CARRIED = re.compile(r"^[\[［【(（]\s*(?:接上页|续上页|接上文|续前页|续)\s*[\]］】)）]\s*")
PASSAGE_HINT = re.compile(r"负责|牵头")
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后)[，,]?")
# Items run together on one line (web pages that lost their paragraphs): "…。2.对实际投资…",
# the item starting after the sentence end the match opens with (taken, not looked behind at,
# so the search skips to the sentence ends instead of trying every character)
INLINE_ITEM = re.compile(
    rf"[。；;！？!?]\s*(?:(?P<num>\d{{1,2}})[.．、](?!\d)|[（(](?P<pcn>[{CN}]{{1,3}})[）)])"
    r"(?=[\u4e00-\u9fff“])"
)


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Lines of ``text[start:end]`` with their offsets, a line that runs several numbered items
    together cut before each: only runs of consecutive numbers count ("1.…。2.…。3.…"), or a
    number that follows the one the line starts with."""
    out: list[tuple[int, str]] = []
    # The sentence ends a run-in item can follow, found by one search of the range: a line
    # holding none is not searched again (most lines). A line's own search finds no match the
    # range's misses, since a match takes no sentence end after its first character.
    runs = [m.start() for m in INLINE_ITEM.finditer(text, start, end)]
    k = 0
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        while k < len(runs) and runs[k] < line_start:
            k += 1
        ran_in = k < len(runs) and runs[k] < pos - 1
        cuts = _inline_cuts(line) if ran_in and "\t" not in line else []
        if not cuts:
            out.append((line_start, line))
            continue
        for a, b in itertools.pairwise([0, *cuts, len(line)]):
            out.append((line_start + a, line[a:b]))
    return out


def _inline_cuts(line: str) -> list[int]:
    found = [
        (
            m.start() + 1,
            "num" if m["num"] else "pcn",
            int(m["num"] or 0) or cn_to_int(m["pcn"]) or 0,
        )
        for m in INLINE_ITEM.finditer(line)
    ]
    if not found:
        return []
    carried = CARRIED.match(line.strip())
    lead = re.match(
        r"^\s*(?:(?P<num>\d{1,2})[.．、]|[（(](?P<pcn>[一二三四五六七八九十]{1,3})[）)])",
        line.strip()[carried.end() :] if carried else line,
    )
    last: dict[str, int] = {}
    if lead:
        last["num" if lead["num"] else "pcn"] = int(lead["num"] or 0) or cn_to_int(lead["pcn"]) or 0
    cuts: list[int] = []
    for i, (at, style, n) in enumerate(found):
        after = next((m for m in found[i + 1 :] if m[1] == style), None)
        follows = found[i + 1] if i + 1 < len(found) else None
        opens = follows is not None and follows[1] != style and follows[2] == 1  # "(三)… 1.…"
        if last.get(style) == n - 1 or (after is not None and after[2] == n + 1) or opens:
            cuts.append(at)
            last[style] = n
    return cuts


# "11.121人才梯队项目": a number whose title starts with digits, read as a heading only when it
# continues the numbering ("10." before it) and what follows is no quantity ("1.5万亩").
DIGIT_TITLE = re.compile(r"^(?P<n>\d{1,2})\.(?=\d+[\u4e00-\u9fff])(?!\d+\s*[%％万亿千百元个])")


def _digit_title(line: str, found: list[Heading]) -> re.Match[str] | None:
    m = DIGIT_TITLE.match(line)
    last = next((h for h in reversed(found) if h.style == "num"), None)
    if m and last is not None and int(m["n"]) == int(last.numeral) + 1:
        return m
    return None


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
        title = _title_of(text[title_start:opened])
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
