"""The embedded store: a networkx ``MultiDiGraph`` persisted to one JSON file.

Writes are atomic (a temporary file in the same folder, fsync, ``os.replace``; the file keeps
its permissions, and the temporary files of killed saves go at the next write) and serialised
by a lock file beside the store, so a writer killed mid-write leaves the previous file intact
and concurrent ingests into one file lose nothing: each write re-reads the file under the lock,
and :meth:`NetworkxStore.transaction` holds the lock across a read and the writes that depend
on it (versions, citations).

This is the store format before the SQLite store (``graph.sqlite_store``): files in it are
still read and written; ``zhenkg migrate`` copies one into SQLite.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import stat as stat_module
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.claims import GRAPH_KEY
from graph.errors import StoreUnavailable
from graph.fragment import Fragment
from graph.networkx_graph import (
    SHARED_LABELS,
    apply_fragment,
    changed_sources,
    claims_of,
    drop_documents,
    drop_sources,
    new_graph,
)
from graph.schema import Label

if TYPE_CHECKING:
    import networkx as nx
    from filelock import FileLock

# Re-exported: the SQL and Cypher stores share the shared labels, tests build graphs with
# apply_fragment.
__all__ = [
    "FORMAT",
    "SHARED_LABELS",
    "NetworkxStore",
    "apply_fragment",
    "claims_of",
    "graph_counts",
    "graph_from_json",
    "graph_to_json",
    "to_fragment",
]

FORMAT = "zhenkg-networkx/1"
TEMP_PREFIX, TEMP_SUFFIX = ".zhenkg-", ".tmp"
STALE_SECONDS = 3600  # an unnamed temporary file older than this is a killed save's


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class NetworkxStore:
    """File-backed networkx store; ``graph`` is the live ``MultiDiGraph``."""

    name = "networkx"

    def __init__(self, path: Path | str | None = None, lock_timeout: float = 60.0) -> None:
        self.path = Path(path) if path is not None else None
        self.lock_timeout = lock_timeout
        self.graph: nx.MultiDiGraph = new_graph()
        self._stamp: tuple[int, int] | None = None
        self._depth = 0
        self._generation = 0
        if self.path is not None:
            self._reload()

    # -- persistence -------------------------------------------------------------------
    def _lock(self) -> FileLock:
        from filelock import FileLock  # ~20 ms to import, for the JSON store alone

        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=self.lock_timeout)

    def _reload(self) -> None:
        assert self.path is not None
        if not self.path.exists():
            self.graph = new_graph()
            self._stamp = None
            return
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(f"{self.path}: not a readable zhenkg store ({exc})") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreUnavailable(f"{self.path}: not a zhenkg store (format {FORMAT} expected)")
        try:
            self.graph = graph_from_json(data)
        except KeyError as exc:
            raise StoreUnavailable(
                f"{self.path}: not a readable zhenkg store (field {exc} missing)"
            ) from exc
        except (TypeError, ValueError, AttributeError) as exc:
            reason = " ".join(str(exc).split())
            raise StoreUnavailable(
                f"{self.path}: not a readable zhenkg store (malformed: {reason})"
            ) from exc
        self._stamp = stamp
        self._generation += 1

    def _temp_prefix(self) -> str:
        assert self.path is not None
        return f"{TEMP_PREFIX}{self.path.name}."

    def _remove_stale_temps(self) -> None:
        """Remove what killed saves left: this store's temporary files (no save of it runs
        while we hold the lock), and unnamed ones of older versions once an hour old."""
        assert self.path is not None
        mine, now = self._temp_prefix(), time.time()
        for leftover in self.path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            name = leftover.name
            legacy = "." not in name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
            with contextlib.suppress(OSError):
                if name.startswith(mine) or (
                    legacy and now - leftover.stat().st_mtime > STALE_SECONDS
                ):
                    leftover.unlink()

    def _save(self) -> None:
        """Write the graph atomically, keeping the file's permissions.

        Raises:
            StoreUnavailable: the file cannot be written (a full disk, no permission); the
                previous file is left as it was.
        """
        assert self.path is not None
        payload = json.dumps(graph_to_json(self.graph), ensure_ascii=False, separators=(",", ":"))
        self._remove_stale_temps()
        try:
            mode = stat_module.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=self._temp_prefix(), suffix=TEMP_SUFFIX, dir=self.path.parent
            )
            os.fchmod(fd, mode)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            reason = exc.strerror or type(exc).__name__
            raise StoreUnavailable(
                f"{self.path}: cannot write the store ({reason}); it is left as it was"
            ) from exc
        except BaseException:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            raise
        stat = self.path.stat()
        self._stamp = (stat.st_mtime_ns, stat.st_size)

    def refresh(self) -> None:
        """Re-read the file if another process changed it."""
        if self.path is not None:
            self._reload()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the file's lock around the block: re-read the file, run it, write the file.

        Nested calls join the outer one. On an exception nothing is written and the graph is
        read again from the file.

        Raises:
            StoreUnavailable: another writer held the lock longer than ``lock_timeout``.
        """
        if self._depth or self.path is None:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                self._generation += 1  # in memory, or inside the outer block: changed in place
            return
        from filelock import Timeout

        try:
            lock = self._lock()
            lock.acquire()
        except Timeout as exc:
            raise StoreUnavailable(f"{self.path}: locked by another writer") from exc
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise StoreUnavailable(f"{self.path}: cannot lock the store ({reason})") from exc
        self._depth = 1
        try:
            self._reload()
            yield
            self._generation += 1
            self._save()
        except BaseException:
            self._stamp = None
            self._generation += 1
            self._reload()
            raise
        finally:
            self._depth = 0
            lock.release()

    def generation(self) -> int:
        """A number that changes whenever this store's graph is written or read anew."""
        return self._generation

    def _write(self, change: Any) -> None:
        with self.transaction():
            change()

    def read_graph(self) -> nx.MultiDiGraph:
        """The live graph (re-read first if another process changed the file)."""
        if not self._depth:
            self.refresh()
        return self.graph

    # -- GraphStore --------------------------------------------------------------------
    def load(self, fragment: Fragment) -> None:
        """Merge ``fragment`` after dropping the facts of the documents it replaces."""

        def change() -> None:
            drop_documents(self.graph, fragment.docs)
            drop_sources(self.graph, changed_sources(self.graph, fragment))
            apply_fragment(self.graph, fragment)

        self._write(change)

    def remove_documents(self, doc_ids: list[str]) -> None:
        """Drop every fact the documents stated."""
        self._write(lambda: drop_documents(self.graph, doc_ids))

    def counts(self) -> dict[str, int]:
        """Nodes per label, and ``edges``."""
        self.refresh()
        return graph_counts(self.graph)

    def close(self) -> None:
        """Nothing to release: every write already reached the file."""


def graph_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and the number of edges.

    >>> G = new_graph(); G.add_node("u", label="Unit")
    >>> graph_counts(G)
    {'Unit': 1, 'edges': 0}
    """
    counts = dict(sorted(Counter(d.get("label", "?") for _, d in G.nodes(data=True)).items()))
    counts["edges"] = G.number_of_edges()
    return counts


def to_fragment(G: nx.MultiDiGraph) -> Fragment:
    """The whole graph as one fragment, replacing on its target every document and data file
    it holds.

    ``zhenkg push`` loads it into a server: nodes and edges keep their ids and keys, so pushing
    twice changes nothing, and a document re-ingested here replaces its facts there.

    >>> G = new_graph(); G.add_node("doc:x", label="Document", doc="doc:x")
    >>> G.add_node("u", label="Unit"); _ = G.add_edge("doc:x", "u", key="k", type="ISSUED_BY")
    >>> f = to_fragment(G); (sorted(f.nodes), f.edges[0][2], f.docs)
    (['doc:x', 'u'], 'k', ['doc:x'])
    """
    fragment = Fragment()
    for node_id, attrs in G.nodes(data=True):
        fragment.nodes[node_id] = dict(attrs)
        if attrs.get("label") == Label.DOCUMENT.value:
            fragment.docs.append(node_id)
    fragment.edges = [(u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True)]
    fragment.sources = list(
        dict.fromkeys(str(d["origin"]) for *_, d in fragment.edges if d.get("origin"))
    )
    fragment.claims = copy.deepcopy(claims_of(G))
    return fragment


def graph_to_json(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Serialise ``G``: node-link layout, attributes apart from ids, endpoints and keys, and
    the documents' claims on shared nodes."""
    return {
        "format": FORMAT,
        "nodes": [{"id": n, "attrs": d} for n, d in G.nodes(data=True)],
        "edges": [
            {"source": u, "target": v, "key": k, "attrs": d}
            for u, v, k, d in G.edges(keys=True, data=True)
        ],
        "claims": claims_of(G),
    }


def graph_from_json(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Inverse of :func:`graph_to_json` (files written before claims were kept have none).

    Raises:
        KeyError, TypeError, ValueError: a field is missing or of the wrong shape.
    """
    G = new_graph()
    for node in data["nodes"]:
        G.add_node(node["id"], **node["attrs"])
    for edge in data["edges"]:
        G.add_edge(edge["source"], edge["target"], key=edge["key"], **edge["attrs"])
    claims = data.get("claims") or {}
    if not isinstance(claims, dict):
        raise TypeError(f"claims: a map expected, not {type(claims).__name__}")
    G.graph[GRAPH_KEY] = claims
    return G
