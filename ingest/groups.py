"""Leading groups (领导小组), task forces (工作专班) and commands (指挥部): name, office, members.

Members come from list lines ("组  长：武小雅  县长", continuation lines without a role) in an
annex or the body. A member's positions are split on 、 and each into unit and title; a post
without a unit (县长) belongs to the government of its level. Collective members (各乡镇镇长)
name the heads of a collective unit.
"""

from __future__ import annotations

import re

from graph.record import CollectiveMember, Group, Member, OfficePost, Position
from ingest.extract import TITLES
from ingest.resolve import Roster, clean_person_name

GROUP_WORDS = r"(?:领导小组|工作专班|指挥部|工作小组|推进小组|工作领导组)"
FOUND = re.compile(rf"成立(?:了)?(?P<name>[\u4e00-\u9fff（）]{{2,40}}?{GROUP_WORDS})")
ANNEX_TITLE = re.compile(
    rf"^(?P<name>[\u4e00-\u9fff（）]{{2,40}}?{GROUP_WORDS})(?=主要职责|组成人员|成员名单|人员名单|及|名单|$)"
)
OFFICE_AT = re.compile(r"办公室设在(?P<unit>[^，,。；;、\n（(]+)")
DIRECTOR = re.compile(
    r"(?<!副)主任由(?P<post>[^，,。；;\n]+?)(?:同志)?(?:兼任|担任)"
    r"|(?P<post2>[^，,。；;\n由]+?)(?:同志)?兼任(?:办公室)?主任"
)
DEPUTY = re.compile(r"副主任由(?P<post>[^，,。；;\n]+?)(?:同志)?(?:兼任|担任)")
ROLE = re.compile(
    r"^\s*(?P<role>常\s*务\s*副\s*组\s*长|副\s*组\s*长|组\s*长|成\s*员|(?:副\s*)?总\s*指\s*挥"
    r"|(?:副\s*)?指\s*挥\s*长|顾\s*问|专\s*班\s*长|(?:副\s*)?召\s*集\s*人)\s*[：:]\s*(?P<rest>.*)$"
)
PADDED_NAME = re.compile(
    r"^(?P<a>[\u4e00-\u9fff])[ \u3000]{1,3}(?P<b>[\u4e00-\u9fff])(?:[ \u3000\t]+|$)"
)
NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,4})(?:同志)?(?:[ \u3000\t]+|$)")
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
    r"^(?:[一二三四五六七八九十]+、|抄送|附件|[（(][一二三四五六七八九十]+[）)])"
)


def split_post(text: str, roster: Roster, region: str | None) -> Position | None:
    """A post as written ("县政协副主席") → title and canonical unit.

    >>> r = Roster.bundled()
    >>> split_post("县政协副主席", r, "泽州县")
    Position(title='副主席', unit='县政协', surface='县政协副主席')
    >>> split_post("县长", r, "泽州县").unit, split_post("县发展和改革委员会局长", r, "泽州县").unit
    ('县人民政府', '县发展和改革局')
    """
    post = re.sub(r"[\s\u3000]+", "", text).removesuffix("同志")
    if not post:
        return None
    for title in _TITLES_LONGEST:
        if post.endswith(title):
            unit = post[: -len(title)]
            if not unit:
                unit = IMPLIED_UNIT.get(title, "")
            return Position(
                title=title, unit=roster.canonical(unit, region) if unit else "", surface=post
            )
    return Position(title=post, unit="", surface=post)


def _member_line(line: str) -> tuple[str, str] | None:
    """(name, posts) of a member line without its role label."""
    line = line.strip(" \t\u3000")
    if "\t" in line:
        name, _, posts = line.partition("\t")
        if 2 <= len(clean_person_name(name)) <= 4:
            return clean_person_name(name), posts.strip()
    m = PADDED_NAME.match(line) or NAME.match(line)
    if not m:
        return None
    name = m["a"] + m["b"] if "a" in m.groupdict() else m["name"]
    return clean_person_name(name), line[m.end() :].strip()


def _collective(text: str, roster: Roster, region: str | None) -> CollectiveMember | None:
    """各乡镇镇长 → the heads of 各乡镇人民政府; 县D局主要负责同志 → the unit itself."""
    post = re.sub(r"[\s\u3000]+", "", text)
    if not post.startswith("各") and "负责同志" not in post and "负责人" not in post:
        return None
    for title in _TITLES_LONGEST:
        if post.endswith(title):
            unit = post[: -len(title)]
            if unit.startswith("各") and not unit.endswith(("政府", "单位", "部门", "局")):
                unit = roster.canonical(unit, region)
                if not unit.endswith(("政府", "单位", "部门")):
                    unit += "人民政府"
            return CollectiveMember(text=post, unit=roster.canonical(unit, region), title=title)
    return CollectiveMember(text=post, unit=roster.canonical(post, region))


def parse_groups(text: str, roster: Roster, region: str | None) -> list[Group]:
    """Groups named or listed in ``text`` with their office and members."""
    names: list[tuple[int, str]] = [(m.start(), m["name"]) for m in FOUND.finditer(text)]
    pos = 0
    for line in text.split("\n"):
        m = ANNEX_TITLE.match(line.strip())
        if m and (line.strip() != m["name"] or not names):
            names.append((pos, m["name"]))
        pos += len(line) + 1
    if not names:
        return []
    groups: dict[str, Group] = {}
    for _, name in sorted(names):
        groups.setdefault(name, Group(name=name))
    first = groups[min(names)[1]]

    def nearest(offset: int) -> Group:
        before = [n for at, n in sorted(names) if at <= offset]
        return groups[before[-1]] if before else first

    for m in OFFICE_AT.finditer(text):
        g = nearest(m.start())
        g.office_unit = g.office_unit or roster.canonical(m["unit"].strip(), region)
    for m in DIRECTOR.finditer(text):
        post = split_post(m["post"] or m["post2"], roster, region)
        g = nearest(m.start())
        if post and post.unit and g.office_director is None:
            g.office_director = OfficePost(title=post.title, unit=post.unit)
    for m in DEPUTY.finditer(text):
        post = split_post(m["post"], roster, region)
        g = nearest(m.start())
        if post and post.unit and g.office_deputy_director is None:
            g.office_deputy_director = OfficePost(title=post.title, unit=post.unit)
    _members(text, roster, region, nearest)
    return list(groups.values())


def _members(text: str, roster: Roster, region: str | None, nearest: object) -> None:
    role: str | None = None
    group: Group | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        m = ROLE.match(line)
        if m:
            role = re.sub(r"\s", "", m["role"])
            rest = m["rest"]
            group = nearest(start)  # type: ignore[operator]
        elif role is not None and not STOP_LIST.match(line.strip()) and line.strip():
            rest = line
        else:
            role = None
            continue
        assert group is not None
        if not rest.strip():
            continue
        collective = _collective(rest, roster, region)
        if collective is not None:
            collective.span = (start, start + len(line))
            group.collective_members.append(collective)
            continue
        parsed = _member_line(rest)
        if parsed is None:
            role = None
            continue
        name, posts = parsed
        chain = None
        leader = CHAIN_LEADER.search(posts)
        if leader:
            chain = leader["chain"].strip() or None
            posts = CHAIN_LEADER.sub("", posts)
        positions = [
            p
            for part in re.split(r"[、，,；;]", posts)
            if (p := split_post(part, roster, region)) is not None
        ]
        group.members.append(
            Member(
                name=name,
                role=role,
                positions=positions,
                chain=chain,
                span=(start, start + len(line)),
            )
        )
