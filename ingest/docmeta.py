"""Document fields of an official document and of its web-portal rendering.

GB/T 9704 lays a document out as: the issuer's banner (XX文件), the number (X〔YYYY〕N号), the
title (issuer + 关于 + subject + kind, often wrapped over two or three lines), the addressees
(主送: "各乡镇人民政府，县直各有关单位："), the body, the signature and the signing date
(成文日期). Portals print the same text under a block of labelled metadata (名称, 索引号,
发布机构, 发文字号, 发布时间 …, in lines, bullets or a table) and often repeat the title.

:func:`document_fields` reads number, issuer, title, date and region from those parts. Labelled
portal metadata is used for what its label says and is never taken for the title or the issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graph.record import DocumentFields
from ingest.numbers import date_line, doc_number, find_doc_number, iso_date
from ingest.readers.html_meta import LABELS, OTHER_LABELS

__all__ = ["HEADER", "NOTICE", "REGION", "document_fields", "region_of", "split_title"]

# 关于印发/转发X的通知: the document is X (the plan), the notice only its cover.
NOTICE = re.compile(r"^(?P<issuer>.*?)\s*(?:关于)?(?:印发|转发|下发|颁发)(?P<title>.+?)的通知\s*$")
HEADER = re.compile(r"^(?P<issuer>.+?)文件$")


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
    + r"(?:人民政府|政府|委员会|党委|人大|政协|办公室|[\u4e00-\u9fff]{0,12}?(?:局|委|厅|办|中心|行))"
)
# a township's own bodies; 乡 and 镇 also end ordinary words (城乡), so only before these
TOWN = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{1,10}?(?:镇|乡|街道))"
    r"(?:人民政府|政府|党委|委员会|办事处|党工委|人大|办公室)"
)
# the upper level of a two-level name: 晋城市|泽州县, 山西省|晋城市
_UPPER = re.compile("^" + _place(r"[\u4e00-\u9fff]+?", "upper"))
# a title that starts with its region: 泽州县促进…方案 (not 城市…, 全县…, 社区…)
_TITLE_REGION = re.compile("^" + _place(r"[^\W\d_关全本我各该城农社]{1}[\u4e00-\u9fff]{0,7}?"))
NATIONAL = "全国"
# central bodies: the State Council and its offices, the Party centre, NPC, courts, 国家… bodies
_CENTRAL = re.compile(
    r"^(?:中共中央|中国共产党中央|中央|国务院|国办|全国人大|全国人民代表大会|全国政协|最高人民法院"
    r"|最高人民检察院|国家(?!级)|中国人民银行|海关总署|审计署)"
)
# a ministry named without a place: 教育部, 住房和城乡建设部办公厅, 税务总局
_MINISTRY = re.compile(r"^[\u4e00-\u9fff]{2,12}?(?:部|总局|总署)(?:办公厅)?(?=$|[\s、，,])")
# a central body's local branch: 国家税务总局|泽州县税务局, 中国人民银行|泽州县支行
_BRANCH = re.compile(r"^.*?(?:总局|银行|总署|总队|部)(?P<rest>[\u4e00-\u9fff]{3,20})$")
_RELATIVE = "省市县区州乡镇旗盟"  # 市委组织部: the city's, not a ministry
_PARTY = re.compile(r"^(?:中共|中国共产党)")

# kinds of document (GB/T 9704 and the plans counties write) that end a title
_KINDS = (
    r"通知|通报|意见|决定|决议|批复|报告|请示|函|复函|公告|通告|纪要|命令|令|议案|公报"
    r"|方案|计划|规划|要点|办法|细则|规定|措施|纲要|条例|规则|章程|制度|标准|指南|指引|导则"
    r"|清单|名单|分工|分解表|任务表|一览表|安排|任务|守则"
)
_SUFFIX = r"(?:[（(](?:试行|暂行|修订|修正|草案|征求意见稿|送审稿|\d{4}[—–\-－~～至]\d{2,4}年?|\d{4}年?)[）)])*"
KIND_END = re.compile(rf"(?:{_KINDS}){_SUFFIX}$")
_NOTICE_KIND_END = re.compile(r"(?:通知|通报|意见|决定|批复|报告|请示|函|公告|通告)$")
# a wrapped title's next line continues it rather than starting a second title
_CONTINUES = re.compile(
    rf"^(?:[（(的和与及之、暨，,》”]|(?:实施|工作|行动|管理|若干|指导|试行|暂行|{_KINDS}))"
)
PLAN_WORDS = r"(?:实施方案|行动方案|工作方案|行动计划|实施意见|方案|计划|意见|办法|要点|规划|细则)"

# the addressees (主送机关) under the title: "各乡镇人民政府，县直各有关单位："
_ADDRESSEE_UNIT = re.compile(
    r"^各|人民政府|政府|有关部门|有关单位|各部门|各单位|直属机构|各委|管委会|办事处|党委|[局委厅办]："
)
_NOT_ADDRESSEE = re.compile(
    r"如下|以下|通知|现将|为了|根据|^(?:成员|组长|副组长|组员|牵头|责任|配合)"
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]\D|第[一二三四五六七八九十]+[条章])"
)
_SENTENCE = re.compile(r"[。；;！？!?]")
_BULLET = re.compile(r"^[•·●◆◇■▪▫►▶★☆]\s*")
_NOISE = re.compile(
    r"字体[:：]|字号[:：]|打印本页|关闭窗口|分享到|扫一扫|当前位置|您的位置|^首页|[>＞»]\s*[\u4e00-\u9fff]"
    r"|浏览次数|访问量|【\s*[大中小]"
)
_FILE_NOTE = re.compile(
    r"^[（(]\s*此件|^签\s*发\s*人|^(?:特急|加急|特提|平急|急件|明电|绝密|机密|秘密)|^\d{6}$|^——"
)
# the signing body's shape: a signature line ends like this
_BODY_END = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|委员会|党委|党组|工委|委|局|厅|部|院|署|行|办|中心|会|小组|组"
    r"|指挥部|公司|处|所|站|社|团|队|馆|法院|检察院)$"
)
_OWN_PLACE = re.compile(r"结合(?P<place>[\u4e00-\u9fff]{2,6}?)(?P<level>省|市|县|区|州)?的?实际")
_NOT_PLACE = re.compile(
    r"实际|工作|情况|域|部门|单位|行业|企业|自身|地方|职能|职责|岗位|产业|发展|特点|需|项目|城市|农村|乡村"
)
_OWN_BODIES = re.compile(r"([省市县区州])(?:委|政府|人民政府)(?![\u4e00-\u9fff]?[部办局])")
_SEAL = re.compile(r"\s*[（(]\s*(?:代章|印章|盖章|公章)\s*[）)]\s*")
_PRINTED = re.compile(
    r"《(?P<t>[^》]{2,80})》(?:[^。《》]{0,40}同意[，,]?)?(?:现)?(?:予以)?(?:印发|转发)给你们"
)


def _spaced(label: str) -> str:
    return r"[ \u3000]*".join(map(re.escape, label))


# in a text, chrome also carries these (an HTML page keeps them in its own elements)
_TEXT_LABELS = ("来源", "作者", "责任编辑", "编辑", "浏览次数", "访问量", "点击数")
_ALL_LABELS = sorted([*LABELS, *OTHER_LABELS, *_TEXT_LABELS], key=len, reverse=True)
_LABEL = re.compile("(" + "|".join(map(_spaced, _ALL_LABELS)) + r")[ \u3000]*(?:[:：]|\t)")


@dataclass
class _Head:
    """What the lines above the addressees hold."""

    fields: dict[str, str] = field(default_factory=dict)  # labelled portal metadata
    titles: list[str] = field(default_factory=list)  # complete titles, in order
    bodies: list[str] = field(default_factory=list)  # banner lines naming the issuer


def document_fields(text: str, annex: int, fields: dict[str, str]) -> DocumentFields:
    """Number, issuer, the plan's own title, signing date and region.

    Args:
        text: the normalised text.
        annex: offset of the first annex; the fields are read before it.
        fields: metadata a reader found outside the text (HTML labels and ``<meta>``).
    """
    lines = [
        _BULLET.sub("", ln.strip())
        for ln in text[:annex].split("\n")
        if ln.strip() and not ln.strip().startswith("|")
    ]
    lines = [ln for ln in lines if ln]
    addressee = next(
        (i for i, ln in enumerate(lines[:40]) if _is_addressee(ln)),
        None,
    )
    head = _read_head(lines[:addressee] if addressee is not None else lines[:30], addressee is None)
    meta = {**head.fields, **{k: v for k, v in fields.items() if v}}

    given = meta.get("doc_number", "")
    number = doc_number(given) or given.strip() or find_doc_number("\n".join(lines[:60]))

    title, issuer, full = _title(head, lines, addressee, meta)
    issuer = issuer or meta.get("issuer") or next(iter(head.bodies), None)
    date, signer = _date(lines, meta)
    issuer = _clean_issuer(issuer or signer)
    region = None
    for candidate in (issuer, *(split_title(t)[0] for t in (full, title) if t)):
        if candidate and (region := region_of(candidate)):
            break
    if region is None:
        for candidate in (full, title):
            if candidate and (m := _TITLE_REGION.match(candidate)):
                region = _lowest(m["region"])
                break
    if region is None:
        region = _stated_region(text[: min(annex, 3000)])
    return DocumentFields(doc_number=number, issuer=issuer, title=title, date=date, region=region)


def _stated_region(text: str) -> str | None:
    """The place a text without issuer or titled region names itself: 结合莆田实际.

    The level, when the name is written without it, is the one of the text's own bodies
    (市委、市政府 → 市).
    """
    m = _OWN_PLACE.search(text)
    if m is None or m["place"][0] in "我本各全当该此" or _NOT_PLACE.search(m["place"]):
        return None
    if m["level"]:
        return m["place"] + m["level"]
    levels = Counter(x[1] for x in _OWN_BODIES.finditer(text))
    return m["place"] + levels.most_common(1)[0][0] if levels else None


def _is_addressee(line: str) -> bool:
    if len(line) > 150 or line[-1] not in ":：" or _SENTENCE.search(line):
        return False
    if _NOT_ADDRESSEE.search(line) or _HEADING.match(line) or _LABEL.match(line):
        return False
    return bool(_ADDRESSEE_UNIT.search(line))


def _chrome(line: str) -> dict[str, str] | None:
    """The labelled values of a portal metadata line, or None when it is not one."""
    found = list(_LABEL.finditer(line))
    if not found or (re.search(r"[\u4e00-\u9fff\w]", line[: found[0].start()]) and len(found) < 2):
        return None
    out: dict[str, str] = {}
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        label = re.sub(r"\s", "", m.group(1))
        value = line[m.end() : nxt.start() if nxt else len(line)]
        value = re.split(r"【|\s{2,}|\t", value.strip(), maxsplit=1)[0].strip()
        if label in LABELS and value:
            out.setdefault(LABELS[label], value)
    return out


def _read_head(lines: list[str], to_body: bool) -> _Head:
    """Sort the head's lines: metadata, number, banner, notes; runs of title lines.

    With ``to_body``, the head ends at the first line of body text (no addressee line marks
    its end).
    """
    head = _Head()
    block: list[str] = []
    blocks: list[list[str]] = []
    for line in lines:
        if (pairs := _chrome(line)) is not None:
            for k, v in pairs.items():
                head.fields.setdefault(k, v)
        elif (
            _NOISE.search(line)
            or _FILE_NOTE.search(line)
            or _is_number_line(line)
            or _is_date_line(line)
        ):
            pass
        elif (banner := HEADER.match(re.sub(r"\s", "", line))) and _BODY_END.search(banner[1]):
            head.bodies.append(banner["issuer"])
        elif _title_like(line):
            block.append(line)
            continue
        elif to_body and (
            _SENTENCE.search(line) or "\t" in line or _HEADING.match(line) or len(line) > 80
        ):
            break
        if block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    for b in blocks:
        for seg in _segments(b):
            if KIND_END.search(re.sub(r"\s", "", seg)):
                head.titles.append(seg)
            elif _BODY_END.search(seg) and len(seg) <= 40:
                head.bodies.append(seg)
    return head


def _title_like(line: str) -> bool:
    return (
        len(line) <= 80
        and not _SENTENCE.search(line)
        and not re.search(r"[:：]", re.sub(r"《[^》]*》|“[^”]*”", "", line))
        and "\t" not in line
        and not _HEADING.match(line)
        and bool(re.search(r"[\u4e00-\u9fff]", line))
    )


def _is_number_line(line: str) -> bool:
    return (
        len(line) <= 40
        and "关于" not in line
        and not KIND_END.search(line)
        and find_doc_number(line) is not None
    )


def _is_date_line(line: str) -> bool:
    return len(line) <= 30 and date_line(line.strip("（()）")) is not None


def _segments(block: list[str]) -> list[str]:
    """Split a run of title lines where one complete title ends and another starts.

    A portal often prints the title once on one line and again wrapped; a line that continues
    a wrapped title (的通知, （2024—2026年）, 实施方案) is never a title of its own.
    """
    out: list[str] = []
    cur: list[str] = []
    for i, line in enumerate(block):
        cur.append(line)
        if i + 1 < len(block) and KIND_END.search("".join(cur)):
            rest = re.sub(r"\s", "", "".join(block[i + 1 :]))
            if _standalone(rest) and not _CONTINUES.match(block[i + 1]):
                out.append(" ".join(cur) if len(cur) == 1 else "".join(cur))
                cur = []
    if cur:
        out.append(cur[0] if len(cur) == 1 else "".join(cur))
    return out


def _standalone(title: str) -> bool:
    """Whether ``title`` reads as a whole title (a notice names its subject with 关于)."""
    if not KIND_END.search(title) or len(title) < 8:
        return False
    return "关于" in title or not _NOTICE_KIND_END.search(title)


def split_title(title: str) -> tuple[str | None, str]:
    """(issuer, title of the document) of a title as written.

    The issuer is what precedes 关于 when it names a body; a cover notice (关于印发X的通知) gives
    its plan X, in 《》 when it quotes one.

    >>> split_title("泽州县人民政府办公室 关于印发泽州县促进专业镇高质量发展 实施方案的通知")
    ('泽州县人民政府办公室', '泽州县促进专业镇高质量发展实施方案')
    >>> split_title("国务院关于促进综合保税区高水平开放高质量发展的若干意见")
    ('国务院', '国务院关于促进综合保税区高水平开放高质量发展的若干意见')
    >>> split_title("甲县人民政府办公室关于转发市发改委《乙市节能方案》的通知")
    ('甲县人民政府办公室', '乙市节能方案')
    """
    if notice := NOTICE.match(title):
        issuer = _issuer_part(notice["issuer"])
        plan = re.sub(r"\s", "", notice["title"])
        quoted = re.findall(r"《([^》]+)》", plan)
        plan = (
            quoted[0] if len(quoted) == 1 and plan.endswith("》") else re.sub(r"[《》]", "", plan)
        )
        if issuer is not None or not notice["issuer"].strip():
            return issuer, plan
    compact = re.sub(r"\s", "", title)
    before, sep, _ = title.partition("关于")
    return (_issuer_part(before) if sep else None), compact


def _issuer_part(text: str) -> str | None:
    text = re.sub(r"\s+", " ", text).strip()
    if not text or len(text) > 60 or not _BODY_END.search(text):
        return None
    return text


def _title(
    head: _Head, lines: list[str], addressee: int | None, meta: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    """(title, issuer stated with it, the title as written) by the order of evidence."""
    written = [t for t in head.titles if NOTICE.match(re.sub(r"\s", "", t))] or head.titles[-1:]
    labelled = re.sub(r"\s", "", meta.get("title", ""))
    if written:
        full = re.sub(r"\s", "", written[-1])
        if labelled.endswith(full) and split_title(labelled)[0]:
            written = [meta["title"]]  # the text left the issuer out of the title; the label has it
        issuer, title = split_title(written[-1])
        if issuer is None:
            issuer = next((i for t in head.titles if (i := split_title(t)[0])), None)
        return title, issuer, re.sub(r"\s", "", written[-1])
    if meta.get("title"):
        issuer, title = split_title(meta["title"])
        return title, issuer, re.sub(r"\s", "", meta["title"])
    if addressee is not None:
        after = "".join(lines[addressee + 1 : addressee + 4])
        if m := _PRINTED.search(after):
            return re.sub(r"\s", "", m["t"]), None, None
    if lines and (first := _first_sentence(lines[0])):
        issuer, title = split_title(first)
        return title, issuer, first
    start = addressee + 1 if addressee is not None else 0
    for line in lines[start:30]:
        if re.search(PLAN_WORDS + "$", line) and _title_like(line) and len(line) <= 60:
            return re.sub(r"\s", "", line), None, None
    return None, None, None


def _first_sentence(line: str) -> str | None:
    """A title run into its body on one line: "关于支持X的十条意见。为落实…"."""
    sentence = line.split("。", 1)[0]
    if len(sentence) > 60 or sentence == line or not KIND_END.search(sentence):
        return None
    if sentence.startswith("关于") or ("关于" in sentence and split_title(sentence)[0]):
        return sentence
    return None


def _date(lines: list[str], meta: dict[str, str]) -> tuple[str | None, str | None]:
    """(signing date, the signature above it)."""
    if meta.get("date") and (date := iso_date(meta["date"]) or date_line(meta["date"])):
        return date, None
    first = next((i for i, ln in enumerate(lines[:80]) if _is_date_line(ln)), None)
    if first is None:  # a long document without a cover notice: the signature closes it
        first = next(
            (
                i
                for i in range(len(lines) - 1, max(len(lines) - 12, 79), -1)
                if _is_date_line(lines[i])
            ),
            None,
        )
    if first is not None:
        return date_line(lines[first].strip("（()）")), _signature(lines, first)
    return None, None


def _signature(lines: list[str], at: int) -> str | None:
    """The signing body on the line(s) above the date line."""
    found: list[str] = []
    for line in reversed(lines[max(at - 3, 0) : at]):
        name = _SEAL.sub("", line).strip()
        if len(name) > 40 or _SENTENCE.search(name) or _HEADING.match(name) or "：" in name:
            break
        if not _BODY_END.search(name) or (KIND_END.search(name) and "关于" in name):
            break
        found.insert(0, name)
    return " ".join(found) or None


def _clean_issuer(issuer: str | None) -> str | None:
    if not issuer:
        return None
    issuer = _SEAL.sub("", issuer).strip()
    return re.sub(r"\s+", " ", issuer) or None


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
    name = _SEAL.sub("", re.sub(r"\s", "", name))
    if _CENTRAL.match(name):
        branch = _BRANCH.match(name)
        local_branch = region_of(branch["rest"]) if branch else None
        return local_branch if local_branch not in (None, NATIONAL) else NATIONAL
    local = _PARTY.sub("", name)
    if m := REGION.match(local):
        if town := TOWN.match(local[m.end("region") :]):
            return town["region"]
        return _lowest(m["region"])
    if m := TOWN.match(local):
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
