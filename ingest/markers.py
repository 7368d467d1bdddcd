"""Responsibility markers: labelled unit lists in a plan's text and how their roles are read.

Bracketed (〔责任单位：…〕, （牵头单位：A；配合单位：B、C）), unbracketed ("配合单位：…" to the end
of the sentence or the next label) and tag forms (【牵头单位】A); lists split on 、 ， and ；
with collectives that hold a separator kept whole (各区、县级市). A role written into a list
overrides the label's: a "（牵头）" note on one unit, or a verb closing a clause ("A牵头，B、C配合").
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from graph.schema import Role
from ingest.resolve import Roster, alias_file, looks_like_unit

LABELS = {
    "牵头单位": Role.LEAD,
    "牵头部门": Role.LEAD,
    "牵头责任单位": Role.LEAD,
    "主责单位": Role.LEAD,
    "主责部门": Role.LEAD,
    "主办单位": Role.LEAD,
    "配合单位": Role.SUPPORT,
    "配合部门": Role.SUPPORT,
    "协同单位": Role.SUPPORT,
    "协同部门": Role.SUPPORT,
    "协办单位": Role.SUPPORT,
    "协办部门": Role.SUPPORT,
    "参与单位": Role.SUPPORT,
    "参与部门": Role.SUPPORT,
    "协助单位": Role.SUPPORT,
    "责任配合单位": Role.SUPPORT,
    "责任单位": Role.RESPONSIBLE,
    "责任部门": Role.RESPONSIBLE,
    "责任主体": Role.RESPONSIBLE,
    "主要责任单位": Role.RESPONSIBLE,
    "落实单位": Role.RESPONSIBLE,
    "承办单位": Role.RESPONSIBLE,
    "实施单位": Role.RESPONSIBLE,
}
LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
# "责任单位：…" in a bracket or not, and "【牵头单位】…" (a tag, its value after it)
MARKER = re.compile(
    rf"(?:(?P<open>[〔\[［【(（]\s*)?(?P<label>{LABEL})\s*[：:]"
    rf"|(?P<tag>[【\[［])\s*(?P<tlabel>{LABEL})\s*[】\]］]\s*[：:]?)\s*"
)
CLOSE = {"〔": "〕", "[": "]", "［": "］", "【": "】", "(": ")", "（": "）"}
LABEL_AT = re.compile(LABEL)
TIME_LABELS = "完成时限|完成时间|时间节点|时限要求|时间要求"
OTHER_LABELS = "责任领导|分管领导|责任人|联系人|牵头领导"
SEGMENT_LABEL = re.compile(
    rf"\s*(?:(?P<label>{LABEL}|{TIME_LABELS}|{OTHER_LABELS})\s*[：:]"
    rf"|[【\[［]\s*(?P<tlabel>{LABEL}|{TIME_LABELS}|{OTHER_LABELS})\s*[】\]］]\s*[：:]?)\s*"
)
DEADLINE_LABEL = re.compile(rf"(?:{TIME_LABELS})\s*[：:]\s*(?P<v>[^。；;〕）)】\]\n]+)")
LIST_STOP = re.compile(r"[（()）、，,；;]")
SENTENCE_END = re.compile(r"[。\n]")
TIME_LABEL = re.compile(TIME_LABELS)
SEGMENT_GAP = re.compile(r"[；;，,\s]+")
# what a bracket's close looks at: its own brackets (any round one for a round one), and the
# end of a sentence or line, which closes an unclosed round bracket
CLOSE_STOPS = {
    opener: re.compile(
        "[" + re.escape(opener + closer + ("（()）\n。" if opener in "（(" else "")) + "]"
    )
    for opener, closer in CLOSE.items()
}
ITEM_TAIL = re.compile(
    r"(?:等(?:\d+个|多个)?(?:有关|相关)?(?:单位|部门)?)?"
    r"(?:按(?:照)?(?:各自)?职责(?:分工)?|共同|分别|积极|具体)?"
    r"(?:(?P<v>牵头|配合|协同|协助|参与|负责|落实)(?:负责|落实|推进|实施)?"
    r"(?:属地责任|主体责任|监管责任|相关工作|工作|任务)?)?$"
)
VERB_ROLES = {
    "牵头": Role.LEAD,
    "配合": Role.SUPPORT,
    "协同": Role.SUPPORT,
    "协助": Role.SUPPORT,
    "参与": Role.SUPPORT,
    "负责": Role.RESPONSIBLE,
    "落实": Role.RESPONSIBLE,
}
LEAD_NOTE = re.compile(r"^(?P<name>.+?)[（(](?P<note>牵头(?:单位|部门)?|配合|协同)[）)]$")
JOINED = re.compile(r"[和及与]")
MANNER_NOTE = re.compile(
    r"[（(][^（）()]{0,12}(?:职责|分工|排名|不分先后|排序)[^（）()]{0,8}[）)]$"
)
CATCH_ALL_TAIL = re.compile(r"等(?P<c>(?:有关|相关)(?:单位|部门))")


class UnitMention(NamedTuple):
    """A unit named by a responsibility marker, with its role, surface and span.

    A named tuple, not a frozen dataclass: a plan makes a hundred of them and more, and a frozen
    dataclass costs three times as much to make (each field set through ``object.__setattr__``).
    """

    surface: str
    role: Role
    start: int
    end: int


def markers(text: str, start: int, end: int) -> tuple[list[UnitMention], str | None]:
    """Units named by responsibility markers in ``text[start:end]``, and a stated deadline.

    Bracketed (〔责任单位：…〕, （牵头单位：A；配合单位：B、C）) and unbracketed
    ("配合单位：…" to the end of the sentence or the next label) forms; lists split on 、 ，
    and ；. A unit marked "（牵头）" in a list leads it and the others support.

    >>> ms, dl = markers(t := "甲。（牵头单位：县工信局；配合单位：县财政局、各乡（镇）人民政府）", 0, len(t))
    >>> [(m.surface, m.role.value) for m in ms], dl
    ([('县工信局', 'lead'), ('县财政局', 'support'), ('各乡（镇）人民政府', 'support')], None)
    >>> ms, dl = markers(t := "甲。责任单位：县发改局（牵头）、县财政局 完成时限：2024年底前", 0, len(t))
    >>> [(m.surface, m.role.value) for m in ms], dl
    ([('县发改局', 'lead'), ('县财政局', 'support')], '2024年底前')
    """
    found: list[UnitMention] = []
    deadline: str | None = None
    pos = start
    while True:
        m = find_marker(text, pos, end)
        if not m:
            break
        body_start = _label_start(m)
        if m["open"]:
            body_end = _matching_close(text, m.start(), end)
            segments = _segments(text, body_start, body_end)
        else:
            stop = SENTENCE_END.search(text, m.end(), end)
            body_end = stop.start() if stop else end
            segments = _label_runs(text, body_start, body_end)
        for seg_start, seg_end in segments:
            seg = SEGMENT_LABEL.match(text, seg_start, seg_end)
            if not seg:
                continue
            label = seg["label"] or seg["tlabel"]
            if label in LABELS:
                role = LABELS[label]
                found.extend(unit_list(text, seg.end(), seg_end, role))
            elif TIME_LABEL.fullmatch(label) and deadline is None:
                deadline = text[seg.end() : seg_end].strip(" 。；;，,") or None
        pos = max(body_end, m.end())
    if deadline is None:
        d = DEADLINE_LABEL.search(text, start, end)
        if d:
            deadline = d["v"].strip(" ，,")
    return found, deadline


def find_marker(text: str, pos: int = 0, end: int | None = None) -> re.Match[str] | None:
    """``MARKER.search(text, pos, end)``, started where a marker can first start.

    A marker holds a label, after at most a bracket and spaces; ``MARKER`` tries every
    character on the way there, a plain search for the labels skips them several times faster.

    >>> find_marker(t := "加强监管。（ 责任单位：县市场监管局）").start(), t.index("（")
    (5, 5)
    """
    end = len(text) if end is None else end
    label = LABEL_AT.search(text, pos, end)
    if label is None:
        return None
    at = label.start()
    while at > pos and text[at - 1].isspace():  # what MARKER's \s takes
        at -= 1
    if at > pos and text[at - 1] in CLOSE:  # an opening bracket
        at -= 1
    return MARKER.search(text, at, end)


def _label_start(m: re.Match[str]) -> int:
    """Where a label (or the 【 of a tag) starts in a marker or segment match."""
    if m["label"]:
        return m.start("label")
    return m.start() + len(m.group()) - len(m.group().lstrip())


def _label_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an unbracketed marker line at each label: "牵头单位：A 配合单位：B"."""
    cuts = [_label_start(m) for m in SEGMENT_LABEL.finditer(text, start, end)]
    if not cuts or cuts[0] != start:
        cuts.insert(0, start)
    pairs = list(itertools.pairwise([*cuts, end]))
    return [(a, _trim_end(text, a, b)) for a, b in pairs]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ；;，,":
        end -= 1
    return end


def _matching_close(text: str, open_at: int, end: int) -> int:
    opener = text[open_at]
    closer = CLOSE[opener]
    depth = 0
    for m in CLOSE_STOPS[opener].finditer(text, open_at, end):
        i, c = m.start(), m.group()
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
    """Split a marker body where another label follows (after ；, ， or a space)."""
    cuts = [start]
    for m in SEGMENT_GAP.finditer(text, start, end):
        after = m.end()
        if SEGMENT_LABEL.match(text, after, end):
            cuts.append(after)
    pairs = list(itertools.pairwise([*cuts, end]))
    return [(a, _trim_end(text, a, b)) for a, b in pairs]


def unit_list(text: str, start: int, end: int, role: Role) -> list[UnitMention]:
    """The units of a list in ``text[start:end]`` ("A、B，C等单位"), each with ``role``.

    A role written into the list overrides ``role``: a "（牵头）" note on one unit, or a verb
    closing a clause ("A牵头，B、C配合"), which applies to every unit of that clause. With a
    lead among them, the units the list only calls responsible support it.

    >>> t = "县发改局（牵头）、县财政局和县工信局"
    >>> [(m.surface, m.role.value) for m in unit_list(t, 0, len(t), Role.RESPONSIBLE)]
    [('县发改局', 'lead'), ('县财政局', 'support'), ('县工信局', 'support')]
    >>> t = "县交通局牵头，县商务局、县邮政管理局配合，各乡镇人民政府落实属地责任"
    >>> [(m.surface, m.role.value) for m in unit_list(t, 0, len(t), Role.RESPONSIBLE)]
    [('县交通局', 'lead'), ('县商务局', 'support'), ('县邮政管理局', 'support'), ('各乡镇人民政府', 'support')]
    """
    # the roster of this moment ($ZHENKG_ALIASES may name another), as the entity layer does
    found = _unit_list_in(text[start:end], role, alias_file())
    return [UnitMention(surface, r, start + a, start + b) for surface, r, a, b in found]


# A unit of a list as :func:`unit_list` finds it: surface, role, and span in the list. Plain
# tuples until the end, since a frozen dataclass costs more to make than the rest of a list.
Listed = tuple[str, Role, int, int]


@lru_cache(maxsize=16384)  # plans repeat their lists ("配合单位：各乡镇人民政府")
def _unit_list_in(text: str, role: Role, aliases: str | None) -> tuple[Listed, ...]:
    """:func:`unit_list` of a list on its own, spans counted from its start; ``aliases`` (the
    roster :meth:`Roster.bundled` reads) keeps the answers of each roster apart."""
    out: list[Listed] = []
    clause: list[Listed] = []
    verb: Role | None = None
    depth = 0
    item_start = 0
    collectives = Roster.bundled().listed_collectives if "、" in text else None
    whole = collectives.finditer(text) if collectives else ()
    kept = {i for m in whole for i in range(m.start(), m.end())}
    # only brackets and separators change anything; the list's end closes the last item
    end = len(text)
    stops = [(m.start(), m.group()) for m in LIST_STOP.finditer(text)]
    for i, c in [*stops, (end, "，")]:
        if i in kept:
            continue
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 or i == end:
            found, verb = _item_in(text[item_start:i], role)
            clause.extend((u, r, item_start + a, item_start + b) for u, r, a, b in found)
            item_start = i + 1
            if c in "，,；;" or i == end:
                if verb is not None:
                    clause = [(u, verb, a, b) for u, _, a, b in clause]
                out.extend(clause)
                clause = []
    if any(r is Role.LEAD for _, r, _, _ in out):
        return tuple((u, _support(r), a, b) for u, r, a, b in out)
    if any(r is Role.SUPPORT for _, r, _, _ in out) and role is Role.RESPONSIBLE:
        # "A负责，B配合": the unit in charge leads the ones that support it
        return tuple((u, Role.LEAD if r is Role.RESPONSIBLE else r, a, b) for u, r, a, b in out)
    return tuple(out)


@lru_cache(maxsize=16384)  # a plan's lists name the same few dozen bureaus again and again
def _item_in(raw: str, role: Role) -> tuple[tuple[Listed, ...], Role | None]:
    """One list item and the role a verb closing it states: strip "等单位", a verb, a "（牵头）"
    note; split "A和B" into two units. Spans count from the item's start."""
    surface = raw.strip()
    verb: Role | None = None
    surface = MANNER_NOTE.sub("", surface).strip()  # "B（按职责分工负责）"
    note = LEAD_NOTE.match(surface)
    if note:
        surface = note["name"].strip()
        role = Role.LEAD if note["note"].startswith("牵头") else Role.SUPPORT
    tail = ITEM_TAIL.search(surface)
    rest: Listed | None = None
    if tail and tail.start() > 1:
        if tail["v"]:
            verb = VERB_ROLES[tail["v"]]
        catch = CATCH_ALL_TAIL.match(surface, tail.start())
        if catch:  # "A等有关部门": the others named too, as the catch-all 有关部门
            at = raw.index(surface) + catch.start("c")
            rest = (catch["c"], role, at, at + len(catch["c"]))
        surface = surface[: tail.start()].strip()
    if not surface or not re.search(r"[\u4e00-\u9fff]", surface):
        return (), verb
    extra = [rest] if rest else []
    at = raw.index(surface)
    parts = [(surface, at)]
    words = surface.split()
    if len(words) > 1 and all(looks_like_unit(w) for w in words):
        return (
            *((w, role, at + (k := surface.index(w)), at + k + len(w)) for w in words),
            *extra,
        ), verb
    for j in JOINED.finditer(surface):
        left, right = surface[: j.start()], surface[j.end() :]
        if looks_like_unit(left) and looks_like_unit(right):
            parts = [(left, at), (right, at + j.end())]
            break
    return (*((p, role, s, s + len(p)) for p, s in parts), *extra), verb


def _support(role: Role) -> Role:
    """The role of a unit a list only calls responsible, beside a lead: support."""
    return Role.SUPPORT if role is Role.RESPONSIBLE else role


def as_support(m: UnitMention) -> UnitMention:
    """A unit a list only calls responsible, supporting the lead beside it."""
    if m.role is Role.RESPONSIBLE:
        return UnitMention(m.surface, Role.SUPPORT, m.start, m.end)
    return m
