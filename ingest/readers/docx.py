"""Word (DOCX) documents: paragraphs, text boxes, merged table cells and automatic numbering.

The body XML is walked directly rather than through python-docx's paragraph list, so content
controls, text boxes and nested tables keep their place, and Word's automatic list numbers
("一、", "（二）", "3."), which are not in the text runs, are rendered from ``numbering.xml``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from graph.errors import UnreadableDocument
from ingest.readers.base import Layout, Slot, SourceText, cell_text, one_line, words
from ingest.readers.limits import check_time

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP_RUN = {f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback"}
_MAX_SPAN = 64  # Word tables have at most 63 columns
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}


def _attr(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{_W}val")


def read_docx(data: bytes, name: str) -> SourceText:
    """Read a Word document: body paragraphs and tables in order, headers and footers left out.

    Raises:
        UnreadableDocument: the package is corrupt or holds no text.
    """
    try:
        document = docx.Document(io.BytesIO(data))
        reader = _DocxReader(document, name)
        reader.blocks(document.element.body)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        SyntaxError,
    ) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; python-docx raises KeyError for missing parts.
        raise UnreadableDocument(f"{name}: corrupt DOCX file ({one_line(exc)})") from exc
    text = reader.layout.text()
    if not text.strip():
        raise UnreadableDocument(f"{name}: empty file (the DOCX has no text)")
    layout = reader.layout
    return SourceText(text, "docx", name, cells=layout.cells, tables=layout.tables)


class _DocxReader:
    """Walks the body XML in document order, rendering paragraphs, tables and numbering."""

    def __init__(self, document: Any, name: str) -> None:
        self.layout = Layout(name=name)
        self.numbering = _Numbering(document)

    def blocks(self, parent: Any) -> None:
        for child in parent:
            check_time("reading DOCX paragraphs")
            if child.tag == f"{_W}p":
                boxes: list[str] = []
                text = self.paragraph(child, boxes)
                for box in boxes:
                    self.layout.paragraph(box)
                self.layout.paragraph(text)
            elif child.tag == f"{_W}tbl":
                self.layout.table(self.table(child))
            elif child.tag in _WRAPPERS:
                self.blocks(child)

    def paragraph(self, p: Any, boxes: list[str]) -> str:
        parts: list[str] = []
        self._runs(p, parts, boxes)
        body = "".join(parts).lstrip(" \u3000\u00a0\n").rstrip(" \u3000\u00a0\n\t")
        if not body:
            return ""
        return self.numbering.label(p) + body

    def _runs(self, el: Any, out: list[str], boxes: list[str]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_RUN:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            elif tag == f"{_W}txbxContent":
                for p in child.iter(f"{_W}p"):
                    box = self.paragraph(p, boxes)
                    if box:
                        boxes.append(box)
            else:
                self._runs(child, out, boxes)

    def table(self, tbl: Any) -> list[Slot]:
        slots: list[Slot] = []
        above: dict[int, Slot] = {}
        for r, tr in enumerate(_descend(tbl, f"{_W}tr")):
            col = min(int(_attr(tr, f"{_W}trPr/{_W}gridBefore") or 0), _MAX_SPAN)
            for tc in _descend(tr, f"{_W}tc"):
                span = min(max(1, int(_attr(tc, f"{_W}tcPr/{_W}gridSpan") or 1)), _MAX_SPAN)
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                origin = above.get(col)
                continues = vmerge is not None and vmerge.get(f"{_W}val") != "restart"
                if continues and origin is not None:
                    origin.rowspan = r - origin.row + 1
                else:
                    origin = Slot(r, col, self.cell(tc), colspan=span)
                    slots.append(origin)
                for c in range(col, col + span):
                    above[c] = origin
                col += span
        return slots

    def cell(self, tc: Any) -> str:
        parts: list[str] = []
        for child in _descend(tc, f"{_W}p", f"{_W}tbl"):
            if child.tag == f"{_W}p":
                boxes: list[str] = []
                text = self.paragraph(child, boxes)
                parts.extend([*boxes, text])
            else:
                parts.extend(s.text for s in self.table(child))
        return cell_text(parts)


def _descend(parent: Any, *tags: str) -> Iterator[Any]:
    """Children with the given tags, looking through content-control wrappers."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _descend(child, *tags)


_CN_DIGITS = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_SYMBOLS = "m cm d cd c xc l xl x ix v iv i"
_CN_COUNTING = words(
    "chineseCounting chineseCountingThousand japaneseCounting taiwaneseCounting "
    "chineseLegalSimplified"
)


def _roman(n: int) -> str:
    out = ""
    for value, sym in zip(_ROMAN_VALUES, _ROMAN_SYMBOLS.split(), strict=True):
        count, n = divmod(n, value)
        out += sym * count
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in _CN_COUNTING:
        return _chinese(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers ("一、", "（二）", "3.") that are not in w:t."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        for absnum in root.iterfind(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in absnum.iterfind(f"{_W}lvl"):
                fmt = _attr(lvl, f"{_W}numFmt") or "decimal"
                text = _attr(lvl, f"{_W}lvlText") or ""
                start = int(_attr(lvl, f"{_W}start") or 1)
                if lvl.find(f"{_W}isLgl") is not None:
                    fmt = "decimal"
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (fmt, text, start)
            abstracts[absnum.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iterfind(f"{_W}num"):
            abstract = _attr(num, f"{_W}abstractNumId") or ""
            num_id = num.get(f"{_W}numId", "")
            self.levels[num_id] = abstracts.get(abstract, {})
            self.abstract_of[num_id] = abstract
        for style in document.styles.element.iterfind(f"{_W}style"):
            num_id = _attr(style, f"{_W}pPr/{_W}numPr/{_W}numId")
            if num_id:
                ilvl = int(_attr(style, f"{_W}pPr/{_W}numPr/{_W}ilvl") or 0)
                self.style_num[style.get(f"{_W}styleId", "")] = (num_id, ilvl)

    def label(self, p: Any) -> str:
        num_id = _attr(p, f"{_W}pPr/{_W}numPr/{_W}numId")
        ilvl_attr = _attr(p, f"{_W}pPr/{_W}numPr/{_W}ilvl")
        style = self.style_num.get(_attr(p, f"{_W}pPr/{_W}pStyle") or "")
        if num_id is None and style:
            num_id = style[0]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        ilvl = int(ilvl_attr) if ilvl_attr else style[1] if style else 0
        levels = self.levels[num_id]
        if ilvl not in levels or levels[ilvl][0] == "bullet":
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id], {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            fmt, _, start = levels.get(k, ("decimal", "", 1))
            return _format_number(counters.get(k, start), fmt)

        label = re.sub(r"%([1-9])", number, levels[ilvl][1])
        # Word separates number and text by a tab; "一、" needs nothing, "1." needs a space.
        return label + (" " if label and label[-1].isascii() and label[-1] != " " else "")
