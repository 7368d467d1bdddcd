"""The planner's desk: server-rendered pages (Jinja2 templates, local CSS and JS only).

``/`` overview, ``/pages/matrix`` responsibility matrix, ``/pages/units/{id}`` a unit,
``/pages/tasks/{id}`` a task and its source sentence, ``/pages/people/{id}`` a person,
``/pages/chains/{id}`` a chain map with its gaps, ``/pages/explorer`` the graph explorer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api import labels, unit_views, views
from api.basis import basis_text, register_basis
from api.deps import GraphDep, QuestionsDep, SettingsDep
from api.gaptable import gap_lines
from api.leads import Lead, matrix_leads, units_with_leads
from api.lookup import matrix_in
from api.names import check_region
from api.overdue_view import overdue, overdue_first, unit_progress
from api.render import ROLE_MARK
from api.routers.gaps import default_town
from api.routers.graph import parse_types
from graph import render
from graph.errors import AnswerTooLarge
from graph.schema import Label
from queries import responsibility as resp
from queries.answers import Matrix, NodeLink
from queries.gaps import GapReport, top_gaps
from queries.service import Questions

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TIERS = labels.TIERS
ROLE_RANK = {"lead": 3, "responsible": 2, "support": 1}
MATRIX_COLUMNS = 300  # tasks the matrix page shows as one table; wider ones go by document
EXPLORER_NODES = 2_000  # nodes the explorer draws at once: past that a browser's layout stalls
GLOSS = labels.NODE
# The explorer's first view: what a planner orients by; people and chain links unfold on focus.
OVERVIEW_KINDS = [
    Label.DOCUMENT.value,
    Label.GROUP.value,
    Label.UNIT.value,
    Label.CHAIN.value,
    Label.TOWN.value,
]
PAGE_OF = {
    Label.UNIT.value: "units",
    Label.TASK.value: "tasks",
    Label.PERSON.value: "people",
    Label.CHAIN.value: "chains",
    Label.DOCUMENT.value: "documents",
}


def link(node_id: str, label: str | None = None) -> str:
    """The page of a node (unit, task, person, chain), or its explorer focus."""
    kind = PAGE_OF.get(label or "") or next(
        (page for lab, page in PAGE_OF.items() if node_id.startswith(lab.lower() + ":")), None
    )
    if kind:
        return f"/pages/{kind}/{quote(node_id, safe=':')}"
    return f"/pages/explorer?focus={quote(node_id, safe=':')}&depth=1"


TEMPLATES.env.globals.update(
    role_mark=ROLE_MARK,
    link=link,
    tiers=TIERS,
    tier_label=labels.tier_label,
    status_label=labels.status_label,
    node_label=labels.node_label,
    role_label=labels.role_label,
    deadline_kind_label=labels.deadline_kind_label,
    empty_store=labels.EMPTY_STORE,
)
TEMPLATES.env.filters["urlpart"] = lambda s: quote(str(s), safe=":")

router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, **context: Any) -> HTMLResponse:
    """Render ``templates/<name>`` with ``context``."""
    return TEMPLATES.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, q: QuestionsDep, settings: SettingsDep) -> HTMLResponse:
    """Documents, counts, coverage findings, the group office, top chain gaps."""
    G = views.graph_or_none(q)  # documents and offices need the embedded graph
    counts = q.store.counts()
    chains = []
    for c in q.chains():
        town = c.towns[0].id if len(c.towns) == 1 else None
        report = q.gaps(c.id, town, settings.thin_below)
        chains.append((c, report, top_gaps(report, 5)))
    return page(
        request,
        "overview.html",
        documents=views.documents(G) if G is not None else None,
        counts=counts,
        empty=not counts.get(Label.DOCUMENT.value),
        coverage=q.coverage(),
        offices=resp.offices(G) if G is not None else [],
        chains=chains,
        units=[u for u in units_with_leads(q) if u.task_count][:10],
        overdue=overdue(q, date.today()),
    )


def matrix_rows(m: Matrix, decided: dict[str, Lead] | None = None) -> list[dict[str, Any]]:
    """Rows of the matrix page: unit, counts, (role, label) or None per task.

    The role is the one lead rule's (``api.leads``): an inferred lead is ``lead`` with the
    label 牵头（按排序推定）.
    """
    rows = []
    for u in m.units:
        cells: list[tuple[str, str] | None] = []
        for t in m.tasks:
            stated = u.cells.get(t.id)
            lead = (decided or {}).get(t.id)
            if not stated:
                cells.append(None)
            elif lead is None:
                cells.append((stated, labels.role_label(stated)))
            else:
                cells.append((lead.role(u.id, stated), lead.label(u.id, stated)))
        rows.append(
            {
                "unit": u,
                "cells": cells,
                "tasks": sum(1 for c in cells if c),
                "leads": sum(1 for c in cells if c and c[0] == "lead"),
            }
        )
    return rows


@router.get("/pages/matrix", response_class=HTMLResponse)
def matrix_page(
    request: Request,
    q: QuestionsDep,
    region: Annotated[str | None, Query()] = None,
    document: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """Units × tasks, sortable, lead marked, with XLSX and CSV downloads; a store of several
    documents is narrowed by region or document, and a matrix wider than
    :data:`MATRIX_COLUMNS` tasks is offered one document at a time."""
    region, document = region or None, document or None
    m = matrix_in(q, region, document)
    documents = q.documents()  # the select lists every document, whatever the filter
    decided = matrix_leads(q, m)
    wide = len(m.tasks) > MATRIX_COLUMNS  # the choice is a filter
    query = urlencode({k: v for k, v in (("region", region), ("document", document)) if v})
    return page(
        request,
        "matrix.html",
        matrix=m,
        rows=[] if wide else matrix_rows(m, decided),
        wide=wide,
        parts=q.by_document(m) if wide else [],
        columns=MATRIX_COLUMNS,
        documents=documents,
        filterable=len(documents) > 1,
        regions=sorted({d.region for d in documents if d.region}),
        region=region,
        document=document,
        query=f"&{query}" if query else "",
        role_rank=ROLE_RANK,
        inferred=sum(1 for t in m.tasks if (lead := decided.get(t.id)) and lead.inferred),
    )


@router.get("/pages/units", response_class=HTMLResponse)
def units_page(request: Request, q: QuestionsDep) -> HTMLResponse:
    """Every unit with its load and heads."""
    units = units_with_leads(q)
    regions = {u.region for u in units}
    return page(request, "units.html", units=units, regions=len(regions) > 1)


@router.get("/pages/units/{id:path}", response_class=HTMLResponse)
def unit_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A unit's tasks across documents, heads, people and group roles."""
    detail = unit_views.unit_detail(G, id)
    late, latest = unit_progress(G, detail.unit.id, detail.tasks)
    by_document = [
        (d, overdue_first([t for t in detail.tasks if G.nodes[t.id].get("doc") == d.id], late))
        for d in detail.documents
    ]
    return page(
        request, "unit.html", detail=detail, by_document=by_document, late=late, latest=latest
    )


@router.get("/pages/tasks/{id:path}", response_class=HTMLResponse)
def task_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A task, its units and heads, and the sentence that makes them responsible."""
    detail = views.task_detail(G, id)
    parts = None
    if detail.text and detail.span and detail.marker:
        a = detail.marker.span[0] - detail.span[0]
        b = detail.marker.span[1] - detail.span[0]
        parts = (detail.text[:a], detail.text[a:b], detail.text[b:])
    return page(request, "task.html", detail=detail, parts=parts)


@router.get("/pages/documents/{id:path}/diff", response_class=HTMLResponse)
def document_diff_page(
    request: Request,
    id: str,
    q: QuestionsDep,
    a: Annotated[int, Query(ge=1)],
    b: Annotated[int, Query(ge=1)],
) -> HTMLResponse:
    """What version ``b`` of a document states differently from version ``a``."""
    from graph.merge import stored_documents
    from queries.diff import diff_tasks, stored_tasks

    G = q.graph
    doc = views.find_document(G, id)
    index = stored_documents(q.store)
    a_name, a_tasks = stored_tasks(index, f"{doc}@{a}")
    b_name, b_tasks = stored_tasks(index, f"{doc}@{b}")
    return page(
        request,
        "diff.html",
        document=views.document_ref(G, doc),
        diff=diff_tasks(a_tasks, b_tasks, a_name, b_name),
        a=a,
        b=b,
    )


@router.get("/pages/documents/{id:path}", response_class=HTMLResponse)
def document_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A document: its fields, tasks and version history with diff links."""
    return page(request, "document.html", detail=views.document_detail(G, id))


@router.get("/pages/people/{id:path}", response_class=HTMLResponse)
def person_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A person's posts, groups, and the tasks of the units they head."""
    return page(request, "person.html", detail=unit_views.person_detail(G, id))


@router.get("/pages/chains", response_class=HTMLResponse)
def chains_page(request: Request, q: QuestionsDep) -> Response:
    """The loaded chains (straight to the map when there is only one)."""
    chains = q.chains()
    if len(chains) == 1:
        return RedirectResponse(link(chains[0].id, Label.CHAIN.value))
    return page(request, "chains.html", chains=chains, basis=basis_text(register_basis(q)))


@router.get("/pages/chains/{id:path}", response_class=HTMLResponse)
def chain_page(
    request: Request,
    id: str,
    q: QuestionsDep,
    settings: SettingsDep,
    town: Annotated[str | None, Query()] = None,
    thin_below: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> HTMLResponse:
    """Tiers left to right, links coloured by status and action, gaps with their owners."""
    everywhere = town == ""
    chosen = None if everywhere else town or default_town(q, id)
    report = q.gaps(id, chosen, thin_below or settings.thin_below)
    summary = next(c for c in q.chains() if c.id == report.chain)
    G = views.graph_or_none(q)
    supplies = {n.id: supplied(G, n.id) if G is not None else [] for n in report.nodes}
    columns = [(tier, name, [n for n in report.nodes if n.tier == tier]) for tier, name in TIERS]
    registers = register_basis(q)
    sample = any(r.sample for r in registers)
    return page(
        request,
        "chain.html",
        **target_context(q, report, thin_below or settings.thin_below),
        chain=summary,
        report=report,
        columns=columns,
        supplies=supplies,
        gaps=top_gaps(report, len(report.nodes)),
        lines=gap_lines(report),
        basis=basis_text(registers),
        sample=sample,
        firm_word="样本" if sample else "",
        town_name=next((t.name for t in summary.towns if t.id == report.town), report.town),
        thin_below=thin_below or settings.thin_below,
    )


def warm_chain_pages(q: Questions, thin_below: int) -> None:
    """Compute what each chain's page asks first (its town's gaps with their owners, its
    investment targets, the registers' basis) on ``q``'s snapshot, so that the first planner
    to open a chain map after a write does not wait for it (seconds at province scale)."""
    register_basis(q)
    for c in q.chains():
        report = q.gaps(c.id, default_town(q, c.id), thin_below)
        target_context(q, report, thin_below)


def target_context(q: Questions, report: GapReport, thin_below: int) -> dict[str, Any]:
    """The chain page's 招商目标 section: for the town's county only (none for 全部企业)."""
    from api import targets

    if report.town is None:
        return {"targets": None}
    answer = q.targets(report.chain, report.town, thin_below, targets.SHOWN)
    names = {n.id: n.name for n in report.nodes}
    return {
        "targets": answer,
        "targets_text": targets.targets_text(answer),
        "targets_rows": [
            (t, targets.location(t), targets.source(t), targets.partners(t, names))
            for t in answer.targets
        ],
        "targets_xlsx": f"/chains/{quote(report.chain)}/targets?town={quote(report.town)}"
        f"&thin_below={thin_below}&format=xlsx",
        "targets_file": targets.FILE,
        "scale_label": targets.SCALE,
    }


def supplied(G: nx.MultiDiGraph, node: str) -> list[str]:
    """Names of the chain links ``node`` supplies."""
    return [
        str(G.nodes[v].get("name", v))
        for _, v, d in G.out_edges(node, data=True)
        if d.get("type") == "SUPPLIES"
    ]


def node_link_graph(data: NodeLink) -> nx.MultiDiGraph:
    """The graph of a node-link answer (what any store's ``neighbourhood`` returns)."""
    G = nx.MultiDiGraph()
    for n in data.nodes:
        attrs = dict(n)
        G.add_node(attrs.pop("id"), **attrs)
    for link in data.links:
        attrs = dict(link)
        G.add_edge(attrs.pop("source"), attrs.pop("target"), key=attrs.pop("key", None), **attrs)
    return G


@router.get("/pages/explorer", response_class=HTMLResponse)
def explorer_page(
    request: Request,
    q: QuestionsDep,
    focus: Annotated[str | None, Query()] = None,
    depth: Annotated[int, Query(ge=0, le=6)] = 2,
    types: Annotated[list[str] | None, Query()] = None,
    region: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """The graph drawn with pyvis, with type filters, search, neighbourhood focus, legend.

    A view of more than :data:`EXPLORER_NODES` nodes (a province's overview) is not drawn:
    the page says how many and offers its regions to choose from."""
    region = region or None
    regions = sorted({u.region for u in q.units() if u.region})
    if region is not None:
        check_region(regions, region)
    node = views.resolve_node(q, focus) if focus else None
    everything = types == ["all"]
    kinds = None if everything else parse_types(types)
    overview = node is None and kinds is None and not everything
    if overview:
        kinds = OVERVIEW_KINDS
    too_many = None
    try:
        answer = q.neighbourhood(node, depth, kinds, region, EXPLORER_NODES)
    except AnswerTooLarge as e:
        answer, too_many = NodeLink(nodes=[], links=[]), e.size
    G = node_link_graph(answer)
    shown = list(G.nodes)
    present = {str(G.nodes[n].get("label")) for n in shown}
    counts = {lab: sum(1 for n in shown if G.nodes[n].get("label") == lab) for lab in present}
    legend = [
        (lab, GLOSS.get(lab, lab), render.COLOURS[lab], counts[lab])
        for lab in render.COLOURS
        if lab in present
    ]
    env = TEMPLATES.env
    before = env.get_template("explorer_controls.html").render(
        legend=legend,
        focus=node,
        focus_name=G.nodes[node].get("name") if node else None,
        depth=depth,
        total=len(shown),
        types=kinds or [],
        overview=overview,
        region=region,
        regions=regions if len(regions) > 1 else [],
        too_many=too_many,
        most=EXPLORER_NODES,
        type_params=[] if overview else types or [],
    )
    html = render.explorer_html(
        G,
        shown,
        title="图谱浏览 · zhenkg",
        head='<link rel="stylesheet" href="/static/style.css">\n'
        '<link rel="stylesheet" href="/static/explorer.css">\n'
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">',
        before=before,
        after='<script src="/static/explorer.js"></script>',
        height="calc(100vh - 150px)",
    )
    # pyvis's one inline style attribute (explorer.css sets the same): the CSP allows none.
    return HTMLResponse(
        html.replace('<div class="card" style="width: 100%">', '<div class="card">')
    )
