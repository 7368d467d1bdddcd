"""``zhenkg ingest FILE|DIR …``: a batch with a progress bar on stderr and a two-part summary.

On a terminal the bar redraws one line; piped, it prints one line per file, so logs stay
readable. The summary (stdout) lists what went in — new, a new version, or unchanged — and
what did not, with the reason; the exit status is 1 when any file failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from graph.store import GraphStore
from ingest.batch import BatchReport, Loaded, ingest_paths

BAR = 24


class ProgressBar:
    """A plain-text progress bar: ``[#####·······] 3/10 plan.docx``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int, path: Path) -> None:
        """Show ``done`` of ``total`` files, ``path`` being next (or last, when done)."""
        if total <= 1:  # one file: its summary line is progress enough
            return
        filled = BAR * done // total
        line = f"[{'#' * filled}{'·' * (BAR - filled)}] {done}/{total} {path.name}"
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write("\r\033[K" + line + end)
        elif done < total:
            self.stream.write(line + "\n")
        self.stream.flush()


def describe(item: Loaded) -> str:
    """One summary line for a file that went in."""
    d, m = item.record.document, item.merged
    did = {"new": "已导入", "updated": "已导入新版本", "unchanged": "未变（已在库中）"}[m.status]
    extra = f"；引用的 {'、'.join(m.placeholders)} 尚未导入" if m.placeholders else ""
    members = sum(len(g.members) for g in item.record.groups)
    return (
        f"{did} {item.path.name}: {d.doc_number or '-'} {d.title or ''}"
        f"（{len(item.record.tasks)} 项任务，{members} 名成员，第 {m.version} 版{extra}）"
    )


def summary(report: BatchReport, before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The lines printed after a batch: files in, files not in, store counts."""
    lines = [describe(item) for item in report.loaded]
    if report.failed:
        lines.append(
            f"未导入 {len(report.failed)} 个（共 {len(report.failed) + len(report.loaded)} 个）："
        )
        lines += [f"  {f.path}: {f.error}" for f in report.failed]
    if report.loaded:
        keys = sorted(set(before) | set(after))
        lines.append(
            "库中现有："
            + ", ".join(
                f"{k} {after.get(k, 0)} ({after.get(k, 0) - before.get(k, 0):+d})" for k in keys
            )
        )
    return lines


def run_ingest(store: GraphStore, args: argparse.Namespace) -> int:
    """Ingest ``args.files`` (files or folders) into ``store``; 1 when any file failed."""
    before = store.counts()
    bar = None if getattr(args, "quiet", False) else ProgressBar()
    report = ingest_paths(store, args.files, progress=bar)
    after = store.counts()
    if not report.loaded and not report.failed:
        print(
            "zhenkg: error: no supported document (.txt .docx .pdf .html .htm) found",
            file=sys.stderr,
        )
        return 1
    if len(report.failed) == 1 and not report.loaded:
        # One file, one error: keep it to the single line every other command prints.
        print(f"zhenkg: error: {report.failed[0].error}", file=sys.stderr)
        return 1
    for f in report.failed:
        print(f"zhenkg: error: {f.error}", file=sys.stderr)
    for item in report.loaded:
        for warning in item.record.warnings:
            print(f"zhenkg: 提示：{warning}", file=sys.stderr)
    for line in summary(report, before, after):
        print(line)
    return 1 if report.failed else 0
