"""HTML documents: the article of a county portal page, without menus and boilerplate.

The article is the element a known content-management container (TRS ``zoom``, 政府网站集约化平台
``pages_content`` …) marks, else the block that gathers most paragraph text outside links.
Data tables are rendered like DOCX tables; tables used for page layout are read as paragraphs.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag
from lxml import etree  # type: ignore[import-untyped]

from graph.errors import OverBudget, UnreadableDocument
from ingest.readers.base import CJK, SPACES, Layout, Slot, SourceText, cell_text, han_count, words
from ingest.readers.html_meta import BLOCKS, NESTED_BLOCKS, label_fields, meta_fields
from ingest.readers.limits import HTML_MAX_DEPTH, HTML_MAX_ELEMENTS, check_time

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

    The page is first scanned for its shape (nesting depth and element count, in C, stopping at
    the first excess), so a page built to be slow is refused before a tree is built; every
    later step is a walk in time linear in the page.

    Args:
        text: the decoded page.
        name: the file name, used in messages and as ``SourceText.path``.

    Raises:
        UnreadableDocument: no element of the page holds article text.
        OverBudget: nested deeper than 512 elements, or more than 300,000 of them.
    """
    _check_shape(text, name)
    soup = BeautifulSoup(text, "lxml")
    check_time("parsing HTML")
    fields = meta_fields(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    for key, value in label_fields(soup).items():
        fields.setdefault(key, value)
    check_time("reading HTML metadata")
    for tag in _outside_articles(soup):
        tag.decompose()
    page = _Page(soup)
    body = _article(page)
    if body is None:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    layout = Layout(name=name)
    _HtmlRenderer(layout).run(body)
    if han_count(layout.text()) < 10:
        raise UnreadableDocument(f"{name}: {_BAD_HTML}")
    return SourceText(layout.text(), "html", name, fields, cells=layout.cells, tables=layout.tables)


def _check_shape(text: str, name: str) -> None:
    """Refuse a page nested deeper than the depth cap or with more elements than the cap."""
    parser = etree.HTMLPullParser(events=("start", "end"), huge_tree=True, recover=True)
    depth = deepest = count = 0
    chunk = 1 << 16
    for at in range(0, len(text), chunk):
        parser.feed(text[at : at + chunk])
        for event, _ in parser.read_events():
            if event == "end":
                depth -= 1
                continue
            depth += 1
            count += 1
            deepest = max(deepest, depth)
        if deepest > HTML_MAX_DEPTH:
            raise OverBudget(
                f"{name}: HTML elements nested more than {HTML_MAX_DEPTH} deep "
                "(unclosed or nested tags), not a portal page"
            )
        if count > HTML_MAX_ELEMENTS:
            raise OverBudget(f"{name}: more than {HTML_MAX_ELEMENTS:,} HTML elements")
        check_time("scanning HTML")
    with contextlib.suppress(etree.LxmlError):
        parser.close()  # what lxml cannot finish, BeautifulSoup reads as it can


def _outside_articles(soup: Any) -> list[Any]:
    """Menus, headers, footers and sidebars that no <article> holds (one walk down the tree)."""
    found: list[Any] = []
    stack: list[tuple[Any, bool]] = [(soup, False)]
    while stack:
        el, inside = stack.pop()
        for child in el.children:
            if isinstance(child, Tag):
                if child.name in _OUTSIDE and not inside:
                    found.append(child)
                else:
                    stack.append((child, inside or child.name == "article"))
    return found


class _Page:
    """What choosing the article needs of every element, from one walk down and back up.

    ``plain``: CJK characters of an element's text outside links (menus are links);
    ``depth``: how many ancestors it has; ``holds``: whether it holds a paragraph holder;
    ``strings``: each text outside links with its CJK count and the block around it.
    """

    def __init__(self, soup: Any) -> None:
        self.order: list[Any] = []
        self.depth: dict[int, int] = {id(soup): 0}
        self.plain: Counter[int] = Counter()
        self.holds: set[int] = set()
        self.strings: list[tuple[int, Any]] = []
        in_link: dict[int, bool] = {id(soup): False}
        block_of: dict[int, Any] = {id(soup): None}
        for node in soup.descendants:  # document order, without recursion
            parent = id(node.parent)
            if isinstance(node, Tag):
                self.order.append(node)
                self.depth[id(node)] = self.depth[parent] + 1
                in_link[id(node)] = in_link[parent] or node.name == "a"
                is_block = node.name in BLOCKS or node.name == "body"
                block_of[id(node)] = node if is_block else block_of[parent]
            elif type(node) is NavigableString and not in_link[parent]:
                han = han_count(str(node))
                if han:
                    self.plain[parent] += han
                    if block_of[parent] is not None:
                        self.strings.append((han, block_of[parent]))
        holders = set(_PARAGRAPH_HOLDERS)
        for el in reversed(self.order):
            parent = id(el.parent)
            self.plain[parent] += self.plain[id(el)]
            if el.name in holders or id(el) in self.holds:
                self.holds.add(parent)


def _tokens(el: Any) -> set[str]:
    classes = el.get("class") or []
    names = [el.get("id") or "", *(classes if isinstance(classes, list) else [classes])]
    return {str(n).lower() for n in names if n}


def _article(page: _Page) -> Any:
    """The article body: a known container, else the block that gathers most paragraph text."""
    elements = page.order
    for tier in _CONTAINERS:
        found = [el for el in elements if _tokens(el) & tier]
        if tier is _CONTAINERS[1]:
            found += [el for el in elements if el.name == "article"]
        scored = [(score, el) for el in found if (score := page.plain[id(el)]) >= 20]
        if scored:
            # the innermost container that still holds most of the text: a "content" wrapper
            # around the sidebar loses to the "article" inside it
            top = max(score for score, _ in scored)
            return max(
                (el for score, el in scored if score >= 0.8 * top),
                key=lambda el: page.depth[id(el)],
            )
    return _densest(page)


def _densest(page: _Page) -> Any:
    """The element whose paragraphs hold the most CJK text outside links.

    Each text is credited to the block around it, or, when that block is a plain paragraph
    (no blocks inside but <br>), to the paragraph's parent: an article of <p> or <div> paragraphs wins
    as a whole, while a sidebar of short items scores little per container.
    """
    credit: Counter[int] = Counter()
    element: dict[int, Any] = {}
    for han, block in page.strings:
        if block.name != "body" and id(block) not in page.holds and block.parent:
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

    def run(self, root: Any) -> None:
        """Render ``root``'s children: one walk with an explicit stack (no recursion)."""
        stack: list[tuple[Any, bool]] = [(iter(root.children), False)]
        while stack:
            children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if is_block:
                    self.flush()
            elif isinstance(child, Tag):
                if child.name == "br":
                    self.flush()
                elif child.name == "table" and not _layout_table(child):
                    self.flush()
                    self.layout.table(_html_table(child))
                elif child.name in BLOCKS or child.name == "table":
                    self.flush()
                    stack.append((iter(child.children), True))
                else:
                    stack.append((iter(child.children), False))
            elif type(child) is NavigableString:
                self.line.append(str(child))
        self.flush()


def _html_line(raw: str) -> str:
    """Whitespace of HTML source: source wraps between CJK vanish, other runs become a space."""
    raw = re.sub(f"(?<=[{CJK}])[ \t\r\f]*\n\\s*(?=[{CJK}])", "", raw)
    return SPACES.sub(" ", raw.replace("\n", " ").replace("\r", " ")).strip()


def _rows(table: Any) -> list[Any]:
    """The table's own rows, not those of tables nested in it."""
    rows: list[Any] = []
    stack = [table]
    while stack:
        el = stack.pop()
        for child in reversed(el.contents):
            if isinstance(child, Tag) and child.name != "table":
                stack.append(child)
        if el.name == "tr":
            rows.append(el)
    return rows


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
