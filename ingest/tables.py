"""Task decomposition tables (任务分解表): columns recognised by keyword in any order.

Tables come from the reader (DOCX/HTML cells, merged cells repeated) or, for text formats,
from tab-separated or wide-space-separated lines. A table with a task column and a unit column
(牵头单位 / 配合单位 / 责任单位) gives one task per row; merged task cells make one task.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.record import Provenance, Section, Task, TaskUnit
from graph.schema import Role
from ingest.markers import UnitMention, unit_list
from ingest.numbers import deadline
from ingest.owned_tables import SERIAL, TableRow, locate, owned_rows
from ingest.resolve import Roster
from ingest.task_units import task_units

UNIT_KIND_ROLE = {"lead": Role.LEAD, "support": Role.SUPPORT, "responsible": Role.RESPONSIBLE}


def text_tables(text: str) -> list[list[list[str]]]:
    """Tables written as runs of tab-separated lines, or of cells set apart by wide spaces.

    A tab-separated cell may wrap over several lines (tables copied from a page): a line that
    does not start a row of its own continues the last cell of the row above, and its cells
    after the first tab are that row's next cells. A line starts a row when its first cell is
    a serial number or empty, when it has as many cells as the header, or when the row above
    closed with a tab.

    >>> text_tables("前言\\n序号\\t任务\\n1\\t甲\\n正文")
    [[['序号', '任务'], ['1', '甲']]]
    >>> text_tables("序号  重点任务  牵头单位\\n1  培育企业  县工信局")
    [[['序号', '重点任务', '牵头单位'], ['1', '培育企业', '县工信局']]]
    >>> text_tables("序号\\t内容\\t标准\\n1\\t建设\\n设施\\t每处\\n得分\\t\\n2\\t巡查\\t\\t")
    [[['序号', '内容', '标准'], ['1', '建设\\n设施', '每处\\n得分', ''], ['2', '巡查', '', '']]]
    """
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    kind: str | None = None
    lines = [*text.split("\n"), ""]
    tab_ahead = _tab_ahead(lines)
    closed = True  # the last line of the current row ended with a tab: no cell left open
    for i, line in enumerate(lines):
        cells = _cells(line)
        this = ("tab" if "\t" in line else "space") if cells else None
        if kind == "tab" and current and not closed and line.strip():
            tabbed = cells if "\t" in line else []
            if _continues(line, tabbed, current, tab_ahead[i]):
                first, *rest = tabbed or [line.strip()]
                current[-1][-1] = f"{current[-1][-1]}\n{first}" if current[-1][-1] else first
                current[-1].extend(rest)
                closed = line.rstrip(" \u3000").endswith("\t")
                continue
        if current and this == kind:
            current.append(cells)
            closed = kind != "tab" or line.rstrip(" \u3000").endswith("\t")
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if current and this is None and line.strip() and len(line) <= 40 and _cells(following):
            current.append([line.strip()])  # a section row between rows of one table
            closed = True
            continue
        if len(current) > 1:
            out.append(current)
        current, kind, closed = [], None, True
        if this == "tab" or (this == "space" and _header([cells]) is not None):
            current, kind = [cells], this
            closed = this != "tab" or line.rstrip(" \u3000").endswith("\t")
    return out


HEADING_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十\d]{1,3}[部章节])"
)


def _tab_ahead(lines: list[str]) -> list[bool]:
    """For each line, whether a later line of its paragraph (no blank line between) has a tab."""
    out = [False] * len(lines)
    seen = False
    for i in range(len(lines) - 1, -1, -1):
        out[i] = seen
        seen = (seen or "\t" in lines[i]) and bool(lines[i].strip())
    return out


def _continues(line: str, cells: list[str], rows: list[list[str]], tab_ahead: bool) -> bool:
    """Whether ``line`` wraps the last cell of the row above instead of starting a row."""
    if not cells:  # no tab: wraps a cell when the table goes on below and it is no heading
        return tab_ahead and not HEADING_LINE.match(line.strip())
    return bool(cells[0]) and not SERIAL.match(cells[0]) and len(cells) < len(rows[0])


WIDE_GAP = re.compile(r"[ \u3000]{2,}")


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    if "  " not in line and "\u3000" not in line:
        return []  # no wide gap: one cell at most
    cells = [c for c in WIDE_GAP.split(line.strip()) if c]
    return cells if len(cells) >= 2 else []


@lru_cache(maxsize=4096)  # the header cells of a plan's tables are few and repeat
def _column_kind(cell: str) -> str | None:
    """What a task table column holds, from its header cell.

    >>> [_column_kind(c) for c in ["序号", "重点任务", "牵头单位", "责任单位及责任人", "完成时限", "责任领导"]]
    ['serial', 'task', 'lead', 'responsible', 'deadline', 'leader']
    >>> [_column_kind(c) for c in ["考核内容", "评分标准", "分值", "说明", "考核项目"]]
    ['task', 'rule', 'score', 'note', None]
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
    if re.search(r"评分|计分|扣分|考核(?:办法|标准|方式|方法)", c):
        return "rule"
    if re.search(r"分值|分数|权重|满分", c):
        return "score"
    if c in ("说明", "备注"):
        return "note"
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


def _header_row(rows: list[list[str]]) -> int | None:
    """The first row, among the first four, that names at least two kinds of column."""
    for first in range(min(4, len(rows))):
        if sum(_column_kind(c) is not None for c in rows[first]) >= 2:
            return first
    return None


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
        written = _written(raw)
        rows = [row + [""] * (width - len(row)) for row in written]
        header = _header(rows)
        if header is not None:
            parsed, cursor = _rows(text, rows, header, cursor)
        elif (first := _header_row(written)) is not None:
            kinds = [_column_kind(c) for c in written[first]]
            owned = owned_rows(text, written, first, kinds, roster, cursor)
            if owned is None:
                continue
            parsed, cursor = owned
        else:
            continue
        section: Section | None = None
        n_sections = 0
        previous: TableRow | None = None
        for row in parsed:
            if row.category and (section is None or section.title != _short(row.category)):
                n_sections += 1
                section = _table_section(
                    text, f"表{t_index + 1}.{n_sections}", row.category, row.at, sections
                )
            if previous is not None and (row.serial, row.task) == (previous.serial, previous.task):
                out[-1].units = _merge(
                    out[-1].units, task_units(row.mentions, roster, region, first_leads)
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
                    units=task_units(row.mentions, roster, region, first_leads),
                    span=(at, row.end if row.at >= 0 else 0),
                    text=row.task,
                    provenance=Provenance(table=t_index, row=row.index, cell=row.cell),
                )
            )
    return [t for t in out if t.units]


def _written(raw: list[list[str]]) -> list[list[str]]:
    """:func:`_cell` of every cell of a table, the table's cells read as one text first.

    Most tables hold nothing to normalise: one :func:`char_forms` and one :func:`to_simplified`
    of the cells joined by line breaks says so, instead of one of each per cell (OpenCC reads
    no phrase across a line break, so the joined text is left as it is only when every cell
    is). Such a cell is only stripped and, as a page number, dropped.
    """
    from ingest.normalise import PAGE_NUMBER, PINYIN_HINT, char_forms, to_simplified

    cells = [c for row in raw for c in row]
    joined = "\n".join(cells)
    if (
        joined.count("\n") != len(cells) - 1  # a cell of several lines
        or char_forms(joined)[0] != joined
        or to_simplified(joined) != joined
        or PINYIN_HINT.search(joined)
    ):
        return [[_cell(c) for c in row] for row in raw]
    stripped = [[c.strip() for c in row] for row in raw]
    return [["" if PAGE_NUMBER.match(c) else c for c in row] for row in stripped]


@lru_cache(maxsize=8192)
def _cell(raw: str) -> str:
    """A cell as the text around it is normalised (cells repeat: unit names, deadlines).

    A cell of one line (nearly all) is normalised as a line on its own is: character forms,
    simplified, stripped, dropped as a page number. Skipping :func:`normalise`'s paragraph
    machinery (offset lists, wrap width, joins: nothing for one line) costs about a third.
    Pinyin glosses and anything that makes more lines still take the whole way.
    """
    from ingest.normalise import PAGE_NUMBER, PINYIN_HINT, char_forms, normalise, to_simplified

    if "\n" not in raw:
        line = to_simplified(char_forms(raw)[0])
        if "\n" not in line and not PINYIN_HINT.search(line):
            line = line.strip()
            return "" if PAGE_NUMBER.match(line) else line
    return normalise(raw).text.replace("\n", "").strip()


def _rows(
    text: str, rows: list[list[str]], header: tuple[int, dict[int, str], int], cursor: int
) -> tuple[list[TableRow], int]:
    body, columns, task_col = header
    width = max(len(r) for r in rows)
    categories = [c for c, k in columns.items() if k == "category"]
    categories += [c for c, k in columns.items() if k == "task" and c != task_col]
    out: list[TableRow] = []
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
        at, end = (at, at + len(task)) if at >= 0 else locate(text, task, cursor)
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
        out.append(TableRow(r, serial, task, category, mentions, limit, at, end, task_col))
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
