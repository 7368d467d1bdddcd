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

The measurements live in :mod:`bench.ingest_formats` (the timed pipeline, per format),
:mod:`bench.ingest_build` (the province build) and :mod:`bench.ingest_processes` (start-up, the
store file, ``zhenkg ingest DIR``); this module runs them all and holds the real-document rate.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.ingest_build import build
from bench.ingest_formats import ROOT, SAMPLE, Pipeline, format_throughput
from bench.ingest_processes import PYTHON, cli_dir, file_store, startup


def _json_of(args: list[str]) -> dict[str, Any]:
    """What a fresh interpreter run with ``args`` prints, as JSON."""
    done = subprocess.run([PYTHON, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def build_in_subprocess(corpus: Path, out: Path) -> dict[str, Any]:
    """:func:`build` in a fresh interpreter, so its peak memory is its own."""
    return _json_of(["-m", "bench.ingest", "--build", str(corpus), str(out)])


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
