"""What every reader shares: the :class:`SourceText` it returns and the helpers that build it.

``SourceText.text`` follows one layout whatever the format: paragraphs are separated by a blank
line, a hard line break inside a paragraph is ``"\\n"``, a table is one line per row with cells
joined by ``"\\t"``. :class:`Layout` renders paragraphs and tables into that layout and records
where each table cell landed. The lower-case helpers (``squeeze``, ``han_count`` …) are shared
by the format modules of this package and not part of its public interface.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import OverBudget


@dataclass(frozen=True)
class Cell:
    """One table cell rendered into ``SourceText.text`` at ``text[start:end]``."""

    start: int
    end: int
    table: int
    row: int
    col: int


@dataclass(frozen=True)
class SourceText:
    """A document's text as read from one file, with where pages and table cells sit in it."""

    text: str
    format: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was repaired on the way (bad bytes)


def page_of(source: SourceText, offset: int) -> int | None:
    """Return the 1-based page holding the character at ``offset``.

    Args:
        source: a document read by :func:`~ingest.readers.read_source`.
        offset: a character offset into ``source.text``.

    Returns:
        The page number, or None when the source has no pages (anything but PDF).

    Raises:
        ValueError: the offset lies outside the text.

    Example:
        >>> page_of(SourceText("ab\\n\\ncd", "pdf", "x.pdf", pages=[0, 4]), 4)
        2
    """
    if not source.pages:
        return None
    if not 0 <= offset <= len(source.text):
        raise ValueError(f"offset {offset} outside text of {source.path} ({len(source.text)})")
    return bisect.bisect_right(source.pages, offset)


# --------------------------------------------------------------------------- shared text helpers

CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014-\u2027\U00020000-\U0003134f"
)
_CJK_GAP = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
SPACES = re.compile("[ \t\u00a0\u3000\u2002-\u200b\ufeff]+")


def words(names: str) -> frozenset[str]:
    """A set of names written as one space-separated string."""
    return frozenset(names.split())


def squeeze(line: str) -> str:
    """Collapse space runs to one space and drop spaces between two CJK characters."""
    return _CJK_GAP.sub("", SPACES.sub(" ", line)).strip()


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds."""
    return len(_HAN.findall(text))


# ------------------------------------------------------------------------------- tables & layout

MAX_TABLE_CELLS = 250_000  # rows × columns of one table after spans are expanded


@dataclass
class Slot:
    """A table cell as found in the markup, before expansion into the grid."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Layout:
    """Accumulates paragraphs and tables into text, recording cell offsets."""

    blocks: list[str] = field(default_factory=list)
    size: int = 0
    cells: list[Cell] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    name: str = "document"  # the file, for messages

    def _offset(self) -> int:
        return self.size + (2 if self.blocks else 0)

    def paragraph(self, text: str) -> None:
        if not text.strip():
            return
        start = self._offset()
        self.blocks.append(text)
        self.size = start + len(text)

    def table(self, slots: list[Slot]) -> None:
        """Render a table: one line per row, vertical merges repeated, horizontal ones once."""
        if not slots:
            return
        nrows = max(s.row + s.rowspan for s in slots)
        ncols = max(s.col + s.colspan for s in slots)
        if nrows * ncols > MAX_TABLE_CELLS:
            raise OverBudget(
                f"{self.name}: a table of {nrows:,} × {ncols:,} cells, more than "
                f"{MAX_TABLE_CELLS:,}"
            )
        owner: list[list[Slot | None]] = [[None] * ncols for _ in range(nrows)]
        for slot in slots:
            for r in range(slot.row, slot.row + slot.rowspan):
                for c in range(slot.col, slot.col + slot.colspan):
                    if owner[r][c] is None:
                        owner[r][c] = slot
        index = len(self.tables)
        self.tables.append([[s.text if s else "" for s in row] for row in owner])
        start = self._offset()
        lines: list[str] = []
        pos = start
        for r, row in enumerate(owner):
            while row and row[-1] is None:
                row = row[:-1]
            if not any(s and s.text for s in row):
                continue
            parts: list[str] = []
            for c, owned in enumerate(row):
                if c and owned is not None and row[c - 1] is owned:
                    continue  # a horizontal merge is rendered once
                text = owned.text if owned else ""
                if parts:
                    pos += 1
                self.cells.append(Cell(pos, pos + len(text), index, r, c))
                parts.append(text)
                pos += len(text)
            lines.append("\t".join(parts))
            pos += 1
        if lines:
            self.blocks.append("\n".join(lines))
            self.size = pos - 1

    def text(self) -> str:
        return "\n\n".join(self.blocks)


def cell_text(parts: Iterable[str]) -> str:
    """One table cell as a single line: its paragraphs joined by a space."""
    return " ".join(p for p in (SPACES.sub(" ", x.replace("\n", " ")).strip() for x in parts) if p)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line of at most 200 characters, for error messages."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
