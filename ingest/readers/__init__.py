"""Read a policy document (TXT, DOCX, PDF, HTML) into plain text with its layout marks.

The reader picks the format from the content (magic bytes, markup sniffing); the extension only
breaks ties. Every reader returns a :class:`SourceText` whose ``text`` follows one layout:
paragraphs are separated by a blank line, a hard line break inside a paragraph is ``"\\n"``,
a table is one line per row with cells joined by ``"\\t"`` (in a PDF, where tables are only
drawn, a wide horizontal gap inside a line becomes the ``"\\t"``, as does the space between
name and post in a run of lines like "郭小伟 县交通运输局局长"). Wrapped lines are *not*
joined here; that is the normaliser's job. Everything that makes a file unusable raises
:class:`~graph.errors.UnreadableDocument` with a one-line message naming the file.

One module per format (``text``, ``docx``, ``pdf``, ``html`` with ``html_meta``), what they
share in ``base``, and the entry points that choose among them in ``sniffing``.

Example:
    >>> src = read_bytes("第一段\\r\\n\\r\\n第二段".encode("gb18030"), "plan.txt")
    >>> src.format, src.text
    ('txt', '第一段\\n\\n第二段')
"""

from __future__ import annotations

from ingest.readers.base import Cell, SourceText, page_of
from ingest.readers.sniffing import read_bytes, read_source
from ingest.readers.text import decode_text

__all__ = ["Cell", "SourceText", "decode_text", "page_of", "read_bytes", "read_source"]
