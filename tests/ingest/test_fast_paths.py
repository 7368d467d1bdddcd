"""The ingest fast paths give what the slow paths they skip would give.

Each shortcut (issue 12, ingest speed) is checked against the general code it stands for: the
character tokenizer against spaCy's own Chinese tokenizer, the ``str.translate`` table against
the per-character rule, keyword matching over one joined ``Doc`` against one ``Doc`` per text,
and the answers kept per text against fresh ones.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher

import ingest.keywords as kw
from graph.chain_files import load_chains
from graph.chains import ChainTemplate
from ingest.addresses import add_addresses, address_fragment, match_chains, match_tasks
from ingest.chars import blank_zh
from ingest.extract import _mentions, _phrases, _pipeline, mentions
from ingest.keywords import Keywords, longest, tokenizer
from ingest.load import reference_fragment
from ingest.member_sentences import _role_sentences
from ingest.members import ROLE_IN_SENTENCE
from ingest.normalise import (
    WIDE_AMBIGUOUS,
    WIDE_RUN,
    _char_form,
    _char_table,
    char_forms,
    display_width,
    normalise,
    to_simplified,
)
from ingest.posts import is_person_name, title_of
from tests.ingest.test_firms import CHAINS

TEXTS = [
    "",
    "县工信局",
    "县 工信局",
    "  两端空格  ",
    "县工信局\n县发改局",
    "A\tB\u3000C",
    "（责任单位：县发展和改革局、县工业和信息化局；完成时限：2025年底）",
    "中英 mixed text, with  double spaces",
    "\u200b零宽\xa0空格",
]


@pytest.mark.parametrize("text", TEXTS)
def test_character_tokenizer_makes_the_doc_spacy_makes(text: str) -> None:
    ours, theirs = blank_zh(), spacy.blank("zh")
    mine, spacys = ours.make_doc(text), theirs.make_doc(text)
    assert [(t.text, t.whitespace_, t.idx) for t in mine] == [
        (t.text, t.whitespace_, t.idx) for t in spacys
    ]
    assert mine.text == spacys.text == text


def test_the_translate_table_holds_every_character_the_rule_changes() -> None:
    table = _char_table()
    changed = [
        c
        for c in range(sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and _char_form(chr(c)) != chr(c)
    ]
    assert changed, "the rule changes some characters"
    assert sorted(table) == changed
    assert all(table[c] == _char_form(chr(c)) for c in changed)


@pytest.mark.parametrize(
    "source",
    ["县工信局", "Ａ\u3000Ｂ\u200b。\r\n", "\ufeff标题\x0c第二页\x00", "﹝2023﹞\xad号", ""],
)
def test_character_forms_and_offsets_match_the_per_character_rule(source: str) -> None:
    chars, origin = [], []
    for i, c in enumerate(source):
        for d in _char_form(c):
            chars.append(d)
            origin.append(i)
    assert char_forms(source) == ("".join(chars), origin)


def test_simplified_text_is_returned_as_is_and_traditional_still_converted() -> None:
    assert to_simplified("泽州县工业和信息化局") == "泽州县工业和信息化局"
    assert to_simplified("泽州縣工業和信息化局，發展。") == "泽州县工业和信息化局，发展。"
    assert normalise("加快專業鎮(zhèn)發(fā)展。").text == "加快专业镇发展。"


def _one_doc_per_text(keywords: Keywords, text: str) -> list[tuple[int, int, str]]:
    """The keywords of ``text`` the plain way: ``spacy.blank("zh")``, a PhraseMatcher of its
    own, a Doc of the whole text, every match, the longest kept."""
    nlp = spacy.blank("zh")
    matcher = PhraseMatcher(nlp.vocab, attr="TEXT")
    for term in keywords.nodes:
        matcher.add(term, [nlp.make_doc(term)])
    doc = nlp.make_doc(text)
    found = [
        (doc[s:e].start_char, doc[s:e].end_char, doc.vocab.strings[m]) for m, s, e in matcher(doc)
    ]
    return longest(found)


def test_keywords_of_many_texts_in_one_doc_equal_one_doc_per_text() -> None:
    keywords = Keywords(load_chains(CHAINS).values())
    terms = sorted(keywords.nodes, key=len)
    long_term = next(t for t in reversed(terms) if len(t) >= 4)
    texts = [
        "发展铸造产业，建设检验检测中心",
        "",
        "山楂 红酒与山楂深加工",
        "县工信局",
        "铸件毛坯、精密铸造和检测",
        long_term[:2] + " " + long_term[2:],  # a term split by a space
        long_term[:2] + "  " + long_term[2:],  # ... by two: no match
        long_term[:2] + "\n\n" + long_term[2:],
        " " + long_term + " ",
        "无关的文字" * 3,
    ]
    each = keywords.find_each(texts)
    assert each == [_one_doc_per_text(keywords, t) for t in texts]
    assert any(each), "the texts hold keywords"
    assert keywords.find_each(["无关", "县工信局"]) == [[], []]


def test_keywords_in_stretches_equal_keywords_in_whole_random_texts() -> None:
    """Texts of term characters, spaces, other whitespace and other characters, at random."""
    keywords = Keywords(load_chains(CHAINS).values())
    terms = list(keywords.nodes)
    rnd = random.Random(12)
    bits = [*terms, *"".join(terms), " ", " ", "  ", "\n", "\u3000", "\t", "，", "县", "a"]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(30))) for _ in range(300)]
    each = keywords.find_each(texts)
    assert each == [_one_doc_per_text(keywords, t) for t in texts]
    assert sum(map(len, each)) > 300


def test_keywords_walked_in_stretches_without_whitespace_equal_the_matcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stretches without whitespace (nearly every one) are walked, without a Doc: the walk
    down the terms' characters finds what the PhraseMatcher finds, overlapping terms included."""
    keywords = Keywords(load_chains(CHAINS).values())
    terms = list(keywords.nodes)
    rnd = random.Random(7)
    bits = [*terms, *"".join(terms), "，", "县", "a", "、", "\n", "\u3000", "\t"]
    texts = ["".join(rnd.choice(bits) for _ in range(rnd.randrange(40))) for _ in range(300)]
    docs: list[list[str]] = []
    match_doc = kw._match_doc
    monkeypatch.setattr(
        kw, "_match_doc", lambda k, w, pieces, o: (docs.append(pieces), match_doc(k, w, pieces, o))
    )
    walked = keywords.find_each(texts)
    assert not docs, "no Doc for stretches without whitespace"
    assert walked == [_one_doc_per_text(keywords, t) for t in texts]
    assert sum(map(len, walked)) > 300
    term = max(terms, key=len)
    mixed = keywords.find_each([*texts, f"{term[:1]} {term[1:]}"])  # a stretch for the Doc
    assert docs == [[f"{term[:1]} {term[1:]}"]] and mixed[:-1] == walked and mixed[-1]


def test_terms_holding_whitespace_match_as_their_tokens_do() -> None:
    template = ChainTemplate.model_validate(
        {
            "id": "spaced",
            "name": "测试",
            "nodes": [
                {"id": "a", "name": "铸造 生铁", "tier": "upstream"},
                {"id": "b", "name": "废钢", "tier": "upstream", "keywords": ["废  钢铁"]},
            ],
        }
    )
    keywords = Keywords([template])
    texts = ["铸造生铁和铸造 生铁", "铸造  生铁", "废  钢铁、废钢铁、废钢", "废 钢铁", "铸造\n生铁"]
    each = keywords.find_each(texts)
    assert each == [_one_doc_per_text(keywords, t) for t in texts]
    assert all(each[:1]) and each[2]


def test_the_keyword_tokenizer_makes_the_tokens_spacy_makes() -> None:
    nlp = spacy.blank("zh")
    for text in TEXTS:
        assert [(t.text, t.whitespace_, t.idx) for t in tokenizer()(text)] == [
            (t.text, t.whitespace_, t.idx) for t in nlp.make_doc(text)
        ]


def test_mentions_kept_per_text_are_fresh_copies_of_the_same_answer() -> None:
    text = "由县工信局牵头，县发改局配合"
    first = mentions(text)
    first.clear()  # a caller changing its list changes nothing kept
    again = mentions(text)
    assert [m.text for m in again] == ["县工信局", "县发改局"]
    _mentions.cache_clear()
    assert mentions(text) == again


def test_mentions_without_a_doc_equal_the_spacy_pipeline() -> None:
    nlp, phrases = _pipeline(None), _phrases(None)
    sample = (Path(__file__).parents[2] / "data/samples/zezhou-2023-17.txt").read_text("utf-8")
    texts = [
        "",
        "县工信局局长、市生态环境局泽州分局",
        "由县发展和改革局牵头，县工业和信息化局、县财政局配合",
        "县县工信局局长副县长常务副县长",  # overlapping phrases and titles
        "我县农业农村局和县乡村振兴局分别与各乡镇人民政府共同负责",
        "各县（市、区）人民政府、市直有关部门",
    ]
    rnd = random.Random(12)
    for _ in range(400):
        at = rnd.randrange(len(sample))
        texts.append(sample[at : at + rnd.randrange(1, 60)])
    checked = 0
    for text in texts:
        if any(c.isspace() for c in text):
            continue  # texts with whitespace go through spaCy itself
        doc = nlp(text)
        want = tuple((e.label_, e.text, e.start_char, e.end_char) for e in doc.ents)
        got = phrases.mentions(text)
        assert got is not None
        assert tuple((m.label, m.text, m.start, m.end) for m in got) == want, text
        checked += 1
    assert checked > 100


def test_display_width_by_table_equals_the_per_character_rule() -> None:
    def per_character(line: str) -> int:
        return sum(
            2 if unicodedata.east_asian_width(c) in "WF" or c in WIDE_AMBIGUOUS else 1 for c in line
        )

    rnd = random.Random(2023)
    blocks = [
        (0x20, 0x7F),
        (0x4E00, 0x9FFF),
        (0x2000, 0x2100),
        (0xFF00, 0xFFEF),
        (0x1F300, 0x1F600),
    ]
    lines = ["", "2025年", "县工信局", "“承诺制”…——·", "\t\u3000a"]
    for _ in range(500):
        picks = [rnd.choice(blocks) for _ in range(rnd.randrange(40))]
        lines.append("".join(chr(rnd.randrange(a, b)) for a, b in picks))
    for line in lines:
        assert display_width(line) == per_character(line), line


def test_every_character_of_the_wide_runs_is_wide() -> None:
    """display_width counts WIDE_RUN's characters as wide without asking unicodedata."""
    ranges = re.findall(r"(.)-(.)", WIDE_RUN.pattern)
    assert len(ranges) == 3
    for a, b in ranges:
        for c in map(chr, range(ord(a), ord(b) + 1)):
            assert unicodedata.east_asian_width(c) in "WF" or c in WIDE_AMBIGUOUS, hex(ord(c))
    assert all(WIDE_RUN.fullmatch(c) for c in WIDE_AMBIGUOUS)


def test_chains_matched_on_one_doc_equal_each_chain_matched_alone() -> None:
    chains = list(load_chains(CHAINS).values())
    tasks = [
        ("t1", "发展铸造产业，建设检验检测中心"),
        ("t2", "推进山楂深加工和山楂红酒品牌建设"),
        ("t3", "县工信局牵头"),
        ("t4", "铸件毛坯与山楂饮品"),
        ("t5", ""),
    ]
    together = match_chains(chains, tasks)
    assert together == [match_tasks(chain, tasks) for chain in chains]
    assert all(together), "each chain has a keyword in the tasks"
    assert match_chains(chains, []) == [[], []]


def test_role_sentences_are_the_sentences_that_hold_a_role_word() -> None:
    """Found from the role words, they are the sentences a test of each would keep."""
    rnd = random.Random(7)
    bits = [
        "组长",
        "副组长",
        "成员单位",
        "成员",
        "顾问",
        "。",
        "\n",
        "县长",
        "张三",
        "，",
        "由",
        "任",
    ]
    texts = ["", "组长", "。组长。", "\n\n", "由县长任组长。成员：张三\n顾问"]
    texts += ["".join(rnd.choice(bits) for _ in range(rnd.randrange(25))) for _ in range(300)]
    for text in texts:
        every = [
            (m.start(), m.group(0))
            for m in re.finditer(r"[^。\n]+", text)
            if re.search(ROLE_IN_SENTENCE, m.group(0))
        ]
        assert list(_role_sentences(text)) == every, text


def test_person_names_and_titles_kept_per_text_equal_fresh_answers() -> None:
    words = ["张三", "李 庭", "县长", "县财政局", "欧阳明华", "县政协副主席", "综合股股长", ""]
    first = [(is_person_name(w), title_of(w)) for w in words]
    is_person_name.cache_clear()
    title_of.cache_clear()
    assert [(is_person_name(w), title_of(w)) for w in words] == first
    assert first[0] == (True, None) and first[5] == (False, "副主席")


def test_addresses_added_in_place_equal_the_address_fragments_merged() -> None:
    """add_addresses (no Address models) gives what merging address_fragment of each
    chain's match_chains gives, over a fragment that already holds the chain templates."""
    chains = list(load_chains(CHAINS).values())
    tasks = [
        ("t1", "发展铸造产业，建设检验检测中心"),
        ("t2", "推进山楂深加工和山楂红酒品牌建设，铸造 生铁"),
        ("t3", "县工信局牵头"),
    ]
    merged, added = reference_fragment("甲县"), reference_fragment("甲县")
    for addresses in match_chains(chains, tasks):
        merged.merge(address_fragment(addresses, doc="doc:x"))
    add_addresses(added, chains, tasks, "doc:x")
    assert added.nodes == merged.nodes
    assert added.edges == merged.edges
    assert len(added.edges) > len(reference_fragment("甲县").edges)
