"""PDF documents: the text layer, one visual line per line, page offsets kept.

Tables in a PDF are only drawn, so a wide horizontal gap inside a line (two spaces or more in
pypdf's layout mode) becomes the ``"\\t"`` between cells, and so does the single space after
the name in a run of member-list lines ("郭小伟 县交通运输局局长"). Other spaces between two CJK
characters are dropped (PDF producers space glyphs out), page numbers and lines that recur at the
top or bottom of most pages (running headers) are dropped, and wrapped lines are kept as they are.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any, NamedTuple

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from graph.errors import OverBudget, UnreadableDocument
from ingest.readers.base import SPACES, SourceText, one_line, squeeze
from ingest.readers.limits import check_time, max_pages

__all__ = ["read_pdf"]

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
_HANZI = "\u4e00-\u9fff"
# "郭小伟 县交通运输局局长", "郭 婕 县文化和旅游局局长": a name of 2-4 characters (a two-character
# name padded to three), one space, and a post with no space or sentence punctuation.
_NAME_ROW = re.compile(
    rf"^(?!第[一二三四五六七八九十百零〇\d]+[章节条款编])"
    rf"(?P<name>[{_HANZI}·]{{2,4}}|[{_HANZI}] [{_HANZI}]) (?P<rest>[{_HANZI}（(][^\s，。；：,;:!?！？]*)$"
)
_ROW_RUN = 2  # consecutive name-post lines it takes to read them as rows of one table


class _Line(NamedTuple):
    """A visual line: its cells squeezed and joined by tabs, and its name/post split if any."""

    text: str
    row: tuple[str, str] | None = None


def read_pdf(data: bytes, name: str) -> SourceText:
    """Read a PDF's text layer page by page, without page numbers and running headers.

    Raises:
        UnreadableDocument: the file is truncated, corrupt, encrypted or has no text layer.
        OverBudget: more pages than ``ZHENKG_MAX_PAGES``, or out of time.
    """
    if b"%%EOF" not in data:
        raise UnreadableDocument(f"{name}: truncated or corrupt PDF (no %%EOF marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(f"{name}: PDF is encrypted and needs a password to open")
        count, cap = len(reader.pages), max_pages()
        if count > cap:
            raise OverBudget(
                f"{name}: PDF of {count:,} pages, more than {cap:,} (ZHENKG_MAX_PAGES)"
            )
        raw = []
        for page in reader.pages:
            check_time("reading PDF pages")
            raw.append(_page_text(page))
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
        raise UnreadableDocument(f"{name}: corrupt PDF ({one_line(exc)})") from exc
    if not any(page.strip() for page in raw):
        raise UnreadableDocument(f"{name}: PDF has no text layer (image-only scan?); run OCR first")
    pages = _name_rows(_drop_running_lines([_pdf_page_lines(page) for page in raw]))
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
    cells = (squeeze(cell) for cell in _COLUMN_GAP.split(line.strip()))
    return "\t".join(cell for cell in cells if cell)


def _name_row(line: str) -> tuple[str, str] | None:
    """(name, post) of a line that reads like a member-list row set with one plain space."""
    match = _NAME_ROW.match(SPACES.sub(" ", line).strip())
    return (squeeze(match["name"]), match["rest"]) if match else None


def _pdf_page_lines(raw: str) -> list[_Line]:
    """Squeeze a page's lines, drop page numbers and collapse blank-line runs."""
    lines: list[_Line] = []
    for visual in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        text = _pdf_line(visual)
        lines.append(_Line(text, None if "\t" in text else _name_row(visual)))
    filled = [i for i, line in enumerate(lines) if line.text]
    edges = set(filled[:_EDGE] + filled[-_EDGE:])
    out: list[_Line] = []
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.match(line.text) or (i in edges and _EDGE_NUMBER.match(line.text)):
            continue
        if line.text or (out and out[-1].text):
            out.append(line)
    while out and not out[-1].text:
        out.pop()
    return out


def _name_rows(pages: list[list[_Line]]) -> list[list[str]]:
    """The pages' lines, with name and post of runs of name-post lines split by a tab.

    Member lists are often typed as "郭小伟 县交通运输局局长", one plain space between name and
    post. The space is a glyph like any other, so the x-gaps of layout mode do not show it, and
    squeezing CJK spacing would glue name and post together. A single such line may as well be
    prose; a run of them (page breaks do not interrupt it) is a two-column list.
    """
    flat = [line for lines in pages for line in lines]
    in_run = [False] * len(flat)
    run: list[int] = []
    for i, line in enumerate([*flat, _Line("")]):
        if line.row is not None:
            run.append(i)
            continue
        if len(run) >= _ROW_RUN:
            for j in run:
                in_run[j] = True
        run = []
    texts = iter(
        "\t".join(line.row) if line.row and row else line.text
        for line, row in zip(flat, in_run, strict=True)
    )
    return [[next(texts) for _ in lines] for lines in pages]


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop lines recurring at the top or bottom of at least 60% of pages (3 pages or more)."""
    if len(pages) < 3:
        return pages

    def edges(lines: list[_Line]) -> set[int]:
        filled = [i for i, line in enumerate(lines) if line.text]
        return set(filled[:_EDGE] + filled[-_EDGE:])

    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_running_key(lines[i].text) for i in edges(lines)})
    running = {key for key, n in seen.items() if key and n >= 0.6 * len(pages)}
    if not running:
        return pages
    cleaned = []
    for lines in pages:
        zone = edges(lines)
        kept = [
            ln
            for i, ln in enumerate(lines)
            if i not in zone or _running_key(ln.text) not in running
        ]
        while kept and not kept[0].text:
            kept.pop(0)
        cleaned.append([ln for i, ln in enumerate(kept) if ln.text or (i and kept[i - 1].text)])
    return cleaned
