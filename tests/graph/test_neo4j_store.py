"""Neo4jStore without a server: URI parsing, access modes and error mapping on a fake driver.

The live suite (``test_stores.py``) covers Neo4j when ``NEO4J_URI`` names a server.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import READ_ACCESS, WRITE_ACCESS
from neo4j.exceptions import Neo4jError

from graph.errors import CypherError, ReadOnlyViolation
from graph.neo4j_store import Neo4jStore, neo4j_target


class FakeRecord:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def items(self) -> list[tuple[str, Any]]:
        return list(self.data.items())


class FakeTx:
    def __init__(self, log: list[tuple[str, str, dict[str, Any]]], mode: str) -> None:
        self.log, self.mode = log, mode

    def run(self, statement: str, params: dict[str, Any]) -> list[FakeRecord]:
        self.log.append((self.mode, statement, params))
        if "CREATE (" in statement and self.mode == READ_ACCESS:
            raise Neo4jError._hydrate_neo4j(
                code="Neo.ClientError.Statement.AccessMode",
                message="Writing in read access mode not allowed",
            )
        if "SYNTAX" in statement:
            raise Neo4jError._hydrate_neo4j(
                code="Neo.ClientError.Statement.SyntaxError", message="Invalid input"
            )
        return [FakeRecord({"n": 1, "m": {"a": [1, 2]}})]


class FakeSession:
    def __init__(self, log: list[tuple[str, str, dict[str, Any]]], mode: str) -> None:
        self.log, self.mode = log, mode

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute_read(self, work: Any) -> Any:
        assert self.mode == READ_ACCESS
        return work(FakeTx(self.log, self.mode))

    def execute_write(self, work: Any) -> Any:
        assert self.mode == WRITE_ACCESS
        return work(FakeTx(self.log, self.mode))


class FakeDriver:
    def __init__(self) -> None:
        self.log: list[tuple[str, str, dict[str, Any]]] = []
        self.databases: list[str | None] = []

    def session(self, database: str | None, default_access_mode: str) -> FakeSession:
        self.databases.append(database)
        return FakeSession(self.log, default_access_mode)

    def close(self) -> None:
        return None


def test_uri_parts() -> None:
    assert neo4j_target("bolt+s://u:p@h:7687?database=x&policy=eu", {}) == (
        "bolt+s://h:7687?policy=eu",
        ("u", "p"),
        "x",
    )
    assert neo4j_target("bolt://h", {}) == ("bolt://h", None, None)


def test_reads_run_in_read_sessions_and_writes_refused() -> None:
    driver = FakeDriver()
    store = Neo4jStore(driver, database="plans")
    assert store.read("MATCH (n) RETURN 1 AS n", {"x": 1}) == [{"n": 1, "m": {"a": [1, 2]}}]
    assert driver.log[-1][0] == READ_ACCESS and driver.databases == ["plans"]
    with pytest.raises(ReadOnlyViolation):
        store.read("CREATE (n:Unit)")
    with pytest.raises(ReadOnlyViolation):
        store.read_only("MATCH (n) SET n.x = 1")
    with pytest.raises(CypherError):
        store.read("SYNTAX")


def test_load_batches_writes_and_creates_the_schema_once() -> None:
    from graph.fragment import Fragment
    from graph.schema import Label, Rel

    driver = FakeDriver()
    store = Neo4jStore(driver, batch_size=2)
    f = Fragment()
    for i in range(5):
        f.node(f"unit:r:{i}", Label.UNIT, name=str(i), span=[i, i + 1], note=None)
    f.edge("unit:r:0", "unit:r:1", Rel.MEMBER_OF, "x", doc="doc:d")
    store.load(f)
    store.load(f)
    writes = [s for mode, s, _ in driver.log if mode == WRITE_ACCESS]
    assert sum(s.startswith("CREATE CONSTRAINT") for s in writes) == len(Label)
    merges = [
        (s, p) for mode, s, p in driver.log if s.startswith("UNWIND $rows") and "(n:Unit" in s
    ]
    assert [len(p["rows"]) for _, p in merges] == [2, 2, 1, 2, 2, 1]
    assert merges[0][1]["rows"][0] == {"id": "unit:r:0", "props": {"name": "0", "span": [0, 1]}}
    [edge] = [p for _, s, p in driver.log if "MERGE (a)-[r:MEMBER_OF" in s][:1]
    assert edge["rows"] == [
        {
            "source": "unit:r:0",
            "target": "unit:r:1",
            "key": "MEMBER_OF|doc:d|x",
            "props": {"doc": "doc:d"},
        }
    ]
