"""Store commands: ``zhenkg push`` (embedded graph → server), ``zhenkg cypher`` (read-only
passthrough for analysts), ``zhenkg export`` (GraphML, neo4j-admin CSV, Cypher, JSON) and
``zhenkg migrate`` (a JSON store file → a SQLite store).

>>> parse_param("limit=5"), parse_param("name=县教育局"), parse_param('ids=["a"]')
(('limit', 5), ('name', '县教育局'), ('ids', ['a']))
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api import render
from graph.cypher_store import DEFAULT_BATCH_SIZE, CypherStoreBase
from graph.errors import StoreUnavailable
from graph.export import FORMATS, export
from graph.networkx_graph import new_graph
from graph.networkx_store import NetworkxStore, to_fragment
from graph.sqlite_store import SqliteStore
from graph.store import (
    EmbeddedStore,
    GraphStore,
    default_db_path,
    embedded_format,
    open_embedded,
    open_store,
)

if TYPE_CHECKING:
    import networkx as nx


def parse_param(text: str) -> tuple[str, Any]:
    """``k=v`` → ``(k, v)``, ``v`` read as JSON when it is JSON (numbers, lists), else text.

    Raises:
        ValueError: no ``=``.
    """
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise ValueError(f"--param {text!r}: expected NAME=VALUE")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def _open(args: argparse.Namespace) -> GraphStore:
    return open_store(getattr(args, "store", None), getattr(args, "db", None))


def _cypher_store(store: GraphStore) -> CypherStoreBase:
    if not isinstance(store, CypherStoreBase):
        raise StoreUnavailable(
            f"the {store.name} store answers no Cypher: give --store bolt://… or falkordb://… "
            "(or set ZHENKG_STORE)"
        )
    return store


def graph_of(store: GraphStore) -> nx.MultiDiGraph:
    """The whole graph of a store: the embedded one, or read back from a Cypher server."""
    if isinstance(store, EmbeddedStore):
        return store.read_graph()
    db = _cypher_store(store)
    from queries.cypher_path import run  # the Cypher path, only for a server store

    G = new_graph()
    for r in run(db, "list_nodes", ids=None):
        G.add_node(r["id"], label=r["label"], **{k: v for k, v in r["props"].items() if k != "id"})
    for r in run(db, "list_links", ids=None):
        props = dict(r["props"])
        G.add_edge(r["source"], r["target"], key=props.pop("key", None), type=r["type"], **props)
    return G


# -- commands ------------------------------------------------------------------------------
def cmd_push(args: argparse.Namespace) -> int:
    source = open_embedded(Path(args.db) if args.db else default_db_path())
    target = open_store(args.to)
    try:
        db = _cypher_store(target)
        db.batch_size = args.batch_size
        fragment = to_fragment(source.read_graph())
        rows = len(fragment.nodes) + len(fragment.edges)
        started = time.perf_counter()
        db.load(fragment)
        elapsed = time.perf_counter() - started
        here, there = source.counts(), db.counts()
        print(
            f"pushed {len(fragment.nodes)} nodes and {len(fragment.edges)} relationships to "
            f"{db.name} in {elapsed:.1f} s ({rows / max(elapsed, 1e-9):.0f} rows/s)"
        )
        print("server: " + ", ".join(f"{k} {v}" for k, v in there.items()))
        if there != here:
            print(
                "note: the server holds facts the embedded store does not "
                "(other documents, or facts loaded there directly)",
                file=sys.stderr,
            )
        return 0
    finally:
        target.close()


def cmd_cypher(args: argparse.Namespace) -> int:
    try:
        params = dict(parse_param(p) for p in args.param)
    except ValueError as exc:
        print(f"zhenkg: error: {exc}", file=sys.stderr)
        return 2
    store = _open(args)
    try:
        rows = _cypher_store(store).read_only(args.statement, params)
    finally:
        store.close()
    if args.table and rows:
        header = list(rows[0])
        print(render.table(header, [[_text(r.get(h)) for h in header] for r in rows]))
    else:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    return 0


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def cmd_export(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        written = export(graph_of(store), args.format, Path(args.out))
    finally:
        store.close()
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    source = Path(args.source)
    if not source.exists():
        raise StoreUnavailable(f"{source}: no such store file")
    if embedded_format(source) != "json":
        raise StoreUnavailable(f"{source}: not a JSON store (already SQLite?)")
    target = Path(args.db) if args.db else source.with_suffix(".db")
    if target.exists() and target.stat().st_size:
        raise StoreUnavailable(f"{target}: exists; migrate into a new file")
    graph = NetworkxStore(source).graph
    store = SqliteStore(target)
    try:
        store.import_graph(graph)
        counts = store.counts()
    finally:
        store.close()
    print(
        f"migrated {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges "
        f"from {source} to {target}"
    )
    print("store: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


# -- parser --------------------------------------------------------------------------------
def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help=f"embedded store file (default $ZHENKG_DB or {default_db_path()})")
    p.add_argument(
        "--store",
        help="store URI (bolt://, neo4j://, falkordb://) or store file; default $ZHENKG_STORE",
    )


def register(sub: Any) -> None:
    """Add ``push``, ``cypher`` and ``export`` to the ``zhenkg`` subcommands."""
    p = sub.add_parser("push", help="copy the embedded graph into a Neo4j or FalkorDB server")
    p.add_argument("--to", required=True, help="server URI: bolt://, neo4j://, falkordb://")
    p.add_argument("--db", help=f"embedded store file (default $ZHENKG_DB or {default_db_path()})")
    p.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"rows per UNWIND statement (default {DEFAULT_BATCH_SIZE})",
    )
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("cypher", help="run a read-only Cypher statement on a server")
    p.add_argument("statement", help="Cypher; values as $parameters, given with --param")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter (VALUE read as JSON when it is JSON, else as text); repeatable",
    )
    p.add_argument("--table", action="store_true", help="print a table instead of JSON")
    _store_options(p)
    p.set_defaults(func=cmd_cypher)

    p = sub.add_parser("migrate", help="copy a JSON store file into a new SQLite store")
    p.add_argument("source", help="the JSON store file (graph.json)")
    p.add_argument("--db", help="the SQLite store to create (default: SOURCE with .db)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("export", help="write the graph as GraphML, neo4j-admin CSV, Cypher or JSON")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, help="file (a folder for neo4j-csv)")
    _store_options(p)
    p.set_defaults(func=cmd_export)
