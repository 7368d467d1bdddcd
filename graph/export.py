"""Exports of a graph for other tools: GraphML, neo4j-admin import CSVs, a Cypher script, JSON.

- ``graphml`` (Gephi, yEd): attributes GraphML can type (text, numbers, booleans) as they are;
  lists and maps JSON-encoded; an attribute with values of several types as text.
- ``neo4j-csv``: a folder with ``nodes_<Label>.csv`` and ``rels_<TYPE>.csv`` whose headers
  carry ``id:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE`` and typed columns
  (``order:int``, ``codes:string[]``, arrays split on ``;``), and ``IMPORT.txt`` with the
  ``neo4j-admin database import full`` command that reads them.
- ``cypher``: a script for ``cypher-shell -f``: the constraints, then batched
  ``UNWIND [...] AS row MERGE …`` statements with the values written as Cypher literals
  (this is stored data, not user input; :func:`cypher_literal` escapes it).
- ``json``: node-link JSON (``networkx.node_link_graph(data, edges="links")`` reads it back).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.cypher_store import MERGE_EDGES, MERGE_NODES, batches, properties, property_value
from graph.neo4j_store import schema_statements
from graph.networkx_graph import new_graph
from graph.schema import Label, Rel

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "neo4j-csv", "cypher", "json")
ARRAY_DELIMITER = ";"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def export(G: nx.MultiDiGraph, fmt: str, out: Path | str) -> list[Path]:
    """Write ``G`` in format ``fmt`` (one of :data:`FORMATS`) to ``out``; the files written.

    Raises:
        ValueError: an unknown format.
    """
    out = Path(out)
    if fmt == "graphml":
        return [to_graphml(G, out)]
    if fmt == "neo4j-csv":
        return to_neo4j_csv(G, out)
    if fmt == "cypher":
        return [to_cypher(G, out)]
    if fmt == "json":
        return [to_json(G, out)]
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


# -- GraphML --------------------------------------------------------------------------------
def _graphml_value(value: Any) -> Any:
    if isinstance(value, str | bool | int | float):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _uniform(items: list[dict[str, Any]]) -> None:
    """Make each attribute one GraphML type: text when its values are of several types."""
    types: dict[str, set[type]] = defaultdict(set)
    for attrs in items:
        for k, v in attrs.items():
            types[k].add(type(v))
    mixed = {k for k, t in types.items() if len(t) > 1}
    for attrs in items:
        for k in mixed & attrs.keys():
            attrs[k] = str(attrs[k])


def to_graphml(G: nx.MultiDiGraph, path: Path) -> Path:
    """GraphML of ``G``; edge keys become the edges' ids."""
    H = new_graph()
    nodes = [
        (n, {k: _graphml_value(v) for k, v in d.items() if v is not None})
        for n, d in G.nodes(data=True)
    ]
    edges = [
        (u, v, k, {a: _graphml_value(x) for a, x in d.items() if x is not None})
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    _uniform([d for _, d in nodes])
    _uniform([d for *_, d in edges])
    H.add_nodes_from(nodes)
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    path.parent.mkdir(parents=True, exist_ok=True)
    from networkx import write_graphml

    write_graphml(H, path, encoding="utf-8")
    return path


# -- neo4j-admin CSV ------------------------------------------------------------------------
def _column_type(values: list[Any]) -> str:
    """The neo4j-admin type of a column ('' for string), or 'json' to write it as JSON text."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "int" if all(-(2**31) <= v < 2**31 for v in values) else "long"
    if kinds <= {int, float} and bool not in kinds:
        return "double"
    if kinds <= {str}:
        return ""
    if kinds <= {list}:
        inner = [x for v in values for x in v]
        element = _column_type(inner) if inner else ""
        if element == "json" or any(ARRAY_DELIMITER in x for x in inner if isinstance(x, str)):
            return "json"
        return f"{element or 'string'}[]"
    return "json"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if kind.endswith("[]"):
        return ARRAY_DELIMITER.join(_cell(x, kind[:-2]) for x in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> None:
    """Columns ``fixed`` (filled from each row's first part), then one typed column per
    property."""
    keys = sorted({k for _, props in rows for k in props})
    kinds = {k: _column_type([p[k] for _, p in rows if k in p]) for k in keys}
    header = fixed + [k if kinds[k] in ("", "json") else f"{k}:{kinds[k]}" for k in keys]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for head, props in rows:
            writer.writerow(head + [_cell(props.get(k), kinds[k]) for k in keys])


def to_neo4j_csv(G: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """One node file per label, one relationship file per type, and ``IMPORT.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        label = Label(d["label"]).value
        nodes[label].append(([n, label], properties(d, "label", "id")))
    rels: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for u, v, k, d in G.edges(keys=True, data=True):
        rel = Rel(d["type"]).value
        rels[rel].append(([u, v, rel, k], properties(d, "type", "key")))
    written = []
    for label, rows in sorted(nodes.items()):
        path = folder / f"nodes_{label}.csv"
        _write_csv(path, ["id:ID", ":LABEL"], rows)
        written.append(path)
    for rel, rows in sorted(rels.items()):
        path = folder / f"rels_{rel}.csv"
        _write_csv(path, [":START_ID", ":END_ID", ":TYPE", "key"], rows)
        written.append(path)
    command = (
        "# Import into an empty, stopped database (Neo4j 5):\n"
        "neo4j-admin database import full --overwrite-destination "
        f"--multiline-fields=true --array-delimiter='{ARRAY_DELIMITER}' \\\n"
        + "".join(f"  --nodes={p.name} \\\n" for p in written if p.name.startswith("nodes_"))
        + "".join(f"  --relationships={p.name} \\\n" for p in written if p.name.startswith("rels_"))
        + "  neo4j\n"
        "# Then create the constraints and indexes, e.g. with `zhenkg export --format cypher`'s\n"
        "# first statements, or by loading anything with `zhenkg push`.\n"
    )
    readme = folder / "IMPORT.txt"
    readme.write_text(command, encoding="utf-8")
    return [*written, readme]


# -- Cypher script --------------------------------------------------------------------------
def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal: quoted, escaped strings; lists; maps with quoted keys.

    >>> cypher_literal({"name": "O'Brien\\\\n", "span": [1, 2], "ok": True})
    "{name: 'O\\\\'Brien\\\\\\\\n', span: [1, 2], ok: true}"
    >>> cypher_literal("x' }) DETACH DELETE n //")
    "'x\\\\' }) DETACH DELETE n //'"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(c, _control(c)) for c in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    return cypher_literal(property_value(value))


def _control(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) < 0x20 else c


def _key(name: object) -> str:
    text = str(name)
    return text if _IDENTIFIER.match(text) else "`" + text.replace("`", "``") + "`"


def cypher_statements(G: nx.MultiDiGraph, batch_size: int = 500) -> Iterable[str]:
    """The script's statements (without the closing semicolons)."""
    yield from schema_statements()
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    labels: dict[str, Label] = {}
    for n, d in G.nodes(data=True):
        labels[n] = Label(d["label"])
        by_label[labels[n]].append({"id": n, "props": properties(d, "label", "id")})
    for label, rows in by_label.items():
        for batch in batches(rows, batch_size):
            yield MERGE_NODES.format(label=label.value).replace(
                "$rows", cypher_literal(list(batch))
            )
    by_type: dict[tuple[Rel, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for u, v, k, d in G.edges(keys=True, data=True):
        by_type[(Rel(d["type"]), labels[u], labels[v])].append(
            {"source": u, "target": v, "key": k, "props": properties(d, "type", "key")}
        )
    for (rel, s, t), rows in by_type.items():
        statement = MERGE_EDGES.format(source=s.value, target=t.value, type=rel.value)
        for batch in batches(rows, batch_size):
            yield statement.replace("$rows", cypher_literal(list(batch)))


def to_cypher(G: nx.MultiDiGraph, path: Path, batch_size: int = 500) -> Path:
    """A ``cypher-shell -f`` script recreating ``G`` (idempotent: it MERGEs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            f"// zhenkg export: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships.\n"
            "// Run with: cypher-shell -u neo4j -p <password> -f " + path.name + "\n"
        )
        for statement in cypher_statements(G, batch_size):
            fh.write(statement + ";\n")
    return path


# -- JSON -----------------------------------------------------------------------------------
def to_json(G: nx.MultiDiGraph, path: Path) -> Path:
    """Node-link JSON (``directed``, ``multigraph``, ``nodes``, ``links`` with ``key``)."""
    data = {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [{**d, "id": n} for n, d in G.nodes(data=True)],
        "links": [
            {**d, "source": u, "target": v, "key": k}
            for u, v, k, d in G.edges(keys=True, data=True)
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
