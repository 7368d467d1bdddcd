"""Enterprise register import (CSV, XLSX) and chain keywords in task texts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.chain_files import load_chains, load_town_bindings
from graph.chains import ChainTemplate, TownBinding
from graph.errors import InvalidRegister
from ingest.addresses import address_fragment, match_tasks
from ingest.firms import import_register

# Fixtures live here rather than in tests/ingest/conftest.py, which the pipeline tests own.
REPO = Path(__file__).resolve().parents[2]
CHAINS = REPO / "data" / "chains"
SAMPLE_REGISTER = REPO / "data" / "firms" / "zezhou-sample.csv"


@pytest.fixture(scope="module")
def chains() -> dict[str, ChainTemplate]:
    """The shipped chain templates (foundry, hawthorn)."""
    return load_chains(CHAINS)


@pytest.fixture(scope="module")
def bindings(chains: dict[str, ChainTemplate]) -> list[TownBinding]:
    """The shipped town → chain bindings."""
    return load_town_bindings(CHAINS / "towns.yaml", chains)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (lists of cells) as a CSV file and return its path."""

    def write(rows: list[list[str]], name: str = "register.csv", encoding: str = "utf-8") -> Path:
        text = "\n".join(",".join(cells) for cells in rows) + "\n"
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (lists of cell values) to the first sheet of an XLSX file."""
    import openpyxl

    def write(rows: list[list[object]], name: str = "register.xlsx") -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


ZH = ["企业名称", "所在镇", "链环节", "行业代码", "主营产品", "规模", "成立年份", "来源", "年份"]
EN = ["name", "town", "node", "code", "product", "scale", "founded", "source", "year"]
ROWS = [
    ["甲铸管", "泽州铸造", "foundry:ductile_pipe", "", "", "是", "2005", "http://a", "2023"],
    ["乙机械", "泽州铸造", "", "3484", "", "否", "", "", ""],
    ["丙阀门", "泽州铸造", "", "", "球墨铸铁管件和阀门", "", "", "", "2020年"],
    ["丁公司", "泽州铸造", "", "9999", "房地产开发", "", "", "", ""],
    ["戊酒业", "泽州山楂红酒", "wine", "", "", "", "", "", ""],
]


def test_csv_rows_assigned_by_node_code_and_keyword(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate]
) -> None:
    register = import_register(write_csv([ZH, *ROWS]), chains)
    by_name = {r.name: r for r in register.rows}
    assert len(register.rows) == 5  # unmatched rows are kept, and reported
    pipe = by_name["甲铸管"]
    assert pipe.nodes == ["chainnode:foundry:ductile_pipe"] and pipe.matched_by == "node"
    assert (pipe.row, pipe.scale, pipe.founded, pipe.year, pipe.source) == (
        2, True, 2005, 2023, "http://a",
    )  # fmt: skip
    assert by_name["乙机械"].nodes == ["chainnode:foundry:machining"]
    assert by_name["乙机械"].matched_by == "code" and by_name["乙机械"].scale is False
    valve = by_name["丙阀门"]
    assert valve.matched_by == "keyword" and valve.year == 2020
    assert valve.nodes == ["chainnode:foundry:ductile_pipe", "chainnode:foundry:valves_pumps"]
    assert valve.keywords == ["球墨铸铁管", "阀门"]
    assert by_name["戊酒业"].nodes == ["chainnode:hawthorn:wine"]  # bare id, unambiguous


def test_unknown_code_is_reported_as_unmatched_with_its_row(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate]
) -> None:
    register = import_register(write_csv([ZH, *ROWS]), chains)
    assert [(u.row, u.name) for u in register.unmatched] == [(5, "丁公司")]
    reason = register.unmatched[0].reason
    assert "code 9999 matches no chain node" in reason and "房地产开发" in reason
    assert [r.nodes for r in register.rows if r.name == "丁公司"] == [[]]


def test_english_headers_and_ignored_columns(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate]
) -> None:
    register = import_register(write_csv([[*EN, "Phone"], *[[*r, ""] for r in ROWS]]), chains)
    assert len(register.rows) == 5 and register.ignored_columns == ["Phone"]


def test_xlsx_with_numeric_cells(
    write_xlsx: Callable[..., Path], chains: dict[str, ChainTemplate]
) -> None:
    rows: list[list[object]] = [
        ["# 测试登记表"],
        list(ZH),
        ["甲苗圃", "泽州山楂红酒", None, 511, None, None, 2010, "http://b", 2024.0],
        ["乙铸管", "泽州铸造", "foundry:ductile_pipe", None, None, "规上", None, None, 2023],
    ]
    register = import_register(write_xlsx(rows), chains)
    first, second = register.rows
    assert first.row == 3 and first.code == "0511"  # the spreadsheet dropped the leading zero
    assert first.nodes == ["chainnode:hawthorn:seedlings"] and first.matched_by == "code"
    assert (first.founded, first.year) == (2010, 2024)
    assert second.row == 4 and second.scale is True


def test_bad_rows_fail_the_whole_import_with_row_numbers(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate]
) -> None:
    rows = [
        ZH,
        ROWS[0],
        ["", "泽州铸造", "foundry:machining", "", "", "", "", "", ""],
        ["坏厂", "泽州铸造", "foundry:no_such_node", "", "", "", "", "", ""],
        ["晚厂", "泽州铸造", "foundry:machining", "", "", "", "", "", "20x9"],
        ROWS[1],
    ]
    with pytest.raises(InvalidRegister) as info:
        import_register(write_csv(rows), chains)
    message = str(info.value)
    assert "3 bad row(s), nothing imported" in message
    assert "row 3: missing name" in message
    assert "row 4: unknown chain node 'foundry:no_such_node'" in message
    assert "row 5: malformed year '20x9'" in message
    assert "row 2" not in message and "row 6" not in message


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["企业名称", "主营产品"], "no town column"),
        (["企业名称", "所在镇", "备注"], "needs a node"),
        (["企业名称", "所在镇", "产品", "主营产品"], "two columns mean 'product'"),
    ],
)
def test_bad_headers(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate], header: list[str], words: str
) -> None:
    with pytest.raises(InvalidRegister, match=words):
        import_register(write_csv([header]), chains)


def test_ambiguous_bare_node_and_bindings(
    write_csv: Callable[..., Path],
    chains: dict[str, ChainTemplate],
    bindings: list[TownBinding],
) -> None:
    rows = [ZH, ["网店", "某镇", "", "5292", "", "", "", "", ""]]
    both = import_register(write_csv(rows), chains).rows[0].nodes
    assert both == ["chainnode:foundry:ecommerce_wholesale", "chainnode:hawthorn:ecommerce"]
    rows[1][1] = "泽州山楂红酒"  # bound to hawthorn only
    assert import_register(write_csv(rows), chains, bindings).rows[0].nodes == [
        "chainnode:hawthorn:ecommerce"
    ]
    rows[1][2] = "testing"  # both chains have a node "testing"
    with pytest.raises(InvalidRegister, match="ambiguous"):
        import_register(write_csv(rows), chains)


def test_gb18030_csv_and_unsupported_files(
    write_csv: Callable[..., Path], chains: dict[str, ChainTemplate], tmp_path: Path
) -> None:
    path = write_csv([ZH, ROWS[0]], encoding="gb18030")
    assert import_register(path, chains).rows[0].name == "甲铸管"
    other = tmp_path / "register.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidRegister, match=r"csv or \.xlsx"):
        import_register(other, chains)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InvalidRegister, match="unreadable"):
        import_register(broken, chains)


# -- the shipped sample register ------------------------------------------------------------
PUBLIC_FIRMS = [
    "金秋铸业",
    "科裕达",
    "天一",
    "鑫环球",
    "锐锡",
    "佳翔",
    "春晨兴汇",
    "清慧",
    "金工",
    "晨晖管业",
    "世纪铸造",
    "ADI集团",
    "山西彤康食品有限公司",
]


def test_every_shipped_row_has_source_url_and_year(
    chains: dict[str, ChainTemplate], bindings: list[TownBinding]
) -> None:
    register = import_register(SAMPLE_REGISTER, chains, bindings)
    assert register.unmatched == []
    for row in register.rows:
        urls = [u.strip() for u in (row.source or "").split(";")]
        assert urls and all(u.startswith(("http://", "https://")) for u in urls), row.name
        assert row.year is not None and 2000 <= row.year <= 2025, row.name
        assert row.nodes, row.name


def test_shipped_register_names_each_public_firm_once(
    chains: dict[str, ChainTemplate], bindings: list[TownBinding]
) -> None:
    names = [r.name for r in import_register(SAMPLE_REGISTER, chains, bindings).rows]
    assert sorted(names) == sorted(PUBLIC_FIRMS)
    jinqiu = next(r for r in import_register(SAMPLE_REGISTER, chains).rows if "金秋" in r.name)
    assert "handmsg.com" in (jinqiu.source or "") and "chinacsfe.com" in (jinqiu.source or "")


def test_shipped_register_says_it_is_partial() -> None:
    first = SAMPLE_REGISTER.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "PARTIAL" in first
    readme = (REPO / "data" / "firms" / "README.md").read_text(encoding="utf-8")
    assert "partial" in readme.lower() and "not a census" in readme
    with SAMPLE_REGISTER.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    unstated = [r for r in rows if not r["product"]]
    assert unstated and all("not stated" in r["note"] for r in unstated)


# -- tasks ↔ chain nodes ----------------------------------------------------------------------
def test_match_tasks_spans_and_longest_keyword(chains: dict[str, ChainTemplate]) -> None:
    text = "打造技术研发、检验检测、物流配送、电商平台等公共服务平台，加强技能型人才培养。"
    addresses = match_tasks(chains["foundry"], [("t1", text), ("t2", "无关内容")])
    assert all(a.task_id == "t1" for a in addresses)
    assert all(text[a.span[0] : a.span[1]] == a.keyword for a in addresses)
    found = [(a.keyword, a.node_id.split(":")[-1]) for a in addresses]
    assert found == [
        ("技术研发", "rnd_design"),
        ("检验检测", "testing"),  # not 检测 inside it
        ("物流配送", "logistics"),
        ("电商平台", "ecommerce_wholesale"),
        ("技能型人才", "skills_training"),
    ]


def test_match_tasks_on_the_sample_plan(chains: dict[str, ChainTemplate]) -> None:
    plan = (REPO / "data" / "samples" / "zezhou-2023-17.txt").read_text(encoding="utf-8")
    start = plan.index("（六）强化平台建设")
    task = plan[start : plan.index("四、工作机制")]
    nodes = {a.node_id for a in match_tasks(chains["hawthorn"], [("六", task)])}
    assert {"chainnode:hawthorn:testing", "chainnode:hawthorn:ecommerce"} <= nodes
    assert "chainnode:hawthorn:cold_chain_express" in nodes


def test_address_fragment() -> None:
    from ingest.addresses import Address

    a = Address(task_id="task:k:三.6", node_id="chainnode:foundry:testing", keyword="检验检测",
                span=(3, 7))  # fmt: skip
    fragment = address_fragment([a, a], doc="doc:k")
    (source, target, key, attrs), _ = fragment.edges
    assert (source, target, attrs["type"], attrs["doc"]) == (
        a.task_id,
        a.node_id,
        "ADDRESSES",
        "doc:k",
    )
    assert key == "ADDRESSES|doc:k|3-7" and attrs["span"] == [3, 7]
