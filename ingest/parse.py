"""Parse a normalised plan into an extraction record (without reading or normalising).

Parts of a document: the cover notice (印发…的通知), the plan itself, and annexes (附件).
Tasks come from the headings of the plan and of its annexes, and from task decomposition
tables (任务分解表); groups from the plan and its annexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.record import Record, Section, Task
from graph.schema import Role
from ingest.docmeta import document_fields
from ingest.groups import parse_groups
from ingest.markers import unit_list
from ingest.numbers import deadline, doc_number, prose_deadline
from ingest.resolve import Roster, aliases_held, looks_like_unit
from ingest.structure import Heading, headings
from ingest.tables import table_tasks, text_tables
from ingest.task_headings import assign_markers
from ingest.task_units import task_units

ANNEX = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*$")
MECHANISM_PARENT = re.compile(r"工作机制|保障措施|保障机制|组织保障|组织实施|推进机制|组织领导")
QUOTED = re.compile(r"[“\"「『](?P<t>[\u4e00-\u9fff]{2,12})[”\"」』]")
CITE = re.compile(r"《[^》]{2,60}》[（(](?P<no>[^（）()]{4,30}?号)[）)]")
# "排在第一位的为牵头单位": in every list of 责任单位 the first unit leads, the others support
FIRST_LEADS = re.compile(
    r"(?:排|列|位)(?:在|于)?(?:第一|首)位(?:的|者)?(?:单位|部门)?为牵头|第一(?:个|家)?(?:单位|部门)为牵头"
    r"|排名第一的?(?:单位|部门)?为牵头|首位(?:单位|部门)?为牵头"
)


def annex_starts(text: str) -> list[int]:
    """Offsets of the lines that open an annex ("附件", "附件2")."""
    out: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if ANNEX.match(line.strip()):
            out.append(pos)
        pos += len(line) + 1
    return out


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


@aliases_held()  # one reading of $ZHENKG_ALIASES for the whole document
def parse_text(
    text: str,
    roster: Roster,
    fields: dict[str, str] | None = None,
    tables: Sequence[Sequence[Sequence[str]]] | None = None,
) -> Record:
    """The extraction record of a normalised text.

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
        ids = _ids(found, f"附{n}." if n else "")
        for h in found:
            if h.markers:
                tasks.append(_heading_task(text, h, ids, roster, region, first_leads))
                _add_sections(h, ids, sections)
    rows = [list(map(list, t)) for t in tables] if tables else text_tables(text)
    tasks.extend(table_tasks(text, rows, roster, region, sections, first_leads))
    _standing_units(text, tasks, roster, region)
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


# "以下均需试点城市政府落实，不再列出": a unit the document makes responsible for every task after.
STANDING = re.compile(
    r"以下(?:各项任务)?[均都]?(?:需|由|请)(?P<units>[^，,。；;（）()]{2,30}?)(?:负责)?落实"
    r"[，,]?\s*(?:不再|不另|不一一)(?:列出|重复|列明|标注)"
)


def _standing_units(text: str, tasks: list[Task], roster: Roster, region: str | None) -> None:
    """Add the units a standing rule names to every task that follows it, as responsible."""
    for m in STANDING.finditer(text):
        mentions = unit_list(text, m.start("units"), m.end("units"), Role.RESPONSIBLE)
        for task in tasks:
            if task.span[0] <= m.start():
                continue
            have = {u.name for u in task.units}
            for u in task_units(mentions, roster, region, False):
                if u.name not in have:
                    task.units.append(u.model_copy(update={"role": Role.RESPONSIBLE}))


def is_abbreviation(name: str) -> bool:
    """Whether an unknown unit name looks shortened (县城管局) rather than written in full.

    >>> is_abbreviation("县城管局"), is_abbreviation("县住房保障和房产管理中心"), is_abbreviation("加强")
    (True, False, True)
    """
    return not looks_like_unit(name) or len(name) <= 5


def _ids(found: list[Heading], prefix: str) -> dict[int, tuple[str, str]]:
    """Each heading's id (``prefix`` + :attr:`Heading.local_id`) and full number, by ``id()``:
    made once from its parent's, where each property walks up to the root at every ask."""
    out: dict[int, tuple[str, str]] = {}
    for h in found:
        own_id, own_number = (h.numeral, h.numeral) if h.level == 1 else (str(h.index), h.number)
        parent = out.get(id(h.parent)) if h.parent is not None else None
        if h.parent is None:
            out[id(h)] = (prefix + own_id, own_number)
        elif parent is None:  # a parent after its child: no list headings() makes
            out[id(h)] = (prefix + h.local_id, h.full_number)
        else:
            out[id(h)] = (f"{parent[0]}.{own_id}", parent[1] + own_number)
    return out


def _heading_task(
    text: str,
    h: Heading,
    ids: dict[int, tuple[str, str]],
    roster: Roster,
    region: str | None,
    first_leads: bool,
) -> Task:
    task_id, full_number = ids[id(h)]
    return Task(
        id=task_id,
        number=h.number,
        full_number=full_number,
        title=h.title,
        parent=ids[id(h.parent)][0] if h.parent else None,
        deadline=deadline(h.deadline) if h.deadline else prose_deadline(text, h.title_start, h.end),
        units=task_units(h.markers, roster, region, first_leads),
        span=(h.start, h.end),
        text=text[h.start : h.end].strip(),
    )


def _add_sections(
    h: Heading, ids: dict[int, tuple[str, str]], sections: dict[str, Section]
) -> None:
    parent = h.parent
    while parent is not None and ids[id(parent)][0] not in sections:
        section_id = ids[id(parent)][0]
        sections[section_id] = Section(
            id=section_id,
            number=parent.number,
            title=parent.title,
            parent=ids[id(parent.parent)][0] if parent.parent else None,
            span=(parent.start, parent.end),
        )
        parent = parent.parent


# ------------------------------------------------------------------------------------- tables
