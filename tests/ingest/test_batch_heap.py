"""A batch keeps its growing heap out of the collector's full walks, and gives it back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from graph.networkx_store import NetworkxStore
from ingest.batch import ingest_paths, settled_heap
from tests.multidoc import GAOPING, SAMPLE


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_batch_freezes_between_documents_and_unfreezes_at_the_end(unfrozen: None) -> None:
    seen: list[int] = []
    report = ingest_paths(
        NetworkxStore(), [SAMPLE, GAOPING], progress=lambda *_: seen.append(gc.get_freeze_count())
    )
    assert len(report.loaded) == 2
    assert seen[0] > 0 and seen[1] >= seen[0]  # what start-up and the first plan built, frozen
    assert gc.get_freeze_count() == 0  # given back: its cyclic garbage can go


def test_a_heap_frozen_before_is_left_to_whoever_froze_it(unfrozen: None) -> None:
    gc.freeze()  # as the server freezes its snapshot
    with settled_heap() as settle:
        settle()
    assert gc.get_freeze_count() > 0
