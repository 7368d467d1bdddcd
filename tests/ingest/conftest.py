"""Fixtures for the ingest tests: the bundled sample built into every supported format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.builders import build_docx, build_html, build_pdf

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PATH = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
SAMPLE_FIELDS = {
    "index_no": "11140525MB1957114B/2023-00117",
    "issuer": "泽州县人民政府办公室",
    "doc_number": "泽政办发〔2023〕17号",
    "date": "2023年6月26日",
    "published": "2023-06-28",
    "title": "泽州县人民政府办公室关于印发泽州县促进专业镇高质量发展实施方案的通知",
}


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The sample plan as a string, newlines normalised."""
    return SAMPLE_PATH.read_text("utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory, sample_text: str) -> dict[str, Path]:
    """The sample as TXT, DOCX, PDF and HTML files, keyed by format."""
    folder = tmp_path_factory.mktemp("sample")
    txt = folder / "zezhou.txt"
    txt.write_text(sample_text, "utf-8")
    return {
        "txt": txt,
        "docx": build_docx(sample_text, folder / "zezhou.docx"),
        "pdf": build_pdf(sample_text, folder / "zezhou.pdf"),
        "html": build_html(sample_text, folder / "zezhou.html", SAMPLE_FIELDS),
    }
