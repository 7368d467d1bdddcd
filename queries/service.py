"""One entry point for every question, whatever the store.

``Questions(store)`` answers from the embedded store's graph (``read_graph``: the SQLite store
materialises it from its tables, the JSON store holds it) with the pure networkx functions of
this package, or from a Cypher server with the statements in ``queries/cypher`` (``queries.cypher_path``);
both return the same answer models.

On the embedded store the graph comes as a :class:`~queries.index.Snapshot`: kept across
questions (and across ``Questions`` objects) until the store's version moves, with its
indexes and the aggregates asked so far (matrix, units, coverage, chains, gaps). A server
passes the snapshot it holds (``Questions(store, snapshot)``) so that no request reads the
store. Cached answers are shared between callers: treat what a question returns as
read-only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Hashable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from graph.errors import NeedsEmbeddedStore
from graph.schema import Label
from graph.store import CypherStore, EmbeddedStore, GraphStore
from queries import responsibility as resp
from queries.answers import (
    Coverage,
    Hit,
    Matrix,
    NodeLink,
    TaskRow,
    UnitRole,
    UnitSummary,
    WhoAnswer,
)
from queries.index import Snapshot, coverage_of, filter_matrix, snapshot_of, split_matrix

if TYPE_CHECKING:
    import networkx as nx

    from queries import chains as ch
    from queries import cypher_gaps as cg
    from queries import cypher_matrix as cm
    from queries import cypher_path as cp
    from queries import gap_owners as go
    from queries import gaps
    from queries import progress as prog
    from queries.chains import ChainSummary
    from queries.gaps import GapReport
    from queries.progress import ProgressReport
    from queries.targets import TargetReport
else:
    # The Cypher path and the chain and progress questions are imported when first asked:
    # a query command on the embedded store starts without them.

    class _Lazy:
        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module(self._name), attr)

    ch = _Lazy("queries.chains")
    cg = _Lazy("queries.cypher_gaps")
    cm = _Lazy("queries.cypher_matrix")
    cp = _Lazy("queries.cypher_path")
    go = _Lazy("queries.gap_owners")
    gaps = _Lazy("queries.gaps")
    prog = _Lazy("queries.progress")

T = TypeVar("T")


class DocumentPart(NamedTuple):
    """One document's part of the matrix: its id, title and number (titles repeat across
    counties), and its tasks with the units on them."""

    id: str
    title: str
    number: str | None
    matrix: Matrix


class DocumentRef(NamedTuple):
    """A document of the matrix (one its tasks belong to): id, title, number and region."""

    id: str
    title: str
    number: str | None
    region: str | None


class Questions:
    """The questions zhenkg answers, over one store."""

    def __init__(self, store: GraphStore, snapshot: Snapshot | None = None) -> None:
        self.store = store
        self._snapshot = snapshot

    @classmethod
    def part(cls, store: GraphStore, question: str, *ref: str) -> Questions:
        """Questions over the part of the store's graph that ``question`` depends on, when the
        store reads parts (SQLite: ``SqliteStore.part_at``); else over the whole store.

        Only ``question`` (``"units"``: the tasks of the units named ``ref``; ``"unit_roles"``:
        those tasks and every unit's role on them, but not who heads the units; ``"load"``: as
        ``"units"``, and the groups where the units' people sit; ``"coverage"``; ``"who"``: the
        task ``ref``; ``"search"``: the texts ``ref``) is answered as on the whole graph, and
        nothing is cached beyond this object.
        """
        part_at = getattr(store, "part_at", None)
        found = part_at(question, ref) if part_at is not None else None
        if found is None:
            return cls(store)
        generation, G = found
        return cls(store, Snapshot(G, ("part", question, ref, generation), generation))

    @property
    def generation(self) -> int | None:
        """The store generation the answers of a part were computed at (``None``: unknown)."""
        return self._snapshot.generation if self._snapshot is not None else None

    @property
    def cypher(self) -> CypherStore | None:
        """The store when it answers Cypher (then every question runs on the server)."""
        if isinstance(self.store, CypherStore) and not isinstance(self.store, EmbeddedStore):
            return self.store
        return None

    @property
    def snapshot(self) -> Snapshot:
        """The embedded store's graph with its indexes and cached answers (the one given, else
        the store's current one)."""
        if self._snapshot is not None:
            return self._snapshot
        if not isinstance(self.store, EmbeddedStore):
            raise NeedsEmbeddedStore(
                f"the {self.store.name} store has no in-memory graph: this question needs the "
                "embedded store (--db), not --store"
            )
        return snapshot_of(self.store)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The embedded store's graph (SQLite or JSON file store only)."""
        return self.snapshot.G

    def _cached(self, key: Hashable, compute: Callable[[Snapshot], T]) -> T:
        snap = self.snapshot
        return snap.answer(key, lambda: compute(snap))

    def snapshot_answer(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept with the snapshot's answers on an embedded store (once a store
        version); computed each time on a Cypher store, which keeps no snapshot: for answers
        the interfaces build from the questions (the units with their lead counts)."""
        if self.cypher:
            return compute()
        return self.snapshot.answer(key, compute)

    def unit_ids(self, name: str, region: str | None = None) -> list[str]:
        """Unit ids for a canonical name, a surface seen in documents, or an id."""
        if db := self.cypher:
            return cp.unit_ids(db, name, region)
        return self.snapshot.index.unit_ids(name, region)

    def tasks(self, unit: str | None = None, region: str | None = None) -> list[TaskRow]:
        """All tasks, or those of the units named ``unit``."""
        db = self.cypher
        if unit is None:
            if db:
                return cp.all_tasks(db)
            # heads looked up once a unit, not once for each task it is on
            return self._cached("tasks", lambda s: resp.all_tasks(s.G, s.index.heads))
        rows: list[TaskRow] = []
        for u in self.unit_ids(unit, region):
            rows.extend(cp.tasks_of(db, u) if db else self.snapshot.index.tasks_of(u))
        return rows

    def task_page(self, offset: int = 0, limit: int | None = None) -> tuple[int, list[TaskRow]]:
        """How many tasks there are, and :meth:`tasks` from ``offset`` on, at most ``limit``
        (a Cypher store builds the rows of those tasks only)."""
        if db := self.cypher:
            return cp.task_page(db, offset, limit)
        rows = self.tasks()
        return len(rows), rows[offset : None if limit is None else offset + limit]

    def units(self) -> list[UnitSummary]:
        """Units with task counts, most loaded first."""
        if db := self.cypher:
            return cp.unit_summaries(db)
        return self._cached("units", lambda s: resp.unit_summaries(s.G))

    def matrix(
        self, region: str | None = None, document: str | Collection[str] | None = None
    ) -> Matrix:
        """Units × tasks; with ``region`` or ``document`` (an id, or ids) only their tasks and
        the units on them.

        A region keeps the tasks of its documents; on a Cypher store the server narrows the
        matrix (only the tasks kept and the units on them are read).
        """
        if isinstance(document, str):
            document = (document,)
        if db := self.cypher:
            docs = None if document is None else set(document)
            if region is not None:
                of_region = cm.region_documents(db, region)
                docs = set(of_region) if docs is None else docs.intersection(of_region)
            return cm.matrix(db, None if docs is None else sorted(docs))
        full = self._cached("matrix", lambda s: resp.matrix(s.G))
        keep = None
        if region is not None or document is not None:
            where = self.snapshot.index.task_regions
            docs = None if document is None else set(document)

            def keep(task: str) -> bool:
                doc, doc_region = where.get(task, ("", None))
                return (region is None or doc_region == region) and (docs is None or doc in docs)

        return filter_matrix(full, keep)

    def task_units(self, tasks: Collection[str]) -> dict[str, list[UnitRole]]:
        """The units on each of ``tasks`` (ids), in answer order: what the lead rule reads."""
        if db := self.cypher:
            return cp.units_on(db, list(tasks))
        wanted = set(tasks)
        return {t.id: t.units for t in self.tasks() if t.id in wanted}

    def document_regions(self) -> set[str | None]:
        """The regions of the documents' tasks (``None`` for a document without one)."""
        if db := self.cypher:
            return {r["region"] for r in cm.matrix_documents(db)}
        return {region for _, region in self.snapshot.index.task_regions.values()}

    def documents(self) -> list[DocumentRef]:
        """The documents of the matrix's columns, in column order."""
        if db := self.cypher:
            rows = cm.matrix_documents(db)
            return [DocumentRef(r["doc"], r["title"], r["number"], r["region"]) for r in rows]
        return self._cached("documents", lambda s: self._documents(s))

    def _documents(self, snap: Snapshot) -> list[DocumentRef]:
        where = {doc: region for doc, region in snap.index.task_regions.values()}
        columns = Matrix.model_construct(tasks=self.matrix().tasks, units=[])
        return [
            DocumentRef(p.id, p.title, p.number, where[p.id]) for p in self.by_document(columns)
        ]

    def by_document(self, m: Matrix) -> list[DocumentPart]:
        """The matrix ``m`` (of this store) one document at a time, in column order."""
        if db := self.cypher:
            of_task = cm.task_documents(db, [t.id for t in m.tasks])

            def doc_of(task: str) -> str:
                return str(of_task[task]["doc"])

            def fields(task: str) -> tuple[Any, Any]:
                return of_task[task]["name"], of_task[task]["number"]
        else:
            where, nodes = self.snapshot.index.task_regions, self.snapshot.G.nodes

            def doc_of(task: str) -> str:
                return where[task][0]

            def fields(task: str) -> tuple[Any, Any]:
                d = nodes.get(where[task][0], {})
                return d.get("name"), d.get("doc_number")

        out = []
        for doc, part in split_matrix(m, doc_of):
            name, number = fields(part.tasks[0].id)  # the document's fields, from its first task
            out.append(DocumentPart(doc, str(name or part.tasks[0].document), number, part))
        return out

    def who(self, task: str) -> WhoAnswer:
        """Units, heads and group office for a task."""
        if db := self.cypher:
            return cp.who(db, task)
        return resp.who(self.graph, task)

    def coverage(self, region: str | None = None) -> Coverage:
        """Coverage findings."""
        if db := self.cypher:
            return cp.coverage(db, region)
        return self._cached(("coverage", region), lambda s: coverage_of(s.index, region))

    def search(self, q: str, limit: int = 50) -> list[Hit]:
        """Nodes by name."""
        if db := self.cypher:
            return cp.search(db, q, limit)
        return self.snapshot.index.search(q, limit)

    def chains(self) -> list[ChainSummary]:
        """Loaded chains with the towns that feature them."""
        if db := self.cypher:
            return cg.chain_summaries(db)
        return self._cached("chains", lambda s: ch.chain_summaries(s.G))

    def _chain_id(self, chain: str) -> str:
        """The id of the chain ``chain`` names (id, key, name or English name), so that every
        name of a chain shares one kept answer; ``chain`` itself when none answers to it (the
        question then says so)."""
        named = ch.named_chain(self.chains(), chain)
        return named.id if named else chain

    def gaps(self, chain: str, town: str | None = None, thin_below: int = 2) -> GapReport:
        """Every node of a chain classified (补链/延链/强链) with the tasks, units and people on it."""
        if db := self.cypher:
            return cg.attach_owners(db, cg.chain_gaps(db, chain, town, thin_below))
        return self._cached(
            ("gaps", self._chain_id(chain), town, thin_below),
            lambda s: go.attach_owners(s.G, gaps.chain_gaps(s.G, chain, town, thin_below)),
        )

    def targets(
        self, chain: str, town: str | None = None, thin_below: int = 2, top: int | None = None
    ) -> TargetReport:
        """Firms of other regions' registers on the gaps of a town's chain (招商目标); the town
        defaults to the one featuring the chain."""
        from queries import cypher_targets, targets

        town = town or targets.home_town(self.chains(), chain)
        report = self.gaps(chain, town, thin_below)
        if db := self.cypher:
            return cypher_targets.chain_targets(db, report, top)
        return self._cached(
            ("targets", self._chain_id(chain), town, thin_below, top),
            lambda s: targets.chain_targets(s.G, report, top),
        )

    def neighbourhood(
        self,
        focus: str | None,
        depth: int = 1,
        types: list[str] | None = None,
        region: str | None = None,
        limit: int | None = None,
    ) -> NodeLink:
        """Node-link JSON around ``focus`` (the whole graph without one), narrowed to node
        ``types`` and a ``region``; more than ``limit`` nodes raise ``AnswerTooLarge``."""
        if db := self.cypher:
            return cp.neighbourhood(db, focus, depth, types, region, limit)
        return self.snapshot.index.neighbourhood(focus, depth, types, region, limit)

    def nodes(self, label: Label) -> list[dict[str, Any]]:
        """Every node with ``label``: its attributes and ``id``."""
        if db := self.cypher:
            rows = cp.run(db, "list_labelled_nodes", label=label.value)
            return [{**r["props"], "id": r["id"], "label": label.value} for r in rows]
        G = self.snapshot.G
        return [{**G.nodes[n], "id": n} for n in self.snapshot.index.nodes_of(label)]

    def progress(self) -> dict[str, list[ProgressReport]]:
        """Task id → its progress reports (督办), oldest first."""
        if db := self.cypher:
            return cp.progress_reports(db)
        return self._cached("progress", lambda s: prog.progress_reports(s.G))

    def task_versions(self) -> dict[str, tuple[str | None, int | None]]:
        """Task id → (its document id, the document's current version)."""
        if db := self.cypher:
            return cp.task_versions(db)
        return prog.task_versions(self.graph)
