"""Whole-process cost of the CLI: ``zhenkg --help``, the query commands, and one ingest.

Each command runs ``runs`` times as the console script ``zhenkg`` (``api.cli:run``: the
collector kept out of start-up and exit) in a fresh process; the figures are the medians of the
child's CPU time (user + system, from ``os.wait4``, which other processes on the machine do not
inflate) and of its wall time. A first, untimed run per command (``main`` in an interpreter
that then lists its modules) records the heavy packages it imported
(spaCy and what it brings, the format readers, openpyxl, the web server: a query command
imports none of them, ``ingest`` imports spaCy) and writes the bytecode caches, as an installed
``zhenkg`` has them (``PYTHONDONTWRITEBYTECODE`` is dropped from the children's environment).

``python -m bench.commands [GRAPH]`` measures on a SQLite store made by ingesting the bundled
sample into a temporary file and, when given, on ``GRAPH`` (``tasks --unit``, ``coverage
--json`` and ``who``, which read only their part of a SQLite store). On ``GRAPH`` the two that
keep the text they print for the next process (``queries.kept``) are timed twice, in
alternating runs: as the first process after a write, which computes it (the answers a store
keeps are emptied before the run, as every write empties them), and as the next process, which
reads it back; ``who`` keeps nothing and computes in every run. It prints JSON and
writes ``results/commands.json``, keeping the figures of the run before under ``previous`` so
that the summary can show both.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"

# Top-level packages a query command has no use for.
HEAVY = ("spacy", "thinc", "numpy", "pypdf", "bs4", "lxml", "docx", "openpyxl")
SERVER = ("fastapi", "starlette", "uvicorn")

# The console script, plus (with a file name as first argument) the packages it imported.
SCRIPT = """
import json, sys
out, argv = sys.argv[1], sys.argv[2:]
from api.cli import main
try:
    code = main(argv)
except SystemExit as exc:  # --help
    code = exc.code
if out:
    with open(out, "w") as f:
        json.dump(sorted({m.split(".")[0] for m in sys.modules}), f)
sys.exit(code)
"""

# name → arguments; {db} is the store, {sample} the bundled plan, {fresh} an empty store.
SAMPLE_COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "tasks": ["tasks", "--db", "{db}"],
    "tasks --unit": ["tasks", "--unit", "县工信局", "--db", "{db}"],
    "units": ["units", "--db", "{db}"],
    "coverage --json": ["coverage", "--json", "--db", "{db}"],
    "who": ["who", "三（一）", "--db", "{db}"],
    "matrix": ["matrix", "--db", "{db}"],
    "chains": ["chains", "--db", "{db}"],
    "gaps": ["gaps", "foundry", "--db", "{db}"],
    "ingest": ["ingest", "{sample}", "--quiet", "--db", "{fresh}"],
}
GRAPH_COMMANDS = ("tasks --unit", "coverage --json", "who")
# Those that keep their answer in the store for the next process (``queries.kept``); ``who``
# computes in every run.
KEPT_COMMANDS = ("tasks --unit", "coverage --json")
# On GRAPH (a bench/generate.py store, whose plans number tasks 二.1.1 …) ``who`` asks by id.
GRAPH_WHO = "task:阳孝县:阳政办发〔2021〕1号:二.1.1"


# The console script ``zhenkg`` (``api.cli:run``) of this checkout, started with ``cwd=ROOT``: the
# ``zhenkg`` file of an editable install loads the checkout it was installed from, which need
# not be the one measured (two commits run alternately share one virtualenv).
CONSOLE = [PYTHON, "-c", "from api.cli import run; run()"]


def _child(args: list[str], out: str = "") -> tuple[float, float, int]:
    """Run the CLI once in a fresh process: (CPU seconds, wall seconds, exit status); with
    ``out``, through :data:`SCRIPT`, which writes the packages imported there."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, "-c", SCRIPT, out, *args] if out else [*CONSOLE, *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, wall, proc.returncode


def forget_answers(db: Path) -> None:
    """Empty the answers a SQLite store keeps for the next process, as a write does."""
    from graph.sqlite_answers import drop_answers

    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        drop_answers(conn)


def _probe(args: list[str]) -> set[str]:
    """The top-level packages one run of the command imports."""
    with tempfile.NamedTemporaryFile(suffix=".json") as probe:
        _child(args, probe.name)
        return set(json.loads(Path(probe.name).read_text() or "[]"))


def _figures(runs: list[tuple[float, float, int]], imported: set[str]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "cpu_s": round(statistics.median(c for c, _, _ in runs), 3),
        "wall_s": round(statistics.median(w for _, w, _ in runs), 3),
        "exit": sorted({code for _, _, code in runs}),
        "heavy_imports": sorted(imported.intersection(HEAVY + SERVER)),
    }


def measure(args: list[str], runs: int, fresh: Path | None = None) -> dict[str, Any]:
    """Median CPU and wall seconds of ``runs`` fresh processes, and what one of them imported.

    ``fresh``, when given, is removed before each run (``ingest`` into an empty store).
    """
    imported = _probe(args)
    done = []
    for _ in range(runs):
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        done.append(_child(args))
    if fresh is not None:
        fresh.unlink(missing_ok=True)
    return _figures(done, imported)


def measure_after_write(
    args: list[str], runs: int, db: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`measure` of a command that keeps its answer in the store ``db``, as the first
    process after a write (kept answers emptied before it: it computes) and as the next one
    (it reads the answer back), the two runs alternating so that both see the same machine."""
    imported = _probe(args)
    first, kept = [], []
    for _ in range(runs):
        forget_answers(db)
        first.append(_child(args))
        kept.append(_child(args))
    return _figures(first, imported), _figures(kept, imported)


def run(graph: Path | None = None, runs: int = 5) -> dict[str, Any]:
    """Every command on the sample store, and the query commands on ``graph`` when given."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="zhenkg-bench-") as tmp:
        db, fresh = Path(tmp) / "sample.db", Path(tmp) / "fresh.db"
        subprocess.run(
            [PYTHON, "-c", SCRIPT, "", "ingest", str(SAMPLE), "--quiet", "--db", str(db)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=ENV,
        )
        values = {"db": str(db), "sample": str(SAMPLE), "fresh": str(fresh)}
        out["sample"] = {
            name: measure(
                [a.format(**values) for a in args], runs, fresh if "{fresh}" in args else None
            )
            for name, args in SAMPLE_COMMANDS.items()
        }
    if graph is not None and graph.exists():
        values = {"db": str(graph)}
        graph_args = {
            name: [
                GRAPH_WHO if a == "三（一）" else a.format(**values) for a in SAMPLE_COMMANDS[name]
            ]
            for name in GRAPH_COMMANDS
        }
        out["graph"], out["graph_first"] = {}, {}
        for name, args in graph_args.items():
            if name in KEPT_COMMANDS:
                first, kept = measure_after_write(args, runs, graph)
                out["graph_first"][name], out["graph"][name] = first, kept
            else:
                out["graph"][name] = measure(args, runs)
    out["interpreter_cpu_s"] = round(
        statistics.median(_cpu_of([PYTHON, "-c", "pass"]) for _ in range(max(3, runs))),
        3,
    )
    return out


def _cpu_of(command: list[str]) -> float:
    proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def with_previous(result: dict[str, Any], path: Path = RESULTS / "commands.json") -> dict[str, Any]:
    """``result`` with the figures of the run stored at ``path`` (if any) under ``previous``."""
    try:
        before = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return result
    before.pop("previous", None)
    before.pop("bench_seconds", None)
    return {**result, "previous": before}


STORES = {"sample": "sample", "graph": "province", "graph_first": "province, first after a write"}


def section(result: dict[str, Any]) -> list[str]:
    """The summary's Markdown section: each command now, and in the previous run."""
    previous = result.get("previous") or {}
    lines = [
        "## Whole-process commands (this run)",
        "",
        "Whole-process CPU time of the CLI in a fresh interpreter (median; `python -c pass` "
        f"alone: {result.get('interpreter_cpu_s')} s"
        + (f", previously {previous.get('interpreter_cpu_s')} s" if previous else "")
        + "), and the heavy packages each imported. Target: a query command ≤ 0.5 s on the "
        "sample, ≤ 1 s on the province store; none of spaCy, numpy, the format readers or "
        "openpyxl. On the province store `tasks --unit` and `coverage --json` keep their "
        "answer for the next process: *province* is that next process, *first after a write* "
        "the one that computes it (kept answers emptied; the two alternate). `who` keeps "
        "nothing.",
        "",
        "| Store | Command | CPU s | wall s | previous CPU s | heavy imports | previously |",
        "|---|---|---|---|---|---|---|",
    ]
    for store, label in STORES.items():
        for name, now in (result.get(store) or {}).items():
            before = (previous.get(store) or {}).get(name) or {}
            lines.append(
                f"| {label} | `zhenkg {name}` | {now['cpu_s']} | {now['wall_s']} | "
                f"{before.get('cpu_s', '—')} | {', '.join(now['heavy_imports']) or 'none'} | "
                f"{', '.join(before.get('heavy_imports', [])) or ('none' if before else '—')} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line: ``[GRAPH] [--runs N]``; writes ``results/commands.json``."""
    parser = argparse.ArgumentParser(prog="python -m bench.commands", description=__doc__)
    parser.add_argument("graph", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS / "commands.json")
    args = parser.parse_args(argv)
    result = with_previous(run(args.graph, args.runs), args.out)
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(text)
    print("\n".join(section(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
