"""The SQLite store's file: its tables, opening it (the header and format checked, the schema
created in an empty file), and the few statements every part of the store shares.

Tables (integer keys; ``attrs`` holds every attribute as JSON, the other columns index it):

- ``nodes(id, key, label, name, doc, attrs)``, indexed on ``key``, ``(label, name)``, ``doc``;
- ``edges(id, src, dst, key, type, doc, origin, attrs)``, unique on ``(src, dst, key)``,
  indexed on ``(src, type)``, ``(dst, type)``, ``doc``, ``origin`` (only the edges of data
  files have one, and the index leaves the others out: a tenth of an edge's insert) and, for
  RESPONSIBLE_FOR edges, the unit's name as the document wrote it (``attrs.surface``: ``tasks
  --unit 县工信局`` finds the units a document called so without reading every edge; stores
  written before it get the index at their next write);
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
  written before it get the table from their first reader that keeps an answer;
  ``graph/sqlite_answers.py``).

>>> conn = connect(None, 1.0)
>>> generation(conn), has_table(conn, "claims"), has_table(conn, "answers")
(1, True, False)
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from graph.errors import StoreUnavailable

FORMAT = "zhenkg-sqlite/1"
HEADER = b"SQLite format 3\x00"
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
CREATE INDEX edges_origin ON edges (origin) WHERE origin IS NOT NULL;
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
CREATE INDEX IF NOT EXISTS edges_surface ON edges (json_extract(attrs, '$.surface'))
    WHERE type = 'RESPONSIBLE_FOR';
"""
)
# The RESPONSIBLE_FOR edges whose surface (the unit as the document wrote it) is ``?``, in the
# words of the index above: SQLite uses a partial expression index only for the same expression
# and the same WHERE term.
SURFACE_LOOKUP = (
    "SELECT src FROM edges WHERE type = 'RESPONSIBLE_FOR' AND json_extract(attrs, '$.surface') = ?"
)
# What stores written before it get at their next write (:func:`ensure_schema`).
ADDED_SCHEMA = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS claims") :]


def connect(path: Path | None, lock_timeout: float) -> sqlite3.Connection:
    """A connection to the store at ``path`` (``None``: in memory), its format checked; an
    empty or missing file gets the schema.

    Raises:
        StoreUnavailable: the file is not a zhenkg store, cannot be read, or another writer
            held it longer than ``lock_timeout`` seconds while the schema was created.
    """
    target = ":memory:"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_header(path)
        target = str(path)
    try:
        conn = sqlite3.connect(
            target, timeout=lock_timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"{path}: cannot open the store ({exc})") from exc
    try:
        _prepare(conn, path)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc):
            raise StoreUnavailable(f"{path}: locked by another writer") from exc
        raise StoreUnavailable(f"{path}: not a readable zhenkg store ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreUnavailable(f"{path}: not a readable zhenkg store ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def generation(conn: sqlite3.Connection) -> int:
    """The generation counter in ``meta``."""
    return int(conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the file has the table ``name`` (stores written before a table lack it)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the claims table and the surface index in a store written before them (inside a
    write transaction)."""
    for statement in ADDED_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if there still is one."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the transaction may be gone already
            conn.execute("ROLLBACK")


def environmental(exc: sqlite3.DatabaseError) -> bool:
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
