"""Places: the administrative area of an issuing body, a title or a text.

A region is written with its level (泽州县, 晋城市, 恩施州, 内蒙古自治区, 大同镇, 城关街道);
central bodies (国务院, its offices, the Party centre, ministries) are ``"全国"``.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["NATIONAL", "REGION", "SEAL", "TOWN", "region_of", "stated_region", "title_region"]

NATIONAL = "全国"
# a signature's seal note: 甲县人民政府（代章）
SEAL = re.compile(r"\s*[（(]\s*(?:代章|印章|盖章|公章)\s*[）)]\s*")


def _place(name: str, group: str = "region") -> str:
    """A place name ending with its level, where the level does not run on into another one.

    泽州|县 and 杭州|市 run on (the place is 泽州县, 杭州市); a level repeated is the place's own
    body: 甲县|县委, 甲市|市场监督管理局.
    """
    lv = group + "_lv"
    return (
        rf"(?P<{group}>{name}(?:自治)?(?P<{lv}>[省市县区旗州盟]))"
        rf"(?!(?!(?P={lv}))[省市县区旗州盟])"
    )


_LEVEL = "(?:自治)?[省市县区旗州盟]"
REGION = re.compile(
    "^"
    + _place(r"[\u4e00-\u9fff]{1,12}?")
    + r"(?:人民政府|政府|委员会|党委|人大|政协|办公室|行政公署|行署"
    r"|[\u4e00-\u9fff]{0,12}?(?:局|委|厅|办|中心|行))"
)
# a township's own bodies; 乡 and 镇 also end ordinary words (城乡), so only before these
TOWN = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{1,10}?(?:镇|乡|街道))"
    r"(?:人民政府|政府|党委|委员会|办事处|党工委|人大|办公室)"
)
# a lower level's own body after an upper level's name: 云州市|晴岭区委办公室
_INNER = re.compile(
    "^"
    + _place(r"[^\W\d_局委厅办部院署行心]{1,12}?")
    + "(?:人民政府|政府|委|党委|人大|政协|办公室)"
)
# the upper level of a two-level name: 晋城市|泽州县, 山西省|晋城市
_UPPER = re.compile("^" + _place(r"[\u4e00-\u9fff]+?", "upper"))
# a title that starts with its region: 泽州县促进…方案 (not 城市…, 全县…, 社区…)
_TITLE_REGION = re.compile("^" + _place(r"[^\W\d_关全本我各该城农社]{1}[\u4e00-\u9fff]{0,7}?"))
# central bodies: the State Council and its offices, the Party centre, NPC, courts, 国家… bodies
_CENTRAL = re.compile(
    r"^(?:中共中央|中国共产党中央|(?:共青团)?中央|国务院|国办|全国|中华全国|最高人民法院"
    r"|最高人民检察院|国家(?!级)|中国(?!共产党)|海关总署|审计署)"
)
# a ministry named without a place: 教育部, 住房和城乡建设部办公厅, 税务总局
_MINISTRY = re.compile(r"^[\u4e00-\u9fff]{2,12}?(?:部|总局|总署)(?:办公厅)?(?=$|[\s、，,])")
# a central body's local branch: 国家税务总局|泽州县税务局, 中国人民银行|泽州县支行, 中国气象局|…
_BRANCH = re.compile(r"^.*?(?:局|行|署|队|部|会)(?P<rest>[\u4e00-\u9fff]{3,20})$")
_RELATIVE = "省市县区州乡镇旗盟"  # 市委组织部: the city's, not a ministry
_PARTY = re.compile(r"^(?:中共|中国共产党)")

_OWN_PLACE = re.compile(r"结合(?P<place>[\u4e00-\u9fff]{1,6}?)(?P<level>省|市|县|区|州)?的?实际")
_NOT_PLACE = re.compile(
    r"实际|工作|情况|域|部门|单位|行业|企业|自身|地方|职能|职责|岗位|产业|发展|特点|需|项目|城市|农村|乡村"
)
_OWN_BODIES = re.compile(r"([省市县区州])(?:委|政府|人民政府)(?![\u4e00-\u9fff]?[部办局])")


def region_of(name: str) -> str | None:
    """The administrative area of an issuing body.

    Central bodies (国务院, 国务院办公厅, the Party centre, ministries) give ``"全国"``; their
    local branches the branch's area.

    >>> region_of("泽州县人民政府办公室"), region_of("晋城市泽州县人民政府"), region_of("国办")
    ('泽州县', '泽州县', '全国')
    >>> region_of("恩施州人民政府"), region_of("大同镇人民政府"), region_of("住房和城乡建设部")
    ('恩施州', '大同镇', '全国')
    >>> region_of("中共甲县县委办公室"), region_of("国家税务总局泽州县税务局")
    ('甲县', '泽州县')
    >>> region_of("市委组织部") is None
    True
    """
    name = SEAL.sub("", re.sub(r"\s", "", name))
    if _CENTRAL.match(name):
        branch = _BRANCH.match(name)
        local_branch = region_of(branch["rest"]) if branch else None
        return local_branch if local_branch not in (None, NATIONAL) else NATIONAL
    local = _PARTY.sub("", name)
    if m := REGION.match(local):
        region, rest = m["region"], local[m.end("region") :]
        while inner := _INNER.match(rest):  # 云州市|晴岭区委: the lower level's own body
            region, rest = inner["region"], rest[inner.end("region") :]
        if town := TOWN.match(rest):
            return town["region"]
        return _lowest(region)
    if m := TOWN.match(local):
        while (upper := _UPPER.match(local)) and (inner := TOWN.match(local[upper.end() :])):
            local, m = local[upper.end() :], inner  # 甲县|辛镇人民政府
        return m["region"]
    if _MINISTRY.match(name) and name[0] not in _RELATIVE:
        return NATIONAL
    return None


def _lowest(region: str) -> str:
    """The lowest level of a place named with its upper levels: 山西省晋城市泽州县 → 泽州县."""
    while (upper := _UPPER.match(region)) and len(region) - upper.end() >= 2:
        lower = region[upper.end() :]
        if not re.search(rf"{_LEVEL}$", lower):
            break
        region = lower
    return region


def title_region(title: str) -> str | None:
    """The region a title starts with: 泽州县促进…方案 (not 城市…, 全县…, 关于…).

    >>> title_region("泽州县促进专业镇发展实施方案"), title_region("城市更新行动方案")
    ('泽州县', None)
    """
    m = _TITLE_REGION.match(title)
    return _lowest(m["region"]) if m else None


def stated_region(text: str) -> str | None:
    """The place a text without issuer or titled region names itself: 结合莆田实际.

    The level, when the name is written without it, is the one of the text's own bodies
    (市委、市政府 → 市).

    >>> stated_region("为落实市委、市政府部署，结合莆田实际"), stated_region("按州委要求，结合乙州实际")
    ('莆田市', '乙州')
    >>> stated_region("结合我县实际") is None
    True
    """
    m = _OWN_PLACE.search(text)
    if m is None or m["place"][0] in "我本各全当该此" or _NOT_PLACE.search(m["place"]):
        return None
    place = m["place"] + (m["level"] or "")
    levels = Counter(x[1] for x in _OWN_BODIES.finditer(text))
    top = levels.most_common(1)[0][0] if levels else None
    if place[-1] in "省市县区州旗盟" and (top is None or levels[place[-1]]):
        return place  # 乙州 with 州委: a prefecture; 云州 with 市委 only: 云州市
    return place + top if top else None
