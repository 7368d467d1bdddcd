"""Build the same plan text as DOCX, PDF and HTML files, for reader and cross-format tests.

The input is plain text in the layout of ``data/samples/*.txt``: blank lines separate
paragraphs, a line break inside a block is a hard line break, and consecutive lines holding a
tab form a table (cells split on the tab). In a table's first column, an empty cell under a
filled one is merged with it vertically (``vMerge`` in DOCX, ``rowspan`` in HTML), as a typist
would lay out "成 员：" once beside a list of members; elsewhere an empty cell stays empty.

Example:
    >>> blocks = split_blocks("甲\\n乙\\n\\n组 长：\\t武小雅\\n\\t许云发")
    >>> [b.kind for b in blocks], blocks[1].rows[1]
    (['paragraph', 'table'], ['', '许云发'])
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PDF_FONT = "STSong-Light"
PDF_HEADER = "泽州县人民政府办公室规范性文件（页眉）"
DOCX_HEADER = "泽州县人民政府办公室（页眉）"
DOCX_FOOTER = "第 1 页（页脚）"
HTML_BOILERPLATE = (
    "【字体：大 中 小】",
    "打印本页",
    "关闭窗口",
    "分享到",
    "扫一扫",
    "网站地图",
    "版权所有",
    "主办单位",
    "ICP备",
    "网站标识码",
    "联系我们",
    "当前位置",
    "政务公开",
)
FIELD_LABELS = {
    "index_no": "索引号",
    "issuer": "发文机关",
    "doc_number": "发文字号",
    "date": "成文日期",
    "published": "发布日期",
    "title": "标题",
}


@dataclass
class Block:
    """A paragraph (its hard-broken lines) or a table (its rows of cells)."""

    kind: str
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def split_blocks(text: str) -> list[Block]:
    """Split sample text into paragraphs and tables (runs of lines holding a tab)."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n")):
        lines = [line for line in chunk.split("\n") if line.strip()]
        for is_row, group in itertools.groupby(lines, key=lambda line: "\t" in line):
            if not is_row:
                blocks.append(Block("paragraph", lines=[line.strip() for line in group]))
                continue
            rows = [line.split("\t") for line in group]
            width = max(len(row) for row in rows)
            blocks.append(Block("table", rows=[row + [""] * (width - len(row)) for row in rows]))
    return blocks


def vertical_merges(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each run of empty label cells under a filled one.

    Only the first column (the role label) is merged: a member listed without a post
    ("各乡镇镇长") has an empty post cell, not the post of the member above.

    >>> vertical_merges([["成 员：", "陈二", "县文旅局局长"], ["", "各乡镇镇长", ""]])
    [(0, 0, 1)]
    """
    merges: list[tuple[int, int, int]] = []
    col, r = 0, 0
    while rows and r < len(rows):
        end = r
        while end + 1 < len(rows) and not rows[end + 1][col].strip() and rows[r][col].strip():
            end += 1
        if end > r:
            merges.append((col, r, end))
        r = end + 1
    return merges


def merged_grid(rows: list[list[str]]) -> list[list[str]]:
    """The table as a reader should report it: merged values repeated into every slot."""
    grid = [[cell.strip() for cell in row] for row in rows]
    for col, first, last in vertical_merges(rows):
        for r in range(first + 1, last + 1):
            grid[r][col] = grid[first][col]
    return grid


def build_docx(text: str, path: Path) -> Path:
    """Write ``text`` as a DOCX: paragraphs, hard breaks, tables with vertical merges.

    A header and a footer are added; readers must ignore them.
    """
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = DOCX_HEADER
    section.footer.paragraphs[0].text = DOCX_FOOTER
    for block in split_blocks(text):
        if block.kind == "paragraph":
            paragraph = document.add_paragraph()
            for i, line in enumerate(block.lines):
                run = paragraph.add_run(line)
                if i < len(block.lines) - 1:
                    run.add_break()
            continue
        table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                if value.strip():
                    table.cell(r, c).text = value.strip()
        for col, first, last in vertical_merges(block.rows):
            table.cell(first, col).merge(table.cell(last, col))
    document.save(str(path))
    return path


def _wrap(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)] or [""]


def build_pdf(text: str, path: Path, *, chars_per_line: int = 28, header: str = PDF_HEADER) -> Path:
    """Write ``text`` as a PDF in the CID font STSong-Light, as a county office would print it.

    Lines wrap every ``chars_per_line`` characters (splitting words), each page carries the
    running ``header`` at the top (``{page}`` in it becomes the page number) and a "— N —" page
    number at the bottom, and table rows are drawn as cells at fixed column positions.
    """
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4)
    top, bottom, left, step = height - 90, 80, 72, 20
    state = {"page": 1, "y": top}

    def start_page() -> None:
        pdf.setFont(PDF_FONT, 10)
        pdf.drawCentredString(width / 2, height - 50, header.format(page=state["page"]))
        pdf.setFont(PDF_FONT, 14)
        state["y"] = top

    def end_page() -> None:
        pdf.setFont(PDF_FONT, 10)
        pdf.drawCentredString(width / 2, 40, f"— {state['page']} —")
        pdf.showPage()
        state["page"] += 1
        start_page()

    def draw(cells: list[tuple[float, str]]) -> None:
        if state["y"] < bottom:
            end_page()
        for x, value in cells:
            pdf.drawString(x, state["y"], value)
        state["y"] -= step

    start_page()
    for block in split_blocks(text):
        if block.kind == "paragraph":
            for line in block.lines:
                for piece in _wrap(line, chars_per_line):
                    draw([(left, piece)])
        else:
            for row in block.rows:
                draw(
                    [(left + 80 * c, value.strip()) for c, value in enumerate(row) if value.strip()]
                )
        state["y"] -= step / 2
    pdf.setFont(PDF_FONT, 10)
    pdf.drawCentredString(width / 2, 40, f"— {state['page']} —")
    pdf.showPage()
    pdf.save()
    return path


def build_html(text: str, path: Path, fields: dict[str, str], *, encoding: str = "utf-8") -> Path:
    """Write ``text`` as a county portal page: nav, metadata table, article, footer.

    ``fields`` (keys as in ``SourceText.fields``) fill the metadata table; the page also
    carries the usual boilerplate (:data:`HTML_BOILERPLATE`) that readers must drop.
    """
    esc = html.escape
    meta_cells = [(FIELD_LABELS[key], value) for key, value in fields.items()]
    meta_rows = []
    for i in range(0, len(meta_cells), 2):
        pair = "".join(
            f'<td class="label">{esc(label)}：</td><td>{esc(value)}</td>'
            for label, value in meta_cells[i : i + 2]
        )
        meta_rows.append(f"<tr>{pair}</tr>")
    body: list[str] = []
    for block in split_blocks(text):
        if block.kind == "paragraph":
            body.append(
                '<p style="text-indent:2em;">' + "<br/>".join(map(esc, block.lines)) + "</p>"
            )
            continue
        spans = {(first, col): last - first + 1 for col, first, last in vertical_merges(block.rows)}
        hidden = {
            (r, col) for (first, col), n in spans.items() for r in range(first + 1, first + n)
        }
        rows = []
        for r, row in enumerate(block.rows):
            cells = []
            for c, value in enumerate(row):
                if (r, c) in hidden:
                    continue
                span = f' rowspan="{spans[(r, c)]}"' if (r, c) in spans else ""
                cells.append(f"<td{span}>{esc(value.strip())}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        body.append('<table border="1" class="members">' + "\n".join(rows) + "</table>")
    title = esc(fields.get("title", ""))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{encoding}">
<title>{title}_泽州县人民政府</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav li {{ float: left; }}</style>
</head>
<body>
<div class="header"><div class="logo">泽州县人民政府</div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></nav></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
&gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="xxgk_table"><table class="meta">
{"".join(meta_rows)}
</table></div>
<div class="article">
<h1 class="title">{title}</h1>
<div id="zoom" class="TRS_Editor">
<div class="fontsize">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
{chr(10).join(body)}
</div>
<div class="tools"><a href="#">打印本页</a> <a href="#">关闭窗口</a>
<span>分享到：</span><a>微信</a><a>微博</a> 扫一扫在手机打开当前页</div>
</div>
<footer class="footer"><p><a href="/map">网站地图</a> | <a href="/contact">联系我们</a></p>
<p>主办单位：泽州县人民政府办公室 版权所有：泽州县人民政府</p>
<p>晋ICP备05001234号 网站标识码：1405250001</p></footer>
</body>
</html>
"""
    path.write_bytes(page.encode(encoding))
    return path
