"""The Neo4j store: the shared Cypher loading over the official ``neo4j`` driver.

``bolt://`` and ``neo4j://`` (and the ``+s`` / ``+ssc`` variants) name the server. The user
and password come from the URI's userinfo, else ``$NEO4J_USER`` (default ``neo4j``) and
``$NEO4J_PASSWORD``; the database from ``?database=``, else ``$NEO4J_DATABASE``, else the
server's default. Reads run in READ access-mode sessions, which the server holds to reading.

Dialect: ``CREATE CONSTRAINT … IF NOT EXISTS FOR (n:Label) REQUIRE n.id IS UNIQUE`` and named
``CREATE INDEX … IF NOT EXISTS`` range indexes on ``doc`` for nodes and relationships.

>>> neo4j_target("bolt://alice:s%40cret@db:7687?database=plans", {})
('bolt://db:7687', ('alice', 's@cret'), 'plans')
>>> neo4j_target("neo4j://db", {"NEO4J_PASSWORD": "pw", "NEO4J_DATABASE": "zhenkg"})
('neo4j://db', ('neo4j', 'pw'), 'zhenkg')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from graph.cypher_store import DEFAULT_BATCH_SIZE, CypherStoreBase, Row
from graph.errors import CypherError, ReadOnlyViolation, StoreUnavailable
from graph.schema import Label, Rel


def neo4j_target(
    uri: str, env: Mapping[str, str] | None = None
) -> tuple[str, tuple[str, str] | None, str | None]:
    """Driver URI (without userinfo and ``database``), auth and database name of ``uri``."""
    env = os.environ if env is None else env
    parts = urlsplit(uri)
    user = unquote(parts.username) if parts.username else env.get("NEO4J_USER", "neo4j")
    password = unquote(parts.password) if parts.password else env.get("NEO4J_PASSWORD")
    query = parse_qsl(parts.query)
    database = next((v for k, v in query if k == "database"), None) or env.get("NEO4J_DATABASE")
    rest = urlencode([(k, v) for k, v in query if k != "database"])
    netloc = parts.netloc.rsplit("@", 1)[-1]
    clean = urlunsplit((parts.scheme, netloc, parts.path, rest, ""))
    return clean, ((user, password) if password is not None else None), database or None


def schema_statements() -> list[str]:
    """Uniqueness of ``id`` per label, and indexes on ``doc`` (nodes) and ``doc`` / ``origin``
    (relationships): Neo4j 5 syntax, safe to run again."""
    statements = []
    for label in Label:
        name = label.value.lower()
        statements.append(
            f"CREATE CONSTRAINT zhenkg_{name}_id IF NOT EXISTS "
            f"FOR (n:{label.value}) REQUIRE n.id IS UNIQUE"
        )
        statements.append(
            f"CREATE INDEX zhenkg_{name}_doc IF NOT EXISTS FOR (n:{label.value}) ON (n.doc)"
        )
    for rel in Rel:
        for key in ("doc", "origin"):
            statements.append(
                f"CREATE INDEX zhenkg_{rel.value.lower()}_{key} IF NOT EXISTS "
                f"FOR ()-[r:{rel.value}]-() ON (r.{key})"
            )
    return statements


def _plain(value: Any) -> Any:
    """A driver value as plain Python: nodes and relationships as property dicts."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value.items())}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value.items())}
    if isinstance(value, Path):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "edges": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Neo4jStore(CypherStoreBase):
    """A graph in a Neo4j database."""

    name = "neo4j"

    def __init__(
        self,
        driver: Any,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        target: str = "neo4j",
    ) -> None:
        super().__init__(batch_size)
        self.driver = driver
        self.database = database
        self.target = target

    @classmethod
    def from_uri(cls, uri: str, batch_size: int = DEFAULT_BATCH_SIZE) -> Neo4jStore:
        """Connect to the server ``uri`` names and check that it answers.

        Raises:
            StoreUnavailable: the server is unreachable or refuses the credentials.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, DriverError, ServiceUnavailable

        clean, auth, database = neo4j_target(uri)
        try:
            driver = GraphDatabase.driver(clean, auth=auth)
            driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, DriverError, ValueError) as exc:
            reason = " ".join(str(exc).split())
            raise StoreUnavailable(f"{clean}: cannot reach Neo4j ({reason})") from exc
        return cls(driver, database, batch_size, target=clean)

    # -- dialect -----------------------------------------------------------------------
    def _run(self, statement: str, params: Row | None, read_only: bool) -> list[Row]:
        from neo4j import READ_ACCESS, WRITE_ACCESS
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        def work(tx: Any) -> list[Row]:
            result = tx.run(statement, params or {})
            return [{k: _plain(v) for k, v in record.items()} for record in result]

        mode = READ_ACCESS if read_only else WRITE_ACCESS
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as session:
                run = session.execute_read if read_only else session.execute_write
                rows: list[Row] = run(work)
                return rows
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"{self.target}: {exc}") from exc
        except Neo4jError as exc:
            code = str(getattr(exc, "code", "") or "")
            if read_only and ("AccessMode" in code or "Forbidden" in code):
                raise ReadOnlyViolation(f"{self.target}: the server refused a write") from exc
            raise CypherError(f"{self.target}: {code}: {exc.message or exc}") from exc

    def _write(self, statement: str, params: Row | None = None) -> list[Row]:
        return self._run(statement, params, read_only=False)

    def _run_read_only(self, statement: str, params: Row | None = None) -> list[Row]:
        return self._run(statement, params, read_only=True)

    def _create_schema(self) -> None:
        for statement in schema_statements():
            self._write(statement)

    def drop(self) -> None:
        """Delete every node and relationship of the database (tests and benchmarks)."""
        self._write("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()
