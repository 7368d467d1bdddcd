"""Posts and people as group member lists write them: "县发改局局长", "张三县长", "县长 张三".

A post is a unit and a title ("县政协副主席" → 副主席 of 县政协). A title without a unit belongs
to the government of its level (副县长 → 县人民政府, 副州长 → 州人民政府, 副总理 → 国务院); an
uncommon title after a unit is split off by its shape ("县自然资源局总规划师", "县财政局综合股
股长"); a bare unit is a post without a title ("张三（县发改局）"). Descriptions before a post are
dropped ("负责住房和城乡建设工作的副市长" → 副市长).
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.record import Position
from ingest.extract import TITLES
from ingest.resolve import UNIT_SUFFIXES, Roster, clean_person_name

EXTRA_TITLES = (
    "总理",
    "副总理",
    "国务委员",
    "部长助理",
    "局长助理",
    "主任助理",
    "县长助理",
    "市长助理",
    "区长助理",
    "副行长",
    "署长",
    "副署长",
    "副总经理",
    "副董事长",
    "副院长",
    "副所长",
    "副站长",
    "副队长",
    "副社长",
    "副校长",
    "副政委",
    "州长",
    "副州长",
    "常务副州长",
    "常务副区长",
    "常务副省长",
    "旗长",
    "副旗长",
    "副镇长",
    "副乡长",
    "厅长",
    "副厅长",
    "司长",
    "副司长",
    "处长",
    "副处长",
    "科长",
    "副科长",
    "股长",
    "副股长",
    "科员",
    "副主任科员",
    "二级主任科员",
    "三级主任科员",
    "四级主任科员",
    "巡视员",
    "副巡视员",
    "一级巡视员",
    "二级巡视员",
    "副调研员",
    "一级调研员",
    "三级调研员",
    "总规划师",
    "总工程师",
    "总经济师",
    "总会计师",
    "总督学",
    "副总督学",
    "主任委员",
    "副主任委员",
    "常务副主任",
    "常务副局长",
    "党组副书记",
    "党组成员",
    "检察长",
    "副检察长",
    "庭长",
    "副庭长",
    "总队长",
    "支队长",
    "大队长",
    "会长",
    "副会长",
    "理事长",
    "副理事长",
    "职员",
    "专员",
    "秘书",
    "干事",
    "委员",
    "主要领导",
    "分管领导",
    "分管负责人",
)
ALL_TITLES = tuple(sorted(set(TITLES) | set(EXTRA_TITLES), key=len, reverse=True))
_BY_LENGTH = [
    (n, {t for t in ALL_TITLES if len(t) == n})
    for n in sorted({len(t) for t in ALL_TITLES}, reverse=True)
]
# A title the lists above do not hold, known by how it ends: 总农艺师, 综合股股长, 二级主任科员
TITLE_SHAPE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?(?:长|师|员|主任|书记|助理|专员|秘书|主席|经理|委员|干事|会计)$"
)
# a section inside a bureau: 规划股, 综合科, 财务室, 县发改局办公室 (not 县委办公室, a unit)
SUB_OFFICE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:科|股|(?<!办公)室)$|(?:局|委)办公室$")
IMPLIED_UNIT = {
    **dict.fromkeys(("县长", "副县长", "常务副县长", "县长助理"), "县人民政府"),
    **dict.fromkeys(("市长", "副市长", "常务副市长", "市长助理"), "市人民政府"),
    **dict.fromkeys(("区长", "副区长", "常务副区长", "区长助理"), "区人民政府"),
    **dict.fromkeys(("州长", "副州长", "常务副州长"), "州人民政府"),
    **dict.fromkeys(("省长", "副省长", "常务副省长"), "省人民政府"),
    **dict.fromkeys(("旗长", "副旗长"), "旗人民政府"),
    **dict.fromkeys(("镇长", "副镇长"), "镇人民政府"),
    **dict.fromkeys(("乡长", "副乡长"), "乡人民政府"),
    **dict.fromkeys(("总理", "副总理", "国务委员"), "国务院"),
}
LEVEL_END = re.compile(r"(?:[镇乡县市区旗州省]|自治区|自治州|自治县)$")
BARE_GOVERNMENT = re.compile(r"^(?P<level>.*?(?:[省市县区州旗盟镇乡]|自治区|自治州|自治县))政府$")
# "分管副县长", "县政府分管副县长": the seat is the title, the 分管 is how it is chosen
ASSIGNED = re.compile(r"(?:协助)?(?:分管|主管|联系|协管)(?=(?:常务)?副?[县市区省州旗镇乡]长|副)")
# a Han name of two to four characters, or a name written with a dot (买买提·艾力)
PERSON_NAME = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8}){1,3})$"
)
NOT_NAME = re.compile(
    r"(?:局|委|办|院|部|中心|政府|单位|部门|负责|同志|领导|成员|镇|乡|县|市|区|厅|署|银行|所|站|队)$"
    r"|^(?:[各省市县区国由为以按经在对将从及和与其如请报向于]|分管|主管|联系|协管|协助|常务|主要|有关"
    r"|相关|其他|全体|组成|担任|兼任|工作|办公|排名|不分|先后|包括|分别|按照|根据)"
    r"|负责|同志|领导|单位|部门|政府|成员|如下|名单|县长|市长|局长|主任|书记|部长|助理|[等）)]$"
)
LEVEL_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|自治县|省|市|县|区|州|旗|盟)(?:委(?!员))?"
    r"|[省市县区州旗]委(?!员)|[省市县区州旗](?!场))"
)
NO_PREFIX = re.compile(r"^(?:各|国家|国务院|中央|中共|中国|全国|人民银行|团|共青团|驻)")
BUREAU_END = re.compile(r"(?:局|委|办|委员会|办公室|中心|院|部|厅|署)$")
# compiled once: each runs on every post of every member list
SPACE = re.compile(r"[\s\u3000]+")
IN_CHARGE = re.compile(r"^(?:分管|主管|联系)(?=[^局委办院部]*$)")
UNIT_START = re.compile(r"[各省市县区州旗镇乡]|国务院|国家|中央|中共")
COUNTY_START = re.compile(r"[县市区](?![场域])")
PARTY_COMMITTEE = re.compile(r"[省市县区旗]委")
HEAD_OF = re.compile(r"(?:主要|分管|有关)?负责.*$")


def compact(text: str) -> str:
    """Text without padding, the 同志 suffix and closing punctuation."""
    # a text of letters only (most posts and names) holds no padding: no sub to run
    out = (text if text.isalnum() else SPACE.sub("", text)).strip("。.；;，,、：:")
    return out[:-2] if out.endswith("同志") and not out.endswith("负责同志") else out


@lru_cache(maxsize=16384)
def is_person_name(text: str) -> bool:
    """Whether ``text`` is a person's name and nothing else ("李 庭", "欧阳明华", not "县长").

    Kept per text: member lists ask about every cell and token, several times over (names
    only? side by side? a table row?), and a text's answer depends on nothing else.

    >>> [is_person_name(t) for t in ("李 庭", "欧阳明华", "县长", "县财政局", "各乡镇长")]
    [True, True, False, False, False]
    """
    name = clean_person_name(text)
    if not PERSON_NAME.match(name) or NOT_NAME.search(name):
        return False
    return title_of(name) is None


def government(unit: str) -> str:
    """A level's government written without 人民: 州政府 → 州人民政府, 佛山市政府 → 佛山市人民政府."""
    m = BARE_GOVERNMENT.match(unit) if "政府" in unit else None
    return m["level"] + "人民政府" if m else unit


@lru_cache(maxsize=16384)
def title_of(post: str) -> str | None:
    """The title a post ends with, from the known titles ("县政协副主席" → 副主席).

    Kept per post (asked of the same cells and posts again and again, a slice per title length).
    """
    for n, titles in _BY_LENGTH:
        if post[-n:] in titles:
            return post[-n:]
    return None


def unit_like(text: str, roster: Roster) -> bool:
    """Whether ``text`` names a unit (known to the roster, or shaped like one)."""
    if len(text) < 2:
        return False
    return roster.known(text) or (len(text) >= 3 and text.endswith(UNIT_SUFFIXES))


def split_post(text: str, roster: Roster, region: str | None) -> Position | None:
    """A post as written ("县政协副主席") → title and canonical unit.

    >>> r = Roster.bundled()
    >>> split_post("县政协副主席", r, "泽州县")
    Position(title='副主席', unit='县政协', surface='县政协副主席')
    >>> split_post("县长", r, "泽州县").unit, split_post("县发展和改革委员会局长", r, "泽州县").unit
    ('县人民政府', '县发展和改革局')
    >>> split_post("分管副县长", r, "泽州县").unit, split_post("县政府分管副县长", r, "泽州县").unit
    ('县人民政府', '县人民政府')
    >>> p = split_post("负责住房和城乡建设工作的副州长", r, "甲县"); (p.title, p.unit)
    ('副州长', '州人民政府')
    >>> p = split_post("县财政局综合股股长", r, "甲县"); (p.title, p.unit)
    ('综合股股长', '县财政局')
    >>> p = split_post("县发改局办公室主任", r, "甲县"); (p.title, p.unit)
    ('办公室主任', '县发展和改革局')
    >>> p = split_post("县自然资源局总农艺师", r, "甲县"); (p.title, p.unit)
    ('总农艺师', '县自然资源局')
    >>> p = split_post("县发改局", r, "甲县"); (p.title, p.unit)
    ('', '县发展和改革局')
    """
    post = compact(text)
    if "的" in post and len(post.rsplit("的", 1)[-1]) >= 2:
        post = post.rsplit("的", 1)[-1]  # "负责…工作的副市长"
    # both patterns need 分管/主管/协管/联系, which most posts lack
    if "管" in post or "联系" in post:
        post = ASSIGNED.sub("", post)
        post = IN_CHARGE.sub("", post)
    if not post:
        return None
    title = title_of(post)
    if title is not None:
        unit = post[: -len(title)].removesuffix("各")  # 市政府各副秘书长
        if not unit:
            unit = IMPLIED_UNIT.get(title, "")
        elif title in IMPLIED_UNIT and LEVEL_END.search(unit):
            unit += "人民政府"  # 白石镇镇长 heads 白石镇人民政府
        elif (
            unit.endswith(("科", "股", "室")) and SUB_OFFICE.search(unit) and not roster.known(unit)
        ):
            unit, title = _sub_office(unit, title)
        return _position(title, unit, post, roster, region)
    for at in range(len(post) - 2, 1, -1):  # the longest unit before a title of unknown form
        unit, rest = post[:at], post[at:]
        if unit.endswith(UNIT_SUFFIXES) and TITLE_SHAPE.match(rest) and unit_like(unit, roster):
            return _position(rest, unit, post, roster, region)
    if unit_like(post, roster):
        return _position("", post, post, roster, region)
    return Position(title=post, unit="", surface=post)


def _sub_office(unit: str, title: str) -> tuple[str, str]:
    """A post in a section of a bureau: 县财政局综合股 + 股长 → 县财政局, 综合股股长."""
    if unit.endswith("办公室"):
        return unit[:-3], "办公室" + title
    for at in range(len(unit) - 1, 2, -1):
        if BUREAU_END.search(unit[:at]):
            return unit[:at], unit[at:] + title
    return unit, title


def _position(title: str, unit: str, post: str, roster: Roster, region: str | None) -> Position:
    unit = government(unit)
    return Position(title=title, unit=roster.canonical(unit, region) if unit else "", surface=post)


def post_like(text: str, roster: Roster) -> bool:
    """Whether ``text`` is a whole post: a title, or a unit with or without a title after it."""
    post = compact(text)
    if not post:
        return False
    title = title_of(post)
    if title is not None:
        unit = post[: -len(title)]
        return not unit or _unit_start(unit, roster)
    return _unit_start(post, roster) and unit_like(post, roster)


def _unit_start(unit: str, roster: Roster) -> bool:
    return bool(UNIT_START.match(unit)) or roster.known(unit)


def split_person(text: str) -> tuple[str, str | None]:
    """(post, name) of "县发改局局长李四同志"; the name is None when only a post is given.

    >>> split_person("县发改局局长李四同志"), split_person("副县长 张三"), split_person("县长")
    (('县发改局局长', '李四'), ('副县长', '张三'), ('县长', None))
    """
    whole = compact(text)
    if title_of(whole) is not None:
        return whole, None
    for cut in (2, 3, 4):  # a name of two to four characters after the last title
        if len(whole) > cut and title_of(whole[:-cut]) and is_person_name(whole[-cut:]):
            return whole[:-cut], whole[-cut:]
    return whole, None


def split_glued(text: str, roster: Roster) -> tuple[str, str] | None:
    """(name, post) of a name written against its post: "张三县长", "王五县政府办主任".

    The shortest name whose rest is a whole post wins ("李四副县长" is 李四, "欧阳明县长" is 欧阳明).

    >>> r = Roster.bundled()
    >>> split_glued("张三县长", r), split_glued("欧阳明县长", r), split_glued("王五县发改局局长", r)
    (('张三', '县长'), ('欧阳明', '县长'), ('王五', '县发改局局长'))
    >>> split_glued("县长张三", r), split_glued("副县长", r)
    (None, None)
    """
    whole = compact(text)
    for k in (2, 3):
        name, rest = whole[:k], whole[k:]
        if len(rest) >= 2 and is_person_name(name) and _glued_post(rest, roster):
            return name, rest
    return None


def _glued_post(rest: str, roster: Roster) -> bool:
    """A post after a glued name: a bare title, or a unit the roster knows or a county's
    ("广东省…" after "广东" is a place, not 广东 holding a post)."""
    if not post_like(rest, roster):
        return False
    title = title_of(rest)
    unit = rest[: -len(title)] if title else rest
    return not unit or roster.known(unit) or bool(COUNTY_START.match(unit))


def positions(posts: list[str], roster: Roster, region: str | None) -> list[Position]:
    """Posts of one person; "县委常委、组织部部长": a bare department sits in the 县委 before it."""
    out: list[Position] = []
    for part in posts:
        p = split_post(part, roster, region)
        if p is None:
            continue
        party = out[-1].unit if out else ""
        if p.unit and party and PARTY_COMMITTEE.fullmatch(party) and not LEVEL_PREFIX.match(p.unit):
            p = Position(
                title=p.title, unit=roster.canonical(party + p.unit, region), surface=p.surface
            )
        out.append(p)
    return out


def with_prefixes(items: list[str], roster: Roster) -> list[str]:
    """Units of a list written with the level only on the first ("市发展改革局、公安局").

    >>> with_prefixes(["市委军民融合办", "机要保密局", "市发改局", "公安局"], Roster.bundled())
    ['市委军民融合办', '市委机要保密局', '市发改局', '市公安局']
    >>> with_prefixes(["市委网信办", "农业农村局"], Roster.bundled())
    ['市委网信办', '市农业农村局']
    >>> with_prefixes(["教育部", "民政部"], Roster.bundled())
    ['教育部', '民政部']
    """
    out: list[str] = []
    prefix = ""
    for item in items:
        own = LEVEL_PREFIX.match(item)
        if own or NO_PREFIX.match(item) or roster.known(item):
            prefix = own.group(0) if own else ""
            out.append(item)
        elif prefix and BUREAU_END.search(unit := HEAD_OF.sub("", item)):
            level = prefix[:-1] if prefix.endswith("委") else prefix
            # "市委网信办、农业农村局": a bureau the government has is not the 市委's
            out.append((level if roster.known(level + unit) else prefix) + item)
        else:
            out.append(item)
    return out
