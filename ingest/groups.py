"""Leading groups (领导小组), task forces (工作专班) and commands (指挥部): name, office, members.

Members come from list lines ("组  长：张三  县长", continuation lines without a role, table
rows "组长<TAB>张三<TAB>县长") in an annex or the body, and from sentences ("由副县长张三同志任
组长，县发改局局长李四同志任副组长，县财政局、县工信局主要负责同志为成员"). A member's positions
are split on 、 and each into unit and title; a post without a unit (县长) belongs to the
government of its level. A member given by position only ("县D局主要负责同志", "各乡镇镇长",
"分管副县长") is a collective member: the unit takes the seat, the person is not named.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.record import CollectiveMember, Group, Member, OfficePost, Position
from graph.schema import Role
from ingest.extract import TITLES, mentions
from ingest.resolve import Roster, clean_person_name
from ingest.structure import unit_list

GROUP_WORDS = r"(?:领导小组|工作专班|指挥部|工作小组|推进小组|工作领导组|专班)"
GROUP_AT = re.compile(rf"(?P<name>[\u4e00-\u9fff（）]{{0,40}}?{GROUP_WORDS})")
ESTABLISH = re.compile(r"(?:成立|组建|设立|建立|调整|组成|充实)")
ANNEX_TITLE = re.compile(
    rf"^(?P<name>[\u4e00-\u9fff（）]{{2,40}}?{GROUP_WORDS})"
    r"(?=主要职责|组成人员|成员名单|人员名单|及|名单|成员|$)"
)
OFFICE_AT = re.compile(r"办公室[^。；;\n]{0,8}?设(?:在|于)(?P<unit>[^，,。；;、\n（()）]{1,40})")
DIRECTOR = re.compile(
    r"(?<!副)主任由(?P<post>[^，,。；;\n]{1,40}?)(?:同志)?(?:兼任|担任)"
    r"|(?P<post2>[^，,。；;\n由]{1,40}?)(?:同志)?(?:兼任|担任|任)(?:办公室)?主任"
)
DEPUTY = re.compile(
    r"副主任由(?P<post>[^，,。；;\n]{1,40}?)(?:同志)?(?:兼任|担任)"
    r"|(?P<post2>[^，,。；;\n由]{1,40}?)(?:同志)?(?:兼任|担任|任)(?:办公室)?副主任"
)
ROLE_WORDS = (
    r"常\s*务\s*副\s*组\s*长|副\s*组\s*长|第\s*一\s*组\s*长|双\s*组\s*长|组\s*长|成\s*员\s*单\s*位|成\s*员|(?:副\s*)?总\s*指\s*挥|(?:副\s*)?指\s*挥\s*长"
    r"|顾\s*问|(?:副\s*)?专\s*班\s*长|(?:副\s*)?召\s*集\s*人|(?:副\s*)?链\s*长"
)
ROLE = re.compile(rf"^\s*(?P<role>{ROLE_WORDS})\s*(?:[：:]|\t)\s*(?P<rest>.*)$")
ROLE_IN_SENTENCE = r"常务副组长|副组长|第一组长|双组长|组长|成员|副总指挥|总指挥|副指挥长|指挥长|副专班长|专班长|召集人"
PADDED_NAME = re.compile(
    r"^(?P<a>[\u4e00-\u9fff])[ \u3000]{1,3}(?P<b>[\u4e00-\u9fff])(?:[ \u3000\t]+|$)"
)
NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,4})(?:同志)?(?:[ \u3000\t]+|$|(?=[（(]))")
CHAIN_LEADER = re.compile(r"[（(](?P<chain>[^（）()]*?)链长[）)]")
IMPLIED_UNIT = {
    "县长": "县人民政府",
    "副县长": "县人民政府",
    "常务副县长": "县人民政府",
    "市长": "市人民政府",
    "副市长": "市人民政府",
    "常务副市长": "市人民政府",
    "区长": "区人民政府",
    "副区长": "区人民政府",
    "常务副区长": "区人民政府",
    "省长": "省人民政府",
    "副省长": "省人民政府",
    "镇长": "镇人民政府",
}
_TITLES_LONGEST = sorted(TITLES, key=len, reverse=True)
STOP_LIST = re.compile(
    r"^(?:[一二三四五六七八九十]+、|抄送|附件|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)
LEVELLED = re.compile(r"^(?:[省市县区旗各]|[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|旗))")
PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
NOT_NAME = re.compile(r"(?:局|委|办|院|部|中心|政府|单位|部门|负责|同志|领导|成员|镇|乡|县|市|区)$")
COLLECTIVE_POST = re.compile(r"(?:主要|分管|有关|相关)?(?:负责同志|负责人|领导同志|领导)$")


def split_post(text: str, roster: Roster, region: str | None) -> Position | None:
    """A post as written ("县政协副主席") → title and canonical unit.

    >>> r = Roster.bundled()
    >>> split_post("县政协副主席", r, "泽州县")
    Position(title='副主席', unit='县政协', surface='县政协副主席')
    >>> split_post("县长", r, "泽州县").unit, split_post("县发展和改革委员会局长", r, "泽州县").unit
    ('县人民政府', '县发展和改革局')
    >>> split_post("分管副县长", r, "泽州县").unit
    '县人民政府'
    """
    post = re.sub(r"[\s\u3000]+", "", text).removesuffix("同志")
    post = re.sub(r"^(?:分管|主管|联系)(?=[^局委办院部]*$)", "", post)
    if not post:
        return None
    for title in _TITLES_LONGEST:
        if post.endswith(title):
            unit = post[: -len(title)]
            if not unit:
                unit = IMPLIED_UNIT.get(title, "")
            elif title in IMPLIED_UNIT and re.search(r"[镇乡县市区旗]$", unit):
                unit += "人民政府"  # 白石镇镇长 heads 白石镇人民政府
            return Position(
                title=title, unit=roster.canonical(unit, region) if unit else "", surface=post
            )
    return Position(title=post, unit="", surface=post)


def split_person(text: str) -> tuple[str, str | None]:
    """(post, name) of "县发改局局长李四同志"; the name is None when only a post is given.

    >>> split_person("县发改局局长李四同志"), split_person("副县长 张三"), split_person("县长")
    (('县发改局局长', '李四'), ('副县长', '张三'), ('县长', None))
    """
    compact = re.sub(r"[\s\u3000]+", "", text).removesuffix("同志")
    best: tuple[str, str | None] = (compact, None)
    for title in _TITLES_LONGEST:
        at = compact.rfind(title)
        if at < 0:
            continue
        name = compact[at + len(title) :]
        if not name:
            return compact, None
        if PERSON_NAME.match(name) and not NOT_NAME.search(name):
            return compact[: at + len(title)], name
    return best


def _member_line(line: str) -> tuple[str, str] | None:
    """(name, posts) of a member line without its role label."""
    line = line.strip(" \t\u3000")
    if "\t" in line:
        first, _, rest = line.partition("\t")
        post, name = split_person(first)
        if name is not None and not rest.strip():
            return name, post  # "县长张三" in one cell
        is_post = any(first.strip().endswith(t) for t in TITLES)
        if 2 <= len(clean_person_name(first)) <= 4 and not NOT_NAME.search(first) and not is_post:
            return clean_person_name(first), rest.strip()
        if name is None and PERSON_NAME.match(clean_person_name(rest.split("\t")[0])):
            return clean_person_name(rest.split("\t")[0]), first  # post, then name
    m: re.Match[str] | None = PADDED_NAME.match(line) or NAME.match(line)
    if m:
        name = m["a"] + m["b"] if "a" in m.groupdict() else m["name"]
        rest = line[m.end() :].strip()
        if not NOT_NAME.search(name) and not any(name.endswith(t) for t in TITLES):
            if rest[:1] in "（(" and rest[-1:] in "）)":
                rest = rest[1:-1]
            return clean_person_name(name), rest
    post, person = split_person(line)
    if person is not None:
        return person, post  # "县长  张三", "副县长张三"
    return None


def _collective(
    text: str, roster: Roster, region: str | None, role: str | None = None
) -> list[CollectiveMember]:
    """各乡镇镇长 → the heads of 各乡镇人民政府; 县D局、县E局主要负责同志 → those units."""
    post = re.sub(r"[\s\u3000]+", "", text).removesuffix("等")
    written = post
    post = re.sub(
        r"乡[（(]镇[）)]长$|乡镇长$", "乡镇镇长", post
    )  # 各乡（镇）长: every township head
    tail = COLLECTIVE_POST.search(post)
    if not post.startswith("各") and tail is None:
        return []
    if tail is not None:
        head = post[: tail.start()]
        units = [m.surface for m in unit_list(head, 0, len(head), Role.RESPONSIBLE)]
        return [
            CollectiveMember(
                text=post if len(units) == 1 else u + tail.group(0),
                unit=roster.canonical(u, region),
                title=tail.group(0),
                role=role,
            )
            for u in units
            if u
        ]
    for title in _TITLES_LONGEST:
        if post.endswith(title):
            unit = roster.canonical(post[: -len(title)], region)
            if title in IMPLIED_UNIT and not roster.known(unit) and not unit.endswith("政府"):
                unit += "人民政府"  # 各乡镇镇长 → the heads of 各乡镇人民政府
            return [
                CollectiveMember(
                    text=written, unit=roster.canonical(unit, region), title=title, role=role
                )
            ]
    return [CollectiveMember(text=written, unit=roster.canonical(post, region), role=role)]


def group_names(text: str) -> list[tuple[int, str]]:
    """(offset, name) of every group the text establishes or lists members of."""
    names: list[tuple[int, str]] = []
    for sentence in re.finditer(r"[^。；\n]+", text):
        s = sentence.group(0)
        est = ESTABLISH.search(s)
        if not est:
            continue
        for m in GROUP_AT.finditer(s, est.end()):
            name = _clean_name(m["name"])
            if name and not re.match(rf"^{GROUP_WORDS}$", name):
                names.append((sentence.start() + m.start(), name))
                break
    pos = 0
    for line in text.split("\n"):
        title = ANNEX_TITLE.match(line.strip())
        if title and (line.strip() != title["name"] or not names):
            name = _clean_name(title["name"])
            if name:
                names.append((pos, name))
        pos += len(line) + 1
    return sorted(names)


def _clean_name(name: str) -> str:
    name = name.rsplit("的", 1)[-1]
    name = re.sub(r"^(?:成立|组建|设立|建立|调整|充实|完善|健全|了)+", "", name)
    return name if len(name) > 3 else ""


def parse_groups(text: str, roster: Roster, region: str | None) -> list[Group]:
    """Groups named or listed in ``text`` with their office and members."""
    names = group_names(text)
    if not names:
        return []
    groups: dict[str, Group] = {}
    for _, name in names:
        groups.setdefault(name, Group(name=name))
    first = groups[names[0][1]]

    def nearest(offset: int) -> Group:
        before = [n for at, n in names if at <= offset]
        return groups[before[-1]] if before else first

    for m in OFFICE_AT.finditer(text):
        g = nearest(m.start())
        if g.office_unit is None:
            g.office_unit = roster.canonical(_first_unit(m["unit"]), region)
    _members(text, roster, region, nearest)
    _sentence_members(text, roster, region, nearest, names, groups)
    for m in DIRECTOR.finditer(text):
        if not re.search(r"办公室|下设|设在", text[max(0, m.start() - 40) : m.end()]):
            continue
        g = nearest(m.start())
        post = _office_post(m["post"] or m["post2"], g, roster, region)
        if post and g.office_director is None:
            g.office_director = post
    for m in DEPUTY.finditer(text):
        g = nearest(m.start())
        post = _office_post(m["post"] or m["post2"], g, roster, region)
        if post and g.office_deputy_director is None:
            g.office_deputy_director = post
    return list(groups.values())


def _office_post(text: str, group: Group, roster: Roster, region: str | None) -> OfficePost | None:
    """The post that fills an office seat: "县工信局局长", or a member named ("由赵六同志兼任")."""
    post_text, name = split_person(text)
    post = split_post(post_text, roster, region)
    if post is not None and post.unit:
        return OfficePost(title=post.title, unit=post.unit)
    named = clean_person_name(name or post_text)
    for member in group.members:
        if member.name == named:
            held = next((p for p in member.positions if p.unit), None)
            if held is not None:
                return OfficePost(title=held.title, unit=held.unit)
    return None


def _first_unit(text: str) -> str:
    found = [m for m in mentions(text) if m.label == "UNIT" and m.start <= 1]
    return found[0].text if found else re.split(r"负责|承担|具体", text)[0]


def _members(
    text: str, roster: Roster, region: str | None, nearest: Callable[[int], Group]
) -> None:
    role: str | None = None
    group: Group | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        m = ROLE.match(line)
        if m:
            role = re.sub(r"\s", "", m["role"])
            rest = m["rest"]
            group = nearest(start)
        elif role is not None and _continues_list(line):
            rest = line
        else:
            role = None
            continue
        assert group is not None
        if not rest.strip():
            continue
        if not _add_line(group, rest, role, (start, start + len(line)), roster, region):
            role = None


def _positions(posts: list[str], roster: Roster, region: str | None) -> list[Position]:
    """Posts of one person; "县委常委、组织部部长": a bare department sits in the 县委 before it."""
    out: list[Position] = []
    for part in posts:
        p = split_post(part, roster, region)
        if p is None:
            continue
        party = out[-1].unit if out else ""
        if p.unit and re.fullmatch(r"[省市县区旗]委", party) and not LEVELLED.match(p.unit):
            p = Position(
                title=p.title, unit=roster.canonical(party + p.unit, region), surface=p.surface
            )
        out.append(p)
    return out


def _bare_name(text: str) -> bool:
    name = clean_person_name(text)
    is_post = any(name.endswith(t) for t in TITLES)
    return bool(PERSON_NAME.match(name)) and not NOT_NAME.search(name) and not is_post


def _continues_list(line: str) -> bool:
    """Whether a line without a role label continues a member list (not a sentence after it)."""
    stripped = line.strip()
    if not stripped or STOP_LIST.match(stripped) or len(stripped) > 60:
        return False
    return not re.search(r"[。，；]|设在|设于|兼任|担任", stripped)


def _add_line(
    group: Group, rest: str, role: str, span: tuple[int, int], roster: Roster, region: str | None
) -> bool:
    """Add the members a list line names; False when the line names none."""
    before = len(group.members) + len(group.collective_members)
    several = re.findall(r"([\u4e00-\u9fff·]{2,4})(?:同志)?[（(]([^（）()]+)[）)]", rest)
    if role == "成员单位":
        for m in unit_list(rest, 0, len(rest), Role.RESPONSIBLE):
            unit = roster.canonical(m.surface, region)
            group.collective_members.append(
                CollectiveMember(text=m.surface, unit=unit, role="成员", span=span)
            )
    elif len(several) > 1 and not CHAIN_LEADER.search(rest):
        for name, posts in several:
            group.members.append(_member(name, role, posts, None, span, roster, region))
    elif _collective_text(rest):
        collective = _collective(rest, roster, region, role)
        group.collective_members.extend(c.model_copy(update={"span": span}) for c in collective)
    else:
        chain = None
        if leader := CHAIN_LEADER.search(rest):
            chain = leader["chain"].strip() or None
            rest = CHAIN_LEADER.sub("", rest)
        parsed = _member_line(rest)
        if parsed is not None:
            group.members.append(_member(parsed[0], role, parsed[1], chain, span, roster, region))
        else:
            _add_people(group, rest, role, span[0], roster, region)
    return len(group.members) + len(group.collective_members) > before


def _member(
    name: str,
    role: str,
    posts: str,
    chain: str | None,
    span: tuple[int, int],
    roster: Roster,
    region: str | None,
) -> Member:
    positions = _positions(re.split(r"[、，,；;]", posts), roster, region)
    return Member(
        name=clean_person_name(name), role=role, positions=positions, chain=chain, span=span
    )


def _collective_text(text: str) -> bool:
    post = re.sub(r"[\s\u3000]+", "", text)
    return post.startswith("各") or COLLECTIVE_POST.search(post) is not None


def _sentence_members(
    text: str,
    roster: Roster,
    region: str | None,
    nearest: Callable[[int], Group],
    names: list[tuple[int, str]],
    groups: dict[str, Group],
) -> None:
    """Members stated in sentences: "由副县长张三同志任组长，…，县D局主要负责同志为成员"."""
    clause_re = re.compile(
        rf"^(?:由|以)?(?P<who>.+?)(?:(?<!负责)同志)?(?:任|担任|兼任|为)(?P<role>{ROLE_IN_SENTENCE})(?:单位)?$"
        rf"|^(?P<role2>{ROLE_IN_SENTENCE})由(?P<who2>.+?)(?:(?<!负责)同志)?(?:担任|兼任|组成)$"
        rf"|^(?:成员|成员单位)(?:为|包括)(?P<who3>.+)$"
    )
    for sentence in re.finditer(r"[^。\n]+", text):
        s = sentence.group(0)
        if not re.search(ROLE_IN_SENTENCE, s) or ROLE.match(s):
            continue
        inside = [n for at, n in names if sentence.start() <= at < sentence.end()]
        target = groups[inside[-1]] if inside else nearest(sentence.start())
        for clause in re.finditer(r"[^，,；;]+", s):
            c = clause.group(0).strip()
            c = re.sub(r"^(?:成立|组建|设立)(?:由|以)?", "", c)
            c = re.sub(rf"的[\u4e00-\u9fff（）]*{GROUP_WORDS}.*$", "", c)
            m = clause_re.match(c)
            if not m:
                continue
            role = m["role"] or m["role2"] or "成员"
            if role == "成员单位":
                role = "成员"
            who = m["who"] or m["who2"] or m["who3"]
            _add_people(target, who, role, sentence.start() + clause.start(), roster, region)


def _add_people(
    group: Group, who: str, role: str, at: int, roster: Roster, region: str | None
) -> None:
    span = (at, at + len(who))
    if _collective_text(who):
        group.collective_members.extend(
            c.model_copy(update={"span": span}) for c in _collective(who, roster, region, role)
        )
        return
    pending: list[str] = []
    for entry in re.split(r"[、，,]", who):
        entry = entry.strip()
        if not entry:
            continue
        chain = None
        if leader := CHAIN_LEADER.search(entry):
            chain = leader["chain"].strip() or None
            entry = CHAIN_LEADER.sub("", entry)
        post, name = split_person(entry)
        if name is None and _bare_name(entry):
            post, name = "", clean_person_name(entry)  # "组长：张三、李四" names without posts
        if name is None:
            pending.append(post)
            continue
        posts = [p for p in [*pending, post] if p]
        pending = []
        positions = _positions(posts, roster, region)
        group.members.append(
            Member(name=name, role=role, positions=positions, chain=chain, span=span)
        )
    for post in pending:  # posts without a person: the unit holds the seat
        p = split_post(post, roster, region)
        if p is not None and p.unit:
            group.collective_members.append(
                CollectiveMember(text=post, unit=p.unit, title=p.title, role=role, span=span)
            )
