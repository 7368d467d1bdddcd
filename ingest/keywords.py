"""Chain-node keywords in texts: a spaCy ``PhraseMatcher`` over one token per character.

The matcher runs on a ``Doc`` of the stretches of text where a term can be, not of whole texts.
With one token per character a match is a run of term characters, each followed by nothing or
by a single space (the one whitespace spaCy keeps on the token before it; any other whitespace
is a token of its own and ends a match). One compiled regex, the terms (with ``" ?"`` between
their characters in a text that holds a space) and then the rest of the run of term characters
and spaces, finds the stretches: a match starts inside the leftmost stretch not ending before it, and stays
in that stretch's run. The stretches are about a tenth of a plan's task texts, and the matches
in them are those of the whole texts (``tests/ingest/test_fast_paths.py`` compares the two).
A stretch without whitespace (nearly all of them) is one token per character: its matches are
the terms' occurrences, found by walking a trie of the terms without the matcher or a ``Doc``.

The ``Doc`` only has to carry token texts, so it is built on a plain ``Vocab`` with the
character tokenizer of :mod:`ingest.chars` rather than on a ``Language``, whose start-up
(registry, lexeme attributes) a plan with whitespace in a chain term's stretch would pay.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache

from graph.chains import ChainTemplate
from graph.schema import chain_node_id
from ingest.chars import WHITESPACE, CharTokenizer
from ingest.nlp import ChineseTokenizer, PhraseMatcher, Vocab

__all__ = ["Keywords", "find_all", "keywords_of", "longest", "tokenizer"]

Found = list[tuple[int, int, str]]  # (start, end, term) in one text
_Trie = dict[str, "_Trie"]  # character → the rest of the terms; "" ends a term
_JOIN = "\x00"  # joins the stretches matched in one Doc: no term holds it


@lru_cache(maxsize=1)
def tokenizer() -> CharTokenizer:
    """One token per character, as ``spacy.blank("zh")`` makes them, on a vocab of its own."""
    vocab = Vocab()
    return CharTokenizer(vocab, ChineseTokenizer(vocab))


class Keywords:
    """A PhraseMatcher over the terms of some chains' nodes."""

    def __init__(self, chains: Iterable[ChainTemplate]) -> None:
        self.nodes: dict[str, list[str]] = {}  # term → chain node ids (graph ids)
        for chain in chains:
            for node in chain.nodes:
                for term in node.terms():
                    self.nodes.setdefault(term, []).append(chain_node_id(chain.id, node.id))
        # the terms by character, for stretches without whitespace (see :func:`_walk`); a term
        # holding whitespace matches as its tokens do, which only the matcher knows
        self.trie: _Trie | None = None
        if not any(WHITESPACE.search(term) for term in self.nodes):
            self.trie = _trie(self.nodes)

    @cached_property
    def matcher(self) -> PhraseMatcher:
        """The terms' PhraseMatcher, built when a stretch with whitespace first needs it: the
        others are walked (:func:`_walk`), and the first plan need not pay ~15 ms for it."""
        make = tokenizer()
        matcher = PhraseMatcher(make.vocab, attr="TEXT")
        for term in self.nodes:
            matcher.add(term, [make(term)])
        return matcher

    def find(self, text: str) -> Found:
        """``(start, end, term)`` of the terms in ``text``; overlaps go to the longest."""
        return self.find_each([text])[0]

    def find_each(self, texts: Sequence[str]) -> list[Found]:
        """:meth:`find` of each text, through one ``Doc`` (one spaCy pass)."""
        return find_all([self], texts)[0]


@lru_cache(maxsize=32)
def keywords_of(template_json: str) -> Keywords:
    """The matcher of one chain, built once per template content (not once per plan)."""
    return Keywords([ChainTemplate.model_validate_json(template_json)])


@lru_cache(maxsize=32)
def _scanner(keywords: tuple[Keywords, ...], spaced: bool) -> re.Pattern[str]:
    """A term of ``keywords`` and the rest of the run of characters a match can stay in.

    ``spaced``: for texts that hold a space. The others (nearly all task texts) need no
    optional space between characters, and their regex compiles in about half the time
    (8 ms rather than 14 ms for the bundled chains, on the first plan's clock).
    A term holding whitespace matches across the whitespace tokens it holds: for such terms
    any whitespace may stand between characters (more stretches, never fewer).
    """
    terms = {t for k in keywords for t in k.nodes}
    loose = any(t != "".join(t.split()) for t in terms)
    gap, space = (r"\s*", r"\s") if loose else (" ?", " ") if spaced else ("", "")
    bare = {"".join(t.split()) for t in terms} - {""}
    if not bare:
        return re.compile(r"(?!)")  # matches nowhere
    chars = re.escape("".join(sorted(set("".join(bare)))))
    return re.compile(f"(?:{_branches(_trie(bare), gap)})[{chars}{space}]*")


def _trie(terms: Iterable[str]) -> _Trie:
    trie: _Trie = {}
    for term in terms:
        node = trie
        for c in term:
            node = node.setdefault(c, {})
        node[""] = {}  # a term ends here
    return trie


def _branches(trie: _Trie, gap: str) -> str:
    """The terms of ``trie`` as one regex whose branches share their prefixes.

    The regex engine then tries a handful of branches at a position instead of every term
    (half the time of the flat alternation over a plan's task texts).
    """
    alternatives = [
        re.escape(c) + (gap + _branches(rest, gap) if rest.keys() - {""} else "")
        for c, rest in sorted(trie.items())
        if c
    ]
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if "" in trie else body


def _stretches(
    keywords: tuple[Keywords, ...], texts: Sequence[str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """``(text index, start)`` and text of each stretch that can hold a match, in text order."""
    where: list[tuple[int, int]] = []
    pieces: list[str] = []
    for i, text in enumerate(texts):
        for m in _scanner(keywords, " " in text).finditer(text):
            where.append((i, m.start()))
            pieces.append(m.group())
    return where, pieces


def find_all(keywords: Sequence[Keywords], texts: Sequence[str]) -> list[list[Found]]:
    """:meth:`Keywords.find` of each text for each matcher.

    Only the stretches of the texts that can hold a match of some matcher are read (see the
    module docstring). A stretch without whitespace is walked (:func:`_walk`); the others go
    into one ``Doc``, joined by a character no term holds, so no match crosses two.
    """
    out: list[list[Found]] = [[[] for _ in texts] for _ in keywords]
    tries = [k.trie for k in keywords if k.trie is not None]
    walk = len(tries) == len(keywords)
    where, pieces = _stretches(tuple(keywords), texts)
    read: list[int] = []  # the stretches the Doc reads
    for at, ((i, offset), piece) in enumerate(zip(where, pieces, strict=True)):
        if walk and not WHITESPACE.search(piece):
            for trie, found in zip(tries, out, strict=True):
                found[i].extend(_walk(trie, piece, offset))
        else:
            read.append(at)
    if read:
        _match_doc(keywords, [where[at] for at in read], [pieces[at] for at in read], out)
    return [[longest(f) if f else f for f in found] for found in out]


def _walk(trie: _Trie, piece: str, offset: int) -> Found:
    """Every term of ``trie`` in ``piece`` (overlapping ones too), at ``offset`` + its place.

    A stretch without whitespace is one token per character, so the matcher's matches in it
    are exactly the occurrences of the terms: a walk down the terms' characters from each
    character finds them without a ``Doc`` (a third of the chain links' time) or the matcher
    (~15 ms to build on the first plan).
    """
    found: Found = []
    size = len(piece)
    get = trie.get
    for start, c in enumerate(piece):
        node = get(c)
        end = start + 1
        while node is not None:
            if "" in node:
                found.append((offset + start, offset + end, piece[start:end]))
            if end == size:
                break
            node = node.get(piece[end])
            end += 1
    return found


def _match_doc(
    keywords: Sequence[Keywords],
    where: list[tuple[int, int]],
    pieces: list[str],
    out: list[list[Found]],
) -> None:
    """The matchers' matches on one ``Doc`` of the stretches, added to ``out``."""
    starts = list(itertools.accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
    doc = tokenizer()(_JOIN.join(pieces))
    strings = doc.vocab.strings
    for k, found in zip(keywords, out, strict=True):
        for match_id, s, e in k.matcher(doc):
            first, last = doc[s], doc[e - 1]
            at = bisect.bisect_right(starts, first.idx) - 1
            i, offset = where[at]
            shift = offset - starts[at]
            found[i].append((first.idx + shift, last.idx + len(last) + shift, strings[match_id]))


def longest(found: Found) -> Found:
    """The longest of overlapping matches (the first of equally long ones), in text order."""
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: Found = []
    for f in found:
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    return sorted(taken)
