"""Chain templates: the shipped data, validation errors with file and line, fragments."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.chain_files import load_chain, load_chains, load_town_bindings
from graph.chain_fragments import binding_fragment, chain_fragment, register_fragment
from graph.chains import ChainNode, ChainTemplate, Register, RegisterRow, TownBinding
from graph.errors import InvalidChainTemplate, UnknownChain
from graph.networkx_store import NetworkxStore, apply_fragment
from tests.graph.conftest import TemplateWriter

FOUNDRY_NAMES = [
    "铸造生铁",
    "废钢",
    "铁合金、球化剂、孕育剂",
    "焦炭及能源",
    "铸造用砂",
    "树脂粘结剂",
    "耐火材料",
    "模具与模型",
    "铸造装备、熔炉",
    "熔炼造型浇注（黑色金属铸造）",
    "有色金属铸造",
    "热处理、退火、镀锌",
    "机械加工",
    "球墨铸管与管件",
    "市政铸件（井盖等）",
    "汽车零部件",
    "阀门、泵",
    "工程机械、矿山机械",
    "轨道交通部件",
    "风电装备铸件",
    "机床铸件",
    "检验检测认证",
    "研发设计",
    "物流仓储",
    "电子商务与批发",
    "废砂废渣处置再生",
    "技能培训",
]
HAWTHORN_NAMES = [
    "山楂种苗",
    "山楂种植基地",
    "植保与农机服务",
    "有机肥",
    "采后分级与冷藏",
    "玻璃瓶与包装",
    "山楂酒（果酒）",
    "山楂饮料果汁",
    "山楂果脯蜜饯",
    "山楂片与干制品",
    "山楂罐头、山楂醋",
    "山楂饮片与中成药",
    "保健食品",
    "酒类饮料批发零售",
    "果品批发",
    "电子商务",
    "冷链与快递",
    "酒庄采摘文旅",
    "检验检测",
]
TASK_TERMS = ["检验检测", "检测认证", "电子商务", "电商平台", "快递物流", "物流配送"]
FOUNDRY_TASK_TERMS = [*TASK_TERMS, "研发设计", "技术研发", "工业设计", "人才培养", "技能型人才"]


# -- shipped templates --------------------------------------------------------------------
def test_shipped_templates_have_every_node_of_the_tables(chains_dir: Path) -> None:
    chains = load_chains(chains_dir)
    assert sorted(chains) == ["foundry", "hawthorn"]
    assert [n.name for n in chains["foundry"].nodes] == FOUNDRY_NAMES
    assert [n.name for n in chains["hawthorn"].nodes] == HAWTHORN_NAMES
    assert chains["foundry"].name == "铸造" and chains["hawthorn"].name == "山楂红酒"


def test_shipped_codes_are_strings_as_given_with_notes(chains_dir: Path) -> None:
    foundry = load_chain(chains_dir / "foundry.yaml")
    hawthorn = load_chain(chains_dir / "hawthorn.yaml")
    assert foundry.node("coke_energy").codes == ["2521", "4420", "4511"]
    assert foundry.node("resin_binders").codes == ["266x"]
    assert foundry.node("resin_binders").code_note == "unverified"
    assert foundry.node("municipal_castings").code_note == "users"
    assert hawthorn.node("seedlings").codes == ["0511"]  # leading zero kept
    assert hawthorn.node("orchards").code_note == "inferred"
    assert hawthorn.node("wine").codes == ["1519"]
    assert "1515" in (hawthorn.node("wine").code_note or "")
    for template in (foundry, hawthorn):
        assert all(n.codes and n.keywords for n in template.nodes)


def test_shipped_keywords_cover_plan_task_terms(chains_dir: Path) -> None:
    chains = load_chains(chains_dir)
    for chain, terms in (("foundry", FOUNDRY_TASK_TERMS), ("hawthorn", TASK_TERMS)):
        known = {t for n in chains[chain].nodes for t in n.terms()}
        assert set(terms) <= known, set(terms) - known


def test_shipped_edges_run_from_materials_to_products(chains_dir: Path) -> None:
    for template in load_chains(chains_dir).values():
        graph = nx.DiGraph(template.edges)
        tiers = {n.id: n.tier.value for n in template.nodes}
        assert set(graph) == set(tiers)  # no isolated node
        downstream = {n for n, t in tiers.items() if t == "downstream"}
        for node, tier in tiers.items():
            if tier == "upstream":
                assert nx.descendants(graph, node) & downstream, node
            if tier == "services":
                assert graph.out_degree(node) > 0 and graph.in_degree(node) == 0, node


def test_shipped_files_cite_their_sources(chains_dir: Path) -> None:
    for name in ("foundry.yaml", "hawthorn.yaml"):
        header = [
            line for line in (chains_dir / name).read_text("utf-8").splitlines() if line[:1] == "#"
        ]
        assert any("chain-facts.md" in line for line in header)
        assert sum("http" in line for line in header) >= 4


def test_shipped_town_bindings(chains_dir: Path) -> None:
    chains = load_chains(chains_dir)
    bindings = load_town_bindings(chains_dir / "towns.yaml", chains)
    assert {(b.town, b.chain, b.region) for b in bindings} == {
        ("泽州铸造", "foundry", "泽州县"),
        ("泽州山楂红酒", "hawthorn", "泽州县"),
    }


# -- validation ---------------------------------------------------------------------------
HEAD = "id: x\nname: 测试\nnodes:\n"


def _fails(write: TemplateWriter, body: str) -> str:
    path = write("bad.yaml", HEAD + body)
    with pytest.raises(InvalidChainTemplate) as info:
        load_chain(path)
    return str(info.value)


def test_unknown_tier_names_file_line_and_tier(write_template: TemplateWriter) -> None:
    body = "  - id: a\n    name: 甲\n    tier: upsteam\n"
    message = _fails(write_template, body)
    assert "bad.yaml:6:" in message
    assert "unknown tier 'upsteam'" in message


def test_edge_to_missing_node_names_the_line(write_template: TemplateWriter) -> None:
    body = (
        "  - id: a\n    name: 甲\n    tier: upstream\n    supplies:\n      - b\n      - ghost\n"
        "  - id: b\n    name: 乙\n    tier: midstream\n"
    )
    message = _fails(write_template, body)
    assert "bad.yaml:9:" in message
    assert "missing node 'ghost'" in message


def test_cycle_within_a_tier_is_forbidden(write_template: TemplateWriter) -> None:
    body = (
        "  - id: a\n    name: 甲\n    tier: midstream\n    supplies: [b]\n"
        "  - id: b\n    name: 乙\n    tier: midstream\n    supplies: [a]\n"
    )
    message = _fails(write_template, body)
    assert "bad.yaml:" in message and "cycle" in message
    assert ":11:" in message  # the edge closing the cycle


def test_a_longer_cycle_is_told_from_its_first_node_in_the_file(
    write_template: TemplateWriter,
) -> None:
    body = (
        "  - id: a\n    name: 甲\n    tier: midstream\n    supplies: [b]\n"
        "  - id: c\n    name: 丙\n    tier: midstream\n    supplies: [a]\n"
        "  - id: b\n    name: 乙\n    tier: midstream\n    supplies: [c]\n"
    )
    message = _fails(write_template, body)
    assert "cycle a → b → c → a" in message
    assert "bad.yaml:11:" in message  # c supplies a: the edge back to the first node


def test_edge_against_the_tier_order_is_forbidden(write_template: TemplateWriter) -> None:
    body = (
        "  - id: a\n    name: 甲\n    tier: upstream\n"
        "  - id: d\n    name: 丁\n    tier: downstream\n    supplies: [a]\n"
    )
    message = _fails(write_template, body)
    assert "bad.yaml:10:" in message and "tier order" in message


def test_cycle_through_services_is_allowed(write_template: TemplateWriter) -> None:
    body = (
        "  - id: sand\n    name: 型砂\n    tier: upstream\n    supplies: [cast]\n"
        "  - id: cast\n    name: 铸造\n    tier: midstream\n    supplies: [reclaim]\n"
        "  - id: reclaim\n    name: 旧砂再生\n    tier: services\n    supplies: [sand]\n"
    )
    template = load_chain(write_template("ok.yaml", HEAD + body))
    assert template.file == "ok.yaml"
    assert len(template.edges) == 3


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("  - id: a\n    name: 甲\n    tier: upstream\n    codes: [511]\n", 7, "quoted"),
        ("  - id: a\n    name: 甲\n    tier: upstream\n    colour: red\n", 7, "unknown field"),
        ("  - id: a\n    name: 甲\n    tier: upstream\n  - id: a\n    name: 乙\n    tier: upstream\n",
         7, "duplicate node id"),
        ("  - id: a\n    name: 甲\n    tier: upstream\n    keywords: [铁]\n", 7, "at least 2"),
        ("  - id: a\n    name: 甲\n    tier: [upstream\n", 7, "YAML syntax"),
        ("  - name: 甲\n    tier: upstream\n", 4, "nodes[0].id"),
    ],
)  # fmt: skip
def test_other_problems_name_file_and_line(
    write_template: TemplateWriter, body: str, line: int, words: str
) -> None:
    message = _fails(write_template, body)
    assert f"bad.yaml:{line}:" in message
    assert words in message


def test_template_built_in_code_is_checked_too() -> None:
    with pytest.raises(InvalidChainTemplate, match="missing node 'z'"):
        ChainTemplate(id="x", name="x", nodes=[ChainNode(id="a", name="甲", tier="upstream",
                                                         supplies=["z"])])  # fmt: skip


def test_load_chains_skips_bindings_and_rejects_duplicate_ids(
    write_template: TemplateWriter, tmp_path: Path
) -> None:
    node = "  - id: a\n    name: 甲\n    tier: upstream\n"
    write_template("one.yaml", HEAD + node)
    write_template("towns.yaml", "某镇: x\n")
    assert list(load_chains(tmp_path)) == ["x"]
    write_template("two.yml", HEAD + node)
    with pytest.raises(InvalidChainTemplate, match=r"already declared in one\.yaml"):
        load_chains(tmp_path)


def test_bindings_short_form_and_unknown_chain(write_template: TemplateWriter) -> None:
    path = write_template("towns.yaml", "甲镇: foundry\n乙镇:\n  chain: nothing\n")
    assert load_town_bindings(path)[0] == TownBinding(town="甲镇", chain="foundry")
    with pytest.raises(UnknownChain, match=r"towns.yaml:2: town '乙镇'.*'nothing'"):
        load_town_bindings(path, {"foundry": ChainTemplate(id="foundry", name="铸造", nodes=[])})


# -- fragments ----------------------------------------------------------------------------
def test_chain_fragment_nodes_edges_and_provenance(chains_dir: Path) -> None:
    template = load_chain(chains_dir / "hawthorn.yaml")
    fragment = chain_fragment(template)
    chain = fragment.nodes["chain:hawthorn"]
    assert chain["label"] == "Chain" and chain["name"] == "山楂红酒" and chain["name_en"]
    wine = fragment.nodes["chainnode:hawthorn:wine"]
    assert wine["label"] == "ChainNode" and wine["tier"] == "midstream"
    assert wine["codes"] == ["1519"] and wine["chain"] == "chain:hawthorn"
    assert wine["gloss"] == "hawthorn fruit wine"
    types = [attrs["type"] for _, _, _, attrs in fragment.edges]
    assert types.count("HAS_NODE") == len(template.nodes)
    assert types.count("SUPPLIES") == len(template.edges)
    assert all(attrs["origin"] == "chain:hawthorn.yaml" for _, _, _, attrs in fragment.edges)
    assert all("doc" not in attrs for _, _, _, attrs in fragment.edges)
    assert all(attrs["source"] == "chain:hawthorn.yaml" for attrs in fragment.nodes.values())


def test_fragments_load_into_a_store_idempotently(chains_dir: Path) -> None:
    chains = load_chains(chains_dir)
    bindings = load_town_bindings(chains_dir / "towns.yaml", chains)
    register = Register(
        file="r.csv",
        rows=[
            RegisterRow(row=2, name="甲厂", town="泽州铸造", place="南村镇",
                        nodes=["chainnode:foundry:ductile_pipe"], source="http://x", year=2019),
            RegisterRow(row=3, name="乙厂", town="泽州铸造"),
        ],
    )  # fmt: skip
    store = NetworkxStore()
    for _ in range(2):
        for template in chains.values():
            store.load(chain_fragment(template))
        store.load(binding_fragment(bindings, "泽州县"))
        store.load(register_fragment(register, "泽州县"))
    counts = store.counts()
    assert counts["Chain"] == 2 and counts["Firm"] == 2 and counts["Town"] == 2
    assert counts["ChainNode"] == 27 + 19
    G = store.graph
    town = "town:泽州县:泽州铸造"
    assert G.nodes[town]["name"] == "泽州铸造"
    assert any(d["type"] == "FEATURES" for d in G.get_edge_data(town, "chain:foundry").values())
    firm = G.nodes["firm:甲厂"]
    assert firm["label"] == "Firm" and firm["reference"] == "http://x" and firm["year"] == 2019
    assert firm["source"] == "register:r.csv"
    (edge,) = G.get_edge_data("firm:甲厂", "chainnode:foundry:ductile_pipe").values()
    assert edge["type"] == "OPERATES_IN" and edge["origin"] == "register:r.csv"
    (located,) = G.get_edge_data("firm:甲厂", town).values()
    assert located["type"] == "LOCATED_IN" and located["place"] == "南村镇"
    assert G.out_degree("firm:乙厂") == 1  # located, operating in no node


def test_register_fragment_stubs_merge_with_chain_nodes() -> None:
    template = ChainTemplate(
        id="c", name="链", nodes=[ChainNode(id="a", name="甲", tier="upstream")]
    )
    register = Register(file="r.csv", rows=[RegisterRow(row=2, name="厂", town="镇",
                                                        nodes=["chainnode:c:a"])])  # fmt: skip
    G = nx.MultiDiGraph()
    apply_fragment(G, register_fragment(register, "县"))
    apply_fragment(G, chain_fragment(template))
    assert G.nodes["chainnode:c:a"]["name"] == "甲"
    assert G.nodes["town:县:镇"]["label"] == "Town"
