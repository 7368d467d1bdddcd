"""What the API and the pages show of documents and tasks, and finding nodes on any store.

Pure functions over the networkx graph, graph first, returning pydantic models. They compose
the answers of ``queries`` (``who``, ``tasks_of``) with the provenance the pages need. Units,
people and groups are in :mod:`api.unit_views`, which shares :func:`label_of` and
:func:`find_node`; both read typed edges with :func:`queries.responsibility.edges`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import networkx as nx

from api.errors import AmbiguousName
from api.leads import lead_of
from api.models import (
    DocumentDetail,
    DocumentRef,
    DocumentSummary,
    Marker,
    TaskDetail,
    UnitOnTask,
    VersionSummary,
)
from api.names import with_aliases
from graph.errors import UnknownNode, UnknownUnit
from graph.schema import Label, Rel
from queries import responsibility as resp
from queries.responsibility import edges
from queries.service import Questions


def label_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """The ``label`` of ``node`` (``None`` when the node is not in the graph)."""
    label = G.nodes[node].get("label") if G.has_node(node) else None
    return str(label) if label is not None else None


def find_node(G: nx.MultiDiGraph, label: Label, ref: str, attrs: tuple[str, ...]) -> str:
    """The ``label`` node ``ref`` names: its id, or the one such node with ``ref`` in ``attrs``.

    Raises:
        AmbiguousName: several nodes match. UnknownNode: none does.
    """
    if label_of(G, ref) == label.value:
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
    return find_node(G, Label.DOCUMENT, ref, ("key", "doc_number", "title", "source", "name"))


def document_ref(G: nx.MultiDiGraph, doc: str) -> DocumentRef:
    """Id, number and title of a document node (the id alone when the node is gone)."""
    d = G.nodes[doc] if G.has_node(doc) else {}
    return DocumentRef(
        id=doc, doc_number=d.get("doc_number"), title=d.get("title") or d.get("name")
    )


def _doc_tasks(G: nx.MultiDiGraph, doc: str) -> list[str]:
    tasks = [t for t in resp.nodes_of(G, Label.TASK) if G.nodes[t].get("doc") == doc]
    return sorted(tasks, key=lambda t: int(G.nodes[t].get("order", 0)))


def document_summary(
    G: nx.MultiDiGraph, doc: str, task_count: int | None = None
) -> DocumentSummary:
    """A document with its task count (counted when not given), groups and towns."""
    d = G.nodes[doc]
    return DocumentSummary(
        **document_ref(G, doc).model_dump(),
        issuer=d.get("issuer"),
        date=d.get("date"),
        region=d.get("region"),
        source=d.get("source"),
        format=d.get("format"),
        task_count=len(_doc_tasks(G, doc)) if task_count is None else task_count,
        groups=[G.nodes[g]["name"] for g, _ in edges(G, doc, Rel.ESTABLISHES)],
        towns=[G.nodes[t]["name"] for t, _ in edges(G, doc, Rel.NAMES_TOWN)],
    )


def documents(
    G: nx.MultiDiGraph, pick: Callable[[list[str]], Sequence[str]] = list
) -> list[DocumentSummary]:
    """Every document, newest first (then by id, descending); or those ``pick`` takes of
    their ids in that order (a page, :meth:`api.paging.Paging.page`)."""
    docs = sorted(
        resp.nodes_of(G, Label.DOCUMENT),
        key=lambda d: (G.nodes[d].get("date") or "", d),
        reverse=True,
    )
    # the tasks counted in one pass: a pass a document is quadratic at province scale
    counts = Counter(G.nodes[t].get("doc") for t in resp.nodes_of(G, Label.TASK))
    return [document_summary(G, d, counts[d]) for d in pick(docs)]


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
    section = next((G.nodes[p].get("title") for p in parents if label_of(G, p) == "Section"), None)
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
