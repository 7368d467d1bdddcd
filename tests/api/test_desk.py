"""The server's desk: answers kept as bytes per store version, gzipped when large, and the
store re-read in the background when another process writes."""

from __future__ import annotations

import copy
import gzip
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.fragment import Fragment
from graph.sqlite_store import SqliteStore


def test_answers_are_kept_and_gzipped(sample_fragment: Fragment, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "graph.db")
    store.load(copy.deepcopy(sample_fragment))
    with TestClient(create_app(store, Settings())) as client:
        plain = client.get("/units", headers={"Accept-Encoding": "identity"})
        zipped = client.get("/units", headers={"Accept-Encoding": "gzip"})
        assert plain.status_code == zipped.status_code == 200
        assert zipped.headers["content-encoding"] == "gzip"
        assert "content-encoding" not in plain.headers
        assert zipped.json() == plain.json()
        assert gzip.compress(plain.content)  # httpx decoded the gzipped body for us
        assert client.get("/units/县不存在局/tasks").status_code == 404


def test_background_desk_follows_other_writers(sample_fragment: Fragment, tmp_path: Path) -> None:
    path = tmp_path / "graph.db"
    SqliteStore(path).load(copy.deepcopy(sample_fragment))
    served = SqliteStore(path)
    app = create_app(served, Settings(), background=True)
    app.state.desk.poll = 0.05
    with TestClient(app) as client:
        before = client.get("/units").json()
        assert before and client.get("/units").json() == before
        SqliteStore(path).remove_documents(["doc:泽州县:泽政办发〔2023〕17号"])  # another process
        deadline = time.monotonic() + 30
        while client.get("/units").json() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/units").json() != before
        assert client.get("/tasks").json() == []


def test_background_desk_warms_the_chain_pages(
    sample_fragment: Fragment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before it swaps a snapshot in, the served desk computes what the chain maps ask first
    (a town's gaps with their owners, its targets, the registers' basis) with the other
    aggregates: the first planner to open one reads kept answers, whatever name the link gives
    the chain."""
    from ingest.load import SAMPLE_REGISTER, register_load
    from queries import gaps, targets

    path = tmp_path / "graph.db"
    store = SqliteStore(path)
    store.load(copy.deepcopy(sample_fragment))
    store.load(register_load(SAMPLE_REGISTER)[0])
    app = create_app(SqliteStore(path), Settings(), background=True)
    with TestClient(app) as client:  # the desk has read the store and warmed its answers

        def computed(*_: object) -> None:
            raise AssertionError("the chain page computed what the desk had warmed")

        monkeypatch.setattr(gaps, "chain_gaps", computed)
        monkeypatch.setattr(targets, "chain_targets", computed)
        for name in ("chain:foundry", "foundry", "chain:hawthorn"):
            page = client.get(f"/pages/chains/{name}")
            assert page.status_code == 200, name
            assert "招商" in page.text and "样本" in page.text
