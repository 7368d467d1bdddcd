"""``ingest DIR`` into SQLite commits documents a group at a time, each still all or nothing:
a document that fails leaves the others of its group in, an interrupt keeps what went in
before it, and a store that cannot be written rolls the group back."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.batch as batch
import ingest.load as load
from graph.errors import StoreUnavailable, UnreadableDocument
from graph.merge import Merged
from graph.record import Record
from graph.sqlite_store import SqliteStore
from graph.store import GraphStore
from ingest.batch import ingest_paths
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG

PLANS = [SAMPLE, YANGCHENG, GAOPING]


def _stored(db: Path) -> set[str]:
    store = SqliteStore(db)
    try:
        nodes = store.document_nodes().values()
        return {str(d["source"]) for d in nodes if not d.get("placeholder")}
    finally:
        store.close()


def _failing_after_write(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> None:
    """``store_record`` writes the document ``name`` and then fails with ``error`` inside
    its transaction."""

    def store_record(store: GraphStore, record: Record, reference: bool = True) -> Merged:
        with store.transaction():  # type: ignore[attr-defined]
            merged = load.store_record(store, record, reference)
            if Path(str(record.document.source)).name == name:
                raise error
        return merged

    monkeypatch.setattr(batch, "store_record", store_record)


def test_documents_go_in_a_group_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "COMMIT_EVERY", 2)
    db = tmp_path / "graph.db"
    store = SqliteStore(db)
    report = ingest_paths(store, PLANS)
    assert [p.path for p in report.loaded] == PLANS and not report.failed
    assert store.generation() == 1 + 2  # a new file, then two commits (2 + 1 documents)
    store.close()
    assert _stored(db) == {p.name for p in PLANS}


def test_a_document_failing_after_its_write_leaves_the_others_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_after_write(monkeypatch, YANGCHENG.name, UnreadableDocument("refused late"))
    db = tmp_path / "graph.db"
    report = ingest_paths(SqliteStore(db), PLANS)
    assert [f.path for f in report.failed] == [YANGCHENG]
    assert _stored(db) == {SAMPLE.name, GAOPING.name}


def test_an_interrupt_keeps_what_went_in_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_after_write(monkeypatch, YANGCHENG.name, KeyboardInterrupt())
    db = tmp_path / "graph.db"
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(SqliteStore(db), PLANS)
    assert _stored(db) == {SAMPLE.name}


def test_a_store_that_cannot_be_written_rolls_the_group_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "graph.db"
    ingest_paths(SqliteStore(db), [GAOPING])  # a commit before the batch stays
    _failing_after_write(monkeypatch, YANGCHENG.name, StoreUnavailable("disk full"))
    with pytest.raises(StoreUnavailable):
        ingest_paths(SqliteStore(db), PLANS)
    assert _stored(db) == {GAOPING.name}


def test_a_nested_transaction_rolls_back_alone(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "graph.db")
    with store.transaction():
        ingest_paths(store, [SAMPLE])
        with pytest.raises(RuntimeError), store.transaction():
            ingest_paths(store, [YANGCHENG])
            raise RuntimeError("inner")
    store.close()
    assert _stored(tmp_path / "graph.db") == {SAMPLE.name}
