"""``zhenkg ingest DIR``: recursive, every format, a broken file reported and skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.cli import main
from graph.store import open_embedded
from ingest.batch import discover
from tests.ingest.builders import build_docx
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Plans in nested folders and formats, one broken DOCX, and files that are not plans."""
    root = tmp_path / "plans"
    (root / "2023" / "阳城").mkdir(parents=True)
    (root / ".cache").mkdir()
    shutil.copy(SAMPLE, root / "zezhou.txt")
    shutil.copy(YANGCHENG, root / "2023" / "阳城" / "yangcheng.TXT")
    build_docx(GAOPING.read_text("utf-8"), root / "2023" / "gaoping.docx")
    (root / "2023" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "notes.md").write_text("# not a plan", "utf-8")
    (root / ".cache" / "old.txt").write_text("hidden", "utf-8")
    return root


def test_discover_walks_folders_for_supported_formats(folder: Path) -> None:
    found = [p.relative_to(folder).as_posix() for p in discover([folder])]
    assert found == [
        "2023/broken.docx",
        "2023/gaoping.docx",
        "2023/阳城/yangcheng.TXT",
        "zezhou.txt",
    ]
    assert discover([folder / "notes.md"]) == [folder / "notes.md"]  # named files are kept


def test_folder_with_a_broken_file_ingests_the_rest(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "graph.db"
    capsys.readouterr()
    assert main(["ingest", str(folder), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "已导入 gaoping.docx" in out and "已导入 yangcheng.TXT" in out
    assert "已导入 zezhou.txt" in out and "未导入 1 个（共 4 个）：" in out
    assert "broken.docx" in out and "broken.docx" in err
    assert "[" in err and "3/4" in err  # the progress bar, on stderr
    regions = {
        d["region"]
        for _, d in open_embedded(db).read_graph().nodes(data=True)
        if d["label"] == "Document" and not d.get("placeholder")
    }
    assert regions == {"泽州县", "阳城县", "高平市"}

    capsys.readouterr()
    assert main(["ingest", str(folder), "--db", str(db), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("未变（已在库中）") == 3 and "(+0)" in captured.out
    assert "3/4" not in captured.err


def test_a_folder_without_plans_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    capsys.readouterr()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "g.db")]) == 1
    assert "no supported document" in capsys.readouterr().err
