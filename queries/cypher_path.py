"""The planners' questions over a Cypher server (Neo4j, FalkorDB).

The statements live in ``queries/cypher/<verb>_<noun>.cypher``, one each, with the parameters
and returned columns named in their header; values travel only as ``$parameters``. Each
function here runs one or a few of them and assembles the same answer models, in the same
order, as its networkx twin in :mod:`queries.responsibility`, :mod:`queries.coverage` and
:mod:`queries.search` (the sort keys are imported from there, so the two cannot drift).

Every function takes the store first: ``tasks_of(store, "unit:泽州县:县教育局")``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from graph.errors import UnknownNode, UnknownTask, UnknownUnit
from graph.schema import UnitKind
from graph.store import CypherStore
from queries.answers import (
    Coverage,
    Hit,
    NodeLink,
    Office,
    PersonPost,
    TaskRow,
    UnitRole,
    UnitSummary,
    WhoAnswer,
)
from queries.progress import ProgressReport, report_of
from queries.responsibility import (
    HEAD_TITLES,
    Position,
    ordered_heads,
    position,
    summary_key,
    task_key,
    unit_role_key,
)
from queries.search import hit_key, kept_nodes, link_view, node_region, node_view

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
Row = dict[str, Any]


@cache
def statement(name: str) -> str:
    """The statement of ``queries/cypher/<name>.cypher``, its header comment left out.

    >>> statement("find_node").splitlines()[0]
    'MATCH (n)'
    """
    text = (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("//")
    ).strip()


def run(db: CypherStore, which: str, /, **params: Any) -> list[Row]:
    """Rows of the statement ``queries/cypher/<which>.cypher`` with ``params``."""
    return db.read(statement(which), params)


# -- responsibility -----------------------------------------------------------------------
def unit_ids(db: CypherStore, name: str, region: str | None = None) -> list[str]:
    """Units named ``name`` (canonical name or a surface seen in a document), or by id.

    Raises:
        UnknownUnit: no such unit.
    """
    rows = run(db, "find_units", name=name, region=region)
    if any(r["exact"] for r in rows):
        return [name]
    if not rows:
        where = f" in {region}" if region else ""
        raise UnknownUnit(f"No unit named {name!r}{where}")
    return sorted(r["id"] for r in rows)


def task_order(row: Row) -> tuple[str, int, str]:
    """Sort key of a task row: its document, its order there, its id (as networkx sorts)."""
    return task_key(row["doc"], row["order"], row["id"])


def _heads(db: CypherStore, units: list[str] | None) -> dict[str, list[PersonPost]]:
    rows = run(db, "list_unit_heads", units=units, titles=sorted(HEAD_TITLES))
    people: dict[str, list[PersonPost]] = defaultdict(list)
    collective: dict[str, list[PersonPost]] = defaultdict(list)
    for r in rows:
        post = PersonPost(id=r["person"], name=r["name"], title=r["title"], unit=r["unit_name"])
        (people if r["person"] is not None else collective)[r["unit"]].append(post)
    return {u: ordered_heads(people[u], collective[u]) for u in {*people, *collective}}


def units_on(db: CypherStore, tasks: list[str] | None) -> dict[str, list[UnitRole]]:
    """Units on each task (every task when ``tasks`` is None), in answer order, with heads."""
    rows = run(db, "list_task_units", tasks=tasks)
    heads = _heads(db, sorted({r["id"] for r in rows}))
    on: dict[str, list[UnitRole]] = defaultdict(list)
    for r in rows:
        on[r["task"]].append(
            UnitRole(
                id=r["id"],
                name=r["name"],
                role=r["role"],
                order=r["order"] if r["order"] is not None else 0,
                heads=list(heads.get(r["id"], [])),
            )
        )
    return {t: sorted(units, key=unit_role_key) for t, units in on.items()}


def task_fields(row: Row) -> dict[str, Any]:
    """What a task row and a matrix column show of a ``list_tasks`` row."""
    return {
        "id": row["id"],
        "document": str(row["document"]),
        "number": row["number"],
        "full_number": row["full_number"],
        "title": row["title"] if row["title"] is not None else "",
        "deadline": row["deadline"],
    }


def _task_row(row: Row, units: list[UnitRole]) -> TaskRow:
    return TaskRow(**task_fields(row), units=units)


def all_tasks(db: CypherStore) -> list[TaskRow]:
    """Every task, by document and order."""
    return task_page(db)[1]


def task_page(
    db: CypherStore, offset: int = 0, limit: int | None = None
) -> tuple[int, list[TaskRow]]:
    """How many tasks there are, and those from ``offset`` on (at most ``limit``) by document
    and order: the units on them and their heads are read for those tasks only (a province's
    every task with its units is 3 s on FalkorDB, a page of 50 a few milliseconds more than
    the tasks' order)."""
    tasks = sorted(run(db, "list_tasks", documents=None), key=task_order)
    whole = offset == 0 and limit is None
    page = tasks if whole else tasks[offset : None if limit is None else offset + limit]
    units = units_on(db, None if whole else [t["id"] for t in page])
    return len(tasks), [_task_row(t, units.get(t["id"], [])) for t in page]


def tasks_of(db: CypherStore, unit: str) -> list[TaskRow]:
    """The tasks a unit is on, with its role on each."""
    tasks = sorted(run(db, "list_unit_tasks", unit=unit), key=task_order)
    units = units_on(db, [t["id"] for t in tasks])
    rows = []
    for t in tasks:
        row = _task_row(t, units.get(t["id"], []))
        row.role = t["role"]
        rows.append(row)
    return rows


def find_task(db: CypherStore, ref: str) -> Row:
    """A task (as a ``list_tasks`` row) by id, local id, full number or title substring.

    Raises:
        UnknownTask: nothing matches, or a title fragment matches several tasks.
    """
    tasks = sorted(run(db, "find_tasks", ref=ref), key=task_order)
    for t in tasks:
        if t["id"] == ref:
            return t
    for attr in ("local_id", "full_number", "title"):
        exact = [t for t in tasks if t[attr] == ref]
        if len(exact) == 1:
            return exact[0]
    partial = [t for t in tasks if ref and ref in (t["title"] or "")]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "; ".join(t["title"] for t in partial[:5])
        raise UnknownTask(f"{ref!r} matches {len(partial)} tasks: {names}")
    raise UnknownTask(f"No task {ref!r} (give an id such as 三.1, a number or part of a title)")


def unit_summaries(db: CypherStore) -> list[UnitSummary]:
    """Every unit with its task count, most loaded first, with its heads."""
    return by_load(db, None, _heads(db, None))


def by_load(
    db: CypherStore, units: list[str] | None, heads: dict[str, list[PersonPost]] | None = None
) -> list[UnitSummary]:
    """Every unit (or those of ``units``, by id) with its task count over the whole store, most
    loaded first; with their ``heads`` when given, else none."""
    heads = heads or {}
    rows = []
    first: dict[str, Position | None] = {}
    for r in run(db, "list_units", units=units):
        first[r["id"]] = min((position(*p) for p in r["positions"]), default=None)
        rows.append(
            UnitSummary(
                id=r["id"],
                name=r["name"],
                region=r["region"],
                kind=r["kind"],
                task_count=r["task_count"],
                lead_count=r["lead_count"],
                heads=list(heads.get(r["id"], [])),
            )
        )
    return sorted(rows, key=lambda s: summary_key(s, first[s.id]))


def offices(db: CypherStore, region: str | None = None) -> list[Office]:
    """Each group's office unit and the people holding the posts that direct it."""
    groups = sorted(run(db, "list_offices", region=region or None), key=lambda g: g["id"])
    wanted: list[Row] = []
    for g in groups:
        for post in ("director", "deputy"):
            unit, title = g[f"{post}_unit"], g[f"{post}_title"]
            if unit and title:
                wanted.append({"unit": f"unit:{g['region']}:{unit}", "title": title})
    holders: dict[tuple[str, str], Row] = {}
    for r in run(db, "find_post_holders", posts=wanted) if wanted else []:
        key = (r["unit"], r["title"])
        if key not in holders or r["id"] < holders[key]["id"]:
            holders[key] = r

    def holder(region: str | None, unit: str | None, title: str | None) -> PersonPost | None:
        if not unit or not title:
            return None
        found = holders.get((f"unit:{region}:{unit}", title))
        if found:
            return PersonPost(id=found["id"], name=found["name"], title=title, unit=unit)
        return PersonPost(name=f"{unit}{title}", title=title, unit=unit)

    return [
        Office(
            group=g["name"],
            unit=g["office_unit"],
            director=holder(g["region"], g["director_unit"], g["director_title"]),
            deputy_director=holder(g["region"], g["deputy_unit"], g["deputy_title"]),
        )
        for g in groups
    ]


def who(db: CypherStore, ref: str) -> WhoAnswer:
    """Responsible units of a task, the person heading each, and the group office."""
    task = find_task(db, ref)
    row = _task_row(task, units_on(db, [task["id"]]).get(task["id"], []))
    return WhoAnswer(task=row, units=row.units, offices=offices(db, task["region"]))


# -- coverage -----------------------------------------------------------------------------
def coverage(db: CypherStore, region: str | None = None) -> Coverage:
    """Coverage findings, optionally for one region's units."""
    rows = sorted(run(db, "list_unit_coverage"), key=lambda r: r["id"])
    kept = [
        r
        for r in rows
        if (region is None or r["region"] == region) and r["kind"] != UnitKind.COLLECTIVE.value
    ]

    def names(units: list[Row]) -> list[str]:
        return list(dict.fromkeys(str(r["name"]) for r in units))

    return Coverage(
        task_units_without_group_member=names(
            [r for r in kept if r["has_task"] and not r["in_group"]]
        ),
        group_units_without_task=names([r for r in kept if r["in_group"] and not r["has_task"]]),
    )


# -- search -------------------------------------------------------------------------------
def search(db: CypherStore, q: str, limit: int = 50) -> list[Hit]:
    """Nodes whose name, title or number contains ``q`` (exact matches first)."""
    q = q.strip()
    if not q:
        return []
    hits = [
        Hit(
            id=r["id"],
            label=r["label"] or "",
            name=str(r["name"]),
            region=r["region"],
            matched=r["matched"],
        )
        for r in run(db, "search_nodes", q=q)
    ]
    hits.sort(key=lambda h: hit_key(h, q))
    return hits[:limit]


def neighbourhood(
    db: CypherStore,
    focus: str | None = None,
    depth: int = 1,
    types: list[str] | None = None,
    region: str | None = None,
    limit: int | None = None,
) -> NodeLink:
    """Node-link JSON of ``focus`` and the nodes within ``depth`` hops (either direction),
    narrowed as :func:`queries.search.neighbourhood` does.

    Raises:
        UnknownNode: ``focus`` is not a node id.
        AnswerTooLarge: more than ``limit`` nodes would be kept.
    """
    ids: list[str] | None = None
    if focus is not None:
        if not run(db, "find_node", id=focus):
            raise UnknownNode(f"No node with id {focus!r}")
        keep, frontier = {focus}, {focus}
        for _ in range(max(depth, 0)):
            if not frontier:
                break
            near = {r["id"] for r in run(db, "list_neighbours", ids=sorted(frontier))}
            frontier = near - keep
            keep |= frontier
        ids = sorted(keep)
    if types or region is not None or limit is not None:
        found = {r["id"]: r for r in run(db, "list_node_regions", ids=ids)}
        docs = {r["id"]: r["region"] for r in run(db, "list_document_regions")} if region else {}
        ids = kept_nodes(
            ((n, r["label"]) for n, r in found.items()),
            focus,
            types,
            region,
            limit,
            lambda n: node_region(found[n], docs.get, found[n]["town_region"]),
        )
    views = {
        r["id"]: node_view(
            r["id"], {"label": r["label"], **{k: v for k, v in r["props"].items() if k != "id"}}
        )
        for r in run(db, "list_nodes", ids=ids)
    }
    kept = sorted(views)
    rows = run(db, "list_links", ids=ids)
    edges = sorted(
        ((r["source"], r["target"], str(r["props"].get("key", "")), r) for r in rows),
        key=lambda e: e[:3],
    )
    links = [
        link_view(
            s, t, k, {**{a: v for a, v in r["props"].items() if a != "key"}, "type": r["type"]}
        )
        for s, t, k, r in edges
    ]
    return NodeLink(nodes=[views[n] for n in kept], links=links)


# -- supervision (督办) ----------------------------------------------------------------------
def progress_reports(db: CypherStore) -> dict[str, list[ProgressReport]]:
    """Task id → its progress reports, oldest first (as :func:`queries.progress.progress_reports`)."""
    out: dict[str, list[ProgressReport]] = defaultdict(list)
    for r in run(db, "list_progress"):
        if r["task"]:
            out[r["task"]].append(report_of(r, r["id"]))
    for reports in out.values():
        reports.sort(key=lambda p: (p.reported_on, p.dated, p.id))
    return dict(out)


def task_versions(db: CypherStore) -> dict[str, tuple[str | None, int | None]]:
    """Task id → (its document id, the document's current version)."""
    return {
        r["task"]: (r["doc"], int(r["version"]) if r["version"] is not None else None)
        for r in run(db, "list_task_versions")
    }
