"""Facts belong to their documents: what a document states about a shared node (a Group's
office and the posts directing it, a Unit's kind) is kept per document, and the node shows
what the documents that remain derive.

The property: any order of ingests and removals over a few small invented plans — two sharing
a group with different offices, one naming the group with no office, one without a number, one
of another region, citations between them — leaves every store equal to a fresh store of the
same backend holding the surviving documents, node for node, edge for edge, with the same
answers (``who``, ``units``, ``coverage``) as a fresh networkx store.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import record_fragment
from graph.claims import GRAPH_KEY
from graph.errors import UnknownNode
from graph.fragment import Fragment
from graph.merge import load_document, remove_document
from graph.networkx_store import NetworkxStore
from graph.record import (
    CollectiveMember,
    DocumentFields,
    Group,
    Member,
    OfficePost,
    Position,
    Record,
    Task,
    TaskUnit,
)
from graph.schema import Label, Rel, Role, group_id, unit_id
from graph.sqlite_store import SqliteStore
from graph.store import CypherStore, EmbeddedStore, GraphStore
from queries.service import Questions

REGION = "甲县"
GROUP = "专业镇高质量发展工作领导小组"
GID = group_id(REGION, GROUP)

StoreFactory = Callable[[], contextlib.AbstractContextManager[GraphStore]]


def _unit(name: str, role: Role) -> TaskUnit:
    return TaskUnit(name=name, surface=name, role=role)


def _task(n: int, *units: TaskUnit) -> Task:
    return Task(
        id=f"一.{n}", number=f"（{n}）", title=f"任务{n}", units=list(units), span=(n, n + 1)
    )


def _doc(
    number: str | None,
    date: str | None,
    *,
    region: str = REGION,
    tasks: list[Task],
    groups: list[Group],
    cites: list[str] | None = None,
    sha: str,
) -> Record:
    return Record(
        document=DocumentFields(
            doc_number=number,
            date=date,
            region=region,
            issuer=f"{region}人民政府办公室",
            title=f"{region}方案{number or sha}",
            source=f"{sha}.txt",
            sha256=sha * 16,
            cites=cites or [],
        ),
        tasks=tasks,
        groups=groups,
    )


LEAD, SUPPORT, RESP = Role.LEAD, Role.SUPPORT, Role.RESPONSIBLE

DOCS: list[Record] = [
    # A: the group's office at 县工信局, directed by its 局长
    _doc(
        "甲政办发〔2023〕1号",
        "2023-03-01",
        tasks=[_task(1, _unit("县工业和信息化局", LEAD), _unit("县发展和改革局", SUPPORT))],
        groups=[
            Group(
                name=GROUP,
                office_unit="县工业和信息化局",
                office_director=OfficePost(title="局长", unit="县工业和信息化局"),
                members=[
                    Member(
                        name="张三",
                        role="组长",
                        positions=[Position(title="局长", unit="县工业和信息化局")],
                    )
                ],
            )
        ],
        sha="a",
    ),
    # B, later: the same group with its office at 县发展和改革局; cites A
    _doc(
        "甲政办发〔2023〕2号",
        "2023-05-01",
        tasks=[_task(1, _unit("县发展和改革局", LEAD)), _task(2, _unit("县商务局", RESP))],
        groups=[
            Group(
                name=GROUP,
                office_unit="县发展和改革局",
                office_director=OfficePost(title="局长", unit="县发展和改革局"),
                office_deputy_director=OfficePost(title="副局长", unit="县工业和信息化局"),
                members=[
                    Member(
                        name="李四",
                        role="组长",
                        positions=[Position(title="局长", unit="县发展和改革局")],
                    )
                ],
                collective_members=[CollectiveMember(text="各乡镇镇长", unit="各乡镇人民政府")],
            )
        ],
        cites=["甲政办发〔2023〕1号"],
        sha="b",
    ),
    # C, undated: names the group but no office; cites a plan nobody ingests, and B
    _doc(
        "甲政办发〔2023〕3号",
        None,
        tasks=[_task(1, _unit("市生态环境局甲县分局", LEAD), _unit("县商务局", SUPPORT))],
        groups=[Group(name=GROUP, members=[Member(name="张三", role="副组长")])],
        cites=["晋政办发〔2022〕80号", "甲政办发〔2023〕2号"],
        sha="c",
    ),
    # D, no number (known by its hash), dated as B: an office at 县商务局, no director
    _doc(
        None,
        "2023-05-01",
        tasks=[_task(1, _unit("县商务局", LEAD))],
        groups=[Group(name=GROUP, office_unit="县商务局")],
        cites=["晋政办发〔2022〕80号"],
        sha="d",
    ),
    # E, another county: a group of the same name is another node
    _doc(
        "乙政办发〔2023〕9号",
        "2023-01-01",
        region="乙县",
        tasks=[_task(1, _unit("县工业和信息化局", LEAD))],
        groups=[Group(name=GROUP, office_unit="县工业和信息化局")],
        cites=["甲政办发〔2023〕1号"],
        sha="e",
    ),
]
TASKS = ["甲政办发〔2023〕1号:一.1", "甲政办发〔2023〕2号:一.2", "甲政办发〔2023〕3号:一.1"]


# -- stores ----------------------------------------------------------------------------------
@contextlib.contextmanager
def _embedded(kind: str) -> Iterator[GraphStore]:
    with tempfile.TemporaryDirectory(prefix="zhenkg-claims-") as folder:
        if kind == "json":
            yield NetworkxStore(Path(folder) / "graph.json")
            return
        sqlite = SqliteStore(Path(folder) / "graph.db")
        try:
            yield sqlite
        finally:
            sqlite.close()


@pytest.fixture(
    params=[
        "sqlite",
        "json",
        pytest.param("falkordb", marks=pytest.mark.falkordb),
        *(["neo4j"] if os.environ.get("NEO4J_URI") else []),
    ]
)
def new_store(request: pytest.FixtureRequest) -> StoreFactory:
    """Makes an empty store of one backend each time it is called (hypothesis runs many)."""
    kind = str(request.param)
    if kind in ("sqlite", "json"):
        return lambda: _embedded(kind)
    if kind == "falkordb":
        from graph.falkordb_store import FalkorDBStore

        host, port = request.getfixturevalue("falkordb_server")

        @contextlib.contextmanager
        def falkordb() -> Iterator[GraphStore]:
            db = FalkorDBStore(host, port, graph=f"claims_{uuid.uuid4().hex[:12]}", batch_size=5)
            try:
                yield db
            finally:
                db.drop()
                db.close()

        return falkordb

    from graph.neo4j_store import Neo4jStore

    @contextlib.contextmanager
    def neo4j() -> Iterator[GraphStore]:
        db = Neo4jStore.from_uri(os.environ["NEO4J_URI"], batch_size=5)
        db.drop()
        try:
            yield db
        finally:
            db.drop()
            db.close()

    return neo4j


# -- what a store holds ----------------------------------------------------------------------
def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def contents(store: GraphStore) -> tuple[dict[str, str], set[str], str]:
    """Every node with its attributes, every edge with its, and the claims, canonically."""
    if isinstance(store, EmbeddedStore):
        G: nx.MultiDiGraph = store.read_graph()
        nodes = {n: _canon(d) for n, d in G.nodes(data=True)}
        edges = {_canon([u, v, k, d]) for u, v, k, d in G.edges(keys=True, data=True)}
        return nodes, edges, _canon(G.graph.get(GRAPH_KEY) or {})
    assert isinstance(store, CypherStore)
    # _write: the raw properties, hidden claims included
    write = store._write  # type: ignore[attr-defined]
    nodes = {
        r["id"]: _canon({"label": r["label"], **r["props"]})
        for r in write("MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props")
    }
    edges = {
        _canon([r["a"], r["b"], r["type"], r["props"]])
        for r in write(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, b.id AS b, type(r) AS type, "
            "properties(r) AS props"
        )
    }
    return nodes, edges, ""


def answers(store: GraphStore) -> list[Any]:
    """What planners ask that shared nodes decide: who is on a task (with the group office),
    the units (with their kind), coverage."""
    q = Questions(store)
    out: list[Any] = [q.units(), q.coverage()]
    for task in TASKS:
        try:
            out.append(q.who(f"task:{REGION}:{task}"))
        except UnknownNode as exc:
            out.append(str(exc))
        except Exception as exc:  # an unknown task: the same error on every store
            out.append((type(exc).__name__, str(exc)))
    return out


@contextlib.contextmanager
def fresh_store(new_store: StoreFactory, survivors: list[int]) -> Iterator[GraphStore]:
    """A new store of the same backend into which only ``survivors`` were ingested."""
    with new_store() as fresh:
        for i in survivors:
            load_document(fresh, DOCS[i])
        yield fresh


Op = tuple[str, int]
OPS = st.lists(
    st.tuples(st.sampled_from(["ingest", "remove"]), st.integers(0, len(DOCS) - 1)), max_size=12
)


def run_ops(store: GraphStore, ops: list[Op]) -> list[int]:
    """Apply the operations; the documents held at the end, in index order."""
    held: set[int] = set()
    for op, i in ops:
        record = DOCS[i]
        if op == "ingest":
            load_document(store, record)
            held.add(i)
        elif i in held:
            remove_document(store, record_fragment(record).docs[0])
            held.discard(i)
    return sorted(held)


def _reference(survivors: list[int]) -> NetworkxStore:
    reference = NetworkxStore(None)
    for i in survivors:
        load_document(reference, DOCS[i])
    return reference


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_any_order_of_ingest_and_remove_equals_a_fresh_store(
    new_store: StoreFactory, ops: list[Op]
) -> None:
    with new_store() as store:
        survivors = run_ops(store, ops)
        with fresh_store(new_store, survivors) as fresh:
            assert contents(store) == contents(fresh)
        assert answers(store) == answers(_reference(survivors))


def test_the_office_follows_the_documents_that_remain(new_store: StoreFactory) -> None:
    """The issue's case: after removing one of two plans, ``who`` names the office only the
    remaining one states; the newer plan's office shows, whichever came in last."""
    a, b, c = (record_fragment(DOCS[i]).docs[0] for i in range(3))
    task = f"task:{REGION}:甲政办发〔2023〕3号:一.1"
    with new_store() as store:
        for i in (1, 0, 2):
            load_document(store, DOCS[i])
        offices = Questions(store).who(task).offices
        assert [(o.group, o.unit) for o in offices] == [(GROUP, "县发展和改革局")]
        remove_document(store, b)
        office = Questions(store).who(task).offices[0]
        assert (office.unit, office.director and office.director.title) == (
            "县工业和信息化局",
            "局长",
        )
        assert office.deputy_director is None  # only the removed plan named a deputy
        remove_document(store, a)
        office = Questions(store).who(task).offices[0]
        assert (office.unit, office.director, office.deputy_director) == (None, None, None)
        remove_document(store, c)
        assert Questions(store).units() == []


def test_a_unit_shows_the_kind_its_documents_state(new_store: StoreFactory) -> None:
    """Kinds stated differently by two documents: the later document's shows, and the other's
    once it is removed; the claims never show as attributes."""
    uid = unit_id(REGION, "县某中心")

    def plan(doc: str, date: str, kind: str) -> Fragment:
        f = Fragment(docs=[doc])
        f.node(doc, Label.DOCUMENT, name=doc, doc=doc, date=date)
        f.node(uid, Label.UNIT, name="县某中心", region=REGION)
        f.claim(uid, doc, date, kind=kind)
        f.edge(doc, uid, Rel.ISSUED_BY, doc=doc)
        return f

    with new_store() as store:
        store.load(plan("doc:y", "2023-02-01", "upper"))
        store.load(plan("doc:x", "2023-01-01", "bureau"))
        [unit] = Questions(store).units()
        assert unit.kind == "upper"
        store.remove_documents(["doc:y"])
        [unit] = Questions(store).units()
        assert unit.kind == "bureau"
        view = Questions(store).neighbourhood(uid, depth=0).nodes[0]
        assert view["kind"] == "bureau" and "_claims" not in view and "claims" not in view
