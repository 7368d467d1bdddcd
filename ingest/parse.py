"""Parse a normalised plan into an extraction record (without reading or normalising).

Parts of a document: the cover notice (印发…的通知), the plan itself, and annexes (附件).
Tasks come from the headings of the plan and of its annexes, and from task decomposition
tables (任务分解表); groups from the plan and its annexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.record import DocumentFields, Provenance, Record, Section, Task, TaskUnit
from graph.schema import Role
from ingest.groups import parse_groups
from ingest.numbers import date_line, deadline, doc_number, find_doc_number, iso_date
from ingest.resolve import Roster, looks_like_unit
from ingest.structure import Heading, UnitMention, assign_markers, headings, unit_list

ANNEX = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*$")
NOTICE = re.compile(r"^(?P<issuer>.*?)\s*关于(?:印发|转发|下发)(?P<title>.+?)的通知\s*$")
HEADER = re.compile(r"^(?P<issuer>.+?)文件$")
REGION = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{1,12}?(?:自治区|自治州|自治县|省|市|县|区|旗))"
    r"(?:人民政府|政府|委员会|党委|人大|政协|办公室|[\u4e00-\u9fff]{0,12}(?:局|委|厅|办|中心))"
)
PLAN_WORDS = r"(?:实施方案|行动方案|工作方案|行动计划|实施意见|方案|计划|意见|办法|要点|规划|细则)"
MECHANISM_PARENT = re.compile(r"工作机制|保障措施|保障机制|组织保障|组织实施|推进机制|组织领导")
QUOTED = re.compile(r"[“\"「『](?P<t>[\u4e00-\u9fff]{2,12})[”\"」』]")
CITE = re.compile(r"《[^》]{2,60}》[（(](?P<no>[^（）()]{4,30}?号)[）)]")
# "排在第一位的为牵头单位": in every list of 责任单位 the first unit leads, the others support
FIRST_LEADS = re.compile(
    r"(?:排|列|位)(?:在|于)?(?:第一|首)位的?(?:单位|部门)?为牵头|第一(?:个|家)?(?:单位|部门)为牵头"
    r"|排名第一的?(?:单位|部门)?为牵头|首位(?:单位|部门)?为牵头"
)

UNIT_KIND_ROLE = {"lead": Role.LEAD, "support": Role.SUPPORT, "responsible": Role.RESPONSIBLE}


def split_parts(text: str) -> tuple[int, int]:
    """(start of the plan, start of the first annex) in ``text``."""
    starts = annex_starts(text)
    return 0, starts[0] if starts else len(text)


def annex_starts(text: str) -> list[int]:
    """Offsets of the lines that open an annex ("附件", "附件2")."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if ANNEX.match(line.strip()):
            out.append(pos)
        pos += len(line) + 1
    return out


def document_fields(text: str, annex: int, fields: dict[str, str]) -> DocumentFields:
    """Number, issuer, the plan's own title, signing date and region."""
    lines = [ln.strip() for ln in text[:annex].split("\n") if ln.strip()]
    head = "\n".join(lines[:60])
    given = fields.get("doc_number", "")
    number = doc_number(given) or given.strip() or find_doc_number(head)
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
    date = (iso_date(fields["date"]) or date_line(fields["date"])) if fields.get("date") else None
    if date is None:
        for i, line in enumerate(lines[:80]):
            if len(line) <= 24 and (date := date_line(line)) is not None:
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


def parse_text(
    text: str,
    roster: Roster,
    fields: dict[str, str] | None = None,
    tables: Sequence[Sequence[Sequence[str]]] | None = None,
) -> Record:
    """The extraction record of a normalised text (``NoTasksFound`` is the caller's call).

    Args:
        text: the normalised text.
        roster: the unit alias roster.
        fields: document fields a reader found outside the text (HTML metadata).
        tables: the document's tables as rows of cell strings (merged cells repeated), as the
            DOCX and HTML readers give them; without them, tab-separated rows in ``text`` are
            read as tables.
    """
    fields = fields or {}
    starts = annex_starts(text)
    annex = starts[0] if starts else len(text)
    doc = document_fields(text, annex, fields)
    region = doc.region
    first_leads = bool(FIRST_LEADS.search(text))
    tasks: list[Task] = []
    sections: dict[str, Section] = {}
    plan_headings: list[Heading] = []
    for n, (a, b) in enumerate(zip([0, *starts], [*starts, len(text)], strict=True)):
        found = headings(text, a, b)
        assign_markers(text, found, region)
        if n == 0:
            plan_headings = found
        prefix = f"附{n}." if n else ""
        for h in found:
            if h.markers:
                tasks.append(_heading_task(text, h, prefix, roster, region, first_leads))
                _add_sections(h, prefix, sections)
    rows = [list(map(list, t)) for t in tables] if tables else text_tables(text)
    tasks.extend(table_tasks(text, rows, roster, region, sections, first_leads))
    mechanisms = [
        h.title
        for h in plan_headings
        if not h.markers and h.parent is not None and MECHANISM_PARENT.search(h.parent.title)
    ]
    unresolved: list[str] = []
    for t in tasks:
        for u in t.units:
            known = roster.known(u.surface) or roster.known(u.name)
            if not known and u.name not in unresolved:
                unresolved.append(u.name)
    groups = parse_groups(text, roster, region)
    for g in groups:
        for member in g.members:
            for p in member.positions:
                if p.unit and not roster.known(p.unit) and p.surface and p.unit not in unresolved:
                    unresolved.append(p.unit)
    doc.cites = [
        cited
        for m in CITE.finditer(text)
        if (cited := doc_number(m["no"])) and cited != doc.doc_number
    ]
    return Record(
        document=doc,
        towns=_towns(text[:annex], region),
        tasks=tasks,
        sections=sorted(sections.values(), key=lambda s: s.span[0]),
        mechanisms=mechanisms,
        groups=groups,
        unknown_abbreviations=sorted(u for u in unresolved if is_abbreviation(u)),
    )


def is_abbreviation(name: str) -> bool:
    """Whether an unknown unit name looks shortened (县城管局) rather than written in full.

    >>> is_abbreviation("县城管局"), is_abbreviation("县住房保障和房产管理中心"), is_abbreviation("加强")
    (True, False, True)
    """
    return not looks_like_unit(name) or len(name) <= 5


def _units(
    mentions: list[UnitMention], roster: Roster, region: str | None, first_leads: bool
) -> list[TaskUnit]:
    if first_leads and mentions and all(m.role is Role.RESPONSIBLE for m in mentions):
        mentions = [
            UnitMention(m.surface, Role.LEAD if i == 0 else Role.SUPPORT, m.start, m.end)
            for i, m in enumerate(mentions)
        ]
    out: list[TaskUnit] = []
    seen: set[str] = set()
    for m in mentions:
        name = roster.canonical(m.surface, region)
        if name in seen:
            continue
        seen.add(name)
        out.append(
            TaskUnit(
                name=name,
                surface=m.surface,
                role=m.role,
                span=(m.start, m.end) if m.end > m.start else None,
                kind=roster.kind(name, region),
            )
        )
    return out


def _heading_task(
    text: str, h: Heading, prefix: str, roster: Roster, region: str | None, first_leads: bool
) -> Task:
    return Task(
        id=prefix + h.local_id,
        number=h.number,
        full_number=h.full_number,
        title=h.title,
        parent=prefix + h.parent.local_id if h.parent else None,
        deadline=deadline(h.deadline) if h.deadline else None,
        units=_units(h.markers, roster, region, first_leads),
        span=(h.start, h.end),
        text=text[h.start : h.end].strip(),
    )


def _add_sections(h: Heading, prefix: str, sections: dict[str, Section]) -> None:
    parent = h.parent
    while parent is not None and prefix + parent.local_id not in sections:
        sections[prefix + parent.local_id] = Section(
            id=prefix + parent.local_id,
            number=parent.number,
            title=parent.title,
            parent=prefix + parent.parent.local_id if parent.parent else None,
            span=(parent.start, parent.end),
        )
        parent = parent.parent


# ------------------------------------------------------------------------------------- tables


def text_tables(text: str) -> list[list[list[str]]]:
    """Tables written as runs of tab-separated lines, or of cells set apart by wide spaces.

    >>> text_tables("前言\\n序号\\t任务\\n1\\t甲\\n正文")
    [[['序号', '任务'], ['1', '甲']]]
    >>> text_tables("序号  重点任务  牵头单位\\n1  培育企业  县工信局")
    [[['序号', '重点任务', '牵头单位'], ['1', '培育企业', '县工信局']]]
    """
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    kind: str | None = None
    lines = [*text.split("\n"), ""]
    for i, line in enumerate(lines):
        cells = _cells(line)
        this = ("tab" if "\t" in line else "space") if cells else None
        if current and this == kind:
            current.append(cells)
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if current and this is None and line.strip() and len(line) <= 40 and _cells(following):
            current.append([line.strip()])  # a section row between rows of one table
            continue
        if len(current) > 1:
            out.append(current)
        current, kind = [], None
        if this == "tab" or (this == "space" and _header([cells]) is not None):
            current, kind = [cells], this
    return out


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    cells = [c for c in re.split(r"[ \u3000]{2,}", line.strip()) if c]
    return cells if len(cells) >= 2 else []


def _column_kind(cell: str) -> str | None:
    """What a task table column holds, from its header cell.

    >>> [_column_kind(c) for c in ["序号", "重点任务", "牵头单位", "责任单位及责任人", "完成时限", "责任领导"]]
    ['serial', 'task', 'lead', 'responsible', 'deadline', 'leader']
    """
    c = re.sub(r"[\s（）()：:*、/]", "", cell)
    if not c or len(c) > 12:
        return None
    if re.fullmatch(r"序号|编号|序", c):
        return "serial"
    if re.search(r"单位|部门|主体", c) or c in ("牵头", "配合", "责任"):
        if re.search(r"牵头|主责|主办", c):
            return "lead"
        if re.search(r"配合|协同|协办|参与|协助", c):
            return "support"
        if re.search(r"责任|承办|落实|实施", c) or c == "责任":
            return "responsible"
    if re.search(r"领导|责任人|联系人|负责人", c):
        return "leader"
    if re.search(r"时限|时间|节点|进度", c):
        return "deadline"
    if re.search(r"类别|领域|板块|方面", c):
        return "category"
    if re.search(r"任务|措施|举措|内容|事项|工作", c):
        return "task"
    return None


def _header(rows: list[list[str]]) -> tuple[int, dict[int, str], int] | None:
    """(first body row, column → kind, task column) of a task table, or None.

    ``rows`` are of equal length (padded with empty cells).
    """
    for first in range(min(4, len(rows))):
        kinds = [_column_kind(c) for c in rows[first]]
        if sum(k is not None for k in kinds) < 2:
            continue
        columns: dict[int, str] = {i: k for i, k in enumerate(kinds) if k}
        body = first + 1
        # a second header row under merged header cells ("责任单位" over 牵头/配合)
        while body < len(rows):
            below = [_column_kind(c) for c in rows[body]]
            if sum(k is not None for k in below) < 2 or any(
                k is None and c and c != rows[body - 1][i]
                for i, (k, c) in enumerate(zip(below, rows[body], strict=False))
            ):
                break
            columns.update({i: k for i, k in enumerate(below) if k})
            body += 1
        if "task" in columns.values() and set(columns.values()) & set(UNIT_KIND_ROLE):
            return body, columns, max(i for i, k in columns.items() if k == "task")
    return None


@dataclass
class _Row:
    """One body row of a task table, located in the text when possible."""

    index: int
    serial: str
    task: str
    category: str | None
    mentions: list[UnitMention]
    deadline: str | None
    at: int  # offset of the task cell in the text, -1 when not found


def table_tasks(
    text: str,
    tables: list[list[list[str]]],
    roster: Roster,
    region: str | None,
    sections: dict[str, Section],
    first_leads: bool = False,
) -> list[Task]:
    """Tasks of the task decomposition tables among ``tables``.

    A table counts when its header names a task column (重点任务, 工作内容 …) and a unit column
    (牵头单位, 配合单位, 责任单位 …), in any order. A row spanning the whole table, or a
    category column, opens a section; rows repeating a merged task cell are one task.
    """
    out: list[Task] = []
    cursor = 0
    for t_index, raw in enumerate(tables):
        width = max((len(row) for row in raw), default=0)
        rows = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in raw]
        header = _header(rows)
        if header is None:
            continue
        parsed, cursor = _rows(text, rows, header, cursor)
        section: Section | None = None
        n_sections = 0
        previous: _Row | None = None
        for row in parsed:
            if row.category and (section is None or section.title != _short(row.category)):
                n_sections += 1
                section = _table_section(
                    text, f"表{t_index + 1}.{n_sections}", row.category, row.at, sections
                )
            if previous is not None and (row.serial, row.task) == (previous.serial, previous.task):
                out[-1].units = _merge(
                    out[-1].units, _units(row.mentions, roster, region, first_leads)
                )
                continue
            previous = row
            number = row.serial or str(
                sum(1 for t in out if t.id.startswith(f"表{t_index + 1}.")) + 1
            )
            local = f"{section.id}.{number}" if section else f"表{t_index + 1}.{number}"
            if any(t.id == local for t in out):
                local = f"{local}-{row.index}"
            at = max(row.at, 0)
            out.append(
                Task(
                    id=local,
                    number=number,
                    full_number=number,
                    title=_short(row.task),
                    parent=section.id if section else None,
                    deadline=deadline(row.deadline) if row.deadline else None,
                    units=_units(row.mentions, roster, region, first_leads),
                    span=(at, at + len(row.task) if row.at >= 0 else 0),
                    text=row.task,
                    provenance=Provenance(table=t_index, row=row.index, cell=header[2]),
                )
            )
    return [t for t in out if t.units]


def _cell(raw: str) -> str:
    from ingest.normalise import normalise

    return normalise(raw).text.replace("\n", "").strip()


def _rows(
    text: str, rows: list[list[str]], header: tuple[int, dict[int, str], int], cursor: int
) -> tuple[list[_Row], int]:
    body, columns, task_col = header
    width = max(len(r) for r in rows)
    categories = [c for c, k in columns.items() if k == "category"]
    categories += [c for c, k in columns.items() if k == "task" and c != task_col]
    out: list[_Row] = []
    section_row: str | None = None
    for r in range(body, len(rows)):
        row = rows[r] + [""] * (width - len(rows[r]))
        filled = {c for c in row if c}
        if len(filled) == 1 and width > 2:
            section_row = filled.pop()  # a row spanning the table names a section
            continue
        task = row[task_col]
        if not task or _column_kind(task):
            continue
        at = text.find(task[:40], cursor)
        line_start = text.rfind("\n", 0, at) + 1 if at >= 0 else 0
        line_end = text.find("\n", at) if at >= 0 else -1
        line_end = len(text) if line_end < 0 else line_end
        if at >= 0:
            cursor = at + 1
        mentions: list[UnitMention] = []
        for c, kind in columns.items():
            if kind not in UNIT_KIND_ROLE or not row[c]:
                continue
            role = UNIT_KIND_ROLE[kind]
            found = text.find(row[c], line_start, line_end) if at >= 0 else -1
            if found >= 0:
                mentions.extend(unit_list(text, found, found + len(row[c]), role))
            else:
                mentions.extend(
                    UnitMention(m.surface, m.role, 0, 0)
                    for m in unit_list(row[c], 0, len(row[c]), role)
                )
        category = next((row[c] for c in categories if row[c]), None) or section_row
        limit = next((row[c] for c, k in columns.items() if k == "deadline" and row[c]), None)
        serial = next((row[c] for c, k in columns.items() if k == "serial" and row[c]), "")
        out.append(_Row(r, serial, task, category, mentions, limit, at))
    return out, cursor


def _merge(units: list[TaskUnit], more: list[TaskUnit]) -> list[TaskUnit]:
    names = {u.name for u in units}
    return units + [u for u in more if u.name not in names]


def _short(cell: str) -> str:
    title = re.split(r"[。；：:]", cell, maxsplit=1)[0].strip()
    return title if len(title) <= 60 else title[:60]


def _table_section(
    text: str, sid: str, title: str, near: int, sections: dict[str, Section]
) -> Section:
    at = text.rfind(title[:30], 0, near + 1) if near >= 0 else -1
    span = (at, at + len(title)) if at >= 0 else (0, 0)
    section = Section(id=sid, number="", title=_short(title), parent=None, span=span)
    sections[sid] = section
    return section
