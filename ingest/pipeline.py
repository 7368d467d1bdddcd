"""read → normalise → parse → extract → resolve: one document in, one extraction record out."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.errors import UnreadableDocument
from graph.record import Provenance, Record
from ingest.explain import unparsed_lines
from ingest.normalise import NormalText, normalise
from ingest.parse import parse_text
from ingest.readers import SourceText, page_of, read_bytes, read_source
from ingest.readers.limits import check_time, time_budget
from ingest.resolve import Roster

# spaCy's own limit (nlp.max_length); real plans are well under 100,000 characters.
MAX_CHARS = 1_000_000


def extract_source(source: SourceText, roster: Roster | None = None) -> Record:
    """The extraction record of a document already read.

    A readable document is never refused: one without tasks or a group is still a Document
    with its metadata, and the record says so in ``warnings``.

    Raises:
        UnreadableDocument: the text is longer than any plan.
    """
    if len(source.text) > MAX_CHARS:
        raise UnreadableDocument(
            f"{Path(source.path).name}: {len(source.text):,} characters, more than the "
            f"{MAX_CHARS:,} a plan can have: not a policy document"
        )
    check_time("reading")
    norm = normalise(source.text)
    check_time("normalising")
    record = parse_text(
        norm.text, roster or Roster.bundled(), dict(source.fields), tables=source.tables
    )
    name = Path(source.path).name
    record.warnings.extend(
        f"{name}: {w}" for w in [*source.warnings, *unparsed_lines(norm.text, record)]
    )
    if not record.tasks and not record.groups:
        record.warnings.insert(0, f"{name}: 未找到任务或领导小组（no tasks or group found）")
    record.document.source = name
    record.document.format = source.format
    record.document.sha256 = hashlib.sha256(norm.text.encode("utf-8")).hexdigest()
    _provenance(record, source, norm)
    return record


def _provenance(record: Record, source: SourceText, norm: NormalText) -> None:
    """Page (PDF) or table cell (DOCX/HTML) of each task's start."""
    for task in record.tasks:
        at = norm.source_offset(task.span[0])
        page = page_of(source, at)
        cell = next((c for c in source.cells if c.start <= at < c.end), None)
        if page is not None or cell is not None:
            task.provenance = Provenance(
                page=page,
                table=cell.table if cell else None,
                row=cell.row if cell else None,
                cell=cell.col if cell else None,
            )


def extract_file(path: str | Path, roster: Roster | None = None) -> Record:
    """Read, normalise and parse the document at ``path`` within its time budget."""
    with time_budget(Path(path).name):
        return extract_source(read_source(path), roster)


def extract_bytes(data: bytes, name: str, roster: Roster | None = None) -> Record:
    """Same as :func:`extract_file` for an upload."""
    with time_budget(Path(name).name):
        return extract_source(read_bytes(data, name), roster)
