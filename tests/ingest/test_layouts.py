"""Layouts counties publish: one small fixture document per variant, each with its expected record.

Every ``tests/data/layouts/<case>.(txt|html|docx)`` is extracted and compared with
``<case>.expected.json`` (lists whose order carries no meaning are compared as sets). A case
with ``<case>.aliases.yaml`` is read with that file as ``$ZHENKG_ALIASES``. Regenerate the
expected files only on purpose, and review the diff: ``ZHENKG_REGEN=1 pytest
tests/ingest/test_layouts.py``.

The targeted tests below state, case by case, the property each fixture is there for, so a
regenerated expected file cannot quietly drop it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from graph.record import Record
from ingest.pipeline import extract_file

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
CASES = sorted(p for p in LAYOUTS.iterdir() if p.suffix in {".txt", ".html", ".docx"})
REGEN = os.environ.get("ZHENKG_REGEN") == "1"


def summary(record: Record) -> dict[str, Any]:
    """The facts a fixture pins down: document fields, tasks with units, groups, unknown names."""
    doc = record.document
    return {
        "document": {
            "doc_number": doc.doc_number,
            "issuer": doc.issuer,
            "title": doc.title,
            "date": doc.date,
            "region": doc.region,
        },
        "tasks": [
            {
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "parent": t.parent,
                "deadline": t.deadline,
                "units": [
                    {"name": u.name, "surface": u.surface, "role": u.role.value} for u in t.units
                ],
            }
            for t in record.tasks
        ],
        "mechanisms": record.mechanisms,
        "groups": [
            {
                "name": g.name,
                "office_unit": g.office_unit,
                "office_director": g.office_director.model_dump() if g.office_director else None,
                "members": [
                    {
                        "name": m.name,
                        "role": m.role,
                        "positions": [{"title": p.title, "unit": p.unit} for p in m.positions],
                        "chain": m.chain,
                    }
                    for m in g.members
                ],
                "collective_members": [
                    {"text": c.text, "unit": c.unit, "title": c.title, "role": c.role}
                    for c in g.collective_members
                ],
            }
            for g in record.groups
        ],
        "unknown_abbreviations": record.unknown_abbreviations,
    }


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Sort the lists whose order is not meaningful: groups, members, unknown names."""
    out: dict[str, Any] = json.loads(json.dumps(data))
    for g in out["groups"]:
        g["members"] = sorted(g["members"], key=_key)
        g["collective_members"] = sorted(g["collective_members"], key=_key)
    out["groups"] = sorted(out["groups"], key=_key)
    out["unknown_abbreviations"] = sorted(out["unknown_abbreviations"])
    return out


def extract_case(path: Path, monkeypatch: pytest.MonkeyPatch) -> Record:
    roster = path.with_suffix(".aliases.yaml")
    if roster.exists():
        monkeypatch.setenv("ZHENKG_ALIASES", str(roster))
    else:
        monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
    return extract_file(path)


@pytest.fixture()
def case(monkeypatch: pytest.MonkeyPatch) -> Any:
    def load(name: str) -> dict[str, Any]:
        path = next(p for p in CASES if p.stem == name)
        return summary(extract_case(path, monkeypatch))

    return load


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_layout_equals_expected(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = summary(extract_case(path, monkeypatch))
    expected_path = path.with_name(path.stem + ".expected.json")
    if REGEN:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert comparable(got) == comparable(expected)


# ------------------------------------------------------------------ what each fixture is for


def _units(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["name"], u["role"]) for u in task["units"]]


def test_traditional_text_with_pinyin_is_simplified(case: Any) -> None:
    got = case("n-traditional-pinyin")
    assert got["document"]["title"] == "甲县专业镇培育行动方案"
    assert got["document"]["doc_number"] == "甲政办发〔2024〕3号"
    assert _units(got["tasks"][0])[0] == ("县工业和信息化局", "responsible")
    assert all("(" not in t["title"] for t in got["tasks"])


def test_fullwidth_digits_spaces_and_padded_names(case: Any) -> None:
    got = case("n-fullwidth-spaces")
    assert got["document"]["doc_number"] == "乙政办发〔2024〕12号"
    assert got["document"]["date"] == "2024-04-01"
    assert _units(got["tasks"][1])[1] == ("县中小企业发展促进中心", "responsible")
    names = {m["name"] for m in got["groups"][0]["members"]}
    assert names == {"张三", "李四", "王五", "赵六"}


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("n-docno-square", "丙政发〔2023〕21号"),
        ("n-docno-fullsquare", "丙政办发〔2023〕5号"),
        ("n-docno-paren-zi", "丁发改字〔2024〕7号"),
        ("n-docno-broken", "戊政办发〔2023〕21号"),
        ("n-docno-ambiguous", "己政办发〔23〕4号"),  # no four-digit year: kept as written
    ],
)
def test_document_numbers(case: Any, name: str, number: str) -> None:
    assert case(name)["document"]["doc_number"] == number


def test_dates_missing_a_character(case: Any) -> None:
    assert case("n-date-missing")["document"]["date"] == "2024-03-15"  # 2024年315日
    assert case("n-docno-ambiguous")["document"]["date"] == "2023-07-03"  # 2023年7月3


def test_hard_wraps_and_page_numbers_are_repaired(case: Any) -> None:
    got = case("n-hardwrap-pages")
    assert got["document"]["title"] == "辛县中小企业梯度培育行动方案"
    assert [t["title"] for t in got["tasks"]] == [
        "建立梯度培育库",
        "强化创新能力建设",
        "加大金融支持力度",
    ]
    second = _units(got["tasks"][1])
    assert ("县工业和信息化局", "support") in second  # "县工" / "业和信息化局" across a page
    assert _units(got["tasks"][2])[0] == ("县财政局", "lead")
    assert got["mechanisms"] == ["加强组织领导"]


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("h-halfwidth-paren", ["二.1", "二.2", "二.3"]),
        ("h-num-dot", ["1", "2", "3", "4"]),
        ("h-article", ["一", "二", "三"]),
        ("h-runin-targets", ["二.1", "二.2"]),
        ("h-pnum-third-level", ["一.1.1.1", "一.1.1.2", "一.1.2", "一.2.1"]),
        ("h-three-levels-parent", ["一.1.1", "一.1.2", "一.2", "一.3"]),
    ],
)
def test_numbering_styles_and_levels(case: Any, name: str, ids: list[str]) -> None:
    assert [t["id"] for t in case(name)["tasks"]] == ids


def test_parent_of_a_task_stays_linked(case: Any) -> None:
    tasks = case("h-pnum-third-level")["tasks"]
    assert [t["parent"] for t in tasks] == ["一.1.1", "一.1.1", "一.1", "一.2"]


def test_marker_after_unmarked_sub_items_belongs_to_the_parent(case: Any) -> None:
    second = case("h-three-levels-parent")["tasks"][2]
    assert second["title"] == "完善旅游基础设施"
    assert _units(second) == [("县交通运输局", "responsible"), ("县文化和旅游局", "responsible")]


def test_bracket_forms(case: Any) -> None:
    tasks = case("m-square-bracket")["tasks"]
    assert [_units(t) for t in tasks] == [
        [("县发展和改革局", "responsible"), ("县财政局", "responsible")],
        [("县市场监督管理局", "responsible"), ("县民政局", "responsible")],
        [("县市场监督管理局", "responsible")],
    ]


def test_lead_support_and_cooperating_units(case: Any) -> None:
    tasks = case("m-lead-support")["tasks"]
    assert _units(tasks[0]) == [
        ("县行政审批服务管理局", "lead"),
        ("县数字政府服务中心", "support"),
        ("县直各有关单位", "support"),
    ]
    assert tasks[1]["deadline"] == "2024-12-31"
    assert _units(tasks[2]) == [
        ("县发展和改革局", "lead"),
        ("县人民法院", "lead"),
        ("县市场监督管理局", "support"),
        ("县税务局", "support"),
    ]


def test_sentence_forms_and_prose(case: Any) -> None:
    tasks = case("m-sentence-forms")["tasks"]
    assert [_units(t) for t in tasks] == [
        [("县工业和信息化局", "lead"), ("县发展和改革局", "support"), ("县商务局", "support")],
        [("县发展和改革局", "lead"), ("县工业和信息化局", "support"), ("县科学技术局", "support")],
        [("县商务局", "responsible"), ("县住房和城乡建设局", "responsible")],
        [("县开发区管委会", "lead"), ("县自然资源局", "support"), ("县财政局", "support")],
    ]  # the fifth item only names bureaus in prose: not a task


def test_prose_naming_bureaus_is_not_responsibility(case: Any) -> None:
    got = case("m-prose-not-duty")
    assert [t["title"] for t in got["tasks"]] == ["提升机构养老能力"]


def test_marker_lines_and_deadlines(case: Any) -> None:
    tasks = case("m-separate-lines")["tasks"]
    assert _units(tasks[0]) == [
        ("县能源局", "lead"),
        ("县财政局", "support"),
        ("县住房和城乡建设局", "support"),
        ("各乡镇人民政府", "support"),
    ]
    assert [t["deadline"] for t in tasks] == ["2024-10-31", "长期坚持", "每年11月底前"]
    assert ("市生态环境局未县分局", "support") in _units(tasks[1])


def test_deadline_forms(case: Any) -> None:
    deadlines = [t["deadline"] for t in case("m-deadlines")["tasks"]]
    assert deadlines == ["2024-06-30", "2024-12-31", "长期坚持", "每年11月底前", "2025-03-31"]


def test_deadlines_that_open_a_sentence_of_the_task(case: Any) -> None:
    """A sentence opening "2024年6月底前，" gives the task's deadline (the last of staged
    ones), also the task's first and a passage's after a marker; a target year (到2025年，…),
    a time inside a sentence (各乡镇每年6月底前，…) and history (2018年以前，…) do not."""
    deadlines = [t["deadline"] for t in case("m-prose-deadlines")["tasks"]]
    assert deadlines == [
        *("2024-06-30", "2025-12-31", None, None, "每年12月底前"),
        *("2024-12-31", None, None, "2025-12-31"),
    ]


def test_heading_names_the_lead_of_every_task_below(case: Any) -> None:
    tasks = case("m-heading-lead")["tasks"]
    assert [t["id"] for t in tasks] == ["一.1", "一.2", "一.3", "二.1", "二.2", "三.1"]
    assert _units(tasks[0]) == [
        ("县发展和改革局", "lead"),
        ("县自然资源局", "support"),
        ("县财政局", "support"),
    ]
    assert _units(tasks[1]) == [("县发展和改革局", "lead")]
    assert _units(tasks[3]) == [("县工业和信息化局", "lead")]
    assert _units(tasks[5]) == [("县商务局", "lead")]


def test_tab_row_table(case: Any) -> None:
    tasks = case("t-tab-rows")["tasks"]
    assert [t["id"] for t in tasks] == ["表1.1", "表1.2", "表1.3", "表1.4"]
    assert _units(tasks[0]) == [
        ("县工业和信息化局", "lead"),
        ("县发展和改革局", "support"),
        ("县财政局", "support"),
    ]
    assert [t["deadline"] for t in tasks] == ["2025-12-31", "2024-10-31", "长期坚持", "持续推进"]


def test_first_listed_unit_leads_when_the_plan_says_so(case: Any) -> None:
    tasks = case("t-first-leads")["tasks"]
    assert _units(tasks[3]) == [
        ("市发展和改革委员会", "lead"),
        ("各县（市、区）人民政府", "support"),
    ]
    assert [t["parent"] for t in tasks] == ["表1.1", "表1.1", "表1.2", "表1.3"]


def test_html_table_with_merged_cells(case: Any) -> None:
    tasks = case("t-html-merged")["tasks"]
    assert len(tasks) == 5
    assert _units(tasks[3]) == [("市工业和信息化局", "lead"), ("市财政局", "support")]
    assert tasks[4]["parent"] is not None and tasks[4]["deadline"] == "每年3月底前"


def test_docx_table_columns_in_any_order_and_merged_task(case: Any) -> None:
    tasks = case("t-docx-merged")["tasks"]
    assert [t["title"] for t in tasks] == [
        "改造城镇老旧小区15个",
        "改造城市燃气管网20公里",
        "编制城市更新专项规划",
        "整治背街小巷30条",
    ]
    assert _units(tasks[1]) == [("县住房和城乡建设局", "lead"), ("县财政局", "support")]
    assert _units(tasks[3]) == [("县城市管理局", "responsible"), ("各乡镇人民政府", "responsible")]


def test_docx_table_tasks_keep_table_provenance(monkeypatch: pytest.MonkeyPatch) -> None:
    record = extract_case(LAYOUTS / "t-docx-merged.docx", monkeypatch)
    assert [(t.provenance.table, t.provenance.row) for t in record.tasks if t.provenance] == [
        (0, 1),
        (0, 2),
        (0, 3),
        (0, 4),
    ]


def test_group_from_annex_lines(case: Any) -> None:
    group = case("g-annex-lines")["groups"][0]
    assert group["name"] == "甲县特色农产品加工产业发展领导小组"
    assert group["office_unit"] == "县农业农村局"
    assert {(m["name"], m["role"]) for m in group["members"]} == {
        ("张三", "组长"),
        ("李四", "副组长"),
        ("王五", "副组长"),
        ("赵六", "成员"),
        ("钱七", "成员"),
        ("孙八", "成员"),
        ("周九", "成员"),
    }
    assert [(c["text"], c["unit"]) for c in group["collective_members"]] == [
        ("各乡镇镇长", "各乡镇人民政府")
    ]


def test_group_from_sentences(case: Any) -> None:
    group = case("g-sentence-members")["groups"][0]
    members = {m["name"]: m for m in group["members"]}
    assert set(members) == {"张三", "李四", "王五", "赵六", "钱七", "孙八"}
    assert members["张三"]["role"] == "组长"
    assert [p["title"] for p in members["张三"]["positions"]] == ["副书记", "县长"]
    assert members["孙八"]["positions"] == [{"title": "局长", "unit": "市生态环境局乙县分局"}]
    assert group["office_unit"] == "县农业农村局"


def test_group_members_by_position_only(case: Any) -> None:
    group = case("g-position-only")["groups"][0]
    assert group["members"] == []
    seats = {(c["unit"], c["role"]) for c in group["collective_members"]}
    assert seats == {
        ("县人民政府", "专班长"),
        ("县人民政府", "副专班长"),
        ("县农业农村局", "成员"),
        ("县财政局", "成员"),
        ("县畜牧兽医中心", "成员"),
        ("各乡镇人民政府", "成员"),
    }


def test_command_with_chain_leaders(case: Any) -> None:
    group = case("g-command-chain")["groups"][0]
    assert group["name"] == "丁市重点产业链发展指挥部"
    chains = {m["name"]: m["chain"] for m in group["members"]}
    assert chains == {
        "张三": None,
        "李四": "新材料产业链",
        "王五": "装备制造产业链",
        "赵六": None,
        "钱七": None,
    }
    assert [c["unit"] for c in group["collective_members"]] == ["各县（市、区）人民政府"]
    assert group["office_director"] == {"title": "局长", "unit": "市工业和信息化局"}


def test_group_from_a_member_table(case: Any) -> None:
    group = case("g-table-members")["groups"][0]
    assert {(m["name"], m["role"], m["positions"][0]["unit"]) for m in group["members"]} == {
        ("张三", "组长", "县人民政府"),
        ("李四", "副组长", "县人民政府"),
        ("王五", "成员", "县文化和旅游局"),
        ("赵六", "成员", "县交通运输局"),
        ("钱七", "成员", "县市场监督管理局"),
    }


def test_abbreviations_resolve_to_full_names(case: Any) -> None:
    got = case("r-aliases")
    names = [u["name"] for t in got["tasks"] for u in t["units"]]
    assert "县人力资源和社会保障局" in names and "县住房和城乡建设局" in names
    assert "县文化和旅游局" in names and "县市场监督管理局" in names
    assert got["tasks"][5]["units"][0]["name"] == "县发展和改革局"  # region prefix dropped
    assert got["unknown_abbreviations"] == []


def test_unknown_abbreviations_are_kept_and_reported(case: Any) -> None:
    got = case("r-unknown-abbrev")
    names = [u["name"] for t in got["tasks"] for u in t["units"]]
    assert "县农经站" in names and "县工科局" in names
    assert set(got["unknown_abbreviations"]) >= {"县农经站", "县工科局"}


def test_collective_units(case: Any) -> None:
    got = case("r-collective-units")
    names = [u["name"] for t in got["tasks"] for u in t["units"]]
    assert names.count("各乡镇人民政府") == 3 and "县直各有关单位" in names
    seats = {c["unit"] for c in got["groups"][0]["collective_members"]}
    assert seats == {"各乡镇人民政府", "县直各有关单位"}


def test_city_plan_and_city_units_in_a_county_plan(case: Any) -> None:
    city = case("r-city-level")
    assert city["document"]["region"] == "壬市"
    assert ("各县（市、区）人民政府", "support") in _units(city["tasks"][1])
    county = case("r-county-with-city-units")
    names = {u["name"] for t in county["tasks"] for u in t["units"]}
    assert "市生态环境局癸县分局" in names and "县水利局" in names


def test_user_roster_extends_the_bundled_one(case: Any) -> None:
    got = case("r-user-roster")
    assert _units(got["tasks"][0]) == [
        ("县数据局", "responsible"),
        ("县政务服务中心", "responsible"),
    ]
    assert got["unknown_abbreviations"] == []


# ------------------------------------------------------------- the held-out evaluation set


def test_accuracy_on_the_evaluation_set() -> None:
    """An accuracy gate, not a timing test: ``python -m bench.accuracy`` prints the details."""
    from bench.accuracy import evaluate

    result = evaluate()
    totals = result["totals"]
    assert result["documents"] >= 6
    assert totals["task_unit_f1"] >= 0.97, result["misses"]
    assert totals["role_accuracy"] >= 0.95, result["misses"]
    assert totals["member_accuracy"] >= 0.95, result["misses"]
    assert totals["coverage_accuracy"] >= 0.9, result["misses"]


def test_labels_separated_by_commas_or_spaces(case: Any) -> None:
    tasks = case("m-labels-comma-space")["tasks"]
    assert _units(tasks[0]) == [("县发展和改革局", "lead"), ("县直各有关单位", "support")]
    assert _units(tasks[1]) == [("县行政审批服务管理局", "responsible")]
    assert tasks[2]["deadline"] == "2024-09-30"
    assert _units(tasks[2])[1:] == [("县林业局", "support"), ("各乡镇人民政府", "support")]


def test_heading_naming_only_a_unit_and_a_count(case: Any) -> None:
    tasks = case("m-unit-heading-count")["tasks"]
    assert [_units(t) for t in tasks] == [
        [("县教育局", "responsible")],
        [("县教育局", "lead"), ("县财政局", "support"), ("县住房和城乡建设局", "support")],
        [("县卫生健康局", "responsible")],
        [("县民政局", "responsible"), ("县财政局", "responsible")],
    ]


def test_sentence_forms_with_units_the_roster_does_not_know(case: Any) -> None:
    got = case("m-sentence-unknown-units")
    assert [_units(t) for t in got["tasks"]] == [
        [("县财政局", "lead"), ("人行丙县支行", "support"), ("县金融办", "support")],
        [("县金融办", "lead"), ("县工业和信息化局", "support"), ("县发展和改革局", "support")],
    ]
    assert got["unknown_abbreviations"] == ["县金融办"]


def test_member_table_with_the_post_before_the_name(case: Any) -> None:
    group = case("g-table-post-first")["groups"][0]
    assert {(m["name"], m["role"]) for m in group["members"]} == {
        ("张三", "组长"),
        ("李四", "副组长"),
        ("王五", "成员"),
        ("赵六", "成员"),
    }
    assert [c["unit"] for c in group["collective_members"]] == ["各乡镇人民政府"]


def test_table_with_columns_set_apart_by_spaces(case: Any) -> None:
    tasks = case("t-space-columns")["tasks"]
    assert [t["title"] for t in tasks] == [
        "建设县级电商公共服务中心",
        "建设村级电商服务站",
        "开展电商人才培训",
    ]
    assert _units(tasks[2]) == [
        ("县人力资源和社会保障局", "lead"),
        ("县商务局", "support"),
        ("县农业农村局", "support"),
    ]


def test_double_leaders_and_a_list_of_unit_duties(case: Any) -> None:
    got = case("g-double-leaders")
    assert [t["title"] for t in got["tasks"]] == ["开展驻点招商", "强化项目落地"]  # duties ≠ tasks
    roles = {m["name"]: m["role"] for m in got["groups"][0]["members"]}
    assert roles == {"张三": "双组长", "李四": "双组长", "王五": "副组长"}
