"""What the API and the pages show of units, people and leading groups.

Pure functions over the networkx graph, graph first, returning pydantic models. They compose
the answers of ``queries`` (``tasks_of``, ``heads``, ``offices``) with the group roles and the
lead rule the pages need; documents and tasks are in :mod:`api.views`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import networkx as nx

from api.errors import AmbiguousName
from api.leads import leads
from api.models import (
    CollectiveMember,
    GroupRole,
    GroupView,
    Membership,
    PersonDetail,
    PersonSummary,
    UnitDetail,
)
from api.names import with_aliases
from api.views import document_ref, find_node, label_of
from graph.schema import Label, Rel
from queries import responsibility as resp
from queries.answers import PersonPost, TaskRow
from queries.responsibility import edges


# -- units --------------------------------------------------------------------------------
def find_unit(G: nx.MultiDiGraph, ref: str) -> list[str]:
    """Unit ids for an id, a name, a surface seen in a document, or an alias (县工信局)."""
    return with_aliases(lambda name: resp.unit_ids(G, name), ref)


def one_unit(G: nx.MultiDiGraph, ref: str) -> str:
    """The single unit ``ref`` names (409 when a plain name matches units of several regions)."""
    found = find_unit(G, ref)
    if len(found) > 1:
        raise AmbiguousName(f"{ref!r} names {len(found)} units: {', '.join(found)}")
    return found[0]


def unit_groups(G: nx.MultiDiGraph, unit: str) -> list[GroupRole]:
    """The unit's roles in groups: office seat, office director's or deputy's unit, members."""
    name, region = G.nodes[unit]["name"], G.nodes[unit].get("region")
    out: list[GroupRole] = []
    for g in resp.nodes_of(G, Label.GROUP):
        gd = G.nodes[g]
        if gd.get("region") != region:
            continue

        def add(role: str, person: PersonPost | None = None, group: str = g) -> None:
            out.append(
                GroupRole(group=group, group_name=G.nodes[group]["name"], role=role, person=person)
            )

        if any(t == unit for t, _ in edges(G, g, Rel.OFFICE_AT)):
            add("办公室设在本单位")
        office = next((o for o in resp.offices(G, region) if o.group == gd["name"]), None)
        if office and office.director and gd.get("director_unit") == name:
            add("办公室主任", office.director)
        if office and office.deputy_director and gd.get("deputy_unit") == name:
            add("办公室副主任", office.deputy_director)
        for text_edge in (e for t, e in edges(G, unit, Rel.MEMBER_OF) if t == g):
            add(f"成员（{text_edge.get('text') or name}）")
    for person, held in edges(G, unit, Rel.HOLDS, out=False):
        for g, member in edges(G, person, Rel.MEMBER_OF):
            post = PersonPost(
                id=person, name=G.nodes[person]["name"], title=held.get("title"), unit=name
            )
            out.append(
                GroupRole(
                    group=g,
                    group_name=G.nodes[g]["name"],
                    role=str(member.get("role") or "成员"),
                    person=post,
                )
            )
    return out


def unit_detail(G: nx.MultiDiGraph, ref: str) -> UnitDetail:
    """A unit's tasks across documents, its heads, people and group roles."""
    unit = one_unit(G, ref)
    tasks = resp.tasks_of(G, unit)
    decided = {t: lead for t, lead in leads(tasks).items() if unit in lead.units}
    docs = dict.fromkeys(str(G.nodes[t.id].get("doc", "")) for t in tasks)
    name = G.nodes[unit]["name"]
    people = [
        PersonPost(id=p, name=G.nodes[p]["name"], title=e.get("title"), unit=name)
        for p, e in edges(G, unit, Rel.HOLDS, out=False)
    ]
    return UnitDetail(
        unit=resp.unit_summary(G, unit).model_copy(update={"lead_count": len(decided)}),
        tasks=tasks,
        documents=[document_ref(G, d) for d in docs],
        people=people,
        groups=unit_groups(G, unit),
        leads={t: lead.inferred for t, lead in decided.items()},
    )


# -- people and groups --------------------------------------------------------------------
def find_person(G: nx.MultiDiGraph, ref: str) -> str:
    """A person by id or name (409 when namesakes of two regions match)."""
    return find_node(G, Label.PERSON, ref, ("name",))


def person_summary(G: nx.MultiDiGraph, person: str) -> PersonSummary:
    """A person's posts and group roles."""
    d = G.nodes[person]
    return PersonSummary(
        id=person,
        name=d["name"],
        region=d.get("region"),
        posts=[
            PersonPost(id=u, name=G.nodes[u]["name"], title=e.get("title"), unit=G.nodes[u]["name"])
            for u, e in edges(G, person, Rel.HOLDS)
        ],
        groups=[
            Membership(
                group=g,
                group_name=G.nodes[g]["name"],
                role=str(e.get("role") or "成员"),
                chain=e.get("chain"),
            )
            for g, e in edges(G, person, Rel.MEMBER_OF)
        ],
    )


def people(
    G: nx.MultiDiGraph, pick: Callable[[list[str]], Sequence[str]] = list
) -> list[PersonSummary]:
    """Every person, in order of appearance; or those ``pick`` takes of their ids (a page,
    :meth:`api.paging.Paging.page`), so that only the page's people are looked up."""
    return [person_summary(G, p) for p in pick(resp.nodes_of(G, Label.PERSON))]


def person_detail(G: nx.MultiDiGraph, ref: str) -> PersonDetail:
    """A person and the tasks of the units they head."""
    person = find_person(G, ref)
    headed = [u for u, e in edges(G, person, Rel.HOLDS) if e.get("title") in resp.HEAD_TITLES]
    seen: dict[str, TaskRow] = {}
    for u in headed:
        for row in resp.tasks_of(G, u):
            seen.setdefault(row.id, row)
    return PersonDetail(
        **person_summary(G, person).model_dump(),
        accountable=list(seen.values()),
        chains=[G.nodes[c].get("name", c) for c, _ in edges(G, person, Rel.LEADS_CHAIN)],
    )


def group_view(G: nx.MultiDiGraph, group: str) -> GroupView:
    """A group with its office, director and members."""
    d = G.nodes[group]
    office = resp.office_of(G, group)  # not every group's offices again: a province has 650
    members = sorted(edges(G, group, Rel.MEMBER_OF, out=False), key=lambda m: m[1].get("order", 0))
    return GroupView(
        id=group,
        name=d["name"],
        region=d.get("region"),
        office=office,
        members=[person_summary(G, m) for m, _ in members if label_of(G, m) == "Person"],
        collective_members=[
            CollectiveMember(
                unit=m, unit_name=G.nodes[m]["name"], text=e["text"], title=e.get("title")
            )
            for m, e in members
            if label_of(G, m) == "Unit" and e.get("text")
        ],
        documents=[doc for doc, _ in edges(G, group, Rel.ESTABLISHES, out=False)],
    )


def groups(
    G: nx.MultiDiGraph, pick: Callable[[list[str]], Sequence[str]] = list
) -> list[GroupView]:
    """Every group, in order of appearance; or those ``pick`` takes of their ids (a page, as
    for :func:`people`): a province's groups are 34 MB of JSON, each a walk of its members."""
    return [group_view(G, g) for g in pick(resp.nodes_of(G, Label.GROUP))]
