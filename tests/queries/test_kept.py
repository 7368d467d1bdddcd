"""Answers kept in the SQLite store for the next process (``queries.kept``): printed byte for
byte as computed, valid for one generation only, never waiting for a writer."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from api.cli import main
from graph.sqlite_store import SqliteStore
from queries.kept import answer_key, kept
from tests.multidoc import DROPPED, GAOPING, SAMPLE, YANGCHENG, ZEZHOU_DOC, edited_sample, ingest

COMMANDS = [
    ["coverage", "--json"],
    ["coverage"],
    ["coverage", "--region", "阳城县", "--json"],
    ["tasks", "--unit", "县工信局", "--json"],
    ["tasks", "--unit", "县发改局"],
    ["tasks", "--unit", "县发展和改革局", "--json"],
    ["tasks", "--unit", "县住建局"],  # no such unit: an error, nothing kept
    ["units"],
    ["units", "--all", "--full"],  # --full without --json: the table
    ["units", "--json", "--full"],
    ["units", "--region", "阳城县", "--json"],
    ["units", "--region", "没有的县"],  # no such region: an error, nothing kept
    ["chains"],
    ["chains", "--json"],
    ["gaps", "foundry"],
    ["gaps", "铸造", "--json"],
    ["gaps", "foundry", "--all", "--top", "3"],
    ["gaps", "没有的链"],  # no such chain: an error, nothing kept
    ["matrix"],
    ["matrix", "--format", "csv", "--region", "阳城县"],
    ["matrix", "--json", "--document", "高政办发〔2023〕35号"],
    ["matrix", "--document", "没有的文件"],  # no such document: an error, nothing kept
    ["overdue", "--as-of", "2030-01-01"],
    ["overdue", "--as-of", "2030-01-01", "--unit", "县工信局", "--json"],
    ["overdue", "--unit", "没有的局"],  # no such unit: an error, nothing kept
    ["targets", "foundry"],
    ["targets", "铸造", "--json", "--top", "3"],
    ["targets", "没有的链"],  # no such chain: an error, nothing kept
]


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    """Three plans of three regions in one SQLite file."""
    s = SqliteStore(tmp_path / "graph.db")
    ingest(s, SAMPLE, YANGCHENG, GAOPING)
    return s


def _run(store: SqliteStore, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple:
    code = main([*args, "--db", str(store.path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _kept_keys(store: SqliteStore) -> list[str]:
    assert store.path is not None
    with sqlite3.connect(store.path) as conn:
        found = conn.execute("SELECT name FROM sqlite_master WHERE name = 'answers'").fetchone()
        return [r[0] for r in conn.execute("SELECT key FROM answers")] if found else []


@pytest.mark.parametrize("args", COMMANDS)
def test_kept_answers_print_as_computed(
    store: SqliteStore,
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first run computes and keeps, the second prints what was kept: both as the whole
    graph computes it with nothing kept."""
    first, second = _run(store, args, capsys), _run(store, args, capsys)
    with monkeypatch.context() as m:
        m.setattr(SqliteStore, "stored_answer", lambda self, key: (0, None))
        m.setattr(SqliteStore, "keep_answer", lambda *_: False)
        m.setattr(SqliteStore, "part_at", lambda *_: None)
        whole = _run(store, args, capsys)
    assert first == second == whole
    if {"县住建局", "没有的县", "没有的链", "没有的文件", "没有的局"} & set(args):
        assert first[0] == 1 and not _kept_keys(store)
    else:
        assert first[0] == 0 and len(_kept_keys(store)) == 1


@pytest.mark.parametrize(
    "args",
    [["coverage", "--json"], ["units", "--json"], ["gaps", "foundry"], ["chains"], ["matrix"]],
)
def test_a_kept_answer_is_read_not_computed(
    store: SqliteStore,
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _run(store, args, capsys)
    monkeypatch.setattr(SqliteStore, "part_at", lambda *_: pytest.fail("computed again"))
    monkeypatch.setattr(SqliteStore, "graph_at", lambda *_: pytest.fail("computed again"))
    assert _run(store, args, capsys) == before


@pytest.mark.parametrize("write", ["ingest", "remove"])
def test_a_write_drops_kept_answers(
    store: SqliteStore, write: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["tasks", "--unit", DROPPED, "--json"]
    before = _run(store, args, capsys)
    _run(store, ["coverage", "--json"], capsys)
    assert len(_kept_keys(store)) == 2
    generation = store.generation()
    if write == "ingest":
        ingest(store, edited_sample(tmp_path))  # a new version: DROPPED leaves one task
    else:
        store.remove_documents([ZEZHOU_DOC])
    assert store.generation() != generation
    assert _kept_keys(store) == []
    after = _run(store, args, capsys)
    assert after != before  # the answer moved with the facts, and is computed anew
    assert _kept_keys(store) == [answer_key("tasks", DROPPED, "json")]


def test_a_write_that_changes_nothing_keeps_them(
    store: SqliteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(store, ["coverage", "--json"], capsys)
    generation = store.generation()
    store.remove_documents(["doc:no-such"])  # no row changes, the generation stays
    assert store.generation() == generation
    assert _kept_keys(store) == [answer_key("coverage", None)]


def test_an_answer_of_another_generation_is_ignored(store: SqliteStore) -> None:
    generation, raw = store.stored_answer("k")
    assert raw is None
    assert not store.keep_answer("k", generation - 1, b"stale")  # the store moved on
    assert store.stored_answer("k") == (generation, None)
    assert store.keep_answer("k", generation, b"now")
    assert store.stored_answer("k") == (generation, b"now")
    assert store.path is not None
    with sqlite3.connect(store.path) as conn:  # a row left by a writer of another generation
        conn.execute("UPDATE answers SET generation = generation - 1")
    assert store.stored_answer("k") == (generation, None)
    calls: list[int] = []

    def compute() -> tuple[int | None, list[str]]:
        calls.append(1)
        return generation, ["fresh"]

    assert kept(store, "k", compute) == ["fresh"] and calls == [1]
    assert kept(store, "k", compute) == ["fresh"] and calls == [1]


def test_a_damaged_answer_is_computed_again(store: SqliteStore) -> None:
    generation = store.generation()
    assert store.keep_answer("k", generation, b"not zlib")
    assert kept(store, "k", lambda: (generation, ["again"])) == ["again"]
    assert kept(store, "k", lambda: pytest.fail("computed again")) == ["again"]


def test_keeping_never_waits_for_a_writer(
    store: SqliteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """While another process writes, a reader answers (WAL) at once and keeps nothing."""
    assert store.path is not None
    args = ["tasks", "--unit", "县发改局"]
    writer = sqlite3.connect(store.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        reader = SqliteStore(store.path, lock_timeout=30)
        assert not reader.keep_answer("k", reader.generation(), b"x")
        during = _run(store, args, capsys)
        assert time.monotonic() - started < 10  # not the 30 s of the lock timeout
        assert _kept_keys(store) == []
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert _run(store, args, capsys) == during
    assert _kept_keys(store) == [answer_key("tasks", "县发改局", "table")]


def test_other_stores_compute_every_time(tmp_path: Path) -> None:
    from graph.networkx_store import NetworkxStore

    json_store = NetworkxStore(tmp_path / "graph.json")
    calls: list[int] = []

    def compute() -> tuple[int | None, list[str]]:
        calls.append(1)
        return 1, ["x"]

    assert kept(json_store, "k", compute) == kept(json_store, "k", compute) == ["x"]
    assert calls == [1, 1]
