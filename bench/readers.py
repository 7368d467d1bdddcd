"""Bare text extraction speed of each reader, the floor the ingest benchmark compares against.

Run ``python -m bench.readers [--copies N]``: the bundled sample is built once as TXT, DOCX,
PDF and HTML (with the test builders, which need the dev extra's reportlab), copied N times
into a temporary folder, and every copy is read with :func:`ingest.readers.read_source`.
The result, printed as JSON, maps each format to documents/s and MB/s of input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from ingest.readers import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
FIELDS = {
    "index_no": "11140525MB1957114B/2023-00117",
    "issuer": "泽州县人民政府办公室",
    "doc_number": "泽政办发〔2023〕17号",
    "date": "2023年6月26日",
    "published": "2023-06-28",
}


def build_corpus(folder: Path, copies: int, sample: Path = SAMPLE) -> list[Path]:
    """Write ``copies`` files of the sample in each format into ``folder``.

    Args:
        folder: an existing, writable folder.
        copies: how many files per format.
        sample: the plan text to build from.

    Returns:
        The paths written, grouped by format.
    """
    from tests.ingest.builders import build_docx, build_html, build_pdf

    text = sample.read_text("utf-8")
    originals = [
        folder / "original.txt",
        build_docx(text, folder / "original.docx"),
        build_pdf(text, folder / "original.pdf"),
        build_html(text, folder / "original.html", FIELDS),
    ]
    originals[0].write_text(text, "utf-8")
    paths: list[Path] = []
    for original in originals:
        for i in range(copies):
            copy = folder / f"plan-{i:04d}{original.suffix}"
            shutil.copyfile(original, copy)
            paths.append(copy)
    return paths


def bare_extraction(paths: Iterable[str | Path]) -> dict[str, dict[str, float]]:
    """Read every file and report the extraction speed per detected format.

    Args:
        paths: documents to read; the format is the one the reader detects.

    Returns:
        For each format: ``documents``, ``bytes``, ``seconds``, ``docs_per_s`` and ``mb_per_s``
        (input megabytes, 10**6 bytes, per second).

    Raises:
        UnreadableDocument: a file cannot be read.

    Example:
        >>> stats = bare_extraction([SAMPLE])
        >>> stats["txt"]["documents"]
        1
    """
    totals: dict[str, list[float]] = {}
    for path in paths:
        size = Path(path).stat().st_size
        start = time.perf_counter()
        source = read_source(path)
        elapsed = time.perf_counter() - start
        total = totals.setdefault(source.format, [0.0, 0.0, 0.0])
        total[0] += 1
        total[1] += size
        total[2] += elapsed
    return {
        fmt: {
            "documents": int(n),
            "bytes": int(size),
            "seconds": round(seconds, 6),
            "docs_per_s": round(n / seconds, 2) if seconds else float("inf"),
            "mb_per_s": round(size / 1e6 / seconds, 3) if seconds else float("inf"),
        }
        for fmt, (n, size, seconds) in sorted(totals.items())
    }


def main(argv: list[str] | None = None) -> int:
    """Build the corpus in a temporary folder, time the readers, print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.readers", description=__doc__)
    parser.add_argument("--copies", "-n", type=int, default=20, help="files per format")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhenkg-bench-") as folder:
        paths = build_corpus(Path(folder), args.copies)
        print(json.dumps(bare_extraction(paths), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
