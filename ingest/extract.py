"""The spaCy entity layer: unit and title mentions with character spans.

The pipeline is ``spacy.blank("zh")`` (built as ``Chinese()``, :func:`ingest.chars.blank_zh`)
with its default character segmenter (word segmenters split unit names such as
县工业和信息化局 apart in context) and one component registered by name, ``zhenkg_units``: a ``PhraseMatcher`` over every name in the alias roster for known units,
and patterns for units it has not seen (县/市/区 … 局, 中心, 办公室, 委员会, 分局), plus a
``TITLE`` label for the posts people hold. Overlaps keep the longest mention.

Responsibility stated in sentences, on top of these mentions, is :mod:`ingest.duties`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.chars import WHITESPACE, blank_zh
from ingest.nlp import Doc, Language, PhraseMatcher, Span, filter_spans
from ingest.resolve import Roster, alias_file

UNSEEN_UNIT = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[我全本该由和及与同]))[省县市区][\u4e00-\u9fff]{1,16}?"
    r"(?:委员会|办公室|管委会|中心|局|厅|委(?![员会])|办(?!公)|部(?!门)|院|大队|公司)"
    r"(?:[\u4e00-\u9fff]{1,6}?分局)?(?!长)"
)
TITLES = (
    "常委",
    "局长",
    "副局长",
    "主任",
    "副主任",
    "主席",
    "副主席",
    "县长",
    "副县长",
    "市长",
    "副市长",
    "区长",
    "副区长",
    "省长",
    "副省长",
    "书记",
    "副书记",
    "部长",
    "副部长",
    "镇长",
    "乡长",
    "常务副县长",
    "常务副市长",
    "党组书记",
    "调研员",
    "二级调研员",
    "四级调研员",
    "院长",
    "校长",
    "所长",
    "站长",
    "队长",
    "行长",
    "社长",
    "秘书长",
    "副秘书长",
    "总经理",
    "董事长",
    "组长",
    "副组长",
    "政委",
    "主任科员",
    "一级主任科员",
    "七级职员",
    "八级职员",
    "六级职员",
    "五级职员",
    "主要负责同志",
    "主要负责人",
    "分管负责同志",
    "负责同志",
    "负责人",
)


@dataclass(frozen=True)
class Mention:
    """A unit or title mention: label, surface text and character span."""

    label: str
    text: str
    start: int
    end: int


@Language.factory("zhenkg_units", default_config={})
def make_unit_matcher(nlp: Language, name: str) -> UnitMatcher:
    """spaCy factory for the unit/title entity component."""
    return UnitMatcher(nlp, Roster.bundled())


class UnitMatcher:
    """Marks ``UNIT`` (known and unseen) and ``TITLE`` entities on a doc."""

    def __init__(self, nlp: Language, roster: Roster) -> None:
        self.matcher = PhraseMatcher(nlp.vocab)
        self.matcher.add("UNIT", [nlp.make_doc(name) for name in roster.names()])
        self.matcher.add("TITLE", [nlp.make_doc(title) for title in TITLES])

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
        ]
        for m in UNSEEN_UNIT.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="UNIT")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


@lru_cache(maxsize=4)
def _pipeline(aliases: str | None) -> Language:
    """The shared, lazily built spaCy pipeline, one per ``$ZHENKG_ALIASES`` roster."""
    nlp: Language = blank_zh()
    nlp.add_pipe("zhenkg_units")
    return nlp


def mentions(text: str) -> list[Mention]:
    """Unit and title mentions in ``text``, in order.

    The passes of a document ask about the same lines and clauses again (a heading, its
    bracket, a list of units), and plans repeat their unit lists: answers are kept per text
    (and per alias roster), since a text's mentions depend on nothing else.

    >>> [(m.label, m.text) for m in mentions("县工信局局长、市生态环境局泽州分局")]
    [('UNIT', '县工信局'), ('TITLE', '局长'), ('UNIT', '市生态环境局泽州分局')]
    """
    return list(_mentions(alias_file(), text))


@lru_cache(maxsize=16384)
def _mentions(aliases: str | None, text: str) -> tuple[Mention, ...]:
    if not WHITESPACE.search(text) and len(text) <= _MAX_LENGTH:
        fast = _phrases(aliases).mentions(text)
        if fast is not None:
            return fast
    doc = _pipeline(aliases)(text)
    return tuple(Mention(e.label_, e.text, e.start_char, e.end_char) for e in doc.ents)


_MAX_LENGTH = 10**6  # spaCy's ``nlp.max_length``: a longer text goes to spaCy, which refuses it


class CharPhrases:
    """What :class:`UnitMatcher` marks on a text without whitespace, found without a ``Doc``.

    Such a text is one token per character (:class:`ingest.chars.CharTokenizer`), so a phrase
    of one-character tokens matches wherever its characters stand in the text, and the
    regex spans always fall on token boundaries: the matches are plain substring look-ups and
    the overlaps are resolved the way ``spacy.util.filter_spans`` resolves them. Building a
    ``Doc`` costs ten times more than that, on the short clauses the duty reader asks about.
    """

    def __init__(self, roster: Roster, words: Callable[[str], list[str]]) -> None:
        """The tables of ``roster``'s names and the titles, each split by ``words`` into the
        token texts the pipeline's tokenizer makes of it."""
        # first two characters → length → the phrases (and label) of that start and length;
        # a one-character phrase under its character in by_char
        self.by_start: dict[str, dict[int, dict[str, str]]] = {}
        self.by_char: dict[str, str] = {}
        self.both: set[str] = set()  # phrases under both labels, left to spaCy to order
        for label, names in (("UNIT", roster.names()), ("TITLE", list(TITLES))):
            for name in names:
                tokens = words(name)
                if not tokens or any(len(w) != 1 for w in tokens):
                    continue  # a phrase with a longer token matches no one-character token
                key = "".join(tokens)
                if len(key) == 1:
                    table = self.by_char
                else:
                    table = self.by_start.setdefault(key[:2], {}).setdefault(len(key), {})
                if table.setdefault(key, label) != label:
                    self.both.add(key)
        # where a phrase can start: a regex visits those characters, not every one of a text
        firsts = sorted({k[0] for k in self.by_start} | set(self.by_char))
        self.first = re.compile(f"[{re.escape(''.join(firsts))}]" if firsts else "(?!)")

    def mentions(self, text: str) -> tuple[Mention, ...] | None:
        """The mentions of a text holding no whitespace, as the spaCy pipeline gives them, or
        None when a phrase the roster and the titles share stands in it."""
        spans: list[tuple[int, int, str]] = []
        for m in self.first.finditer(text):
            i = m.start()
            if self.by_char and (label := self.by_char.get(m.group())) is not None:
                spans.append((i, i + 1, label))
            for n, table in self.by_start.get(text[i : i + 2], {}).items():
                label = table.get(text[i : i + n])
                if label is not None:
                    spans.append((i, i + n, label))
        if self.both and any(text[a:b] in self.both for a, b, _ in spans):
            return None
        spans.extend((m.start(), m.end(), "UNIT") for m in UNSEEN_UNIT.finditer(text))
        # spacy.util.filter_spans: the longest (then the first) of overlapping spans wins
        spans.sort(key=lambda s: (s[1] - s[0], -s[0]), reverse=True)
        kept: list[tuple[int, int, str]] = []
        seen: set[int] = set()
        for s in spans:
            if s[0] not in seen and s[1] - 1 not in seen:
                kept.append(s)
                seen.update(range(s[0], s[1]))
        kept.sort(key=lambda s: s[0])
        return tuple(Mention(label, text[a:b], a, b) for a, b, label in kept)


@lru_cache(maxsize=4)
def _phrases(aliases: str | None) -> CharPhrases:
    """The phrase tables of the pipeline's roster, one per ``$ZHENKG_ALIASES`` roster.

    A name without whitespace is one token per character (:class:`ingest.chars.CharTokenizer`),
    so its tokens are its characters and the pipeline is not built for them: a plan whose
    clauses hold no whitespace is read without building it (~40 ms at start-up, most of it the
    ``PhraseMatcher`` of every name). A name with whitespace is split by the pipeline itself.
    """

    def words(name: str) -> list[str]:
        if WHITESPACE.search(name):
            return [t.text for t in _pipeline(aliases).make_doc(name)]
        return list(name)

    return CharPhrases(Roster.bundled(), words)
