"""Issue 3: the bundled sample gives the same record in every format.

TXT (UTF-8 and GBK), DOCX and PDF (built from the text; the PDF in reportlab's CID font
STSong-Light) and a county portal HTML page are run through :func:`ingest.pipeline.extract_file`
and compared with the UTF-8 TXT record. Spans and provenance legitimately differ between formats
(the layout of the text differs), and so do the file name, format and hash of the normalised
text; everything else must be equal. The PDF record also says on which page each task starts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from graph.record import Record
from ingest.pipeline import extract_file, extract_source
from ingest.readers import SourceText, read_source

FORMATS = ["txt-gbk", "docx", "pdf", "html"]
VOLATILE = frozenset({"span", "provenance", "source", "format", "sha256"})


def comparable(value: Any) -> Any:
    """``value`` (a record dumped to JSON) without the keys that differ between formats."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


@pytest.fixture(scope="module")
def files(
    sample_files: dict[str, Path], sample_text: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    gbk = tmp_path_factory.mktemp("gbk") / "zezhou-gbk.txt"
    gbk.write_bytes(sample_text.encode("gbk"))
    return {**sample_files, "txt-gbk": gbk}


@pytest.fixture(scope="module")
def records(files: dict[str, Path]) -> dict[str, Record]:
    return {fmt: extract_file(path) for fmt, path in files.items()}


@pytest.fixture(scope="module")
def dumps(records: dict[str, Record]) -> dict[str, dict[str, Any]]:
    return {fmt: comparable(record.model_dump(mode="json")) for fmt, record in records.items()}


def test_every_format_is_read_as_itself(records: dict[str, Record]) -> None:
    assert {fmt: r.document.format for fmt, r in records.items()} == {
        "txt": "txt",
        "txt-gbk": "txt",
        "docx": "docx",
        "pdf": "pdf",
        "html": "html",
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_document_fields_agree(
    fmt: str, dumps: dict[str, dict[str, Any]], files: dict[str, Path], sample_text: str
) -> None:
    got, want = dumps[fmt]["document"], dumps["txt"]["document"]
    assert {key: got[key] for key, value in want.items() if value} == {
        key: value for key, value in want.items() if value
    }
    if fmt != "html":
        assert got == want
        return
    # The page's metadata table may add fields; read with the text, they give the same document.
    fields = read_source(files["html"]).fields
    assert fields
    with_metadata = extract_source(SourceText(sample_text, "txt", "zezhou.txt", fields))
    assert got == comparable(with_metadata.model_dump(mode="json"))["document"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_towns_and_mechanisms(fmt: str, dumps: dict[str, dict[str, Any]]) -> None:
    assert dumps["txt"]["towns"] and dumps["txt"]["mechanisms"]
    assert dumps[fmt]["towns"] == dumps["txt"]["towns"]
    assert dumps[fmt]["mechanisms"] == dumps["txt"]["mechanisms"]


def _without_text(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in task.items() if k != "text"} for task in tasks]


@pytest.mark.parametrize("fmt", FORMATS)
def test_tasks(fmt: str, dumps: dict[str, dict[str, Any]]) -> None:
    got, want = dumps[fmt]["tasks"], dumps["txt"]["tasks"]
    assert [t["full_number"] for t in got] == [t["full_number"] for t in want]
    assert [t["title"] for t in got] == [t["title"] for t in want]
    # units with names and roles, in order
    assert [[(u["name"], u["role"]) for u in t["units"]] for t in got] == [
        [(u["name"], u["role"]) for u in t["units"]] for t in want
    ]
    assert _without_text(got) == _without_text(want)


@pytest.mark.parametrize("fmt", FORMATS)
def test_task_texts(fmt: str, dumps: dict[str, dict[str, Any]]) -> None:
    assert [t["text"] for t in dumps[fmt]["tasks"]] == [t["text"] for t in dumps["txt"]["tasks"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_groups(fmt: str, dumps: dict[str, dict[str, Any]]) -> None:
    got, want = dumps[fmt]["groups"], dumps["txt"]["groups"]
    assert len(want) == 1 and len(want[0]["members"]) == 25
    assert [(g["name"], g["office_unit"]) for g in got] == [
        (g["name"], g["office_unit"]) for g in want
    ]
    assert [[(m["name"], m["role"], m["positions"]) for m in g["members"]] for g in got] == [
        [(m["name"], m["role"], m["positions"]) for m in g["members"]] for g in want
    ]
    assert [g["collective_members"] for g in got] == [g["collective_members"] for g in want]
    assert got == want  # office director and deputy, chains of members


@pytest.mark.parametrize("fmt", FORMATS)
def test_rest_of_the_record(fmt: str, dumps: dict[str, dict[str, Any]]) -> None:
    covered = {"document", "towns", "mechanisms", "tasks", "groups"}
    got = {k: v for k, v in dumps[fmt].items() if k not in covered}
    assert got == {k: v for k, v in dumps["txt"].items() if k not in covered}
    assert set(dumps[fmt]) - covered == {"sections", "unknown_abbreviations", "warnings"}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_tasks_name_the_page_they_start_on(
    records: dict[str, Record], files: dict[str, Path]
) -> None:
    # Where each heading sits, found in pypdf's own page texts rather than through the reader.
    pages = [_compact(page.extract_text()) for page in PdfReader(files["pdf"]).pages]
    starts = [sum(len(p) for p in pages[:i]) for i in range(len(pages))]
    whole = "".join(pages)
    found = []
    for task in records["pdf"].tasks:
        at = whole.index(_compact(task.number + task.title))
        page = max(i for i, start in enumerate(starts) if start <= at) + 1
        assert task.provenance is not None and task.provenance.page == page, task.id
        assert task.provenance.table is None  # prose, not a table cell
        found.append(page)
    assert len(set(found)) > 1  # the tasks span several pages


@pytest.mark.parametrize("fmt", ["txt", "txt-gbk", "docx", "html"])
def test_prose_tasks_have_no_page_or_cell(fmt: str, records: dict[str, Record]) -> None:
    assert [t.provenance for t in records[fmt].tasks] == [None] * len(records[fmt].tasks)
