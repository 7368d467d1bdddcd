"""The embedded store file at province scale: the JSON file of the earlier format against SQLite.

``python -m bench.store_file GRAPH`` takes the JSON store written by ``bench.ingest --build``
(``make bench`` keeps it with ``--keep DIR``), migrates it into SQLite (``zhenkg migrate``) and
measures, for each format, in fresh processes (CPU seconds of the child beside wall seconds:
other work on the machine inflates the wall figures, not the CPU ones):

- ``open_query``: opening the store and the first question on it (the tasks of the busiest
  unit, by name and region), imports included, and the child's peak RSS;
- ``open_counts``: opening the store and counting nodes per label (what ``ingest`` prints);
- ``write_one``: one more plan merged into a copy of the store (versions, citations and the
  write), the plan extracted beforehand; ``op_s`` is the merge and write alone, after opening;
- ``cli_ingest``: ``zhenkg ingest`` of one plan into a copy, whole process (wall and CPU).

Results go to ``results/store_file.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.commands import CONSOLE

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "store_file.json"
PYTHON = sys.executable
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"

CHILD = """
import json, pickle, resource, sys, time
what, path, arg = sys.argv[1:4]
t0 = time.perf_counter()
from graph.store import open_embedded
from pathlib import Path
store = open_embedded(Path(path))
t1 = time.perf_counter()
if what == "open_query":
    from queries.service import Questions
    unit, region = json.loads(arg)
    answer = len(Questions(store).tasks(unit, region))
elif what == "open_counts":
    answer = sum(store.counts().values())
else:
    from graph.merge import load_document
    record, fragment = pickle.loads(Path(arg).read_bytes())
    answer = load_document(store, record, fragment).version
store.close()
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t0, "op_s": t2 - t1, "answer": answer,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(what: str, path: Path, arg: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its own figures."""
    with tempfile.TemporaryFile("w+") as stdout:
        proc = subprocess.Popen(
            [PYTHON, "-c", CHILD, what, str(path), arg], cwd=ROOT, stdout=stdout
        )
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{what} on {path} failed")
        stdout.seek(0)
        out: dict[str, Any] = json.loads(stdout.read())
    out["cpu_s"] = usage.ru_utime + usage.ru_stime
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def cli_ingest(db: Path, plan: Path) -> dict[str, float]:
    """``zhenkg ingest PLAN --db DB`` in a fresh process: wall and CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*CONSOLE, "ingest", str(plan), "--quiet", "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"zhenkg ingest into {db} failed")
    return {
        "wall_s": round(time.perf_counter() - start, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
    }


JOB = """
import pickle, sys
from pathlib import Path
from ingest.load import document_fragment
from ingest.pipeline import extract_file
record = extract_file(sys.argv[1])
Path(sys.argv[2]).write_bytes(pickle.dumps((record, document_fragment(record))))
"""


def busiest_unit(db: Path) -> tuple[str, str]:
    """Name and region of the unit with most edges out (what ``bench.queries`` asks about)."""
    with sqlite3.connect(db) as conn:
        name, attrs = conn.execute(
            "SELECT n.name, n.attrs FROM nodes n JOIN edges e ON e.src = n.id "
            "WHERE n.label = 'Unit' GROUP BY n.id ORDER BY count(*) DESC, n.key DESC LIMIT 1"
        ).fetchone()
    return str(name), str(json.loads(attrs)["region"])


def run(graph: Path) -> dict[str, Any]:
    """Every measurement on both formats of the store in ``graph``.

    The heavy work (migrating, extracting the plan) happens in children too: a child inherits
    its parent's peak RSS, which would hide its own.
    """
    result: dict[str, Any] = {"graph": str(graph)}
    with tempfile.TemporaryDirectory(prefix="zhenkg-bench-") as tmp:
        folder = Path(tmp)
        plan = folder / "extra.txt"
        plan.write_text(
            SAMPLE.read_text("utf-8").replace("泽政办发〔2023〕17号", "泽政办发〔2023〕99号"),
            "utf-8",
        )
        job = folder / "job.pickle"
        subprocess.run([PYTHON, "-c", JOB, str(plan), str(job)], check=True, cwd=ROOT)
        db = folder / "graph.db"
        start = time.perf_counter()
        subprocess.run(
            [PYTHON, "-m", "api.cli", "migrate", str(graph), "--db", str(db)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        result["migrate_s"] = round(time.perf_counter() - start, 3)
        result["unit"] = busiest_unit(db)
        unit = json.dumps(result["unit"], ensure_ascii=False)
        sizes = {"json": graph.stat().st_size, "sqlite": db.stat().st_size}
        for name, source in (("json", graph), ("sqlite", db)):
            copy = folder / f"copy{source.suffix}"
            r: dict[str, Any] = {"bytes": sizes[name]}
            r["open_query"] = child("open_query", source, unit)
            r["open_counts"] = child("open_counts", source, "")
            shutil.copyfile(source, copy)
            r["write_one"] = child("write_one", copy, str(job))
            shutil.copyfile(source, copy)
            r["cli_ingest"] = cli_ingest(copy, plan)
            copy.unlink()
            result[name] = r
            print(name, json.dumps(r), file=sys.stderr, flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure, print and write ``results/store_file.json``."""
    p = argparse.ArgumentParser(prog="python -m bench.store_file", description=__doc__)
    p.add_argument("graph", type=Path, help="a JSON store (bench.ingest --build writes one)")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    result = run(args.graph)
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
