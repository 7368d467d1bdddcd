"""The planner's desk: server-rendered pages (Jinja2 templates, local CSS and JS only).

``/`` overview, ``/pages/matrix`` responsibility matrix, ``/pages/units/{id}`` a unit,
``/pages/tasks/{id}`` a task and its source sentence, ``/pages/people/{id}`` a person,
``/pages/chains/{id}`` a chain map with its gaps, ``/pages/explorer`` the graph explorer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api import views
from api.deps import GraphDep, QuestionsDep, SettingsDep
from api.render import ROLE_MARK
from api.routers.gaps import default_town
from api.routers.graph import parse_types
from graph import render
from graph.schema import Label
from queries import responsibility as resp
from queries.answers import Matrix, NodeLink
from queries.gaps import top_gaps

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TIERS = [
    ("upstream", "上游"),
    ("midstream", "中游"),
    ("downstream", "下游"),
    ("services", "配套服务"),
]
ROLE_RANK = {"lead": 3, "responsible": 2, "support": 1}
GLOSS = {
    Label.UNIT.value: "单位",
    Label.PERSON.value: "人员",
    Label.TASK.value: "任务",
    Label.GROUP.value: "领导小组",
    Label.DOCUMENT.value: "文件",
    Label.SECTION.value: "章节",
    Label.MECHANISM.value: "工作机制",
    Label.TOWN.value: "专业镇",
    Label.CHAIN.value: "产业链",
    Label.CHAIN_NODE.value: "产业链环节",
    Label.FIRM.value: "企业",
}
PAGE_OF = {
    Label.UNIT.value: "units",
    Label.TASK.value: "tasks",
    Label.PERSON.value: "people",
    Label.CHAIN.value: "chains",
}


def link(node_id: str, label: str | None = None) -> str:
    """The page of a node (unit, task, person, chain), or its explorer focus."""
    kind = PAGE_OF.get(label or "") or next(
        (page for lab, page in PAGE_OF.items() if node_id.startswith(lab.lower() + ":")), None
    )
    if kind:
        return f"/pages/{kind}/{quote(node_id, safe=':')}"
    return f"/pages/explorer?focus={quote(node_id, safe=':')}&depth=1"


TEMPLATES.env.globals.update(role_mark=ROLE_MARK, link=link, tiers=TIERS)
TEMPLATES.env.filters["urlpart"] = lambda s: quote(str(s), safe=":")

router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, **context: Any) -> HTMLResponse:
    """Render ``templates/<name>`` with ``context``."""
    return TEMPLATES.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, q: QuestionsDep, settings: SettingsDep) -> HTMLResponse:
    """Documents, counts, coverage findings, the group office, top chain gaps."""
    G = views.graph_or_none(q)  # documents and offices need the embedded graph
    chains = []
    for c in q.chains():
        town = c.towns[0].id if len(c.towns) == 1 else None
        report = q.gaps(c.id, town, settings.thin_below)
        chains.append((c, report, top_gaps(report, 5)))
    return page(
        request,
        "overview.html",
        documents=views.documents(G) if G is not None else None,
        counts=q.store.counts(),
        coverage=q.coverage(),
        offices=resp.offices(G) if G is not None else [],
        chains=chains,
        units=[u for u in q.units() if u.task_count][:10],
    )


def matrix_rows(m: Matrix) -> list[dict[str, Any]]:
    """Rows of the matrix page: unit, counts, a role (or None) per task."""
    rows = []
    for u in m.units:
        cells = [u.cells.get(t.id) for t in m.tasks]
        rows.append(
            {
                "unit": u,
                "cells": cells,
                "tasks": sum(1 for c in cells if c),
                "leads": sum(1 for c in cells if c == "lead"),
            }
        )
    return rows


@router.get("/pages/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, q: QuestionsDep) -> HTMLResponse:
    """Units × tasks, sortable, lead marked, with XLSX and CSV downloads."""
    m = q.matrix()
    return page(request, "matrix.html", matrix=m, rows=matrix_rows(m), role_rank=ROLE_RANK)


@router.get("/pages/units", response_class=HTMLResponse)
def units_page(request: Request, q: QuestionsDep) -> HTMLResponse:
    """Every unit with its load and heads."""
    return page(request, "units.html", units=q.units())


@router.get("/pages/units/{id:path}", response_class=HTMLResponse)
def unit_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A unit's tasks across documents, heads, people and group roles."""
    detail = views.unit_detail(G, id)
    by_document = [
        (d, [t for t in detail.tasks if G.nodes[t.id].get("doc") == d.id]) for d in detail.documents
    ]
    return page(request, "unit.html", detail=detail, by_document=by_document)


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


@router.get("/pages/people/{id:path}", response_class=HTMLResponse)
def person_page(request: Request, id: str, G: GraphDep) -> HTMLResponse:
    """A person's posts, groups, and the tasks of the units they head."""
    return page(request, "person.html", detail=views.person_detail(G, id))


@router.get("/pages/chains", response_class=HTMLResponse)
def chains_page(request: Request, q: QuestionsDep) -> Response:
    """The loaded chains (straight to the map when there is only one)."""
    chains = q.chains()
    if len(chains) == 1:
        return RedirectResponse(link(chains[0].id, Label.CHAIN.value))
    return page(request, "chains.html", chains=chains)


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
    return page(
        request,
        "chain.html",
        chain=summary,
        report=report,
        columns=columns,
        supplies=supplies,
        gaps=top_gaps(report, len(report.nodes)),
        town_name=next((t.name for t in summary.towns if t.id == report.town), report.town),
        thin_below=thin_below or settings.thin_below,
    )


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
) -> HTMLResponse:
    """The graph drawn with pyvis, with type filters, search, neighbourhood focus, legend."""
    node = views.resolve_node(q, focus) if focus else None
    kinds = parse_types(types)
    G = node_link_graph(q.neighbourhood(node, depth, kinds))
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
    return HTMLResponse(html)
