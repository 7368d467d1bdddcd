"""Property tests: any text gives a record or a clear error, never another exception.

``parse_text`` and ``extract_source`` run on arbitrary text and on mutations of the bundled
sample (truncated, lines shuffled, garbage inserted, a very long line, deeply nested headings,
tables of random cells). Kept modest: 100 examples each, no deadline; set
``ZHENKG_FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import UnreadableDocument
from graph.record import Record
from ingest.normalise import normalise
from ingest.parse import parse_text
from ingest.pipeline import extract_source
from ingest.readers import SourceText
from ingest.resolve import Roster

SAMPLE = (
    Path(__file__).resolve().parents[2] / "data" / "samples" / "zezhou-2023-17.txt"
).read_text("utf-8")
LINES = SAMPLE.split("\n")
ROSTER = Roster.bundled()
EXAMPLES = int(os.environ.get("ZHENKG_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# text built from the pieces plans are made of, so the parser's branches are reached
PIECES = st.sampled_from(
    [
        "一、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "（3）",
        "4）",
        "①",
        "第一条",
        "第二部分",
        "〔责任单位：",
        "（牵头单位：",
        "；配合单位：",
        "[责任单位:",
        "〕",
        "）",
        "]",
        "县工信局",
        "县发展和改革局",
        "各乡（镇）人民政府",
        "市生态环境局泽州分局",
        "、",
        "，",
        "。",
        "牵头",
        "配合",
        "按职责分工负责",
        "完成时限：2025年6月底前",
        "领导小组",
        "成立",
        "组  长：",
        "成  员：",
        "张  三",
        "县长",
        "主要负责同志",
        "为成员",
        "任组长",
        "办公室设在",
        "附件",
        "\t",
        "\n",
        "\n\n",
        " ",
        "— 3 —",
        "泽政办发〔2023",
        "2023年6月26",
        "鎮(zhèn)",
        "序号\t重点任务\t牵头单位\t配合单位\n",
        "加快发展",
    ]
)
PLANLIKE = st.lists(PIECES, max_size=80).map("".join)


def _record_or_clear_error(text: str) -> None:
    source = SourceText(text=text, format="txt", path="fuzz.txt")
    try:
        record = extract_source(source, ROSTER)
    except UnreadableDocument:
        return
    assert isinstance(record, Record)
    for task in record.tasks:
        assert task.units
        assert 0 <= task.span[0] <= task.span[1]


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    assert isinstance(parse_text(normalise(text).text, ROSTER), Record)
    _record_or_clear_error(text)


@FUZZ
@given(PLANLIKE)
def test_plan_like_text(text: str) -> None:
    assert isinstance(parse_text(normalise(text).text, ROSTER), Record)
    _record_or_clear_error(text)


@FUZZ
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_truncated_sample(cut: int) -> None:
    _record_or_clear_error(SAMPLE[:cut])


@FUZZ
@given(st.permutations(LINES))
def test_shuffled_lines(lines: list[str]) -> None:
    _record_or_clear_error("\n".join(lines))


@FUZZ
@given(st.integers(min_value=0, max_value=len(SAMPLE)), st.text(min_size=1, max_size=200))
def test_garbage_inserted(at: int, garbage: str) -> None:
    _record_or_clear_error(SAMPLE[:at] + garbage + SAMPLE[at:])


@settings(
    FUZZ, max_examples=max(20, EXAMPLES // 5)
)  # each example is a whole document with a 60k-character line
@given(st.integers(min_value=1_000, max_value=60_000), PIECES)
def test_a_very_long_line(length: int, piece: str) -> None:
    line = (piece.replace("\n", "") or "甲") * (length // max(1, len(piece)))
    _record_or_clear_error(SAMPLE + "\n" + line[:length] + "\n")


@FUZZ
@given(st.integers(min_value=1, max_value=40), st.lists(PIECES, min_size=1, max_size=6))
def test_deeply_nested_headings(depth: int, ends: list[str]) -> None:
    styles = ["一、", "（一）", "1.", "（1）", "1）", "①", "第一条", "第一部分"]
    lines = [f"{styles[i % len(styles)]}标题{i}。" + "".join(ends) for i in range(depth)]
    _record_or_clear_error("\n".join(lines) + "\n〔责任单位：县工信局〕")


@FUZZ
@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "序号", "重点任务", "牵头单位", "县工信局", "1", "甲"]), max_size=6
        ),
        max_size=8,
    )
)
def test_tables_of_random_cells(rows: list[list[str]]) -> None:
    text = "\n".join("\t".join(r) for r in rows)
    source = SourceText(text=text, format="docx", path="fuzz.docx", tables=[rows])
    with contextlib.suppress(UnreadableDocument):
        extract_source(source, ROSTER)
