"""Plain-text tables and CSV for the CLI (CJK-aware column widths)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence

from queries.answers import Matrix

ROLE_MARK = {"lead": "牵头", "support": "配合", "responsible": "责任"}
# The workbooks themselves are built in ``api.xlsx`` (openpyxl, imported only to write one).
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def width(text: str) -> int:
    """Display width: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An aligned text table."""
    cells = [[str(c) if c is not None else "" for c in row] for row in [header, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def matrix_rows(m: Matrix) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the matrix: one row per unit, one column per task."""
    header = ["单位"] + [t.full_number or t.number or t.id for t in m.tasks]
    rows = [[u.name] + [ROLE_MARK.get(u.cells.get(t.id, ""), "") for t in m.tasks] for u in m.units]
    return header, rows


def matrix_table(m: Matrix) -> str:
    """The matrix as a text table with a legend of task titles."""
    header, rows = matrix_rows(m)
    legend = "\n".join(f"{t.full_number or t.id}  {t.title}" for t in m.tasks)
    return table(header, rows) + "\n\n" + legend


def matrix_csv(m: Matrix) -> str:
    """The matrix as CSV: header of task titles, a row per unit, role in each cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit"] + [f"{t.full_number or t.id} {t.title}" for t in m.tasks])
    for u in m.units:
        writer.writerow([u.name] + [u.cells.get(t.id, "") for t in m.tasks])
    return out.getvalue()
