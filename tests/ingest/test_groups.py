"""Leading groups in the layouts real notices use: one property per fixture, then the parts.

The fixtures (``tests/data/layouts/g-*.txt``) are invented documents in the shapes of published
ones; ``test_layouts.py`` compares each whole record with its expected file, the tests here say
what each one is there for. The last tests score the real development corpus when it is beside
the checkout (``../shared/corpus/real``) and are skipped otherwise.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from graph.record import Group, Record
from ingest.groups import group_names, parse_groups
from ingest.normalise import normalise
from ingest.people import names_only, person, side_by_side
from ingest.pipeline import extract_file
from ingest.posts import is_person_name, split_glued, split_post, with_prefixes
from ingest.resolve import Roster
from ingest.seats import collective

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ROOT / "tests" / "data" / "layouts"
REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_GOLD = ROOT / "bench" / "real"


@pytest.fixture(scope="module")
def roster() -> Roster:
    return Roster.bundled()


def groups_of(name: str, monkeypatch: pytest.MonkeyPatch) -> list[Group]:
    monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
    return extract_file(LAYOUTS / f"{name}.txt").groups


def people(group: Group) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(m.name, m.role, tuple(p.unit for p in m.positions)) for m in group.members}


def seats(group: Group) -> set[tuple[str, str | None]]:
    return {(c.unit, c.role) for c in group.collective_members}


# ------------------------------------------------------------------------------- fixtures


def test_several_committees_and_a_group_in_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    groups = groups_of("g-several-bodies", monkeypatch)
    assert [g.name for g in groups] == [
        "市城乡规划委员会",
        "市爱国卫生运动委员会",
        "市重点项目建设领导小组",
    ]
    planning, health, projects = groups
    assert {(m.name, m.role) for m in planning.members} == {
        ("张三", "主任委员"),  # 主 任 委 员: spaces inside the label
        ("李四", "常务副主任委员"),
        ("王五六", "副主任委员"),
        ("赵七", "副主任委员"),  # 赵　七: padded
        ("钱八", "委员"),
        ("孙九", "委员"),
        ("周十一", "委员"),  # names only, several on a line
    }
    assert {(m.name, m.role) for m in health.members} == {
        ("张三", "主任"),
        ("李四", "副主任"),
        ("吴一二", "副主任"),
    }
    assert projects.office_unit == "市发展和改革委员会"
    assert projects.office_director is not None
    assert projects.office_director.unit == "市发展和改革委员会"


def test_posts_of_an_upper_level_and_units_listed_with_one_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (group,) = groups_of("g-upper-posts", monkeypatch)
    assert group.members == []
    assert seats(group) >= {
        ("州人民政府", "组长"),  # 负责…工作的副州长
        ("州人民政府", "副组长"),  # 州政府副秘书长
        ("州住房城乡建设局", "副组长"),
        ("各县（市）人民政府", "成员"),
        ("州委网信办", "成员"),
        ("州委机要局", "成员"),  # 州委网信办、机要局
        ("州工业和信息化局", "成员"),  # 州发展改革委、工业和信息化局
        ("乙丙通信公司", "成员"),  # a firm keeps its name
    }
    assert len(group.collective_members) == 12
    assert group.office_director is not None
    assert (group.office_director.title, group.office_director.unit) == (
        "分管负责同志",
        "州住房城乡建设局",
    )


def test_a_mention_of_an_existing_group_founds_none(monkeypatch: pytest.MonkeyPatch) -> None:
    assert groups_of("g-reference-only", monkeypatch) == []


def test_office_director_and_deputy_in_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-office-sentences", monkeypatch)
    assert group.name == "某某县2024年第3号重点建议办理工作领导小组"  # digits in the name
    assert group.office_unit == "县交通运输局"  # 下设办公室（设在县交通局）
    assert group.office_director is not None and group.office_deputy_director is not None
    assert group.office_director.unit == "县交通运输局"  # 王五同志兼任办公室主任
    assert group.office_deputy_director.unit == "县发展和改革局"  # 赵六同志任办公室副主任


def test_annex_with_a_wrapped_title_and_names_only(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-annex-wrapped-names", monkeypatch)
    assert group.name == "某某县茶叶产业提升工作领导小组"
    assert {(m.name, m.role) for m in group.members} == {
        ("张三", "组长"),
        ("李四", "副组长"),
        ("王五六", "副组长"),
        ("赵七", "成员"),
        ("钱八", "成员"),
        ("孙九九", "成员"),
        ("周十", "成员"),
        ("吴一", "成员"),
    }


def test_member_table_with_the_role_in_the_last_column(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-table-role-last", monkeypatch)
    assert people(group) == {
        ("张三", "专班长", ("县人民政府",)),
        ("李四", "副专班长", ("县发展和改革局",)),
        ("王五", "成员", ("县自然资源局",)),  # unit and title in two cells
        ("赵六", "成员", ("县住房和城乡建设局",)),
    }


def test_member_units_in_a_sentence_over_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-member-units", monkeypatch)
    assert people(group) == {("张三", "组长", ("市人民政府",))}
    assert seats(group) == {
        ("市委网信办", "成员"),
        ("市农业农村局", "成员"),  # after 市委网信办, but a government bureau
        ("市发展和改革委员会", "成员"),
        ("市工业和信息化局", "成员"),
        ("市财政局", "成员"),
        ("乙丙通信公司", "成员"),
    }


def test_groups_founded_in_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    county, logistics = groups_of("g-one-sentence", monkeypatch)
    assert county.name == "某某县电商进农村工作领导小组"  # 成立以县长为组长、…的某某县…领导小组
    assert seats(county) == {
        ("县人民政府", "组长"),
        ("县人民政府", "副组长"),
        ("县商务局", "成员"),
    }
    assert logistics.name == "县农村物流工作小组"
    assert people(logistics) == {("王五", "组长", ("县交通运输局",))}
    assert seats(logistics) == {
        ("县商务局", "成员"),
        ("县邮政管理局", "成员"),
        ("县供销合作社联合社", "成员"),
    }
    assert logistics.office_unit == "县交通运输局"


def test_uncommon_titles_are_split_from_their_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-uncommon-titles", monkeypatch)
    posts = {m.name: [(p.title, p.unit) for p in m.positions] for m in group.members}
    assert posts["王五"] == [("总规划师", "县自然资源局")]
    assert posts["赵六"] == [("规划股股长", "县自然资源局")]
    assert posts["钱七"] == [("总工程师", "县住房和城乡建设局")]
    assert posts["孙八"] == [("副主任科员", "县发展和改革局")]
    assert posts["周九"] == [("经建股主任", "县财政局")]


def test_glued_posts_and_units_in_brackets(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-glued-and-brackets", monkeypatch)
    assert people(group) == {
        ("张三", "组长", ("县人民政府",)),  # 张三县长
        ("李四", "副组长", ("县人民政府",)),
        ("王五", "副组长", ("县人民政府办公室",)),
        ("赵六", "成员", ("县发展和改革局",)),  # 赵六（县发改局）: a unit, not a title
        ("钱七", "成员", ("县行政审批服务管理局",)),
        ("孙八", "成员", ("县市场监督管理局",)),
        ("周九", "成员", ("县税务局",)),
    }
    assert group.office_director is not None
    assert group.office_director.unit == "县发展和改革局"  # 由赵六同志兼任


# ---------------------------------------------------------------------------------- parts


@pytest.mark.parametrize(
    ("post", "title", "unit"),
    [
        ("县政协副主席", "副主席", "县政协"),
        ("分管副县长", "副县长", "县人民政府"),
        ("县政府分管副县长", "副县长", "县人民政府"),
        ("负责住房和城乡建设工作的副市长", "副市长", "市人民政府"),
        ("州政府副秘书长", "副秘书长", "州人民政府"),
        ("副州长", "副州长", "州人民政府"),
        ("国务院副总理", "副总理", "国务院"),
        ("副总理", "副总理", "国务院"),
        ("县水利局分管副局长", "副局长", "县水利局"),
        ("县财政局综合股股长", "综合股股长", "县财政局"),
        ("县自然资源局总农艺师", "总农艺师", "县自然资源局"),  # a title no list holds
        ("县发改局", "", "县发展和改革局"),
        ("县发改局办公室主任", "办公室主任", "县发展和改革局"),  # the bureau's own office
        ("县委办公室主任", "主任", "县委办公室"),  # a unit of its own
        ("财政部部长助理", "部长助理", "财政部"),
        ("人民银行副行长", "副行长", "人民银行"),
    ],
)
def test_split_post(roster: Roster, post: str, title: str, unit: str) -> None:
    got = split_post(post, roster, "甲县")
    assert got is not None and (got.title, got.unit) == (title, unit)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("张三  县长", ("张三", "县长")),
        ("张  三  县长", ("张三", "县长")),
        ("县长 张三", ("张三", "县长")),
        ("县长张三", ("张三", "县长")),
        ("张三县长", ("张三", "县长")),
        ("欧阳明县长", ("欧阳明", "县长")),
        ("王五县政府办主任", ("王五", "县政府办主任")),
        ("张三（县发改局）", ("张三", "县发改局")),
        ("1\t张三\t县长", ("张三", "县长")),
        ("各乡镇镇长", None),
        ("分管副县长", None),
        ("住房城乡建设局", None),
        ("广东省通信管理局分管负责同志", None),
    ],
)
def test_person(roster: Roster, line: str, expected: tuple[str, str] | None) -> None:
    assert person(line, roster) == expected


def test_names_and_people_side_by_side() -> None:
    assert names_only("卢焱群、龙福清") == ["卢焱群", "龙福清"]
    assert names_only("张\u3000三\u3000\u3000李\u3000四\u3000\u3000王五六") == [
        "张三",
        "李四",
        "王五六",
    ]
    assert names_only("张三 县长") is None
    assert names_only("张 三 李") is None  # an odd character is not padding
    assert side_by_side("李四  副县长    王  五  县政府办主任") == [
        ("李四", "副县长"),
        ("王五", "县政府办主任"),
    ]
    assert side_by_side("张三  县长") is None


def test_names_are_not_posts_or_places(roster: Roster) -> None:
    assert [is_person_name(t) for t in ("李 庭", "欧阳明华", "县长", "分管", "各乡镇长")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert split_glued("广东省通信管理局", roster) is None
    assert split_glued("李四副县长", roster) == ("李四", "副县长")


def test_level_prefix_of_the_first_unit_carries_over(roster: Roster) -> None:
    items = ["市委军民融合办", "机要保密局", "市发展改革局", "工业和信息化局", "市场监管局"]
    assert with_prefixes(items, roster) == [
        "市委军民融合办",
        "市委机要保密局",
        "市发展改革局",
        "市工业和信息化局",
        "市市场监管局",  # 市场 is not a level
    ]
    assert with_prefixes(["教育部", "住房城乡建设部"], roster) == ["教育部", "住房城乡建设部"]


def test_seats_share_a_closing_post(roster: Roster) -> None:
    got = collective("市政府副秘书长、市住房城乡建设局、市水利局主要负责同志", roster, "乙市")
    assert [(s.unit, s.title) for s in got] == [
        ("市人民政府", "副秘书长"),
        ("市住房和城乡建设局", "主要负责同志"),
        ("市水利局", "主要负责同志"),
    ]
    (township,) = collective("各乡镇乡（镇）长", roster, "甲县")
    assert township.unit == "各乡镇人民政府"


def _groups(text: str, region: str = "甲县") -> list[Group]:
    return parse_groups(normalise(text).text, Roster.bundled(), region)


def test_what_founds_a_group() -> None:
    names = [
        n.name
        for n in group_names(
            "决定成立甲县150号重点建议办理工作领导小组。"
            "成立由县长任组长的甲县河长制工作领导小组。"
            "在县领导小组统一领导下开展工作。"
            "需要调整的，由所在单位向领导小组办公室提出。"
            "要建立部门联席会议制度。"
            "按照已成立的甲县防汛指挥部要求。"
        )
    ]
    assert names == ["甲县150号重点建议办理工作领导小组", "甲县河长制工作领导小组"]


def test_office_lines_of_a_group_led_by_a_leader() -> None:
    (group,) = _groups(
        "成立甲县招商工作领导小组。\n组长：张三  县长\n成员：李四  县商务局局长\n"
        "领导小组下设办公室：\n主任：李四  县商务局局长\n副主任：王五  县商务局副局长\n"
    )
    assert [m.name for m in group.members] == ["张三", "李四"]  # 主任 of the office: no seat
    assert group.office_director is not None and group.office_deputy_director is not None
    assert (group.office_director.title, group.office_director.unit) == ("局长", "县商务局")
    assert group.office_deputy_director.title == "副局长"


def test_inline_labels_in_one_sentence() -> None:
    (group,) = _groups(
        "成立甲县招商工作领导小组，组长：县委副书记、县长张三；副组长：副县长李四；"
        "成员：县发改局局长赵六、县商务局局长钱七。"
    )
    assert {(m.name, m.role) for m in group.members} == {
        ("张三", "组长"),
        ("李四", "副组长"),
        ("赵六", "成员"),
        ("钱七", "成员"),
    }


def test_signature_after_a_member_list_is_not_a_member() -> None:
    (group,) = _groups(
        "成立甲县招商工作领导小组。\n组长：张三 县长\n成员：李四 县商务局局长\n甲县人民政府办公室\n2024年4月1日"
    )
    assert [m.name for m in group.members] == ["张三", "李四"]
    assert group.collective_members == []


def test_long_member_lines_stay_linear() -> None:
    """Thousands of items on one line: linear time (a backtracking pattern would take minutes)."""
    n = 5_000
    text = (
        "成立甲县测试工作领导小组。\n成员："
        + "县发改局、" * n
        + "\n组长："
        + "张三 " * n
        + "\n办公室主任由"
        + "县" * 2 * n
        + "担任。\n成立甲县测试工作领导小组，"
        + "县发改局局长张三同志、" * n
        + "为成员。"
    )
    started = time.perf_counter()
    _groups(text)
    assert time.perf_counter() - started < 4.0


# --------------------------------------------------------------------- the real documents

REAL_GROUP_DOCS = ["d04_guowuyuan_youeryuan", "d08_foshan", "d09_guowuyuan_goumai", "d10_huanggang"]


def _seats_of(groups: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    out: set[tuple[Any, ...]] = set()
    for g in groups:
        for m in g["members"]:
            out.add((m["name"], m["role"], frozenset(m["units"])))
        for c in g["collective"]:
            out.add((c["unit"], c["role"]))
    return out


def _found(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "members": [
                {"name": m.name, "role": m.role, "units": [p.unit for p in m.positions if p.unit]}
                for m in g.members
            ],
            "collective": [
                {"unit": c.unit, "role": c.role or "成员"} for c in g.collective_members
            ],
        }
        for g in record.groups
    ]


@pytest.mark.skipif(
    not REAL.is_dir(), reason="the real development corpus is not beside the checkout"
)
@pytest.mark.parametrize("stem", REAL_GROUP_DOCS)
def test_real_group_notices(stem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
    gold = json.loads((REAL_GOLD / f"{stem}.gold.json").read_text("utf-8"))
    record = extract_file(REAL / f"{stem}.txt")
    want, got = _seats_of(gold["groups"]), _seats_of(_found(record))
    f1 = 2 * len(want & got) / (len(want) + len(got))
    assert f1 >= 0.9, (sorted(map(str, want - got)), sorted(map(str, got - want)))
    assert [g.name for g in record.groups] == [g["name"] for g in gold["groups"]]
    assert [g.office_unit for g in record.groups] == [g["office_unit"] for g in gold["groups"]]


def test_notes_commas_and_labels_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-list-notes", monkeypatch)
    assert people(group) == {
        ("张三", "组长", ("县人民政府",)),  # 张三，县长；
        ("李四", "副组长", ("县人民政府",)),
        ("周八", "顾问", ()),  # a second label on the line, set apart by spaces
        ("王五", "成员", ("县林业局",)),  # after 成员（按姓氏笔画为序）：
        ("赵六", "成员", ("县财政局",)),
    }
    assert seats(group) == {("县发展和改革局", "成员"), ("县自然资源局", "成员")}  # 由…组成
    assert group.office_director is not None
    assert group.office_director.unit == "县林业局"  # 王五 …（兼办公室主任）


def test_member_table_with_two_people_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-table-two-columns", monkeypatch)
    assert {(m.name, m.role) for m in group.members} == {
        ("张三", "总指挥"),
        ("李四", "副总指挥"),
        ("王五", "成员"),
        ("赵六", "成员"),
        ("钱七", "成员"),
        ("孙八", "成员"),
    }
    assert group.office_director is not None and group.office_deputy_director is not None
    assert group.office_director.unit == "县城市管理局"  # 主任、副主任分别由赵六、钱七兼任
    assert group.office_deputy_director.unit == "县住房和城乡建设局"


def test_sentences_with_the_group_named_before_its_roles() -> None:
    (group,) = _groups(
        "成立甲县测试工作领导小组。领导小组组长由县长张三担任，副县长李四、王五分别任副组长，"
        "成员由县发改局局长赵六、县财政局局长钱七等组成。"
    )
    assert {(m.name, m.role) for m in group.members} == {
        ("张三", "组长"),
        ("李四", "副组长"),
        ("王五", "副组长"),
        ("赵六", "成员"),
        ("钱七", "成员"),
    }


def test_township_list_without_colons(monkeypatch: pytest.MonkeyPatch) -> None:
    (group,) = groups_of("g-township-no-colons", monkeypatch)
    assert people(group) == {
        ("张三", "组长", ("镇党委",)),
        ("李四", "副组长", ("镇党委", "镇人民政府")),
        ("阿依·买买提", "副组长", ("镇党委", "镇人民政府")),  # a name written with a dot
        ("王五", "成员", ("镇党委",)),
    }
    assert seats(group) == {("各村党支部", "成员")}
    assert group.office_unit == "镇农业综合服务中心"  # 设镇…, without 在


def test_html_member_table_with_merged_role_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
    (group,) = extract_file(LAYOUTS / "g-html-member-table.html").groups
    assert people(group) == {
        ("张三", "组长", ("县委", "县人民政府")),  # two paragraphs in one cell: two posts
        ("李四", "副组长", ("县人民政府",)),
        ("王五", "副组长", ("县农业农村局",)),  # 县农业农村局 局长: unit and title apart
        ("赵六", "成员", ("县财政局",)),
        ("钱七", "成员", ("县乡村振兴中心",)),
    }
    assert seats(group) == {("各乡镇人民政府", "成员")}  # a row without a name under 成员


def test_a_generic_name_after_the_title_is_the_same_group() -> None:
    (group,) = _groups(
        "甲县人民政府办公室关于成立甲县林长制工作领导小组的通知\n"
        "县政府决定成立领导小组，组成人员如下：\n组长：张三 县长\n成员：李四 县林业局局长\n"
        "办公室主任由李四同志兼任，副主任由县财政局副局长王五、县林业局副局长赵六同志担任。"
    )
    assert group.name == "甲县林长制工作领导小组"
    assert [m.name for m in group.members] == ["张三", "李四"]
    assert group.office_deputy_director is not None
    assert group.office_deputy_director.unit == "县财政局"  # the first of two


def test_prose_after_a_list_is_no_seat_and_names_may_hold_a_comma() -> None:
    first, second = _groups(
        "成立甲县林业工作领导小组。\n组长：张三 县长\n领导小组主要职责：\n统筹推进全县林业工作。\n"
        "成立县脱贫攻坚、乡村振兴工作领导小组，组长：李四 县长。\n"
        "成员单位：县发改局、县总工会、县妇联、（排名不分先后）\n"
    )
    assert first.collective_members == []
    assert second.name == "县脱贫攻坚、乡村振兴工作领导小组"
    assert seats(second) == {
        ("县发展和改革局", "成员"),
        ("县总工会", "成员"),
        ("县妇女联合会", "成员"),
    }


@pytest.mark.parametrize(
    "heading",
    [
        "附件：甲县测试工作领导小组成员名单",
        "甲 县 测 试 工 作 领 导 小 组 组 成 人 员 及 职 责",
        "二、甲县测试工作领导小组",
    ],
)
def test_annex_and_section_headings_name_the_group(heading: str) -> None:
    (group,) = _groups(f"甲县人民政府办公室\n{heading}\n组长：张三 县长\n成员：李四 县林业局局长\n")
    assert group.name == "甲县测试工作领导小组"
    assert [m.name for m in group.members] == ["张三", "李四"]


def test_a_unit_heading_is_not_a_group() -> None:
    assert _groups("二、成员单位及职责\n1.县发展和改革委员会\n负责项目审批。\n") == []


def test_rank_notes_after_a_post_are_dropped() -> None:
    (group,) = _groups("成立甲县测试工作领导小组。\n成员：张三 县财政局副局长（正科级）\n")
    assert [(p.title, p.unit) for p in group.members[0].positions] == [("副局长", "县财政局")]


def test_group_span_is_its_name() -> None:
    text = "决定成立了甲县测试工作领导小组，组长：张三 县长"
    (group,) = parse_groups(text, Roster.bundled(), "甲县")
    assert group.span is not None
    assert text[group.span[0] : group.span[1]] == "甲县测试工作领导小组"


def test_command_roles_in_a_sentence_and_the_director_s_post_in_the_office() -> None:
    (group,) = _groups(
        "决定成立甲县创建全国文明城市指挥部，由县委书记张三任政委，县长李四任指挥长，"
        "县委副书记王五任常务副指挥长。指挥部下设办公室，办公室设在县委宣传部，"
        "由县委常委、宣传部部长赵六兼任办公室主任。"
    )
    assert {(m.name, m.role) for m in group.members} == {
        ("张三", "政委"),
        ("李四", "指挥长"),
        ("王五", "常务副指挥长"),
    }
    assert group.office_director is not None
    assert (group.office_director.title, group.office_director.unit) == ("部长", "县委宣传部")


def test_a_section_heading_names_no_group_and_各_is_no_unit() -> None:
    (group,) = _groups(
        "市人民政府关于成立市“十四五”规划编制工作领导小组的通知\n一、领导小组组成\n"
        "组长：张三 市长\n成员：市政府各副秘书长，市发改委、市统计局主要负责同志\n",
        region="甲市",
    )
    assert group.name == "市“十四五”规划编制工作领导小组"
    assert seats(group) == {
        ("市人民政府", "成员"),
        ("市发展和改革委员会", "成员"),
        ("市统计局", "成员"),
    }


def test_a_group_named_in_a_table_cell_is_no_group_alone() -> None:
    assert _groups("1\t日常工作\t7\t1.成立河长制工作领导小组（1分）；落实分管领导\n") == []
