"""Responsibility stated in sentences and brackets, on top of the entity layer.

:func:`duties` reads the closing sentence or bracket of a passage ("A牵头，B、C按职责分工负责",
"（A、B负责）", "由A与B共同编制，有关部门参与"); :func:`duty_brackets` and :func:`duty_sentences`
find every bracket or sentence that closes a passage with its own duties; :func:`heading_duties`
the units a heading names ("一、A牵头的工作", "二、A牵头，B配合："). Only clauses made of nothing
but unit names and a role verb count, so prose naming a bureau does not. A clause is read on its
skeleton, every unit mention (:func:`ingest.extract.mentions`) replaced by "U"; units the entity
layer does not know count when they have the shape of a unit or of a body named without its
level (海关总署, 水利局). Skeletons and unit lists are read by :mod:`ingest.clause_units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.schema import Role
from ingest.clause_units import CATCH_ALL, clause_units, unit_items
from ingest.extract import Mention, mentions
from ingest.resolve import looks_like_unit


@dataclass(frozen=True)
class Duty:
    """A unit a sentence makes responsible: surface, role and span in the text."""

    surface: str
    role: Role
    start: int
    end: int


# A clause is read on its skeleton: every unit mention replaced by "U".
_UNITS = r"U(?:\s*(?:[、和及]|(?:分别)?与)\s*U)*(?:等U|等(?:\d+个|多个|有关|相关)?(?:单位|部门)?)?"
_MANNER = (
    r"(?:共同|分别|积极|密切|全力|具体|主动|按(?:照)?(?:各自)?(?:职责|职能)(?:分工)?)?"
    r"(?:抓好|做好|认真|切实)?"
)
_AFTER = r"(?:负责|落实|实施|推进|组织实施|抓好落实|具体落实|完成)?(?:相关)?(?:工作|任务)?"
_LABELS = "牵头|责任|主责|主办|配合|协同|协办|会办|参与"
_VERBS = "牵头|负责|配合|协同|协助|参与|参加|协办|会办|主办|指导|落实|抓总|编制|制定|承担|汇总"
STATES_DUTY = re.compile(f"{_VERBS}|{_LABELS}")  # what every duty clause holds
CLAUSE = re.compile(
    rf"^(?:由|请|其中)?(?P<units>{_UNITS}){_MANNER}"
    rf"(?:(?P<verb>{_VERBS}){_AFTER}"
    rf"|(?:为|作为|是)(?P<label>{_LABELS})(?:责任)?(?:单位|部门))$"
)
# "A会同B、C负责": A leads, the units it works with support.
WITH_CLAUSE = re.compile(
    rf"^(?:由|请)?(?P<lead>{_UNITS})(?:会同|联合|商|协调)(?P<with>{_UNITS}){_MANNER}"
    rf"(?:{_VERBS}){_AFTER}$"
)
HEADING_CLAUSE = re.compile(
    rf"^(?:由)?(?P<units>{_UNITS})(?P<verb>牵头|负责|主责|牵头负责|抓总)"
    r"(?:的|负责的|落实的|推进的)?(?:重点|主要|具体)?(?:工作|任务|事项)*(?:清单)?$"
)
LOOSE_TAIL = re.compile(
    rf"{_MANNER}(?:(?P<verb>{_VERBS}){_AFTER}"
    rf"|(?:为|作为|是)(?P<label>{_LABELS})(?:责任)?(?:单位|部门))$"
)
DEADLINE_CLAUSE = re.compile(
    r"^(?:完成时限|完成时间|时间节点|时限)?[：:]?\s*(?P<v>(?:\d{4}年[^，,；;]{0,10}?(?:前|底|末)"
    r"|(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:前|底|末)?"
    r"|每年[^，,；;]{1,10}|长期坚持|持续推进|长期|常态化推进))(?:完成|提出|落实到位|全面完成)?$"
)
VERB_ROLE = {
    "牵头": Role.LEAD,
    "抓总": Role.LEAD,
    "主责": Role.LEAD,
    "牵头负责": Role.LEAD,
    "配合": Role.SUPPORT,
    "协同": Role.SUPPORT,
    "协助": Role.SUPPORT,
    "参与": Role.SUPPORT,
    "协办": Role.SUPPORT,
    "会办": Role.SUPPORT,
    "参加": Role.SUPPORT,
    "指导": Role.SUPPORT,
    "主办": Role.LEAD,
    "负责": Role.RESPONSIBLE,
    "落实": Role.RESPONSIBLE,
    "责任": Role.RESPONSIBLE,
    "编制": Role.RESPONSIBLE,
    "制定": Role.RESPONSIBLE,
    "承担": Role.RESPONSIBLE,
    "汇总": Role.RESPONSIBLE,
}
# A ministry that guides (指导) what others carry out supports them, but makes none of them lead.
GUIDES = {"指导"}
# units of a clause, their role, and "guide" (指导) or "aside" (a 其中 clause on a part of the task)
Found = tuple[list["Mention"], Role, str]
_CLAUSE_SPLIT = re.compile(r"[，,；;。]")
CLOSES = re.compile(r"[）)]\s*$")  # a closing bracket ends the text
# Notes inside a closing parenthesis that state a rule, not a duty: "排在第一位的部门为牵头部门",
# "下同", "以下均需试点城市政府落实，不再列出".
NOTE_CLAUSE = re.compile(
    r"^(?:下同|以下.{0,30}|.{0,20}为牵头(?:单位|部门)|.{0,20}不再(?:列出|重复))$"
)


def duties(
    text: str, start: int, end: int, region: str | None = None
) -> tuple[list[Duty], str | None]:
    """Units made responsible by the closing sentence of ``text[start:end]``, and its deadline.

    Only the last sentence counts (or a closing parenthesis), and only the clauses at its end
    that consist of nothing but unit names and a role verb: "A牵头，B、C按职责分工负责",
    "A、B负责", "（A牵头，B配合，2025年底前完成）". A bureau named in ordinary prose is not a
    duty. With a lead in the sentence the other units support it; "A负责，B配合" makes A lead.
    The deadline comes with duties: a sentence that states none gives ``([], None)``.

    >>> ds, _ = duties(t := "加强招商。由县商务局牵头，县财政局、各乡镇按职责分工负责。", 0, len(t))
    >>> [(d.surface, d.role.value) for d in ds]
    [('县商务局', 'lead'), ('县财政局', 'support'), ('各乡镇', 'support')]
    >>> duties(t := "县工信局要加强企业培育，县财政局给予资金支持。", 0, len(t))
    ([], None)
    """
    body = text[start:end].rstrip(" \n。；;")
    if not body:
        return [], None
    c_start, c_end = _closing_sentence(body)
    c_start, c_end = start + c_start, start + c_end
    if not STATES_DUTY.search(text, c_start, c_end) and not body.endswith(("）", ")")):
        return [], None  # every duty clause has a verb or a role label; most sentences neither
    cuts = [c_start] + [m.end() for m in _CLAUSE_SPLIT.finditer(text, c_start, c_end)]
    pieces = [
        (a, b - 1 if b != c_end else b) for a, b in zip(cuts, [*cuts[1:], c_end], strict=True)
    ]
    found: list[Found] = []
    deadline: str | None = None
    pending: list[Mention] = []
    for a, b in reversed(pieces):
        clause = text[a:b].strip()
        if not clause:
            continue
        if (d := DEADLINE_CLAUSE.match(clause)) and deadline is None:
            deadline = d["v"]
            continue
        if NOTE_CLAUSE.match(clause) and not found:
            continue
        parsed = clause_units(text, a, b, region)
        if parsed is None:
            break
        skeleton, units = parsed
        if pending:  # units in a clause of their own share the verb after them: "A，B配合"
            listed = units if re.fullmatch(_UNITS, skeleton) else unit_items(text, a, b)
            if listed:
                found[-1] = (listed + found[-1][0], *found[-1][1:])
                continue
        m = CLAUSE.match(skeleton)
        if m:
            verb = m["verb"] or m["label"]
            found.append((units, VERB_ROLE[verb], "guide" if verb in GUIDES else ""))
        elif w := WITH_CLAUSE.match(skeleton):
            leads = w["lead"].count("U")
            found.append((units[leads:], Role.SUPPORT, ""))
            found.append((units[:leads], Role.LEAD, ""))
        elif (loose := _loose_clause(text, a, b)) is not None:
            found.append(loose)
        else:
            break
        if clause.startswith("其中"):  # "其中生态修复由A牵头": a part's lead, not the task's
            found[-1] = (found[-1][0], found[-1][1], "aside")
        pending = found[-1][0]
    found.reverse()
    if not found and body.endswith(("）", ")")):
        # "（县融媒体中心）" closing an item: units alone, written with their level
        units = [u for u in unit_items(text, c_start, c_end) if looks_like_unit(u.text)]
        if units and len(units) == len(unit_items(text, c_start, c_end)):
            found.append((units, Role.RESPONSIBLE, ""))
    return _roles(found), deadline


DUTY_HINT = re.compile(_VERBS + r"|单位|部门")
BRACKET_STOPS = re.compile(r"[（()）\n]")
SENTENCE_STOPS = re.compile(r"[（()）。；;\n]")


def duty_brackets(
    text: str, start: int, end: int, region: str | None = None
) -> list[tuple[int, int, list[Duty], str | None]]:
    """Every parenthesis in ``text[start:end]`` that states duties, as (open, close, duties,
    deadline): a paragraph can close several passages with one each ("…。（A牵头，B参与）…。
    （C指导）").

    >>> t = "甲。（县商务局牵头，县财政局参与）乙（见附件）。丙。（县工信局负责）"
    >>> [(a, [d.surface for d in ds]) for a, _, ds, _ in duty_brackets(t, 0, len(t))]
    [(2, ['县商务局', '县财政局']), (26, ['县工信局'])]
    """
    out: list[tuple[int, int, list[Duty], str | None]] = []
    depth, opened = 0, -1
    for m in BRACKET_STOPS.finditer(text, start, end):  # the characters that change anything
        i, c = m.start(), m.group()
        if c in "（(":
            if depth == 0:
                opened = i
            depth += 1
        elif c in "）)" and depth:
            depth -= 1
            if depth == 0 and DUTY_HINT.search(text, opened, i):
                ds, deadline = duties(text, opened, i + 1, region)
                if ds:
                    out.append((opened, i + 1, ds, deadline))
        elif c == "\n":
            depth = 0
    return out


def duty_sentences(
    text: str, start: int, end: int, region: str | None = None
) -> list[tuple[int, int, list[Duty], str | None]]:
    """Every sentence (or ；-clause) in ``text[start:end]`` that ends with its own duty clause,
    as (clause start, sentence end, duties, deadline): "一是加强监管，由A负责；二是…，由B牵头，C配合。"
    gives two. Sentences closed by a bracket are :func:`duty_brackets`' to read.

    >>> t = "一是加强监管，由县市场监管局负责；二是优化服务，由县政务服务中心牵头，县财政局配合。"
    >>> [[d.surface for d in ds] for _, _, ds, _ in duty_sentences(t, 0, len(t))]
    [['县市场监管局'], ['县政务服务中心', '县财政局']]
    """
    out: list[tuple[int, int, list[Duty], str | None]] = []
    seg_start, depth = start, 0
    stops = [(m.start(), m.group()) for m in SENTENCE_STOPS.finditer(text, start, end)]
    for i, c in [*stops, (end, "。")]:  # the range's end closes its last sentence
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif c in "。；;\n" and depth == 0:
            body = text[seg_start:i].rstrip()
            if body and body[-1] not in "）)" and DUTY_HINT.search(body):
                ds, deadline = duties(text, seg_start, i, region)
                if ds:
                    first = min(d.start for d in ds)
                    clause = max(text.rfind(sep, seg_start, first) for sep in "，,") + 1
                    out.append((max(clause, seg_start), min(i + 1, end), ds, deadline))
            seg_start = i + 1
    return out


def heading_duties(text: str, start: int, end: int, region: str | None = None) -> list[Duty]:
    """Units a heading gives its tasks: "一、县发展和改革局牵头的工作" → 县发展和改革局, lead.

    >>> t = "县发改局牵头的工作"
    >>> [(d.surface, d.role.value) for d in heading_duties(t, 0, len(t))]
    [('县发改局', 'lead')]
    >>> t = "县人社局牵头，县财政局配合"
    >>> [(d.surface, d.role.value) for d in heading_duties(t, 0, len(t))]
    [('县人社局', 'lead'), ('县财政局', 'support')]
    >>> heading_duties(t := "县工信局负责的专业镇创建工作", 0, len(t))
    []
    """
    may_list = _may_list_units(text[start:end])
    if not may_list and not any(m.label == "UNIT" for m in mentions(text[start:end])):
        return []  # what clause_units would find: no units, so no skeleton to make
    parsed = clause_units(text, start, end, region)
    if parsed is None:
        return []
    skeleton, units = parsed
    if not units and not may_list:
        return []
    m = HEADING_CLAUSE.match(skeleton)
    if m and units:
        role = Role.RESPONSIBLE if m["verb"] == "负责" else Role.LEAD
        return [Duty(u.text, role, u.start, u.end) for u in units]
    # "二、A牵头，B配合：": a heading made of nothing but duty clauses
    stated, _ = duties(text, start, end, region)
    if stated and not re.sub(r"[\s由请]", "", text[start : stated[0].start]):
        return stated
    # "二、县工业和信息化局（3项）": a heading that is only a unit names who carries the tasks
    count = re.search(r"\s*[（(]\s*\d+\s*项(?:任务|工作)?\s*[）)]\s*$", text[start:end])
    listed = unit_items(text, start, start + count.start() if count else end, known_only=not count)
    if listed:
        return [Duty(u.text, Role.RESPONSIBLE, u.start, u.end) for u in listed]
    return []


def _may_list_units(title: str) -> bool:
    """Whether a heading naming no known unit can still name some (most headings cannot).

    Without a known unit only a duty clause (it holds a role verb or label, or ends with a
    bracket: :func:`duties`) or a counted list ("县工信局（3项）") names units by their shape; a
    list of known units alone needs a known unit, and "等…" is cut off before the list is read,
    so a heading holding 等 takes the long way.
    """
    return (
        "等" in title
        or STATES_DUTY.search(title) is not None
        or title.rstrip(" \n。；;").endswith(("）", ")"))
        or CLOSES.search(title) is not None
    )


def _loose_clause(text: str, start: int, end: int) -> Found | None:
    """A duty clause whose units the entity layer does not know: "人行甲县支行、县金融办配合"."""
    clause = text[start:end]
    tail = LOOSE_TAIL.search(clause)
    if tail is None or tail.start() == 0:
        return None
    head = re.match(r"^\s*(?:其中[^，,由]{0,12}(?=由))?(?:由|请|其中)?", clause)
    units = unit_items(text, start + (head.end() if head else 0), start + tail.start())
    if not units:
        return None
    verb = tail["verb"] or tail["label"]
    return units, VERB_ROLE[verb], "guide" if verb in GUIDES else ""


def _closing_sentence(body: str) -> tuple[int, int]:
    """Span of the last sentence of ``body``, or of its closing parenthesis."""
    if body[-1] in "）)":
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            if body[i] in "）)":
                depth += 1
            elif body[i] in "（(":
                depth -= 1
                if depth == 0:
                    return i + 1, len(body) - 1
    stop = max(body.rfind(c) for c in "。！？\n；")
    return stop + 1, len(body)


def _roles(found: list[Found]) -> list[Duty]:
    """Roles in one sentence: beside a lead, the units it calls responsible support; beside
    named units that support (配合, 参与 — not a ministry that only guides, 指导, nor the
    catch-all 有关部门参与), they lead."""
    has_lead = any(role is Role.LEAD and kind != "aside" for _, role, kind in found)
    has_support = any(
        role is Role.SUPPORT and not kind and not all(CATCH_ALL.fullmatch(u.text) for u in units)
        for units, role, kind in found
    )
    out: list[Duty] = []
    for units, role, _ in found:
        if role is Role.RESPONSIBLE and has_lead:
            role = Role.SUPPORT
        elif role is Role.RESPONSIBLE and has_support:
            role = Role.LEAD
        out.extend(Duty(u.text, role, u.start, u.end) for u in units)
    return out
