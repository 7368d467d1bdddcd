"""Dependencies of the routes, as ``Annotated`` aliases: store, settings, questions, token.

Reads hold a shared lock for the length of a request and an upload holds it exclusively while
it merges into the store, so no request walks the in-memory graph while an upload changes it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import networkx as nx
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.desk import Desk
from api.errors import GraphUnavailable, InvalidParameter, Unauthorized, UploadsDisabled
from api.settings import ENV, Settings
from graph.errors import NeedsEmbeddedStore
from graph.store import GraphStore
from queries.service import Questions


class GraphLock:
    """Many readers or one writer; a waiting writer holds back new readers.

    Counters under a condition rather than a plain lock, because FastAPI may enter and leave a
    dependency on different threads.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock shared."""
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the lock exclusively."""
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._writing and not self._readers)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def refuse_nul(request: Request) -> None:
    """Refuse a path or query value holding NUL (U+0000), on every store alike.

    No unit, task or name holds one, and FalkorDB's query parser cannot take one, so the
    answer is 422 naming the parameter before any store is asked.

    Raises:
        InvalidParameter: the first parameter holding NUL (422).
    """
    found = [("path", k) for k, v in request.path_params.items() if "\x00" in str(v)]
    found += [("query", k) for k, v in request.query_params.multi_items() if "\x00" in k + v]
    if found:
        where, name = found[0]
        raise InvalidParameter(
            f"{where} parameter {name!r}: holds a NUL character (U+0000), which no name has"
        )


def get_store(request: Request) -> GraphStore:
    """The store the app was created with."""
    store: GraphStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_lock(request: Request) -> GraphLock:
    """The app's reader/writer lock."""
    lock: GraphLock = request.app.state.lock
    return lock


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
LockDep = Annotated[GraphLock, Depends(get_lock)]


def get_desk(request: Request) -> Desk:
    """The app's desk: the snapshot of the store requests answer from."""
    desk: Desk = request.app.state.desk
    return desk


DeskDep = Annotated[Desk, Depends(get_desk)]


def get_questions(store: StoreDep, lock: LockDep, desk: DeskDep) -> Iterator[Questions]:
    """``Questions`` over the desk's snapshot of the store, holding the read lock for the
    request."""
    with lock.reading():
        yield Questions(store, desk.snapshot())


QuestionsDep = Annotated[Questions, Depends(get_questions)]


def get_graph(q: QuestionsDep) -> nx.MultiDiGraph:
    """The embedded graph, for the questions ``Questions`` does not ask yet.

    Raises:
        GraphUnavailable: the store is a Cypher server.
    """
    try:
        return q.graph
    except NeedsEmbeddedStore as exc:
        raise GraphUnavailable(str(exc)) from exc


GraphDep = Annotated[nx.MultiDiGraph, Depends(get_graph)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description=f"The server's {ENV['api_token']}: send `Authorization: Bearer <token>`.",
)


def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let the request through only with the configured bearer token.

    Raises:
        UploadsDisabled: the server has no token configured (403).
        Unauthorized: the token is missing or wrong (401).
    """
    if settings.api_token is None:
        raise UploadsDisabled(
            f"Uploads are disabled on this server: set {ENV['api_token']}=<token> in the "
            "server's environment, restart it, and send 'Authorization: Bearer <token>'"
        )
    if credentials is None:
        raise Unauthorized("Missing bearer token: send 'Authorization: Bearer <token>'")
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if not secrets.compare_digest(credentials.credentials.encode("utf-8"), expected):
        raise Unauthorized("Wrong bearer token")


TokenDep = Annotated[None, Depends(require_token)]
