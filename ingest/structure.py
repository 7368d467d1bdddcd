"""The heading tree of a plan.

A heading is a numbered line (一、 / （一） / (一) / 1. / 1、 / （1） / 第一条 …), on its own
line or run in with its body ("（一）强化产业集聚，实施….依托…"). Levels follow the usual order
of the numbering styles (第一部分 › 第一条 › 一、 › （一） › 1. › （1） › ①), counting only the
styles a document uses. Which headings are tasks, with which units, is
:mod:`ingest.task_headings`; the headings above a task are its sections.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.markers import UnitMention, find_marker
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
# what a heading of any style (and a digit-titled one) starts with: any style's first character
HEAD_START = re.compile("|".join(dict.fromkeys(p.pattern for p in STYLE_START.values())))


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


def heading_title(rest: str) -> str:
    """The title at the start of a heading's text: up to its marker or first stop, at most
    :data:`MAX_TITLE` characters."""
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
            title = heading_title(rest)
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
CARRIED = re.compile(r"^[\[［【(（]\s*(?:接上页|续上页|接上文|续前页|续)\s*[\]］】)）]\s*")
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
