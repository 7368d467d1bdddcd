"""What ``ingest.load`` keeps per folder and towns gives what it used to work out per plan."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.load as load
from graph.chains import ChainTemplate
from graph.fragment import Fragment
from graph.record import DocumentFields, Record
from ingest.addresses import add_addresses

TOWNS = [
    [],
    ["泽州铸造"],
    ["泽州山楂红酒"],
    ["泽州铸造", "泽州山楂红酒"],
    ["别处"],
    ["别处", "泽州铸造"],
]


def _chains_for_per_plan(record: Record) -> list[ChainTemplate]:
    """``chains_for`` as it was: the bindings scanned for every plan."""
    named = {b.chain for b in load.bindings() if b.town in record.towns}
    every = load.chains()
    return [c for cid, c in every.items() if cid in named] or list(every.values())


@pytest.mark.parametrize("towns", TOWNS)
def test_chains_and_keywords_kept_per_towns_equal_the_per_plan_answer(towns: list[str]) -> None:
    record = Record(document=DocumentFields(region="泽州县"), towns=towns)
    assert load.chains_for(record) == _chains_for_per_plan(record)
    tasks = [("task:a", "发展铸造产业，铸件毛坯和精密铸造"), ("task:b", "山楂红酒与山楂深加工")]
    kept, dumped = Fragment(), Fragment()
    add_addresses(kept, load.chains_for(record), tasks, "doc:x", load._keywords(record))
    add_addresses(dumped, load.chains_for(record), tasks, "doc:x")  # keywords_of per JSON dump
    assert kept == dumped and kept.edges


def test_chains_dir_follows_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHENKG_CHAINS", raising=False)
    assert load.chains_dir() == load.DATA / "chains"
    monkeypatch.setenv("ZHENKG_CHAINS", str(tmp_path))
    assert load.chains_dir() == tmp_path
    monkeypatch.setenv("ZHENKG_CHAINS", "")
    assert load.chains_dir() == Path("")
