"""The responsibility matrix over a Cypher server (Neo4j, FalkorDB), whole or narrowed to some
documents in the database, and the documents it is cut by.

The answers are those of the embedded store (:func:`queries.responsibility.matrix` and
``Questions.matrix``, narrowed by :func:`queries.index.filter_matrix`): columns in document
order; rows the units on them, in the order of the whole matrix (most tasks over the whole
store first), each with its cells among the columns. A region narrows to its documents' tasks.

Every function takes the store first: ``matrix(store, ["doc:泽州县:泽政办发〔2023〕17号"])``.
"""

from __future__ import annotations

from collections import defaultdict

from graph.store import CypherStore
from queries.answers import Matrix, MatrixTask, MatrixUnit
from queries.cypher_path import Row, by_load, run, task_fields, task_order
from queries.responsibility import ordered_cells


def matrix(db: CypherStore, documents: list[str] | None = None) -> Matrix:
    """Units (by load) × tasks (by document order); with ``documents`` (ids) only their tasks
    and the units on them, with their cells there.

    Only the tasks asked for, and the units on them, travel from the server.
    """
    tasks = sorted(run(db, "list_tasks", documents=documents), key=task_order)
    columns = [MatrixTask(**task_fields(t)) for t in tasks]
    rank = {t.id: i for i, t in enumerate(columns)}
    if documents is not None and not columns:
        return Matrix(tasks=[], units=[])
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for r in run(db, "list_task_units", tasks=None if documents is None else list(rank)):
        cells[r["id"]][r["task"]] = r["role"]
    rows = [
        MatrixUnit(id=u.id, name=u.name, cells=ordered_cells(cells[u.id], rank))
        for u in by_load(db, None if documents is None else sorted(cells))
        if (u.task_count if documents is None else u.id in cells)
    ]
    return Matrix(tasks=columns, units=rows)


def region_documents(db: CypherStore, region: str) -> list[str]:
    """Ids of the documents of ``region``."""
    return sorted(r["id"] for r in run(db, "list_region_documents", region=region))


def find_documents(db: CypherStore, ref: str) -> list[Row]:
    """The documents ``ref`` names (id, key, number, title, file name or name), by id: rows of
    ``id``, ``title`` and ``name``."""
    return sorted(run(db, "find_documents", ref=ref), key=lambda r: r["id"])


def matrix_documents(db: CypherStore) -> list[Row]:
    """The documents of the tasks, in column order (by id): rows of ``doc``, ``title`` (the name
    the matrix heads it with), ``number`` and ``region``."""
    rows = sorted(run(db, "list_matrix_documents"), key=lambda r: r["doc"])
    return [{**r, "title": str(r["name"] or r["document"])} for r in rows]


def task_documents(db: CypherStore, tasks: list[str] | None) -> dict[str, Row]:
    """Task id → its document's ``doc`` (id, empty when none), ``name`` and ``number``."""
    return {r["task"]: r for r in run(db, "list_task_documents", tasks=tasks)}
