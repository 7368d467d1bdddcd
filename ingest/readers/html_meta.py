"""Metadata of a county portal page: ``<meta>`` tags and label/value pairs (索引号, 发文字号 …).

Chinese government portals print a document's metadata above the article, as a table, a list or
loose text ("发文字号：泽政发〔2023〕5号"). The values become ``SourceText.fields`` and the
labels and values leave the page, so they do not end up in the article text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bs4.element import Tag

from ingest.readers.base import SPACES, words
from ingest.readers.labels import LABELS, OTHER_LABELS

__all__ = ["BLOCKS", "LABELS", "NESTED_BLOCKS", "OTHER_LABELS", "label_fields", "meta_fields"]

BLOCKS = words(
    "p div li h1 h2 h3 h4 h5 h6 section article ul ol dl dt dd blockquote pre center address "
    "figure figcaption main form header footer tr td th tbody thead hr"
)
_CELLS = words("td th dt dd li")
NESTED_BLOCKS = sorted(words("p div table ul ol dl section article br li tr h1 h2 h3 h4 h5 h6"))
# A word common as a column header or inside a title: a label only when a colon follows.
_COLON_ONLY = words("名称")
_LABEL_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, [*LABELS, *OTHER_LABELS]), key=len, reverse=True)) + ")"
)
_VALUE_END = re.compile(r"【|\s*[\u4e00-\u9fff]{2,6}\s*[:：]")


def meta_fields(soup: Any) -> dict[str, str]:
    """Fields from the <meta> tags Chinese portals (TRS, 政府网站集约化平台) emit."""
    # ArticleTitle is the page's title, often cut short of the issuer: the labelled 标题/名称 wins.
    # ContentSource is the page's 信息来源 (often a website): kept as "source", not the issuer.
    wanted = {"articletitle": "page_title", "pubdate": "published", "contentsource": "source"}
    fields: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = wanted.get(str(meta.get("name", "")).lower())
        value = SPACES.sub(" ", str(meta.get("content", ""))).strip()
        if key and value:
            fields.setdefault(key, value)
    return fields


def label_fields(soup: Any) -> dict[str, str]:
    """Collect label/value metadata (索引号, 发文字号 …) and remove it from the page.

    Elements are visited innermost first, so a label is read where it is written and a
    container that merely holds one (the article, a list) is never taken for a value. What each
    element's test needs of its descendants (its short text, whether it holds a block, whether
    it holds a label) is carried up from its children, so the walk is linear in the page.
    """
    fields: dict[str, str] = {}
    doomed: list[Any] = []
    handled: set[int] = set()  # elements holding an extracted label, and their ancestors
    tables: Counter[int] = Counter()
    table_of: dict[int, Any] = {}
    order = [node for node in soup.descendants if isinstance(node, Tag)]
    short: dict[int, str | None] = {}  # get_text(" ", strip=True) when 300 characters or less
    nested: set[int] = set()  # elements holding one of NESTED_BLOCKS
    for el in reversed(order):
        own = _short_text(el, short, nested)
        short[id(el)] = own
        if any(id(child) in handled for child in el.children):
            handled.add(id(el))
            continue
        if not own:
            continue
        if el.name not in _CELLS and id(el) in nested:
            continue
        compact = re.sub(r"\s+", "", own)
        match = _LABEL_RE.match(compact)
        if match is None or len(_labels_in(compact)) != 1:
            continue
        rest = compact[match.end() :]
        label = match.group(1)
        if rest and rest[0] not in ":：" and el.name not in _CELLS:
            continue  # a sentence that starts with a label word, not a label
        if label in _COLON_ONLY and not rest.startswith((":", "：")):
            continue
        value = re.sub(r"^\s*" + r"\s*".join(label) + r"\s*[:：]?", "", own)
        siblings: list[Any] = []
        if not value.strip():
            value, siblings = _sibling_value(el)
        value = SPACES.sub(" ", value).strip().lstrip(":：").strip()
        value = _VALUE_END.split(value, maxsplit=1)[0].strip()
        if not value:
            continue  # a column header ("文件名称" over a list of documents), not metadata
        if label in LABELS:
            fields.setdefault(LABELS[label], value)
        table = el.find_parent("table")
        if table is not None:
            tables[id(table)] += 1
            table_of[id(table)] = table
        doomed.extend([el, *siblings])
        handled.add(id(el))  # and its ancestors, as the walk comes up to them
    for key, count in tables.items():
        if count >= 2:
            doomed.append(table_of[key])
    for el in doomed:
        if el.parent is not None:
            el.extract()
    return fields


_NESTED = frozenset(NESTED_BLOCKS)
_LIMIT = 300


def _short_text(el: Any, short: dict[int, str | None], nested: set[int]) -> str | None:
    """``el.get_text(" ", strip=True)`` from its children's, or None past 300 characters.

    Also records in ``nested`` whether ``el`` holds one of :data:`NESTED_BLOCKS`.
    """
    parts: list[str] = []
    size = 0
    for child in el.children:
        if isinstance(child, Tag):
            if child.name in _NESTED or id(child) in nested:
                nested.add(id(el))
            text = short[id(child)]
        elif type(child) in Tag.MAIN_CONTENT_STRING_TYPES:
            text = child.strip()
        else:
            continue
        if text is None:
            size = _LIMIT + 1
        elif text and size <= _LIMIT:
            parts.append(text)
            size += len(text) + (1 if len(parts) > 1 else 0)
    return None if size > _LIMIT else " ".join(parts)


def _labels_in(compact: str) -> list[str]:
    """The labels written in an element's text (名称 only where a colon follows it)."""
    return [
        m.group(1)
        for m in _LABEL_RE.finditer(compact)
        if m.group(1) not in _COLON_ONLY or compact[m.end() : m.end() + 1] in (":", "：")
    ]


def _sibling_value(el: Any) -> tuple[str, list[Any]]:
    """The value that follows a bare label: the next cell, or text up to the next break."""
    nxt = el.find_next_sibling(True)
    if el.name in ("td", "th", "dt") and nxt is not None:
        value = nxt.get_text(" ", strip=True)
        if _LABEL_RE.match(re.sub(r"\s+", "", value)):
            return "", []  # an empty value cell was left out; the next cell is a label
        return value, [nxt]
    parts: list[str] = []
    taken: list[Any] = []
    for sib in el.next_siblings:
        if isinstance(sib, Tag):
            if sib.name == "br" or sib.name in BLOCKS or _LABEL_RE.search(sib.get_text()):
                break
            parts.append(sib.get_text(" "))
        else:
            parts.append(str(sib))
        taken.append(sib)
    return "".join(parts), taken
