"""Members of a group from list lines and table rows.

List lines carry a role label ("组  长：张三  县长", "主 任 委 员：刘雪荣", "成员单位：…") and
are continued by lines without one; a table row has the role in any cell ("组长<TAB>张三<TAB>县长",
"1<TAB>张三<TAB>县长<TAB>组长"). One line may name one person (name and post either way round,
glued or apart, "张三（县发改局）"), several ("张三（…）、李四（…）", "杨 智、卢焱群  龙福清"), posts
without a person ("负责…工作的副市长", "各乡镇镇长") or units whose heads sit in the group
("市发展改革局、公安局…分管负责同志"): those are collective members, the unit holds the seat.
Sentences state the same ("由副县长张三同志任组长，…，县D局主要负责同志为成员"): they are read
by :mod:`ingest.member_sentences`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graph.record import Group, Member
from graph.schema import Role
from ingest.markers import unit_list
from ingest.offices import office_post
from ingest.people import ITEM_SEP, name_first, names_only, person, rows, side_by_side
from ingest.posts import (
    compact,
    positions,
    title_of,
    with_prefixes,
)
from ingest.resolve import Roster, clean_person_name
from ingest.seats import SHARED_TAIL, collective, seat, split_items, unit_shaped

# role labels of member lists, longest first so 副组长 is not read as 组长
# fmt: off
LABELS = sorted((
    "常务副组长", "第一副组长", "执行副组长", "副组长", "第一组长", "双组长", "执行组长", "组长",
    "成员单位", "成员", "组员", "常务副总指挥", "副总指挥", "总指挥", "常务副指挥长", "副指挥长",
    "指挥长", "顾问", "常务副专班长", "副专班长", "专班长", "总召集人", "副召集人", "召集人",
    "副链长", "链长", "常务副主任委员", "副主任委员", "主任委员", "常务副主任", "副主任", "主任",
    "副秘书长", "秘书长", "委员", "政委", "副政委", "办公室主任", "办公室副主任",
    "领导小组办公室主任", "领导小组办公室副主任",
), key=len, reverse=True)
# fmt: on
ROLE_WORDS = "|".join(r"[ \u3000]*".join(label) for label in LABELS)
# the label ends with a colon, a tab, or spaces before a name ("组　长　张三　镇党委书记")
ROLE = re.compile(
    rf"^[\s\u3000]*(?P<role>{ROLE_WORDS})[ \u3000]*(?:[（(][^（）()\n]{{0,12}}[）)])?[ \u3000]*"
    r"(?:[：:]|\t|(?<=[ \u3000])(?=[\u4e00-\u9fff]))[ \u3000]*(?P<rest>.*)$"
)
ROLE_CELL = re.compile(rf"^(?:{ROLE_WORDS})$")


def innermost(words: list[str]) -> list[str]:
    """The words that hold no other: text holds one of ``words`` when it holds one of these.

    >>> innermost(["常务副组长", "副组长", "组长", "成员单位", "成员"])
    ['组长', '成员']
    """
    return [w for w in words if not any(other != w and other in w for other in words)]


# a line without a label opens no list (ROLE, INLINE_LABEL); it holds one when it holds one that
# holds no other (常务副组长 holds 组长, and padded as well): 13 alternatives rather than 41,
# searched once through the text rather than line by line
LABEL_IN = re.compile("|".join(r"[ \u3000]*".join(label) for label in innermost(LABELS)))
INLINE_LABEL = re.compile(
    rf"(?:[；;。，,][ \u3000]*|[ \u3000]{{2,}})(?=(?:{ROLE_WORDS})[ \u3000]*(?:[（(][^（）()]{{0,12}}[）)])?[：:])"
)
NOTE = re.compile(r"[（(][^（）()]*(?:排名|排序|为序|笔画|不分先后|\d+人)[^（）()]*[）)]")
ALSO_OFFICE = re.compile(
    r"[（(]兼(?:任)?(?:领导小组|工作专班|专班|指挥部)?办公室(?P<deputy>副)?主任[）)]"
)
LEADERS = ("组长", "总指挥", "指挥长", "专班长", "召集人")
OFFICE_ROLES = ("主任", "副主任", "常务副主任")
ROLE_IN_SENTENCE = (
    r"常务副组长|第一副组长|执行副组长|副组长|第一组长|执行组长|双组长|组长|成员单位|成员"
    r"|常务副总指挥|副总指挥|总指挥|常务副指挥长|副指挥长|指挥长|副政委|政委|常务副专班长|副专班长"
    r"|专班长|副召集人|召集人|常务副主任委员|副主任委员|主任委员|顾问"
)
# compiled once: each runs on every member line or post
POST_NOTE = re.compile(r"[（(][^（）()]{0,2}[）)]|[（(]兼[^（）()]*[）)]")
RANK_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
LIST_LEAD = re.compile(r"^(?:由|为)")
PAD = re.compile(r"[ \u3000]")
SENTENCE_WORD = re.compile(r"[。，；]|设在|设于|兼任|担任")
NAME_BRACKET = re.compile(r"([\u4e00-\u9fff·]{2,4})(?:同志)?[（(]([^（）()]+)[）)]")
CHAIN_LEADER = re.compile(r"[（(](?P<chain>[^（）()]*?)链长[）)]")
STOP_LIST = re.compile(
    r"^(?:\d{4}年|[〇一二三四五六七八九零○]{4}年|[一二三四五六七八九十]+[、.．]|抄送|附件|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]+)"
)
LIST_CLOSE = re.compile(r"(?:组成|担任)$")


def member(
    name: str, role: str, posts: str, chain: str | None, span: tuple[int, int],
    roster: Roster, region: str | None,
) -> Member:  # fmt: skip
    """A named member with the posts written after the name (notes in brackets dropped)."""
    if "（" in posts or "(" in posts:  # POST_NOTE needs a bracket; most posts have none
        posts = POST_NOTE.sub("", posts)
    held = positions(post_parts(posts), roster, region) if posts else []
    held = [p for p in held if p.unit or len(p.title) > 2 or title_of(p.title)]
    if not name.isalnum() or name.endswith("同志"):  # else clean already (most names: from a row)
        name = clean_person_name(name)
    return Member(name=name, role=role, positions=held, chain=chain, span=span)


def post_parts(posts: str) -> list[str]:
    """The posts of one person: split on 、 and on spaces between whole posts ("县委副书记 县长"),
    while a unit and its title set apart ("县发改局 局长") or padding ("县　长") stay one.

    >>> post_parts("县委副书记 县长"), post_parts("县发改局 局长、县　长")
    (['县委副书记', '县长'], ['县发改局局长', '县长'])
    """
    if posts.isalnum():  # one post: no separator, padding or bracket (most members)
        return [posts]
    out: list[str] = []
    for part in ITEM_SEP.split(posts):
        joined: list[str] = []
        for word in part.split():
            if joined and (len(word) == 1 or title_of(joined[-1]) is None):
                joined[-1] += word
            else:
                joined.append(word)
        # 副局长（正科级）; RANK_NOTE needs a closing bracket at the end, which few posts have
        out.extend(RANK_NOTE.sub("", j) if j.endswith(("）", ")")) else j for j in joined)
    return out


def add_people(
    group: Group, who: str, role: str, span: tuple[int, int], roster: Roster, region: str | None,
    no_person: str | None = None,
) -> None:  # fmt: skip
    """People and seats of a list: "县委副书记、县长张三", "县D局、县E局主要负责同志", "卢焱群、龙福清".

    ``no_person`` is a text the caller found to name no person (a whole line of one item,
    "各乡镇镇长"): an entry that is that text is not read again.
    """
    pending: list[str] = []
    for entry in with_prefixes(split_items(who), roster):
        entry = entry.removesuffix("等")
        chain = None
        if "链长" in entry and (leader := CHAIN_LEADER.search(entry)):
            chain = leader["chain"].strip() or None
            entry = CHAIN_LEADER.sub("", entry)
        found = None if entry == no_person else person(entry, roster)
        last = group.members[-1] if group.members and not pending else None
        bare = last is not None and last.span == span and not last.positions
        if found is None and last is not None and bare and _own_post(entry):
            last.positions = positions([entry], roster, region)  # "张三，县长": post after name
            continue
        if found is None:
            pending.append(entry)
            continue
        name, post = found
        if pending and all(title_of(compact(p)) and not SHARED_TAIL.search(p) for p in pending):
            post = "、".join([*pending, post]) if post else "、".join(pending)
        elif pending:
            _add_seats(group, "、".join(pending), role, span, roster, region)
        pending = []
        group.members.append(member(name, role, post, chain, span, roster, region))
    if pending:
        _add_seats(group, "、".join(pending), role, span, roster, region)


def _own_post(entry: str) -> bool:
    post = compact(entry)
    return title_of(post) is not None and not SHARED_TAIL.search(post) and not post.startswith("各")


def _add_seats(
    group: Group, text: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> None:
    group.collective_members.extend(collective(text, roster, region, role, span))


def add_line(
    group: Group, rest: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> str | None:
    """Add the members a list line names: "people" (or posts), "units" (units only) or None."""
    people, seats = len(group.members), len(group.collective_members)
    _add_line(group, rest, role, span, roster, region)
    if len(group.members) > people or any(c.title for c in group.collective_members[seats:]):
        return "people"
    return "units" if len(group.collective_members) > seats else None


def _add_line(
    group: Group, rest: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> None:
    # each pattern is tried only on a line holding what it needs (a bracket, 由/为 first,
    # 组成/担任): ~22 lines a plan, few of them with any
    if "（" in rest or "(" in rest:
        rest = NOTE.sub("", rest)
    rest = rest.strip(" \u3000。；;，,")
    if rest.startswith(("由", "为")):
        rest = LIST_LEAD.sub("", rest)
    if "组成" in rest or "担任" in rest:
        rest = LIST_CLOSE.sub("", rest)
    several = NAME_BRACKET.findall(rest) if "（" in rest or "(" in rest else []
    if "\t" in rest and len(table := rows(rest, roster)) > 1:
        for name, posts in table:
            group.members.append(member(name, role, posts, None, span, roster, region))
    elif role == "成员单位":
        units = with_prefixes(split_items(rest), roster)
        for u in units:
            for m in unit_list(u, 0, len(u), Role.RESPONSIBLE):
                if not unit_shaped(m.surface, roster):
                    continue
                group.collective_members.extend(
                    seat(m.surface, m.surface, None, "成员", roster, region, span)
                )
    elif len(several) > 1 and not ("链长" in rest and CHAIN_LEADER.search(rest)):
        for name, posts in several:
            group.members.append(member(name, role, posts, None, span, roster, region))
    elif (names := names_only(rest)) is not None:
        for name in names:
            group.members.append(member(name, role, "", None, span, roster, region))
    elif (pairs := side_by_side(rest)) is not None:
        for name, post in pairs:
            group.members.append(member(name, role, post, None, span, roster, region))
    else:
        chain = None
        if "链长" in rest and (leader := CHAIN_LEADER.search(rest)):
            chain = leader["chain"].strip() or None
            rest = CHAIN_LEADER.sub("", rest)
        one = not ITEM_SEP.search(rest.strip()) or name_first(rest.strip())
        found = person(rest, roster) if one else None
        if found is not None:
            group.members.append(member(found[0], role, found[1], chain, span, roster, region))
            # "县发改局局长（兼办公室主任）"
            if "兼" in found[1] and (also := ALSO_OFFICE.search(found[1])):
                office_line(group, f"{also['deputy'] or ''}主任", found[0], roster, region)
        else:
            add_people(group, rest, role, span, roster, region, rest if one else None)


# -------------------------------------------------------------------------------- lines


def _segments(line: str, start: int) -> Iterator[tuple[int, str]]:
    """A line cut before each role label it runs in ("…领导小组，组长：张三；副组长：李四"), a
    table row before each role cell ("组长<TAB>张三<TAB>县长<TAB>副组长<TAB>李四<TAB>副县长")."""
    if "\t" in line:
        cells = line.split("\t")
        roles = [i for i, c in enumerate(cells) if i and ROLE_CELL.match(c.strip())]
        if roles and ROLE_CELL.match(cells[0].strip()):
            at = 0
            for a, b in zip([0, *roles], [*roles, len(cells)], strict=True):
                part = "\t".join(cells[a:b])
                yield start + at, part
                at += len(part) + 1
            return
    if "：" not in line and ":" not in line:
        yield start, line
        return
    begin = 0
    for m in INLINE_LABEL.finditer(line):
        yield start + begin, line[begin : m.start()]
        begin = m.end()
    yield start + begin, line[begin:]


def _role_cell(line: str) -> tuple[str, str] | None:
    """(role, other cells) of a table row whose role is not in the first cell."""
    cells = line.split("\t")
    for i, cell in enumerate(cells):
        if ROLE_CELL.match(cell.strip()):
            rest = [c for j, c in enumerate(cells) if j != i]
            return PAD.sub("", cell), "\t".join(rest)
    return None


def _continues_list(line: str) -> bool:
    """Whether a line without a role label continues a member list (not a sentence after it)."""
    stripped = line.strip().rstrip("。；;")
    if not stripped or STOP_LIST.match(stripped) or len(stripped) > 60:
        return False
    return not SENTENCE_WORD.search(stripped)


def member_lines(
    text: str, roster: Roster, region: str | None, nearest: Callable[[int], Group]
) -> None:
    """Members of the labelled list lines and table rows of ``text``."""
    role: str | None = None
    group: Group | None = None
    kind: str | None = None  # what the list named so far: "people" or "units"
    # where labels stand, in order (a label never runs over a line end)
    labels = [m.start() for m in LABEL_IN.finditer(text)]
    label = 0  # the first label not before the current line
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        while label < len(labels) and labels[label] < line_start:
            label += 1
        has_label = label < len(labels) and labels[label] < pos
        if role is None and "\t" not in line and not has_label:
            continue  # no label to open a list, none running: nothing to read (most lines)
        # a line without a label (a row that continues a list) is one segment, no role cell
        # in it and no role label at its start: nothing to look for
        segments = _segments(line, line_start) if has_label else ((line_start, line),)
        for start, seg in segments:
            m = ROLE.match(seg) if has_label else None
            if m and len(seg.strip()) > 60 and not re.search(r"[：:\t]", seg[: m.start("rest")]):
                m = None  # a sentence that opens with 成员 is not a list line
            cell = _role_cell(seg) if m is None and has_label and "\t" in seg else None
            labelled = m is not None or cell is not None
            if m:
                role, rest = PAD.sub("", m["role"]), m["rest"]
                group = nearest(start)
            elif cell is not None:
                role, rest = cell
                group = nearest(start)
            elif role is not None and _continues_list(seg):
                rest = seg
            else:
                role = None
                continue
            assert group is not None
            if not rest.strip():
                continue
            span = (start, start + len(seg))
            if _is_office(group, role):
                office_line(group, role, rest, roster, region)
                continue
            people, seats = len(group.members), len(group.collective_members)
            added = add_line(group, rest, role, span, roster, region)
            if added == "units" and not labelled and kind != "units":
                del group.members[people:], group.collective_members[seats:]
                added = None  # a bare unit after a list of people: the signature, not a member
            if added is None:
                role = None
            kind = added if labelled or added is None else kind


def _is_office(group: Group, role: str) -> bool:
    """Whether a 主任/副主任 line names the office of a group led by a 组长 (not its head)."""
    if role.startswith(("办公室", "领导小组办公室")):
        return True
    if role not in OFFICE_ROLES:
        return False
    roles = [m.role for m in group.members] + [c.role or "" for c in group.collective_members]
    return any(r.endswith(LEADERS) for r in roles)


def office_line(group: Group, role: str, rest: str, roster: Roster, region: str | None) -> None:
    """An office post given as a list line: "办公室主任：李四（县发改局局长）"."""
    found = person(rest, roster)
    post = office_post(found[1] if found and found[1] else rest, group, roster, region)
    if post is None and found is not None:
        post = office_post(found[0], group, roster, region)
    if role.endswith("副主任"):
        group.office_deputy_director = group.office_deputy_director or post
    else:
        group.office_director = group.office_director or post
