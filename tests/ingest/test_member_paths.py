"""Shortcuts in reading groups, their members and offices, against the long way."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import ingest.groups as groups
import ingest.member_sentences as member_sentences
import ingest.members as members
import ingest.offices as offices
import ingest.people as people
import ingest.posts as posts
from graph.record import Group
from ingest.groups import parse_groups
from ingest.offices import _sentences_naming, sentence_spans
from ingest.resolve import Roster
from ingest.seats import collective

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted(
    [*(ROOT / "tests" / "data").rglob("*.txt"), *(ROOT / "data" / "samples").glob("*.txt")]
)


def _groups(text: str, roster: Roster) -> list[dict[str, object]]:
    return [g.model_dump() for g in parse_groups(text, roster, "泽州县")]


def _sentences_read_one_by_one(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^。\n]+", text) if word in m.group(0)]


def test_sentences_naming_a_word_equal_every_sentence_read() -> None:
    rnd = random.Random(3)
    texts = [p.read_text("utf-8") for p in TEXTS]
    bits = ["主任", "主", "任", "。", "\n", "办公室", "副", "。。", "\n\n", "县"]
    texts += ["".join(rnd.choice(bits) for _ in range(rnd.randrange(12))) for _ in range(500)]
    for text in texts:
        assert _sentences_naming(text, "主任") == _sentences_read_one_by_one(text, "主任")
    assert any(_sentences_naming(t, "主任") for t in texts[: len(TEXTS)])


def test_lines_skipped_without_a_label_give_the_same_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    roster = Roster.bundled()
    texts = [p.read_text("utf-8") for p in TEXTS]
    texts += [  # labels spaced out, in tables, run in after a sentence, lists continued
        "成立领导小组。\n组　长：张三　县长\n副组长：李四　副县长\n王五　县发改局局长\n\n其他工作",
        "领导小组组成如下：\n组长\t张三\t县长\n成员\t李四\t县工信局局长\n",
        "成立工作专班，组长：张三；副组长：李四。\n县发改局、县工信局\n",
    ]
    fast = [_groups(t, roster) for t in texts]
    monkeypatch.setattr(members, "LABEL_IN", re.compile(""))  # every line looked at
    assert fast == [_groups(t, roster) for t in texts]
    assert sum(len(g) for g in fast) > 3


def test_compiled_row_and_list_patterns_equal_the_pattern_strings() -> None:
    """people.ITEM_SEP and ROW_NUMBER (compiled once) cut and match as re.split and
    re.fullmatch did with the pattern strings, on random cells and fixture lines."""
    rnd = random.Random(5)
    bits = ["1", "12", ".", "、", "．", "，", ",", "；", ";", "张三", " ", "\t", "县长", "０"]
    cells = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(6))) for _ in range(3000)]
    cells += [ln for p in TEXTS for ln in p.read_text("utf-8").splitlines()]
    for cell in cells:
        assert people.ITEM_SEP.split(cell) == re.split(r"[、，,；;]", cell)
        assert bool(people.ROW_NUMBER.fullmatch(cell)) == bool(re.fullmatch(r"\d+[.、．]?", cell))
    assert any(people.ROW_NUMBER.fullmatch(c) for c in cells)


def test_note_and_assignment_patterns_match_only_where_their_gates_let_them() -> None:
    """A member line, a post and a post part skip a pattern's sub when it lacks what the
    pattern needs (a bracket, 由/为 first, 组成/担任, 管/联系): wherever one matches, the gate
    holds, so the sub was a no-op on every text skipped."""
    rnd = random.Random(7)
    bits = ["（", "(", "）", ")", "排名", "兼", "办公室", "主任", "由", "为", "组成", "担任"]
    bits += [
        "分管",
        "主管",
        "协管",
        "联系",
        "协助",
        "副",
        "县长",
        "局",
        "张三",
        "正科级",
        " ",
        "、",
    ]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(8))) for _ in range(20000)]
    texts += [ln for p in TEXTS for ln in p.read_text("utf-8").splitlines()]
    bracket = ("（", "(")
    for t in texts:
        if members.NOTE.search(t) or members.POST_NOTE.search(t):
            assert any(b in t for b in bracket)
        if members.LIST_LEAD.search(t):
            assert t.startswith(("由", "为"))
        if members.LIST_CLOSE.search(t):
            assert "组成" in t or "担任" in t
        if members.RANK_NOTE.search(t) and "\n" not in t:
            assert t.endswith(("）", ")"))
        if posts.ASSIGNED.search(t) or posts.IN_CHARGE.search(t):
            assert "管" in t or "联系" in t
    assert sum(bool(posts.ASSIGNED.search(t)) for t in texts) > 100


def _group_names_line_by_line(text: str, roster: Roster) -> list[groups.Named]:
    """group_names as it was, reading every line of the text for a heading."""
    found: list[groups.Named] = []
    for m in groups.FOUND.finditer(text):
        name = groups._clean_name(m["name"])
        if name and not m["name"].startswith("的"):
            end = text.find("\n", m.end())
            line = text[text.rfind("\n", 0, m.start()) + 1 : end if end >= 0 else len(text)]
            strong = groups._strong(name) and "\t" not in line
            found.append(groups.Named(m.end("name") - len(name), name, strong))
    pos, lines, previous = 0, text.split("\n"), ""
    for i, line in enumerate(lines):
        at, pos = pos, pos + len(line) + 1
        stripped = groups.PADDING.sub("", line) if len(line) <= 120 else ""
        named = len(stripped) <= 60 and groups.BODY_WORD.search(stripped) is not None
        head = groups.HEADING.match(stripped) if named else None
        if head is None and groups.WRAPPED.match(stripped) and previous and len(previous) <= 30:
            head = groups.HEADING.match(previous + stripped)
        if stripped:
            previous = stripped
        if head is None:
            continue
        name = groups._clean_name(head["name"])
        if not name or groups.GENERIC.match(name) or roster.known(name):
            continue
        if head["tail"] or groups._list_follows(lines, i):
            found.append(groups.Named(at, name, True))
    return sorted(found, key=lambda n: n.at)


def test_group_headings_from_body_lines_equal_every_line_read() -> None:
    """group_names reads only the lines holding 组/班/部/会 (BODY_CHAR), with the line before
    a wrapped title looked up when needed: the same names as every line read in turn."""
    roster = Roster.bundled()
    rnd = random.Random(11)
    texts = [p.read_text("utf-8") for p in TEXTS]
    bits = ["领导小组", "领 导 小 组", "成员名单", "名单", "专班", "指挥部", "委员会", "\n", "\n\n"]
    bits += ["县", "甲", "一、", "组长：张三", "\t", " ", "组", "会", "工作", "x" * 70, "成立"]
    texts += ["".join(rnd.choice(bits) for _ in range(rnd.randrange(14))) for _ in range(4000)]
    wrapped = 0
    for text in texts:
        assert groups.group_names(text, roster) == _group_names_line_by_line(text, roster)
        wrapped += any(groups.WRAPPED.match(groups._stripped(ln)) for ln in text.split("\n"))
    assert wrapped > 20


def _random_role_texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    bits = [*members.LABELS, *members.ROLE_IN_SENTENCE.split("|"), "　", " ", "\n", "。", "，"]
    bits += ["县长", "张三", "务", "副", "组", "长", "主", "任", "员", "委", "：", "\t"]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(10))) for _ in range(count)]
    return texts + [ln for p in TEXTS for ln in p.read_text("utf-8").splitlines()]


def test_innermost_labels_find_the_lines_every_label_finds() -> None:
    """LABEL_IN (the labels holding no other, padded) finds a label in a line exactly when one
    of all the labels is there, and the innermost role words find the sentences all find."""
    every_label = re.compile(members.ROLE_WORDS)
    every_word = re.compile(members.ROLE_IN_SENTENCE)
    texts = _random_role_texts(13, 5000)
    for line in texts:
        assert bool(members.LABEL_IN.search(line)) == bool(every_label.search(line))
        assert list(sentence_spans(line, member_sentences.ROLE_WORD)) == list(
            sentence_spans(line, every_word)
        )
    assert sum(bool(members.LABEL_IN.search(t)) for t in texts) > 1000


def test_office_sentences_skipped_by_their_words_hold_no_match() -> None:
    """office_posts tries BOTH, DIRECTOR and DEPUTY on a sentence only when it holds the words
    each needs: wherever one matches, the words are there."""
    rnd = random.Random(17)
    bits = ["主任", "副主任", "由", "任", "为", "兼任", "担任", "办公室", "、", "分别由", "张三"]
    bits += ["县发改局局长", "同志", "，", "负责", "副"]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(10))) for _ in range(20000)]
    texts += [ln for p in TEXTS for ln in p.read_text("utf-8").splitlines()]
    matched = 0
    for t in texts:
        if offices.BOTH.search(t):
            assert "主任、副主任分别由" in t
        if offices.DIRECTOR.search(t):
            matched += 1
            assert "主任由" in t or any(w in t for w in offices.DIRECTOR_WORDS)
        if offices.DEPUTY.search(t):
            assert "副主任由" in t or any(w in t for w in offices.DEPUTY_WORDS)
    assert matched > 1000


def test_member_row_patterns_match_only_where_their_gates_let_them() -> None:
    """A member row and its post skip a pattern when they lack what it needs: a bracket
    (NAME_BRACKET), 链长 (CHAIN_LEADER), a decimal digit first (ROW_NUMBER), 政府
    (BARE_GOVERNMENT), 科/股/室 last (SUB_OFFICE), a character that is no letter (SPACE)."""
    rnd = random.Random(19)
    bits = ["（", "(", "）", ")", "张三", "链长", "链", "长", "1", "１", "٣", "、", ".", "政府"]
    bits += ["县", "市", "科", "股", "室", "办公室", "局", "委", " ", "\u3000", "\t", "\n", "·"]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(8))) for _ in range(20000)]
    texts += [ln for p in TEXTS for ln in p.read_text("utf-8").splitlines()]
    hits = 0
    for t in texts:
        if members.NAME_BRACKET.search(t):
            assert "（" in t or "(" in t
        if members.CHAIN_LEADER.search(t):
            assert "链长" in t
        if members.ALSO_OFFICE.search(t):
            assert "兼" in t
        if people.ROW_NUMBER.fullmatch(t):
            assert t[:1].isdecimal()
        if posts.BARE_GOVERNMENT.match(t):
            assert "政府" in t
        if posts.SUB_OFFICE.search(t) and "\n" not in t:
            hits += 1
            assert t.endswith(("科", "股", "室"))
        if t.isalnum():
            assert posts.SPACE.sub("", t) == t
    assert hits > 300


def test_seats_built_with_their_span_equal_seats_copied_with_it() -> None:
    """collective gives each seat the span it is passed, as a copy with the span did."""
    roster = Roster.bundled()
    for text in (
        "各乡镇镇长",
        "县发改局、县工信局主要负责同志",
        "市政府副秘书长、市水利局",
        "县长",
    ):
        copied = [
            s.model_copy(update={"span": (3, 9)}) for s in collective(text, roster, "甲县", "成员")
        ]
        assert collective(text, roster, "甲县", "成员", (3, 9)) == copied
        assert copied


def test_a_line_read_as_no_person_gives_the_same_people_and_seats() -> None:
    """add_people told the whole line names no person reads its one entry as a seat, as
    reading it again did."""
    roster = Roster.bundled()
    for line in ("各乡镇镇长", "县直各部门主要负责同志", "县发改局局长", "县长"):
        told, read = Group(name="甲"), Group(name="甲")
        assert members.person(line, roster) is None
        members.add_people(told, line, "成员", (0, 5), roster, "甲县", line)
        members.add_people(read, line, "成员", (0, 5), roster, "甲县")
        assert told == read
        assert told.collective_members or told.members
