"""The HTTP API and the planner's pages: ``create_app(store)``.

Everything is served from this host: Swagger UI and ReDoc from fastapi-offline's bundled files,
the pages' CSS and JS from ``api/static``, the explorer's vis-network inline. Government
intranets have no internet access, and the pages must work there.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api import errors, pages
from api.deps import GraphLock
from api.routers import (
    chains,
    coverage,
    documents,
    gaps,
    graph,
    groups,
    matrix,
    people,
    search,
    tasks,
    units,
)
from api.settings import Settings
from graph.store import GraphStore

STATIC = Path(__file__).resolve().parent / "static"
VERSION = "0.1.0"
DESCRIPTION = """\
Responsibility of county plans (责任分工), leading groups, and industry-chain gaps.

Ids hold Chinese and colons (`unit:泽州县:县工业和信息化局`); send them as they are (URL-encoded
by your client). Wherever a unit id is expected, a plain name or an alias (`县工信局`) works too.
Uploads (`POST /documents`) need `Authorization: Bearer <ZHENKG_API_TOKEN>`.

Pages: [overview](/), [matrix](/pages/matrix), [explorer](/pages/explorer).
"""
TAGS = [
    {"name": "documents", "description": "Plans in the store; upload a plan"},
    {"name": "tasks", "description": "Tasks and who is on the hook, with provenance"},
    {"name": "units", "description": "Government units, their tasks, heads and group roles"},
    {"name": "people", "description": "People, their posts and what they answer for"},
    {"name": "groups", "description": "Leading groups (领导小组), office and director"},
    {"name": "matrix", "description": "Units × tasks as JSON, CSV or XLSX"},
    {"name": "coverage", "description": "Where task list and leading group do not meet"},
    {"name": "chains", "description": "Industry chains (产业链) and their towns"},
    {"name": "gaps", "description": "补链 (fill), 延链 (extend), 强链 (strengthen) and owners"},
    {"name": "search", "description": "Nodes by Chinese substring or alias"},
    {"name": "graph", "description": "Neighbourhoods as node-link JSON"},
]


def create_app(store: GraphStore, settings: Settings | None = None) -> FastAPI:
    """The FastAPI app over ``store``.

    Args:
        store: the graph store every route reads (and uploads write).
        settings: defaults to :meth:`Settings.from_env`.
    """
    app = FastAPIOffline(
        title="zhenkg",
        version=VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        # No online validator badge: it would load an image from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0},
    )
    app.state.store = store
    app.state.settings = settings or Settings.from_env()
    app.state.lock = GraphLock()
    errors.install(app)
    for module in (
        documents,
        tasks,
        units,
        people,
        groups,
        matrix,
        coverage,
        gaps,
        chains,
        search,
        graph,
    ):
        app.include_router(module.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
