"""Shared by the many-documents tests: the fixture plans, an edited sample, graph snapshots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graph.networkx_store import NetworkxStore
from graph.sqlite_store import SqliteStore
from graph.store import EmbeddedStore, GraphStore
from ingest.batch import BatchReport, ingest_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
REGIONS = ROOT / "tests" / "data" / "regions"
YANGCHENG = REGIONS / "yangcheng-2023-21.txt"
GAOPING = REGIONS / "gaoping-2023-35.txt"
JINCHENG = ROOT / "tests" / "data" / "cited" / "jincheng-2023-5.txt"

ZEZHOU_DOC = "doc:泽州县:泽政办发〔2023〕17号"
EDITED_TASK = "task:泽州县:泽政办发〔2023〕17号:三.2"
# Same length on purpose: no character offset after the edit moves.
DROPPED, ADDED = "县市场监督管理局", "县卫生健康委员会"


def store_file(kind: str, folder: Path) -> Path:
    """The store file of an embedded store kind (``sqlite`` or ``json``) in ``folder``."""
    return folder / ("graph.json" if kind == "json" else "graph.db")


def embedded_store(kind: str, folder: Path | None = None) -> EmbeddedStore:
    """An embedded store of ``kind`` with its file in ``folder`` (in memory without one)."""
    path = store_file(kind, folder) if folder is not None else None
    return NetworkxStore(path) if kind == "json" else SqliteStore(path)


def ingest(store: GraphStore, *paths: Path) -> BatchReport:
    """Ingest ``paths`` and insist that every one went in."""
    report = ingest_paths(store, paths)
    assert not report.failed, report.failed
    return report


def edited_sample(folder: Path, name: str = "zezhou-edited.txt") -> Path:
    """A copy of the sample whose task 三（二） names 县卫生健康委员会 instead of 县市场监督管理局."""
    text = SAMPLE.read_text("utf-8")
    marker = "〔责任单位：县教育局、县工业和信息化局、县农业农村局、县市场监督管理局"
    assert text.count(marker) == 1
    path = folder / name
    path.write_text(text.replace(marker, marker.replace(DROPPED, ADDED)), "utf-8")
    return path


def _dump(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, sort_keys=True)


def nodes_of(G: nx.MultiDiGraph) -> dict[str, str]:
    """Node id → its attributes as canonical JSON."""
    return {n: _dump(d) for n, d in G.nodes(data=True)}


def edges_of(G: nx.MultiDiGraph) -> set[str]:
    """Every edge with its attributes, as canonical JSON."""
    return {_dump([u, v, k, d]) for u, v, k, d in G.edges(keys=True, data=True)}
