"""Which bureaus are on which tasks, who leads, and who is accountable — over networkx.

Every function takes the graph first (a ``MultiDiGraph`` built from ``graph.build``).

Orderings never depend on insertion order, so that a Cypher server (``queries.cypher_path``)
gives the same answers: tasks by (document, order, id); units on a task lead first, then by
order and id; unit summaries by load, then where first named (document, task order, order
on the task), then id; heads by person id, then collective posts by
name; groups, and units found by name, by id. The sort keys are shared with the Cypher path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from graph.errors import UnknownTask, UnknownUnit
from graph.schema import Label, Rel
from queries.answers import (
    Matrix,
    MatrixTask,
    MatrixUnit,
    Office,
    PersonPost,
    TaskRow,
    UnitRole,
    UnitSummary,
    WhoAnswer,
)

if TYPE_CHECKING:
    import networkx as nx

# Titles that head a unit (the person accountable for it); deputies are not heads.
HEAD_TITLES = frozenset(
    {
        "局长",
        "主任",
        "县长",
        "市长",
        "区长",
        "省长",
        "旗长",
        "主席",
        "部长",
        "院长",
        "所长",
        "站长",
        "队长",
        "行长",
        "社长",
        "镇长",
        "乡长",
        "党组书记",
        "书记",
        "总经理",
        "董事长",
        "主要负责同志",
        "主要负责人",
    }
)
ROLE_ORDER = {"lead": 0, "responsible": 1, "support": 2}
HeadsOf = Callable[[str], list[PersonPost]]  # unit id → its heads (see ``heads``)


def task_key(doc: object, order: object, task: str) -> tuple[str, int, str]:
    """Sort key of a task: its document id, its order in the document, its id.

    >>> task_key("doc:a", None, "task:a:1")
    ('doc:a', 0, 'task:a:1')
    """
    return (str(doc or ""), _int(order), task)


def unit_role_key(row: UnitRole) -> tuple[int, int, str]:
    """Sort key of a unit on a task: lead, responsible, support; then order, then id."""
    return (ROLE_ORDER.get(row.role, 3), row.order, row.id)


Position = tuple[str, int, int]


def position(doc: object, task_order: object, unit_order: object) -> Position:
    """Where a unit is named: document id, the task's order, the unit's order on the task."""
    return (str(doc or ""), _int(task_order), _int(unit_order))


def summary_key(row: UnitSummary, first: Position | None) -> tuple[int, bool, Position, str]:
    """Sort key of a unit summary: most tasks first, then first named, then id.

    ``first`` is the earliest :func:`position` of the unit on a task (``None`` without tasks).
    """
    return (-row.task_count, first is None, first or ("", 0, 0), row.id)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


def ordered_heads(people: list[PersonPost], collective: list[PersonPost]) -> list[PersonPost]:
    """Heads in answer order: people by id and title, then collective posts by name; no repeats."""
    people = sorted(people, key=lambda p: (p.id or "", p.title or ""))
    collective = sorted(collective, key=lambda p: (p.name, p.title or ""))
    return _unique(people + collective)


def ordered_cells(cells: dict[str, str], rank: dict[str, int]) -> dict[str, str]:
    """Matrix cells in task-column order (``rank``: task id → column)."""
    return dict(sorted(cells.items(), key=lambda c: (rank.get(c[0], len(rank)), c[0])))


def edges(G: nx.MultiDiGraph, node: str, rel: Rel, out: bool = True) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """``(other end, edge data)`` of the ``rel`` edges leaving (or entering) ``node``, in the
    order of ``G.out_edges`` (``G.in_edges``).

    Read from the graph's adjacency dicts (``_succ``, ``_pred``: the storage every networkx
    view wraps) rather than through an edge view, which cost three times as much per call as
    the edges of a task (9 against 3 µs); a province's ``tasks --unit`` makes thousands.
    """
    adjacency = G._succ[node] if out else G._pred[node]
    want = rel.value
    return [
        (other, d)
        for other, keyed in adjacency.items()
        for d in keyed.values()
        if d.get("type") == want
    ]


def has_edges(G: nx.MultiDiGraph, node: str, rel: Rel, out: bool = True) -> bool:
    """Whether some ``rel`` edge leaves (or enters) ``node`` (as :func:`edges`, stopping at the
    first)."""
    adjacency = G._succ[node] if out else G._pred[node]
    want = rel.value
    return any(d.get("type") == want for keyed in adjacency.values() for d in keyed.values())


def nodes_of(G: nx.MultiDiGraph, label: Label) -> list[str]:
    """Ids of the nodes with a label, in insertion order."""
    return [n for n, d in G.nodes(data=True) if d.get("label") == label.value]


def unit_ids(G: nx.MultiDiGraph, name: str, region: str | None = None) -> list[str]:
    """Units named ``name`` (canonical name or a surface seen in a document), or by id.

    Raises:
        UnknownUnit: no such unit.
    """
    if G.has_node(name) and G.nodes[name].get("label") == Label.UNIT.value:
        return [name]
    found = sorted(
        n
        for n in nodes_of(G, Label.UNIT)
        if (region is None or G.nodes[n].get("region") == region)
        and (G.nodes[n].get("name") == name or name in _surfaces(G, n))
    )
    if not found:
        where = f" in {region}" if region else ""
        raise UnknownUnit(f"No unit named {name!r}{where}")
    return found


def _surfaces(G: nx.MultiDiGraph, unit: str) -> set[str]:
    return {d.get("surface", "") for _, d in edges(G, unit, Rel.RESPONSIBLE_FOR)}


def heads(G: nx.MultiDiGraph, unit: str) -> list[PersonPost]:
    """The people heading a unit (局长 of a 局, 主任 of a 中心 …), or its collective head."""
    people = [
        PersonPost(id=p, name=G.nodes[p]["name"], title=d.get("title"), unit=G.nodes[unit]["name"])
        for p, d in edges(G, unit, Rel.HOLDS, out=False)
        if d.get("title") in HEAD_TITLES
    ]
    collective = [
        PersonPost(name=d["text"], title=d.get("title"), unit=G.nodes[unit]["name"])
        for _, d in edges(G, unit, Rel.MEMBER_OF)
        if d.get("text")
    ]
    return ordered_heads(people, collective)


def _unique(posts: list[PersonPost]) -> list[PersonPost]:
    seen: set[tuple[str | None, str, str | None]] = set()
    out = []
    for p in posts:
        key = (p.id, p.name, p.title)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def responsible_units(
    G: nx.MultiDiGraph, task: str, heads_of: HeadsOf | None = None
) -> list[UnitRole]:
    """Units on a task, lead first, then in document order, each with its heads.

    ``heads_of`` looks heads up (``queries.index`` keeps them per unit); default :func:`heads`.
    """
    rows = [
        UnitRole(
            id=u,
            name=G.nodes[u]["name"],
            role=d["role"],
            order=d.get("order", 0),
            heads=heads_of(u) if heads_of else heads(G, u),
        )
        for u, d in edges(G, task, Rel.RESPONSIBLE_FOR, out=False)
    ]
    return sorted(rows, key=unit_role_key)


def _document_of(G: nx.MultiDiGraph, task: str) -> str:
    doc = G.nodes[task].get("doc", "")
    return str(G.nodes[doc].get("name", doc)) if G.has_node(doc) else str(doc)


def task_row(
    G: nx.MultiDiGraph, task: str, with_units: bool = True, heads_of: HeadsOf | None = None
) -> TaskRow:
    """A task as a row: document, number, title, deadline, units."""
    d = G.nodes[task]
    return TaskRow(
        id=task,
        document=_document_of(G, task),
        number=d.get("number"),
        full_number=d.get("full_number"),
        title=d.get("title", ""),
        deadline=d.get("deadline"),
        units=responsible_units(G, task, heads_of) if with_units else [],
    )


def _task_order(G: nx.MultiDiGraph, task: str) -> tuple[str, int, str]:
    d = G.nodes[task]
    return task_key(d.get("doc"), d.get("order"), task)


def all_tasks(G: nx.MultiDiGraph, heads_of: HeadsOf | None = None) -> list[TaskRow]:
    """Every task, by document and order (``heads_of`` as for :func:`responsible_units`)."""
    return [
        task_row(G, t, heads_of=heads_of)
        for t in sorted(nodes_of(G, Label.TASK), key=lambda t: _task_order(G, t))
    ]


def tasks_of(G: nx.MultiDiGraph, unit: str, heads_of: HeadsOf | None = None) -> list[TaskRow]:
    """The tasks a unit is on, with its role on each."""
    rows = []
    for t, d in edges(G, unit, Rel.RESPONSIBLE_FOR):
        row = task_row(G, t, heads_of=heads_of)
        row.role = d["role"]
        rows.append(row)
    return sorted(rows, key=lambda r: _task_order(G, r.id))


def find_task(G: nx.MultiDiGraph, ref: str) -> str:
    """A task by id, local id (三.1), full number (三（一）) or title substring.

    Raises:
        UnknownTask: nothing matches, or a title fragment matches several tasks.
    """
    if G.has_node(ref) and G.nodes[ref].get("label") == Label.TASK.value:
        return ref
    tasks = sorted(nodes_of(G, Label.TASK), key=lambda t: _task_order(G, t))
    for attr in ("local_id", "full_number", "title"):
        exact = [t for t in tasks if G.nodes[t].get(attr) == ref]
        if len(exact) == 1:
            return exact[0]
    partial = [t for t in tasks if ref and ref in G.nodes[t].get("title", "")]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "; ".join(G.nodes[t]["title"] for t in partial[:5])
        raise UnknownTask(f"{ref!r} matches {len(partial)} tasks: {names}")
    raise UnknownTask(f"No task {ref!r} (give an id such as 三.1, a number or part of a title)")


def unit_summaries(G: nx.MultiDiGraph) -> list[UnitSummary]:
    """Every unit with its task count, most loaded first, with its heads."""
    rows = []
    first: dict[str, Position | None] = {}
    for u in nodes_of(G, Label.UNIT):
        resp = edges(G, u, Rel.RESPONSIBLE_FOR)
        first[u] = min(
            (
                position(G.nodes[t].get("doc"), G.nodes[t].get("order"), e.get("order"))
                for t, e in resp
            ),
            default=None,
        )
        rows.append(_summary(G, u, resp))
    return sorted(rows, key=lambda r: summary_key(r, first[r.id]))


def unit_summary(G: nx.MultiDiGraph, unit: str) -> UnitSummary:
    """A unit's task count, stated-lead count and heads."""
    return _summary(G, unit, edges(G, unit, Rel.RESPONSIBLE_FOR))


def _summary(G: nx.MultiDiGraph, unit: str, resp: list[tuple[str, dict]]) -> UnitSummary:  # type: ignore[type-arg]
    d = G.nodes[unit]
    return UnitSummary(
        id=unit,
        name=d["name"],
        region=d.get("region"),
        kind=d.get("kind"),
        task_count=len({t for t, _ in resp}),
        lead_count=len({t for t, e in resp if e.get("role") == "lead"}),
        heads=heads(G, unit),
    )


def matrix(G: nx.MultiDiGraph) -> Matrix:
    """The responsibility matrix: units (by load) × tasks (by document order)."""
    tasks = sorted(nodes_of(G, Label.TASK), key=lambda t: _task_order(G, t))
    columns = [
        MatrixTask(
            id=t,
            document=_document_of(G, t),
            number=G.nodes[t].get("number"),
            full_number=G.nodes[t].get("full_number"),
            title=G.nodes[t].get("title", ""),
            deadline=G.nodes[t].get("deadline"),
        )
        for t in tasks
    ]
    rank = {t: i for i, t in enumerate(tasks)}
    rows = [
        MatrixUnit(
            id=u.id,
            name=u.name,
            cells=ordered_cells(
                {t: d["role"] for t, d in edges(G, u.id, Rel.RESPONSIBLE_FOR)}, rank
            ),
        )
        for u in unit_summaries(G)
        if u.task_count
    ]
    return Matrix(tasks=columns, units=rows)


def offices(G: nx.MultiDiGraph, region: str | None = None) -> list[Office]:
    """Each group's office unit and the people holding the posts that direct it."""
    return [
        office_of(G, g)
        for g in sorted(nodes_of(G, Label.GROUP))
        if not region or G.nodes[g].get("region") == region
    ]


def office_of(G: nx.MultiDiGraph, group: str) -> Office:
    """A group's office unit and the people holding the posts that direct it."""
    d = G.nodes[group]
    return Office(
        group=d["name"],
        unit=d.get("office_unit"),
        director=_post_holder(G, d.get("region"), d.get("director_unit"), d.get("director_title")),
        deputy_director=_post_holder(
            G, d.get("region"), d.get("deputy_unit"), d.get("deputy_title")
        ),
    )


def _post_holder(
    G: nx.MultiDiGraph, region: str | None, unit: str | None, title: str | None
) -> PersonPost | None:
    if not unit or not title:
        return None
    uid = f"unit:{region}:{unit}"
    if G.has_node(uid):
        for p, d in sorted(edges(G, uid, Rel.HOLDS, out=False), key=lambda e: e[0]):
            if d.get("title") == title:
                return PersonPost(id=p, name=G.nodes[p]["name"], title=title, unit=unit)
    return PersonPost(name=f"{unit}{title}", title=title, unit=unit)


def who(G: nx.MultiDiGraph, ref: str) -> WhoAnswer:
    """Responsible units of a task, the person heading each, and the group office."""
    task = find_task(G, ref)
    row = task_row(G, task)
    doc = G.nodes[task].get("doc")
    region = G.nodes[doc].get("region") if doc and G.has_node(doc) else None
    return WhoAnswer(task=row, units=row.units, offices=offices(G, region))
