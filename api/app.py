"""The HTTP API and the planner's pages: ``create_app(store)``.

Everything is served from this host: Swagger UI and ReDoc from fastapi-offline's bundled files,
the pages' CSS and JS from ``api/static``, the explorer's vis-network inline (allowed by its
hash, see :mod:`api.guard`). Government intranets have no internet access, and the pages must
work there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

import fastapi_offline
from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.middleware.gzip import GZipMiddleware

from api import errors, pages
from api.deps import GraphLock, refuse_nul
from api.desk import GZIP_AT, Desk, ResponseCache
from api.guard import HostCheck, StrictCsp
from api.routers import (
    chains,
    coverage,
    documents,
    gaps,
    graph,
    groups,
    matrix,
    people,
    progress,
    search,
    tasks,
    units,
)
from api.settings import Settings
from graph.store import GraphStore
from queries.index import Snapshot
from queries.service import Questions

STATIC = Path(__file__).resolve().parent / "static"
OFFLINE = Path(fastapi_offline.__file__).resolve().parent / "static"
# ReDoc's bundle shows a logo fetched from Redocly's CDN; the served copy points it here.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
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
    {"name": "progress", "description": "督办: tasks past their deadline without a report"},
]


@lru_cache(maxsize=1)
def redoc_script() -> bytes:
    """fastapi-offline's ReDoc bundle with its one remote image pointed at our favicon."""
    return (
        (OFFLINE / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, b"/static/favicon.svg")
    )


def add_redoc(app: FastAPI) -> None:
    """``/redoc`` served entirely from this host."""

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}/docs-assets/redoc.standalone.js",
            redoc_favicon_url=f"{root}/static-offline-docs/favicon.png",
            with_google_fonts=False,
        )

    @app.get("/docs-assets/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:
        return Response(
            redoc_script(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )


def create_app(
    store: GraphStore,
    settings: Settings | None = None,
    background: bool = False,
    hosts: Iterable[str] = (),
) -> FastAPI:
    """The FastAPI app over ``store``.

    Args:
        store: the graph store every route reads (and uploads write).
        settings: defaults to :meth:`Settings.from_env`.
        background: read the store at start-up and re-read it in a background thread when
            its version moves, so that no request reads it (``zhenkg serve``); otherwise each
            request takes the store's current snapshot (see :class:`api.desk.Desk`).
        hosts: names the server answers to beyond the loopback ones and the address reached
            (``zhenkg serve --host``); any other ``Host`` is refused (see :mod:`api.guard`).
    """
    settings = settings or Settings.from_env()

    def warm_pages(snap: Snapshot) -> None:
        pages.warm_chain_pages(Questions(store, snap), settings.thin_below)

    desk = Desk(store, background=background, warm_also=warm_pages)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        desk.start()
        try:
            yield
        finally:
            desk.stop()

    app = FastAPIOffline(
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul)],
        redoc_url=None,
        title="zhenkg",
        version=VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        # No online validator badge: it would load an image from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None, "defaultModelsExpandDepth": 0},
    )
    app.state.store = store
    app.state.settings = settings
    app.state.lock = GraphLock()
    app.state.desk = desk
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
        progress,
    ):
        app.include_router(module.router)
    app.include_router(pages.router)
    add_redoc(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(StrictCsp)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_AT)
    app.add_middleware(ResponseCache, desk=lambda: desk)
    # Outermost, so that no answer (a kept one included) reaches a forged Host.
    app.add_middleware(HostCheck, hosts=hosts)
    return app
