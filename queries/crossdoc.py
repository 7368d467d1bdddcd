"""Questions across documents: a unit's load, tasks two bureaus share, who coordinates most.

Units are scoped by region (``unit:<region>:<name>``), so 县工业和信息化局 of two counties are two
units; asked by name, a question answers for each of them. Every function takes the graph
first and reads it only.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for u in ("a", "b", "c"):
...     G.add_node(u, label="Unit", name=u, kind="bureau")
>>> for t in ("t1", "t2"):
...     G.add_node(t, label="Task", title=t, doc="d")
>>> for u, t in [("a", "t1"), ("b", "t1"), ("a", "t2"), ("c", "t2")]:
...     _ = G.add_edge(u, t, type="RESPONSIBLE_FOR", role="responsible")
>>> H = coresponsibility(G)
>>> sorted(H.edges(data="weight")), [(r.name, r.partners) for r in coordination(H)][:1]
([('a', 'b', 1), ('a', 'c', 1)], [('a', 2)])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
from pydantic import Field

from graph.schema import Label, Rel, UnitKind
from queries.answers import Answer, PersonPost, TaskRow
from queries.responsibility import heads, nodes_of, task_row, tasks_of


class DocumentLoad(Answer):
    """A unit's tasks in one document."""

    document: str
    name: str
    doc_number: str | None = None
    task_count: int
    lead_count: int = 0
    tasks: list[TaskRow] = Field(default_factory=list)


class GroupSeat(Answer):
    """A group the unit sits in, through a person holding a post there or as a whole unit."""

    group: str
    via: str


class UnitLoad(Answer):
    """A unit's load across every document: tasks by document, lead count, group seats."""

    id: str
    name: str
    region: str | None = None
    kind: str | None = None
    task_count: int
    lead_count: int
    document_count: int
    documents: list[DocumentLoad] = Field(default_factory=list)
    groups: list[GroupSeat] = Field(default_factory=list)
    heads: list[PersonPost] = Field(default_factory=list)


class SharedTask(Answer):
    """A task two units are both on, and the role of each."""

    task: TaskRow
    unit_a: str
    role_a: str
    unit_b: str
    role_b: str


class Coordination(Answer):
    """How central a unit is in the co-responsibility network."""

    id: str
    name: str
    region: str | None = None
    partners: int = Field(description="units it shares at least one task with (degree)")
    shared_tasks: int = Field(description="sum over partners of tasks shared (weighted degree)")
    betweenness: float = Field(description="normalised betweenness centrality")


def _doc_of(G: nx.MultiDiGraph, task: str) -> str:
    return str(G.nodes[task].get("doc", ""))


def unit_load(G: nx.MultiDiGraph, unit: str) -> UnitLoad:
    """A unit's tasks grouped by document (document order), with totals and group seats."""
    rows = tasks_of(G, unit)
    by_doc: dict[str, list[TaskRow]] = defaultdict(list)
    for r in rows:
        by_doc[_doc_of(G, r.id)].append(r)
    documents = []
    for doc, tasks in by_doc.items():
        d = G.nodes[doc] if G.has_node(doc) else {}
        documents.append(
            DocumentLoad(
                document=doc,
                name=str(d.get("title") or d.get("name") or doc),
                doc_number=d.get("doc_number"),
                task_count=len(tasks),
                lead_count=sum(1 for t in tasks if t.role == "lead"),
                tasks=tasks,
            )
        )
    documents.sort(key=lambda x: (-x.task_count, x.document))
    d = G.nodes[unit]
    return UnitLoad(
        id=unit,
        name=str(d.get("name", unit)),
        region=d.get("region"),
        kind=d.get("kind"),
        task_count=len(rows),
        lead_count=sum(1 for r in rows if r.role == "lead"),
        document_count=len(documents),
        documents=documents,
        groups=group_seats(G, unit),
        heads=heads(G, unit),
    )


def group_seats(G: nx.MultiDiGraph, unit: str) -> list[GroupSeat]:
    """Groups a unit sits in: as a collective member, or through a member holding a post there."""
    seats: dict[tuple[str, str], None] = {}
    for _, g, d in G.out_edges(unit, data=True):
        if d.get("type") == Rel.MEMBER_OF.value:
            seats[(G.nodes[g]["name"], str(d.get("text") or G.nodes[unit]["name"]))] = None
    for person, _, d in G.in_edges(unit, data=True):
        if d.get("type") != Rel.HOLDS.value:
            continue
        for _, g, m in G.out_edges(person, data=True):
            if m.get("type") == Rel.MEMBER_OF.value:
                post = f"{G.nodes[person]['name']}（{d.get('title') or ''}）"
                seats[(G.nodes[g]["name"], post)] = None
    return [GroupSeat(group=g, via=v) for g, v in seats]


def _roles(G: nx.MultiDiGraph, unit: str) -> dict[str, str]:
    return {
        t: str(d.get("role"))
        for _, t, d in G.out_edges(unit, data=True)
        if d.get("type") == Rel.RESPONSIBLE_FOR.value
    }


def shared_tasks(G: nx.MultiDiGraph, a: Iterable[str], b: Iterable[str]) -> list[SharedTask]:
    """Tasks on which a unit of ``a`` and a unit of ``b`` are both responsible, by document order.

    ``a`` and ``b`` are unit ids (several when a name stands for units of several regions).
    """
    out = []
    b_units = list(dict.fromkeys(b))
    for ua in dict.fromkeys(a):
        roles_a = _roles(G, ua)
        for ub in b_units:
            if ub == ua:
                continue
            roles_b = _roles(G, ub)
            for t in roles_a.keys() & roles_b.keys():
                out.append(
                    SharedTask(
                        task=task_row(G, t),
                        unit_a=ua,
                        role_a=roles_a[t],
                        unit_b=ub,
                        role_b=roles_b[t],
                    )
                )
    return sorted(out, key=lambda s: (_doc_of(G, s.task.id), G.nodes[s.task.id].get("order", 0)))


def coresponsibility(
    G: nx.MultiDiGraph, region: str | None = None, collective: bool = False
) -> nx.Graph:
    """Units linked by the tasks they share; edge ``weight`` = tasks shared, ``tasks`` = ids.

    Args:
        G: the knowledge graph.
        region: only units of this region.
        collective: also collective units (各乡镇人民政府), which sit on most tasks and would
            otherwise dominate every ranking.
    """
    H = nx.Graph()
    for task in nodes_of(G, Label.TASK):
        units = sorted(
            {
                u
                for u, _, d in G.in_edges(task, data=True)
                if d.get("type") == Rel.RESPONSIBLE_FOR.value
                and (region is None or G.nodes[u].get("region") == region)
                and (collective or G.nodes[u].get("kind") != UnitKind.COLLECTIVE.value)
            }
        )
        for u in units:
            H.add_node(u, name=G.nodes[u].get("name", u), region=G.nodes[u].get("region"))
        for u, v in combinations(units, 2):
            if H.has_edge(u, v):
                H[u][v]["weight"] += 1
                H[u][v]["tasks"].append(task)
            else:
                H.add_edge(u, v, weight=1, tasks=[task])
    return H


def coordination(H: nx.Graph) -> list[Coordination]:
    """Units of a co-responsibility network by partners, then tasks shared, then betweenness."""
    between = nx.betweenness_centrality(H) if H.number_of_nodes() > 2 else dict.fromkeys(H, 0.0)
    rows = [
        Coordination(
            id=u,
            name=str(d.get("name", u)),
            region=d.get("region"),
            partners=int(H.degree(u)),
            shared_tasks=int(H.degree(u, weight="weight")),
            betweenness=round(float(between[u]), 4),
        )
        for u, d in H.nodes(data=True)
    ]
    return sorted(rows, key=lambda r: (-r.partners, -r.shared_tasks, -r.betweenness, r.id))
