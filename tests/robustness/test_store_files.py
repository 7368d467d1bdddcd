"""The store file under an unlucky machine: malformed files, killed saves, permissions, a full
disk.

- A JSON store with the right ``format`` tag but missing or malformed fields is refused with
  one line naming the file (``StoreUnavailable``), not a ``KeyError`` traceback.
- A save killed with SIGKILL leaves a ``.zhenkg-*.tmp``; the next write removes it.
- A write keeps the file's mode (0644 stays 0644, 0640 stays 0640); a new file gets the umask's.
- A full disk (ENOSPC from the write of the JSON store's temporary file; SQLITE_FULL from an
  SQLite file held at its size by ``max_page_count``): the CLI prints one line and exits 1, the
  API answers 503 with ``{"detail": …}`` giving the reason, and the store is byte for byte as it
  was, on the SQLite and the JSON store.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from graph.errors import StoreUnavailable
from graph.fragment import Fragment
from graph.networkx_store import FORMAT, NetworkxStore
from graph.schema import Label
from graph.sqlite_store import SqliteStore
from graph.store import EmbeddedStore, open_embedded
from tests.robustness.conftest import REPO, SAMPLE

MALFORMED: dict[str, Any] = {
    "no nodes or edges": {"format": FORMAT},
    "no edges": {"format": FORMAT, "nodes": []},
    "a node without attrs": {"format": FORMAT, "nodes": [{"id": "x"}], "edges": []},
    "a node without id": {"format": FORMAT, "nodes": [{"attrs": {}}], "edges": []},
    "an edge without key": {
        "format": FORMAT,
        "nodes": [{"id": "a", "attrs": {}}],
        "edges": [{"source": "a", "target": "a", "attrs": {}}],
    },
    "nodes not a list": {"format": FORMAT, "nodes": 5, "edges": []},
    "attrs not a map": {"format": FORMAT, "nodes": [{"id": "a", "attrs": [1]}], "edges": []},
    "claims not a map": {"format": FORMAT, "nodes": [], "edges": [], "claims": [1]},
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_file_missing_fields_is_refused_in_one_line(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(MALFORMED[case]), encoding="utf-8")
    with pytest.raises(StoreUnavailable) as caught:
        NetworkxStore(path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    assert main(["units", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err


def _document(n: int, size: int = 1) -> Fragment:
    doc = f"doc:test:{n}"
    f = Fragment(docs=[doc])
    f.node(doc, Label.DOCUMENT, name=f"文件{n}", doc=doc, text="文" * size)
    f.node(f"task:{n}", Label.TASK, name=f"任务{n}", doc=doc)
    return f


KILLED_SAVE = r"""
import os, signal, sys
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.schema import Label

os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # killed once the file is written
f = Fragment(docs=["doc:killed"])
f.node("doc:killed", Label.DOCUMENT, name="x" * 100_000, doc="doc:killed")
NetworkxStore(sys.argv[1]).load(f)
"""


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".zhenkg-*.tmp"))


def test_a_killed_saves_leftover_goes_at_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    NetworkxStore(path).load(_document(1))
    before = path.read_bytes()
    run = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(path)], cwd=REPO, capture_output=True, timeout=60
    )
    assert run.returncode == -9, run.stderr
    assert len(_temps(tmp_path)) == 1 and path.read_bytes() == before
    # not ours to remove: another store's save, and a recent one of an older version's naming
    (tmp_path / ".zhenkg-other.json.abcd1234.tmp").write_text("{}")
    (tmp_path / ".zhenkg-k2j3h4g5.tmp").write_text("{}")
    old = tmp_path / ".zhenkg-q9w8e7r6.tmp"  # an older version's, a day old
    old.write_text("{}")
    os.utime(old, (os.path.getmtime(old) - 86400,) * 2)

    NetworkxStore(path).load(_document(2))
    assert _temps(tmp_path) == [".zhenkg-k2j3h4g5.tmp", ".zhenkg-other.json.abcd1234.tmp"]
    assert {"doc:test:1", "doc:test:2"} <= set(NetworkxStore(path).graph)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_a_write_keeps_the_files_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "graph.json"
    store = NetworkxStore(path)
    store.load(_document(1))
    path.chmod(mode)
    store.load(_document(2))
    store.remove_documents(["doc:test:1"])
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_umasks_mode(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        NetworkxStore(tmp_path / "graph.json").load(_document(1))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "graph.json").stat().st_mode) == 0o640


# -- a full disk -----------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "json"])
def full_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A store file holding one document, on a disk that takes no more writes."""
    kind = str(request.param)
    path = tmp_path / ("graph.json" if kind == "json" else "graph.db")
    store = open_embedded(path)
    store.load(_document(1))
    store.close()
    if kind == "json":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def write(self, text: str) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            def __getattr__(self, name: str) -> Any:
                return getattr(self.fh, name)

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

        monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    else:
        real_connect = SqliteStore._connect

        def connect(self: SqliteStore) -> sqlite3.Connection:
            conn = real_connect(self)
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL past this size
            return conn

        monkeypatch.setattr(SqliteStore, "_connect", connect)
    yield path


def _unchanged(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".zhenkg-*.tmp"))
    store: EmbeddedStore = open_embedded(path)
    assert sorted(store.read_graph()) == ["doc:test:1", "task:1"]
    store.close()


def test_a_full_disk_is_one_line_in_the_cli(
    full_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = full_disk.read_bytes()
    assert main(["ingest", str(SAMPLE), "--db", str(full_disk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(full_disk) in err
    assert "No space left on device" in err or "database or disk is full" in err
    _unchanged(full_disk, before)


def test_a_full_disk_is_a_json_503_in_the_api(full_disk: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    before = full_disk.read_bytes()
    store = open_embedded(full_disk)
    app = create_app(store, Settings(api_token="t"))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/documents",
            files={"file": ("plan.txt", SAMPLE.read_bytes(), "text/plain")},
            headers={"Authorization": "Bearer t"},
        )
    store.close()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "No space left on device" in detail or "database or disk is full" in detail
    _unchanged(full_disk, before)


def test_the_next_write_goes_in_once_there_is_room(
    full_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing half-written by the failed write blocks the next one."""
    store = open_embedded(full_disk)
    with pytest.raises(StoreUnavailable):
        store.load(_document(2, 100_000))
    store.close()
    monkeypatch.undo()  # room again
    store = open_embedded(full_disk)
    store.load(_document(2, 100_000))
    assert {"doc:test:1", "doc:test:2"} <= set(store.read_graph())
    store.close()
