"""Chain gaps: classification rules on a hand-made chain, the graph query, owners of gaps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from graph.chain_files import load_chains, load_town_bindings
from graph.chain_fragments import binding_fragment, chain_fragment, register_fragment
from graph.chains import ChainTemplate
from graph.errors import UnknownChain, UnknownNode
from graph.networkx_store import apply_fragment, to_fragment
from graph.store import GraphStore
from ingest.firms import import_register
from queries.gap_owners import attach_owners
from queries.gaps import NodeGap, chain_gaps, classify
from queries.service import Questions
from tests.queries.conftest import REGION, Firms

REPO = Path(__file__).resolve().parents[2]
Build = Callable[[Firms], nx.MultiDiGraph]


def _table(gaps: list[NodeGap]) -> dict[str, tuple[str, str | None]]:
    return {g.id.split(":")[-1]: (g.status, g.action) for g in gaps}


# -- classify -------------------------------------------------------------------------------
def test_empty_register_every_node_missing_and_to_fill(mini: ChainTemplate) -> None:
    gaps = classify(mini, {})
    assert {g.status for g in gaps} == {"missing"}
    assert {g.action for g in gaps} == {"补链"}
    assert {g.score for g in gaps} == {0.0} and {g.firms for g in gaps} == {0}
    assert [g.id for g in gaps][:2] == ["chainnode:mini:ore", "chainnode:mini:sand"]


def test_every_node_present_means_no_gaps(mini: ChainTemplate) -> None:
    gaps = classify(mini, {n.id: 2 for n in mini.nodes})
    assert {(g.status, g.action) for g in gaps} == {("present", None)}


def test_fill_inside_and_extend_beyond_the_present_chain(mini: ChainTemplate) -> None:
    table = _table(classify(mini, {"ore": 2, "pipe": 3}))
    assert table == {
        "ore": ("present", None),
        "sand": ("missing", "延链"),  # upstream of the first present link
        "smelt": ("missing", "补链"),  # ore above, pipe below: a hole in the chain
        "cast": ("missing", "补链"),  # a hole of two links is still a hole
        "pipe": ("present", None),
        "valve": ("missing", "延链"),  # below the chain, nothing present downstream
        "lab": ("missing", "补链"),  # a service the present pipe makers need
    }


def test_thin_node_is_to_strengthen(mini: ChainTemplate) -> None:
    table = _table(classify(mini, {"cast": 1, "pipe": 2}))
    assert table["cast"] == ("thin", "强链")
    assert table["pipe"] == ("present", None)
    assert _table(classify(mini, {"cast": 2}, thin_below=3))["cast"] == ("thin", "强链")
    assert _table(classify(mini, {"cast": 1}, thin_below=1))["cast"] == ("present", None)


def test_one_firm_at_a_missing_node_changes_the_actions_around_it(mini: ChainTemplate) -> None:
    before = _table(classify(mini, {"ore": 2}))
    assert before["pipe"] == ("missing", "延链")
    assert before["cast"] == ("missing", "延链") and before["smelt"] == ("missing", "延链")
    assert before["lab"] == ("missing", "延链")  # serves nothing present yet
    after = _table(classify(mini, {"ore": 2, "pipe": 1}))
    assert after["pipe"] == ("thin", "强链")
    assert after["cast"] == ("missing", "补链") and after["smelt"] == ("missing", "补链")
    assert after["lab"] == ("missing", "补链")
    assert after["valve"] == before["valve"] == ("missing", "延链")
    present = _table(classify(mini, {"ore": 2, "pipe": 1}, thin_below=1))
    assert present["pipe"] == ("present", None) and present["cast"] == ("missing", "补链")


def test_score_is_the_weighted_share_of_the_present_chain_touched(mini: ChainTemplate) -> None:
    scores = {g.id.split(":")[-1]: g.score for g in classify(mini, {"ore": 2, "pipe": 1})}
    # active weight: ore 1.0 (present) + pipe 0.5 (thin) = 1.5
    assert scores["smelt"] == pytest.approx(1.0 / 1.5, abs=1e-3)  # touches ore
    assert scores["cast"] == pytest.approx(0.5 / 1.5, abs=1e-3)  # touches pipe
    assert scores["lab"] == pytest.approx(0.5 / 1.5, abs=1e-3)  # serves pipe
    assert scores["valve"] == 0.0 and scores["sand"] == 0.0
    assert scores["ore"] == 0.0 and scores["pipe"] == 0.0  # others: nothing adjacent
    assert all(0.0 <= s <= 1.0 for s in scores.values())


def test_bad_arguments(mini: ChainTemplate) -> None:
    with pytest.raises(ValueError, match="no node 'ghost'"):
        classify(mini, {"ghost": 1})
    with pytest.raises(ValueError, match="thin_below"):
        classify(mini, {}, thin_below=0)
    with pytest.raises(ValueError, match="negative"):
        classify(mini, {"ore": -1})
    assert classify(mini, {"chainnode:mini:ore": 2})[0].status == "present"  # graph ids too


# -- chain_gaps over a graph ----------------------------------------------------------------
def test_chain_gaps_counts_firms_per_node_and_town(build: Build) -> None:
    G = build(
        [
            ("甲", "北镇", ["ore"]),
            ("乙", "北镇", ["ore", "pipe"]),
            ("丙", "南镇", ["pipe"]),
            ("丁", "北镇", []),  # an unmatched register row: located, in no node
        ]
    )
    everywhere = {g.id.split(":")[-1]: g.firms for g in chain_gaps(G, "mini").nodes}
    assert everywhere["ore"] == 2 and everywhere["pipe"] == 2 and everywhere["cast"] == 0
    north = chain_gaps(G, "chain:mini", town="北镇")
    assert north.town == f"town:{REGION}:北镇"
    table = {g.id.split(":")[-1]: (g.firms, g.status, g.action) for g in north.nodes}
    assert table["ore"] == (2, "present", None) and table["pipe"] == (1, "thin", "强链")
    assert table["cast"] == (0, "missing", "补链")
    by_id = chain_gaps(G, "迷你链", town=f"town:{REGION}:南镇")  # chain by name, town by id
    assert {g.id.split(":")[-1]: g.firms for g in by_id.nodes}["pipe"] == 1


def test_chain_gaps_json_shape_and_errors(build: Build) -> None:
    G = build([("甲", "北镇", ["ore"])])
    data = chain_gaps(G, "mini").model_dump(mode="json")
    assert list(data) == ["chain", "town", "nodes"]
    assert data["chain"] == "chain:mini" and data["town"] is None
    node = data["nodes"][0]
    expected = {"id", "name", "tier", "status", "action", "firms", "score"}
    assert expected | {"tasks", "units", "people"} <= set(node)
    assert node["tasks"] == node["units"] == node["people"] == []
    with pytest.raises(UnknownChain):
        chain_gaps(G, "nothing")
    with pytest.raises(UnknownNode):
        chain_gaps(G, "mini", town="无此镇")


def test_unknown_code_row_is_unmatched_and_not_counted(mini: ChainTemplate, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name,town,code,product\n甲,北镇,9999,\n乙,北镇,,球墨铸管\n", encoding="utf-8")
    register = import_register(path, {"mini": mini})
    assert [(u.row, u.name) for u in register.unmatched] == [(2, "甲")]
    G = nx.MultiDiGraph()
    apply_fragment(G, chain_fragment(mini))
    apply_fragment(G, register_fragment(register, REGION))
    table = {g.id.split(":")[-1]: (g.firms, g.action) for g in chain_gaps(G, "mini").nodes}
    assert table["pipe"] == (1, "强链")
    assert sum(firms for firms, _ in table.values()) == 1


# -- owners --------------------------------------------------------------------------------
def _with_plan(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    doc, town = "doc:k", f"town:{REGION}:北镇"
    G.add_node(doc, label="Document")
    G.add_edge(doc, town, key="NAMES_TOWN", type="NAMES_TOWN")
    tasks = {
        "task:k:1": ("强化平台建设", "打造检验检测平台", 0),
        "task:k:2": ("实施精准招商引资行动", "开展产业链招商", 1),
        "task:k:3": ("其他", "无关", 2),
    }
    for tid, (title, text, order) in tasks.items():
        G.add_node(tid, label="Task", title=title, text=text, doc=doc, order=order)
        G.add_edge(doc, tid, key=f"CONTAINS|{tid}", type="CONTAINS")
    G.add_edge("task:k:1", "chainnode:mini:lab", key="ADDRESSES|0-4", type="ADDRESSES",
               keyword="检验检测", span=[0, 4])  # fmt: skip
    units = {"unit:a": "县甲局", "unit:b": "县乙局", "unit:c": "县丙局"}
    for uid, name in units.items():
        G.add_node(uid, label="Unit", name=name)
    G.add_edge("unit:b", "task:k:1", key="R1", type="RESPONSIBLE_FOR", role="support", order=0)
    G.add_edge("unit:a", "task:k:1", key="R1", type="RESPONSIBLE_FOR", role="lead", order=1)
    G.add_edge("unit:c", "task:k:2", key="R2", type="RESPONSIBLE_FOR", role="responsible", order=0)
    G.add_node("person:张三", label="Person", name="张三")
    G.add_node("person:李四", label="Person", name="李四")
    G.add_edge("person:张三", "unit:a", key="HOLDS|局长", type="HOLDS", title="局长")
    G.add_edge("person:李四", "chain:mini", key="LEADS_CHAIN", type="LEADS_CHAIN")
    return G


def test_attach_owners_task_match_and_fallback(build: Build) -> None:
    G = _with_plan(build([("甲", "北镇", ["ore"]), ("乙", "北镇", ["ore", "pipe"])]))
    report = attach_owners(G, chain_gaps(G, "mini", town="北镇"))
    nodes = {g.id.split(":")[-1]: g for g in report.nodes}
    assert nodes["ore"].action is None and nodes["ore"].tasks == [] and nodes["ore"].reason is None

    lab = nodes["lab"]
    assert lab.reason == "task match"
    assert [(t.id, t.keyword) for t in lab.tasks] == [("task:k:1", "检验检测")]
    assert [(u.id, u.role) for u in lab.units] == [("unit:a", "lead"), ("unit:b", "support")]
    assert [(p.id, p.chain_leader) for p in lab.people] == [
        ("person:李四", True),
        ("person:张三", False),
    ]
    assert lab.people[0].title == "链长" and lab.people[1].unit == "unit:a"

    cast = nodes["cast"]  # no task addresses it: the plan's investment-attraction tasks
    assert cast.reason == "fallback"
    assert [t.id for t in cast.tasks] == ["task:k:2"]
    assert [u.id for u in cast.units] == ["unit:c"]
    assert [p.id for p in cast.people] == ["person:李四"]


def test_attach_owners_without_any_plan(build: Build) -> None:
    G = build([("甲", "北镇", ["ore"])])
    report = attach_owners(G, chain_gaps(G, "mini"))
    assert all(g.tasks == [] and g.reason is None for g in report.nodes)


# -- the shipped data -----------------------------------------------------------------------
def test_shipped_sample_foundry_gaps() -> None:
    chains = load_chains(REPO / "data" / "chains")
    bindings = load_town_bindings(REPO / "data" / "chains" / "towns.yaml", chains)
    register = import_register(REPO / "data" / "firms" / "zezhou-sample.csv", chains, bindings)
    G = nx.MultiDiGraph()
    for template in chains.values():
        apply_fragment(G, chain_fragment(template))
    apply_fragment(G, binding_fragment(bindings, "泽州县"))
    apply_fragment(G, register_fragment(register, "泽州县"))
    foundry = _table(chain_gaps(G, "foundry", town="泽州铸造").nodes)
    assert foundry["ductile_pipe"] == ("present", None)
    assert foundry["heat_treatment"] == ("missing", "补链")  # between casting and products
    assert foundry["pig_iron"] == ("missing", "延链")
    hawthorn = _table(chain_gaps(G, "hawthorn", town="泽州山楂红酒").nodes)
    assert hawthorn["wine"] == ("thin", "强链")  # one public processor: 彤康
    assert hawthorn["grading_cold_storage"] == ("missing", "补链")


def test_owner_ties_never_fall_to_storage_order(build: Build, store: GraphStore) -> None:
    """Two matches of one task (stored last-first), units and leaders tied on every other key:
    the earliest match gives the keyword, ties go by id, on networkx and Cypher alike."""
    G = _with_plan(build([("甲", "北镇", ["ore"]), ("乙", "北镇", ["ore", "pipe"])]))
    G.add_edge("task:k:1", "chainnode:mini:lab", key="ADDRESSES|2-4", type="ADDRESSES",
               keyword="检测", span=[2, 4])  # fmt: skip
    G.remove_edge("task:k:1", "chainnode:mini:lab", key="ADDRESSES|0-4")
    G.add_edge("task:k:1", "chainnode:mini:lab", key="ADDRESSES|0-4", type="ADDRESSES",
               keyword="检验检测", span=[0, 4])  # fmt: skip
    for uid in ("unit:z", "unit:y"):
        G.add_node(uid, label="Unit", name=uid)
        G.add_edge(uid, "task:k:1", key="R1", type="RESPONSIBLE_FOR", role="support")
    G.add_edge(
        "person:李四", "chain:mini", key="LEADS_CHAIN|副", type="LEADS_CHAIN", title="副链长"
    )
    store.load(to_fragment(G))
    lab = next(g for g in Questions(store).gaps("mini", "北镇").nodes if g.id.endswith(":lab"))
    assert [(t.id, t.keyword) for t in lab.tasks] == [("task:k:1", "检验检测")]
    assert [u.id for u in lab.units] == ["unit:a", "unit:b", "unit:y", "unit:z"]
    assert [(p.id, p.title) for p in lab.people[:2]] == [
        ("person:李四", "链长"),
        ("person:李四", "副链长"),
    ]


def _other_county(G: nx.MultiDiGraph, doc: str, region: str | None) -> None:
    """A plan of ``region`` (none: a plan whose county is not known) with a task addressing
    the lab link and an investment-attraction task, led by a unit of its own."""
    G.add_node(doc, label="Document", region=region)
    for n, (title, text) in enumerate(
        [("建设检测中心", "建设检验检测中心"), ("招商", "产业链招商")]
    ):
        task = f"task:{doc}:{n}"
        G.add_node(task, label="Task", title=title, text=text, doc=doc, order=n)
        G.add_edge(doc, task, key=f"CONTAINS|{task}", type="CONTAINS")
        G.add_edge(f"unit:{doc}", task, key=f"R{n}", type="RESPONSIBLE_FOR", role="lead", order=0)
    G.add_node(f"unit:{doc}", label="Unit", name=f"{doc}局")
    G.add_edge(f"task:{doc}:0", "chainnode:mini:lab", key="ADDRESSES|2-6", type="ADDRESSES",
               keyword="检验检测", span=[2, 6])  # fmt: skip


def test_a_towns_gaps_are_owned_by_its_countys_plans(build: Build, store: GraphStore) -> None:
    """Another county's plan addressing the link (or calling for 招商) owns nothing of this
    town's gaps; a plan of the county, or of no known county, does; on every store."""
    G = _with_plan(build([("甲", "北镇", ["ore"]), ("乙", "北镇", ["ore", "pipe"])]))
    _other_county(G, "doc:elsewhere", "别县")
    _other_county(G, "doc:ours", REGION)
    store.load(to_fragment(G))
    gaps = {g.id.split(":")[-1]: g for g in Questions(store).gaps("mini", "北镇").nodes}
    assert [t.id for t in gaps["lab"].tasks] == ["task:k:1", "task:doc:ours:0"]
    assert "unit:doc:elsewhere" not in {u.id for u in gaps["lab"].units}
    assert [t.id for t in gaps["cast"].tasks] == ["task:k:2", "task:doc:ours:1"]
    # the gaps across every town (no county): every plan's tasks
    every = {g.id.split(":")[-1]: g for g in attach_owners(G, chain_gaps(G, "mini")).nodes}
    assert [t.id for t in every["lab"].tasks] == [
        "task:doc:elsewhere:0",
        "task:k:1",
        "task:doc:ours:0",
    ]


def test_a_town_whose_county_has_no_plan_has_no_owner(build: Build) -> None:
    G = build([("甲", "北镇", ["ore"])])
    _other_county(G, "doc:elsewhere", "别县")
    report = attach_owners(G, chain_gaps(G, "mini", town="北镇"))
    gaps = [g for g in report.nodes if g.action is not None]
    assert gaps and all(g.tasks == [] and g.units == [] and g.reason is None for g in gaps)
    anywhere = attach_owners(G, chain_gaps(G, "mini"))  # no town: every plan's tasks
    lab = next(g for g in anywhere.nodes if g.id.endswith(":lab"))
    assert lab.action and [t.id for t in lab.tasks] == ["task:doc:elsewhere:0"]


def test_a_plan_of_another_county_naming_the_town_owns_its_gaps(
    build: Build, store: GraphStore
) -> None:
    """A plan of another county (a city's, say) that names the town is the town's business:
    its tasks own the town's gaps, on every store."""
    G = build([("甲", "北镇", ["ore"])])
    _other_county(G, "doc:city", "别市")
    G.add_edge("doc:city", f"town:{REGION}:北镇", key="NAMES_TOWN", type="NAMES_TOWN")
    _other_county(G, "doc:elsewhere", "别县")
    store.load(to_fragment(G))
    gaps = {g.id.split(":")[-1]: g for g in Questions(store).gaps("mini", "北镇").nodes}
    assert [t.id for t in gaps["lab"].tasks] == ["task:doc:city:0"]
    assert [u.id for u in gaps["lab"].units] == ["unit:doc:city"]
