"""Leading groups (领导小组), task forces (工作专班), commands (指挥部) and committees (委员会).

A group exists where the text founds it ("决定成立X领导小组", "成立由县长任组长的X专班",
"关于调整X领导小组成员的通知"), where a heading names it above its member lines ("1、市城市规划
委员会" then "主 任 委 员：…"), and where an annex lists it ("X领导小组成员名单"). A mere mention
("在县领导小组统一领导下", "需要调整的，由所在单位向领导小组提出") founds nothing. A document may
hold several groups: member lines and sentences belong to the group named last before them.

Members are read by :mod:`ingest.members` and :mod:`ingest.member_sentences`; the office (办公室设在…), its director and deputy
(办公室主任由…兼任, X兼任办公室主任) are read here, wherever the sentence stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.record import Group
from ingest.member_sentences import sentence_members
from ingest.members import ROLE, member_lines
from ingest.offices import OFFICE_AT, first_unit, office_posts
from ingest.posts import split_person, split_post
from ingest.resolve import Roster

__all__ = ["group_names", "parse_groups", "split_person", "split_post"]

STRONG = r"领导小组|工作领导组|领导组|工作专班|专班|指挥部|工作小组|推进小组|协调小组|专项小组"
WEAK = r"工作组|推进组|委员会|联席会议"  # also the names of standing bodies: kept with members only
BODY = rf"(?:{STRONG}|{WEAK})"
NAME_CHARS = r"[\u4e00-\u9fff0-9０-９A-Za-z（）“”·、]"
FOUND = re.compile(
    r"(?:调整充实|调整完善|重新组建|成立|组建|设立|建立|调整|充实)(?:了|一个)?"
    rf"(?P<by>(?:由|以)[^。；;\n]{{1,80}}?的)?(?P<name>{NAME_CHARS}{{1,40}}?{BODY})"
    r"(?!制度|机制|办公室|会议|工作机制)"
)
HEADING = re.compile(
    r"^(?:附件\d*[：:]?)?(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)]?[、.．]?)?"
    rf"(?P<name>{NAME_CHARS}{{2,40}}?{BODY})"
    r"(?P<tail>(?:主要职责)?(?:及|和)?(?:组成人员|成员单位|成员|人员|组成)?(?:名单)?"
    r"(?:及(?:主要)?职责(?:分工)?)?)[：:]?$"
)
WRAPPED = re.compile(rf"^(?:{BODY})(?:组成人员|成员|人员)?名单$")
GENERIC = re.compile(rf"^(?:工作)?{BODY}$")
BODY_WORD = re.compile(BODY)
PADDING = re.compile(r"[ \t\u3000]+")
# every body word holds one of these, and padding removed adds none: a line without one can
# be no heading nor the wrapped end of one (only such lines are read, not every line). Found by
# the character, then its line: "^.*[组班部会].*$" tried every line start and backtracked
# through the lines that hold none (~90 µs a plan, more than the headings it found)
BODY_CHAR = re.compile(r"[组班部会]")


@dataclass(frozen=True)
class Named:
    """Where a text names a group, and whether it stands on its own without members."""

    at: int
    name: str
    strong: bool


def group_names(text: str, roster: Roster | None = None) -> list[Named]:
    """Every place ``text`` founds a group or heads its member list, in order."""
    found: list[Named] = []
    body = list(_body_lines(text))  # (most lines name no body)
    for start, line in body:  # a founding names its body on its own line, no 成立 elsewhere
        for m in FOUND.finditer(text, start, start + len(line)):
            name = _clean_name(m["name"])
            if name and not m["name"].startswith("的"):
                in_table = "\t" in line  # a table cell (成立…领导小组（1分）) founds nothing alone
                at = m.end("name") - len(name)
                found.append(Named(at, name, _strong(name) and not in_table))
    lines = text.split("\n")
    i, seen = 0, 0  # line number of the candidate, and the offset it was counted to
    for at, line in body:
        i, seen = i + text.count("\n", seen, at), at
        stripped = _stripped(line)  # 领 导 小 组
        named = len(stripped) <= 60 and BODY_WORD.search(stripped) is not None
        head = HEADING.match(stripped) if named else None
        if head is None and WRAPPED.match(stripped):
            previous = _previous(lines, i)  # a title wrapped before 领导小组成员名单
            if previous and len(previous) <= 30:
                head = HEADING.match(previous + stripped)
        if head is None:
            continue
        name = _clean_name(head["name"])
        if not name or GENERIC.match(name) or (roster is not None and roster.known(name)):
            continue  # "一、领导小组组成" heads a section, it names no group
        if head["tail"] or _list_follows(lines, i):
            found.append(Named(at, name, True))
    return sorted(found, key=lambda n: n.at)


def _body_lines(text: str) -> Iterator[tuple[int, str]]:
    """(start, text) of each line holding a character of a body word, in order."""
    pos = 0
    while (m := BODY_CHAR.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        yield start, text[start:end]
        pos = end + 1


def _stripped(line: str) -> str:
    """A line without padding; a long line (a paragraph) is not read as a heading at all."""
    return PADDING.sub("", line) if len(line) <= 120 else ""


def _previous(lines: list[str], i: int) -> str:
    """The last line before line ``i`` left non-empty by :func:`_stripped`, stripped."""
    for line in reversed(lines[:i]):
        if stripped := _stripped(line):
            return stripped
    return ""


def _strong(name: str) -> bool:
    return re.search(rf"(?:{STRONG})$", name) is not None and not GENERIC.match(name)


def _list_follows(lines: list[str], i: int) -> bool:
    """Whether a role-labelled line follows line ``i`` within two non-empty lines."""
    seen = 0
    for line in lines[i + 1 : i + 6]:
        if not line.strip():
            continue
        if ROLE.match(line) or (line.count("\t") and re.match(r"^\s*(?:职务|姓名|序号)", line)):
            return True
        seen += 1
        if seen == 2:
            return False
    return False


def _clean_name(name: str) -> str:
    name = name.rsplit("的", 1)[-1].lstrip("、")
    name = re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)]?[、.．]", "", name)
    name = re.sub(r"^(?:成立|组建|设立|建立|调整|充实|完善|健全|了)+", "", name)
    return name if len(name) > 3 or (len(name) >= 2 and GENERIC.match(name)) else ""


def _same(a: str, b: str) -> bool:
    """Whether two names denote one group ("甲县X领导小组" and "X领导小组")."""
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 6 and long.endswith(short))


def parse_groups(text: str, roster: Roster, region: str | None) -> list[Group]:
    """Groups named or listed in ``text`` with their office and members."""
    named = group_names(text, roster)
    if not named:
        return []
    groups: list[Group] = []
    weak: set[int] = set()
    at: list[tuple[int, Group]] = []
    for n in named:
        g = next((x for x in groups if _same(x.name, n.name)), None)
        if g is None and GENERIC.match(n.name):  # "成立领导小组" after the title named it
            g = next((x for x in reversed(groups) if not GENERIC.match(x.name)), None)
        if g is None:
            g = Group(name=n.name, span=(n.at, n.at + len(n.name)))
            groups.append(g)
            if not n.strong:
                weak.add(id(g))
        elif n.strong:
            weak.discard(id(g))
        if len(n.name) > len(g.name) and not GENERIC.match(n.name):
            g.name = n.name
        at.append((n.at, g))

    def nearest(offset: int) -> Group:
        before = [g for a, g in at if a <= offset]
        return before[-1] if before else at[0][1]

    def target(start: int, end: int) -> Group:
        inside = [g for a, g in at if start <= a < end]
        return inside[-1] if inside else nearest(start)

    for m in OFFICE_AT.finditer(text):
        g = nearest(m.start())
        if g.office_unit is None:
            g.office_unit = roster.canonical(first_unit(m["unit"]), region)
    member_lines(text, roster, region, nearest)
    sentence_members(text, roster, region, target)
    office_posts(text, roster, region, nearest)
    return [
        g for g in groups if id(g) not in weak or g.members or g.collective_members or g.office_unit
    ]
