"""Plain-text tables and CSV for the CLI (CJK-aware column widths)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from api.labels import ROLE as ROLE_MARK
from api.leads import NO_LEAD, Lead

if TYPE_CHECKING:
    from queries.answers import Matrix
    from queries.service import DocumentPart

__all__ = [
    "BOM",
    "ROLE_MARK",
    "csv_text",
    "first_few",
    "matrix_csv",
    "matrix_rows",
    "matrix_table",
    "matrix_tables",
    "table",
]
BOM = "\ufeff"  # lets Excel open the Chinese text of a CSV as UTF-8
# The workbooks themselves are built in ``api.xlsx`` (openpyxl, imported only to write one).
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def width(text: str) -> int:
    """Display width: wide and full-width characters count two.

    >>> width("三（一）1."), width("2024-12-31")
    (10, 10)
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


FEW = 3  # names a sentence gives one by one before it counts them (:func:`first_few`)


def first_few(names: Sequence[str], kind: str, few: int = FEW) -> str:
    """Names a sentence gives one by one: all of a few, the first ``few`` of many, counted as
    ``kind`` (a province's hundred registers or regions would make a line of thousands of
    characters).

    >>> first_few(["甲县", "乙县"], "地区"), first_few(["甲县", "乙县", "丙县", "丁县"], "地区")
    ('甲县、乙县', '甲县、乙县、丙县 等 4 个地区')
    """
    if len(names) <= few:
        return "、".join(names)
    return f"{'、'.join(names[:few])} 等 {len(names)} 个{kind}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An aligned text table."""
    cells = [[str(c) if c is not None else "" for c in row] for row in [header, *rows]]
    sizes = [[width(c) for c in row] for row in cells]  # once a cell: a province's table is long
    widths = [max(r[i] for r in sizes) for i in range(len(header))]
    lines = []
    for n, (row, size) in enumerate(zip(cells, sizes, strict=True)):
        lines.append(
            "  ".join(c + " " * (w - s) for c, s, w in zip(row, size, widths, strict=True)).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cells(m: Matrix, decided: Mapping[str, Lead] | None) -> list[list[str]]:
    leads = [(decided or {}).get(t.id, NO_LEAD) for t in m.tasks]
    return [
        [u.name]
        + [lead.label(u.id, u.cells.get(t.id, "")) for lead, t in zip(leads, m.tasks, strict=True)]
        for u in m.units
    ]


def matrix_rows(
    m: Matrix, decided: Mapping[str, Lead] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the matrix: one row per unit, one column per task (leads by
    ``decided``, ``api.leads``)."""
    header = ["单位"] + [t.full_number or t.number or t.id for t in m.tasks]
    return header, _cells(m, decided)


def matrix_table(m: Matrix, decided: Mapping[str, Lead] | None = None) -> str:
    """The matrix as a text table with a legend of task titles."""
    header, rows = matrix_rows(m, decided)
    legend = "\n".join(f"{t.full_number or t.id}  {t.title}" for t in m.tasks)
    return table(header, rows) + "\n\n" + legend


def matrix_tables(
    m: Matrix, parts: Sequence[DocumentPart], decided: Mapping[str, Lead] | None = None
) -> str:
    """The matrix ``m`` one document at a time (``parts``: ``Questions.by_document``), each
    table headed by the document's title and number; ``m`` itself when it holds the tasks of
    one document or none."""
    if len(parts) <= 1:
        return matrix_table(m, decided)
    return "\n\n".join(
        f"【{p.title}{f'（{p.number}）' if p.number else ''}】\n{matrix_table(p.matrix, decided)}"
        for p in parts
    )


def csv_text(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """CSV with a byte-order mark (UTF-8 that Excel opens as such)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + out.getvalue()


def matrix_csv(m: Matrix, decided: Mapping[str, Lead] | None = None) -> str:
    """The matrix as CSV (with BOM): 单位, then a column per task, 牵头/配合/责任 in each cell."""
    header = ["单位"] + [f"{t.full_number or t.id} {t.title}" for t in m.tasks]
    return csv_text(header, _cells(m, decided))
