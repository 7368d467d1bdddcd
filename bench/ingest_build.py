"""The province-scale build: every TXT plan and register of a corpus into one store file.

:func:`build` runs in its own process (``python -m bench.ingest --build CORPUS GRAPH``, started
by :func:`bench.ingest.build_in_subprocess`), so that its peak memory is its own: it ingests the
plans in batches into an in-memory store, then a few more one by one into the finished graph,
and writes the store file (:func:`write_store`) the query, command and API benchmarks read.
"""

from __future__ import annotations

import contextlib
import json
import resource
import time
from pathlib import Path
from typing import Any

from bench.ingest_formats import STAGES, Pipeline, corpus_files, rate

HELD_OUT = 10  # plans ingested one by one into the finished graph: the cost of one more plan
BATCH = 100  # plans merged into one fragment before it goes into the store


def _settled_heap() -> Any:
    """What ``zhenkg ingest`` does with a batch's heap (``ingest.batch.settled_heap``), or
    nothing at a commit that predates it."""
    try:
        from ingest.batch import settled_heap
    except ImportError:
        return contextlib.nullcontext(lambda: None)
    return settled_heap()


def build(corpus: Path, out: Path) -> dict[str, Any]:
    """Ingest every TXT plan and register of ``corpus`` in memory and write the store to ``out``.

    The plans are read, parsed and turned into fragments one by one, merged :data:`BATCH` at a
    time and loaded (a store merge per plan rescans every edge, which would take minutes at
    this scale), the registers likewise; the last :data:`HELD_OUT` plans then go in one by one, as ``zhenkg ingest``
    would add them, to time a plan's merge into the province-scale graph.
    """
    t_start = time.perf_counter()
    from graph.errors import ZhenkgError
    from graph.fragment import Fragment
    from graph.networkx_store import NetworkxStore, graph_counts

    pipeline = Pipeline()
    t_ready, cpu_ready = time.perf_counter(), time.process_time()
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    paths = corpus_files(corpus, "txt")
    bulk, held = paths[: max(0, len(paths) - HELD_OUT)], paths[len(paths) - HELD_OUT :]
    store = NetworkxStore()
    batch = Fragment()
    stages = dict.fromkeys(STAGES, 0.0)
    failed = 0
    with _settled_heap() as settle:
        for i, p in enumerate(bulk):
            settle()
            t0 = time.perf_counter()
            try:
                source = pipeline.read(p)
                t_read = time.perf_counter()
                record = pipeline.extract(source, pipeline.roster)
            except ZhenkgError:  # a refused document is counted, not fatal: the build goes on
                failed += 1
                continue
            t1 = time.perf_counter()
            batch.merge(pipeline.stamp(pipeline.fragment(record), record))
            t2 = time.perf_counter()
            if (i + 1) % BATCH == 0 or i + 1 == len(bulk):
                store.load(batch)
                batch = Fragment()
            stages["read"] += t_read - t0
            stages["extract"] += t1 - t_read
            stages["fragment"] += t2 - t1
            stages["load"] += time.perf_counter() - t2
    t_docs, cpu_docs = time.perf_counter(), time.process_time()
    registers = 0
    try:
        from ingest.load import register_load
    except ImportError:
        register_load = None  # type: ignore[assignment]
    if register_load is not None:
        for entry in manifest["registers"]:
            fragment, _ = register_load(corpus / entry["path"], entry["region"])
            batch.merge(fragment)
            registers += 1
        store.load(batch)
    del batch
    t_loaded = time.perf_counter()
    one_by_one = dict.fromkeys(STAGES, 0.0)
    for p in held:
        for stage, seconds in pipeline.ingest(p, store).items():
            one_by_one[stage] += seconds
    t_held = time.perf_counter()
    write_store(store.graph, out)
    t_saved = time.perf_counter()
    size = sum(p.stat().st_size for p in bulk)
    n_held = max(1, len(held))
    return {
        "documents": len(paths),
        "failed": failed,
        "registers": registers,
        "counts": graph_counts(store.graph),
        "nodes": store.graph.number_of_nodes(),
        "edges": store.graph.number_of_edges(),
        "startup_s": round(t_ready - t_start, 3),
        "txt": rate(len(bulk), size, t_docs - t_ready),
        "txt_docs_per_cpu_s": round(len(bulk) / (cpu_docs - cpu_ready), 2),
        "bulk_ms_per_doc": {k: round(v / max(1, len(bulk)) * 1000, 2) for k, v in stages.items()},
        "registers_s": round(t_loaded - t_docs, 3),
        "at_scale_ms_per_doc": {k: round(v / n_held * 1000, 2) for k, v in one_by_one.items()},
        "at_scale_docs": len(held),
        "at_scale_s": round(t_held - t_loaded, 3),
        "save_s": round(t_saved - t_held, 3),
        "store_bytes": out.stat().st_size,
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def write_store(G: Any, out: Path) -> None:
    """Write graph ``G`` as the store file ``out`` (a new file: SQLite, or JSON by its name)."""
    from graph.networkx_store import graph_to_json
    from graph.store import embedded_format

    out.unlink(missing_ok=True)
    if embedded_format(out) == "json":
        payload = json.dumps(graph_to_json(G), ensure_ascii=False, separators=(",", ":"))
        out.write_text(payload, "utf-8")
        return
    from graph.sqlite_store import SqliteStore

    store = SqliteStore(out)
    try:
        store.import_graph(G)
    finally:
        store.close()
