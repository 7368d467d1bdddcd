"""Every export format parses back with the right counts; the Cypher script runs on FalkorDB."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.export import export
from graph.falkordb_store import FalkorDBStore
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore, graph_counts
from graph.schema import Label, Rel
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "zezhou-2023-17.txt"
EVIL = "县'教育\"局\\n; `x` }) DETACH DELETE n //\n第二行"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    """The sample plan, chains and register, plus a unit whose name needs every escape."""
    store = NetworkxStore(None)
    register, _ = register_load(SAMPLE_REGISTER, "泽州县")
    for fragment in (document_fragment(extract_file(SAMPLE)), register):
        store.load(copy.deepcopy(fragment))
    evil = Fragment()
    evil.node("unit:evil", Label.UNIT, name=EVIL, region="泽州县", tags=["a", "b"], ok=True)
    evil.edge("unit:evil", "unit:泽州县:县教育局", Rel.MEMBER_OF, "x", origin="test", weight=0.5)
    store.load(evil)
    return store.graph


def test_graphml_reads_back(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    [path] = export(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["unit:evil"]["name"] == EVIL
    assert json.loads(back.nodes["unit:evil"]["tags"]) == ["a", "b"]
    task = next(n for n, d in graph.nodes(data=True) if d["label"] == "Task")
    assert json.loads(back.nodes[task]["span"]) == graph.nodes[task]["span"]
    assert back.nodes[task]["order"] == graph.nodes[task]["order"]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_neo4j_csv_headers_and_counts(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    files = export(graph, "neo4j-csv", tmp_path / "csv")
    nodes = [p for p in files if p.name.startswith("nodes_")]
    rels = [p for p in files if p.name.startswith("rels_")]
    assert (tmp_path / "csv" / "IMPORT.txt") in files
    assert sum(len(_rows(p)) - 1 for p in nodes) == graph.number_of_nodes()
    assert sum(len(_rows(p)) - 1 for p in rels) == graph.number_of_edges()
    for p in nodes:
        assert _rows(p)[0][:2] == ["id:ID", ":LABEL"]
    for p in rels:
        assert _rows(p)[0][:4] == [":START_ID", ":END_ID", ":TYPE", "key"]
    task_header = _rows(tmp_path / "csv" / "nodes_Task.csv")[0]
    assert "order:int" in task_header and "span:int[]" in task_header
    assert "codes:string[]" in _rows(tmp_path / "csv" / "nodes_ChainNode.csv")[0]
    units = _rows(tmp_path / "csv" / "nodes_Unit.csv")
    header, rows = units[0], units[1:]
    evil = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "unit:evil")
    assert evil["name"] == EVIL and evil["ok:boolean"] == "true" and evil["tags:string[]"] == "a;b"


def test_json_reads_back(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    [path] = export(graph, "json", tmp_path / "g.json")
    back = nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="links")
    assert back.is_directed() and back.is_multigraph()
    assert graph_counts(back) == graph_counts(graph)
    assert dict(back.nodes["unit:evil"]) == dict(graph.nodes["unit:evil"])
    assert set(back.edges(keys=True)) == set(graph.edges(keys=True))


@pytest.mark.falkordb
def test_cypher_script_recreates_the_graph(
    graph: nx.MultiDiGraph, tmp_path: Path, falkordb_server: tuple[str, int]
) -> None:
    [path] = export(graph, "cypher", tmp_path / "g.cypher")
    lines = path.read_text("utf-8").splitlines()
    statements = [line.removesuffix(";") for line in lines if not line.startswith("//")]
    assert all(line.endswith(";") for line in lines if not line.startswith("//"))
    # constraints and indexes are Neo4j syntax; the data statements are plain Cypher
    data = [s for s in statements if not s.startswith(("CREATE CONSTRAINT", "CREATE INDEX"))]
    assert len(data) < len(statements)
    host, port = falkordb_server
    store = FalkorDBStore(host, port, graph="export_script")
    try:
        store.drop()
        for statement in data:
            store.graph.query(statement)
        assert store.counts() == graph_counts(graph)
        [row] = store.read("MATCH (u:Unit {id: 'unit:evil'}) RETURN u.name AS name, u.tags AS tags")
        assert row == {"name": EVIL, "tags": ["a", "b"]}
    finally:
        store.drop()
        store.close()
