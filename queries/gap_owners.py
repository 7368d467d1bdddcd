"""Who owns a chain gap: the tasks addressing the link, their units and the people in post.

A gap's tasks are those with an ADDRESSES edge to its node; failing any, the plans'
investment-attraction (招商) tasks stand in as fallback owners. :func:`owner_key` and
:func:`match_key` order owners and matches the same way on every store
(:mod:`queries.cypher_gaps` uses them too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx

from graph.schema import Label, Rel, Role
from queries.chains import typed_edges
from queries.gaps import GapReport, PersonRef, TaskRef, UnitRef

INVESTMENT = "招商"  # marks the investment-attraction tasks used as fallback owners


def _position(G: nx.MultiDiGraph, task: str) -> tuple[str, int, str]:
    d = G.nodes[task]
    order = d.get("order")
    return (str(d.get("doc") or ""), order if isinstance(order, int) else 1 << 30, task)


def _investment_tasks(G: nx.MultiDiGraph, town: str | None) -> list[str]:
    """Tasks mentioning 招商, of the plans naming ``town`` when there are such (else all)."""
    tasks = [
        n
        for n, d in G.nodes(data=True)
        if d.get("label") == Label.TASK.value
        and any(INVESTMENT in (d.get(k) or "") for k in ("title", "text"))
    ]
    tasks.sort(key=lambda t: _position(G, t))
    if town is None or not G.has_node(town):
        return tasks
    scope: set[str] = set()
    for doc, _, _ in typed_edges(G, town, Rel.NAMES_TOWN):
        contains = nx.subgraph_view(
            G, filter_edge=lambda u, v, k: G.edges[u, v, k].get("type") == Rel.CONTAINS.value
        )
        scope |= nx.descendants(contains, doc)
    return [t for t in tasks if t in scope] or tasks


OwnerKey = tuple[int, float, int, str]


def owner_key(role: object, order: object, task_index: int) -> OwnerKey:
    """Rank of a unit among a gap's owners: lead first, then its order on the task, then the
    task's place, then the role's name (both stores, so that ties never fall to storage order).

    >>> owner_key("lead", None, 3) < owner_key("support", 0, 0)
    True
    """
    return (
        0 if role == Role.LEAD.value else 1,
        order if isinstance(order, int | float) else 1e9,
        task_index,
        str(role or ""),
    )


def match_key(edge: Mapping[str, Any]) -> tuple[bool, int, str]:
    """Order of a task's ADDRESSES matches: by where the match starts, then keyword; the first
    gives the task's ``keyword`` (both stores)."""
    span = edge.get("span")
    start = edge.get("start", span[0] if isinstance(span, list | tuple) and span else None)
    return (start is None, start if isinstance(start, int) else 0, str(edge.get("keyword") or ""))


def _owners(
    G: nx.MultiDiGraph, tasks: Iterable[str], leaders: list[PersonRef]
) -> tuple[list[UnitRef], list[PersonRef]]:
    best: dict[str, tuple[OwnerKey, UnitRef]] = {}
    for i, task in enumerate(tasks):
        for unit, _, d in typed_edges(G, task, Rel.RESPONSIBLE_FOR):
            order = d.get("order")
            key = owner_key(d.get("role"), order, i)
            ref = UnitRef(id=unit, name=G.nodes[unit].get("name"), role=d.get("role"), order=order)
            if unit not in best or key < best[unit][0]:
                best[unit] = (key, ref)
    units = [ref for _, ref in sorted(best.values(), key=lambda e: (e[0], e[1].id))]
    people = list(leaders)
    seen = {p.id for p in people}
    for unit in units:
        holders = sorted(
            typed_edges(G, unit.id, Rel.HOLDS), key=lambda e: (e[0], e[2].get("title") or "")
        )
        for person, _, d in holders:
            if person not in seen:
                seen.add(person)
                name = G.nodes[person].get("name")
                people.append(PersonRef(id=person, name=name, title=d.get("title"), unit=unit.id))
    return units, people


def attach_owners(G: nx.MultiDiGraph, report: GapReport) -> GapReport:
    """Fill ``tasks``, ``units``, ``people`` and ``reason`` of every gap (node with an action).

    Tasks: those with an ADDRESSES edge to the node (``reason="task match"``); when none, the
    investment-attraction tasks (title or text containing 招商) of the plans naming the report's
    town, or of every plan (``reason="fallback"``). Units: Unit nodes RESPONSIBLE_FOR those
    tasks, lead units first, then by ``order``. People: the chain leader(s) (Person
    -LEADS_CHAIN-> Chain) first, then the holders (Person -HOLDS-> Unit) of those units.
    """
    leaders = (
        [
            PersonRef(
                id=p, name=G.nodes[p].get("name"), title=d.get("title") or "链长", chain_leader=True
            )
            for p, _, d in sorted(
                typed_edges(G, report.chain, Rel.LEADS_CHAIN),
                key=lambda e: (e[0], e[2].get("title") or ""),
            )
        ]
        if G.has_node(report.chain)
        else []
    )
    fallback: list[str] | None = None
    nodes = []
    for gap in report.nodes:
        if gap.action is None:
            nodes.append(gap)
            continue
        matched: dict[str, str | None] = {}
        addressing = typed_edges(G, gap.id, Rel.ADDRESSES) if G.has_node(gap.id) else []
        for task, _, d in sorted(addressing, key=lambda e: match_key(e[2])):
            if G.nodes[task].get("label") == Label.TASK.value:
                matched.setdefault(task, d.get("keyword"))
        matched = {t: matched[t] for t in sorted(matched, key=lambda t: _position(G, t))}
        reason: Literal["task match", "fallback"] | None = "task match" if matched else None
        if not matched:
            if fallback is None:
                fallback = _investment_tasks(G, report.town)
            matched = dict.fromkeys(fallback)
            reason = "fallback" if matched else None
        tasks = [
            TaskRef(
                id=t,
                number=G.nodes[t].get("full_number") or G.nodes[t].get("number"),
                title=G.nodes[t].get("title"),
                keyword=k,
            )
            for t, k in matched.items()
        ]
        units, people = _owners(G, matched, leaders)
        nodes.append(
            gap.model_copy(
                update={"tasks": tasks, "units": units, "people": people, "reason": reason}
            )
        )
    return report.model_copy(update={"nodes": nodes})
