"""The benchmark harness itself: the summary keeps the previous run and the hand-written
sections, the store file it builds is the one the other steps open, and the HTTP load client
reads real answers from ``zhenkg serve``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import networkx as nx
import pytest

from bench import api_load, report, run
from bench.ingest_build import write_store
from graph.store import open_store
from tests.api.conftest import SAMPLE, zhenkg

OLD = """| Measure | Figure | Target | |
|---|---|---|---|
| Start-up: fresh process to its first ingested plan | 2.79 s | ≤ 1.5 s | **MISSED** |
| API p99 at 32 connections: GET /units | ≥ 30,033.4 ms (28 of 32 timed out) | ≤ 50 ms | **MISSED** |

Measured 2026-11-25 20:30:34 +0000 at commit adff60b on 2 CPUs.

{mark}

## A section written by hand

Its figures stay.
"""


def test_the_previous_run_stands_beside_the_new_one() -> None:
    old = OLD.format(mark=report.KEEP_MARK)
    before = report.previous_figures(old)
    assert before["Start-up: fresh process to its first ingested plan"] == "2.79 s"
    assert before[""] == "adff60b, 2026-11-25"
    meta = {"date": "2026-12-01", "commit": "abc1234", "corpus": {}}
    ing = {"startup": {"seconds": 1.1}}
    text = report.summary(meta, ing, {}, {}, None, before)
    row = next(ln for ln in text.splitlines() if ln.startswith("| Start-up"))
    assert row == (
        "| Start-up: fresh process to its first ingested plan | 1.10 s | ≤ 1.2 s | **MET** "
        "| 2.79 s |"
    )
    assert "Previous run (adff60b, 2026-11-25)" in text.splitlines()[0]


def test_the_machine_s_speed_stands_in_the_table_without_a_verdict() -> None:
    meta = {"date": "2026-12-01", "commit": "abc1234", "corpus": {}}
    meta |= {"yardstick_ms_start": 30.5, "yardstick_ms_end": 55.0}
    before = {
        "Machine speed: CPU of a fixed pure-Python workload (start · end of the run; "
        "`bench.run.yardstick`)": "29.0 · 31.0 ms"
    }
    text = report.summary(meta, {}, {}, {}, None, before)
    row = next(ln for ln in text.splitlines() if ln.startswith("| Machine speed"))
    assert row.endswith("| 30.5 · 55.0 ms | none (context) |  | 29.0 · 31.0 ms |")
    assert run.yardstick(runs=1) > 0


def test_hand_written_sections_are_kept_and_the_table_is_not() -> None:
    old = OLD.format(mark=report.KEEP_MARK)
    kept = report.kept_sections(old)
    assert kept.startswith(report.KEEP_MARK)
    assert "## A section written by hand\n\nIts figures stay." in kept
    assert "| Measure" not in kept
    assert report.kept_sections("| Measure | Figure |\n") == ""


@pytest.mark.parametrize("name", ["graph.db", "graph.json"])
def test_the_built_graph_is_written_as_the_store_the_steps_open(tmp_path: Path, name: str) -> None:
    G = nx.MultiDiGraph()
    G.add_node("unit:甲县:县工信局", label="Unit", name="县工信局", region="甲县")
    G.add_node("task:甲县:doc:1", label="Task", title="推进数字化转型")
    G.add_edge("unit:甲县:县工信局", "task:甲县:doc:1", "RESPONSIBLE_FOR", type="RESPONSIBLE_FOR")
    out = tmp_path / name
    out.write_text("stale", "utf-8")  # a file from an earlier run is replaced, not appended to
    write_store(G, out)
    store = open_store(None, out)
    try:
        assert store.counts() == {"Unit": 1, "Task": 1, "edges": 1}
        read = store.read_graph()
        assert read.nodes["unit:甲县:县工信局"]["name"] == "县工信局"
        assert read.number_of_edges() == 1
    finally:
        store.close()


def test_the_load_client_reads_whole_answers_from_the_server(tmp_path: Path) -> None:
    db = tmp_path / "graph.db"
    subprocess.run(
        [*zhenkg(), "ingest", str(SAMPLE)],
        check=True,
        capture_output=True,
        env={**__import__("os").environ, "ZHENKG_DB": str(db)},
    )
    result = api_load.run(db, levels=(1, 4), seconds=0.3, limit=200)
    assert "skipped" not in result, result
    routes = result["routes"]
    assert list(routes)[:3] == ["/search?q=局", "/units", "/coverage"]
    assert any(r.startswith("/units/unit:") and r.endswith("/tasks") for r in routes)
    assert any(r.startswith("/chains/") and r.endswith("/gaps") for r in routes)
    for levels in routes.values():
        for level in levels:
            assert level["requests"] > 0
            assert set(level["statuses"]) == {"200"}, level
            assert level["bytes_per_response"] > 0
            assert level["p50_ms"] <= level["p99_ms"]
    assert result["server_peak_rss_mb"] is None or result["server_peak_rss_mb"] > 0
