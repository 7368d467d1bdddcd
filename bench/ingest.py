"""Ingest throughput per format, start-up time, and the build of the province-scale graph.

Run ``python -m bench.ingest CORPUS GRAPH`` (``CORPUS`` from :mod:`bench.generate`): prints JSON
with

- ``formats``: per format, documents/s and MB/s of the whole ingest (read, normalise, parse,
  fragment, merge into an in-memory store) after start-up, the time of each stage, and the
  ratio to the bare text extraction of the same files (``bench.readers.bare_extraction``);
- ``startup``: wall time of fresh interpreters that import the pipeline and ingest one small
  document (``python -c pass`` and ``zhenkg --help`` alongside, for scale);
- ``build``: a subprocess ingests every TXT plan and every register into one in-memory store,
  writes it to ``GRAPH`` (the store file the query and API benchmarks read: SQLite, or JSON
  when the name ends in ``.json``) and reports its throughput and peak memory (``ru_maxrss``);
- ``file_store``: one more plan ingested by ``zhenkg ingest`` into a copy of that file;
- ``cli_dir``: ``zhenkg ingest DIR`` of 200 TXT plans into a new SQLite store, as a planner
  runs it (one transaction per plan): plans per CPU-second of the whole process, and per
  CPU-second after its start-up (the same command with one plan taken away);
- ``real``: when ``../shared/corpus/real`` is there, documents per CPU-second on the real plans
  and notices (and the evaluation set), whose texts repeat less than generated ones.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.commands import CONSOLE

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
STAGES = ("read", "extract", "fragment", "load")


class Pipeline:
    """The ingest the CLI runs, split into timed stages."""

    def __init__(self) -> None:
        from ingest.pipeline import extract_source
        from ingest.readers import read_source
        from ingest.resolve import Roster

        try:  # the chain-aware fragment the CLI uses once ingest/load.py is there
            from ingest.load import document_fragment as fragment
        except ImportError:
            from graph.build import record_fragment as fragment
        try:  # citations and versions, as `zhenkg ingest` merges a document
            from graph.merge import load_document, merge_document

            def merge(store: Any, record: Any, fragment: Any) -> None:
                load_document(store, record, fragment)

            def stamp(fragment: Any, record: Any) -> Any:
                return merge_document(fragment, record, {}).fragment
        except ImportError:

            def merge(store: Any, record: Any, fragment: Any) -> None:
                store.load(fragment)

            def stamp(fragment: Any, record: Any) -> Any:
                return fragment

        self.read = read_source
        self.extract = extract_source
        self.fragment: Callable[[Any], Any] = fragment
        self.merge = merge
        # A new document's version 1, as load_document stamps it, for fragments loaded in bulk.
        self.stamp: Callable[[Any, Any], Any] = stamp
        self.roster = Roster.bundled()

    def ingest(self, path: Path, store: Any) -> dict[str, float]:
        """Ingest one file into ``store``; seconds per stage."""
        t0 = time.perf_counter()
        source = self.read(path)
        t1 = time.perf_counter()
        record = self.extract(source, self.roster)
        t2 = time.perf_counter()
        fragment = self.fragment(record)
        t3 = time.perf_counter()
        self.merge(store, record, fragment)
        t4 = time.perf_counter()
        return {"read": t1 - t0, "extract": t2 - t1, "fragment": t3 - t2, "load": t4 - t3}


def corpus_files(corpus: Path, fmt: str, limit: int | None = None) -> list[Path]:
    """The corpus files of one format, in manifest order."""
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    paths = [corpus / d["path"] for d in manifest["documents"] if d["format"] == fmt]
    return paths[:limit]


def _rate(n: int, size: int, seconds: float) -> dict[str, float]:
    return {
        "documents": n,
        "bytes": size,
        "seconds": round(seconds, 4),
        "docs_per_s": round(n / seconds, 2) if seconds else 0.0,
        "mb_per_s": round(size / 1e6 / seconds, 3) if seconds else 0.0,
    }


def bare_seconds(paths: list[Path]) -> float:
    """Seconds of the bare text extraction of ``paths`` (the readers alone)."""
    try:
        from bench.readers import bare_extraction
    except ImportError:
        from ingest.readers import read_source

        start = time.perf_counter()
        for p in paths:
            read_source(p)
        return time.perf_counter() - start
    return sum(s["seconds"] for s in bare_extraction(paths).values())


PASSES = 2  # the faster of two passes: other processes on the machine only ever slow one down


def format_throughput(corpus: Path, limit: int | None = None) -> dict[str, Any]:
    """Per format: whole-ingest rate into a fresh in-memory store, stages, ratio to bare.

    Every format ingests the same plans: the ones built in all formats (``limit`` of them at
    most), so the figures compare formats and not texts. The bare extraction of each file is
    timed right before its ingest, so that both see the same machine; of :data:`PASSES`
    passes, the faster one counts.
    """
    from graph.networkx_store import NetworkxStore

    pipeline = Pipeline()
    out: dict[str, Any] = {}
    subset = len(corpus_files(corpus, "pdf")) or 30
    limit = min(limit, subset) if limit else subset
    for fmt in ("txt", "docx", "pdf", "html"):
        paths = corpus_files(corpus, fmt, limit)
        if not paths:
            continue
        pipeline.ingest(paths[0], NetworkxStore())  # warm: lazy pipeline parts, caches
        best: dict[str, Any] | None = None
        for _ in range(PASSES):
            store = NetworkxStore()
            stages = dict.fromkeys(STAGES, 0.0)
            bare = cpu = 0.0
            for p in paths:
                bare += bare_seconds([p])
                c = time.process_time()
                for stage, seconds in pipeline.ingest(p, store).items():
                    stages[stage] += seconds
                cpu += time.process_time() - c
            if best is None or sum(stages.values()) < sum(best["stages"].values()):
                best = {"stages": stages, "cpu": cpu, "bare": bare}
        assert best is not None
        stages, cpu, bare = best["stages"], best["cpu"], best["bare"]
        total = sum(stages.values())
        size = sum(p.stat().st_size for p in paths)
        out[fmt] = {
            **_rate(len(paths), size, total),
            "docs_per_cpu_s": round(len(paths) / cpu, 2) if cpu else 0.0,
            "stages_ms_per_doc": {k: round(v / len(paths) * 1000, 3) for k, v in stages.items()},
            "bare_seconds": round(bare, 4),
            "ratio_to_bare": round(total / bare, 2) if bare else None,
        }
    return out


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


STARTUP_SCRIPT = """
import time, json
t0 = time.perf_counter()
from bench.ingest import Pipeline
from graph.networkx_store import NetworkxStore
p = Pipeline()
t1 = time.perf_counter()
p.ingest(__import__("pathlib").Path({sample!r}), NetworkxStore())
t2 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "first_document": t2 - t1}}))
"""


def startup(runs: int = 5) -> dict[str, Any]:
    """Median wall time of ``zhenkg ingest SAMPLE`` into a new store: launch to exit.

    That is the user's start-up to a first ingested plan: imports, spaCy, roster, chain
    templates, the plan, the SQLite write and the process's exit. A Python process running the
    pipeline in memory splits it (``imports_s``: imports, roster, chain templates;
    ``first_document_s``: the lazily built matchers and the plan). ``python -c pass`` and
    ``zhenkg --help`` are timed alongside for scale.
    """
    script = STARTUP_SCRIPT.format(sample=str(SAMPLE))
    walls, parts = [], []
    with tempfile.TemporaryDirectory(prefix="zhenkg-startup-") as tmp:
        for i in range(runs):
            walls.append(_wall([*CONSOLE, "ingest", str(SAMPLE), "--db", f"{tmp}/{i}.db"]))
            done = subprocess.run(
                [PYTHON, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT
            )
            parts.append(json.loads(done.stdout))
    return {
        "runs": runs,
        "seconds": round(statistics.median(walls), 3),
        "imports_s": round(statistics.median(p["imports"] for p in parts), 3),
        "first_document_s": round(statistics.median(p["first_document"] for p in parts), 3),
        "interpreter_s": round(
            statistics.median(_wall([PYTHON, "-c", "pass"]) for _ in range(3)), 3
        ),
        "cli_help_s": round(statistics.median(_wall([*CONSOLE, "--help"]) for _ in range(runs)), 3),
    }


# -- the province-scale build (runs in its own process) ---------------------------------------
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
        "txt": _rate(len(bulk), size, t_docs - t_ready),
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


def _json_of(args: list[str]) -> dict[str, Any]:
    """What a fresh interpreter run with ``args`` prints, as JSON."""
    done = subprocess.run([PYTHON, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def build_in_subprocess(corpus: Path, out: Path) -> dict[str, Any]:
    """:func:`build` in a fresh interpreter, so its peak memory is its own."""
    return _json_of(["-m", "bench.ingest", "--build", str(corpus), str(out)])


LOAD_SCRIPT = """
import json, resource, time
t0 = time.perf_counter()
from graph.store import open_store
store = open_store(None, {path!r})
store.counts()
print(json.dumps({{"seconds": time.perf_counter() - t0,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def file_store(graph: Path, corpus: Path) -> dict[str, Any]:
    """Open the store file in a fresh process, and ``zhenkg ingest`` one plan into a copy."""
    done = subprocess.run(
        [PYTHON, "-c", LOAD_SCRIPT.format(path=str(graph))],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    opened = json.loads(done.stdout)
    with tempfile.TemporaryDirectory(prefix="zhenkg-bench-") as tmp:
        copy = Path(tmp) / graph.name
        shutil.copyfile(graph, copy)
        plan = Path(tmp) / "extra.txt"
        text = SAMPLE.read_text("utf-8")
        plan.write_text(text, "utf-8")
        env = {**os.environ, "ZHENKG_DB": str(copy)}
        seconds = _wall([*CONSOLE, "ingest", str(plan)], env)
    return {
        "open_s": round(opened["seconds"], 3),
        "open_maxrss_mb": round(opened["maxrss_mb"], 1),
        "cli_ingest_one_s": round(seconds, 3),
    }


CLI_PLANS = 200


def _cli_cpu(args: list[str], db: Path) -> float:
    """CPU seconds (user + system) of one ``zhenkg`` process writing the store ``db``."""
    env = {k: v for k, v in os.environ.items() if k != "ZHENKG_STORE"}
    env["ZHENKG_DB"] = str(db)
    proc = subprocess.Popen(
        [*CONSOLE, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"zhenkg {' '.join(args)} failed")
    return usage.ru_utime + usage.ru_stime


def cli_dir(corpus: Path, plans: int = CLI_PLANS) -> dict[str, Any]:
    """``zhenkg ingest DIR`` of the first ``plans`` TXT plans into a new SQLite store.

    ``after_startup_plans_per_cpu_s`` takes away what ``zhenkg ingest`` of the first plan
    alone costs (start-up and one plan), ``one_more_plan_cpu_s`` is the next plan of the corpus
    into the filled store.
    """
    paths = corpus_files(corpus, "txt", plans + 1)
    paths, extra = paths[:plans], paths[plans:]
    with tempfile.TemporaryDirectory(prefix="zhenkg-bench-") as tmp:
        folder = Path(tmp) / "plans"
        folder.mkdir()
        for path in paths:
            shutil.copyfile(path, folder / path.name)
        whole = _cli_cpu(["ingest", str(folder)], Path(tmp) / "all.db")
        first = _cli_cpu(["ingest", str(paths[0])], Path(tmp) / "first.db")
        one = _cli_cpu(["ingest", str(extra[0])], Path(tmp) / "all.db") if extra else None
    return {
        "plans": len(paths),
        "cpu_s": round(whole, 3),
        "first_plan_cpu_s": round(first, 3),
        "plans_per_cpu_s": round(len(paths) / whole, 1),
        "after_startup_plans_per_cpu_s": round((len(paths) - 1) / (whole - first), 1)
        if whole > first
        else None,
        "one_more_plan_cpu_s": round(one, 3) if one is not None else None,
    }


REAL = ROOT.parent / "shared" / "corpus" / "real"
EVAL = ROOT / "tests" / "data" / "eval"


def real_rate(folders: tuple[Path, ...] = (REAL, EVAL)) -> dict[str, Any]:
    """Documents per CPU-second on the real documents and the evaluation set (read excluded).

    One pass, in this process, after a warm-up on the bundled sample (which is in neither
    set): the texts are not repeated, so no answer kept per text is reused across passes.
    """
    paths = [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    if not any(p.parent == REAL for p in paths):
        return {"skipped": f"{REAL} is not here"}
    pipeline = Pipeline()
    from graph.networkx_store import NetworkxStore

    pipeline.ingest(SAMPLE, NetworkxStore())
    sources = [pipeline.read(p) for p in paths]
    chars = sum(len(s.text) for s in sources)
    cpu0 = time.process_time()
    for source in sources:
        pipeline.fragment(pipeline.extract(source, pipeline.roster))
    cpu = time.process_time() - cpu0
    return {
        "documents": len(sources),
        "chars": chars,
        "cpu_s": round(cpu, 3),
        "docs_per_cpu_s": round(len(sources) / cpu, 1) if cpu else None,
        "kchars_per_cpu_s": round(chars / 1000 / cpu, 1) if cpu else None,
    }


def real_rate_in_subprocess() -> dict[str, Any]:
    """:func:`real_rate` in a fresh interpreter (nothing kept from the other measurements)."""
    return _json_of(
        ["-c", "import json; from bench.ingest import real_rate as r; print(json.dumps(r()))"]
    )


def run(corpus: Path, graph: Path, limit: int | None = None) -> dict[str, Any]:
    """Every ingest measurement; writes the province graph to ``graph``."""
    return {
        "formats": format_throughput(corpus, limit),
        "startup": startup(),
        "build": build_in_subprocess(corpus, graph),
        "file_store": file_store(graph, corpus),
        "cli_dir": cli_dir(corpus),
        "real": real_rate_in_subprocess(),
    }


def main(argv: Iterable[str] | None = None) -> int:
    """Command line: ``CORPUS GRAPH`` for everything, ``--build CORPUS GRAPH`` for the build."""
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("graph", type=Path)
    parser.add_argument("--build", action="store_true", help="only build the graph (subprocess)")
    parser.add_argument("--limit", type=int, default=None, help="files per format")
    args = parser.parse_args(list(argv) if argv is not None else None)
    result = (
        build(args.corpus, args.graph) if args.build else run(args.corpus, args.graph, args.limit)
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
