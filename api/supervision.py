"""The 任务分解表 (task breakdown sheet) counties use for 督办 (supervision), as XLSX.

Columns: 序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限 / 责任人 / 来源文件 / 备注, then 进展 /
完成情况 / 完成日期 left blank for the bureaus to fill in, and 任务编号 (hidden) by which
``zhenkg progress import`` reads the filled sheet back (``api.progress``). One sheet of all
tasks (全部任务), then one sheet per document; header row frozen, filters on.

- 牵头单位 are the stated lead units; a task naming only 责任单位 is led by the first of them
  (the order plans list them in) and its 备注 says so; everyone else is 配合单位.
- 责任人 is the head of each lead unit as the plan's leading-group list names them (局长 of a
  局, 主任 of a 中心; a collective head such as 各乡镇镇长 as written); blank when the plan
  names nobody.
- 来源文件 is the document's title and number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel, ConfigDict

from api.leads import lead_of
from graph.schema import Label
from queries.answers import TaskRow
from queries.service import Questions

HEADER = [
    "序号",
    "重点任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "责任人",
    "来源文件",
    "备注",
    "进展",
    "完成情况",
    "完成日期",
    "任务编号",
]
WIDTHS = [6, 48, 24, 40, 14, 24, 40, 30, 40, 12, 14, 30]
PROGRESS_COLUMNS = ("进展", "完成情况", "完成日期")
ID_COLUMN = "任务编号"
STATUS_CHOICES = "已完成,推进中,未启动"
ALL_SHEET = "全部任务"
INFERRED_NOTE = "未明确牵头单位，以责任单位首位为牵头单位"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class SupervisionRow(BaseModel):
    """One row of the sheet."""

    model_config = ConfigDict(extra="forbid")

    index: int
    task_id: str
    task: str
    lead: list[str]
    support: list[str]
    deadline: str | None = None
    people: list[str]
    source: str
    note: str = ""

    def cells(self) -> list[str | int]:
        """The row's cells, in :data:`HEADER` order."""
        return [
            self.index,
            self.task,
            "、".join(self.lead),
            "、".join(self.support),
            self.deadline or "",
            "、".join(self.people),
            self.source,
            self.note,
            "",
            "",
            "",
            self.task_id,
        ]


def task_sources(G: nx.MultiDiGraph) -> dict[str, str]:
    """Task id → 来源文件 label (title and number of the document stating the task)."""
    out = {}
    for t, d in G.nodes(data=True):
        if d.get("label") != Label.TASK.value:
            continue
        doc = G.nodes[d["doc"]] if G.has_node(d.get("doc", "")) else {}
        title = doc.get("title") or doc.get("name") or d.get("doc", "")
        out[t] = f"{title}（{doc['doc_number']}）" if doc.get("doc_number") else str(title)
    return out


def supervision_rows(
    tasks: Sequence[TaskRow], sources: Mapping[str, str] | None = None
) -> list[SupervisionRow]:
    """The sheet's rows, numbered from 1, in the order of ``tasks``."""
    rows = []
    for i, t in enumerate(tasks, start=1):
        ordered = sorted(t.units, key=lambda u: u.order)
        decided = lead_of(ordered)
        lead = [u.name for u in ordered if u.id in decided.units]
        support = [u.name for u in ordered if u.id not in decided.units]
        inferred = decided.inferred
        people = [
            f"{h.name}（{h.title}）" if h.id and h.title else h.name
            for u in ordered
            if u.id in decided.units
            for h in u.heads
        ]
        rows.append(
            SupervisionRow(
                index=i,
                task_id=t.id,
                task=f"{t.full_number or t.number or ''} {t.title}".strip(),
                lead=lead,
                support=support,
                deadline=t.deadline,
                people=list(dict.fromkeys(people)),
                source=(sources or {}).get(t.id, t.document),
                note=INFERRED_NOTE if inferred else "",
            )
        )
    return rows


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:31] or "文件"
    title, n = base, 2
    while title in taken:
        suffix = f"_{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _fill(ws: Any, rows: Sequence[SupervisionRow]) -> None:
    ws.append(HEADER)
    for n, r in enumerate(rows, start=1):
        ws.append([n, *r.cells()[1:]])
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, shade
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.column_dimensions[get_column_letter(len(HEADER))].hidden = True
    status = DataValidation(type="list", formula1=f'"{STATUS_CHOICES}"', allow_blank=True)
    status.add(f"J2:J{max(len(rows) + 1, 2)}")
    ws.add_data_validation(status)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{max(len(rows) + 1, 2)}"


def supervision_workbook(
    rows: Sequence[SupervisionRow], sheet_names: Mapping[str, str] | None = None
) -> Workbook:
    """A workbook: all tasks, then one sheet per 来源文件 (named by ``sheet_names`` or itself)."""
    wb = Workbook()
    ws = wb.active
    ws.title = ALL_SHEET
    _fill(ws, rows)
    taken = {ALL_SHEET}
    by_source: dict[str, list[SupervisionRow]] = {}
    for r in rows:
        by_source.setdefault(r.source, []).append(r)
    for source, doc_rows in by_source.items():
        title = _sheet_title((sheet_names or {}).get(source, source), taken)
        _fill(wb.create_sheet(title), doc_rows)
    return wb


def supervision_xlsx(
    rows: Sequence[SupervisionRow], sheet_names: Mapping[str, str] | None = None
) -> bytes:
    """The workbook as bytes (for an HTTP response)."""
    out = io.BytesIO()
    supervision_workbook(rows, sheet_names).save(out)
    return out.getvalue()


def sheet_names_of(G: nx.MultiDiGraph) -> dict[str, str]:
    """来源文件 label → sheet name: the document number when it has one, else its title."""
    names = {}
    sources = task_sources(G)
    for t, label in sources.items():
        doc = G.nodes[G.nodes[t]["doc"]] if G.has_node(G.nodes[t].get("doc", "")) else {}
        names[label] = str(doc.get("doc_number") or doc.get("title") or label)
    return names


def supervision_for(q: Questions) -> bytes:
    """The supervision sheet of every task in the store, as ``.xlsx`` bytes.

    Over a Cypher server (no embedded graph) 来源文件 is the document id.
    """
    if q.cypher:
        return supervision_xlsx(supervision_rows(q.tasks()))
    G = q.graph
    return supervision_xlsx(supervision_rows(q.tasks(), task_sources(G)), sheet_names_of(G))


def write_supervision_for(q: Questions, path: str | Path) -> Path:
    """Write the supervision sheet of every task in the store to ``path``; returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(supervision_for(q))
    return out
