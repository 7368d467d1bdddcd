"""One suite over every backend: the same answers as networkx, idempotent loads, document
replacement, injection through names, and the read-only passthrough.

The ``store`` fixture (``tests/conftest.py``) yields an empty networkx, FalkorDB and, with
``NEO4J_URI`` set, Neo4j store; the reference answers come from an in-memory networkx store
loaded with the same fragments.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.cypher_store import CypherStoreBase
from graph.errors import ReadOnlyViolation, UnknownNode, UnknownTask, UnknownUnit, ZhenkgError
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import GraphStore
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file
from queries.service import Questions

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "zezhou-2023-17.txt"
REGION = "泽州县"
NUMBER = "泽政办发〔2023〕17号"


@pytest.fixture(scope="module")
def sample() -> list[Fragment]:
    """The sample plan (with chains, task links and chain leaders) and the sample register."""
    register, _ = register_load(SAMPLE_REGISTER, REGION)
    return [document_fragment(extract_file(SAMPLE)), register]


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Fragment]:
    """A second plan (number 18号) naming 县体育局, and its revision naming 县卫生健康局 instead."""
    text = SAMPLE.read_text(encoding="utf-8").replace(NUMBER, "泽政办发〔2023〕18号")
    folder = tmp_path_factory.mktemp("variants")
    out = {}
    for name, unit in (("second", "县体育局"), ("revised", "县卫生健康局")):
        path = folder / f"{name}.txt"
        path.write_text(text.replace("县教育局", unit), encoding="utf-8")
        out[name] = document_fragment(extract_file(path))
    return out


def _load(store: GraphStore, fragments: list[Fragment]) -> None:
    for fragment in fragments:
        store.load(copy.deepcopy(fragment))


def _reference(fragments: list[Fragment]) -> Questions:
    reference = NetworkxStore(None)
    _load(reference, fragments)
    return Questions(reference)


def _outcome(ask: Callable[[Questions], Any], q: Questions) -> Any:
    try:
        return ask(q)
    except ZhenkgError as exc:
        return (type(exc).__name__, str(exc))


QUESTIONS: dict[str, Callable[[Questions], Any]] = {
    "matrix": lambda q: q.matrix(),
    "tasks": lambda q: q.tasks(),
    "tasks of a unit": lambda q: q.tasks("县工业和信息化局"),
    "tasks of a unit in a region": lambda q: q.tasks("县教育局", REGION),
    "unit ids by id": lambda q: q.unit_ids("unit:泽州县:县教育局"),
    "units": lambda q: q.units(),
    "who by local id": lambda q: q.who("三.5"),
    "who by number": lambda q: q.who("三（一）"),
    "who by title fragment": lambda q: q.who("营商环境"),
    "who, ambiguous": lambda q: q.who("实施"),
    "who, unknown": lambda q: q.who("no such task"),
    "coverage": lambda q: q.coverage(),
    "coverage of a region": lambda q: q.coverage(REGION),
    "search": lambda q: q.search("局"),
    "search, exact first": lambda q: q.search("县教育局", limit=5),
    "search, nothing": lambda q: q.search("   "),
    "neighbourhood": lambda q: q.neighbourhood("unit:泽州县:县教育局", depth=2),
    "neighbourhood by type": lambda q: q.neighbourhood("unit:泽州县:县教育局", 2, ["Task"]),
    "whole graph": lambda q: q.neighbourhood(None),
    "unknown node": lambda q: q.neighbourhood("unit:nowhere"),
}


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_equal_networkx(store: GraphStore, sample: list[Fragment], question: str) -> None:
    _load(store, sample)
    ask = QUESTIONS[question]
    assert _outcome(ask, Questions(store)) == _outcome(ask, _reference(sample))


def test_gaps_equal_networkx(store: GraphStore, sample: list[Fragment]) -> None:
    _load(store, sample)
    q, reference = Questions(store), _reference(sample)
    assert q.chains() == reference.chains()
    for chain, town in [("foundry", "泽州铸造"), ("hawthorn", "泽州山楂红酒"), ("foundry", None)]:
        ours, theirs = q.gaps(chain, town), reference.gaps(chain, town)
        assert ours == theirs, (chain, town)
    for chain, town in [("no such chain", None), ("foundry", "no such town")]:

        def ask(q: Questions, chain: str = chain, town: str | None = town) -> Any:
            return q.gaps(chain, town)

        assert _outcome(ask, q) == _outcome(ask, reference)


def test_loading_twice_changes_nothing(store: GraphStore, sample: list[Fragment]) -> None:
    _load(store, sample)
    once = store.counts()
    _load(store, sample)
    assert store.counts() == once
    assert once == _reference(sample).store.counts()
    assert once["Task"] == 6 and once["edges"] > 100


def test_reingesting_a_changed_document_replaces_only_its_facts(
    store: GraphStore, sample: list[Fragment], variants: dict[str, Fragment]
) -> None:
    first, register = sample
    _load(store, [first, register, variants["second"]])
    q = Questions(store)
    before = q.tasks("县教育局", REGION)
    assert q.unit_ids("县体育局")  # only the second plan names it

    _load(store, [variants["revised"]])
    reference = _reference([first, register, variants["second"], variants["revised"]])
    assert store.counts() == reference.store.counts()
    with pytest.raises(UnknownUnit):  # the revision dropped it, and nothing else names it
        q.unit_ids("县体育局")
    assert len(q.tasks("县卫生健康局")) == len(before)
    # the first plan's facts are untouched
    assert q.tasks("县教育局", REGION) == [t for t in before if NUMBER in t.id]
    for ask in (QUESTIONS["matrix"], QUESTIONS["units"], QUESTIONS["whole graph"]):
        assert ask(q) == ask(reference)


INJECTIONS = [
    "x' }) DETACH DELETE n //",
    '") MATCH (n) DETACH DELETE n',
    "x\\' }) MATCH (n) DETACH DELETE n //",
    "县教育局'}) WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 AS id //",
]


@pytest.mark.parametrize("name", INJECTIONS)
def test_injection_through_names_changes_nothing(
    store: GraphStore, sample: list[Fragment], name: str
) -> None:
    _load(store, sample)
    counts = store.counts()
    q = Questions(store)
    with pytest.raises(UnknownUnit):
        q.unit_ids(name)
    with pytest.raises(UnknownUnit):
        q.tasks(name, region=name)
    with pytest.raises(UnknownTask):
        q.who(name)
    with pytest.raises(UnknownNode):
        q.neighbourhood(name)
    assert q.search(name) == []
    assert q.coverage(name).model_dump() == {
        "task_units_without_group_member": [],
        "group_units_without_task": [],
    }
    assert store.counts() == counts


WRITES = [
    "MATCH (n) DETACH DELETE n",
    "CREATE (n:Unit {id: 'x'})",
    "MATCH (n:Unit) SET n.name = 'x'",
    "merge (n:Unit {id: 'x'}) return n",
    "MATCH (n:Unit) REMOVE n.name",
    "CALL dbms.components()",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
]


def test_passthrough_refuses_writes(store: GraphStore, sample: list[Fragment]) -> None:
    if not isinstance(store, CypherStoreBase):
        pytest.skip("the networkx store answers no Cypher")
    _load(store, sample)
    counts = store.counts()
    for statement in WRITES:
        with pytest.raises(ReadOnlyViolation):
            store.read_only(statement)
    # the server holds reads to reading too, even past the check
    with pytest.raises(ReadOnlyViolation):
        store.read("CREATE (n:Unit {id: 'x'})")
    assert store.counts() == counts
    rows = store.read_only(
        "MATCH (u:Unit {name: $name}) RETURN u.id AS id, 'CREATE' AS word", {"name": "县教育局"}
    )
    assert rows == [{"id": "unit:泽州县:县教育局", "word": "CREATE"}]
