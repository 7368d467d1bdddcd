"""Investment targets (招商目标): firms of other regions' registers on a county's gaps.

On the sample plan with its 泽州 register and an invented register of two made-up counties
(``tests/data/targets/neighbours.csv``), and on a bench-like store of generated counties; every
store answers as networkx does.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bench.generate import chain_nodes
from bench.province import Province
from graph.errors import TownNeeded, UnknownChain
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import GraphStore
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file
from queries.service import Questions

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "zezhou-2023-17.txt"
NEIGHBOURS = REPO / "tests" / "data" / "targets" / "neighbours.csv"
TOWN = "泽州铸造"


@pytest.fixture(scope="module")
def sample() -> list[Fragment]:
    """The sample plan with its chains and the 泽州 sample register."""
    return [document_fragment(extract_file(SAMPLE)), register_load(SAMPLE_REGISTER)[0]]


@pytest.fixture(scope="module")
def neighbours() -> Fragment:
    return register_load(NEIGHBOURS)[0]


def filled(store: GraphStore, fragments: list[Fragment]) -> GraphStore:
    for f in fragments:
        store.load(copy.deepcopy(f))
    return store


def test_no_other_register_means_no_target(sample: list[Fragment]) -> None:
    report = Questions(filled(NetworkxStore(None), sample)).targets("foundry", TOWN)
    assert report.outcome == "no_other_register"
    assert report.region == "泽州县" and report.regions == [] and report.targets == []
    assert report.gaps > 0 and len(report.uncovered) == report.gaps


def test_firms_of_other_counties_on_the_gaps_ranked(
    sample: list[Fragment], neighbours: Fragment
) -> None:
    q = Questions(filled(NetworkxStore(None), [*sample, neighbours]))
    report = q.targets("foundry", TOWN)
    gaps = {g.id: g for g in q.gaps("foundry", TOWN).nodes if g.action}
    assert report.outcome == "targets"
    assert report.regions == ["乙县（虚构）", "甲县（虚构）"]
    pairs = [(t.name, t.link.split(":")[-1]) for t in report.targets]
    # testing scores 1.0; at 0.6, the firm of unstated scale before the 规下 one
    assert pairs[:2] == [("测试甲检测有限公司", "testing"), ("测试丙机加工有限公司", "machining")]
    assert set(pairs[2:]) == {
        ("测试乙热处理有限公司", "heat_treatment"),
        ("测试乙热处理有限公司", "machining"),
    }
    assert [t.rank for t in report.targets] == [1, 2, 3, 4]
    for t in report.targets:
        assert t.link in gaps and t.action == gaps[t.link].action and t.score == gaps[t.link].score
        assert t.region != "泽州县"
        assert t.source.file == "neighbours.csv" and t.source.row in {3, 4, 5}
        assert t.owner.tasks == gaps[t.link].tasks and t.owner.unit is not None
        assert t.owner.person is not None
    first = report.targets[0]
    assert (first.scale, first.town, first.source.row) == (True, "甲县铸造", 3)
    # partners: present county links next to the firm's own links along SUPPLIES
    assert first.supplies or first.buys_from
    assert q.targets("foundry", TOWN, top=1).targets == report.targets[:1]


def test_town_defaults_to_the_one_featuring_the_chain(sample: list[Fragment]) -> None:
    q = Questions(filled(NetworkxStore(None), sample))
    assert q.targets("铸造").town == "town:泽州县:泽州铸造"
    with pytest.raises(UnknownChain):
        q.targets("nochain")


def test_several_towns_need_one_named(sample: list[Fragment], neighbours: Fragment) -> None:
    from queries.chains import ChainSummary, TownRef
    from queries.targets import home_town

    towns = [TownRef(id="town:甲:a", name="a"), TownRef(id="town:乙:b", name="b")]
    summary = ChainSummary(id="chain:x", key="x", name="X", nodes=1, firms=0, towns=towns)
    with pytest.raises(TownNeeded):
        home_town([summary], "x")
    assert home_town([summary], "y") is None


def test_every_store_answers_alike(
    store: GraphStore, sample: list[Fragment], neighbours: Fragment
) -> None:
    fragments = [*sample, neighbours]
    ours = Questions(filled(store, fragments)).targets("foundry", TOWN)
    reference = Questions(filled(NetworkxStore(None), fragments)).targets("foundry", TOWN)
    assert ours.model_dump() == reference.model_dump()


def bench_store(store: GraphStore, tmp_path: Path) -> Province:
    """Three generated counties, each with its plan and register (bench/province.py)."""
    province = Province(seed=7, counties=3, plans=3)
    for k, plan in enumerate(province.plans()):
        path = tmp_path / f"plan{k}.txt"
        path.write_text(plan.text, "utf-8")
        store.load(document_fragment(extract_file(path)))
    for county in province.counties:
        path = tmp_path / f"{county.short}.csv"
        path.write_text(province.register(county, 30, chain_nodes()), "utf-8")
        store.load(register_load(path, county.name)[0])
    return province


def test_bench_county_gets_only_other_counties_firms_on_its_gaps(
    store: GraphStore, tmp_path: Path
) -> None:
    province = bench_store(store, tmp_path)
    county = province.counties[0]
    q = Questions(store)
    town = county.short + "铸造"
    report = q.targets("foundry", town)
    gaps = {g.id for g in q.gaps("foundry", town).nodes if g.action}
    missing = {g.id for g in q.gaps("foundry", town).nodes if g.status == "missing"}
    others = {c.name for c in province.counties[1:]}
    assert report.outcome == "targets" and set(report.regions) == others
    assert report.targets and {t.link for t in report.targets} <= gaps
    assert {t.link for t in report.targets} & missing
    for t in report.targets:
        assert t.region in others and not t.name.startswith(county.short)
        assert t.source.file in {f"{c.short}.csv" for c in province.counties[1:]}
        lines = (tmp_path / t.source.file).read_text("utf-8").splitlines()
        assert t.source.row is not None and lines[t.source.row - 1].startswith(t.name + ",")
    (tmp_path / "ref").mkdir()
    reference = NetworkxStore(None)
    bench_store(reference, tmp_path / "ref")
    assert report.model_dump() == Questions(reference).targets("foundry", town).model_dump()


def test_a_top_is_the_head_of_the_whole_ranking(store: GraphStore, tmp_path: Path) -> None:
    """Only the ``top`` targets are built (a province pairs a gap with ~47k firms): they are the
    first of the whole ranking, with the whole's total, uncovered gaps and outcome, and the
    owners of their gaps."""
    province = bench_store(store, tmp_path)
    q = Questions(store)
    town = province.counties[1].short + "铸造"
    whole = q.targets("foundry", town)
    assert len(whole.targets) > 5
    for top in (0, 1, 3, len(whole.targets), len(whole.targets) + 10):
        head = q.targets("foundry", town, top=top)
        assert head.targets == whole.targets[:top], top
        rest = head.model_dump(exclude={"targets"})
        assert rest == whole.model_dump(exclude={"targets"}), top
