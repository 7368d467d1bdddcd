"""Mentions found without a spaCy Doc equal the entity layer's, on a roster of any shape.

Issue 12 (ingest speed): :class:`ingest.extract.CharPhrases` stands in for the pipeline on texts
without whitespace. A user roster may hold a name that is also a title: which label wins is
spaCy's to say, so a text holding it goes to spaCy (names are stored without spaces).
"""

from __future__ import annotations

from pathlib import Path

from ingest.chars import blank_zh
from ingest.extract import CharPhrases, UnitMatcher, _phrases
from ingest.resolve import BUNDLED, Roster


def _check(tmp_path: Path, roster_yaml: str, texts: list[str], shared: str = "") -> CharPhrases:
    """Each text's mentions found without a Doc equal the pipeline's, on the bundled roster
    and ``roster_yaml``; a text holding ``shared`` (a unit and a title at once) goes to spaCy."""
    extra = tmp_path / "mine.yaml"
    extra.write_text(roster_yaml, "utf-8")
    roster = Roster.from_files(BUNDLED, extra)
    nlp = blank_zh()
    matcher = UnitMatcher(nlp, roster)
    phrases = CharPhrases(roster, lambda name: [t.text for t in nlp.make_doc(name)])
    for text in texts:
        got = phrases.mentions(text)
        if shared and shared in text:
            assert got is None
            continue
        doc = matcher(nlp.make_doc(text))
        want = [(e.label_, e.text, e.start_char, e.end_char) for e in doc.ents]
        assert got is not None
        assert [(m.label, m.text, m.start, m.end) for m in got] == want, text
    return phrases


def test_a_user_roster_s_mentions_equal_the_pipeline_s(tmp_path: Path) -> None:
    texts = ["县数据资源中心主任", "县数据中心牵头", "县工信局局长", "请主任负责", "无关文字", ""]
    phrases = _check(tmp_path, "exact:\n  县数据资源中心: [主任, 县数据中心]\n", texts, "主任")
    assert phrases.mentions("县数据资源中心") == phrases.mentions("县数据资源中心")
    assert [m.text for m in phrases.mentions("县数据资源中心") or ()] == ["县数据资源中心"]


def test_one_character_names_and_phrases_at_the_end_equal_the_pipeline(tmp_path: Path) -> None:
    texts = ["数", "县数", "数据县数", "由县数牵头", "县工信局", "县", "县工", "市县数据资源中心数"]
    phrases = _check(tmp_path, "exact:\n  县数据资源中心: [数, 县数]\n", texts)
    assert phrases.by_char == {"数": "UNIT"}


def test_the_tables_split_names_as_the_pipeline_s_tokenizer_does() -> None:
    """Production tables take a whitespace-free name's characters as its tokens, without
    building the pipeline: the same tables as from the tokens spaCy's pipeline makes."""
    _phrases.cache_clear()
    ours = _phrases(None)
    nlp = blank_zh()
    theirs = CharPhrases(Roster.bundled(), lambda name: [t.text for t in nlp.make_doc(name)])
    assert (ours.by_start, ours.by_char, ours.both) == (
        theirs.by_start,
        theirs.by_char,
        theirs.both,
    )
    assert ours.first.pattern == theirs.first.pattern
