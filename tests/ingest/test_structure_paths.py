"""The heading tree and heading duties read by their shortcuts give what the long way gives.

Issue 12 (ingest speed): a line that starts with no numbering is no heading of any style, and a
heading that names no known unit and holds neither a role word, a closing bracket nor 等 is
answered without reading it as a duty clause or a unit list.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

import ingest.duties
import ingest.structure
from ingest.duties import _may_list_units, heading_duties
from ingest.structure import CN, INLINE_ITEM, STYLES, _inline_cuts, _lines, headings

EVAL = Path(__file__).parents[1] / "data/eval"
TITLES = [
    "县发改局牵头的工作",
    "县人社局牵头，县财政局配合",
    "县工信局负责的专业镇创建工作",
    "县工业和信息化局（3项）",
    "海关总署、水利部",
    "县融媒体中心",
    "加强组织领导",
    "强化产业集聚",
    "由人行甲县支行、县金融办配合",
    "水利局等部门",
    "（县财政局）",
    "加快发展（2025年）",
    "",
]


def _sample() -> str:
    return (Path(__file__).parents[2] / "data/samples/zezhou-2023-17.txt").read_text("utf-8")


def _sample_titles() -> list[str]:
    return [h.title for h in headings(_sample())]


def test_lines_skipped_by_their_first_character_hold_no_heading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n".join(
        [
            _sample(),
            "第一部分 总则",
            "第三条 适用范围",
            "①县工信局",
            "１、全角数字",
            "11.121人才梯队项目",
            "10.上一项",
            "11.121人才梯队项目",
            "[接上页] 5.城镇体系规划",
            "  （二）缩进的标题",
            "",
        ]
    )

    def tree(text: str) -> list[tuple[str, str, int, int, str]]:
        return [(h.local_id, h.title, h.start, h.end, h.style) for h in headings(text)]

    short = tree(text)
    monkeypatch.setattr(ingest.structure, "HEAD_START", re.compile(""))
    assert short == tree(text)
    assert len(short) > 20


def test_items_run_together_are_found_where_the_look_behind_finds_them() -> None:
    looked_behind = re.compile(
        rf"(?<=[。；;！？!?])\s*(?:(?P<num>\d{{1,2}})[.．、](?!\d)|[（(](?P<pcn>[{CN}]{{1,3}})[）)])"
        r"(?=[\u4e00-\u9fff“])"
    )
    lines = [
        *_sample().split("\n"),
        "1.甲项。2.乙项；3.丙项！（四）丁项",
        "（三）总。1.甲。 2.乙？（一）丙",
        "。。1.甲。1.5万亩。12.乙",
        "；(二)“甲”。;(三)乙",
    ]
    for line in lines:
        want = [(m.start(), m["num"], m["pcn"]) for m in looked_behind.finditer(line)]
        got = [(m.start() + 1, m["num"], m["pcn"]) for m in INLINE_ITEM.finditer(line)]
        assert got == want, line
    assert _inline_cuts("1.甲项。2.乙项；3.丙项") == [5, 10]


@pytest.mark.parametrize("region", [None, "泽州县"])
def test_headings_answered_early_equal_the_long_way(
    region: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = TITLES + _sample_titles()
    short = [heading_duties(t, 0, len(t), region) for t in titles]
    monkeypatch.setattr(ingest.duties, "_may_list_units", lambda title: True)
    assert short == [heading_duties(t, 0, len(t), region) for t in titles]
    assert any(short), "some headings name units"
    assert not all(map(_may_list_units, titles)), "some headings take the shortcut"


def test_headings_tried_by_their_first_character_equal_every_style_tried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(12)
    starts = ["第", "一", "十", "百", "〇", "（", "(", "1", "12", "１", "①", "⑳", "[接上页]", " "]
    rests = ["", "、", ".", "．", "）", ")", "部分", "章", "条"]
    rests += ["二）", "5万亩", "加强", "。县工信局"]
    lines = ["".join(rng.choices(starts, k=2) + rng.choices(rests, k=3)) for _ in range(3000)]
    text = "\n".join([_sample(), *lines])

    def tree(text: str) -> list[tuple[str, str, str, int, int, str]]:
        return [(h.local_id, h.number, h.title, h.start, h.end, h.style) for h in headings(text)]

    short = tree(text)
    monkeypatch.setattr(ingest.structure, "_styles_for", lambda first: STYLES)
    assert short == tree(text)
    assert len({style for *_, style in short}) == len(STYLES)  # every style was met


def _lines_cut_each(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """What ``_lines`` gave before the range was searched once: every line searched alone."""
    out: list[tuple[int, str]] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        cuts = _inline_cuts(line) if "\t" not in line else []
        for a, b in itertools.pairwise([0, *cuts, len(line)]):
            out.append((line_start + a, line[a:b]))
    return out


def test_lines_cut_where_each_line_searched_alone_cuts_them() -> None:
    rng = random.Random(12)
    pieces = [
        "。",
        "；",
        "？",
        "\n",
        " ",
        "\t",
        "1.",
        "2.",
        "3、",
        "12．",
        "（一）",
        "(二)",
        "甲",
        "“乙",
    ]
    texts = [_sample(), *(p.read_text("utf-8") for p in EVAL.glob("*.txt"))]
    texts += ["".join(rng.choices(pieces, k=60)) for _ in range(3000)]
    for text in texts:
        for start, end in [(0, len(text)), (len(text) // 3, 2 * len(text) // 3)]:
            assert _lines(text, start, end) == _lines_cut_each(text, start, end), text
    assert any(len(_lines(t, 0, len(t))) > t.count("\n") + 1 for t in texts), "some lines cut"
