"""The entry points: pick the reader from the content (magic bytes, markup), not the name.

The extension only breaks ties (an ``.htm`` fragment without ``<html>``). Formats we cannot read
(images, legacy Office, spreadsheets, archives) are named in the error message. The DOCX, PDF
and HTML readers (python-docx, pypdf, BeautifulSoup) are imported by the first file of their
format, not by every process that reads a document.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from graph.errors import UnreadableDocument
from ingest.readers.base import SourceText, one_line
from ingest.readers.limits import check_zip
from ingest.readers.text import decode

__all__ = ["read_bytes", "read_source"]


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
        from ingest.readers.pdf import read_pdf

        return read_pdf(data, name)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _read_zip(data, name)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableDocument(f"{name}: unsupported file type ({kind}); {_SUPPORTED}")
    text, warnings = decode(data, name)
    head = text.lstrip()[:1024]
    if head.startswith("<") and (_HTML_MARK.search(head) or name.lower().endswith(_HTML_EXT)):
        from ingest.readers.html import read_html

        source = read_html(text, name)
        source.warnings.extend(warnings)
        return source
    return SourceText(text=text, format="txt", path=name, warnings=warnings)


def _read_zip(data: bytes, name: str) -> SourceText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
            kind = next((k for member, k in _ZIP_KINDS if member in members), "ZIP archive")
            if "word/document.xml" not in members:
                raise UnreadableDocument(f"{name}: unsupported file type ({kind}); {_SUPPORTED}")
            check_zip(archive, len(data), name)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        zlib.error,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise UnreadableDocument(
            f"{name}: corrupt or truncated ZIP/DOCX file ({one_line(exc)})"
        ) from exc
    from ingest.readers.docx import read_docx

    return read_docx(data, name)
