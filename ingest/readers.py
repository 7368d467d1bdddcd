"""Read a policy document (TXT, DOCX, PDF, HTML) into plain text with its layout marks.

The reader picks the format from the content (magic bytes, markup sniffing); the extension only
breaks ties. Every reader returns a :class:`SourceText` whose ``text`` follows one layout:
paragraphs are separated by a blank line, a hard line break inside a paragraph is ``"\\n"``,
a table is one line per row with cells joined by ``"\\t"`` (in a PDF, where tables are only
drawn, a wide horizontal gap inside a line becomes the ``"\\t"``). Wrapped lines are *not*
joined here; that is the normaliser's job. Everything that makes a file unusable raises
:class:`~graph.errors.UnreadableDocument` with a one-line message naming the file.

Example:
    >>> src = read_bytes("第一段\\r\\n\\r\\n第二段".encode("gb18030"), "plan.txt")
    >>> src.format, src.text
    ('txt', '第一段\\n\\n第二段')
"""

from __future__ import annotations

import bisect
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from charset_normalizer import from_bytes
from docx.opc.exceptions import PackageNotFoundError
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from graph.errors import UnreadableDocument

__all__ = ["Cell", "SourceText", "decode_text", "page_of", "read_bytes", "read_source"]


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


# --------------------------------------------------------------------------- shared text helpers

_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014-\u2027\U00020000-\U0003134f"
)
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SPACES = re.compile("[ \t\u00a0\u3000\u2002-\u200b\ufeff]+")


def _words(names: str) -> frozenset[str]:
    return frozenset(names.split())


def _squeeze(line: str) -> str:
    """Collapse space runs to one space and drop spaces between two CJK characters."""
    return _CJK_GAP.sub("", _SPACES.sub(" ", line)).strip()


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


# ------------------------------------------------------------------------------- tables & layout


@dataclass
class _Slot:
    """A table cell as found in the markup, before expansion into the grid."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Layout:
    """Accumulates paragraphs and tables into text, recording cell offsets."""

    blocks: list[str] = field(default_factory=list)
    size: int = 0
    cells: list[Cell] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)

    def _offset(self) -> int:
        return self.size + (2 if self.blocks else 0)

    def paragraph(self, text: str) -> None:
        if not text.strip():
            return
        start = self._offset()
        self.blocks.append(text)
        self.size = start + len(text)

    def table(self, slots: list[_Slot]) -> None:
        """Render a table: one line per row, vertical merges repeated, horizontal ones once."""
        if not slots:
            return
        nrows = max(s.row + s.rowspan for s in slots)
        ncols = max(s.col + s.colspan for s in slots)
        owner: list[list[_Slot | None]] = [[None] * ncols for _ in range(nrows)]
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


def _cell_text(parts: Iterable[str]) -> str:
    """One table cell as a single line: its paragraphs joined by a space."""
    return " ".join(p for p in (_SPACES.sub(" ", x.replace("\n", " ")).strip() for x in parts) if p)


# ------------------------------------------------------------------------------- entry points


def read_source(path: str | Path) -> SourceText:
    """Read one document file, choosing the reader from its content.

    Args:
        path: the file to read.

    Returns:
        The document's text and layout marks.

    Raises:
        UnreadableDocument: the file is missing, empty, binary, encrypted, corrupt or of an
            unsupported type.
    """
    p = Path(path)
    if not p.exists():
        raise UnreadableDocument(f"{path}: no such file")
    if p.is_dir():
        raise UnreadableDocument(f"{path}: is a directory, not a document")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return read_bytes(data, str(path))


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office file (.doc/.xls/.wps)"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
)
_ZIP_KINDS = (
    ("xl/workbook.xml", "XLSX spreadsheet"),
    ("ppt/presentation.xml", "PPTX presentation"),
    ("content.xml", "OpenDocument file"),
)
_HTML_MARK = re.compile(r"<(?:!doctype\s+html|html|head|body|div|meta|p[\s>]|table)", re.I)
_HTML_EXT = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_SUPPORTED = "expected TXT, DOCX, PDF or HTML"


def read_bytes(data: bytes, name: str) -> SourceText:
    """Read a document held in memory (an upload), choosing the reader from its content.

    Args:
        data: the file's bytes.
        name: the file name, used in messages and as ``SourceText.path``.

    Returns:
        The document's text and layout marks.

    Raises:
        UnreadableDocument: the content is empty, binary, encrypted, corrupt or unsupported.
    """
    if not data.strip():
        raise UnreadableDocument(f"{name}: empty file")
    if b"%PDF-" in data[:1024]:
        return _read_pdf(data, name)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _read_zip(data, name)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableDocument(f"{name}: unsupported file type ({kind}); {_SUPPORTED}")
    text = decode_text(data, name)
    head = text.lstrip()[:1024]
    if head.startswith("<") and (_HTML_MARK.search(head) or name.lower().endswith(_HTML_EXT)):
        return _read_html(text, name)
    return SourceText(text=text, format="txt", path=name)


def _read_zip(data: bytes, name: str) -> SourceText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(
            f"{name}: corrupt or truncated ZIP/DOCX file ({_one_line(exc)})"
        ) from exc
    if "word/document.xml" in members:
        return _read_docx(data, name)
    kind = next((k for member, k in _ZIP_KINDS if member in members), "ZIP archive")
    raise UnreadableDocument(f"{name}: unsupported file type ({kind}); {_SUPPORTED}")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def page_of(source: SourceText, offset: int) -> int | None:
    """Return the 1-based page holding the character at ``offset``.

    Args:
        source: a document read by :func:`read_source`.
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


# ------------------------------------------------------------------------------------------ TXT

_TEXTLIKE = re.compile(f"[\\s\\x20-\\x7e{_CJK}\u00a0-\u024f\u2000-\u206f\u2460-\u24ff]")


_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")


def _bad_chars(text: str) -> int:
    """Control, surrogate, private-use and replacement characters: signs of decoded binary."""
    return len(_BAD_CHARS.findall(text))


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 when NUL bytes sit (almost) only on one byte parity."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even + odd == 0:
        return None
    encoding = "utf-16-le" if odd >= 4 * even else "utf-16-be" if even >= 4 * odd else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    plausible = len(_TEXTLIKE.findall(text))
    return text if plausible >= 0.95 * len(text) else None


def decode_text(data: bytes, name: str) -> str:
    """Decode a plain-text document, detecting its encoding; newlines become ``"\\n"``.

    Detects rather than assumes: UTF-32/UTF-16 byte-order marks (never valid UTF-8), BOM-less
    UTF-16 (from where the NUL bytes sit; NULs otherwise mean binary), strict UTF-8 with or
    without BOM, GB18030 (a superset of GBK and GB2312), and charset-normalizer only as a last
    resort. Text with many control or private-use characters is taken for binary.

    Args:
        data: the raw bytes.
        name: the file name, used in messages.

    Returns:
        The text, without BOM, with ``\\r\\n`` and ``\\r`` turned into ``\\n``.

    Raises:
        UnreadableDocument: the bytes are empty, whitespace only, or binary.

    Example:
        >>> decode_text("一、总体要求\\r\\n".encode("utf-16"), "a.txt")
        '一、总体要求\\n'
    """
    text: str | None = None
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _try_decode(data, "utf-32")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try_decode(data, "utf-16")
    if text is None and b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise UnreadableDocument(f"{name}: binary file, not a document")
    if text is None:
        text = _try_decode(data, "utf-8-sig") or _try_decode(data, "gb18030")
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise UnreadableDocument(f"{name}: binary file, not a document")
        text = str(best)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableDocument(f"{name}: empty file")
    if _bad_chars(text) > 0.05 * len(text):
        raise UnreadableDocument(f"{name}: binary file, not a document")
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# ----------------------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP_RUN = {f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback"}
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}


def _attr(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{_W}val")


def _read_docx(data: bytes, name: str) -> SourceText:
    try:
        document = docx.Document(io.BytesIO(data))
        reader = _DocxReader(document)
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
        raise UnreadableDocument(f"{name}: corrupt DOCX file ({_one_line(exc)})") from exc
    text = reader.layout.text()
    if not text.strip():
        raise UnreadableDocument(f"{name}: empty file (the DOCX has no text)")
    layout = reader.layout
    return SourceText(text, "docx", name, cells=layout.cells, tables=layout.tables)


class _DocxReader:
    """Walks the body XML in document order, rendering paragraphs, tables and numbering."""

    def __init__(self, document: Any) -> None:
        self.layout = _Layout()
        self.numbering = _Numbering(document)

    def blocks(self, parent: Any) -> None:
        for child in parent:
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

    def table(self, tbl: Any) -> list[_Slot]:
        slots: list[_Slot] = []
        above: dict[int, _Slot] = {}
        for r, tr in enumerate(_descend(tbl, f"{_W}tr")):
            col = int(_attr(tr, f"{_W}trPr/{_W}gridBefore") or 0)
            for tc in _descend(tr, f"{_W}tc"):
                span = max(1, int(_attr(tc, f"{_W}tcPr/{_W}gridSpan") or 1))
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                origin = above.get(col)
                continues = vmerge is not None and vmerge.get(f"{_W}val") != "restart"
                if continues and origin is not None:
                    origin.rowspan = r - origin.row + 1
                else:
                    origin = _Slot(r, col, self.cell(tc), colspan=span)
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
        return _cell_text(parts)


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
_CN_COUNTING = _words(
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


# ------------------------------------------------------------------------------------------ PDF

_DASHES = "\\-—–－─―‐"
_PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}]+\s*\d{{1,4}}\s*[{_DASHES}]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页)$"
)
# Only trusted as page numbers at the top or bottom of a page: elsewhere they are table data.
_EDGE_NUMBER = re.compile(
    r"^(?:\d{1,4}|\d{1,4}\s*/\s*\d{1,4}|(?i:page\s*\d{1,4}(?:\s*of\s*\d{1,4})?))$"
)
_COLUMN_GAP = re.compile(r" {2,}|\t")
_EDGE = 3  # lines at the top and bottom of a page where headers and page numbers live


def _read_pdf(data: bytes, name: str) -> SourceText:
    if b"%%EOF" not in data:
        raise UnreadableDocument(f"{name}: truncated or corrupt PDF (no %%EOF marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(f"{name}: PDF is encrypted and needs a password to open")
        raw = [_page_text(page) for page in reader.pages]
    except UnreadableDocument:
        raise
    except DependencyError as exc:
        raise UnreadableDocument(
            f"{name}: PDF is encrypted with AES; install 'cryptography' to open it"
        ) from exc
    except FileNotDecryptedError as exc:
        raise UnreadableDocument(f"{name}: PDF is encrypted and cannot be opened") from exc
    except Exception as exc:
        # pypdf raises a wide range of exception types on damaged input; none of them is a bug
        # of ours, all of them mean the file cannot be read.
        raise UnreadableDocument(f"{name}: corrupt PDF ({_one_line(exc)})") from exc
    if not any(page.strip() for page in raw):
        raise UnreadableDocument(f"{name}: PDF has no text layer (image-only scan?); run OCR first")
    pages = _drop_running_lines([_pdf_page_lines(page) for page in raw])
    text, starts = "", []
    for lines in pages:
        body = "\n".join(lines).strip("\n")
        if text and body:
            text += "\n\n"
        starts.append(len(text))
        text += body
    if not text.strip():
        raise UnreadableDocument(f"{name}: PDF has no text besides page numbers and headers")
    return SourceText(text, "pdf", name, pages=starts)


def _page_text(page: Any) -> str:
    """A page's text, one visual line per line, table cells of a row on the same line.

    pypdf's layout mode places text by its coordinates, so the cells of a table row (separate
    text objects, which plain mode puts on separate lines) stay on one line with a wide gap
    between them. Vertical spacing is not turned into blank lines: documents set at double
    line spacing would get a blank line after every line. Layout mode is younger and less
    tolerant than plain mode, which stays as the fallback.
    """
    try:
        text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
    except Exception:
        text = ""
    return str(text) if str(text).strip() else str(page.extract_text() or "")


def _pdf_line(line: str) -> str:
    """Column gaps (two spaces or more, or a tab) become a tab; each cell is squeezed."""
    cells = (_squeeze(cell) for cell in _COLUMN_GAP.split(line.strip()))
    return "\t".join(cell for cell in cells if cell)


def _pdf_page_lines(raw: str) -> list[str]:
    """Squeeze a page's lines, drop page numbers and collapse blank-line runs."""
    lines = [_pdf_line(line) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [i for i, line in enumerate(lines) if line]
    edges = set(filled[:_EDGE] + filled[-_EDGE:])
    out: list[str] = []
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.match(line) or (i in edges and _EDGE_NUMBER.match(line)):
            continue
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines recurring at the top or bottom of at least 60% of pages (3 pages or more)."""
    if len(pages) < 3:
        return pages

    def edges(lines: list[str]) -> set[int]:
        filled = [i for i, line in enumerate(lines) if line]
        return set(filled[:_EDGE] + filled[-_EDGE:])

    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_running_key(lines[i]) for i in edges(lines)})
    running = {key for key, n in seen.items() if key and n >= 0.6 * len(pages)}
    if not running:
        return pages
    cleaned = []
    for lines in pages:
        zone = edges(lines)
        kept = [
            ln for i, ln in enumerate(lines) if i not in zone or _running_key(ln) not in running
        ]
        while kept and not kept[0]:
            kept.pop(0)
        cleaned.append([ln for i, ln in enumerate(kept) if ln or (i and kept[i - 1])])
    return cleaned


# ----------------------------------------------------------------------------------------- HTML

_CONTAINERS = (
    _words("zoom trs_editor trs_ueditor custom_unionstyle pages_content xxgk_content ucap-content")
    | _words("main-text view"),
    _words("article content detail article-content detail-content main-content"),
)
_DROP_TAGS = sorted(
    _words("script style noscript template iframe svg select button input textarea object embed")
    | {"head"}
)
_OUTSIDE = ("nav", "header", "footer", "aside")
_BLOCKS = _words(
    "p div li h1 h2 h3 h4 h5 h6 section article ul ol dl dt dd blockquote pre center address "
    "figure figcaption main form header footer tr td th tbody thead hr"
)
_CELLS = _words("td th dt dd li")
_NESTED_BLOCKS = sorted(_words("p div table ul ol dl section article br li tr h1 h2 h3 h4 h5 h6"))
_PARAGRAPH_HOLDERS = [tag for tag in _NESTED_BLOCKS if tag != "br"]
_LABELS = {
    **dict.fromkeys(["索引号"], "index_no"),
    **dict.fromkeys(["发文机关", "发布机构", "发文单位", "发布机关"], "issuer"),
    **dict.fromkeys(["发文字号", "文号"], "doc_number"),
    **dict.fromkeys(["成文日期", "成文时间"], "date"),
    **dict.fromkeys(["发布日期", "发布时间", "公开日期"], "published"),
    **dict.fromkeys(["标题", "文件名称"], "title"),
}
# Labels of the same metadata block that carry nothing we keep; they still leave the text.
_OTHER_LABELS = _words(
    "主题分类 主题词 有效性 体裁分类 公文种类 所属机构 信息来源 生效日期 废止日期 时效 统一编号 "
    "信息分类"
)
_LABEL_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, [*_LABELS, *_OTHER_LABELS]), key=len, reverse=True)) + ")"
)
_VALUE_END = re.compile(r"【|\s*[\u4e00-\u9fff]{2,6}\s*[:：]")
_BOILERPLATE = re.compile(
    r"字体[:：]?\s*[【\[]?\s*大\s*中\s*小|字号[:：]?\s*大\s*中\s*小|打印本页|^【?打印】?$|关闭窗口|"
    r"^【?关闭】?$|分享到|扫一扫|网站地图|版权所有|主办单位|承办单位|ICP备|网站标识码|联系我们|"
    r"^上一篇|^下一篇|返回顶部|浏览次数|访问量|^【?收藏】?$|^当前位置|^您现在的位置|公网安备",
    re.I,
)
_BAD_HTML = "HTML page has no article text"


def _read_html(text: str, name: str) -> SourceText:
    soup = BeautifulSoup(text, "lxml")
    fields = _meta_fields(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    for key, value in _label_fields(soup).items():
        fields.setdefault(key, value)
    for tag in soup.find_all(_OUTSIDE):
        if tag.find_parent("article") is None:
            tag.decompose()
    body = _article(soup)
    if body is None:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    layout = _Layout()
    _HtmlRenderer(layout).run(body)
    if _han_count(layout.text()) < 10:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    return SourceText(layout.text(), "html", name, fields, cells=layout.cells, tables=layout.tables)


def _meta_fields(soup: Any) -> dict[str, str]:
    """Fields from the <meta> tags Chinese portals (TRS, 政府网站集约化平台) emit."""
    wanted = {"articletitle": "title", "pubdate": "published", "contentsource": "issuer"}
    fields: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = wanted.get(str(meta.get("name", "")).lower())
        value = _SPACES.sub(" ", str(meta.get("content", ""))).strip()
        if key and value:
            fields.setdefault(key, value)
    return fields


def _label_fields(soup: Any) -> dict[str, str]:
    """Collect label/value metadata (索引号, 发文字号 …) and remove it from the page.

    Elements are visited innermost first, so a label is read where it is written and a
    container that merely holds one (the article, a list) is never taken for a value.
    """
    fields: dict[str, str] = {}
    doomed: list[Any] = []
    handled: set[int] = set()  # elements holding an extracted label, and their ancestors
    tables: Counter[int] = Counter()
    table_of: dict[int, Any] = {}
    for el in reversed(soup.find_all(True)):
        own = el.get_text(" ", strip=True)
        if not own or len(own) > 300 or id(el) in handled:
            continue
        if el.name not in _CELLS and el.find(_NESTED_BLOCKS) is not None:
            continue
        compact = re.sub(r"\s+", "", own)
        match = _LABEL_RE.match(compact)
        if match is None or len(_LABEL_RE.findall(compact)) != 1:
            continue
        rest = compact[match.end() :]
        if rest and rest[0] not in ":：" and el.name not in _CELLS:
            continue  # a sentence that starts with a label word, not a label
        label = match.group(1)
        value = re.sub(r"^\s*" + r"\s*".join(label) + r"\s*[:：]?", "", own)
        siblings: list[Any] = []
        if not value.strip():
            value, siblings = _sibling_value(el)
        value = _SPACES.sub(" ", value).strip().lstrip(":：").strip()
        value = _VALUE_END.split(value, maxsplit=1)[0].strip()
        if not value:
            continue  # a column header ("文件名称" over a list of documents), not metadata
        if label in _LABELS:
            fields.setdefault(_LABELS[label], value)
        table = el.find_parent("table")
        if table is not None:
            tables[id(table)] += 1
            table_of[id(table)] = table
        doomed.extend([el, *siblings])
        handled.update(id(x) for x in (el, *el.parents))
    for key, count in tables.items():
        if count >= 2:
            doomed.append(table_of[key])
    for el in doomed:
        if el.parent is not None:
            el.extract()
    return fields


def _sibling_value(el: Any) -> tuple[str, list[Any]]:
    """The value that follows a bare label: the next cell, or text up to the next break."""
    nxt = el.find_next_sibling(True)
    if el.name in ("td", "th", "dt") and nxt is not None:
        value = nxt.get_text(" ", strip=True)
        if _LABEL_RE.match(re.sub(r"\s+", "", value)):
            return "", []  # an empty value cell was left out; the next cell is a label
        return value, [nxt]
    parts: list[str] = []
    taken: list[Any] = []
    for sib in el.next_siblings:
        if isinstance(sib, Tag):
            if sib.name == "br" or sib.name in _BLOCKS or _LABEL_RE.search(sib.get_text()):
                break
            parts.append(sib.get_text(" "))
        else:
            parts.append(str(sib))
        taken.append(sib)
    return "".join(parts), taken


def _plain_han(el: Any) -> int:
    """CJK characters of an element's text outside links (menus are links)."""
    return sum(
        _han_count(str(s))
        for s in el.descendants
        if type(s) is NavigableString and s.find_parent("a") is None
    )


def _tokens(el: Any) -> set[str]:
    classes = el.get("class") or []
    names = [el.get("id") or "", *(classes if isinstance(classes, list) else [classes])]
    return {str(n).lower() for n in names if n}


def _article(soup: Any) -> Any:
    """The article body: a known container, else the block that gathers most paragraph text."""
    for tier in _CONTAINERS:
        found = [el for el in soup.find_all(True) if _tokens(el) & tier]
        if tier is _CONTAINERS[1]:
            found += soup.find_all("article")
        scored = [(score, el) for el in found if (score := _plain_han(el)) >= 20]
        if scored:
            # the innermost container that still holds most of the text: a "content" wrapper
            # around the sidebar loses to the "article" inside it
            top = max(score for score, _ in scored)
            return max(
                (el for score, el in scored if score >= 0.8 * top),
                key=lambda el: sum(1 for _ in el.parents),
            )
    return _densest(soup)


def _densest(soup: Any) -> Any:
    """The element whose paragraphs hold the most CJK text outside links.

    Each text is credited to the block around it, or, when that block is a plain paragraph
    (no blocks inside but <br>), to the paragraph's parent: an article of <p> or <div> paragraphs wins
    as a whole, while a sidebar of short items scores little per container.
    """
    credit: Counter[int] = Counter()
    element: dict[int, Any] = {}
    for string in soup.find_all(string=True):
        if type(string) is not NavigableString or string.find_parent("a") is not None:
            continue
        han = _han_count(str(string))
        block = string.find_parent(_BLOCKS | {"body"})
        if not han or block is None:
            continue
        if block.name != "body" and block.find(_PARAGRAPH_HOLDERS) is None and block.parent:
            block = block.parent
        credit[id(block)] += han
        element[id(block)] = block
    if not credit:
        return None
    key, score = credit.most_common(1)[0]
    return element[key] if score >= 10 else None


class _HtmlRenderer:
    """Turns the article element into paragraphs and tables."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.line: list[str] = []

    def flush(self) -> None:
        text = _html_line("".join(self.line))
        self.line = []
        if text and not (len(text) <= 80 and _BOILERPLATE.search(text)):
            self.layout.paragraph(text)

    def run(self, el: Any) -> None:
        self.render(el)
        self.flush()

    def render(self, el: Any) -> None:
        for child in el.children:
            if isinstance(child, Tag):
                if child.name == "br":
                    self.flush()
                elif child.name == "table" and not _layout_table(child):
                    self.flush()
                    self.layout.table(_html_table(child))
                elif child.name in _BLOCKS or child.name == "table":
                    self.flush()
                    self.render(child)
                    self.flush()
                else:
                    self.render(child)
            elif type(child) is NavigableString:
                self.line.append(str(child))


def _html_line(raw: str) -> str:
    """Whitespace of HTML source: source wraps between CJK vanish, other runs become a space."""
    raw = re.sub(f"(?<=[{_CJK}])[ \t\r\f]*\n\\s*(?=[{_CJK}])", "", raw)
    return _SPACES.sub(" ", raw.replace("\n", " ").replace("\r", " ")).strip()


def _rows(table: Any) -> list[Any]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _layout_table(table: Any) -> bool:
    """A table used for page layout (one column, nested tables, long prose cells)."""
    rows = _rows(table)
    widths = [len(tr.find_all(["td", "th"], recursive=False)) for tr in rows]
    if not rows or max(widths, default=0) <= 1 or table.find("table") is not None:
        return True
    return any(len(td.get_text()) > 500 for tr in rows for td in tr.find_all(["td", "th"]))


def _span(tag: Any, attr: str) -> int:
    match = re.match(r"\s*(\d+)", str(tag.get(attr, "1")))
    return min(max(1, int(match.group(1))), 100) if match else 1


def _html_table(table: Any) -> list[_Slot]:
    slots: list[_Slot] = []
    taken: set[tuple[int, int]] = set()
    rows = _rows(table)
    for r, tr in enumerate(rows):
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, col) in taken:
                col += 1
            inner = _Layout()
            _HtmlRenderer(inner).run(td)
            rowspan = min(_span(td, "rowspan"), len(rows) - r)
            slot = _Slot(r, col, _cell_text(inner.blocks), rowspan, _span(td, "colspan"))
            slots.append(slot)
            taken.update(
                (rr, cc)
                for rr in range(r, r + slot.rowspan)
                for cc in range(col, col + slot.colspan)
            )
            col += slot.colspan
    return slots
