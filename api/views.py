"""What the API and the pages show of documents, tasks, units, people and groups.

Pure functions over the networkx graph, graph first, returning pydantic models. They compose
the answers of ``queries`` (``who``, ``tasks_of``, ``heads``, ``offices``) with the provenance
and the group roles the pages need.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from api.errors import AmbiguousName
from api.leads import lead_of, leads
from api.models import (
    CollectiveMember,
    DocumentDetail,
    DocumentRef,
    DocumentSummary,
    GroupRole,
    GroupView,
    Marker,
    Membership,
    PersonDetail,
    PersonSummary,
    TaskDetail,
    UnitDetail,
    UnitOnTask,
    VersionSummary,
)
from api.names import with_aliases
from graph.errors import UnknownNode, UnknownUnit
from graph.schema import Label, Rel
from queries import responsibility as resp
from queries.answers import Office, PersonPost, TaskRow, UnitSummary
from queries.service import Questions


def edges(G: nx.MultiDiGraph, node: str, rel: Rel, out: bool = True) -> list[tuple[str, Any]]:
    """``(other end, edge data)`` of the ``rel`` edges leaving (or entering) ``node``."""
    view = G.out_edges(node, data=True) if out else G.in_edges(node, data=True)
    return [((v if out else u), d) for u, v, d in view if d.get("type") == rel.value]


def _label(G: nx.MultiDiGraph, node: str) -> str | None:
    label = G.nodes[node].get("label") if G.has_node(node) else None
    return str(label) if label is not None else None


def _find(G: nx.MultiDiGraph, label: Label, ref: str, attrs: tuple[str, ...]) -> str:
    if _label(G, ref) == label.value:
        return ref
    found = [
        n
        for n in resp.nodes_of(G, label)
        if any(G.nodes[n].get(a) == ref for a in attrs if G.nodes[n].get(a))
    ]
    if len(found) > 1:
        raise AmbiguousName(f"{ref!r} names {len(found)} {label.value} nodes: {', '.join(found)}")
    if not found:
        raise UnknownNode(f"No {label.value.lower()} {ref!r}")
    return found[0]


# -- documents ----------------------------------------------------------------------------
def find_document(G: nx.MultiDiGraph, ref: str) -> str:
    """A document by id, key, number, title or source file name."""
    return _find(G, Label.DOCUMENT, ref, ("key", "doc_number", "title", "source", "name"))


def document_ref(G: nx.MultiDiGraph, doc: str) -> DocumentRef:
    """Id, number and title of a document node (the id alone when the node is gone)."""
    d = G.nodes[doc] if G.has_node(doc) else {}
    return DocumentRef(
        id=doc, doc_number=d.get("doc_number"), title=d.get("title") or d.get("name")
    )


def _doc_tasks(G: nx.MultiDiGraph, doc: str) -> list[str]:
    tasks = [t for t in resp.nodes_of(G, Label.TASK) if G.nodes[t].get("doc") == doc]
    return sorted(tasks, key=lambda t: int(G.nodes[t].get("order", 0)))


def document_summary(G: nx.MultiDiGraph, doc: str) -> DocumentSummary:
    """A document with its task count, groups and towns."""
    d = G.nodes[doc]
    return DocumentSummary(
        **document_ref(G, doc).model_dump(),
        issuer=d.get("issuer"),
        date=d.get("date"),
        region=d.get("region"),
        source=d.get("source"),
        format=d.get("format"),
        task_count=len(_doc_tasks(G, doc)),
        groups=[G.nodes[g]["name"] for g, _ in edges(G, doc, Rel.ESTABLISHES)],
        towns=[G.nodes[t]["name"] for t, _ in edges(G, doc, Rel.NAMES_TOWN)],
    )


def documents(G: nx.MultiDiGraph) -> list[DocumentSummary]:
    """Every document, newest first."""
    rows = [document_summary(G, d) for d in resp.nodes_of(G, Label.DOCUMENT)]
    return sorted(rows, key=lambda r: (r.date or "", r.id), reverse=True)


def document_detail(G: nx.MultiDiGraph, ref: str) -> DocumentDetail:
    """A document with its tasks (and their units), sections and mechanisms."""
    doc = find_document(G, ref)
    owned = [(n, d) for n, d in G.nodes(data=True) if d.get("doc") == doc]
    return DocumentDetail(
        **document_summary(G, doc).model_dump(),
        tasks=[resp.task_row(G, t) for t in _doc_tasks(G, doc)],
        sections=[d["name"] for _, d in owned if d.get("label") == Label.SECTION.value],
        mechanisms=[
            d["name"]
            for _, d in sorted(owned, key=lambda nd: int(nd[1].get("order", 0)))
            if d.get("label") == Label.MECHANISM.value
        ],
        cites=list(G.nodes[doc].get("cites") or []),
        versions=document_versions(G, doc),
    )


def document_versions(G: nx.MultiDiGraph, doc: str) -> list[VersionSummary]:
    """The version history stored on a Document node, oldest first."""
    out = []
    for v in G.nodes[doc].get("versions") or []:
        if isinstance(v, dict) and "version" in v:
            out.append(
                VersionSummary(
                    version=int(v["version"]),
                    sha256=v.get("sha256"),
                    source=v.get("source"),
                    task_count=len(v.get("tasks") or []),
                )
            )
    return sorted(out, key=lambda v: v.version)


# -- tasks --------------------------------------------------------------------------------
MARKER = re.compile(r"[〔（(【\[]?\s*(?:责任单位|牵头单位|配合单位|责任部门|牵头部门)[:：]")
OPENERS, CLOSERS, STOPS = "〔（(【[", "〕）)】]", "。；;\n"


def marker_sentence(
    text: str, start: int, unit_spans: list[tuple[int, int]]
) -> tuple[str, tuple[int, int]] | None:
    """The clause of ``text`` that names the units, and its span in the document.

    ``start`` is the document offset of ``text``; ``unit_spans`` are document spans of the unit
    names. Without spans, the first responsibility marker found in the text.

    >>> text = "推进项目。〔责任单位：县甲局、县乙局〕"
    >>> marker_sentence(text, 100, [(111, 114), (115, 118)])
    ('〔责任单位：县甲局、县乙局〕', (105, 119))
    >>> marker_sentence("加强领导。（牵头单位：县甲局）", 0, [])
    ('（牵头单位：县甲局）', (5, 15))
    """
    inside = [(a - start, b - start) for a, b in unit_spans if 0 <= a - start < len(text)]
    if inside:
        lo, hi = min(a for a, _ in inside), max(b for _, b in inside)
        begin = max(text.rfind(c, 0, lo) for c in OPENERS + STOPS)
        if begin >= 0 and text[begin] in STOPS:
            begin += 1
        begin = max(begin, 0)
    else:
        found = MARKER.search(text)
        if found is None:
            return None
        begin, hi = found.start(), found.end()
    ends = [i for i in (text.find(c, hi) for c in CLOSERS + STOPS) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    if end <= len(text) and text[end - 1] in STOPS and text[begin] not in OPENERS:
        end -= 1
    sentence = text[begin:end].strip()
    return (sentence, (start + begin, start + end)) if sentence else None


def task_detail(G: nx.MultiDiGraph, ref: str) -> TaskDetail:
    """A task with units, heads, office, text and the responsibility marker."""
    answer = resp.who(G, ref)
    task = answer.task.id
    d = G.nodes[task]
    stated = {u: e for u, e in edges(G, task, Rel.RESPONSIBLE_FOR, out=False)}
    lead = lead_of(answer.units)
    units = [
        UnitOnTask(
            **u.model_dump(),
            surface=stated.get(u.id, {}).get("surface"),
            span=tuple(stated[u.id]["span"]) if stated.get(u.id, {}).get("span") else None,
            lead=u.id in lead.units,
        )
        for u in answer.units
    ]
    span = tuple(d["span"]) if d.get("span") else None
    text = d.get("text")
    marker = None
    if text and span:
        found = marker_sentence(text, span[0], [u.span for u in units if u.span])
        marker = Marker(sentence=found[0], span=found[1]) if found else None
    parents = [p for p, _ in edges(G, task, Rel.CONTAINS, out=False)]
    section = next((G.nodes[p].get("title") for p in parents if _label(G, p) == "Section"), None)
    return TaskDetail(
        id=task,
        document=document_ref(G, str(d.get("doc", ""))),
        number=d.get("number"),
        full_number=d.get("full_number"),
        title=d.get("title", ""),
        deadline=d.get("deadline"),
        section=section,
        units=units,
        lead_inferred=lead.inferred,
        offices=answer.offices,
        text=text,
        span=span,
        page=d.get("page"),
        marker=marker,
    )


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


def unit_summary(G: nx.MultiDiGraph, unit: str) -> UnitSummary:
    """Load and heads of one unit."""
    rel = edges(G, unit, Rel.RESPONSIBLE_FOR)
    d = G.nodes[unit]
    return UnitSummary(
        id=unit,
        name=d["name"],
        region=d.get("region"),
        kind=d.get("kind"),
        task_count=len({t for t, _ in rel}),
        lead_count=len({t for t, e in rel if e.get("role") == "lead"}),
        heads=resp.heads(G, unit),
    )


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
        unit=unit_summary(G, unit).model_copy(update={"lead_count": len(decided)}),
        tasks=tasks,
        documents=[document_ref(G, d) for d in docs],
        people=people,
        groups=unit_groups(G, unit),
        leads={t: lead.inferred for t, lead in decided.items()},
    )


# -- people and groups --------------------------------------------------------------------
def find_person(G: nx.MultiDiGraph, ref: str) -> str:
    """A person by id or name (409 when namesakes of two regions match)."""
    return _find(G, Label.PERSON, ref, ("name",))


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


def people(G: nx.MultiDiGraph) -> list[PersonSummary]:
    """Every person, in order of appearance."""
    return [person_summary(G, p) for p in resp.nodes_of(G, Label.PERSON)]


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
    office = next(
        (o for o in resp.offices(G, d.get("region")) if o.group == d["name"]),
        Office(group=d["name"], unit=d.get("office_unit")),
    )
    members = sorted(edges(G, group, Rel.MEMBER_OF, out=False), key=lambda m: m[1].get("order", 0))
    return GroupView(
        id=group,
        name=d["name"],
        region=d.get("region"),
        office=office,
        members=[person_summary(G, m) for m, _ in members if _label(G, m) == "Person"],
        collective_members=[
            CollectiveMember(
                unit=m, unit_name=G.nodes[m]["name"], text=e["text"], title=e.get("title")
            )
            for m, e in members
            if _label(G, m) == "Unit" and e.get("text")
        ],
        documents=[doc for doc, _ in edges(G, group, Rel.ESTABLISHES, out=False)],
    )


def groups(G: nx.MultiDiGraph) -> list[GroupView]:
    """Every group."""
    return [group_view(G, g) for g in resp.nodes_of(G, Label.GROUP)]


def unit_ids(q: Questions, ref: str) -> list[str]:
    """Unit ids for an id, name, surface or alias, asked through ``q`` (any store)."""
    return with_aliases(q.unit_ids, ref)


def resolve_node(q: Questions, ref: str) -> str:
    """A node by id, unit name or alias, or the exact name of exactly one node (any store).

    Raises:
        UnknownNode: nothing answers to ``ref``.
        AmbiguousName: a plain name matches several nodes.
    """
    try:
        q.neighbourhood(ref, 0)
        return ref
    except UnknownNode:
        pass
    try:
        units = unit_ids(q, ref)
    except UnknownUnit:
        units = []
    named = units or [h.id for h in q.search(ref, 500) if ref in (h.name, h.matched)]
    if len(named) > 1:
        raise AmbiguousName(f"{ref!r} names {len(named)} nodes: {', '.join(named[:10])}")
    if not named:
        raise UnknownNode(f"No node with id or name {ref!r}")
    return named[0]


def graph_or_none(q: Questions) -> nx.MultiDiGraph | None:
    """The embedded graph, or ``None`` when the store is a Cypher server."""
    return None if q.cypher else q.graph
