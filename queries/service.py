"""One entry point for every question, whatever the store.

``Questions(store)`` answers from the embedded store's graph (``read_graph``: the SQLite store
materialises it from its tables, the JSON store holds it) with the pure networkx functions of
this package, or from a Cypher server with the statements in ``queries/cypher`` (``queries.cypher_path``);
both return the same answer models.
"""

from __future__ import annotations

import networkx as nx

from graph.errors import NeedsEmbeddedStore
from graph.store import CypherStore, EmbeddedStore, GraphStore
from queries import coverage as cov
from queries import cypher_gaps as cg
from queries import cypher_path as cp
from queries import gaps
from queries import responsibility as resp
from queries import search as srch
from queries.answers import Coverage, Hit, Matrix, NodeLink, TaskRow, UnitSummary, WhoAnswer
from queries.gaps import ChainSummary, GapReport


class Questions:
    """The questions zhenkg answers, over one store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @property
    def cypher(self) -> CypherStore | None:
        """The store when it answers Cypher (then every question runs on the server)."""
        if isinstance(self.store, CypherStore) and not isinstance(self.store, EmbeddedStore):
            return self.store
        return None

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The embedded store's graph (SQLite or JSON file store only)."""
        if not isinstance(self.store, EmbeddedStore):
            raise NeedsEmbeddedStore(
                f"the {self.store.name} store has no in-memory graph: this question needs the "
                "embedded store (--db), not --store"
            )
        return self.store.read_graph()

    def unit_ids(self, name: str, region: str | None = None) -> list[str]:
        """Unit ids for a canonical name, a surface seen in documents, or an id."""
        if db := self.cypher:
            return cp.unit_ids(db, name, region)
        return resp.unit_ids(self.graph, name, region)

    def tasks(self, unit: str | None = None, region: str | None = None) -> list[TaskRow]:
        """All tasks, or those of the units named ``unit``."""
        db = self.cypher
        if unit is None:
            return cp.all_tasks(db) if db else resp.all_tasks(self.graph)
        rows: list[TaskRow] = []
        for u in self.unit_ids(unit, region):
            rows.extend(cp.tasks_of(db, u) if db else resp.tasks_of(self.graph, u))
        return rows

    def units(self) -> list[UnitSummary]:
        """Units with task counts, most loaded first."""
        if db := self.cypher:
            return cp.unit_summaries(db)
        return resp.unit_summaries(self.graph)

    def matrix(self) -> Matrix:
        """Units × tasks."""
        if db := self.cypher:
            return cp.matrix(db)
        return resp.matrix(self.graph)

    def who(self, task: str) -> WhoAnswer:
        """Units, heads and group office for a task."""
        if db := self.cypher:
            return cp.who(db, task)
        return resp.who(self.graph, task)

    def coverage(self, region: str | None = None) -> Coverage:
        """Coverage findings."""
        if db := self.cypher:
            return cp.coverage(db, region)
        return cov.coverage(self.graph, region)

    def search(self, q: str, limit: int = 50) -> list[Hit]:
        """Nodes by name."""
        if db := self.cypher:
            return cp.search(db, q, limit)
        return srch.search(self.graph, q, limit)

    def chains(self) -> list[ChainSummary]:
        """Loaded chains with the towns that feature them."""
        if db := self.cypher:
            return cg.chain_summaries(db)
        return gaps.chain_summaries(self.graph)

    def gaps(self, chain: str, town: str | None = None, thin_below: int = 2) -> GapReport:
        """Every node of a chain classified (补链/延链/强链) with the tasks, units and people on it."""
        if db := self.cypher:
            return cg.attach_owners(db, cg.chain_gaps(db, chain, town, thin_below))
        G = self.graph
        return gaps.attach_owners(G, gaps.chain_gaps(G, chain, town, thin_below))

    def neighbourhood(
        self, focus: str | None, depth: int = 1, types: list[str] | None = None
    ) -> NodeLink:
        """Node-link JSON around ``focus``."""
        if db := self.cypher:
            return cp.neighbourhood(db, focus, depth, types)
        return srch.neighbourhood(self.graph, focus, depth, types)
