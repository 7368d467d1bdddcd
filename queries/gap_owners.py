"""Who owns a chain gap: the tasks addressing the link, their units and the people in post.

A gap's tasks are those with an ADDRESSES edge to its node; failing any, the plans'
investment-attraction (招商) tasks stand in as fallback owners. A town's gaps take only the
tasks of its county's plans (:func:`in_county`). :func:`owner_key` and
:func:`match_key` order owners and matches the same way on every store
(:mod:`queries.cypher_gaps` uses them too).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
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


def _investment_tasks(G: nx.MultiDiGraph, county: Callable[[str], bool] | None) -> list[str]:
    """Tasks mentioning 招商, of the town's county when there is a town (see :func:`in_county`)."""
    tasks = [
        n
        for n, d in G.nodes(data=True)
        if d.get("label") == Label.TASK.value
        and any(INVESTMENT in (d.get(k) or "") for k in ("title", "text"))
    ]
    tasks.sort(key=lambda t: _position(G, t))
    return tasks if county is None else [t for t in tasks if county(t)]


def in_county(
    doc: str | None, doc_region: str | None, region: str | None, naming: Collection[str]
) -> bool:
    """Whether a task of the document ``doc`` (of ``doc_region``) is the business of a town of
    ``region`` that the documents ``naming`` name: a plan naming the town, a plan of its county,
    or a plan whose county is not known. A province's store holds a hundred counties' plans:
    another county's bureau is not on the hook for this county's gap (both stores).

    >>> in_county("doc:a", "阳城县", "泽州县", {"doc:a"}), in_county("doc:b", None, "泽州县", ())
    (True, True)
    >>> in_county("doc:c", "阳城县", "泽州县", ())
    False
    """
    return doc in naming or doc_region is None or region is None or doc_region == region


def _county(G: nx.MultiDiGraph, town: str | None) -> Callable[[str], bool] | None:
    """Whether a task is of the town's county (:func:`in_county`); ``None`` without a town."""
    if town is None or not G.has_node(town):
        return None
    region = G.nodes[town].get("region")
    naming = {doc for doc, _, _ in typed_edges(G, town, Rel.NAMES_TOWN)}
    nodes = G.nodes

    def county(task: str) -> bool:
        doc = nodes[task].get("doc")
        doc_region = nodes[doc].get("region") if doc in nodes else None
        return in_county(doc, doc_region, region, naming)

    return county


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
    investment-attraction tasks (title or text containing 招商, ``reason="fallback"``). For a
    report on a town, only tasks of its county's plans (:func:`in_county`); none there, no
    owner. Units: Unit nodes RESPONSIBLE_FOR those
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
    county = _county(G, report.town)
    nodes = []
    for gap in report.nodes:
        if gap.action is None:
            nodes.append(gap)
            continue
        matched: dict[str, str | None] = {}
        addressing = typed_edges(G, gap.id, Rel.ADDRESSES) if G.has_node(gap.id) else []
        for task, _, d in sorted(addressing, key=lambda e: match_key(e[2])):
            if G.nodes[task].get("label") == Label.TASK.value and (county is None or county(task)):
                matched.setdefault(task, d.get("keyword"))
        matched = {t: matched[t] for t in sorted(matched, key=lambda t: _position(G, t))}
        reason: Literal["task match", "fallback"] | None = "task match" if matched else None
        if not matched:
            if fallback is None:
                fallback = _investment_tasks(G, county)
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
