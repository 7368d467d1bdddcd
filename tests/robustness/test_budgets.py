"""Hostile inputs against the readers' budgets (issue 14, item 1): refused early, on one line.

Each case is built here: nested and unclosed HTML, ZIP bombs made with :mod:`zipfile`, a PDF
over the page cap, a table spanning millions of cells, a spent time budget. The outcome and the
message are asserted; the generous time limit only keeps a regression from hanging the suite
(timings belong to ``bench/``).
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from graph.errors import InvalidSetting, OverBudget, UnreadableDocument
from ingest.pipeline import extract_bytes, extract_file
from ingest.readers import read_bytes
from ingest.readers.limits import check_time, expanded_cap, time_budget
from tests.ingest.builders import build_docx
from tests.robustness.conftest import SAMPLE, time_limit

TEXT = SAMPLE.read_text("utf-8")
ARTICLE = "<p>泽州县人民政府办公室关于印发泽州县促进专业镇高质量发展实施方案的通知</p>"
HANG_GUARD_S = 20.0


def refused(data: bytes, name: str) -> str:
    """The one-line message an over-budget document is refused with."""
    with time_limit(HANG_GUARD_S, name), pytest.raises(OverBudget) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


# ---------------------------------------------------------------------------------------- HTML


def test_100000_nested_divs_are_refused_by_the_depth_cap() -> None:
    n = 100_000
    page = "<html><body>" + "<div>" * n + ARTICLE + "</div>" * n + "</body></html>"
    assert "nested more than 512 deep" in refused(page.encode(), "nested.html")


def test_50000_unclosed_tags_are_refused_by_the_depth_cap() -> None:
    page = "<html><body>" + "<span><b>" * 25_000 + ARTICLE + "</body></html>"
    assert "nested more than 512 deep" in refused(page.encode(), "unclosed.html")


def test_nesting_under_the_cap_is_read() -> None:
    n = 400
    page = "<html><body>" + "<div>" * n + ARTICLE + "</div>" * n + "</body></html>"
    with time_limit(HANG_GUARD_S, "400 deep"):
        source = read_bytes(page.encode(), "deep.html")
    assert source.text == ARTICLE[3:-4]


def test_nested_labels_and_containers_are_read_in_one_walk() -> None:
    # 250 levels of label cells and content containers: every step used to rescan the subtree
    n = 250
    page = (
        "<html><body>"
        + '<div class="content"><li>' * n
        + "<p>索引号：11140525MB1957114B</p>"
        + ARTICLE * 3
        + "</li></div>" * n
        + "</body></html>"
    )
    with time_limit(HANG_GUARD_S, "labels"):
        source = read_bytes(page.encode(), "labels.html")
    assert source.fields["index_no"] == "11140525MB1957114B"
    assert "索引号" not in source.text


def test_too_many_elements_are_refused() -> None:
    page = "<html><body>" + "<p>甲</p>" * 300_001 + "</body></html>"
    assert "more than 300,000 HTML elements" in refused(page.encode(), "wide.html")


def test_a_table_spanning_millions_of_cells_is_refused() -> None:
    row = "<tr>" + '<td colspan="100">县工信局</td>' * 60 + "</tr>"
    page = (
        f'<html><body><div class="content">{ARTICLE}<table>{row * 100}</table></div></body></html>'
    )
    assert "a table of 100 × 6,000 cells" in refused(page.encode(), "span.html")


# ------------------------------------------------------------------------------- ZIP and DOCX


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build_docx(TEXT, tmp_path_factory.mktemp("docx") / "plan.docx").read_bytes()


def with_member(docx: bytes, name: str, data: bytes) -> bytes:
    """The DOCX with one member replaced or added, compressed as hard as zlib can."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        target.writestr(name, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def test_a_docx_bomb_of_empty_paragraphs_is_refused_before_parsing(sample_docx: bytes) -> None:
    # the case: ~100 KB that unpacks to 64 MB of <w:p/>
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as archive:
        body = archive.read("word/document.xml")
    at = body.index(b"</w:body>")
    bomb = with_member(
        sample_docx, "word/document.xml", body[:at] + b"<w:p/>" * 11_000_000 + body[at:]
    )
    assert len(bomb) < 200_000
    message = refused(bomb, "bomb.docx")
    assert "declares" in message and "ZHENKG_MAX_EXPANDED" in message


def test_a_member_lying_about_its_size_is_refused(sample_docx: bytes) -> None:
    bomb = bytearray(with_member(sample_docx, "word/media/filler.bin", b"\0" * 5_000_000))
    # shrink the declared size in the local header and the central directory to 10 bytes
    name = b"word/media/filler.bin"
    local, central = bomb.index(name) - 30, bomb.rindex(name) - 46
    assert bomb[local : local + 4] == b"PK\x03\x04" and bomb[central : central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", bomb, local + 22, 10)
    struct.pack_into("<I", bomb, central + 24, 10)
    with time_limit(HANG_GUARD_S, "liar"), pytest.raises(UnreadableDocument) as caught:
        read_bytes(bytes(bomb), "liar.docx")
    message = str(caught.value)
    assert message.startswith("liar.docx: ") and "\n" not in message


def test_the_cap_is_50_times_the_file_within_1_mb_and_50_mb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ZHENKG_MAX_EXPANDED", raising=False)
    assert expanded_cap(10_000) == 1024 * 1024
    assert expanded_cap(100_000) == 5_000_000
    assert expanded_cap(10_000_000) == 50 * 1024 * 1024
    monkeypatch.setenv("ZHENKG_MAX_EXPANDED", "2000000")
    assert expanded_cap(10_000_000) == 2_000_000


def test_zhenkg_max_expanded_lowers_the_cap(
    monkeypatch: pytest.MonkeyPatch, sample_docx: bytes
) -> None:
    assert read_bytes(sample_docx, "plan.docx").format == "docx"
    monkeypatch.setenv("ZHENKG_MAX_EXPANDED", "1000")
    assert "more than the 1,000 allowed" in refused(sample_docx, "plan.docx")


def test_a_zip_of_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for i in range(10_001):
            archive.writestr(f"m/{i}", b"")
    assert "10,002 members" in refused(out.getvalue(), "many.docx")


# ----------------------------------------------------------------------------------------- PDF


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_over_the_page_cap_is_refused() -> None:
    message = refused(blank_pdf(1001), "long.pdf")
    assert message == "long.pdf: PDF of 1,001 pages, more than 1,000 (ZHENKG_MAX_PAGES)"


def test_zhenkg_max_pages_sets_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHENKG_MAX_PAGES", "2")
    assert "PDF of 3 pages, more than 2" in refused(blank_pdf(3), "three.pdf")


# ---------------------------------------------------------------------------------------- time


def test_a_spent_time_budget_refuses_the_document(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZHENKG_MAX_SECONDS", "0.000001")
    with pytest.raises(OverBudget) as caught:
        extract_file(SAMPLE)
    assert str(caught.value) == (
        f"{SAMPLE.name}: still reading after 1e-06 s, the time budget of one document "
        "(ZHENKG_MAX_SECONDS)"
    )
    page = f"<html><body>{ARTICLE * 20}</body></html>".encode()
    with pytest.raises(OverBudget, match=r"^upload\.html: still .* \(ZHENKG_MAX_SECONDS\)$"):
        extract_bytes(page, "upload.html")


def test_the_budget_is_per_document_and_absent_outside_one() -> None:
    check_time("reading")  # no budget open: nothing to spend
    with time_budget("a.txt", 60.0):
        with time_budget("b.txt", 0.0), pytest.raises(OverBudget, match=r"^b\.txt: "):
            check_time("reading")
        check_time("reading")  # the outer document still has its minute
    assert extract_file(SAMPLE).tasks


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_setting_is_one_line(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ZHENKG_MAX_SECONDS", value)
    with pytest.raises(InvalidSetting) as caught:
        extract_file(SAMPLE)
    assert str(caught.value) == f"ZHENKG_MAX_SECONDS={value!r}: expected a positive number"
