"""Parse a normalised plan into an extraction record (without reading or normalising).

Parts of a document: the cover notice (印发…的通知), the plan itself, and annexes (附件).
Headings and tasks come from the plan; groups from the plan and its annexes.
"""

from __future__ import annotations

import re

from graph.record import DocumentFields, Record, Section, Task, TaskUnit
from ingest.groups import parse_groups
from ingest.numbers import deadline, doc_number, iso_date
from ingest.resolve import Roster, looks_like_unit
from ingest.structure import Heading, assign_markers, headings

ANNEX = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*$")
NOTICE = re.compile(r"^(?P<issuer>.*?)\s*关于(?:印发|转发|下发)(?P<title>.+?)的通知\s*$")
HEADER = re.compile(r"^(?P<issuer>.+?)文件$")
DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九○]{4})\s*年.{1,4}月.{1,4}日\s*$")
REGION = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{1,12}?(?:自治区|自治州|自治县|省|市|县|区|旗|盟))"
    r"(?:人民政府|政府|委员会|党委|人大|政协|办公室|[\u4e00-\u9fff]{0,12}(?:局|委|厅|办|中心))"
)
PLAN_WORDS = r"(?:实施方案|行动方案|工作方案|行动计划|实施意见|方案|计划|意见|办法|要点|规划|细则)"
MECHANISM_PARENT = re.compile(r"工作机制|保障措施|保障机制|组织保障|组织实施|推进机制|组织领导")
QUOTED = re.compile(r"[“\"「『](?P<t>[\u4e00-\u9fff]{2,12})[”\"」』]")
CITE = re.compile(r"《[^》]{2,60}》[（(](?P<no>[^（）()]{4,30}?号)[）)]")


def split_parts(text: str) -> tuple[int, int]:
    """(start of the plan, start of the first annex) in ``text``."""
    annex = len(text)
    pos = 0
    for line in text.split("\n"):
        if ANNEX.match(line.strip()):
            annex = pos
            break
        pos += len(line) + 1
    return 0, annex


def document_fields(text: str, annex: int, fields: dict[str, str]) -> DocumentFields:
    """Number, issuer, the plan's own title, signing date and region."""
    lines = [ln.strip() for ln in text[:annex].split("\n") if ln.strip()]
    head = "\n".join(lines[:60])
    number = (
        doc_number(fields.get("doc_number", "")) or fields.get("doc_number") or doc_number(head)
    )
    issuer = fields.get("issuer")
    title = None
    for i, line in enumerate(lines[:60]):
        notice = NOTICE.match(line)
        if notice:
            title = re.sub(r"[\s《》]", "", notice["title"])
            issuer = issuer or notice["issuer"].strip() or None
        elif issuer is None and (header := HEADER.match(line)) and i < 3:
            issuer = header["issuer"]
    if title is None:
        title = fields.get("title")
        if title:
            title = re.sub(r"[\s《》]", "", NOTICE.sub(r"\g<title>", title))
    if title is None:
        title = next(
            (ln for ln in lines[:30] if re.search(PLAN_WORDS + "$", ln) and len(ln) <= 60), None
        )
    date = iso_date(fields.get("date", "")) if fields.get("date") else None
    if date is None:
        for i, line in enumerate(lines[:80]):
            if DATE_LINE.match(line):
                date = iso_date(line)
                if issuer is None and i > 0:
                    issuer = lines[i - 1]
                break
    region = None
    for candidate in (issuer, title):
        if candidate and (m := REGION.match(candidate)):
            region = m["region"]
            break
    if (
        region is None
        and title
        and (m := re.match(r"^([\u4e00-\u9fff]{1,8}?(?:省|市|县|区|旗))", title))
    ):
        region = m[1]
    return DocumentFields(doc_number=number, issuer=issuer, title=title, date=date, region=region)


def _towns(text: str, region: str | None) -> list[str]:
    """Specialised towns named in quotes: “泽州铸造”, in a sentence about 专业镇."""
    short = re.sub(r"(?:自治县|自治区|省|市|县|区|旗)$", "", region or "") or None
    towns: list[str] = []
    for sentence in re.split(r"[。；\n]", text):
        if "专业镇" not in sentence and "特色产业" not in sentence:
            continue
        for m in QUOTED.finditer(sentence):
            name = m["t"]
            after = sentence[m.end() : m.end() + 12]
            named = (short and name.startswith(short)) or re.match(r"^[^，。；]{0,6}专业镇", after)
            if named and name not in towns and not name.endswith("专业镇"):
                towns.append(name)
    return towns


def parse_text(text: str, roster: Roster, fields: dict[str, str] | None = None) -> Record:
    """The extraction record of a normalised text (``NoTasksFound`` is the caller's call)."""
    fields = fields or {}
    _, annex = split_parts(text)
    doc = document_fields(text, annex, fields)
    region = doc.region
    found = headings(text, 0, annex)
    assign_markers(text, found)
    tasks: list[Task] = []
    sections: dict[str, Section] = {}
    for h in found:
        if not h.markers:
            continue
        units = [
            TaskUnit(
                name=(name := roster.canonical(m.surface, region)),
                surface=m.surface,
                role=m.role,
                span=(m.start, m.end),
                kind=roster.kind(name, region),
            )
            for m in h.markers
        ]
        tasks.append(
            Task(
                id=h.local_id,
                number=h.number,
                full_number=h.full_number,
                title=h.title,
                parent=h.parent.local_id if h.parent else None,
                deadline=deadline(h.deadline) if h.deadline else None,
                units=units,
                span=(h.start, h.end),
                text=text[h.start : h.end].strip(),
            )
        )
        parent: Heading | None = h.parent
        while parent is not None and parent.local_id not in sections:
            sections[parent.local_id] = Section(
                id=parent.local_id,
                number=parent.number,
                title=parent.title,
                parent=parent.parent.local_id if parent.parent else None,
                span=(parent.start, parent.end),
            )
            parent = parent.parent
    mechanisms = [
        h.title
        for h in found
        if not h.markers and h.parent is not None and MECHANISM_PARENT.search(h.parent.title)
    ]
    unresolved = sorted(
        {
            u.surface
            for t in tasks
            for u in t.units
            if not roster.known(u.surface) and not roster.known(u.name)
        }
    )
    groups = parse_groups(text, roster, region)
    for g in groups:
        for member in g.members:
            for p in member.positions:
                if p.unit and not roster.known(p.unit) and p.surface and p.unit not in unresolved:
                    unresolved.append(p.unit)
    doc.cites = [
        n for m in CITE.finditer(text) if (n := doc_number(m["no"])) and n != doc.doc_number
    ]
    return Record(
        document=doc,
        towns=_towns(text[:annex], region),
        tasks=tasks,
        sections=sorted(sections.values(), key=lambda s: s.span[0]),
        mechanisms=mechanisms,
        groups=groups,
        unknown_abbreviations=[u for u in unresolved if not looks_like_unit(u) or len(u) <= 5],
    )
