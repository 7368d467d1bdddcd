"""The responsibility matrix as an Excel workbook (openpyxl), for planners who print it.

Sheet 责任矩阵: a row per unit (most loaded first), a column per task, 牵头 (lead) cells filled
and bold; sheet 任务: the tasks with document, deadline and units, lead first. Built as a
``Workbook`` so that later sheets (a supervision sheet, 督办表) can be added before saving.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from api.leads import NO_LEAD, Lead
from queries.answers import Matrix

FILL = {
    "lead": PatternFill("solid", fgColor="F4B183"),
    "support": PatternFill("solid", fgColor="DDEBF7"),
    "responsible": PatternFill("solid", fgColor="E2EFDA"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _header(ws: Worksheet, values: list[str]) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cell.border = BOX


def matrix_sheet(ws: Worksheet, m: Matrix, decided: Mapping[str, Lead] | None = None) -> None:
    """Fill ``ws`` with units × tasks; the last columns count tasks and leads.

    ``decided`` is the lead of each task (``api.leads``); without it only stated leads lead.
    """
    decided = decided or {}
    ws.title = "责任矩阵"
    _header(
        ws,
        ["单位"]
        + [f"{t.full_number or t.number or t.id}\n{t.title}" for t in m.tasks]
        + ["任务数", "牵头数"],
    )
    for u in m.units:
        stated = [u.cells.get(t.id, "") for t in m.tasks]
        leads = [decided.get(t.id, NO_LEAD) for t in m.tasks]
        roles = [lead.role(u.id, r) if r else "" for lead, r in zip(leads, stated, strict=True)]
        ws.append(
            [u.name]
            + [lead.label(u.id, r) for lead, r in zip(leads, stated, strict=True)]
            + [sum(1 for r in roles if r), sum(1 for r in roles if r == "lead")]
        )
        for cell, role in zip(ws[ws.max_row][1 : len(m.tasks) + 1], roles, strict=True):
            cell.alignment = WRAP
            if role:
                cell.fill = FILL.get(role, PatternFill())
                cell.font = Font(bold=role == "lead")
        for cell in ws[ws.max_row]:
            cell.border = BOX
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 26
    for i in range(2, len(m.tasks) + 2):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.row_dimensions[1].height = 90
    ws.auto_filter.ref = ws.dimensions


def tasks_sheet(ws: Worksheet, m: Matrix, decided: Mapping[str, Lead] | None = None) -> None:
    """Fill ``ws`` with one row per task: number, title, document, deadline, units."""
    decided = decided or {}
    ws.title = "任务"
    _header(ws, ["编号", "任务", "文件", "时限", "牵头单位", "责任/配合单位"])
    for t in m.tasks:
        on = [u for u in m.units if t.id in u.cells]
        chosen = decided.get(t.id, NO_LEAD)
        lead = [u.name for u in on if chosen.role(u.id, u.cells[t.id]) == "lead"]
        rest = [u.name for u in on if chosen.role(u.id, u.cells[t.id]) != "lead"]
        ws.append(
            [
                t.full_number or t.number or "",
                t.title,
                t.document,
                t.deadline or "",
                "、".join(lead),
                "、".join(rest),
            ]
        )
    for column, width in zip("ABCDEF", (10, 40, 36, 12, 24, 60), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def matrix_workbook(m: Matrix, decided: Mapping[str, Lead] | None = None) -> Workbook:
    """A workbook with the matrix and the task list (leads by ``decided``)."""
    wb = Workbook()
    active = wb.active
    assert isinstance(active, Worksheet)
    matrix_sheet(active, m, decided)
    tasks_sheet(wb.create_sheet(), m, decided)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The ``.xlsx`` file of a workbook."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def matrix_xlsx(m: Matrix, decided: Mapping[str, Lead] | None = None) -> bytes:
    """The matrix as an ``.xlsx`` file."""
    return workbook_bytes(matrix_workbook(m, decided))
