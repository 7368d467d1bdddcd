"""A batch lets its first document carry the chain templates and town bindings for the rest
when they are the same for every document: the store it writes is the one a document at a
time writes, and when the first document fails, the next that goes in carries them."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.batch as batch
import ingest.load as load
from graph.errors import UnreadableDocument
from graph.fragment import Fragment
from graph.merge import Merged
from graph.record import Record
from graph.schema import Label
from graph.sqlite_store import SqliteStore
from graph.store import GraphStore
from ingest.batch import ingest_paths
from ingest.load import shared_reference
from tests.multidoc import GAOPING, SAMPLE, YANGCHENG, edges_of, ingest, nodes_of

PLANS = [SAMPLE, YANGCHENG, GAOPING]


def test_a_batch_writes_what_one_document_at_a_time_writes() -> None:
    batch, single = SqliteStore(), SqliteStore()
    ingest(batch, *PLANS)
    for plan in PLANS:
        ingest(single, plan)  # a batch of one: each carries the reference
    assert nodes_of(batch.read_graph()) == nodes_of(single.read_graph())
    assert edges_of(batch.read_graph()) == edges_of(single.read_graph())


def test_only_the_first_document_carries_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    carried: list[bool] = []
    fragment = load.document_fragment

    def spy(record: Record, reference: bool = True) -> Fragment:
        carried.append(reference)
        return fragment(record, reference)

    monkeypatch.setattr(load, "document_fragment", spy)
    ingest(SqliteStore(), *PLANS)
    assert carried == [True, False, False]


def test_when_the_first_document_fails_the_next_carries_the_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def store_record(store: GraphStore, record: Record, reference: bool = True) -> Merged:
        with store.transaction():  # type: ignore[attr-defined]
            merged = load.store_record(store, record, reference)
            if Path(str(record.document.source)).name == SAMPLE.name:
                raise UnreadableDocument("refused after its write")  # rolled back
        return merged

    monkeypatch.setattr(batch, "store_record", store_record)
    store = SqliteStore()
    report = ingest_paths(store, [SAMPLE, YANGCHENG])
    assert [f.path for f in report.failed] == [SAMPLE]
    G = store.read_graph()
    chain_nodes = [n for n, d in G.nodes(data=True) if d.get("label") == Label.CHAIN_NODE.value]
    assert len(chain_nodes) == sum(len(t.nodes) for t in load.chains().values()) > 0


def _regionless_bindings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled chains with town bindings that name no region, as ``$ZHENKG_CHAINS``."""
    folder.mkdir()
    for path in load.chains_dir().glob("*.yaml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    towns = folder / "towns.yaml"
    towns.write_text(
        "\n".join(ln for ln in towns.read_text("utf-8").splitlines() if "region:" not in ln),
        "utf-8",
    )
    monkeypatch.setenv("ZHENKG_CHAINS", str(folder))


def test_the_reference_is_shared_unless_a_binding_names_no_region(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert all(b.region for b in load.bindings())  # the bundled bindings name their county
    assert shared_reference()
    _regionless_bindings(tmp_path / "chains", monkeypatch)
    assert not shared_reference()


def test_bindings_without_a_region_are_stated_by_every_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each document binds the towns in its own region, replacing the binding before it: a
    batch ends where the same documents one at a time end (泽州县's towns, stated last)."""
    _regionless_bindings(tmp_path / "chains", monkeypatch)
    again = tmp_path / "zezhou-again.txt"
    again.write_text(SAMPLE.read_text("utf-8").replace("17号", "18号"), "utf-8")
    plans = [SAMPLE, YANGCHENG, again]
    batch_store, single = SqliteStore(), SqliteStore()
    ingest(batch_store, *plans)
    for plan in plans:
        ingest(single, plan)
    featured = {
        u for u, _, d in batch_store.read_graph().edges(data=True) if d["type"] == "FEATURES"
    }
    assert featured and all(u.startswith("town:泽州县:") for u in featured)
    assert edges_of(batch_store.read_graph()) == edges_of(single.read_graph())
