"""The embedded store on SQLite: nodes, edges and documents as indexed tables in one file.

Every write is one transaction (``BEGIN IMMEDIATE``): it touches only the rows of the
documents and data files it replaces, and a writer that fails or is killed leaves the store as
it was. :meth:`SqliteStore.transaction` lets a caller read and write in one transaction, which
is how :func:`graph.merge.load_document` numbers versions and points citations: two processes
merging into one file serialise, and each sees what the other committed. The file is in WAL
mode, so readers are never blocked by a writer and read a consistent snapshot.

Tables (integer keys; ``attrs`` holds every attribute as JSON, the other columns index it):

- ``nodes(id, key, label, name, doc, attrs)``, indexed on ``key``, ``(label, name)``, ``doc``;
- ``edges(id, src, dst, key, type, doc, origin, attrs)``, unique on ``(src, dst, key)``,
  indexed on ``(src, type)``, ``(dst, type)``, ``doc`` and ``origin``;
- ``documents(node, doc_number, region, placeholder, sha256, source, title, key, cites)``: what
  a merge needs of every Document node, without reading version histories;
- ``sources(origin, digest)``: a data file's edges (chain templates, town bindings, registers)
  are stored once; a fragment restating them unchanged leaves their rows alone;
- ``claims(node, doc, claim)``, indexed on ``doc``: what each document states about a shared
  node (``graph.claims``), from which the node's attributes are derived (stores written before
  it get the table at their next write);
- ``meta``: the format and a generation counter bumped by every write that changed a row;
- ``answers(key, generation, value)``: answers computed by readers (``queries.kept``), each
  valid only at the generation it names; a write that changes a row empties the table (stores
  written before it get the table from their first reader that keeps an answer).

Questions run on networkx: :meth:`SqliteStore.read_graph` materialises the graph from the
tables, cached until the generation changes. Node and edge order is insertion order, as in
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
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic_core import from_json, to_json

from graph.claims import GRAPH_KEY, Claims, restate, without
from graph.errors import StoreUnavailable
from graph.fragment import Attrs, EdgeKey, Fragment, source_digests, unique_edges
from graph.networkx_store import SHARED_LABELS
from graph.schema import Label, Rel

FORMAT = "zhenkg-sqlite/1"
HEADER = b"SQLite format 3\x00"
CHUNK = 500  # ids per IN (…) list
ENVIRONMENTAL = (  # SQLite result codes that say the machine failed, not the statement
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_READONLY",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_CANTOPEN",
    "SQLITE_PERM",
)

SCHEMA = (
    """
CREATE TABLE meta (key TEXT PRIMARY KEY, value NOT NULL);
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    name TEXT,
    doc TEXT,
    attrs TEXT NOT NULL
);
CREATE INDEX nodes_label_name ON nodes (label, name);
CREATE INDEX nodes_doc ON nodes (doc);
CREATE TABLE edges (
    id INTEGER PRIMARY KEY,
    src INTEGER NOT NULL,
    dst INTEGER NOT NULL,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    doc TEXT,
    origin TEXT,
    attrs TEXT NOT NULL,
    UNIQUE (src, dst, key)
);
CREATE INDEX edges_src_type ON edges (src, type);
CREATE INDEX edges_dst_type ON edges (dst, type);
CREATE INDEX edges_doc ON edges (doc);
CREATE INDEX edges_origin ON edges (origin);
CREATE TABLE documents (
    node INTEGER PRIMARY KEY,
    doc_number TEXT,
    region TEXT,
    placeholder INTEGER NOT NULL,
    sha256 TEXT,
    source TEXT,
    title TEXT,
    key TEXT,
    cites TEXT NOT NULL
);
CREATE INDEX documents_number ON documents (doc_number);
CREATE TABLE sources (origin TEXT PRIMARY KEY, digest TEXT NOT NULL);
"""
    + """
CREATE TABLE IF NOT EXISTS claims (
    node INTEGER NOT NULL,
    doc TEXT NOT NULL,
    claim TEXT NOT NULL,
    PRIMARY KEY (node, doc)
);
CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc);
"""
)
CLAIMS_SCHEMA = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS claims") :]
ANSWERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    value BLOB NOT NULL
)"""
DOCUMENT_COLUMNS = ("doc_number", "region", "placeholder", "sha256", "source", "title", "key")


def _json(value: Any) -> str:
    """Compact JSON text with the characters as they are (no ``\\u`` escapes).

    pydantic-core's encoder and parser (:func:`_parse`) are 3-4x quicker than the standard
    library's on the small maps a store holds; the text is what ``json.dumps(value,
    ensure_ascii=False, separators=(",", ":"))`` writes (a float may be written shorter).
    """
    return to_json(value).decode()


_parse = from_json


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


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
        target = ":memory:"
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _check_header(self.path)
            target = str(self.path)
        try:
            conn = sqlite3.connect(
                target, timeout=self.lock_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self.path}: cannot open the store ({exc})") from exc
        try:
            _prepare(conn, self.path)
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc):
                raise StoreUnavailable(f"{self.path}: locked by another writer") from exc
            raise StoreUnavailable(f"{self.path}: not a readable zhenkg store ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreUnavailable(f"{self.path}: not a readable zhenkg store ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

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
        """One write transaction around the block; nested calls join the outer one.

        Reads inside the block see the store as it is while no other writer can change it.
        On an exception everything the block wrote is rolled back.

        Raises:
            StoreUnavailable: another writer held the store longer than ``lock_timeout``, or
                the write failed for want of room, permission or a sound file (nothing is
                written then).
        """
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
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
                    if _has_table(conn, "answers"):
                        conn.execute("DELETE FROM answers")
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._graph = None
                _rollback(conn)
                if not _environmental(exc):
                    raise
                reason = " ".join(str(exc).split())
                raise StoreUnavailable(
                    f"{self.path or ':memory:'}: cannot write the store ({reason}); "
                    "it is left as it was"
                ) from exc
            except BaseException:
                self._graph = None
                _rollback(conn)
                raise
            finally:
                self._depth = 0

    def generation(self) -> int:
        """A number that changes whenever a write changes the store (0 for a missing file)."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return 0
            return _generation(conn)

    # -- answers kept for other processes -------------------------------------------------
    def stored_answer(self, key: str) -> tuple[int, bytes | None]:
        """The store's generation, and the answer kept under ``key`` if it was computed at that
        generation (``None`` otherwise); both read from one snapshot."""
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return 0, None
            conn.execute("BEGIN")
            try:
                generation = _generation(conn)
                if not _has_table(conn, "answers"):
                    return generation, None
                row = conn.execute(
                    "SELECT value FROM answers WHERE key = ? AND generation = ?", (key, generation)
                ).fetchone()
                return generation, None if row is None else bytes(row[0])
            finally:
                conn.execute("COMMIT")

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
            try:
                conn.execute("PRAGMA busy_timeout = 0")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        if _generation(conn) != generation:
                            conn.execute("ROLLBACK")
                            return False
                        conn.execute(ANSWERS_SCHEMA)
                        conn.execute("DELETE FROM answers WHERE generation != ?", (generation,))
                        conn.execute(
                            "INSERT OR REPLACE INTO answers (key, generation, value) "
                            "VALUES (?, ?, ?)",
                            (key, generation, value),
                        )
                        conn.execute("COMMIT")
                    except BaseException:
                        _rollback(conn)
                        raise
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(self.lock_timeout * 1000)}")
            except sqlite3.Error:
                return False
            return True

    # -- GraphStore ----------------------------------------------------------------------
    def load(self, fragment: Fragment) -> None:
        """Merge ``fragment`` after dropping the facts of the documents and files it replaces.

        Raises:
            ValueError: an edge refers to a node neither in the fragment nor in the store
                (nothing is written).
        """
        with self.transaction():
            conn = self._connect()
            _ensure_claims(conn)
            edges = unique_edges(fragment)
            _drop_documents(conn, fragment.docs)
            digests = source_digests(edges, fragment.sources)
            kept = _unchanged_sources(conn, digests, edges)
            replaced = [s for s in fragment.sources if s not in kept]
            _drop_sources(conn, replaced)
            ids = _put_nodes(conn, fragment.nodes, fragment.docs)
            _put_claims(conn, ids, fragment.claims)
            fresh = set(fragment.docs) | set(replaced)
            _put_edges(
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
            _ensure_claims(conn)
            _drop_documents(conn, doc_ids)

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
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return nx.MultiDiGraph()
            if self._depth:  # uncommitted rows: read them, but do not keep the graph
                return _materialise(conn)
            conn.execute("BEGIN")
            try:
                generation = int(
                    conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
                )
                if self._graph is None or generation != self._generation:
                    self._graph = _materialise(conn)
                    self._generation = generation
            finally:
                conn.execute("COMMIT")
            return self._graph

    def refresh(self) -> None:
        """Nothing to do: :meth:`read_graph` notices other writers by the generation."""

    def document_graph(
        self, full: Collection[str] | None = (), numbers: Collection[str] | None = None
    ) -> nx.MultiDiGraph:
        """The Document nodes with what a merge needs of them (no version histories).

        Args:
            full: documents to read with every attribute (``versions`` among them) and, when
                they carry no history, with their tasks and the units on them, from which
                :func:`graph.merge.graph_tasks` reads version 1; ``None``: every document.
            numbers: when given, only the documents a merge of these document numbers can
                touch: those in ``full``, those with one of the numbers (placeholders among
                them) and those citing one (through the ``documents_number`` index and
                SQLite's JSON functions, so a merge does not read every document).
        """
        G = nx.MultiDiGraph()
        with self._mutex:
            conn = self._reader()
            if conn is None:
                return G
            select = (
                "SELECT n.key, d.doc_number, d.region, d.placeholder, d.sha256, d.source, "
                "d.title, d.key, d.cites FROM documents d CROSS JOIN nodes n ON n.id = d.node"
            )  # CROSS JOIN: walk the documents, not every node (SQLite keeps the order)
            if numbers is None:
                rows = conn.execute(f"{select} ORDER BY d.node").fetchall()
            else:
                keys, nums = list(full or ()), list(dict.fromkeys(numbers))
                k, m = _marks(len(keys)), _marks(len(nums))
                rows = conn.execute(
                    f"{select} WHERE n.key IN ({k}) OR d.doc_number IN ({m}) OR EXISTS "
                    f"(SELECT 1 FROM json_each(d.cites) c WHERE c.value IN ({m})) ORDER BY d.node",
                    [*keys, *nums, *nums],
                ).fetchall()
            for key, *values, cites in rows:
                attrs = dict(zip(DOCUMENT_COLUMNS, values, strict=True))
                attrs["placeholder"] = bool(attrs["placeholder"])
                G.add_node(key, label=Label.DOCUMENT.value, cites=_parse(cites), **attrs)
            for doc in list(G) if full is None else dict.fromkeys(full):
                row = conn.execute("SELECT attrs FROM nodes WHERE key = ?", (doc,)).fetchone()
                if row is None:
                    continue
                attrs = _parse(row[0])
                G.add_node(doc)
                G.nodes[doc].clear()
                G.nodes[doc].update(attrs)
                if not attrs.get("placeholder") and not attrs.get("versions"):
                    _add_tasks(conn, G, doc)
        return G

    def read_part(self, question: str, ref: Sequence[str] = ()) -> nx.MultiDiGraph | None:
        """The part of the graph one question's answer depends on, read through the indexes.

        The pure functions of ``queries`` give on it the answer they give on the whole graph
        (``tests/queries/test_parts.py``); nodes and edges keep the whole graph's order.

        Args:
            question: ``"units"`` (``ref``: unit names, surfaces or ids — each unit so named,
                its tasks, the other units on them, their documents, the people holding
                posts in them and the groups they sit in), ``"coverage"`` (every Unit, one MEMBER_OF
                edge per group member with its group, the members' HOLDS edges, one
                RESPONSIBLE_FOR edge per unit on a task) or ``"who"`` (``ref``: one task reference — the tasks it may name,
                the first one's units as for ``"units"``, every Group and the units and
                people its office posts name).

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
            if conn is None or self._depth or question not in _PARTS:
                return None
            conn.execute("BEGIN")
            try:
                generation = _generation(conn)
                part = _Part(conn)
                if not _PARTS[question](part, list(ref)):
                    return None
                return generation, part.graph()
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
            _ensure_claims(conn)
            ids = _put_nodes(conn, {n: d for n, d in G.nodes(data=True)})
            _put_claims(conn, ids, G.graph.get(GRAPH_KEY) or {})
            edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
            _put_edges(conn, ids, edges, set())


def _generation(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the transaction may be gone already
            conn.execute("ROLLBACK")


def _environmental(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite failed because of the machine (a full disk, I/O, a read-only file, a
    lock, a damaged file) rather than a statement of ours."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name.startswith(ENVIRONMENTAL)


# -- opening ---------------------------------------------------------------------------------
def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnavailable(f"{path}: cannot read the store ({exc.strerror})") from exc
    if head and head != HEADER:
        raise StoreUnavailable(f"{path}: not a zhenkg store (not an SQLite file)")


def _prepare(conn: sqlite3.Connection, path: Path | None) -> None:
    """Check the format of an existing store; create the schema in an empty file."""
    conn.execute("PRAGMA synchronous = NORMAL")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:  # another process may have created it while we waited
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("format", FORMAT), ("generation", 1)],
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return
    row = None
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != FORMAT:
        found = f"format {row[0]}" if row else "no zhenkg tables"
        raise StoreUnavailable(f"{path}: not a zhenkg store ({found}; {FORMAT} expected)")


# -- writing ---------------------------------------------------------------------------------
def _drop_documents(conn: sqlite3.Connection, doc_ids: list[str]) -> None:
    """As ``graph.networkx_graph.drop_documents``: the documents' edges, the nodes they own
    (with every edge still on them), then shared nodes those edges touched left with none."""
    docs = list(dict.fromkeys(doc_ids))
    if not docs:
        return
    q = _marks(len(docs))
    if not conn.execute(f"SELECT 1 FROM nodes WHERE key IN ({q}) LIMIT 1", docs).fetchone():
        return  # every fact a document states is loaded with its Document node
    touched = {
        n
        for src, dst in conn.execute(f"SELECT src, dst FROM edges WHERE doc IN ({q})", docs)
        for n in (src, dst)
    }
    claimed = [
        r[0] for r in conn.execute(f"SELECT DISTINCT node FROM claims WHERE doc IN ({q})", docs)
    ]
    conn.execute(f"DELETE FROM edges WHERE doc IN ({q})", docs)
    owned = [
        r[0]
        for r in conn.execute(f"SELECT id FROM nodes WHERE doc IN ({q}) OR key IN ({q})", docs * 2)
    ]
    for part in _chunks(owned):
        p = _marks(len(part))
        conn.execute(f"DELETE FROM edges WHERE src IN ({p})", part)
        conn.execute(f"DELETE FROM edges WHERE dst IN ({p})", part)
        conn.execute(f"DELETE FROM documents WHERE node IN ({p})", part)
        conn.execute(f"DELETE FROM nodes WHERE id IN ({p})", part)
    shared = sorted(SHARED_LABELS)
    candidates = sorted(touched - set(owned))
    for part in _chunks(candidates):
        conn.execute(
            f"DELETE FROM nodes WHERE id IN ({_marks(len(part))}) "
            f"AND label IN ({_marks(len(shared))}) "
            "AND NOT EXISTS (SELECT 1 FROM edges WHERE src = nodes.id) "
            "AND NOT EXISTS (SELECT 1 FROM edges WHERE dst = nodes.id)",
            [*part, *shared],
        )
    _drop_claims(conn, claimed, set(docs))


def _ensure_claims(conn: sqlite3.Connection) -> None:
    """Create the claims table in a store written before it (inside a write transaction)."""
    for statement in CLAIMS_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _claims_of(conn: sqlite3.Connection, nodes: Sequence[int]) -> dict[int, Claims]:
    out: dict[int, Claims] = {}
    for part in _chunks(list(nodes)):
        for node, doc, raw in conn.execute(
            f"SELECT node, doc, claim FROM claims WHERE node IN ({_marks(len(part))})", part
        ):
            out.setdefault(int(node), {})[str(doc)] = _parse(raw)
    return out


def _restate(conn: sqlite3.Connection, changes: Sequence[tuple[int, Claims, Claims]]) -> None:
    """Rewrite each node's attributes to show ``after`` instead of ``before``: ``changes`` holds
    ``(node, before, after)``; the claims on nodes no longer stored are dropped."""
    found: dict[int, str] = {}
    for part in _chunks(list(dict.fromkeys(node for node, _, _ in changes))):
        q = f"SELECT id, attrs FROM nodes WHERE id IN ({_marks(len(part))})"
        found.update(conn.execute(q, part).fetchall())
    updates, gone = [], []
    for node, before, after in changes:
        if node not in found:
            gone.append((node,))
            continue
        attrs = _parse(found[node])
        if restate(attrs, before, after):
            found[node] = _json(attrs)
            updates.append((*_node_columns(attrs), found[node], node))
    conn.executemany("DELETE FROM claims WHERE node = ?", gone)
    conn.executemany(
        "UPDATE nodes SET label = ?, name = ?, doc = ?, attrs = ? WHERE id = ?", updates
    )


def _drop_claims(conn: sqlite3.Connection, nodes: Sequence[int], gone: set[str]) -> None:
    """Forget the claims of ``gone``; the nodes they were on show what the others claim."""
    stored = _claims_of(conn, nodes)
    docs = sorted(gone)
    for part in _chunks(list(nodes)):
        conn.execute(
            f"DELETE FROM claims WHERE node IN ({_marks(len(part))}) "
            f"AND doc IN ({_marks(len(docs))})",
            [*part, *docs],
        )
    _restate(conn, [(n, stored.get(n, {}), without(stored.get(n, {}), gone)) for n in nodes])


def _put_claims(conn: sqlite3.Connection, ids: dict[str, int], claims: dict[str, Claims]) -> None:
    """Store the fragment's claims and derive the attributes of the nodes they are on.

    Raises:
        ValueError: a claim is on a node neither in ``ids`` nor in the store.
    """
    for key in claims:
        if key not in ids:
            row = conn.execute("SELECT id FROM nodes WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise ValueError(f"claim on node {key!r} missing from the fragment")
            ids[key] = int(row[0])
    stored = _claims_of(conn, [ids[k] for k in claims])
    rows: list[tuple[int, str, str]] = []
    changes: list[tuple[int, Claims, Claims]] = []
    for key, new in claims.items():
        node = ids[key]
        before = stored.get(node, {})
        rows.extend((node, doc, _json(c)) for doc, c in new.items() if before.get(doc) != c)
        changes.append((node, before, {**before, **new}))
    conn.executemany("INSERT OR REPLACE INTO claims (node, doc, claim) VALUES (?, ?, ?)", rows)
    _restate(conn, changes)


def _unchanged_sources(
    conn: sqlite3.Connection, digests: dict[str, str], edges: dict[EdgeKey, Attrs]
) -> set[str]:
    """The data files whose edges the store already holds exactly as the fragment states them."""
    kept = set()
    stated = Counter(a.get("origin") for a in edges.values())
    for origin, digest in digests.items():
        row = conn.execute("SELECT digest FROM sources WHERE origin = ?", (origin,)).fetchone()
        if row is None or row[0] != digest:
            continue
        stored = conn.execute("SELECT count(*) FROM edges WHERE origin = ?", (origin,)).fetchone()
        if stored[0] == stated[origin]:
            kept.add(origin)
    return kept


def _drop_sources(conn: sqlite3.Connection, sources: list[str]) -> None:
    """Drop the edges the data files stated (nodes stay: other facts may point at them)."""
    for part in _chunks(list(dict.fromkeys(sources))):
        q = _marks(len(part))
        conn.execute(f"DELETE FROM edges WHERE origin IN ({q})", part)
        conn.execute(f"DELETE FROM sources WHERE origin IN ({q})", part)


def _document_row(node: int, attrs: Attrs) -> tuple[Any, ...]:
    return (
        node,
        *(_text(attrs.get(c)) for c in ("doc_number", "region")),
        1 if attrs.get("placeholder") else 0,
        *(_text(attrs.get(c)) for c in ("sha256", "source", "title", "key")),
        _json(list(attrs.get("cites") or [])),
    )


def _put_nodes(
    conn: sqlite3.Connection, nodes: dict[str, Attrs], fresh: Collection[str] = ()
) -> dict[str, int]:
    """Insert new nodes, merge attributes into stored ones; their integer ids by key.

    ``fresh`` names the documents just dropped: the nodes they own (and their Document nodes)
    cannot be stored, so they are not looked up. New nodes go in with one ``executemany`` in
    the fragment's order and get the ids one insert each would give: one more than the
    largest so far, as SQLite numbers rows (checked, else read back by key).
    """
    keys = [k for k, a in nodes.items() if k not in fresh and a.get("doc") not in fresh]
    stored: dict[str, tuple[int, str]] = {}
    for part in _chunks(keys):
        rows = conn.execute(
            f"SELECT key, id, attrs FROM nodes WHERE key IN ({_marks(len(part))})", part
        )
        stored.update((k, (i, a)) for k, i, a in rows)
    ids: dict[str, int] = {}
    new: list[str] = []
    for key, attrs in nodes.items():
        if key not in stored:
            new.append(key)
            continue
        node, raw = stored[key]
        ids[key] = node
        old = _parse(raw)
        merged = {**old, **attrs}
        if merged != old:
            conn.execute(
                "UPDATE nodes SET label = ?, name = ?, doc = ?, attrs = ? WHERE id = ?",
                (*_node_columns(merged), _json(merged), node),
            )
            if merged.get("label") == Label.DOCUMENT.value:
                conn.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _document_row(node, merged),
                )
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM nodes").fetchone()[0])
    conn.executemany(
        "INSERT INTO nodes (key, label, name, doc, attrs) VALUES (?, ?, ?, ?, ?)",
        [(key, *_node_columns(nodes[key]), _json(nodes[key])) for key in new],
    )
    last = conn.execute("SELECT max(id) FROM nodes").fetchone()[0]
    if not new or last == first + len(new) - 1:
        ids.update(zip(new, range(first, first + len(new)), strict=True))
    else:  # rowids past the 64-bit maximum are random: ask
        for part in _chunks(new):
            q = f"SELECT key, id FROM nodes WHERE key IN ({_marks(len(part))})"
            ids.update((k, int(i)) for k, i in conn.execute(q, part))
    keys = list(nodes)
    conn.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _document_row(ids[key], nodes[key])
            for key in new
            if nodes[key].get("label") == Label.DOCUMENT.value
        ],
    )
    return {key: ids[key] for key in keys}


def _node_columns(attrs: Attrs) -> tuple[str, str | None, str | None]:
    return (str(attrs.get("label", "?")), _text(attrs.get("name")), _text(attrs.get("doc")))


def _put_edges(
    conn: sqlite3.Connection, ids: dict[str, int], edges: dict[EdgeKey, Attrs], fresh: set[str]
) -> None:
    """Insert new edges, merge attributes into stored ones.

    ``fresh`` names the documents and data files whose edges were just dropped: their edges
    cannot be stored yet, so they are inserted without a look-up. The others are looked up in
    chunks; new edges go in with one ``executemany``, in order.

    Raises:
        ValueError: an end is neither in ``ids`` nor in the store.
    """
    missing = list(dict.fromkeys(e for s, t, _ in edges for e in (s, t) if e not in ids))
    for part in _chunks(missing):
        q = f"SELECT key, id FROM nodes WHERE key IN ({_marks(len(part))})"
        ids.update((k, int(i)) for k, i in conn.execute(q, part))
    rows: list[tuple[int, int, str, Attrs]] = []
    for (source, target, key), attrs in edges.items():
        for end in (source, target):
            if end not in ids:
                raise ValueError(f"edge {key} refers to node {end!r} missing from the fragment")
        rows.append((ids[source], ids[target], key, attrs))
    stored: dict[tuple[int, int, str], tuple[int, str]] = {}
    unsure = [r for r in rows if (r[3].get("doc") or r[3].get("origin")) not in fresh]
    for at in range(0, len(unsure), CHUNK // 3):
        part = unsure[at : at + CHUNK // 3]
        triples = [v for src, dst, key, _ in part for v in (src, dst, key)]
        found = conn.execute(
            "SELECT src, dst, key, id, attrs FROM edges WHERE (src, dst, key) IN "
            f"(VALUES {','.join(['(?, ?, ?)'] * len(part))})",
            triples,
        )
        stored.update(((src, dst, key), (i, a)) for src, dst, key, i, a in found)
    inserts = []
    for src, dst, key, attrs in rows:
        old_row = stored.get((src, dst, key))
        if old_row is None:
            inserts.append((src, dst, key, *_edge_columns(attrs), _json(attrs)))
            continue
        old = _parse(old_row[1])
        merged = {**old, **attrs}
        if merged != old:
            conn.execute(
                "UPDATE edges SET type = ?, doc = ?, origin = ?, attrs = ? WHERE id = ?",
                (*_edge_columns(merged), _json(merged), old_row[0]),
            )
    conn.executemany(
        "INSERT INTO edges (src, dst, key, type, doc, origin, attrs) VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )


def _edge_columns(attrs: Attrs) -> tuple[str, str | None, str | None]:
    return (str(attrs.get("type", "")), _text(attrs.get("doc")), _text(attrs.get("origin")))


# -- reading ---------------------------------------------------------------------------------
def _materialise(conn: sqlite3.Connection) -> nx.MultiDiGraph:
    """Every node and edge, in insertion order, as a ``MultiDiGraph``."""
    G = nx.MultiDiGraph()
    keys: dict[int, str] = {}
    nodes = []
    for node, key, attrs in conn.execute("SELECT id, key, attrs FROM nodes ORDER BY id"):
        keys[node] = key
        nodes.append((key, _parse(attrs)))
    G.add_nodes_from(nodes)
    G.add_edges_from(
        (keys[src], keys[dst], key, _parse(attrs))
        for src, dst, key, attrs in conn.execute(
            "SELECT src, dst, key, attrs FROM edges ORDER BY id"
        )
    )
    claims: dict[str, Claims] = {}
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims'").fetchone():
        for node, doc, raw in conn.execute(
            "SELECT node, doc, claim FROM claims ORDER BY node, doc"
        ):
            claims.setdefault(keys[node], {})[str(doc)] = _parse(raw)
    G.graph[GRAPH_KEY] = claims
    return G


class _Part:
    """Nodes and edges read so far, by row id; :meth:`graph` puts them in table order."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nodes: dict[int, tuple[str, Attrs]] = {}
        self.edges: dict[int, tuple[int, int, str, Attrs]] = {}

    def add_nodes(self, where: str, params: Sequence[Any] = ()) -> list[int]:
        """Nodes ``WHERE where``; their row ids."""
        found = []
        for node, key, attrs in self.conn.execute(
            f"SELECT id, key, attrs FROM nodes WHERE {where}", params
        ):
            found.append(node)
            if node not in self.nodes:
                self.nodes[node] = (key, _parse(attrs))
        return found

    def add_ids(self, ids: Collection[int]) -> None:
        missing = sorted(set(ids) - self.nodes.keys())
        for chunk in _chunks(missing):
            self.add_nodes(f"id IN ({_marks(len(chunk))})", chunk)

    def add_edges(self, nodes: Collection[int], rel: Rel, out: bool) -> list[int]:
        """The ``rel`` edges leaving (``out``) or entering ``nodes``, with both ends; the ids of
        the nodes at the other end."""
        end = "src" if out else "dst"
        ends = []
        for chunk in _chunks(sorted(set(nodes))):
            for edge, src, dst, key, attrs in self.conn.execute(
                f"SELECT id, src, dst, key, attrs FROM edges WHERE {end} IN "
                f"({_marks(len(chunk))}) AND type = ?",
                (*chunk, rel.value),
            ):
                if edge not in self.edges:
                    self.edges[edge] = (src, dst, key, _parse(attrs))
                ends.append(dst if out else src)
        self.add_ids(ends)
        self.add_ids(nodes)
        return ends

    def add_first_edges(self, labels: Sequence[Label], rel: Rel) -> list[int]:
        """The first ``rel`` edge leaving each node with one of ``labels``, with both ends; the
        nodes it leaves."""
        firsts = [
            row[0]
            for row in self.conn.execute(
                "SELECT min(e.id) FROM edges e JOIN nodes n ON n.id = e.src "
                f"WHERE n.label IN ({_marks(len(labels))}) AND e.type = ? GROUP BY e.src",
                (*(label.value for label in labels), rel.value),
            )
        ]
        ends: list[int] = []
        for chunk in _chunks(firsts):
            for edge, src, dst, key, attrs in self.conn.execute(
                f"SELECT id, src, dst, key, attrs FROM edges WHERE id IN ({_marks(len(chunk))})",
                chunk,
            ):
                self.edges[edge] = (src, dst, key, _parse(attrs))
                ends += (src, dst)
        self.add_ids(ends)
        return sorted({self.edges[e][0] for e in firsts})

    def add_units(self, units: Collection[int]) -> None:
        """What a unit's heads and its tasks' rows need: the units, their RESPONSIBLE_FOR
        edges, those tasks, the other units on them, the tasks' documents, and for every unit
        the people holding posts there and the groups it sits in."""
        tasks = self.add_edges(units, Rel.RESPONSIBLE_FOR, True)
        self.add_task_rows(tasks)

    def add_task_rows(self, tasks: Collection[int]) -> None:
        on_tasks = self.add_edges(tasks, Rel.RESPONSIBLE_FOR, False)
        docs = {str(self.nodes[t][1].get("doc") or "") for t in tasks}
        self.add_keys(docs)
        self.add_heads(on_tasks)

    def add_heads(self, units: Collection[int]) -> None:
        self.add_edges(units, Rel.HOLDS, False)
        self.add_edges(units, Rel.MEMBER_OF, True)

    def add_keys(self, keys: Collection[str]) -> list[int]:
        found = []
        wanted = sorted(k for k in keys if k)
        for chunk in _chunks(wanted):
            found += self.add_nodes(f"key IN ({_marks(len(chunk))})", chunk)
        return found

    def graph(self) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        G.add_nodes_from(self.nodes[n] for n in sorted(self.nodes))
        G.add_edges_from(
            (self.nodes[src][0], self.nodes[dst][0], key, attrs)
            for src, dst, key, attrs in (self.edges[e] for e in sorted(self.edges))
        )
        G.graph[GRAPH_KEY] = {}
        return G


def _units_part(part: _Part, names: list[str]) -> bool:
    """Units named (by name, id, or a surface on one of their RESPONSIBLE_FOR edges)."""
    conn, units = part.conn, set[int]()
    for name in names:
        units.update(part.add_nodes("key = ? AND label = ?", (name, Label.UNIT.value)))
        units.update(part.add_nodes("label = ? AND name = ?", (Label.UNIT.value, name)))
        # A surface is an attribute in the JSON: the text match narrows, the parse decides.
        for src, attrs in conn.execute(
            "SELECT src, attrs FROM edges WHERE type = ? AND instr(attrs, ?) > 0",
            (Rel.RESPONSIBLE_FOR.value, name),
        ):
            if _parse(attrs).get("surface", "") == name:
                units.add(src)
    part.add_ids(units)
    part.add_units(units)
    part.add_heads(units)
    return bool(units)


def _coverage_part(part: _Part, _: list[str]) -> bool:
    """Every Unit; one MEMBER_OF edge of each person or unit in a group, with the group; the
    HOLDS edges of those people; one RESPONSIBLE_FOR edge of each unit on a task, with the
    task. Coverage asks only whether such edges exist, and where the members hold posts."""
    part.add_nodes("label = ?", (Label.UNIT.value,))
    members = part.add_first_edges((Label.PERSON, Label.UNIT), Rel.MEMBER_OF)
    people = [m for m in members if part.nodes[m][1].get("label") == Label.PERSON.value]
    part.add_edges(people, Rel.HOLDS, True)
    part.add_first_edges((Label.UNIT,), Rel.RESPONSIBLE_FOR)
    return True


def _who_part(part: _Part, refs: list[str]) -> bool:
    """The tasks ``ref`` may name (by id, local id, full number, or in its title) with what
    the first one's row needs, every Group, and the units and people of their office posts."""
    if len(refs) != 1:
        return False
    ref = refs[0]
    tasks = part.add_nodes(
        "label = ? AND (key = ? OR json_extract(attrs, '$.local_id') = ? "
        "OR json_extract(attrs, '$.full_number') = ? "
        "OR instr(json_extract(attrs, '$.title'), ?) > 0)",
        (Label.TASK.value, ref, ref, ref, ref),
    )
    part.add_task_rows(tasks)
    groups = part.add_nodes("label = ?", (Label.GROUP.value,))
    posts = set()
    for g in groups:
        d = part.nodes[g][1]
        for unit in (d.get("director_unit"), d.get("deputy_unit")):
            if unit:
                posts.add(f"unit:{d.get('region')}:{unit}")
    part.add_edges(part.add_keys(posts), Rel.HOLDS, False)
    return True


_PARTS = {"units": _units_part, "coverage": _coverage_part, "who": _who_part}


def _add_tasks(conn: sqlite3.Connection, G: nx.MultiDiGraph, doc: str) -> None:
    """A document's Task nodes with their RESPONSIBLE_FOR edges and the units on them."""
    tasks = conn.execute(
        "SELECT id, key, attrs FROM nodes WHERE doc = ? AND label = ? ORDER BY id",
        (doc, Label.TASK.value),
    ).fetchall()
    for task, key, attrs in tasks:
        G.add_node(key, **_parse(attrs))
        for unit, unit_attrs, edge_key, edge_attrs in conn.execute(
            "SELECT n.key, n.attrs, e.key, e.attrs FROM edges e JOIN nodes n ON n.id = e.src "
            "WHERE e.dst = ? AND e.type = ? ORDER BY e.id",
            (task, Rel.RESPONSIBLE_FOR.value),
        ):
            if unit not in G:
                G.add_node(unit, **_parse(unit_attrs))
            G.add_edge(unit, key, key=edge_key, **_parse(edge_attrs))
