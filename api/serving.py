"""Running the app under uvicorn: one process over a store object, or ``--workers N``
processes, each opening the store itself through the import string
``api.serving:app_from_env``.

Each worker holds its own snapshot of the store (see :mod:`api.desk`), so memory grows with
the workers, not with the clients: on a province store one worker is the right choice on a
small machine, several where memory allows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from api.settings import Settings
from graph.store import GraphStore, open_store

if TYPE_CHECKING:
    from fastapi import FastAPI

ENV_DB = "ZHENKG_SERVE_DB"
ENV_STORE = "ZHENKG_SERVE_STORE"
ENV_HOST = "ZHENKG_SERVE_HOST"
FACTORY = "api.serving:app_from_env"


def app_from_env() -> FastAPI:
    """The app over the store named by ``$ZHENKG_SERVE_STORE`` or ``$ZHENKG_SERVE_DB`` (what
    :func:`run` sets for its workers), reading the store in the background."""
    from api.app import create_app

    store = open_store(os.environ.get(ENV_STORE) or None, os.environ.get(ENV_DB) or None)
    hosts = [os.environ[ENV_HOST]] if os.environ.get(ENV_HOST) else []
    return create_app(store, Settings.from_env(), background=True, hosts=hosts)


def run(
    store: GraphStore,
    host: str,
    port: int,
    log_level: str = "info",
    workers: int = 1,
    uri: str | None = None,
) -> None:
    """Serve ``store`` until interrupted; ``workers`` > 1 re-open it in each worker process.

    Raises:
        ValueError: several workers over an in-memory store, which they cannot re-open.
    """
    import uvicorn

    if workers <= 1:
        from api.app import create_app

        app = create_app(store, Settings.from_env(), background=True, hosts=[host])
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    path = getattr(store, "path", None)
    if uri is None and path is None:
        raise ValueError("--workers needs a store the workers can open: a file or a server URI")
    os.environ.pop(ENV_STORE, None)
    os.environ.pop(ENV_DB, None)
    os.environ[ENV_HOST] = host
    if uri is not None:
        os.environ[ENV_STORE] = uri
    else:
        os.environ[ENV_DB] = str(Path(str(path)).resolve())
    store.close()
    uvicorn.run(FACTORY, factory=True, host=host, port=port, log_level=log_level, workers=workers)
