"""The SQLite store on its own: rollback of failed writes, which file is which store, the
migration from a JSON store, data files stored once, and the cached graph.

That it answers every question as the networkx store does is proven by the store suite
(``tests/graph/test_stores.py``, ``store`` fixture) and the merge tests.
"""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest

from api.cli import main
from graph import store as store_module
from graph.errors import StoreUnavailable
from graph.fragment import Fragment
from graph.merge import load_document
from graph.networkx_store import NetworkxStore
from graph.schema import Label, Rel
from graph.sqlite_store import SqliteStore
from graph.store import default_db_path, open_embedded
from ingest.load import document_fragment, reference_fragment
from ingest.pipeline import extract_file
from queries.service import Questions
from tests.multidoc import (
    GAOPING,
    SAMPLE,
    YANGCHENG,
    ZEZHOU_DOC,
    edges_of,
    edited_sample,
    ingest,
    nodes_of,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite store file holding three plans."""
    path = tmp_path / "graph.db"
    ingest(SqliteStore(path), SAMPLE, YANGCHENG, GAOPING)
    return path


def _state(store: SqliteStore) -> tuple[dict[str, int], int, dict[str, str], set[str]]:
    G = store.read_graph()
    return store.counts(), store.generation(), nodes_of(G), edges_of(G)


def test_a_failing_write_leaves_the_store_as_it_was(db: Path) -> None:
    store = SqliteStore(db)
    before = _state(store)
    bad = Fragment(docs=[ZEZHOU_DOC])  # drops the sample's facts first, then fails
    bad.node("doc:x", Label.DOCUMENT, doc="doc:x")
    bad.edge("doc:x", "task:nowhere", Rel.CONTAINS, doc="doc:x")
    with pytest.raises(ValueError, match="task:nowhere"):
        store.load(bad)
    assert _state(store) == before
    assert _state(SqliteStore(db)) == before  # nor did anything reach the file


def test_a_failing_merge_keeps_the_version(db: Path, tmp_path: Path) -> None:
    store = SqliteStore(db)
    before = _state(store)
    record = extract_file(edited_sample(tmp_path))
    fragment = document_fragment(record)
    fragment.edge(ZEZHOU_DOC, "unit:nowhere", Rel.ISSUED_BY, doc=ZEZHOU_DOC)
    with pytest.raises(ValueError):
        load_document(store, record, fragment)
    assert _state(store) == before
    assert load_document(store, record).version == 2  # the same edit, stated properly


def test_reads_after_writes_by_another_handle(db: Path) -> None:
    reader, writer = SqliteStore(db), SqliteStore(db)
    G = reader.read_graph()
    assert reader.read_graph() is G  # nothing changed: the same graph
    writer.remove_documents([ZEZHOU_DOC])
    assert ZEZHOU_DOC not in reader.read_graph()
    assert reader.counts() == writer.counts()


def test_data_files_restated_unchanged_are_not_rewritten(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "graph.db")
    store.load(reference_fragment("泽州县"))
    generation = store.generation()
    store.load(reference_fragment("泽州县"))
    assert store.generation() == generation  # no row changed
    reference = NetworkxStore(None)
    reference.load(reference_fragment("泽州县"))
    assert edges_of(store.read_graph()) == edges_of(reference.graph)


def test_the_store_file_is_told_by_content_then_by_name(tmp_path: Path, db: Path) -> None:
    assert isinstance(open_embedded(db), SqliteStore)
    assert isinstance(open_embedded(tmp_path / "new.db"), SqliteStore)
    assert isinstance(open_embedded(tmp_path / "new.json"), NetworkxStore)  # the older format
    legacy = tmp_path / "old.json"
    NetworkxStore(legacy).load(document_fragment(extract_file(SAMPLE)))
    assert isinstance(open_embedded(legacy), NetworkxStore)
    copied = tmp_path / "copied.json"  # a SQLite store under a .json name is still SQLite
    copied.write_bytes(db.read_bytes())
    assert isinstance(open_embedded(copied), SqliteStore)


def test_reading_a_missing_store_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "graph.db"
    store = SqliteStore(path)
    assert store.counts() == {"edges": 0} and store.read_graph().number_of_nodes() == 0
    assert Questions(store).units() == []
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [b"not a store at all", b'{"format": "something-else"}', b"SQLite format 3\x00broken"],
    ids=["text", "foreign-json", "torn-sqlite"],
)
def test_a_file_of_the_wrong_format_is_one_line_naming_it(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "graph.db"
    path.write_bytes(content)
    with pytest.raises(StoreUnavailable, match=str(path)):
        open_embedded(path).counts()
    capsys.readouterr()
    assert main(["units", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE x (a)")
    with pytest.raises(StoreUnavailable, match="not a zhenkg store"):
        SqliteStore(path)


def test_migrate_copies_a_json_store_losing_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = tmp_path / "graph.json"
    ingest(NetworkxStore(legacy), SAMPLE, YANGCHENG, GAOPING)
    assert main(["migrate", str(legacy)]) == 0
    assert "migrated" in capsys.readouterr().out
    old, new = NetworkxStore(legacy), open_embedded(tmp_path / "graph.db")
    assert isinstance(new, SqliteStore)
    G, H = old.graph, new.read_graph()
    assert nodes_of(H) == nodes_of(G) and edges_of(H) == edges_of(G)
    assert list(H.nodes) == list(G.nodes)
    assert list(H.edges(keys=True)) == list(G.edges(keys=True))
    assert new.counts() == old.counts()
    assert Questions(new).matrix() == Questions(old).matrix()
    # the migrated store goes on: the next version of a plan is version 2
    assert load_document(new, extract_file(edited_sample(tmp_path))).version == 2
    # migrating again, or a file that is not a JSON store, is refused in one line
    assert main(["migrate", str(legacy)]) == 1
    assert main(["migrate", str(tmp_path / "graph.db"), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "exists" in err[0] and "not a JSON store" in err[1]


def test_the_default_store_is_sqlite_unless_only_a_json_store_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHENKG_DB", raising=False)
    monkeypatch.setattr(store_module, "DEFAULT_DB", tmp_path)
    assert default_db_path() == tmp_path / "graph.db"
    (tmp_path / "graph.json").write_text("{}", "utf-8")
    assert default_db_path() == tmp_path / "graph.json"
    (tmp_path / "graph.db").touch()
    assert default_db_path() == tmp_path / "graph.db"


def test_loading_a_fragment_twice_changes_no_row(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "graph.db")
    fragment = document_fragment(extract_file(SAMPLE))
    store.load(copy.deepcopy(fragment))
    G = store.read_graph()
    generation = store.generation()
    store.load(copy.deepcopy(fragment))  # drops the document's rows and writes them again
    assert nodes_of(store.read_graph()) == nodes_of(G)
    assert edges_of(store.read_graph()) == edges_of(G)
    assert store.generation() == generation + 1
