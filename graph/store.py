"""The ``GraphStore`` protocol every backend implements, and how to open one from a URI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graph.fragment import Fragment

DEFAULT_DB = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "zhenkg"


def default_db_path() -> Path:
    """The embedded store's file: ``$ZHENKG_DB``, else ``$XDG_DATA_HOME/zhenkg/graph.json``."""
    env = os.environ.get("ZHENKG_DB")
    return Path(env) if env else DEFAULT_DB / "graph.json"


@runtime_checkable
class GraphStore(Protocol):
    """What the queries, the CLI and the API need from a store."""

    name: str

    def load(self, fragment: Fragment) -> None:
        """Merge ``fragment``; first drop every fact of the documents in ``fragment.docs``."""
        ...

    def remove_documents(self, doc_ids: list[str]) -> None:
        """Drop every fact the given documents stated, and nodes left with no edge."""
        ...

    def counts(self) -> dict[str, int]:
        """Node counts per label plus ``"edges"``: a cheap fingerprint of the contents."""
        ...

    def close(self) -> None:
        """Release connections and locks."""
        ...


@runtime_checkable
class CypherStore(GraphStore, Protocol):
    """A store that answers Cypher (Neo4j, FalkorDB)."""

    def read(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement with parameters; rows as dicts."""
        ...


def open_store(uri: str | None = None, db: str | Path | None = None) -> GraphStore:
    """Open the store named by ``uri`` (or ``$ZHENKG_STORE``), else the embedded file store.

    ``bolt://`` and ``neo4j://`` (and ``+s`` variants) open Neo4j; ``falkordb://`` and
    ``redis://`` open FalkorDB; anything else, or nothing, the networkx file at ``db``.
    """
    uri = uri or os.environ.get("ZHENKG_STORE")
    if uri and uri.split("://", 1)[0] in {
        "bolt",
        "bolt+s",
        "bolt+ssc",
        "neo4j",
        "neo4j+s",
        "neo4j+ssc",
    }:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_uri(uri)
    if uri and uri.split("://", 1)[0] in {"falkordb", "redis"}:
        from graph.falkordb_store import FalkorDBStore

        return FalkorDBStore.from_uri(uri)
    from graph.networkx_store import NetworkxStore

    return NetworkxStore(Path(db) if db else default_db_path())
