"""HTML documents: the article of a county portal page, without menus and boilerplate.

The article is the element a known content-management container (TRS ``zoom``, 政府网站集约化平台
``pages_content`` …) marks, else the block that gathers most paragraph text outside links.
Data tables are rendered like DOCX tables; tables used for page layout are read as paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from graph.errors import UnreadableDocument
from ingest.readers.base import CJK, SPACES, Layout, Slot, SourceText, cell_text, han_count, words
from ingest.readers.html_meta import BLOCKS, NESTED_BLOCKS, label_fields, meta_fields

__all__ = ["read_html"]

_CONTAINERS = (
    words("zoom trs_editor trs_ueditor custom_unionstyle pages_content xxgk_content ucap-content")
    | words("main-text view"),
    words("article content detail article-content detail-content main-content"),
)
_DROP_TAGS = sorted(
    words("script style noscript template iframe svg select button input textarea object embed")
    | {"head"}
)
_OUTSIDE = ("nav", "header", "footer", "aside")
_PARAGRAPH_HOLDERS = [tag for tag in NESTED_BLOCKS if tag != "br"]
_BOILERPLATE = re.compile(
    r"字体[:：]?\s*[【\[]?\s*大\s*中\s*小|字号[:：]?\s*大\s*中\s*小|打印本页|^【?打印】?$|关闭窗口|"
    r"^【?关闭】?$|分享到|扫一扫|网站地图|版权所有|主办单位|承办单位|ICP备|网站标识码|联系我们|"
    r"^上一篇|^下一篇|返回顶部|浏览次数|访问量|^【?收藏】?$|^当前位置|^您现在的位置|公网安备",
    re.I,
)
_BAD_HTML = "HTML page has no article text"


def read_html(text: str, name: str) -> SourceText:
    """Read a portal page: its metadata fields and the article's paragraphs and tables.

    Args:
        text: the decoded page.
        name: the file name, used in messages and as ``SourceText.path``.

    Raises:
        UnreadableDocument: no element of the page holds article text.
    """
    soup = BeautifulSoup(text, "lxml")
    fields = meta_fields(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    for key, value in label_fields(soup).items():
        fields.setdefault(key, value)
    for tag in soup.find_all(_OUTSIDE):
        if tag.find_parent("article") is None:
            tag.decompose()
    body = _article(soup)
    if body is None:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    layout = Layout()
    _HtmlRenderer(layout).run(body)
    if han_count(layout.text()) < 10:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    return SourceText(layout.text(), "html", name, fields, cells=layout.cells, tables=layout.tables)


def _plain_han(el: Any) -> int:
    """CJK characters of an element's text outside links (menus are links)."""
    return sum(
        han_count(str(s))
        for s in el.descendants
        if type(s) is NavigableString and s.find_parent("a") is None
    )


def _tokens(el: Any) -> set[str]:
    classes = el.get("class") or []
    names = [el.get("id") or "", *(classes if isinstance(classes, list) else [classes])]
    return {str(n).lower() for n in names if n}


def _article(soup: Any) -> Any:
    """The article body: a known container, else the block that gathers most paragraph text."""
    for tier in _CONTAINERS:
        found = [el for el in soup.find_all(True) if _tokens(el) & tier]
        if tier is _CONTAINERS[1]:
            found += soup.find_all("article")
        scored = [(score, el) for el in found if (score := _plain_han(el)) >= 20]
        if scored:
            # the innermost container that still holds most of the text: a "content" wrapper
            # around the sidebar loses to the "article" inside it
            top = max(score for score, _ in scored)
            return max(
                (el for score, el in scored if score >= 0.8 * top),
                key=lambda el: sum(1 for _ in el.parents),
            )
    return _densest(soup)


def _densest(soup: Any) -> Any:
    """The element whose paragraphs hold the most CJK text outside links.

    Each text is credited to the block around it, or, when that block is a plain paragraph
    (no blocks inside but <br>), to the paragraph's parent: an article of <p> or <div> paragraphs wins
    as a whole, while a sidebar of short items scores little per container.
    """
    credit: Counter[int] = Counter()
    element: dict[int, Any] = {}
    for string in soup.find_all(string=True):
        if type(string) is not NavigableString or string.find_parent("a") is not None:
            continue
        han = han_count(str(string))
        block = string.find_parent(BLOCKS | {"body"})
        if not han or block is None:
            continue
        if block.name != "body" and block.find(_PARAGRAPH_HOLDERS) is None and block.parent:
            block = block.parent
        credit[id(block)] += han
        element[id(block)] = block
    if not credit:
        return None
    key, score = credit.most_common(1)[0]
    return element[key] if score >= 10 else None


class _HtmlRenderer:
    """Turns the article element into paragraphs and tables."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.line: list[str] = []

    def flush(self) -> None:
        text = _html_line("".join(self.line))
        self.line = []
        if text and not (len(text) <= 80 and _BOILERPLATE.search(text)):
            self.layout.paragraph(text)

    def run(self, el: Any) -> None:
        self.render(el)
        self.flush()

    def render(self, el: Any) -> None:
        for child in el.children:
            if isinstance(child, Tag):
                if child.name == "br":
                    self.flush()
                elif child.name == "table" and not _layout_table(child):
                    self.flush()
                    self.layout.table(_html_table(child))
                elif child.name in BLOCKS or child.name == "table":
                    self.flush()
                    self.render(child)
                    self.flush()
                else:
                    self.render(child)
            elif type(child) is NavigableString:
                self.line.append(str(child))


def _html_line(raw: str) -> str:
    """Whitespace of HTML source: source wraps between CJK vanish, other runs become a space."""
    raw = re.sub(f"(?<=[{CJK}])[ \t\r\f]*\n\\s*(?=[{CJK}])", "", raw)
    return SPACES.sub(" ", raw.replace("\n", " ").replace("\r", " ")).strip()


def _rows(table: Any) -> list[Any]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _layout_table(table: Any) -> bool:
    """A table used for page layout (one column, nested tables, long prose cells)."""
    rows = _rows(table)
    widths = [len(tr.find_all(["td", "th"], recursive=False)) for tr in rows]
    if not rows or max(widths, default=0) <= 1 or table.find("table") is not None:
        return True
    return any(len(td.get_text()) > 500 for tr in rows for td in tr.find_all(["td", "th"]))


def _span(tag: Any, attr: str) -> int:
    match = re.match(r"\s*(\d+)", str(tag.get(attr, "1")))
    return min(max(1, int(match.group(1))), 100) if match else 1


def _html_table(table: Any) -> list[Slot]:
    slots: list[Slot] = []
    taken: set[tuple[int, int]] = set()
    rows = _rows(table)
    for r, tr in enumerate(rows):
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, col) in taken:
                col += 1
            inner = Layout()
            _HtmlRenderer(inner).run(td)
            rowspan = min(_span(td, "rowspan"), len(rows) - r)
            slot = Slot(r, col, cell_text(inner.blocks), rowspan, _span(td, "colspan"))
            slots.append(slot)
            taken.update(
                (rr, cc)
                for rr in range(r, r + slot.rowspan)
                for cc in range(col, col + slot.colspan)
            )
            col += slot.colspan
    return slots
