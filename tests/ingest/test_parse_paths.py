"""Parser shortcuts (issue 12, ingest speed) give what the general code they skip would give.

Each test holds one shortcut to the form it replaced: a cheap scan that rules texts out before
a costly regex, an answer kept per name against a fresh one.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from graph.record import Record, Task, TaskUnit
from graph.schema import Role
from ingest.explain import seats_of, suspect_lines, unparsed_lines
from ingest.normalise import _TONED, PINYIN, PINYIN_HINT, _open_brackets, normalise
from ingest.parse import parse_text
from ingest.resolve import Roster, _key
from ingest.tables import _cell, _written, text_tables

DATA = Path(__file__).resolve().parent.parent / "data"


def _texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(DATA.rglob("*.txt"))]


def test_a_text_the_pinyin_hint_rules_out_holds_no_pinyin() -> None:
    rng = random.Random(12)
    alphabet = ["(", "（", ")", "）", " ", "\n", "a", "z", "ü", "5", "1", "镇", "發", "。", *_TONED]
    texts = ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(20000)]
    texts += ["专业鎮(zhèn)", "镇(zhen4)长", "人才（ réncái ）", "县(以下简称)", *_texts()]
    held = 0
    for text in texts:
        if PINYIN.search(text):
            held += 1
            assert PINYIN_HINT.search(text), text
    assert held > 50  # the random texts do hold pinyin


def test_known_kept_per_name_equals_a_fresh_look_up() -> None:
    roster = Roster.bundled()
    names = roster.names()
    names += [f"{n[:1]} {n[1:]}" for n in names[:200]]  # padded as a page may write it
    names += [n.replace("（", "(").replace("）", ")") for n in names if "（" in n]
    names += ["县城建局", "县工科局", "", " ", "加强监管", "泽州县工信局"]
    for _ in range(2):  # the second round answers from what the first kept
        for name in names:
            fresh = _key(name)
            want = (
                fresh in roster.canonicals
                or fresh in roster.aliases
                or fresh in roster.collective
                or any(fresh in table for table in roster.regional.values())
            )
            assert roster.known(name) is want, name


def _unparsed_by_scanning(text: str, record: Record) -> list[str]:
    """unparsed_lines as it was: every task span and every seat tried for each line."""
    covered = [t.span for t in record.tasks]
    seats = seats_of(record)
    return [
        warning
        for start, end, at, warning in suspect_lines(text)
        if not any(a <= at < b for a, b in covered) and not any(start <= a < end for a, _ in seats)
    ]


def test_unparsed_lines_by_bisection_equal_the_scan() -> None:
    roster = Roster.bundled()
    rng = random.Random(12)
    for text in _texts():
        text = normalise(text).text
        record = parse_text(text, roster)
        assert unparsed_lines(text, record) == _unparsed_by_scanning(text, record)
        for _ in range(20):  # tasks and seats anywhere, nested and overlapping
            spans = [sorted(rng.sample(range(len(text) + 2), 2)) for _ in range(rng.randint(0, 6))]
            units = [
                TaskUnit(name="甲", surface="甲", role=Role.LEAD, span=(a, a + 2))
                for a in rng.sample(range(len(text) + 1), rng.randint(0, 4))
            ]
            record.tasks = [
                Task(id=str(k), number="", title="", units=units, span=(a, b))
                for k, (a, b) in enumerate(spans)
            ]
            assert unparsed_lines(text, record) == _unparsed_by_scanning(text, record)


def _open_brackets_by_character(line: str) -> int:
    opened: list[int] = []
    for i, c in enumerate(line):
        if c in "（(〔【[［":
            opened.append(i)
        elif c in "）)〕】]］" and opened:
            opened.pop()
    return sum(1 for i in opened if re.search(r"[\u4e00-\u9fff]", line[i + 1 :]))


def test_open_brackets_found_by_regex_equal_the_character_walk() -> None:
    rng = random.Random(12)
    alphabet = [*"（(〔【[［）)〕】]］", "县", "2023", " ", "\n", "。", "a", "﹙"]
    lines = ["".join(rng.choices(alphabet, k=rng.randint(0, 16))) for _ in range(20000)]
    lines += [ln for text in _texts() for ln in normalise(text).text.split("\n")]
    counts = [_open_brackets(line) for line in lines]
    assert counts == [_open_brackets_by_character(line) for line in lines]
    assert max(counts) > 2


def _cell_normalised(raw: str) -> str:
    """What a table cell was before its shortcuts: the whole of normalise, on its own."""
    return normalise(raw).text.replace("\n", "").strip()


def test_table_cells_equal_each_cell_normalised_alone() -> None:
    rng = random.Random(12)
    pieces = ["县发改局", "縣工業局", "２０２４年", "Ａ", "\u3000", " ", "\u200b", "\r", "\u2028"]
    pieces += ["\n", "\t", "-", "3", "第", "页", "(zhèn)", "（", "）", "12/30", "發展", "﹝"]
    tables = [text_tables(t) for t in _texts()]
    tables = [t for found in tables for t in found]
    for _ in range(3000):
        rows = rng.randint(1, 4)
        # most cells of a plan's tables hold nothing to normalise: half the tables are so
        alphabet = pieces if rng.random() < 0.5 else ["县发改局", " ", "-", "3", "第", "页"]
        cells = [["".join(rng.choices(alphabet, k=rng.randint(0, 4))) for _ in range(rows)]]
        tables.append(cells * rng.randint(1, 4))
    tables += [[["- 3 -", "第 2 页", " 县财政局 "]], [["12/30", "", "  "]], [[]], []]
    batched = 0
    for table in tables:
        want = [[_cell_normalised(c) for c in row] for row in table]
        assert [[_cell(c) for c in row] for row in table] == want, table
        assert _written(table) == want, table
        batched += bool(table) and all(_cell_normalised(c) == c.strip() for r in table for c in r)
    assert batched > 100, "some tables take the shortcut"
