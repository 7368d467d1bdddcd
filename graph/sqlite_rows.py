"""The SQLite store's rows: writing a fragment's nodes, edges and claims, and dropping what a
document or a data file stated (the SQL side of :meth:`graph.sqlite_store.SqliteStore.load`).

Every function takes the open connection inside the store's write transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from pydantic_core import from_json, to_json

from graph.claims import Claims, restate, without
from graph.fragment import Attrs, EdgeKey
from graph.networkx_graph import SHARED_LABELS
from graph.schema import Label

CHUNK = 500  # ids per IN (…) list
DOCUMENT_COLUMNS = ("doc_number", "region", "placeholder", "sha256", "source", "title", "key")


def json_text(value: Any) -> str:
    """Compact JSON text with the characters as they are (no ``\\u`` escapes).

    pydantic-core's encoder and parser (:func:`parse_json`) are 3-4x quicker than the standard
    library's on the small maps a store holds; the text is what ``json.dumps(value,
    ensure_ascii=False, separators=(",", ":"))`` writes (a float may be written shorter).
    """
    return to_json(value).decode()


parse_json = from_json


def marks(n: int) -> str:
    return ",".join("?" * n)


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


# -- writing ---------------------------------------------------------------------------------
def drop_documents(conn: sqlite3.Connection, doc_ids: list[str]) -> None:
    """As ``graph.networkx_graph.drop_documents``: the documents' edges, the nodes they own
    (with every edge still on them), then shared nodes those edges touched left with none."""
    docs = list(dict.fromkeys(doc_ids))
    if not docs:
        return
    q = marks(len(docs))
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
    for part in chunks(owned):
        p = marks(len(part))
        conn.execute(f"DELETE FROM edges WHERE src IN ({p})", part)
        conn.execute(f"DELETE FROM edges WHERE dst IN ({p})", part)
        conn.execute(f"DELETE FROM documents WHERE node IN ({p})", part)
        conn.execute(f"DELETE FROM nodes WHERE id IN ({p})", part)
    shared = sorted(SHARED_LABELS)
    candidates = sorted(touched - set(owned))
    for part in chunks(candidates):
        conn.execute(
            f"DELETE FROM nodes WHERE id IN ({marks(len(part))}) "
            f"AND label IN ({marks(len(shared))}) "
            "AND NOT EXISTS (SELECT 1 FROM edges WHERE src = nodes.id) "
            "AND NOT EXISTS (SELECT 1 FROM edges WHERE dst = nodes.id)",
            [*part, *shared],
        )
    drop_claims(conn, claimed, set(docs))


def claims_of(conn: sqlite3.Connection, nodes: Sequence[int]) -> dict[int, Claims]:
    out: dict[int, Claims] = {}
    for part in chunks(list(nodes)):
        for node, doc, raw in conn.execute(
            f"SELECT node, doc, claim FROM claims WHERE node IN ({marks(len(part))})", part
        ):
            out.setdefault(int(node), {})[str(doc)] = parse_json(raw)
    return out


def restate_nodes(conn: sqlite3.Connection, changes: Sequence[tuple[int, Claims, Claims]]) -> None:
    """Rewrite each node's attributes to show ``after`` instead of ``before``: ``changes`` holds
    ``(node, before, after)``; the claims on nodes no longer stored are dropped."""
    found: dict[int, str] = {}
    for part in chunks(list(dict.fromkeys(node for node, _, _ in changes))):
        q = f"SELECT id, attrs FROM nodes WHERE id IN ({marks(len(part))})"
        found.update(conn.execute(q, part).fetchall())
    updates, gone = [], []
    for node, before, after in changes:
        if node not in found:
            gone.append((node,))
            continue
        attrs = parse_json(found[node])
        if restate(attrs, before, after):
            found[node] = json_text(attrs)
            updates.append((*node_columns(attrs), found[node], node))
    conn.executemany("DELETE FROM claims WHERE node = ?", gone)
    conn.executemany(
        "UPDATE nodes SET label = ?, name = ?, doc = ?, attrs = ? WHERE id = ?", updates
    )


def drop_claims(conn: sqlite3.Connection, nodes: Sequence[int], gone: set[str]) -> None:
    """Forget the claims of ``gone``; the nodes they were on show what the others claim."""
    stored = claims_of(conn, nodes)
    docs = sorted(gone)
    for part in chunks(list(nodes)):
        conn.execute(
            f"DELETE FROM claims WHERE node IN ({marks(len(part))}) "
            f"AND doc IN ({marks(len(docs))})",
            [*part, *docs],
        )
    restate_nodes(conn, [(n, stored.get(n, {}), without(stored.get(n, {}), gone)) for n in nodes])


def put_claims(conn: sqlite3.Connection, ids: dict[str, int], claims: dict[str, Claims]) -> None:
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
    stored = claims_of(conn, [ids[k] for k in claims])
    rows: list[tuple[int, str, str]] = []
    changes: list[tuple[int, Claims, Claims]] = []
    for key, new in claims.items():
        node = ids[key]
        before = stored.get(node, {})
        rows.extend((node, doc, json_text(c)) for doc, c in new.items() if before.get(doc) != c)
        changes.append((node, before, {**before, **new}))
    conn.executemany("INSERT OR REPLACE INTO claims (node, doc, claim) VALUES (?, ?, ?)", rows)
    restate_nodes(conn, changes)


def unchanged_sources(
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


def drop_sources(conn: sqlite3.Connection, sources: list[str]) -> None:
    """Drop the edges the data files stated (nodes stay: other facts may point at them)."""
    for part in chunks(list(dict.fromkeys(sources))):
        q = marks(len(part))
        conn.execute(f"DELETE FROM edges WHERE origin IN ({q})", part)
        conn.execute(f"DELETE FROM sources WHERE origin IN ({q})", part)


def document_row(node: int, attrs: Attrs) -> tuple[Any, ...]:
    return (
        node,
        *(text_or_none(attrs.get(c)) for c in ("doc_number", "region")),
        1 if attrs.get("placeholder") else 0,
        *(text_or_none(attrs.get(c)) for c in ("sha256", "source", "title", "key")),
        json_text(list(attrs.get("cites") or [])),
    )


def put_nodes(
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
    for part in chunks(keys):
        rows = conn.execute(
            f"SELECT key, id, attrs FROM nodes WHERE key IN ({marks(len(part))})", part
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
        old = parse_json(raw)
        merged = {**old, **attrs}
        if merged != old:
            conn.execute(
                "UPDATE nodes SET label = ?, name = ?, doc = ?, attrs = ? WHERE id = ?",
                (*node_columns(merged), json_text(merged), node),
            )
            if merged.get("label") == Label.DOCUMENT.value:
                conn.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    document_row(node, merged),
                )
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM nodes").fetchone()[0])
    conn.executemany(
        "INSERT INTO nodes (key, label, name, doc, attrs) VALUES (?, ?, ?, ?, ?)",
        [(key, *node_columns(nodes[key]), json_text(nodes[key])) for key in new],
    )
    last = conn.execute("SELECT max(id) FROM nodes").fetchone()[0]
    if not new or last == first + len(new) - 1:
        ids.update(zip(new, range(first, first + len(new)), strict=True))
    else:  # rowids past the 64-bit maximum are random: ask
        for part in chunks(new):
            q = f"SELECT key, id FROM nodes WHERE key IN ({marks(len(part))})"
            ids.update((k, int(i)) for k, i in conn.execute(q, part))
    keys = list(nodes)
    conn.executemany(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_row(ids[key], nodes[key])
            for key in new
            if nodes[key].get("label") == Label.DOCUMENT.value
        ],
    )
    return {key: ids[key] for key in keys}


def node_columns(attrs: Attrs) -> tuple[str, str | None, str | None]:
    return (
        str(attrs.get("label", "?")),
        text_or_none(attrs.get("name")),
        text_or_none(attrs.get("doc")),
    )


def put_edges(
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
    for part in chunks(missing):
        q = f"SELECT key, id FROM nodes WHERE key IN ({marks(len(part))})"
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
            inserts.append((src, dst, key, *edge_columns(attrs), json_text(attrs)))
            continue
        old = parse_json(old_row[1])
        merged = {**old, **attrs}
        if merged != old:
            conn.execute(
                "UPDATE edges SET type = ?, doc = ?, origin = ?, attrs = ? WHERE id = ?",
                (*edge_columns(merged), json_text(merged), old_row[0]),
            )
    conn.executemany(
        "INSERT INTO edges (src, dst, key, type, doc, origin, attrs) VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )


def edge_columns(attrs: Attrs) -> tuple[str, str | None, str | None]:
    return (
        str(attrs.get("type", "")),
        text_or_none(attrs.get("doc")),
        text_or_none(attrs.get("origin")),
    )
