"""``zhenkg progress import``: a filled 任务分解表 read back into the store as progress reports.

The bureaus fill in 进展 / 完成情况 / 完成日期 of the sheet ``zhenkg matrix --format xlsx`` writes
(``api.supervision``). Every sheet of the workbook with that header is read; a row with the
three cells blank reports nothing. A row is refused — with its sheet and row number — when its
任务编号 names no task in the store, when 重点任务, 牵头单位 or 完成时限 no longer say what the
store says (the sheet was written for another version of the plan, or edited), when 完成情况 is
not a known word, when 完成日期 is not a date, or when two rows report differently on one task.
One refused row refuses the whole sheet: nothing is written.

Each report becomes a ``Progress`` node on the task (:mod:`queries.progress`), dated by the day
it is imported (``--date``), for the document version the task now belongs to. Importing the
same sheet again on the same day changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import BaseModel, ConfigDict

from api.supervision import HEADER, ID_COLUMN, SupervisionRow, supervision_rows
from graph.errors import ZhenkgError
from graph.fragment import Fragment
from graph.schema import Label, Rel, progress_id
from graph.store import GraphStore
from ingest.numbers import iso_date
from queries.progress import UNDERWAY, is_done
from queries.service import Questions

CHECKED = {"重点任务": "task", "牵头单位": "lead", "完成时限": "deadline"}
SHOWN_ROWS = 8  # row numbers named in the one-line error before "…"


class InvalidProgressSheet(ZhenkgError):
    """A filled 任务分解表 that cannot be imported (the message names the file and rows)."""


class ImportedProgress(BaseModel):
    """What an import stored: reports, and the tasks the sheet left blank."""

    model_config = ConfigDict(extra="forbid")

    file: str
    reported_on: str
    reports: int
    done: int
    blank: int


@dataclass(frozen=True)
class FilledRow:
    """A row of the sheet with something in 进展 / 完成情况 / 完成日期."""

    where: str  # 全部任务 第5行
    task: str
    cells: dict[str, str]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _day(text: str) -> str | None:
    """A 完成日期 as ISO: 2024-06-20, 2024/6/20, 2024.6.20 or 2024年6月20日."""
    t = text.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(t, fmt).date().isoformat()
        except ValueError:
            continue
    return iso_date(t)


def read_filled(data: bytes, name: str) -> tuple[list[FilledRow], int]:
    """The filled rows of every sheet with the 任务分解表 header, and the number of blank ones.

    Raises:
        InvalidProgressSheet: not a workbook, or no sheet has the header.
    """
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise InvalidProgressSheet(f"{name}: 不是可读取的 Excel 工作簿（{exc}）") from exc
    filled: list[FilledRow] = []
    blank, found = 0, False
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [_text(c) for c in next(rows, ())]
        if not set(HEADER) <= set(header):
            continue
        found = True
        col = {h: header.index(h) for h in HEADER}
        for n, values in enumerate(rows, start=2):
            cells = {h: _text(values[i]) if i < len(values) else "" for h, i in col.items()}
            if not any(cells.values()):
                continue
            if not any(cells[h] for h in ("进展", "完成情况", "完成日期")):
                blank += 1
                continue
            filled.append(FilledRow(f"{ws.title} 第{n}行", cells[ID_COLUMN], cells))
    wb.close()
    if not found:
        raise InvalidProgressSheet(
            f"{name}: 没有任务分解表（表头应为 {' / '.join(HEADER)}），未导入任何内容"
        )
    return filled, blank


def _expected(q: Questions) -> dict[str, SupervisionRow]:
    return {r.task_id: r for r in supervision_rows(q.tasks())}


def problems(rows: list[FilledRow], expected: dict[str, SupervisionRow]) -> list[str]:
    """What is wrong with each refused row: ``全部任务 第5行：未知任务`` …"""
    out: list[str] = []
    seen: dict[str, FilledRow] = {}
    for r in rows:
        want = expected.get(r.task)
        if want is None:
            out.append(f"{r.where}：未知任务（任务编号 {r.task or '空'}）")
            continue
        wanted = {"task": want.task, "lead": "、".join(want.lead), "deadline": want.deadline or ""}
        changed = [h for h, k in CHECKED.items() if r.cells[h] != wanted[k]]
        if changed:
            out.append(f"{r.where}：与库中任务不一致（{'、'.join(changed)}）")
            continue
        status = r.cells["完成情况"]
        if status and not is_done(status) and not status.startswith(UNDERWAY):
            out.append(f"{r.where}：完成情况“{status}”无法识别（应为 已完成 / 推进中 / 未启动）")
            continue
        if r.cells["完成日期"] and _day(r.cells["完成日期"]) is None:
            out.append(f"{r.where}：完成日期“{r.cells['完成日期']}”不是日期")
            continue
        if (first := seen.setdefault(r.task, r)) is not r and any(
            first.cells[h] != r.cells[h] for h in ("进展", "完成情况", "完成日期")
        ):
            out.append(f"{r.where}：与{first.where}填报不同")
    return out


def progress_fragment(
    rows: list[FilledRow],
    versions: dict[str, tuple[str | None, int | None]],
    reported_on: date,
    source: str,
) -> Fragment:
    """The reports as Progress nodes with their HAS_PROGRESS edges (one source per report, so
    importing it again replaces it)."""
    f = Fragment()
    day = reported_on.isoformat()
    for r in rows:
        doc, version = versions.get(r.task, (None, None))
        pid = progress_id(r.task, version, day)
        if pid in f.nodes:
            continue
        status = r.cells["完成情况"]
        f.node(
            pid,
            Label.PROGRESS,
            name=f"{status or '进展'} {day}",
            task=r.task,
            document=doc,
            version=version,
            reported_on=day,
            progress=r.cells["进展"],
            status=status,
            done=is_done(status),
            completed_on=_day(r.cells["完成日期"]) if r.cells["完成日期"] else None,
            source=f"{source} {r.where}",
        )
        f.edge(r.task, pid, Rel.HAS_PROGRESS, origin=pid)
        f.sources.append(pid)
    return f


def import_progress(
    store: GraphStore, data: bytes, name: str, reported_on: date | None = None
) -> ImportedProgress:
    """Check a filled sheet against the store's tasks and store its reports, all or nothing.

    Raises:
        InvalidProgressSheet: the file is no 任务分解表, or rows were refused (all are named).
    """
    q = Questions(store)
    rows, blank = read_filled(data, name)
    wrong = problems(rows, _expected(q))
    if wrong:
        shown = "；".join(wrong[:SHOWN_ROWS]) + ("；…" if len(wrong) > SHOWN_ROWS else "")
        raise InvalidProgressSheet(f"{name}: {len(wrong)} 行被拒，未导入任何内容 — {shown}")
    day = reported_on or date.today()
    fragment = progress_fragment(rows, q.task_versions(), day, name)
    if fragment.nodes:
        store.load(fragment)
    done = sum(1 for a in fragment.nodes.values() if a.get("done"))
    return ImportedProgress(
        file=name, reported_on=day.isoformat(), reports=len(fragment.nodes), done=done, blank=blank
    )


def import_progress_file(
    store: GraphStore, path: str | Path, reported_on: date | None = None
) -> ImportedProgress:
    """:func:`import_progress` of a file on disk.

    Raises:
        InvalidProgressSheet: the file cannot be read, or is refused.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InvalidProgressSheet(f"{p}: 无法读取（{exc.strerror}）") from exc
    return import_progress(store, data, str(p), reported_on)
