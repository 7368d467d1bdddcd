"""The ``GraphStore`` protocol every backend implements, and how to open one from a URI."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from graph.errors import StoreUnavailable
from graph.fragment import Fragment

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_DB = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "zhenkg"
SQLITE_HEADER = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """The embedded store's file: ``$ZHENKG_DB``, else ``$XDG_DATA_HOME/zhenkg/graph.db``
    (``graph.json`` there instead when only that older store exists)."""
    env = os.environ.get("ZHENKG_DB")
    if env:
        return Path(env)
    db, legacy = DEFAULT_DB / "graph.db", DEFAULT_DB / "graph.json"
    return legacy if legacy.exists() and not db.exists() else db


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
class EmbeddedStore(GraphStore, Protocol):
    """A store in this process's hands (SQLite or JSON file): questions run on networkx."""

    def read_graph(self) -> nx.MultiDiGraph:
        """The whole graph as networkx, current with the file."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Reads and writes in the block see no other writer and land together, or not at all."""
        ...


@runtime_checkable
class CypherStore(GraphStore, Protocol):
    """A store that answers Cypher (Neo4j, FalkorDB)."""

    def read(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only statement with parameters; rows as dicts."""
        ...


NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKORDB_SCHEMES = ("falkordb", "redis")


def open_store(uri: str | None = None, db: str | Path | None = None) -> GraphStore:
    """Open the store named by ``uri`` (or ``$ZHENKG_STORE``), else the embedded file store.

    ``bolt://`` and ``neo4j://`` (and ``+s`` variants) open Neo4j; ``falkordb://`` and
    ``redis://`` open FalkorDB; a plain path, the embedded store file there; nothing, the
    embedded store file at ``db`` (:func:`open_embedded`).

    Raises:
        StoreUnavailable: ``uri`` has a scheme zhenkg does not know (it is never taken for
            the default store: a mistyped URI must not read or write another store).
    """
    uri = uri or os.environ.get("ZHENKG_STORE")
    if not uri:
        return open_embedded(Path(db) if db else default_db_path())
    if "://" not in uri:
        return open_embedded(Path(uri))
    scheme = uri.split("://", 1)[0].lower()
    if scheme in NEO4J_SCHEMES:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_uri(uri)
    if scheme in FALKORDB_SCHEMES:
        from graph.falkordb_store import FalkorDBStore

        return FalkorDBStore.from_uri(uri)
    known = ", ".join(f"{s}://" for s in (*NEO4J_SCHEMES, *FALKORDB_SCHEMES))
    raise StoreUnavailable(f"{uri}: unknown store scheme {scheme!r} ({known}, or a file path)")


def embedded_format(path: Path) -> str:
    """``"sqlite"`` or ``"json"``: by the file's first bytes, else (no file yet) by its name.

    A missing or empty file named ``*.json`` is a JSON store, any other a SQLite store.

    Raises:
        StoreUnavailable: the file is neither, or cannot be read.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        head = b""
    except OSError as exc:
        raise StoreUnavailable(f"{path}: cannot read the store ({exc.strerror})") from exc
    if not head:
        return "json" if path.suffix.lower() == ".json" else "sqlite"
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.lstrip()[:1] == b"{":
        return "json"
    raise StoreUnavailable(f"{path}: not a zhenkg store (neither SQLite nor zhenkg JSON)")


def open_embedded(path: Path, lock_timeout: float = 60.0) -> EmbeddedStore:
    """The embedded store in ``path``: SQLite (:class:`~graph.sqlite_store.SqliteStore`), or
    a JSON file of the earlier format (:class:`~graph.networkx_store.NetworkxStore`).

    Raises:
        StoreUnavailable: the file is not a zhenkg store, or cannot be read.
    """
    if embedded_format(path) == "json":
        from graph.networkx_store import NetworkxStore

        return NetworkxStore(path, lock_timeout=lock_timeout)
    from graph.sqlite_store import SqliteStore

    return SqliteStore(path, lock_timeout=lock_timeout)
