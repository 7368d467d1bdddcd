"""Budgets of the readers: how deep, how large and how long one document may be.

A reader refuses a document past a budget early, with a one-line
:class:`~graph.errors.OverBudget` naming the limit and how to change it, instead of spending
minutes or gigabytes on it. The limits a user may need to raise are read from the environment
at each call, so a test or a server can change them without a restart:

=========================  ==========================================================  ========
``ZHENKG_MAX_EXPANDED``    bytes a DOCX (any ZIP container) may unpack to; also never   50 MB
                           more than 50× the file (and at least 1 MB)
``ZHENKG_MAX_PAGES``       pages of a PDF                                               1000
``ZHENKG_MAX_SECONDS``     seconds to read and parse one document (CLI and API)         60
=========================  ==========================================================  ========

The shape limits of HTML (nesting depth, elements) and of tables are constants: real pages and
plans stay far below them.

Example:
    >>> expanded_cap(100_000, {"ZHENKG_MAX_EXPANDED": "52428800"})
    5000000
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from graph.errors import InvalidSetting, OverBudget

__all__ = [
    "HTML_MAX_DEPTH",
    "HTML_MAX_ELEMENTS",
    "check_time",
    "check_zip",
    "expanded_cap",
    "max_pages",
    "time_budget",
]

MAX_EXPANDED = 50 * 1024 * 1024
EXPANSION_RATIO = 50
MIN_EXPANDED = 1024 * 1024  # a tiny DOCX may unpack to this much whatever its ratio
MAX_PAGES = 1000
MAX_SECONDS = 60.0
MAX_ZIP_ENTRIES = 10_000
HTML_MAX_DEPTH = 512  # portal pages nest 20-60 deep; 100,000 nested <div> is an attack
HTML_MAX_ELEMENTS = 300_000  # a long portal page has a few thousand

_deadline: ContextVar[tuple[float, float, str] | None] = ContextVar("zhenkg_deadline", default=None)


def _number(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise InvalidSetting(f"{key}={raw!r}: expected a positive number")
    return value


def expanded_cap(size: int, env: Mapping[str, str] | None = None) -> int:
    """The bytes a ZIP container of ``size`` bytes may unpack to."""
    limit = int(_number(os.environ if env is None else env, "ZHENKG_MAX_EXPANDED", MAX_EXPANDED))
    return min(limit, max(EXPANSION_RATIO * size, MIN_EXPANDED))


def max_pages(env: Mapping[str, str] | None = None) -> int:
    """The most pages a PDF may have (``ZHENKG_MAX_PAGES``)."""
    return int(_number(os.environ if env is None else env, "ZHENKG_MAX_PAGES", MAX_PAGES))


def check_zip(archive: zipfile.ZipFile, size: int, name: str) -> None:
    """Refuse a ZIP container whose declared or actual unpacked size passes the cap.

    The declared sizes (central directory) are summed first, which refuses most bombs without
    inflating a byte; then every member is inflated in chunks and counted, so a member that
    lies about its size is caught too, before any XML parser sees it.

    Raises:
        OverBudget: too many members, or more unpacked bytes than :func:`expanded_cap`.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise OverBudget(
            f"{name}: ZIP container with {len(infos):,} members, more than {MAX_ZIP_ENTRIES:,}"
        )
    cap = expanded_cap(size)
    why = (
        f"more than the {cap:,} allowed (ZHENKG_MAX_EXPANDED, at most {EXPANSION_RATIO}× the file)"
    )
    declared = sum(info.file_size for info in infos)
    if declared > cap:
        raise OverBudget(f"{name}: declares {declared:,} bytes unpacked, {why}")
    total = 0
    for info in infos:
        with archive.open(info) as member:
            while chunk := member.read(1 << 16):
                total += len(chunk)
                if total > cap:
                    raise OverBudget(f"{name}: unpacks to {why}")
        check_time("unpacking")


@contextmanager
def time_budget(name: str, seconds: float | None = None) -> Iterator[float]:
    """Give the reading and parsing of one document ``seconds`` (``ZHENKG_MAX_SECONDS``).

    Readers call :func:`check_time` between units of work (pages, paragraphs, elements); the
    first call past the deadline raises. A budget opened inside another keeps the earlier
    deadline when that one comes first.
    """
    budget = (
        seconds if seconds is not None else _number(os.environ, "ZHENKG_MAX_SECONDS", MAX_SECONDS)
    )
    deadline = time.monotonic() + budget
    outer = _deadline.get()
    if outer is not None and outer[0] < deadline:
        deadline, budget, name = outer
    token = _deadline.set((deadline, budget, name))
    try:
        yield budget
    finally:
        _deadline.reset(token)


def check_time(stage: str) -> None:
    """Raise :class:`OverBudget` when the current document's time budget is spent.

    Outside :func:`time_budget` (a reader called directly) there is no deadline.
    """
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        _, budget, name = current
        raise OverBudget(
            f"{name}: still {stage} after {budget:g} s, the time budget of one document "
            "(ZHENKG_MAX_SECONDS)"
        )
