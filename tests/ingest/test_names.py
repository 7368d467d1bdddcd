"""Names: the unit alias roster, collective units, levels, people and the user's own roster."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import UnitKind, unit_kind
from ingest.groups import split_person, split_post
from ingest.normalise import normalise
from ingest.parse import parse_text
from ingest.resolve import Roster, clean_person_name

ROSTER_FILE = Path(__file__).resolve().parents[2] / "data" / "aliases.yaml"


@pytest.fixture(scope="module")
def roster() -> Roster:
    return Roster.bundled()


@pytest.mark.parametrize(
    ("alias", "region", "canonical"),
    [
        ("县工信局", "甲县", "县工业和信息化局"),
        ("县发改局", "甲县", "县发展和改革局"),
        ("县发改委", "甲县", "县发展和改革局"),
        ("市发展改革委", "甲市", "市发展和改革委员会"),
        ("县市场监管局", "甲县", "县市场监督管理局"),
        ("县人社局", "甲县", "县人力资源和社会保障局"),
        ("县住建局", "甲县", "县住房和城乡建设局"),
        ("县文旅局", "甲县", "县文化和旅游局"),
        ("县农业农村局", "甲县", "县农业农村局"),
        ("县政府办", "甲县", "县人民政府办公室"),
        ("县委办", "甲县", "县委办公室"),
        ("县法院", "甲县", "县人民法院"),
        ("区科技局", "乙区", "区科学技术局"),
        ("县 工 信 局", "甲县", "县工业和信息化局"),  # padding
        ("甲县工业和信息化局", "甲县", "县工业和信息化局"),  # the region's own prefix
        ("云州市工信局", "甲县", "市工业和信息化局"),  # a higher level's prefix, known rest
    ],
)
def test_aliases_resolve(roster: Roster, alias: str, region: str, canonical: str) -> None:
    assert roster.canonical(alias, region) == canonical


def test_unknown_abbreviation_is_kept_as_written(roster: Roster) -> None:
    assert roster.canonical("县农经站", "甲县") == "县农经站"
    assert not roster.known("县农经站")
    assert roster.canonical("丙县工信局", "甲县") == "丙县工信局"  # another county: not guessed


@pytest.mark.parametrize(
    "variant",
    ["各乡镇人民政府", "各乡（镇）人民政府", "各乡(镇)人民政府", "各乡镇", "各乡镇政府"],
)
def test_collective_township_governments(roster: Roster, variant: str) -> None:
    assert roster.canonical(variant, "甲县") == "各乡镇人民政府"
    assert roster.kind("各乡镇人民政府") == UnitKind.COLLECTIVE.value


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("各县（市、区）人民政府", "各县（市、区）人民政府"),
        ("各县(市、区)人民政府", "各县（市、区）人民政府"),
        ("各县（市、区）", "各县（市、区）人民政府"),
        ("县直各有关单位", "县直各有关单位"),
        ("县直有关部门", "县直各有关单位"),
        ("市直各有关单位", "市直各有关单位"),
    ],
)
def test_other_collective_units(roster: Roster, variant: str, canonical: str) -> None:
    assert roster.canonical(variant, None) == canonical
    assert roster.kind(canonical) == UnitKind.COLLECTIVE.value


def test_city_units_in_a_county_plan_stay_distinct(roster: Roster) -> None:
    name = roster.canonical("市生态环境局甲县分局", "甲县")
    assert name == "市生态环境局甲县分局"
    assert unit_kind(name, "甲县") is UnitKind.UPPER
    assert roster.canonical("市工信局", "甲县") != roster.canonical("县工信局", "甲县")


def test_heads_of_collective_units_map_to_their_government(roster: Roster) -> None:
    from ingest.seats import collective

    (seat,) = collective("各乡镇镇长", roster, "甲县")
    assert (seat.unit, seat.title) == ("各乡镇人民政府", "镇长")
    (seat,) = collective("各乡（镇）长", roster, "甲县")
    assert seat.unit == "各乡镇人民政府"
    seats = collective("县发改局、县工信局主要负责同志", roster, "甲县")
    assert [s.unit for s in seats] == ["县发展和改革局", "县工业和信息化局"]


def test_posts_and_people(roster: Roster) -> None:
    assert split_person("县发改局局长李四同志") == ("县发改局局长", "李四")
    assert split_person("县委副书记、县长 张三") == ("县委副书记、县长", "张三")
    assert split_person("县工信局局长") == ("县工信局局长", None)
    assert clean_person_name("王  平") == "王平"
    assert clean_person_name("王平同志") == "王平"
    post = split_post("白石镇镇长", roster, "甲县")
    assert post is not None and post.unit == "白石镇人民政府"
    post = split_post("市政府秘书长", roster, "乙市")
    assert post is not None and (post.title, post.unit) == ("秘书长", "市人民政府")


def test_same_unit_same_name_in_tasks_and_groups(roster: Roster) -> None:
    text = normalise(
        "甲县人民政府办公室关于印发甲县测试方案的通知\n甲县测试方案\n一、任务\n"
        "（一）加快发展。（责任单位：县发改委、县工信局）\n"
        "二、保障\n成立甲县测试工作领导小组。\n组长：张三 县长\n"
        "成员：李四 县发展和改革委员会局长\n      王五 甲县工业和信息化局局长\n"
    ).text
    record = parse_text(text, roster)
    task_units = {u.name for t in record.tasks for u in t.units}
    member_units = {p.unit for m in record.groups[0].members for p in m.positions}
    assert task_units == {"县发展和改革局", "县工业和信息化局"}
    assert task_units <= member_units


def test_user_roster_is_merged_over_the_bundled_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "any_level:\n  城市管理局: [城管委]\nregions:\n  甲县:\n    县农业经济管理站: [县农经站]\n",
        "utf-8",
    )
    roster = Roster.from_files(ROSTER_FILE, extra)
    assert roster.canonical("县城管委", "甲县") == "县城市管理局"
    assert roster.canonical("县农经站", "甲县") == "县农业经济管理站"
    assert roster.canonical("县农经站", "乙县") == "县农经站"  # regional aliases stay regional
    assert roster.canonical("县工信局", "甲县") == "县工业和信息化局"


def test_environment_roster(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = tmp_path / "env.yaml"
    extra.write_text("exact:\n  县数据资源中心: [县数据中心]\n", "utf-8")
    monkeypatch.setenv("ZHENKG_ALIASES", str(extra))
    assert Roster.bundled().canonical("县数据中心", "甲县") == "县数据资源中心"


def test_unknown_abbreviations_are_reported(roster: Roster) -> None:
    text = normalise(
        "甲县测试方案\n一、任务\n（一）加快发展。（责任单位：县工科局、县住房保障和房产管理中心）\n"
    ).text
    record = parse_text(text, roster)
    assert record.unknown_abbreviations == ["县工科局"]


def test_a_user_roster_in_traditional_characters_is_simplified(tmp_path: Path) -> None:
    extra = tmp_path / "trad.yaml"
    extra.write_text("regions:\n  甲縣:\n    縣農業經濟管理站: [縣農經站]\n", "utf-8")
    roster = Roster.from_files(ROSTER_FILE, extra)
    assert roster.canonical("县农经站", "甲县") == "县农业经济管理站"
