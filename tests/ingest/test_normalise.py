"""The normaliser: character forms, pinyin, wraps and page breaks, and the numbers it feeds."""

from __future__ import annotations

import pytest

from ingest.normalise import _should_join, normalise, to_simplified, wrap_width
from ingest.numbers import date_line, deadline, doc_number, find_doc_number


def test_traditional_becomes_simplified_and_keeps_offsets() -> None:
    source = "縣工業和信息化局負責，發展專業鎮。"
    norm = normalise(source)
    assert norm.text == "县工业和信息化局负责，发展专业镇。"
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= o < len(source) for o in norm.origin)


def test_simplified_text_is_left_alone() -> None:
    text = "显著提升乾隆年间的著名建筑群保护水平"
    assert to_simplified(text) == text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("专业鎮(zhèn)", "专业镇"),
        ("發(fā)展", "发展"),
        ("發展(fāzhǎn)規劃", "发展规划"),
        ("人才（réncái）培养", "人才培养"),
        ("镇(zhen4)长", "镇长"),
        ("设在县工信局(以下简称办公室)", "设在县工信局(以下简称办公室)"),  # not pinyin
        ("完成(2024年)", "完成(2024年)"),
    ],
)
def test_pinyin_glosses_are_stripped(source: str, expected: str) -> None:
    assert normalise(source).text == expected


def test_fullwidth_and_odd_spaces() -> None:
    text = normalise("到２０２５年，ＧＤＰ增长５％\u00a0以上\u200b。").text
    assert text == "到2025年，GDP增长5% 以上。"
    assert normalise("泽政办发﹝2023﹞17号").text == "泽政办发〔2023〕17号"


@pytest.mark.parametrize(
    ("prev", "nxt", "join"),
    [
        ("（责任单位：县发展和改革局、县工业和信息", "化局）", True),  # open bracket
        ("领导小组成员单位各负其责，协调联动，会商解决问", "题。", True),  # long unfinished line
        ("建立三级培育库，实行动态管理，", "一企一策精准培育。", True),  # ends with a comma
        ("加快推进项目建设。", "下一段从这里开始。", False),  # finished paragraph
        ("三、重点任务", "（一）强化产业集聚", False),  # heading
        ("泽州县促进专业镇高质量发展实施方案", "为推动我县特色产业做大做强", False),  # title
        ("序号\t重点任务\t牵头单位", "1\t培育企业\t县工信局", False),  # table rows
        ("成员单位：县商务局、县财政局、县住建局、县交通局", "领导小组办公室设在县商务局", False),
        ("甲政办发〔202321", "甲县人民政府办公室关于印发方案的通知", False),  # lone bracket
        ("推进项目建设，加快办理前期手续", "2024年6月26日", False),  # a signature date
    ],
)
def test_should_join(prev: str, nxt: str, join: bool) -> None:
    assert _should_join(prev, nxt) is join


def test_hard_wrapped_text_joins_full_lines_only() -> None:
    lines = ["组织开展银企对接活动，引导金融机构创新信贷产品，扩大中小"] * 6
    text = "\n".join([*lines, "企业首贷规模。", "（一）下一项", "短行结束"])
    assert wrap_width(text.split("\n")) == 56
    out = normalise(text).text.split("\n")
    assert out[0].endswith("企业首贷规模。")
    assert out[1:] == ["（一）下一项", "短行结束"]


def test_page_numbers_between_pages_are_dropped() -> None:
    text = "盘活闲置低效用地，三年盘活存量土地1000亩\n\n- 2 -\n\n以上。\n第3页\n（二）下一项\n12\n"
    assert (
        normalise(text).text == "盘活闲置低效用地，三年盘活存量土地1000亩以上。\n（二）下一项\n12"
    )


def test_origin_maps_every_character_back() -> None:
    source = "一、任务\r\n（一）發展(fā)產業。\r\n\r\n— 2 —\r\n〔责任单位：县工信局〕"
    norm = normalise(source)
    assert len(norm.origin) == len(norm.text)
    assert norm.origin == sorted(norm.origin)
    at = norm.text.index("县工信局")
    assert source[norm.source_offset(at) : norm.source_offset(at) + 4] == "县工信局"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("泽政办发〔2023〕17号", "泽政办发〔2023〕17号"),
        ("晋政办发[2022]80号", "晋政办发〔2022〕80号"),
        ("晋政办发［2022］80号", "晋政办发〔2022〕80号"),
        ("晋政办发（2022）80号", "晋政办发〔2022〕80号"),
        ("晋政办发(2022) 80 号", "晋政办发〔2022〕80号"),
        ("晋发改字〔2022〕8号", "晋发改字〔2022〕8号"),
        ("晋政办发〔202321", "晋政办发〔2023〕21号"),
        ("晋政办发〔2023 21号", "晋政办发〔2023〕21号"),
        ("晋政办发2023〕21号", "晋政办发〔2023〕21号"),
        ("晋政办发〔2023〕21", "晋政办发〔2023〕21号"),
        ("晋政办发〔23〕21号", None),
        ("晋政办发〔2023〕", None),
    ],
)
def test_document_numbers(text: str, number: str | None) -> None:
    assert doc_number(text) == number


def test_ambiguous_numbers_are_kept_as_written() -> None:
    assert find_doc_number("标题\n晋政办发〔23〕21号\n") == "晋政办发〔23〕21号"
    assert find_doc_number("关于印发2023年工作要点的通知") is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("2023年6月26日", "2023-06-26"),
        ("2023年6月26", "2023-06-26"),
        ("2023年626日", "2023-06-26"),
        ("20236月26日", "2023-06-26"),
        ("2023.6.26", "2023-06-26"),
        ("二〇二三年六月二十六日", "2023-06-26"),
        ("2023年12月1日印发", "2023-12-01"),
        ("2023年112日", None),  # 1月12日 or 11月2日
        ("2023年2月30日", None),
        ("2023年6月", None),
    ],
)
def test_dates_with_a_lost_character(line: str, date: str | None) -> None:
    assert date_line(line) == date


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("2025年6月底前", "2025-06-30"),
        ("2024年底前", "2024-12-31"),
        ("2024年2月底", "2024-02-29"),
        ("2025年3月31日前", "2025-03-31"),
        ("长期坚持", "长期坚持"),
        ("每年11月底前", "每年11月底前"),
        ("2025年上半年", "2025年上半年"),
    ],
)
def test_deadlines(phrase: str, value: str) -> None:
    assert deadline(phrase) == value
