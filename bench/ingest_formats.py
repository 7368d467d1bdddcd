"""The ingest ``zhenkg ingest`` runs, timed per stage, and its throughput per format.

:class:`Pipeline` reads, extracts, fragments and merges one file as the CLI does, timing each
of :data:`STAGES`; the province build (:mod:`bench.ingest_build`), the start-up script
(:mod:`bench.ingest_processes`) and the real-document rate (:mod:`bench.ingest`) run it too.
:func:`format_throughput` ingests the same plans in each format into a fresh in-memory store
and compares the whole with the bare text extraction of the same files
(``bench.readers.bare_extraction``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
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


def rate(n: int, size: int, seconds: float) -> dict[str, float]:
    """Documents, bytes and seconds of an ingest, with its documents/s and MB/s."""
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
            **rate(len(paths), size, total),
            "docs_per_cpu_s": round(len(paths) / cpu, 2) if cpu else 0.0,
            "stages_ms_per_doc": {k: round(v / len(paths) * 1000, 3) for k, v in stages.items()},
            "bare_seconds": round(bare, 4),
            "ratio_to_bare": round(total / bare, 2) if bare else None,
        }
    return out
