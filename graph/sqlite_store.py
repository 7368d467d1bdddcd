"""The embedded store on SQLite: nodes, edges and documents as indexed tables in one file.

Every write is one transaction (``BEGIN IMMEDIATE``): it touches only the rows of the
documents and data files it replaces, and a writer that fails or is killed leaves the store as
it was. :meth:`SqliteStore.transaction` lets a caller read and write in one transaction, which
is how :func:`graph.merge.load_document` numbers versions and points citations: two processes
merging into one file serialise, and each sees what the other committed. The file is in WAL
mode, so readers are never blocked by a writer and read a consistent snapshot.

The tables, and opening the file, are in ``graph/sqlite_file.py``; the answers kept for
other processes in ``graph/sqlite_answers.py``.

Questions run on networkx: :meth:`SqliteStore.read_graph` materialises the graph from the
tables, cached until the generation changes (``graph/sqlite_parts.py``, which also reads the
part of the graph one question needs); the rows are written by ``graph/sqlite_rows.py``. Node and edge order is insertion order, as in
the networkx store.

>>> store = SqliteStore(None)
>>> from graph.fragment import Fragment
>>> f = Fragment(docs=["doc:x"]); f.node("doc:x", Label.DOCUMENT, doc="doc:x")
>>> store.load(f); store.counts()
{'Document': 1, 'edges': 0}
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.claims import GRAPH_KEY
from graph.errors import StoreUnavailable
from graph.fragment import Fragment, source_digests, unique_edges
from graph.networkx_graph import new_graph
from graph.schema import Label
from graph.sqlite_answers import drop_answers, keep_answer, stored_answer
from graph.sqlite_file import connect, ensure_schema, environmental, generation, rollback
from graph.sqlite_parts import PARTS, Part, add_tasks, materialise
from graph.sqlite_rows import (
    DOCUMENT_COLUMNS,
    drop_documents,
    drop_sources,
    marks,
    parse_json,
    put_claims,
    put_edges,
    put_nodes,
    unchanged_sources,
)

if TYPE_CHECKING:
    import networkx as nx


class SqliteStore:
    """The embedded store in one SQLite file (``None``: in memory, for tests and notebooks)."""

    name = "sqlite"

    def __init__(self, path: Path | str | None = None, lock_timeout: float = 60.0) -> None:
        self.path = Path(path) if path is not None else None
        self.lock_timeout = lock_timeout
        self._conn: sqlite3.Connection | None = None
        self._mutex = threading.RLock()  # one connection, shared by the server's threads
        self._depth = 0
        self._graph: nx.MultiDiGraph | None = None
        self._generation: int | None = None
        if self.path is None or self.path.exists():
            self._connect()

    # -- connection ----------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        self._conn = connect(self.path, self.lock_timeout)
        return self._conn

    def _reader(self) -> sqlite3.Connection | None:
        """The connection, or ``None`` while the file does not exist (an empty store)."""
        if self._conn is None and self.path is not None and not self.path.exists():
            return None
        return self._connect()

    def close(self) -> None:
        """Close the connection (the next use opens it again)."""
        with self._mutex:
            if self._conn is not None and self._depth == 0:
                self._conn.close()
                self._conn = None

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around the block; a nested call is a savepoint inside it.

        Reads inside the block see the store as it is while no other writer can change it.
        On an exception everything the block wrote is rolled back; in a nested block, only
        what that block wrote (``ingest DIR`` commits many documents at once, each still all
        or nothing).

        Raises:
            StoreUnavailable: another writer held the store longer than ``lock_timeout``, or
                the write failed for want of room, permission or a sound file (nothing is
                written then).
        """
        with self._mutex:
            if self._depth:
                with self._savepoint():
                    yield
                return
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"{self.path}: locked by another writer ({exc})") from exc
            before = conn.total_changes
            self._depth = 1
            try:
                yield
                if conn.total_changes != before:
                    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
                    drop_answers(conn)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._graph = None
                rollback(conn)
                if environmental(exc):
                    raise self._unavailable(exc) from exc
                raise
            except BaseException:
                self._graph = None
                rollback(conn)
                raise
            finally:
                self._depth = 0

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A nested block of :meth:`transaction`: rolled back alone on an exception."""
        conn = self._connect()
        name = f"nested{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
            conn.execute(f"RELEASE {name}")
        except BaseException as exc:
            self._graph = None
            if conn.in_transaction:  # SQLite may have rolled the whole transaction back
                with contextlib.suppress(sqlite3.Error):
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
            if isinstance(exc, sqlite3.DatabaseError) and environmental(exc):
                raise self._unavailable(exc) from exc
            raise
        finally:
            self._depth -= 1

    def _unavailable(self, exc: sqlite3.DatabaseError) -> StoreUnavailable:
        """What a write that failed for the machine (room, permission, a damaged file) raises."""
        reason = " ".join(str(exc).split())
        return StoreUnavailable(
            f"{self.path or ':memory:'}: cannot write the store ({reason}); it is left as it was"
        )

    def generation(self) -> int:
        """A number that changes whenever a write changes the store (0 for a missing file)."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return 0
            return generation(conn)

    # -- answers kept for other processes -------------------------------------------------
    def stored_answer(self, key: str) -> tuple[int, bytes | None]:
        """The store's generation, and the answer kept under ``key`` if it was computed at that
        generation (``None`` otherwise); both read from one snapshot."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return 0, None
            return stored_answer(conn, key)

    def keep_answer(self, key: str, generation: int, value: bytes) -> bool:
        """Keep ``value`` under ``key`` as the answer at ``generation``, if the store is still
        at it; answers of other generations go. Never waits for a writer and never fails: a
        locked, read-only or full store keeps nothing (``False``). The generation is not
        bumped: a kept answer changes no fact.
        """
        with self._mutex:
            conn = self._reader()
            if conn is None or self._depth:
                return False
            return keep_answer(conn, key, generation, value, self.lock_timeout)

    # -- GraphStore ----------------------------------------------------------------------
    def load(self, fragment: Fragment) -> None:
        """Merge ``fragment`` after dropping the facts of the documents and files it replaces.

        Raises:
            ValueError: an edge refers to a node neither in the fragment nor in the store
                (nothing is written).
        """
        with self.transaction():
            conn = self._connect()
            ensure_schema(conn)
            edges = unique_edges(fragment)
            drop_documents(conn, fragment.docs)
            digests = source_digests(edges, fragment.sources)
            kept = unchanged_sources(conn, digests, edges)
            replaced = [s for s in fragment.sources if s not in kept]
            drop_sources(conn, replaced)
            ids = put_nodes(conn, fragment.nodes, fragment.docs)
            put_claims(conn, ids, fragment.claims)
            fresh = set(fragment.docs) | set(replaced)
            put_edges(
                conn, ids, {e: a for e, a in edges.items() if a.get("origin") not in kept}, fresh
            )
            for origin in replaced:
                conn.execute(
                    "INSERT OR REPLACE INTO sources (origin, digest) VALUES (?, ?)",
                    (origin, digests[origin]),
                )

    def remove_documents(self, doc_ids: list[str]) -> None:
        """Drop every fact the documents stated, and shared nodes left with no edge."""
        with self.transaction():
            conn = self._connect()
            ensure_schema(conn)
            drop_documents(conn, doc_ids)

    def counts(self) -> dict[str, int]:
        """Nodes per label, and ``edges``."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return {"edges": 0}
            rows = conn.execute("SELECT label, count(*) FROM nodes GROUP BY label").fetchall()
            counts = dict(sorted((str(label), int(n)) for label, n in rows))
            counts["edges"] = int(conn.execute("SELECT count(*) FROM edges").fetchone()[0])
            return counts

    # -- reading -------------------------------------------------------------------------
    def read_graph(self) -> nx.MultiDiGraph:
        """The whole graph as networkx, read from one snapshot; shared until the next write.

        Treat it as read-only: changes to it are not stored.
        """
        return self.graph_at()[1]

    def graph_at(self) -> tuple[int | None, nx.MultiDiGraph]:
        """:meth:`read_graph`, with the generation it was read at (``None``: an empty store
        not yet created, or rows not yet committed)."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return None, new_graph()
            if self._depth:  # uncommitted rows: read them, but do not keep the graph
                return None, materialise(conn)
            conn.execute("BEGIN")
            try:
                at = generation(conn)
                if self._graph is None or at != self._generation:
                    self._graph = materialise(conn)
                    self._generation = at
            finally:
                conn.execute("COMMIT")
            return at, self._graph

    def refresh(self) -> None:
        """Nothing to do: :meth:`read_graph` notices other writers by the generation."""

    def document_nodes(
        self, full: Collection[str] | None = (), numbers: Collection[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """The Document nodes (key → attributes) with what a merge needs of them: no version
        histories but those of ``full``.

        Args:
            full: documents to read with every attribute (``versions`` among them); ``None``:
                every document. (The merge reads the version 1 of one stored without a history
                from its tasks: :meth:`task_graph`.)
            numbers: when given, only the documents a merge of these document numbers can
                touch: those in ``full``, those with one of the numbers (placeholders among
                them) and those citing one (through the ``documents_number`` index and
                SQLite's JSON functions, so a merge does not read every document).
        """
        nodes: dict[str, dict[str, Any]] = {}
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return nodes
            select = (
                "SELECT n.key, d.doc_number, d.region, d.placeholder, d.sha256, d.source, "
                "d.title, d.key, d.cites FROM documents d CROSS JOIN nodes n ON n.id = d.node"
            )  # CROSS JOIN: walk the documents, not every node (SQLite keeps the order)
            if numbers is None:
                rows = conn.execute(f"{select} ORDER BY d.node").fetchall()
            else:
                keys, nums = list(full or ()), list(dict.fromkeys(numbers))
                k, m = marks(len(keys)), marks(len(nums))
                rows = conn.execute(
                    f"{select} WHERE n.key IN ({k}) OR d.doc_number IN ({m}) OR EXISTS "
                    f"(SELECT 1 FROM json_each(d.cites) c WHERE c.value IN ({m})) ORDER BY d.node",
                    [*keys, *nums, *nums],
                ).fetchall()
            for key, *values, cites in rows:
                attrs = dict(zip(DOCUMENT_COLUMNS, values, strict=True))
                attrs["placeholder"] = bool(attrs["placeholder"])
                nodes[key] = {"label": Label.DOCUMENT.value, "cites": parse_json(cites), **attrs}
            for doc in list(nodes) if full is None else dict.fromkeys(full):
                row = conn.execute("SELECT attrs FROM nodes WHERE key = ?", (doc,)).fetchone()
                if row is not None:
                    nodes[doc] = parse_json(row[0])
        return nodes

    def task_graph(self, doc: str) -> nx.MultiDiGraph:
        """A document's Task nodes with their RESPONSIBLE_FOR edges and the units on them."""
        G = new_graph()
        with self._mutex:
            conn = self._reader()
            if conn is not None:
                add_tasks(conn, G, doc)
        return G

    def read_part(self, question: str, ref: Sequence[str] = ()) -> nx.MultiDiGraph | None:
        """The part of the graph one question's answer depends on, read through the indexes.

        The pure functions of ``queries`` give on it the answer they give on the whole graph
        (``tests/queries/test_parts.py``); nodes and edges keep the whole graph's order.

        Args:
            question: ``"units"`` (``ref``: unit names, surfaces or ids — each unit so named,
                its tasks, the other units on them, their documents, the people holding
                posts in them and the groups they sit in), ``"unit_roles"`` (the same without
                the posts and groups), ``"load"`` (as ``"units"``, and the groups where the
                named units' people sit), ``"coverage"`` (every Unit, one MEMBER_OF edge per
                group member with its group, one HOLDS edge per member and unit, one
                RESPONSIBLE_FOR edge per unit on a task), ``"who"`` (``ref``: one task
                reference — the tasks it may name, the first one's units as for ``"units"``,
                every Group and the units and people its office posts name), ``"search"``
                (``ref``: texts — the nodes whose name, title or number holds one, no edge)
                or ``"responsibility"`` (every Unit, Task and Document, the RESPONSIBLE_FOR
                edges, every unit's heads and the tasks' progress reports: what ``units``,
                ``tasks``, ``matrix`` and ``overdue`` read).

        Returns:
            The subgraph, or ``None`` when the store is empty, inside a transaction, or the
            question is not one of these (ask :meth:`read_graph`).
        """
        found = self.part_at(question, ref)
        return None if found is None else found[1]

    def part_at(self, question: str, ref: Sequence[str] = ()) -> tuple[int, nx.MultiDiGraph] | None:
        """:meth:`read_part`, with the generation it was read at (from the same snapshot)."""
        with self._mutex:
            conn = self._reader()
            if conn is None or self._depth or question not in PARTS:
                return None
            conn.execute("BEGIN")
            try:
                at = generation(conn)
                part = Part(conn)
                if not PARTS[question](part, list(ref)):
                    return None
                return at, part.graph()
            finally:
                conn.execute("COMMIT")

    def import_graph(self, G: nx.MultiDiGraph) -> None:
        """Write a whole graph into this (empty) store, keeping node and edge order.

        Raises:
            StoreUnavailable: the store already holds nodes.
        """
        with self.transaction():
            conn = self._connect()
            if conn.execute("SELECT 1 FROM nodes LIMIT 1").fetchone():
                raise StoreUnavailable(f"{self.path}: not empty; migrate into a new file")
            ensure_schema(conn)
            ids = put_nodes(conn, {n: d for n, d in G.nodes(data=True)})
            put_claims(conn, ids, G.graph.get(GRAPH_KEY) or {})
            edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
            put_edges(conn, ids, edges, set())
