"""Fixtures of the robustness tests: a time limit per case, and the sample as a store file."""

from __future__ import annotations

import copy
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "zezhou-2023-17.txt"


class CaseTimeout(AssertionError):
    """A case ran past its time limit (an assertion, so pytest reports it as a failure)."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail with :class:`CaseTimeout` when the block runs longer than ``seconds``.

    SIGALRM interrupts pure-Python loops and regexes between bytecodes, so a runaway case
    fails on time instead of hanging the suite (main thread, Unix only).
    """

    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"{what}: still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    """The bundled sample plan, as stored (UTF-8)."""
    return SAMPLE.read_bytes()


@pytest.fixture
def sample_file_store(tmp_path: Path, sample_fragment: Fragment) -> NetworkxStore:
    """A store file under ``tmp_path`` holding the sample plan."""
    store = NetworkxStore(tmp_path / "graph.json")
    store.load(copy.deepcopy(sample_fragment))
    return store
