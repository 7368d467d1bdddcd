"""Document fields of an official document and of its web-portal rendering.

GB/T 9704 lays a document out as: the issuer's banner (XX文件), the number (X〔YYYY〕N号), the
title (issuer + 关于 + subject + kind, often wrapped over two or three lines), the addressees
(主送: "各乡镇人民政府，县直各有关单位："), the body, the signature and the signing date
(成文日期). Portals print the same text under a block of labelled metadata (名称, 索引号,
发布机构, 发文字号, 发布时间 …, in lines, bullets or a table) and often repeat the title.

:func:`document_fields` reads number, issuer, title, date and region from those parts. Labelled
portal metadata is used for what its label says and is never taken for the title or the issuer.
What a title is, and which issuer it names, is :mod:`ingest.titles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.record import DocumentFields
from ingest.numbers import DATE, LOOSE_DATE, date_line, doc_number, find_doc_number, iso_date
from ingest.places import SEAL, region_of, stated_region, title_region
from ingest.readers.labels import LABELS, OTHER_LABELS
from ingest.titles import (
    BODY_END,
    KIND_END,
    NOTICE,
    clean_issuer,
    compact,
    first_sentence,
    segments,
    split_title,
)

__all__ = ["HEADER", "document_fields"]

HEADER = re.compile(r"^(?P<issuer>.+?)文件$")  # the issuer's banner
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
_BULLETS = "•·●◆◇■▪▫►▶★☆"
_BULLET = re.compile(rf"^[{_BULLETS}]\s*")
_NOISE = re.compile(
    r"字体[:：]|字号[:：]|打印本页|关闭窗口|分享到|扫一扫|当前位置|您的位置|^首页|[>＞»]\s*[\u4e00-\u9fff]"
    r"|浏览次数|访问量|【\s*[大中小]"
)
_FILE_NOTE = re.compile(
    r"^[（(]\s*此件|^签\s*发\s*人|^(?:特急|加急|特提|平急|急件|明电|绝密|机密|秘密)|^\d{6}$|^——"
    r"|^[（(][^）)]*(?:通过|施行|修订|修正|颁布|发布|印发)[）)]$"  # (…会议通过), (…起施行)
    r"|^[（(]?(?:\d{4}年)?第[\d一二三四五六七八九十百零〇]+[号期][）)]?$"  # 令 第3号, 公告（2024年第3号）
)
_SITE = re.compile(r"[_｜]|\s[-|]\s")  # a page's <title>: 标题_网站名, 标题 - 网站名
_ADOPTED = re.compile(
    r"(?:通过|施行|修订|修正|颁布|发布|印发)$"
)  # （2007年3月12日市政府常务会议通过）
_DATE_REST = re.compile(r"\s*(?:印发|发布|签发|通过)?\s*")
_PRINTED = re.compile(
    r"《(?P<t>[^》]{2,80})》(?:[^。《》]{0,40}同意[，,]?)?(?:现)?(?:予以)?(?:印发|转发)给你们"
)


_WORD = re.compile(r"[\u4e00-\u9fff\w]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_COLON = re.compile(r"[:：]")
_QUOTES = re.compile(r"《[^》]*》|“[^”]*”")
_VALUE_END = re.compile(r"【|\s{2,}|\t")
_YEARISH = re.compile(r"[\d年]")
_PLAN_END = re.compile(PLAN_WORDS + "$")


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
    lines = [ln for ln in map(str.strip, text[:annex].split("\n")) if ln and ln[0] != "|"]
    head_lines = (_BULLET.sub("", ln) if ln[0] in _BULLETS else ln for ln in lines[:80])
    lines[:80] = [ln for ln in head_lines if ln]
    addressee = _addressee(lines)
    head = _read_head(lines[:addressee] if addressee is not None else lines[:30], addressee is None)
    meta = {**head.fields, **{k: v for k, v in fields.items() if v}}
    meta.setdefault("title", meta.get("page_title", ""))

    given = meta.get("doc_number", "")
    number = doc_number(given) or given.strip() or find_doc_number("\n".join(lines[:60]))

    title, issuer, full = _title(head, lines, addressee, meta)
    issuer = issuer or meta.get("issuer") or next(iter(head.bodies), None)
    date, signer = _date(lines, meta)
    issuer = clean_issuer(issuer or signer)
    region = None
    for candidate in (issuer, *(split_title(t)[0] for t in (full, title) if t)):
        if candidate and (region := region_of(candidate)):
            break
    for candidate in (full, title):
        if region is None and candidate:
            region = title_region(candidate)
    if region is None:
        region = stated_region(text[: min(annex, 3000)])
    return DocumentFields(doc_number=number, issuer=issuer, title=title, date=date, region=region)


def _addressee(lines: list[str]) -> int | None:
    """Index of the addressee line, when it comes before any line of body text."""
    for i, line in enumerate(lines[:40]):
        if _chrome(line) is not None or _NOISE.search(line):
            continue
        if _is_addressee(line):
            return i
        if _SENTENCE.search(line) or "\t" in line or _HEADING.match(line) or len(line) > 80:
            return None
    return None


def _is_addressee(line: str) -> bool:
    if len(line) > 150 or line[-1] not in ":：" or _SENTENCE.search(line):
        return False
    if _NOT_ADDRESSEE.search(line) or _HEADING.match(line) or _LABEL.match(line):
        return False
    return bool(_ADDRESSEE_UNIT.search(line))


def _chrome(line: str) -> dict[str, str] | None:
    """The labelled values of a portal metadata line, or None when it is not one."""
    if ":" not in line and "：" not in line and "\t" not in line:
        return None
    found = list(_LABEL.finditer(line))
    if not found or (_WORD.search(line[: found[0].start()]) and len(found) < 2):
        return None
    out: dict[str, str] = {}
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        label = compact(m.group(1))
        value = line[m.end() : nxt.start() if nxt else len(line)]
        value = _VALUE_END.split(value.strip(), maxsplit=1)[0].strip()
        if label in LABELS and value:
            out.setdefault(LABELS[label], value)
    return out


def _bare_label(line: str) -> str | None:
    """The field a line that is only a label names ("" for labels kept out), else None."""
    m = _LABEL.match(line)
    if m is None or line[m.end() :].strip():
        return None
    return LABELS.get(compact(m.group(1)), "")


def _read_head(lines: list[str], to_body: bool) -> _Head:
    """Sort the head's lines: metadata, number, banner, notes; runs of title lines.

    With ``to_body``, the head ends at the first line of body text (no addressee line marks
    its end).
    """
    head = _Head()
    block: list[str] = []
    blocks: list[list[str]] = []
    pending: str | None = None  # a label alone on its line: its value is the next line
    for line in lines:
        pairs = _chrome(line)
        if pairs is None and (site := _SITE.search(line)):
            line = line[: site.start()].strip()  # the document's part of a page title
        if pairs is None and pending is not None:
            key, pending = pending, None
            if key != "title":  # a value is never the title or the issuer; a title stays
                if key:
                    head.fields.setdefault(key, line)
                line = ""
        if not line:
            pass
        elif pairs is not None:
            for k, v in pairs.items():
                head.fields.setdefault(k, v)
            pending = None if pairs else _bare_label(line)
        elif (
            _NOISE.search(line)
            or _FILE_NOTE.search(line)
            or _is_number_line(line)
            or _is_date_line(line)
        ):
            pass
        elif (banner := HEADER.match(compact(line))) and BODY_END.search(banner[1]):
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
        for seg in segments(b):
            if KIND_END.search(compact(seg)):
                head.titles.append(seg)
            elif BODY_END.search(seg) and len(seg) <= 60:
                head.bodies.append(seg)
    return head


def _title_like(line: str) -> bool:
    return (
        len(line) <= 80
        and not _SENTENCE.search(line)
        and not _COLON.search(_QUOTES.sub("", line))
        and "\t" not in line
        and not _HEADING.match(line)
        and bool(_HAN.search(line))
    )


def _is_number_line(line: str) -> bool:
    return (
        len(line) <= 40
        and "关于" not in line
        and not KIND_END.search(line)
        and find_doc_number(line) is not None
    )


def _is_date_line(line: str) -> bool:
    """A line that is a date and nothing else (成文日期, 印发 date), written loosely or not."""
    if len(line) > 62:
        return False
    bracketed = line[:1] in "（(" and line[-1:] in "）)"
    line = line.strip("（()） ")
    if len(line) > (60 if bracketed else 30) or not _YEARISH.search(line):
        return False
    if m := DATE.search(line):
        rest = line[: m.start()] + line[m.end() :]
        return bool(
            _DATE_REST.fullmatch(rest) or (bracketed and m.start() == 0 and _ADOPTED.search(rest))
        )
    return LOOSE_DATE.match(line) is not None and date_line(line) is not None


def _title(
    head: _Head, lines: list[str], addressee: int | None, meta: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    """(title, issuer stated with it, the title as written) by the order of evidence."""
    written = [t for t in head.titles if NOTICE.match(compact(t))] or head.titles[-1:]
    labelled = compact(meta.get("title", ""))
    if written:
        full = compact(written[-1])
        if labelled.endswith(full) and split_title(labelled)[0]:
            written = [meta["title"]]  # the text left the issuer out of the title; the label has it
        issuer, title = split_title(written[-1])
        if issuer is None:
            issuer = next((i for t in head.titles if (i := split_title(t)[0])), None)
        return title, issuer, compact(written[-1])
    if meta.get("title"):
        issuer, title = split_title(meta["title"])
        return title, issuer, compact(meta["title"])
    if addressee is not None:
        after = "".join(lines[addressee + 1 : addressee + 4])
        if m := _PRINTED.search(after):
            return compact(m["t"]), None, None
    if lines and (first := first_sentence(lines[0])):
        issuer, title = split_title(first)
        return title, issuer, first
    start = addressee + 1 if addressee is not None else 0
    for line in lines[start:30]:
        if _PLAN_END.search(line) and _title_like(line) and len(line) <= 60:
            return compact(line), None, None
    return None, None, None


def _date(lines: list[str], meta: dict[str, str]) -> tuple[str | None, str | None]:
    """(signing date, the signature above the date line)."""
    at = next((i for i, ln in enumerate(lines[:80]) if _is_date_line(ln)), None)
    if at is None:  # a long document without a cover notice: the signature closes it
        last = range(len(lines) - 1, max(len(lines) - 12, 79), -1)
        at = next((i for i in last if _is_date_line(lines[i])), None)
    signer = _signature(lines, at) if at is not None else None
    if meta.get("date") and (date := iso_date(meta["date"]) or date_line(meta["date"])):
        return date, signer
    return (date_line(lines[at].strip("（()）")) if at is not None else None), signer


def _signature(lines: list[str], at: int) -> str | None:
    """The signing body on the line(s) above the date line."""
    found: list[str] = []
    for line in reversed(lines[max(at - 3, 0) : at]):
        name = SEAL.sub("", line).strip()
        if len(name) > 40 or _SENTENCE.search(name) or _HEADING.match(name) or "：" in name:
            break
        if not BODY_END.search(name) or (KIND_END.search(name) and "关于" in name):
            break
        found.insert(0, name)
    return " ".join(found) or None
