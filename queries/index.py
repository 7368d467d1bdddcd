"""Indexes over one version of the graph, and the answers cached for that version.

A :class:`Snapshot` pairs a graph with the store version it was read at. Its
:class:`GraphIndex` (label → nodes, unit name and surface → units, heads per unit, the
searchable names) is built piece by piece on first use, so a question costs what its answer
costs rather than a scan of every node and edge. Aggregates over the whole graph (matrix,
units, coverage, chains and their gaps) are cached on the snapshot: a write gives a new
version, hence a new snapshot, and the old answers go with the old one.

The answers are those of the pure functions in :mod:`queries.responsibility`,
:mod:`queries.coverage` and :mod:`queries.search`, which stay the reference (tests compare
both on every store).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from contextlib import suppress
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from graph.errors import UnknownUnit
from graph.schema import Label, Rel, UnitKind
from queries import coverage as cov
from queries import responsibility as resp
from queries.answers import (
    Coverage,
    Hit,
    Matrix,
    MatrixTask,
    MatrixUnit,
    NodeLink,
    PersonPost,
    TaskRow,
)
from queries.search import NameIndex

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")
MAX_ANSWERS = 256  # cached answers per snapshot; the oldest go first


class GraphIndex:
    """Lookups over one graph, each built on first use. Treat the graph as read-only."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self._heads: dict[str, list[PersonPost]] = {}

    @cached_property
    def labels(self) -> dict[str, list[str]]:
        """Node ids per label, in insertion order."""
        out: dict[str, list[str]] = defaultdict(list)
        for n, d in self.G.nodes(data=True):
            out[str(d.get("label", "?"))].append(n)
        return dict(out)

    def nodes_of(self, label: Label) -> list[str]:
        """Ids of the nodes with ``label``, in insertion order (as ``resp.nodes_of``)."""
        return self.labels.get(label.value, [])

    @cached_property
    def unit_names(self) -> dict[str, set[str]]:
        """Unit ids by canonical name and by every surface a document wrote them as."""
        out: dict[str, set[str]] = defaultdict(set)
        G = self.G
        for u in self.nodes_of(Label.UNIT):
            out[str(G.nodes[u].get("name"))].add(u)
            for _, d in resp.edges(G, u, Rel.RESPONSIBLE_FOR):
                out[str(d.get("surface", ""))].add(u)
        return dict(out)

    def unit_ids(self, name: str, region: str | None = None) -> list[str]:
        """As :func:`queries.responsibility.unit_ids`, without scanning every unit.

        Raises:
            UnknownUnit: no such unit.
        """
        G = self.G
        if G.has_node(name) and G.nodes[name].get("label") == Label.UNIT.value:
            return [name]
        found = sorted(
            u
            for u in self.unit_names.get(name, ())
            if region is None or G.nodes[u].get("region") == region
        )
        if not found:
            where = f" in {region}" if region else ""
            raise UnknownUnit(f"No unit named {name!r}{where}")
        return found

    def heads(self, unit: str) -> list[PersonPost]:
        """:func:`queries.responsibility.heads`, computed once per unit."""
        found = self._heads.get(unit)
        if found is None:
            found = self._heads[unit] = resp.heads(self.G, unit)
        return list(found)  # PersonPost is frozen: rows share the kept instances

    def tasks_of(self, unit: str) -> list[TaskRow]:
        """:func:`queries.responsibility.tasks_of` with heads looked up once per unit."""
        return resp.tasks_of(self.G, unit, heads_of=self.heads)

    @cached_property
    def searchable(self) -> NameIndex:
        """The searchable values of every node, in hit order (:class:`queries.search.NameIndex`)."""
        return NameIndex(self.G)

    def search(self, q: str, limit: int = 50) -> list[Hit]:
        """As :func:`queries.search.search`, stopping at the ``limit`` best hits."""
        return self.searchable.search(q, limit)

    def neighbourhood(
        self,
        focus: str | None,
        depth: int = 1,
        types: list[str] | None = None,
        region: str | None = None,
        limit: int | None = None,
    ) -> NodeLink:
        """As :func:`queries.search.neighbourhood` (which walks only the kept nodes' edges)."""
        from queries.search import neighbourhood

        return neighbourhood(self.G, focus, depth, types, region, limit)

    @cached_property
    def coverage_base(self) -> tuple[list[str], list[str]]:
        """Units represented in some group, and units on some task; both by id."""
        G = self.G
        responsible = sorted(
            u for u in self.nodes_of(Label.UNIT) if resp.has_edges(G, u, Rel.RESPONSIBLE_FOR)
        )
        return cov.group_units(G), responsible

    @cached_property
    def task_regions(self) -> dict[str, tuple[str, str | None]]:
        """Task id → (document id, the document's region)."""
        G = self.G
        out = {}
        for t in self.nodes_of(Label.TASK):
            doc = str(G.nodes[t].get("doc") or "")
            region = G.nodes[doc].get("region") if doc and G.has_node(doc) else None
            out[t] = (doc, region)
        return out


def filter_matrix(m: Matrix, keep: Callable[[str], bool] | None = None) -> Matrix:
    """The columns ``keep`` accepts and the rows with a cell among them (``m`` itself when
    ``keep`` is ``None``).

    >>> from queries.answers import MatrixTask
    >>> m = Matrix(tasks=[MatrixTask(id="a", document="d", title="A"),
    ...                   MatrixTask(id="b", document="d", title="B")],
    ...            units=[MatrixUnit(id="u", name="U", cells={"a": "lead"}),
    ...                   MatrixUnit(id="v", name="V", cells={"b": "support"})])
    >>> part = filter_matrix(m, lambda t: t == "b")
    >>> [t.id for t in part.tasks], [u.id for u in part.units]
    (['b'], ['v'])
    """
    if keep is None:
        return m
    tasks = [t for t in m.tasks if keep(t.id)]
    kept = {t.id for t in tasks}
    units = []
    for u in m.units:
        cells = {t: r for t, r in u.cells.items() if t in kept}
        if cells:
            units.append(MatrixUnit(id=u.id, name=u.name, cells=cells))
    return Matrix(tasks=tasks, units=units)


def split_matrix(m: Matrix, doc_of: Callable[[str], str]) -> list[tuple[str, Matrix]]:
    """The matrix cut by the document of each column (``doc_of`` a task id): one
    ``(document, matrix)`` each, in column order; a part has its document's columns and the
    units with a cell among them, in the order of ``m``. One pass over the cells.

    >>> from queries.answers import MatrixTask
    >>> m = Matrix(tasks=[MatrixTask(id=t, document=t[0], title=t) for t in ("a1", "b1", "a2")],
    ...            units=[MatrixUnit(id="u", name="U", cells={"a1": "lead", "b1": "support"}),
    ...                   MatrixUnit(id="v", name="V", cells={"a2": "lead"})])
    >>> [(d, [t.id for t in p.tasks], [(u.id, list(u.cells)) for u in p.units])
    ...  for d, p in split_matrix(m, lambda t: t[0])]
    [('a', ['a1', 'a2'], [('u', ['a1']), ('v', ['a2'])]), ('b', ['b1'], [('u', ['b1'])])]
    """
    parts: dict[str, tuple[list[MatrixTask], dict[str, MatrixUnit]]] = {}
    part_of: dict[str, tuple[list[MatrixTask], dict[str, MatrixUnit]]] = {}
    for t in m.tasks:
        part = parts.setdefault(doc_of(t.id), ([], {}))
        part[0].append(t)
        part_of[t.id] = part
    for u in m.units:
        for task, role in u.cells.items():
            rows = part_of[task][1]
            row = rows.get(u.id)
            if row is None:
                row = rows[u.id] = MatrixUnit(id=u.id, name=u.name, cells={})
            row.cells[task] = role
    return [(d, Matrix(tasks=ts, units=list(rows.values()))) for d, (ts, rows) in parts.items()]


class Snapshot:
    """One version of the store's graph, its index and the answers computed over it."""

    def __init__(
        self, G: nx.MultiDiGraph, version: Hashable, generation: int | None = None
    ) -> None:
        self.G = G
        self.version = version
        self.generation = generation  # the store's write counter when G was read, if known
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    @cached_property
    def index(self) -> GraphIndex:
        """The index over this graph."""
        return GraphIndex(self.G)

    def answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached answer under ``key``, computed once (concurrent askers wait for it).

        Errors are not cached: the next asker computes again.
        """
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[no-any-return]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._answers:
                    return self._answers[key]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._answers[key] = value
                while len(self._answers) > MAX_ANSWERS:
                    self._answers.popitem(last=False)
                self._computing.pop(key, None)
            return value


_SNAPSHOTS: weakref.WeakKeyDictionary[Any, Snapshot] = weakref.WeakKeyDictionary()
_SNAPSHOTS_LOCK = threading.Lock()


def store_version(store: Any) -> Hashable:
    """What changes when the store's contents do: its write counter, when it keeps one."""
    generation = getattr(store, "generation", None)
    return generation() if callable(generation) else None


def snapshot_of(store: Any) -> Snapshot:
    """The snapshot of an embedded store as it is now: the one kept, unless the store changed.

    A change is a new write counter, another graph object, or another node count (the last
    catches nodes added to the graph directly, as tests and notebooks do; counting edges would
    walk every node of a ``MultiDiGraph``).
    """
    graph_at = getattr(store, "graph_at", None)  # the SQLite store: G with its generation
    at, G = graph_at() if graph_at is not None else (None, store.read_graph())
    version = (at if graph_at is not None else store_version(store), G.number_of_nodes())
    with _SNAPSHOTS_LOCK:
        snap = _SNAPSHOTS.get(store)
        if snap is None or snap.G is not G or snap.version != version:
            snap = Snapshot(G, version, at)
            with suppress(TypeError):  # a store that cannot be weakly referenced: no reuse
                _SNAPSHOTS[store] = snap
        return snap


def coverage_of(ix: GraphIndex, region: str | None = None) -> Coverage:
    """As :func:`queries.coverage.coverage`: the units in a group and the units on a task are
    found once per graph, a region only filters them."""
    G = ix.G
    in_group, responsible = ix.coverage_base

    def keep(u: str) -> bool:
        data = G.nodes[u]
        if data.get("kind") == UnitKind.COLLECTIVE.value:
            return False
        return region is None or data.get("region") == region

    members = set(in_group)
    on_task = set(responsible)
    return Coverage(
        task_units_without_group_member=cov.unit_names(
            G, [u for u in responsible if keep(u) and u not in members]
        ),
        group_units_without_task=cov.unit_names(
            G, [u for u in in_group if keep(u) and u not in on_task]
        ),
    )
