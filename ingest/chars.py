"""``spacy.blank("zh")`` with a character tokenizer that skips spaCy's alignment pass.

spaCy's Chinese tokenizer with the default ``char`` segmenter splits a text into characters and
then aligns them with the text (``spacy.util.get_words_and_spaces``) to place whitespace. For a
text without whitespace that alignment is the identity — one token per character, no trailing
spaces — and it costs more than the rest of building the ``Doc``. :class:`CharTokenizer` builds
that ``Doc`` directly and hands any text with whitespace to spaCy's own tokenizer, so every
``Doc`` is the one spaCy would make.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.nlp import Chinese, Doc

WHITESPACE = re.compile(r"\s")  # a text holding one is not one token per character
SPACES = re.compile(r"\s+")  # a run of whitespace


class CharTokenizer:
    """One token per character; texts with whitespace go to spaCy's tokenizer unchanged.

    >>> nlp = blank_zh()
    >>> [t.text for t in nlp.make_doc("县工信局")]
    ['县', '工', '信', '局']
    >>> [(t.text, t.whitespace_) for t in nlp.make_doc("县 局")]
    [('县', ' '), ('局', '')]
    """

    def __init__(self, vocab: Any, fallback: Any) -> None:
        self.vocab = vocab
        self.fallback = fallback

    def __call__(self, text: str) -> Doc:
        if WHITESPACE.search(text):
            doc: Doc = self.fallback(text)
            return doc
        return Doc(self.vocab, words=list(text), spaces=[False] * len(text))


def blank_zh() -> Any:
    """A new ``spacy.blank("zh")`` (character segmenter) with :class:`CharTokenizer`.

    Made as ``Chinese()``: ``spacy.blank`` builds the same object from a config that
    confection resolves and validates first, ~30 ms at start-up.
    """
    nlp = Chinese()
    nlp.tokenizer = CharTokenizer(nlp.vocab, nlp.tokenizer)
    return nlp
