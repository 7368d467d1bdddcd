"""Ingest many documents: folders walked recursively, one bad file reported and skipped.

Each file goes through the whole pipeline (read → … → record), then
:func:`graph.merge.load_document` merges it with what the store holds (citations,
placeholders, versions). A file that cannot be read or parsed is recorded as a failure and the
batch moves on; a store that cannot be written stops the batch (nothing after it could land).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import StoreUnavailable, ZhenkgError
from graph.merge import Merged
from graph.record import Record
from graph.sqlite_store import SqliteStore
from graph.store import GraphStore
from ingest.load import shared_reference, store_record
from ingest.pipeline import extract_file
from ingest.resolve import Roster

SUPPORTED = (".txt", ".docx", ".pdf", ".html", ".htm")

Progress = Callable[[int, int, Path], None]  # (files done, files in all, current file)


@dataclass
class Loaded:
    """A file that went in: its record and what merging it did."""

    path: Path
    record: Record
    merged: Merged


@dataclass
class Failed:
    """A file that did not go in, and why (one line)."""

    path: Path
    error: str


@dataclass
class BatchReport:
    """The outcome of one batch, in file order."""

    loaded: list[Loaded] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The files to ingest: files as given, folders walked for supported extensions.

    Hidden files and folders (``.git``, ``~$`` Office lock files) inside a folder are skipped;
    a file named explicitly is kept whatever its extension (the reader sniffs the content).
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file()
                and f.suffix.lower() in SUPPORTED
                and not any(part.startswith((".", "~$")) for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return list(dict.fromkeys(out))


@contextmanager
def settled_heap() -> Iterator[Callable[[], None]]:
    """A batch's ``settle()``, called between documents, keeps what is built so far out of the
    garbage collector's full walks; at the end of the batch the heap is given back.

    A batch grows the heap (records, fragments, an in-memory graph), and CPython walks all of
    it on each full collection: a fifth of the CPU of a 1,000-plan in-memory build went there
    (``bench/README.md``). ``gc.freeze()`` is constant-time; objects freed while frozen still
    go by reference counting, and cyclic garbage waits for the end of the batch. When someone
    froze the heap before (the server's snapshots), it is left frozen for them to manage.
    """
    own = gc.get_freeze_count() == 0
    try:
        yield gc.freeze
    finally:
        if own:
            gc.unfreeze()


COMMIT_EVERY = 32  # documents one commit holds on the SQLite store (a commit per plan: 8 %)


@contextmanager
def grouped_commits(store: GraphStore) -> Iterator[Callable[[], None]]:
    """A batch's ``done()``, called after each document that went in, commits them
    :data:`COMMIT_EVERY` at a time where the store can (SQLite: one commit writes the pages
    the documents share once); each document is still all or nothing (a savepoint), and one
    that fails leaves the others of its group in. An interrupt or a bug stopping the batch
    keeps the documents that went in before it; a store that cannot be written stops it with
    the whole group rolled back.
    """
    if not isinstance(store, SqliteStore):
        yield lambda: None
        return
    group = ExitStack()
    count = 0

    def done() -> None:
        nonlocal count
        count += 1
        if count % COMMIT_EVERY == 0:
            group.close()
            group.enter_context(store.transaction())

    group.enter_context(store.transaction())
    try:
        yield done
    except StoreUnavailable as exc:
        group.__exit__(type(exc), exc, exc.__traceback__)  # rolled back
        raise
    except BaseException:
        group.close()  # commits what went in
        raise
    group.close()


def ingest_paths(
    store: GraphStore,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    roster: Roster | None = None,
) -> BatchReport:
    """Extract and merge every file under ``paths`` into ``store``.

    Raises:
        StoreUnavailable: the store cannot be written (the batch stops there).
    """
    files = discover(paths)
    report = BatchReport()
    # a binding without a region makes the reference each document's own: every document
    # then states it (each replaces the one before, as alone); else the first carries it
    shared, carried = shared_reference(), False
    with settled_heap() as settle, grouped_commits(store) as done:
        for i, path in enumerate(files):
            settle()
            if progress:
                progress(i, len(files), path)
            try:
                record = extract_file(path, roster)
            except ZhenkgError as exc:
                report.failed.append(Failed(path, str(exc)))
                continue
            except Exception as exc:  # a parser bug on one odd file must not sink the batch
                report.failed.append(Failed(path, f"{path}: {type(exc).__name__}: {exc}"))
                continue
            try:
                merged = store_record(store, record, reference=not (shared and carried))
            except StoreUnavailable:
                raise
            except ZhenkgError as exc:
                report.failed.append(Failed(path, str(exc)))
                continue
            carried = carried or shared
            report.loaded.append(Loaded(path, record, merged))
            done()
    if progress:
        progress(len(files), len(files), files[-1] if files else Path())
    return report
