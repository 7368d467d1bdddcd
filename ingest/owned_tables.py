"""Tables whose unit column owns the rows below it (考核细则, 责任清单 rendered as text).

An assessment table names no 责任单位 in its header: one column holds the unit of a row
(县农业农村局, 县水利局 …) and the rows below that give only a score and a task belong to the
same unit until the next one. Cells a row spans from above are missing from the rows below in
text, and group labels (重点考核部门) sit in a cell of their own, so rows are aligned on their
right-hand end, where the cells of every row are. Rows of a part that names no unit (通用考核项目,
综合奖扣分项目) are not tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.schema import Role
from ingest.markers import UnitMention, unit_list
from ingest.resolve import Roster, looks_like_body, looks_like_unit

SERIAL = re.compile(
    r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3}、?|[（(][一二三四五六七八九十\d]{1,3}[）)])$"
)
NUMERIC = re.compile(r"^[\d.%％分]*$")
PEOPLE = re.compile(r"姓名|职务|联系电话")
# columns that never hold the unit or the task: the scoring rule, the score, notes, dates
NOT_TASK = {"serial", "rule", "score", "note", "deadline", "leader", "category"}


@dataclass
class TableRow:
    """One body row of a task table, located in the text when possible."""

    index: int
    serial: str
    task: str
    category: str | None
    mentions: list[UnitMention]
    deadline: str | None
    at: int  # offset of the task cell in the text, -1 when not found
    end: int
    cell: int  # the task cell's index in the row as written


def locate(text: str, cell: str, start: int) -> tuple[int, int]:
    """Span of ``cell`` in ``text`` from ``start``, also when the cell wraps over lines.

    >>> locate("序号\\t内容\\n1\\t建设污水\\n处理设施\\t", "建设污水处理设施", 0)
    (8, 17)
    """
    at = text.find(cell, start)
    if at >= 0:
        return at, at + len(cell)
    if not cell:
        return -1, -1
    wrapped = re.compile(r"\s*".join(map(re.escape, cell[:200])))
    m = wrapped.search(text, start)
    return (m.start(), m.end()) if m else (-1, -1)


def unit_cell(cell: str, roster: Roster) -> bool:
    """Whether a cell names units only ("县水利局", "县水利局、县水文站").

    >>> r = Roster.bundled()
    >>> unit_cell("县工业园区管委会", r), unit_cell("县水利局、县水文站", r)
    (True, True)
    >>> unit_cell("重点考核部门", r), unit_cell("组织领导", r), unit_cell("60", r)
    (False, False, False)
    """
    parts = [p for p in re.split(r"[、，,；;\s]+", cell) if p]
    return bool(parts) and all(
        len(p) <= 24 and (roster.known(p) or looks_like_unit(p) or looks_like_body(p))
        for p in parts
    )


def _aligned(row: list[str], width: int) -> tuple[list[str], list[str]]:
    """The row's cells under the header's columns, counted from the right, and the extra
    cells before them (a serial number and a group label, when a row has more than the header).
    """
    if len(row) >= width:
        return row[len(row) - width :], row[: len(row) - width]
    return [""] * (width - len(row)) + row, []


def _unit_column(body: list[list[str]], kinds: list[str | None], roster: Roster) -> int | None:
    """The column whose filled cells are mostly units (at least two of them)."""
    best: tuple[int, int] | None = None
    for c, kind in enumerate(kinds):
        if kind in NOT_TASK or kind == "task":
            continue
        filled = [row[c] for row in body if row[c] and not NUMERIC.match(row[c])]
        units = sum(unit_cell(cell, roster) for cell in filled)
        if units >= 2 and 2 * units >= len(filled) and (best is None or units > best[1]):
            best = (c, units)
    return best[0] if best else None


def _task_column(body: list[list[str]], kinds: list[str | None], unit_col: int) -> int | None:
    """The task column: named by its header (考核内容, 工作任务), else the longest text that is
    not a number, the scoring rule or a note."""
    named = [c for c, k in enumerate(kinds) if k == "task" and c != unit_col]
    candidates = named or [c for c, k in enumerate(kinds) if k not in NOT_TASK and c != unit_col]
    best: tuple[int, float] | None = None
    for c in candidates:
        cells = [row[c] for row in body if row[c] and not NUMERIC.match(row[c])]
        mean = sum(map(len, cells)) / len(cells) if cells else 0.0
        if (named or mean >= 6) and (best is None or mean > best[1]):
            best = (c, mean)
    return best[0] if best else None


def owned_rows(
    text: str,
    rows: list[list[str]],
    header: int,
    kinds: list[str | None],
    roster: Roster,
    cursor: int,
) -> tuple[list[TableRow], int] | None:
    """The task rows of a table whose unit column owns the rows below, or None.

    Args:
        text: the normalised text the table was read from (for spans).
        rows: the table's rows of cleaned cells, as long as each was written.
        header: index of the header row; ``kinds`` are its columns' kinds.
        roster: tells units from other short cells.
        cursor: where in ``text`` to start looking for the first row.
    """
    width = len(kinds)
    if width < 3 or PEOPLE.search("".join(rows[header])):
        return None
    body: list[tuple[int, list[str], list[str]]] = []
    for r in range(header + 1, len(rows)):
        if sum(1 for c in rows[r] if c) == 1 and len(rows[r]) == 1:
            body.append((r, [], rows[r]))  # a section row
            continue
        cells, extra = _aligned(rows[r], width)
        body.append((r, cells, extra))
    grid = [cells for _, cells, _ in body if cells]
    unit_col = _unit_column(grid, kinds, roster)
    if unit_col is None:
        return None
    task_col = _task_column(grid, kinds, unit_col)
    if task_col is None:
        return None
    deadline_col = next((c for c, k in enumerate(kinds) if k == "deadline"), None)
    out: list[TableRow] = []
    owner: list[UnitMention] = []
    owner_serial = ""
    owned = 0
    category: str | None = None
    for r, cells, extra in body:
        if not cells:
            category, owner = extra[0], []
            continue
        row_at = _row_start(text, rows[r], cursor)
        head = [c for c in [*extra, *cells[:unit_col]] if c]
        serial = next((c for c in head if SERIAL.match(c)), "")
        label = next(
            (c for c in head if not SERIAL.match(c) and not NUMERIC.match(c) and len(c) <= 12),
            None,
        )
        unit = cells[unit_col]
        if unit and unit_cell(unit, roster):
            owner, owner_serial, owned = _mentions(text, unit, row_at), serial, 0
            category = label or category
        elif unit and not NUMERIC.match(unit):
            owner, category = [], None  # a part that names no unit: its rows are not tasks
        elif unit and not serial and SERIAL.match(unit):
            serial = unit  # the unit cell spans this row: its serial number shifted right
        task = cells[task_col]
        if not owner or not task or task == rows[header][task_col]:
            continue
        owned += 1
        if not serial and owner_serial:
            serial = owner_serial if owned == 1 else f"{owner_serial}-{owned}"
        at, end = locate(text, task, max(row_at, cursor))
        if at >= 0:
            cursor = at + 1
        limit = cells[deadline_col] if deadline_col is not None and cells[deadline_col] else None
        written = task_col - (width - len(rows[r])) if len(rows[r]) < width else task_col
        out.append(
            TableRow(r, serial, task, category, list(owner), limit, at, end, written + len(extra))
        )
    return out, cursor


def _row_start(text: str, row: list[str], cursor: int) -> int:
    first = next((c for c in row if c), "")
    at, _ = locate(text, first, cursor) if first else (-1, -1)
    return at if at >= 0 else cursor


def _mentions(text: str, cell: str, near: int) -> list[UnitMention]:
    """The units of an owner cell, with their spans where the cell is found near ``near``."""
    at, end = locate(text, cell, near)
    if at >= 0:
        found = unit_list(text, at, end, Role.RESPONSIBLE)
        return found or [UnitMention(cell, Role.RESPONSIBLE, at, end)]
    found = unit_list(cell, 0, len(cell), Role.RESPONSIBLE)
    return [UnitMention(m.surface, m.role, 0, 0) for m in found] or [
        UnitMention(cell, Role.RESPONSIBLE, 0, 0)
    ]
