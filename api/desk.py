"""What the server answers from: one snapshot of the store, refreshed off the request path,
and the JSON bytes of the answers given over it.

A :class:`Desk` holds the :class:`~queries.index.Snapshot` every request reads. Built for
``zhenkg serve`` (``background=True``) it opens the store once at start-up, then a thread
watches the store's version and, when another process writes, reads the new graph and
computes the aggregates (matrix, units, tasks, coverage, chains, and what each chain's page
asks first) before it swaps the new snapshot in: no request waits for the store. An upload
through this server refreshes the desk (without the chain pages') before its response goes
out, so the uploader reads what it wrote. Without
``background`` (``create_app`` in tests and notebooks) each request takes the store's current
snapshot, which is kept while the store's version stays.

:class:`ResponseCache` is ASGI middleware: a GET of a question route answered 200 with JSON is
kept as bytes (and gzipped once when large) on the snapshot it was computed from, and served
from there until the snapshot changes; the cache is bounded in bytes, so memory does not grow
with the number of clients.
"""

from __future__ import annotations

import gc
import gzip
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.store import EmbeddedStore, GraphStore
from queries.index import Snapshot, snapshot_of, store_version

log = logging.getLogger("zhenkg.desk")
CACHED_PREFIXES = (
    "/units",
    "/coverage",
    "/search",
    "/chains",
    "/gaps",
    "/matrix",
    "/tasks",
    "/graph",
    "/documents",
    "/people",
    "/groups",
)
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
GZIP_AT = 1024  # bytes; smaller answers go as they are
CACHE_BYTES = 64 * 1024 * 1024  # per snapshot


def warm(snap: Snapshot, store: GraphStore) -> None:
    """Compute the aggregates every page asks for on ``snap``."""
    from queries.service import Questions

    q = Questions(store, snap)
    for ask in (q.units, q.tasks, q.matrix, q.coverage, q.chains):
        try:
            ask()
        except Exception:  # an empty or odd store: the request will say what is wrong
            log.debug("warming %s failed", getattr(ask, "__name__", ask), exc_info=True)
    _ = snap.index.unit_names, snap.index.searchable


class Desk:
    """The snapshot requests read (``None`` on a Cypher store)."""

    def __init__(
        self,
        store: GraphStore,
        background: bool = False,
        poll: float = 1.0,
        warm_also: Callable[[Snapshot], None] | None = None,
    ) -> None:
        self.store = store
        self.background = background and isinstance(store, EmbeddedStore)
        self.poll = poll
        self.warm_also = warm_also  # more answers to compute before a swap (the chain pages')
        self._snap: Snapshot | None = None
        self._refreshing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def snapshot(self) -> Snapshot | None:
        """The snapshot to answer from now."""
        if not isinstance(self.store, EmbeddedStore):
            return None
        if self.background and self._snap is not None:
            return self._snap
        snap = snapshot_of(self.store)
        self._snap = snap
        return snap

    def refresh(self, pages: bool = True) -> None:
        """Read the store as it is now and compute its aggregates (and with ``pages``, the
        answers of :attr:`warm_also`), then answer from it. A write through this server asks
        without ``pages``: its response waits for the refresh."""
        if not isinstance(self.store, EmbeddedStore):
            return
        with self._refreshing:
            snap = snapshot_of(self.store)
            if snap is not self._snap:
                warm(snap, self.store)
                if pages and self.warm_also is not None:
                    try:
                        self.warm_also(snap)
                    except Exception:  # an odd store: the page asking will say what is wrong
                        log.debug("warming the pages failed", exc_info=True)
                self._snap = snap
                if self.background:
                    _settle()

    def start(self) -> None:
        """Open the store (and, in the background mode, start watching it)."""
        if not self.background:
            return
        self.refresh()
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="zhenkg-desk", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching the store."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                snap = self._snap
                if snap is None or _version(snap) != store_version(self.store):
                    self.refresh()
            except Exception:  # a store briefly unreadable: keep answering from the last one
                log.warning("could not re-read the store", exc_info=True)


def _settle() -> None:
    """Keep the collector's hands off the snapshot: a province graph is millions of objects,
    and every full collection would walk them all, pausing every request for a second.

    The objects alive now (the snapshot and its aggregates) move to the permanent generation
    (``gc.freeze``); first the previous freeze is undone and collected, so a replaced snapshot
    is freed (its graph holds reference cycles that only the collector breaks).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _version(snap: Snapshot) -> Any:
    version = snap.version
    return version[0] if isinstance(version, tuple) else version


class ResponseCache:
    """ASGI middleware serving question routes from bytes kept per snapshot."""

    def __init__(self, app: ASGIApp, desk: Callable[[], Desk]) -> None:
        self.app = app
        self.desk = desk

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        desk = self.desk()
        if scope["method"] in WRITES:
            await self._write(desk, scope, receive, send)
            return
        if scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith(CACHED_PREFIXES) or desk.store is None:
            await self.app(scope, receive, send)
            return
        try:
            snap = desk.snapshot() if desk.background else await run_in_threadpool(desk.snapshot)
        except Exception:  # the route meets the same error and answers it (503 and the like)
            snap = None
        if snap is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (path, scope["query_string"], headers.get(b"accept", b""))
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"")
        kept = responses_of(snap).get(key)
        if kept is None:
            kept, keep = await self._fetch(scope, receive)
            if keep:
                responses_of(snap).put(key, kept.compressed())
        await _send(send, kept, gzip_ok)

    async def _fetch(self, scope: Scope, receive: Receive) -> tuple[_Kept, bool]:
        """Run the route without content coding: its answer, and whether it may be kept."""
        inner = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"],
        }
        messages: list[Message] = []

        async def collect(message: Message) -> None:
            messages.append(message)

        await self.app(inner, receive, collect)
        start = messages[0] if messages else {}
        head = list(start.get("headers", []))
        kind = dict(head).get(b"content-type", b"")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        kept = _Kept(int(start.get("status", 500)), head, body)
        return kept, kept.status == 200 and kind.startswith(b"application/json")

    async def _write(self, desk: Desk, scope: Scope, receive: Receive, send: Send) -> None:
        """A write: its response waits until the desk reads the store anew."""
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        if messages and int(messages[0].get("status", 500)) < 300:
            await run_in_threadpool(desk.refresh, False)
        for message in messages:
            await send(message)


class _Kept:
    """A response kept as bytes (and gzipped, when large)."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status = status
        dropped = {b"content-length", b"content-encoding", b"vary"}
        self.headers = [(k, v) for k, v in headers if k.lower() not in dropped]
        self.body = body
        self.gzipped: bytes | None = None

    def compressed(self) -> _Kept:
        if len(self.body) >= GZIP_AT:
            self.gzipped = gzip.compress(self.body, compresslevel=5)
        return self

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


async def _send(send: Send, kept: _Kept, gzip_ok: bool) -> None:
    body = kept.gzipped if gzip_ok and kept.gzipped is not None else kept.body
    headers = list(kept.headers)
    if kept.gzipped is not None:
        headers.append((b"vary", b"Accept-Encoding"))
        if body is kept.gzipped:
            headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": kept.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Responses:
    """Bytes of the answers over one snapshot, the least recently used dropped first."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self.used = 0
        self.items: OrderedDict[Any, _Kept] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> _Kept | None:
        with self.lock:
            kept = self.items.get(key)
            if kept is not None:
                self.items.move_to_end(key)
            return kept

    def put(self, key: Any, kept: _Kept) -> None:
        if kept.size > self.budget:
            return
        with self.lock:
            old = self.items.pop(key, None)
            self.used -= old.size if old else 0
            self.items[key] = kept
            self.used += kept.size
            while self.used > self.budget:
                _, dropped = self.items.popitem(last=False)
                self.used -= dropped.size


_ATTACH = threading.Lock()


def responses_of(snap: Snapshot) -> _Responses:
    """The response bytes kept on ``snap``."""
    with _ATTACH:
        found = getattr(snap, "_responses", None)
        if found is None:
            found = _Responses()
            snap._responses = found  # type: ignore[attr-defined]
        return found
