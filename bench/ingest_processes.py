"""Ingest measured in fresh processes: start-up, the store file, and ``zhenkg ingest DIR``.

:func:`startup` times ``zhenkg ingest`` of the bundled sample into a new store, launch to exit;
:func:`file_store` opens the province store file in a fresh process and ingests one more plan
into a copy; :func:`cli_dir` takes the CPU time of ``zhenkg ingest DIR`` of a folder of plans.
Every CLI process is started as :data:`bench.commands.CONSOLE` runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.commands import CONSOLE
from bench.ingest_formats import ROOT, SAMPLE, corpus_files

PYTHON = sys.executable


def _wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


# Pipeline comes through bench.ingest (which imports it for real_rate) and so with every ingest
# benchmark module, as in the runs before these modules were split: ``imports_s`` stays comparable.
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


def startup(runs: int = 11) -> dict[str, Any]:
    """Median wall time of ``zhenkg ingest SAMPLE`` into a new store: launch to exit.

    That is the user's start-up to a first ingested plan: imports, spaCy, roster, chain
    templates, the plan, the SQLite write and the process's exit. A Python process running the
    pipeline in memory splits it (``imports_s``: imports, roster, chain templates;
    ``first_document_s``: the lazily built matchers and the plan). ``python -c pass`` and
    ``zhenkg --help`` are timed alongside for scale.

    Eleven runs (~15 s): this machine's speed swings by up to 2x from one minute to the next
    (``bench.run.yardstick`` from 27 to 52 ms within five minutes), and five runs fell inside
    one swing.
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
