"""Answers kept in the store for the next process, valid for one store generation.

:mod:`queries.index` caches answers for the life of one process. A command line is a fresh
process each time, so the whole-process cost of ``zhenkg coverage`` or ``zhenkg tasks --unit``
is the cost of computing the answer again. A store that keeps answers (the SQLite store:
``SqliteStore.stored_answer`` and ``keep_answer``, a table in the store file) lets the first
process that computes an answer leave it for the others:

- an answer is kept with the generation of the snapshot it was computed from, and read back
  only while the store is at that generation: any write that changes a fact bumps the
  generation (and empties the table), so a kept answer is never stale;
- keeping is best-effort and never waits: a store locked by a writer, read-only or full simply
  keeps nothing, and the next process computes again;
- what is kept is the text the command prints (JSON), compressed, so that a hit costs neither
  the graph nor the answer models.

The answers are those of :class:`queries.service.Questions`; tests compare kept and computed
answers byte for byte, and check invalidation by ingest and removal.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

SEPARATOR = "\0"  # between the parts of one answer: JSON text never holds a raw NUL
# Part of every key: an answer kept by an earlier release is not read back by one that answers
# differently. Raise it with any change to what a kept command prints (2: a town's gaps are
# owned by its county's plans only; 3: ``gaps`` sums up many registers and says when a chain
# has no gap; 4: the ``targets`` table shows the first 50 without --top; 5: ``gaps`` and
# ``targets`` name the chain and the town in their first line; 6: ``coverage`` keeps how many
# regions its units are of; 7: the ``tasks`` table names the document when there are several;
# 8: a basis summing up registers gives no total of their sources).
ANSWERS = "8"


@runtime_checkable
class AnswerStore(Protocol):
    """A store that keeps answers per generation."""

    def stored_answer(self, key: str) -> tuple[int, bytes | None]:
        """The current generation, and the answer kept under ``key`` at it (or ``None``)."""
        ...

    def keep_answer(self, key: str, generation: int, value: bytes) -> bool:
        """Keep ``value`` under ``key`` if the store is still at ``generation``."""
        ...


Compute = Callable[[], tuple[int | None, Sequence[str]]]


def answer_key(*parts: str | None) -> str:
    """The key of an answer: the question and its arguments, under :data:`ANSWERS`.

    >>> answer_key("coverage", None)
    '["8","coverage",null]'
    """
    return json.dumps([ANSWERS, *parts], ensure_ascii=False, separators=(",", ":"))


def kept(store: object, key: str, compute: Compute) -> list[str]:
    """The parts of the answer under ``key``: kept by the store at its current generation,
    else computed and kept (when ``compute`` names the generation it read).

    ``compute`` returns the generation its answer was computed at (``None``: unknown, keep
    nothing) and the answer's parts (texts without a NUL).

    >>> calls = []
    >>> def compute(): calls.append(1); return None, ['{"a": 1}']
    >>> kept(object(), "k", compute), len(calls)
    (['{"a": 1}'], 1)
    """
    if not isinstance(store, AnswerStore):
        return list(compute()[1])
    _, raw = store.stored_answer(key)
    if raw is not None:
        try:
            return zlib.decompress(raw).decode("utf-8").split(SEPARATOR)
        except (zlib.error, UnicodeDecodeError):
            pass  # a damaged row: compute again, and replace it
    at, parts = compute()
    if at is not None and not any(SEPARATOR in p for p in parts):
        text = SEPARATOR.join(parts).encode("utf-8")
        store.keep_answer(key, at, zlib.compress(text, 1))
    return list(parts)
