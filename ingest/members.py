"""Members of a group from list lines, table rows and sentences.

List lines carry a role label ("组  长：张三  县长", "主 任 委 员：刘雪荣", "成员单位：…") and
are continued by lines without one; a table row has the role in any cell ("组长<TAB>张三<TAB>县长",
"1<TAB>张三<TAB>县长<TAB>组长"). One line may name one person (name and post either way round,
glued or apart, "张三（县发改局）"), several ("张三（…）、李四（…）", "杨 智、卢焱群  龙福清"), posts
without a person ("负责…工作的副市长", "各乡镇镇长") or units whose heads sit in the group
("市发展改革局、公安局…分管负责同志"): those are collective members, the unit holds the seat.
Sentences state the same ("由副县长张三同志任组长，…，县D局主要负责同志为成员").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graph.record import Group, Member
from graph.schema import Role
from ingest.offices import office_post
from ingest.posts import (
    compact,
    is_person_name,
    positions,
    split_glued,
    split_person,
    title_of,
    with_prefixes,
)
from ingest.resolve import Roster, clean_person_name
from ingest.seats import SHARED_TAIL, collective, seat, split_items
from ingest.structure import unit_list

# role labels of member lists, longest first so 副组长 is not read as 组长
LABELS = sorted(
    [
        "常务副组长",
        "第一副组长",
        "执行副组长",
        "副组长",
        "第一组长",
        "双组长",
        "执行组长",
        "组长",
        "成员单位",
        "成员",
        "组员",
        "常务副总指挥",
        "副总指挥",
        "总指挥",
        "常务副指挥长",
        "副指挥长",
        "指挥长",
        "顾问",
        "常务副专班长",
        "副专班长",
        "专班长",
        "总召集人",
        "副召集人",
        "召集人",
        "副链长",
        "链长",
        "常务副主任委员",
        "副主任委员",
        "主任委员",
        "常务副主任",
        "副主任",
        "主任",
        "副秘书长",
        "秘书长",
        "委员",
        "办公室主任",
        "办公室副主任",
        "领导小组办公室主任",
        "领导小组办公室副主任",
    ],
    key=len,
    reverse=True,
)
ROLE_WORDS = "|".join(r"[ \u3000]*".join(label) for label in LABELS)
ROLE = re.compile(
    rf"^[\s\u3000]*(?P<role>{ROLE_WORDS})[ \u3000]*(?:[：:]|\t)[ \u3000]*(?P<rest>.*)$"
)
ROLE_CELL = re.compile(rf"^(?:{ROLE_WORDS})$")
INLINE_LABEL = re.compile(rf"[；;。，,][ \u3000]*(?=(?:{ROLE_WORDS})[ \u3000]*[：:])")
LEADERS = ("组长", "总指挥", "指挥长", "专班长", "召集人")
OFFICE_ROLES = ("主任", "副主任", "常务副主任")
ROLE_IN_SENTENCE = (
    r"常务副组长|第一副组长|副组长|第一组长|双组长|组长|成员单位|成员|副总指挥|总指挥|副指挥长|指挥长"
    r"|副专班长|专班长|副召集人|召集人|常务副主任委员|副主任委员|主任委员"
)
CLAUSE = re.compile(
    rf"^(?:由|以)?(?P<who>.+?)(?:(?<!负责)同志)?(?:任|担任|兼任|为)(?P<role>{ROLE_IN_SENTENCE})(?:单位)?$"
    rf"|^(?P<role2>{ROLE_IN_SENTENCE})由(?P<who2>.+?)(?:(?<!负责)同志)?(?:担任|兼任|组成)$"
    rf"|^(?:成员|成员单位)(?:为|包括|有)[：:]?(?P<who3>.+)$"
)
PADDED_NAME = re.compile(
    r"^(?P<a>[\u4e00-\u9fff])[ \u3000]{1,3}(?P<b>[\u4e00-\u9fff])(?:[ \u3000\t]+|$|(?=[（(]))"
)
NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,4})(?:同志)?(?:[ \u3000\t]+|$|(?=[（(]))")
NAME_BRACKET = re.compile(r"([\u4e00-\u9fff·]{2,4})(?:同志)?[（(]([^（）()]+)[）)]")
CHAIN_LEADER = re.compile(r"[（(](?P<chain>[^（）()]*?)链长[）)]")
STOP_LIST = re.compile(
    r"^(?:\d{4}年|[〇一二三四五六七八九零○]{4}年|[一二三四五六七八九十]+[、.．]|抄送|附件|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]+)"
)
LIST_OPEN = re.compile(r"^(?:成员|成员单位)(?:(?P<by>由)|为|包括|有)")
LIST_CLOSE = re.compile(r"(?:组成|担任)$")
LIST_STOP = re.compile(rf"{ROLE_IN_SENTENCE}|担任|兼任|设在|设于|负责(?!同志|人)|承担|[要将]")
GROUP_PREFIX = re.compile(
    r"^[^，,]*?(?:领导小组|专班|指挥部|工作小组|委员会|联席会议)(?:成员)?(?=由|以)"
)


# ------------------------------------------------------------------------------- people


def names_only(text: str) -> list[str] | None:
    """The names of a line that lists only names: "卢焱群、龙福清", "张　三　李　四　王五六".

    >>> names_only("卢焱群、龙福清"), names_only("张　三　李　四　王五六"), names_only("张三 县长")
    (['卢焱群', '龙福清'], ['张三', '李四', '王五六'], None)
    """
    names: list[str] = []
    for part in re.split(r"[、，,；;]", text):
        single = ""
        for token in part.split():
            if len(token) == 1:
                if not single:
                    single = token
                    continue
                token, single = single + token, ""
            elif single:
                return None  # a lone character: not padding of a two-character name
            if not is_person_name(token):
                return None
            names.append(token)
        if single:
            return None
    return names or None


def side_by_side(text: str) -> list[tuple[str, str]] | None:
    """(name, post) of several people on one line set apart by spaces, either way round.

    >>> side_by_side("李四  副县长    王  五  县政府办主任")
    [('李四', '副县长'), ('王五', '县政府办主任')]
    >>> side_by_side("县长 张三 副县长 李四"), side_by_side("张三  县长")
    ([('张三', '县长'), ('李四', '副县长')], None)
    """
    tokens: list[str] = []
    single = ""
    for token in text.split():
        if len(token) == 1:  # half of a padded two-character name
            if not single:
                single = token
                continue
            token, single = single + token, ""
        elif single:
            return None
        tokens.append(token)
    named = [is_person_name(t) for t in tokens]
    if single or sum(named) < 2 or len(tokens) != 2 * sum(named):
        return None
    first = 0 if named[0] else 1  # name, post, name, post … or post, name, post, name …
    if not all(named[i] == (i % 2 == first) for i in range(len(tokens))):
        return None
    pairs = list(zip(tokens[first::2], tokens[1 - first :: 2], strict=True))
    if not all(title_of(p) or p[-1] in "局委办院部" for _, p in pairs):
        return None
    return [(clean_person_name(n), p) for n, p in pairs]


def person(text: str, roster: Roster) -> tuple[str, str] | None:
    """(name, posts) of one person as a list writes them, either way round; None for a post.

    >>> r = Roster.bundled()
    >>> person("张  三  县长", r), person("县长 张三", r), person("张三县长", r)
    (('张三', '县长'), ('张三', '县长'), ('张三', '县长'))
    >>> person("张三（县发改局）", r), person("各乡镇镇长", r)
    (('张三', '县发改局'), None)
    """
    line = text.strip(" \t\u3000")
    if "\t" in line:
        return _row([c.strip() for c in line.split("\t") if c.strip()], roster)
    m: re.Match[str] | None = PADDED_NAME.match(line) or NAME.match(line)
    if m:
        name = m["a"] + m["b"] if "a" in m.groupdict() else m["name"]
        rest = line[m.end() :].strip()
        if is_person_name(name):
            if rest[:1] in "（(" and rest[-1:] in "）)":
                rest = rest[1:-1]
            return clean_person_name(name), rest
    if is_person_name(line):
        return clean_person_name(line), ""
    glued = split_glued(line, roster)
    if glued is not None:
        return glued
    post, name = split_person(line)
    return (name, post) if name is not None else None


def _name_first(line: str) -> bool:
    """Whether a line opens with a name set apart from what follows ("张三  县委副书记、县长")."""
    m = PADDED_NAME.match(line) or NAME.match(line)
    if m is None or m.end() == len(line):
        return False
    return is_person_name(m["a"] + m["b"] if "a" in m.groupdict() else m["name"])


def _row(cells: list[str], roster: Roster) -> tuple[str, str] | None:
    """A member table row without its role cell: a name cell and post cells in any order."""
    cells = [c for c in cells if not re.fullmatch(r"\d+[.、．]?", c)]
    name = None
    posts: list[str] = []
    for cell in cells:
        if name is None and is_person_name(cell):
            name = clean_person_name(cell)
        elif name is None and (found := person(cell, roster)) is not None and found[1]:
            name = found[0]
            posts.append(found[1])
        else:
            posts.append(cell)
    if name is None:
        return None
    if len(posts) == 2 and title_of(posts[1]) == posts[1] and title_of(posts[0]) is None:
        posts = [posts[0] + posts[1]]  # 单位 | 职务 columns
    return name, "、".join(posts)


def member(
    name: str, role: str, posts: str, chain: str | None, span: tuple[int, int],
    roster: Roster, region: str | None,
) -> Member:  # fmt: skip
    """A named member with the posts written after the name."""
    held = positions(re.split(r"[、，,；;]", posts), roster, region) if posts else []
    held = [p for p in held if p.unit or len(p.title) > 2 or title_of(p.title)]
    return Member(name=clean_person_name(name), role=role, positions=held, chain=chain, span=span)


def add_people(
    group: Group, who: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> None:
    """People and seats of a list: "县委副书记、县长张三", "县D局、县E局主要负责同志", "卢焱群、龙福清"."""
    pending: list[str] = []
    for entry in with_prefixes(split_items(who), roster):
        chain = None
        if leader := CHAIN_LEADER.search(entry):
            chain = leader["chain"].strip() or None
            entry = CHAIN_LEADER.sub("", entry)
        found = person(entry, roster)
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


def _add_seats(
    group: Group, text: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> None:
    seats = collective(text, roster, region, role)
    group.collective_members.extend(s.model_copy(update={"span": span}) for s in seats)


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
    several = NAME_BRACKET.findall(rest)
    if role == "成员单位":
        units = with_prefixes(split_items(rest), roster)
        for u in units:
            for m in unit_list(u, 0, len(u), Role.RESPONSIBLE):
                group.collective_members.extend(
                    s.model_copy(update={"span": span})
                    for s in seat(m.surface, m.surface, None, "成员", roster, region)
                )
    elif len(several) > 1 and not CHAIN_LEADER.search(rest):
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
        if leader := CHAIN_LEADER.search(rest):
            chain = leader["chain"].strip() or None
            rest = CHAIN_LEADER.sub("", rest)
        one = not re.search(r"[、，,；;]", rest.strip()) or _name_first(rest.strip())
        found = person(rest, roster) if one else None
        if found is not None:
            group.members.append(member(found[0], role, found[1], chain, span, roster, region))
        else:
            add_people(group, rest, role, span, roster, region)


# -------------------------------------------------------------------------------- lines


def _segments(line: str, start: int) -> Iterator[tuple[int, str]]:
    """A line cut before each role label it runs in ("…领导小组，组长：张三；副组长：李四")."""
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
            return re.sub(r"[ \u3000]", "", cell), "\t".join(rest)
    return None


def _continues_list(line: str) -> bool:
    """Whether a line without a role label continues a member list (not a sentence after it)."""
    stripped = line.strip()
    if not stripped or STOP_LIST.match(stripped) or len(stripped) > 60:
        return False
    return not re.search(r"[。，；]|设在|设于|兼任|担任", stripped)


def member_lines(
    text: str, roster: Roster, region: str | None, nearest: Callable[[int], Group]
) -> None:
    """Members of the labelled list lines and table rows of ``text``."""
    role: str | None = None
    group: Group | None = None
    kind: str | None = None  # what the list named so far: "people" or "units"
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        for start, seg in _segments(line, line_start):
            m = ROLE.match(seg)
            cell = _role_cell(seg) if m is None and "\t" in seg else None
            labelled = m is not None or cell is not None
            if m:
                role, rest = re.sub(r"[ \u3000]", "", m["role"]), m["rest"]
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


# ---------------------------------------------------------------------------- sentences


def sentence_members(
    text: str, roster: Roster, region: str | None, target: Callable[[int, int], Group]
) -> None:
    """Members stated in sentences: "由副县长张三同志任组长，…，县D局主要负责同志为成员"."""
    for sentence in re.finditer(r"[^。\n]+", text):
        s = sentence.group(0)
        if not re.search(ROLE_IN_SENTENCE, s) or ROLE.match(s):
            continue
        group = target(sentence.start(), sentence.end())
        for start, clause in _comma_clauses(s, sentence.start()):
            for at, c in _clauses(clause, start):
                m = CLAUSE.match(c)
                if not m:
                    continue
                role = m["role"] or m["role2"] or "成员"
                role = "成员" if role == "成员单位" else role
                who = m["who"] or m["who2"] or m["who3"]
                add_people(group, who, role, (at, at + len(c)), roster, region)


def _comma_clauses(sentence: str, at: int) -> list[tuple[int, str]]:
    """The clauses of a sentence, a member list that runs over commas kept whole
    ("成员由A、B，C、D负责同志组成", "成员单位为市委网信办，市发展改革委、财政局")."""
    raw = [(at + m.start(), m.group(0)) for m in re.finditer(r"[^，,；;]+", sentence)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(raw):
        start, clause = raw[i]
        i += 1
        head = LIST_OPEN.match(clause.strip())
        if head and head["by"] and not LIST_CLOSE.search(clause):
            end = next(
                (j for j in range(i, min(i + 8, len(raw))) if LIST_CLOSE.search(raw[j][1])), -1
            )
            if end >= 0:
                clause = "，".join([clause, *(c for _, c in raw[i : end + 1])])
                i = end + 1
        elif head and not head["by"]:
            while i < len(raw) and not LIST_STOP.search(raw[i][1]):
                clause = clause + "，" + raw[i][1]
                i += 1
        out.append((start, clause))
    return out


def _clauses(clause: str, at: int) -> Iterator[tuple[int, str]]:
    """Parts of a clause that each end in a role: "以县长为组长、分管副县长为副组长的…"."""
    c = clause.strip()
    c = re.sub(r"^(?:成立|组建|设立)(?=由|以)", "", c)
    c = GROUP_PREFIX.sub("", c)
    c = re.sub(r"的[^的]*(?:领导小组|专班|指挥部|工作小组|委员会|联席会议).*$", "", c)
    begin = 0
    for m in re.finditer(rf"(?:{ROLE_IN_SENTENCE})(?:单位)?、", c):
        yield at, c[begin : m.end() - 1]
        begin = m.end()
    yield at, c[begin:]
