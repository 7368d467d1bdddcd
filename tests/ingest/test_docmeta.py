"""Document fields of official documents and their portal renderings (ingest/docmeta.py,
ingest/titles.py).

Small invented texts in the shapes real pages take; the layout fixtures ``n-*`` hold whole
documents. The real development corpus (``../shared/corpus/real``) is checked against the
gold files in ``bench/real`` when both are present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.docmeta import document_fields
from ingest.normalise import normalise
from ingest.numbers import date_line, iso_date
from ingest.parse import annex_starts
from ingest.places import region_of
from ingest.readers.html_meta import label_fields
from ingest.titles import split_title

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_GOLD = ROOT / "bench" / "real"
KEYS = ("doc_number", "issuer", "title", "date", "region")


def fields_of(text: str, given: dict[str, str] | None = None) -> dict[str, Any]:
    norm = normalise(text).text
    starts = annex_starts(norm)
    doc = document_fields(norm, starts[0] if starts else len(norm), given or {})
    return {k: getattr(doc, k) for k in KEYS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "甲县人民政府关于加快推进\n乡村旅游高质量发展的\n实施意见\n甲政发〔2024〕3号\n"
            "各乡镇人民政府，县直各有关单位：\n现提出以下意见。\n",
            {
                "title": "甲县人民政府关于加快推进乡村旅游高质量发展的实施意见",
                "issuer": "甲县人民政府",
            },
            id="title-over-three-lines",
        ),
        pytest.param(
            "甲县人民政府办公室关于成立甲县河长制工作领导小组的通知\n甲县人民政府办公室关于成立甲县\n"
            "河长制工作领导小组的通知\n各乡镇人民政府：\n现将有关事项通知如下：\n",
            {"title": "甲县人民政府办公室关于成立甲县河长制工作领导小组的通知"},
            id="title-printed-twice",
        ),
        pytest.param(
            "甲县人民政府办公室关于印发甲县乡村振兴规划\n（2024—2026年）的通知\n各乡镇人民政府：\n正文。\n",
            {"title": "甲县乡村振兴规划（2024—2026年）", "issuer": "甲县人民政府办公室"},
            id="wrapped-line-ending-in-a-kind-word",
        ),
        pytest.param(
            "甲县人民政府办公室\n甲政办发〔2024〕7号\n关于印发甲县秸秆禁烧工作方案（试行）的通知\n"
            "各乡镇人民政府：\n正文。\n",
            {"title": "甲县秸秆禁烧工作方案（试行）", "issuer": "甲县人民政府办公室"},
            id="banner-without-文件",
        ),
        pytest.param(
            "甲县人民政府办公室关于转发市发展改革委《乙市节能降碳行动方案》的通知\n各乡镇人民政府：\n正文。\n",
            {"title": "乙市节能降碳行动方案"},
            id="forwarded-plan-in-quotes",
        ),
    ],
)
def test_titles(text: str, expected: dict[str, str]) -> None:
    got = fields_of(text)
    assert {k: got[k] for k in expected} == expected


def test_portal_chrome_is_metadata_never_the_title_or_issuer() -> None:
    text = (
        "• 当前位置：首页 > 政务公开\n"
        "• 甲县人民政府办公室关于成立甲县防汛抗旱指挥部的通知\n"
        "• 信息来源:甲县人民政府网发布时间:2024-06-03\n"
        "• 甲政办发〔2024〕30号\n"
        "各乡镇人民政府，县直各有关单位：\n现将有关事项通知如下：\n"
    )
    assert fields_of(text) == {
        "doc_number": "甲政办发〔2024〕30号",
        "issuer": "甲县人民政府办公室",
        "title": "甲县人民政府办公室关于成立甲县防汛抗旱指挥部的通知",
        "date": None,  # 发布时间 is when the page went up, not the signing date
        "region": "甲县",
    }


def test_labelled_metadata_in_lines_and_tables() -> None:
    text = (
        "索 引 号\t000000/2024-00003\t主题分类\t农业、林业\n"
        "名    称：关于印发甲县林下经济发展方案的通知\n"
        "发布机构：甲县人民政府办公室 成文日期：2024-01-02 发文字号：甲政办发〔2024〕1号\n"
        "各乡镇人民政府：\n现将《甲县林下经济发展方案》印发给你们。\n"
    )
    assert fields_of(text) == {
        "doc_number": "甲政办发〔2024〕1号",
        "issuer": "甲县人民政府办公室",
        "title": "甲县林下经济发展方案",
        "date": "2024-01-02",
        "region": "甲县",
    }


def test_labels_alone_on_their_lines_take_the_next_line() -> None:
    text = (
        "索  引  号：\n000000000/2030-00012\n主题分类：\n城乡建设、环境保护\n发文机关：\n某某部\n"
        "成文日期：\n2030年01月12日\n标　　题：\n国务院办公厅关于开展某某试点工作的通知\n"
        "发文字号：\n国办发〔2030〕3号\n发布日期：\n2030年01月25日\n"
        "国务院办公厅关于开展某某试点工作的通知\n国办发〔2030〕3号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n正文。\n"
    )
    assert fields_of(text) == {
        "doc_number": "国办发〔2030〕3号",
        "issuer": "国务院办公厅",  # the title states it; the label only where the text does not
        "title": "国务院办公厅关于开展某某试点工作的通知",
        "date": "2030-01-12",
        "region": "全国",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "甲县人民政府关于某某的通知_甲县人民政府网\n甲县人民政府关于某某的通知\n各乡镇：\n正文。\n",
            {"title": "甲县人民政府关于某某的通知", "issuer": "甲县人民政府"},
            id="page-title-with-site-name",
        ),
        pytest.param(
            "甲市人民政府关于加快某某发展的决定\n（2030年3月12日市人民政府第10次常务会议通过）\n"
            "为加快某某发展，作如下决定。\n",
            {"title": "甲市人民政府关于加快某某发展的决定", "date": "2030-03-12"},
            id="adoption-note-under-the-title",
        ),
        pytest.param(
            "甲市人民政府令\n第3号\n《甲市某某管理办法》已经市人民政府常务会议通过，现予公布。\n"
            "市长  张三\n2030年3月1日\n",
            {"title": "甲市人民政府令", "issuer": "甲市人民政府", "date": "2030-03-01"},
            id="decree-and-its-serial",
        ),
        pytest.param(
            "甲州市人民政府关于某某的通知\n发布部门：甲州市人民政府\n发布日期：2007-03-12\n"
            "时效性：现行有效\n效力级别：地方规范性文件\n(甲政发[2007]5号)\n各区人民政府：\n正文。\n",
            {
                "doc_number": "甲政发〔2007〕5号",
                "title": "甲州市人民政府关于某某的通知",
                "date": None,
            },
            id="law-database-labels",
        ),
    ],
)
def test_page_and_file_notes(text: str, expected: dict[str, str]) -> None:
    got = fields_of(text)
    assert {k: got[k] for k in expected} == expected


def test_text_that_starts_at_the_addressees() -> None:
    text = (
        "各乡镇人民政府，县直各有关单位：\n"
        "《甲县农村供水保障方案》已经县政府同意，现印发给你们，请认真贯彻执行。\n"
        "甲县人民政府办公室(代章)\n二〇二四年十二月廿一日\n甲县农村供水保障方案\n一、工作任务\n"
    )
    assert fields_of(text) == {
        "doc_number": None,
        "issuer": "甲县人民政府办公室",
        "title": "甲县农村供水保障方案",
        "date": "2024-12-21",
        "region": "甲县",
    }


def test_signature_closing_a_long_document_without_cover_notice() -> None:
    body = "".join(f"（{i}）推进第{i}项工作。\n" for i in range(1, 120))
    text = f"甲县林长制实施方案\n为推进林长制，制定本方案。\n{body}甲县人民政府\n2024年3月4日\n"
    got = fields_of(text)
    assert (got["issuer"], got["date"]) == ("甲县人民政府", "2024-03-04")


def test_a_deadline_line_is_not_the_signing_date() -> None:
    text = "甲县林长制实施方案\n县林业局\n（完成时限：2024年6月30日前）\n一、工作任务\n"
    assert fields_of(text)["date"] is None


def test_title_run_into_the_body_and_region_named_in_it() -> None:
    text = "关于支持乙州企业上市的若干措施。为落实州委、州政府部署，结合乙州实际，制定以下措施。1.某某。"
    got = fields_of(text)
    assert (got["title"], got["region"]) == ("关于支持乙州企业上市的若干措施", "乙州")


def test_nothing_is_invented() -> None:
    text = "[接上页] 5.编制专项规划。由县发改局牵头。6.加强资金保障。由县财政局负责。"
    assert fields_of(text) == dict.fromkeys(KEYS)


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("甲县人民政府办公室", "甲县"),
        ("甲县县委办公室", "甲县"),
        ("乙市市场监督管理局", "乙市"),
        ("乙市丙区人民政府", "丙区"),
        ("中共乙市丙区委办公室 乙市丙区人民政府办公室", "丙区"),
        ("山西省乙市丙县人民政府", "丙县"),
        ("丁州人民政府办公室", "丁州"),
        ("戊藏族自治州人民政府", "戊藏族自治州"),
        ("己镇人民政府", "己镇"),
        ("庚街道办事处", "庚街道"),
        ("甲县辛镇人民政府", "辛镇"),
        ("国务院", "全国"),
        ("国务院办公厅", "全国"),
        ("国办", "全国"),
        ("中共中央办公厅", "全国"),
        ("教育部办公厅", "全国"),
        ("住房和城乡建设部", "全国"),
        ("国家发展改革委", "全国"),
        ("国家税务总局甲县税务局", "甲县"),
        ("市委组织部", None),
        ("县发改局", None),
    ],
)
def test_region_of_issuers(name: str, region: str | None) -> None:
    assert region_of(name) == region


def test_issuer_never_keeps_the_seal_note() -> None:
    for seal in ("（代章）", "(代章)", " （代章）"):
        text = f"各乡镇人民政府：\n正文。\n甲县人民政府办公室{seal}\n2024年2月3日\n"
        assert fields_of(text)["issuer"] == "甲县人民政府办公室"
    assert region_of("甲县人民政府办公室（代章）") == "甲县"


def test_split_title() -> None:
    assert split_title("关于印发《甲县XX方案》的通知") == (None, "甲县XX方案")
    assert split_title("甲县人民政府关于同意设立乙镇的批复") == (
        "甲县人民政府",
        "甲县人民政府关于同意设立乙镇的批复",
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇一二年三月一日", "2012-03-01"),
        ("二○一二年三月一日", "2012-03-01"),
        ("二零一二年十二月三十一日", "2012-12-31"),
        ("二O一二年三月廿一日", "2012-03-21"),
        ("二0一二年三月一日", "2012-03-01"),
        ("（二〇二四年五月二十日）", "2024-05-20"),
    ],
)
def test_chinese_numeral_dates(text: str, iso: str) -> None:
    assert iso_date(text) == iso
    assert date_line(text.strip("（）")) == iso


def test_arabic_runs_are_not_taken_for_a_year() -> None:
    assert date_line("5000 12") is None


def test_名称_is_a_label_only_with_a_colon() -> None:
    from bs4 import BeautifulSoup

    meta = BeautifulSoup("<ul><li>名 称：关于印发甲县XX方案的通知</li></ul>", "lxml")
    assert label_fields(meta) == {"title": "关于印发甲县XX方案的通知"}
    table = "<table><tr><th>名称</th><th>责任单位</th></tr><tr><td>建设园区</td><td>县工信局</td></tr></table>"
    soup = BeautifulSoup(table, "lxml")
    assert label_fields(soup) == {}
    assert "责任单位" in soup.get_text()


# ---------------------------------------------------------------- the real development corpus


def _real_cases() -> list[tuple[Path, Path]]:
    if not REAL.is_dir() or not REAL_GOLD.is_dir():
        return []
    return [
        (text, gold)
        for gold in sorted(REAL_GOLD.glob("*.gold.json"))
        if (text := REAL / gold.name.replace(".gold.json", ".txt")).exists()
    ]


@pytest.mark.skipif(not _real_cases(), reason="../shared/corpus/real or bench/real is absent")
@pytest.mark.parametrize("case", _real_cases(), ids=lambda c: c[0].stem)
def test_real_documents_fields_match_gold(case: tuple[Path, Path]) -> None:
    text, gold_path = case
    gold = json.loads(gold_path.read_text("utf-8")).get("document", {})
    got = fields_of(text.read_text("utf-8"))
    assert {k: got[k] for k in gold if k in KEYS} == {k: v for k, v in gold.items() if k in KEYS}
