"""Where the task list and the leading group do not meet — over networkx.

- ``task_units_without_group_member``: units on some task with nobody in a leading group:
  no member holds a post there and the unit is not itself a (collective) member;
- ``group_units_without_task``: units where group members hold posts, or collective member
  units, that carry no task.

Both list unit names in unit-id order (not insertion order), as ``queries.cypher_path`` does.
Collectives and catch-alls (各乡镇人民政府, 有关部门, 成员单位: kind ``collective``) take no part:
nobody can sit in a group for "the relevant departments".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.schema import Label, Rel, UnitKind
from queries.answers import Coverage
from queries.responsibility import edges, has_edges

if TYPE_CHECKING:
    import networkx as nx


def group_units(G: nx.MultiDiGraph) -> list[str]:
    """Units represented in some group, by id."""
    seen: dict[str, None] = {}
    for person, data in G.nodes(data=True):
        if data.get("label") != Label.PERSON.value or not has_edges(G, person, Rel.MEMBER_OF):
            continue
        for unit, _ in edges(G, person, Rel.HOLDS):
            seen.setdefault(unit, None)
    for unit, data in G.nodes(data=True):
        if data.get("label") == Label.UNIT.value and has_edges(G, unit, Rel.MEMBER_OF):
            seen.setdefault(unit, None)
    return sorted(seen)


def coverage(G: nx.MultiDiGraph, region: str | None = None) -> Coverage:
    """Coverage findings, optionally for one region's units.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("u1", label="Unit", name="县甲局"); G.add_node("u2", label="Unit", name="县乙局")
    >>> G.add_node("t", label="Task"); G.add_node("p", label="Person"); G.add_node("g", label="Group")
    >>> _ = G.add_edge("u1", "t", type="RESPONSIBLE_FOR"), G.add_edge("p", "g", type="MEMBER_OF")
    >>> _ = G.add_edge("p", "u2", type="HOLDS")
    >>> G.add_node("c", label="Unit", name="各有关单位", kind="collective")
    >>> _ = G.add_edge("c", "t", type="RESPONSIBLE_FOR")
    >>> coverage(G).model_dump()
    {'task_units_without_group_member': ['县甲局'], 'group_units_without_task': ['县乙局']}
    """
    in_group = set(group_units(G))

    def keep(u: str) -> bool:
        data = G.nodes[u]
        if data.get("kind") == UnitKind.COLLECTIVE.value:
            return False
        return region is None or data.get("region") == region

    responsible = sorted(
        u
        for u, d in G.nodes(data=True)
        if d.get("label") == Label.UNIT.value and has_edges(G, u, Rel.RESPONSIBLE_FOR) and keep(u)
    )
    return Coverage(
        task_units_without_group_member=unit_names(
            G, [u for u in responsible if u not in in_group]
        ),
        group_units_without_task=unit_names(
            G,
            [u for u in group_units(G) if keep(u) and not has_edges(G, u, Rel.RESPONSIBLE_FOR)],
        ),
    )


def unit_names(G: nx.MultiDiGraph, units: list[str]) -> list[str]:
    """The units' names in the order given, each once."""
    return list(dict.fromkeys(G.nodes[u]["name"] for u in units))
