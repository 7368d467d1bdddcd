"""Answers the SQLite store keeps for other processes (``queries.kept``): the ``answers`` table,
each answer valid only at the generation it names (the SQL side of
:meth:`graph.sqlite_store.SqliteStore.stored_answer` and ``keep_answer``).

Stores written before the table get it from their first reader that keeps an answer; a write
that changes a row empties it (:func:`drop_answers`).

>>> from graph.sqlite_file import connect
>>> conn = connect(None, 1.0)
>>> stored_answer(conn, "q")
(1, None)
>>> keep_answer(conn, "q", 1, b"42", 1.0), stored_answer(conn, "q")
(True, (1, b'42'))
"""

from __future__ import annotations

import sqlite3

from graph.sqlite_file import generation, has_table, rollback

ANSWERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    value BLOB NOT NULL
)"""


def stored_answer(conn: sqlite3.Connection, key: str) -> tuple[int, bytes | None]:
    """The store's generation, and the answer kept under ``key`` if it was computed at that
    generation (``None`` otherwise); both read from one snapshot."""
    conn.execute("BEGIN")
    try:
        at = generation(conn)
        if not has_table(conn, "answers"):
            return at, None
        row = conn.execute(
            "SELECT value FROM answers WHERE key = ? AND generation = ?", (key, at)
        ).fetchone()
        return at, None if row is None else bytes(row[0])
    finally:
        conn.execute("COMMIT")


def keep_answer(
    conn: sqlite3.Connection, key: str, at: int, value: bytes, lock_timeout: float
) -> bool:
    """Keep ``value`` under ``key`` as the answer at generation ``at``, if the store is still
    at it; answers of other generations go. Never waits for a writer and never fails: a
    locked, read-only or full store keeps nothing (``False``); then the connection waits
    ``lock_timeout`` seconds for a lock again.
    """
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if generation(conn) != at:
                    conn.execute("ROLLBACK")
                    return False
                conn.execute(ANSWERS_SCHEMA)
                conn.execute("DELETE FROM answers WHERE generation != ?", (at,))
                conn.execute(
                    "INSERT OR REPLACE INTO answers (key, generation, value) VALUES (?, ?, ?)",
                    (key, at, value),
                )
                conn.execute("COMMIT")
            except BaseException:
                rollback(conn)
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(lock_timeout * 1000)}")
    except sqlite3.Error:
        return False
    return True


def drop_answers(conn: sqlite3.Connection) -> None:
    """Empty the answers table (a write changed a row), if the store has one."""
    if has_table(conn, "answers"):
        conn.execute("DELETE FROM answers")
