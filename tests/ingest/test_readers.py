"""The reader layer: every format of the sample plan gives the same text, errors name the file."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from graph.errors import UnreadableDocument, ZhenkgError
from ingest.pipeline import extract_bytes
from ingest.readers import SourceText, decode_text, page_of, read_bytes, read_source
from ingest.readers.text import decode
from tests.ingest.builders import (
    DOCX_FOOTER,
    DOCX_HEADER,
    HTML_BOILERPLATE,
    PDF_HEADER,
    Block,
    build_pdf,
    merged_grid,
    split_blocks,
)
from tests.ingest.conftest import SAMPLE_FIELDS

CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff，。：；、（）“”] [\u4e00-\u9fff，。：；、（）“”]")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def prose(text: str) -> list[Block]:
    return [b for b in split_blocks(text) if b.kind == "paragraph"]


def assert_cells_point_at_text(source: SourceText) -> None:
    assert source.cells, "expected table cells"
    for cell in source.cells:
        assert source.text[cell.start : cell.end] == source.tables[cell.table][cell.row][cell.col]


# ----------------------------------------------------------------------------------------- TXT


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_txt_encodings_decode_to_the_same_string(sample_text: str, encoding: str) -> None:
    data = sample_text.encode(encoding)
    assert decode_text(data, "plan.txt") == sample_text


def test_txt_crlf_and_cr_become_newlines(sample_text: str) -> None:
    assert decode_text(sample_text.replace("\n", "\r\n").encode("gbk"), "a.txt") == sample_text
    assert decode_text(sample_text.replace("\n", "\r").encode("utf-8"), "a.txt") == sample_text


def test_txt_keeps_lines_as_they_are(sample_files: dict[str, Path], sample_text: str) -> None:
    source = read_source(sample_files["txt"])
    assert source == SourceText(sample_text, "txt", str(sample_files["txt"]))
    assert page_of(source, 0) is None


def test_utf8_is_tried_before_gb18030() -> None:
    # "浣犲ソ" is what UTF-8 "你好" looks like through GBK; strict UTF-8 must win.
    assert decode_text("你好，泽州".encode(), "a.txt") == "你好，泽州"


def test_one_stray_byte_in_utf8_is_read_with_a_warning(sample_text: str) -> None:
    data = sample_text.encode()
    at = data.index("泽州县".encode())
    text, warnings = decode(data[:at] + b"\xff" + data[at:], "plan.txt")
    assert (
        text
        == sample_text[: len(data[:at].decode())]
        + "\ufffd"
        + sample_text[len(data[:at].decode()) :]
    )
    assert warnings == ["1 个字节不是有效的 UTF-8，已按 U+FFFD 读取"]


def test_a_character_cut_by_truncation_is_read_with_a_warning(sample_text: str) -> None:
    data = sample_text.rstrip().encode()
    text, warnings = decode(data[:-1], "plan.txt")
    assert text == sample_text.rstrip()[:-1] + "\ufffd"
    assert warnings == ["2 个字节不是有效的 UTF-8，已按 U+FFFD 读取"]


def test_bad_bytes_reach_the_record_warnings(sample_text: str) -> None:
    data = sample_text.encode()
    cut = data.index("。".encode()) + 1
    record = extract_bytes(data[: cut - 1] + data[cut:], "plan.txt")
    assert record.tasks
    assert record.warnings[0] == "plan.txt: 2 个字节不是有效的 UTF-8，已按 U+FFFD 读取"


def test_text_in_another_encoding_is_not_taken_for_damaged_utf8(sample_text: str) -> None:
    assert decode(sample_text.encode("gbk"), "plan.txt") == (sample_text, [])


@pytest.mark.parametrize("encoding", ["big5", "big5hkscs", "cp950"])
def test_big5_is_detected_and_read(sample_text: str, encoding: str) -> None:
    traditional = opencc.OpenCC("s2t").convert(sample_text)
    data = traditional.encode(encoding, errors="replace")
    assert decode(data, "plan.txt") == (data.decode(encoding), [])
    record = extract_bytes(data, "plan.txt")
    assert len(record.tasks) == len(extract_bytes(sample_text.encode(), "plan.txt").tasks)


# ---------------------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_in_order_separated_by_blank_lines(
    sample_files: dict[str, Path], sample_text: str
) -> None:
    source = read_source(sample_files["docx"])
    assert source.format == "docx" and source.pages == [] and source.fields == {}
    blocks = source.text.split("\n\n")
    expected = ["\n".join(p.lines) for p in prose(sample_text)]
    assert [b for b in blocks if "\t" not in b] == expected
    # a hard line break inside a paragraph stays a single newline
    assert "抄送:县委办公室,人大常委会办公室,县政协办公室,县法院,\n县检察院。" in blocks
    assert DOCX_HEADER not in source.text and DOCX_FOOTER not in source.text


def test_docx_member_table_with_merged_cells(
    sample_files: dict[str, Path], sample_text: str
) -> None:
    source = read_source(sample_files["docx"])
    (rows,) = [b.rows for b in split_blocks(sample_text) if b.kind == "table"]
    assert source.tables == [merged_grid(rows)]
    table = source.tables[0]
    assert table[0] == ["组 长：", "武小雅", "县长"]
    assert table[2] == ["副组长：", "魏连明", "副县长"]  # vMerge repeated into the slot
    assert [row[0] for row in table[3:]] == ["成 员："] * (len(table) - 3)
    assert "车树文\t县政协副主席、县财政局局长" in source.text
    assert_cells_point_at_text(source)
    # the table sits between its neighbours with one blank line on each side
    assert "二、组成人员\n\n组 长：\t武小雅\t县长\n" in source.text
    assert "李广林\t县住房和城乡建设管理局局长\n\n郭小伟 县交通运输局局长" in source.text


def _docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_automatic_numbers_are_rendered() -> None:
    document = docx.Document()
    for title in ("坚持政府引导", "坚持产业主导"):
        document.add_paragraph(title, style="List Number")
    text = read_bytes(_docx_bytes(document), "numbered.docx").text
    assert text == "1. 坚持政府引导\n\n2. 坚持产业主导"


def test_docx_horizontal_merge_repeated_in_tables_rendered_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "牵头单位"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).text = "配合单位"
    for c, value in enumerate(["县发改局", "县财政局", "各乡镇"]):
        table.cell(1, c).text = value
    source = read_bytes(_docx_bytes(document), "merged.docx")
    assert source.tables == [
        [["牵头单位", "牵头单位", "配合单位"], ["县发改局", "县财政局", "各乡镇"]]
    ]
    assert source.text == "牵头单位\t配合单位\n县发改局\t县财政局\t各乡镇"
    assert [(c.row, c.col) for c in source.cells] == [(0, 0), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert_cells_point_at_text(source)


# ----------------------------------------------------------------------------------------- PDF


def test_pdf_text_is_the_sample_without_page_numbers_and_headers(
    sample_files: dict[str, Path], sample_text: str
) -> None:
    source = read_source(sample_files["pdf"])
    assert source.format == "pdf"
    assert compact(source.text) == compact(sample_text)
    assert PDF_HEADER not in source.text
    assert not re.search(r"—\s*\d+\s*—", source.text)
    assert not CJK_SPACE_CJK.search(source.text)
    assert "  " not in source.text


def test_pdf_table_rows_stay_on_one_line(sample_files: dict[str, Path]) -> None:
    lines = read_source(sample_files["pdf"]).text.split("\n")
    rows = [line for line in lines if "\t" in line]
    assert rows[:3] == ["组长：\t武小雅\t县长", "副组长：\t许云发\t副县长", "魏连明\t副县长"]
    assert rows[11] == "李广林\t县住房和城乡建设管理局局长"
    assert len(rows) == 12 + 13  # the member table and list; no prose line is split


def test_pdf_member_list_typed_with_one_space_keeps_name_and_post_apart(
    sample_files: dict[str, Path], sample_text: str
) -> None:
    text = read_source(sample_files["pdf"]).text
    # the second block of the member list: "郭小伟 县交通运输局局长", "郭 婕 县文化和旅游局局长" …
    block = sample_text.split("李广林\t县住房和城乡建设管理局局长\n\n")[1].split("\n各乡镇镇长")[0]
    pairs = [re.split(r" (?=[县市])", line, maxsplit=1) for line in block.split("\n")]
    expected = [compact(name) + "\t" + post for name, post in pairs]
    assert len(expected) == 13 and expected[2] == "郭婕\t县文化和旅游局局长"
    assert "\n".join([*expected, "各乡镇镇长"]) in text


def test_pdf_name_rows_need_a_run_and_a_plain_post(tmp_path: Path) -> None:
    path = tmp_path / "rows.pdf"
    lines = [
        "郭小伟 县交通运输局局长",  # alone: may be prose, stays squeezed
        "一、总体要求",
        "张 晋 县数字政府服务中心七级职员",  # a run of two: a list
        "秦 金 县税务局局长",
        "第一章 总则",  # chapter headings are not names
        "第二章 职责分工",
        "加快 推进专业镇建设，提升",  # prose punctuation
        "全面 落实责任",
    ]
    _one_page_pdf(path, lines)
    assert read_source(path).text.split("\n") == [
        "郭小伟县交通运输局局长",
        "一、总体要求",
        "张晋\t县数字政府服务中心七级职员",
        "秦金\t县税务局局长",
        "第一章总则",
        "第二章职责分工",
        "加快推进专业镇建设，提升",
        "全面落实责任",
    ]


def test_pdf_name_rows_run_across_a_page_break(tmp_path: Path) -> None:
    path = tmp_path / "break.pdf"
    _pdf_pages(
        path,
        ["成 员：    车树文    县财政局局长", "郭小伟 县交通运输局局长"],
        ["原林林 县农业农村局局长"],
    )
    source = read_source(path)
    assert source.text == (
        "成员：\t车树文\t县财政局局长\n郭小伟\t县交通运输局局长\n\n原林林\t县农业农村局局长"
    )
    assert page_of(source, source.text.index("原林林")) == 2


def test_pdf_lines_are_not_joined(sample_files: dict[str, Path]) -> None:
    lines = read_source(sample_files["pdf"]).text.split("\n")
    # the builder wraps every 28 characters, splitting words; the reader keeps the wraps
    assert "为推动我县特色产业做大做强，加快市场主体集聚发展，带动就" in lines
    assert "业富民，提升专业镇竞争力、影响力，进一步促进全县专业镇高" in lines


def test_pdf_page_offsets(sample_files: dict[str, Path]) -> None:
    source = read_source(sample_files["pdf"])
    raw = [page.extract_text() for page in PdfReader(sample_files["pdf"]).pages]
    assert len(source.pages) == len(raw) >= 3
    assert source.pages[0] == 0
    bounds = [*source.pages, len(source.text) + 2]
    for number, page_text in enumerate(raw, start=1):
        start, end = bounds[number - 1], bounds[number] - 2
        expected = [
            line
            for line in page_text.split("\n")
            if line.strip() and line.strip() != PDF_HEADER and not re.fullmatch(r"— \d+ —", line)
        ]
        assert compact(source.text[start:end]) == compact("".join(expected))
        assert page_of(source, start) == number
        assert page_of(source, end - 1) == number
        if number > 1:
            assert source.text[start - 2 : start] == "\n\n"
    with pytest.raises(ValueError):
        page_of(source, len(source.text) + 1)


@pytest.mark.parametrize(
    "number", ["— 3 —", "- 3 -", "—3—", "第 3 页", "第3页 共10页", "3", "－ 12 －", "3/10"]
)
def test_pdf_page_number_styles_are_dropped(tmp_path: Path, number: str) -> None:
    path = tmp_path / "numbers.pdf"
    _one_page_pdf(path, ["一、总体要求", "坚持政府引导，培育龙头企业。", number])
    assert read_source(path).text == "一、总体要求\n坚持政府引导，培育龙头企业。"


def test_pdf_spaces_between_cjk_glyphs_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "spaced.pdf"
    _one_page_pdf(
        path, ["泽 州 县 专 业 镇 发展 2023 年 6 月", "Zezhou County", "组 长：    武小雅"]
    )
    assert read_source(path).text == "泽州县专业镇发展 2023 年 6 月\nZezhou County\n组长：\t武小雅"


def test_pdf_running_header_with_changing_numbers_is_dropped(
    tmp_path: Path, sample_text: str
) -> None:
    header = "泽州县人民政府公报 2023年第6期 第{page}页"
    source = read_source(build_pdf(sample_text, tmp_path / "gazette.pdf", header=header))
    assert len(source.pages) >= 3
    assert "公报" not in source.text
    assert compact(source.text) == compact(sample_text)


def test_pdf_short_documents_keep_repeated_lines(tmp_path: Path) -> None:
    # fewer than 3 pages: nothing can be told apart as a running header
    text = "\n\n".join(["一、总体要求"] + ["坚持政府引导，发挥市场作用。"] * 12)
    source = read_source(build_pdf(text, tmp_path / "short.pdf", header="泽州县人民政府"))
    assert len(source.pages) == 1
    assert source.text.startswith("泽州县人民政府\n一、总体要求")


def _one_page_pdf(path: Path, lines: list[str]) -> None:
    _pdf_pages(path, lines)


def _pdf_pages(path: Path, *pages: list[str]) -> None:
    """Each page's lines as one text object each, in STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        text = pdf.beginText(72, 760)
        text.setFont("STSong-Light", 12)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()


# ---------------------------------------------------------------------------------------- HTML


def test_html_fields_come_from_the_metadata_table(sample_files: dict[str, Path]) -> None:
    source = read_source(sample_files["html"])
    assert source.format == "html"
    assert source.fields == SAMPLE_FIELDS
    assert "11140525MB1957114B" not in source.text
    assert "索引号" not in source.text and "成文日期" not in source.text


def test_html_boilerplate_is_dropped(sample_files: dict[str, Path]) -> None:
    text = read_source(sample_files["html"]).text
    for marker in [*HTML_BOILERPLATE, "首页", "互动交流", "统计代码", "float"]:
        assert marker not in text, marker


def test_html_article_holds_the_sample(sample_files: dict[str, Path], sample_text: str) -> None:
    source = read_source(sample_files["html"])
    blocks = source.text.split("\n\n")
    assert blocks[0] == "泽州县人民政府办公室文件"
    assert blocks[-1] == "2023年6月26日印发"
    for paragraph in prose(sample_text):
        for line in paragraph.lines:
            assert line in blocks  # <br> separates paragraphs in HTML
    (rows,) = [b.rows for b in split_blocks(sample_text) if b.kind == "table"]
    assert source.tables == [merged_grid(rows)]
    assert "副组长：\t魏连明\t副县长" in source.text  # rowspan repeated per row
    assert_cells_point_at_text(source)


def test_html_in_gbk_with_label_list_and_no_known_container(tmp_path: Path) -> None:
    page = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
    </head><body><ul class="menu"><li><a href="/">首页</a></li><li><a>新闻中心</a></li></ul>
    <div class="info"><ul>
      <li><span>发文字号：</span><span>泽政发〔2023〕5号</span></li>
      <li>成文日期：2023年3月1日</li>
      <li><b>发布机构</b>：泽州县人民政府</li>
    </ul></div>
    <div class="wrap"><div class="box">
      <p>发布时间：2023-03-02 09:30 来源：县政府办 【字体：大 中 小】</p>
      <p>　　各乡镇人民政府，县直各有关单位：</p>
      <div>现将《泽州县专业镇培育
      实施方案》印发给你们。<br>请认真贯彻执行。</div>
      <table><tr><th colspan="2">任务</th><th>责任单位</th></tr>
      <tr><td>1</td><td>壮大产业集群</td><td rowspan="2">县工信局</td></tr>
      <tr><td>2</td><td>强化招商引资</td></tr></table>
    </div></div>
    <div class="foot">版权所有：泽州县人民政府 晋ICP备05001234号</div></body></html>"""
    path = tmp_path / "notice.htm"
    path.write_bytes(page.encode("gbk"))
    source = read_source(path)
    assert source.fields == {
        "doc_number": "泽政发〔2023〕5号",
        "date": "2023年3月1日",
        "issuer": "泽州县人民政府",
        "published": "2023-03-02 09:30",
    }
    assert source.text == (
        "各乡镇人民政府，县直各有关单位：\n\n"
        "现将《泽州县专业镇培育实施方案》印发给你们。\n\n"
        "请认真贯彻执行。\n\n"
        "任务\t责任单位\n1\t壮大产业集群\t县工信局\n2\t强化招商引资\t县工信局"
    )
    assert source.tables == [
        [
            ["任务", "任务", "责任单位"],
            ["1", "壮大产业集群", "县工信局"],
            ["2", "强化招商引资", "县工信局"],
        ]
    ]
    assert_cells_point_at_text(source)


# ------------------------------------------------------------------------------------ sniffing


@pytest.mark.parametrize(
    ("fmt", "wrong_name"),
    [("pdf", "plan.txt"), ("docx", "plan.pdf"), ("html", "plan.docx"), ("txt", "plan.html")],
)
def test_format_is_sniffed_from_content(
    sample_files: dict[str, Path], fmt: str, wrong_name: str
) -> None:
    source = read_bytes(sample_files[fmt].read_bytes(), wrong_name)
    assert source.format == fmt
    assert source.path == wrong_name


def test_angle_brackets_alone_do_not_make_html() -> None:
    source = read_bytes("<泽州县专业镇实施方案>\n\n一、总体要求".encode(), "plan.txt")
    assert source.format == "txt"
    fragment = read_bytes(
        "<p>泽州县人民政府关于推进专业镇高质量发展的通知正文</p>".encode(), "a.htm"
    )
    assert fragment.format == "html"


def test_same_text_in_every_format(sample_files: dict[str, Path], sample_text: str) -> None:
    texts = {fmt: read_source(path).text for fmt, path in sample_files.items()}
    # DOCX and HTML repeat merged cells into each row; the prose is the same everywhere
    for paragraph in prose(sample_text):
        for line in paragraph.lines:
            for fmt, text in texts.items():
                assert compact(line) in compact(text), (fmt, line)


# -------------------------------------------------------------------------------------- errors


def _pdf_bytes(sample_files: dict[str, Path]) -> bytes:
    return sample_files["pdf"].read_bytes()


def _encrypted(sample_files: dict[str, Path], user_password: str) -> bytes:
    writer = PdfWriter(clone_from=sample_files["pdf"])
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "make", "problem"),
    [
        ("empty.txt", lambda f: b"", "empty file"),
        ("blank.txt", lambda f: b" \r\n\t\n", "empty file"),
        ("bom-only.txt", lambda f: "\ufeff  \n".encode("utf-16"), "empty file"),
        ("binary.txt", lambda f: bytes(range(256)) * 8, "binary file"),
        ("controls.txt", lambda f: b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 20, "binary file"),
        ("scan.png", lambda f: PNG + bytes(64), "PNG image"),
        ("sheet.xlsx", lambda f: _zip({"xl/workbook.xml": b"<workbook/>"}), "XLSX"),
        ("bad.docx", lambda f: _zip({"word/document.xml": b"<w:document"}), "corrupt DOCX"),
        ("cut.docx", lambda f: f["docx"].read_bytes()[:3000], "truncated"),
        ("cut.pdf", lambda f: _pdf_bytes(f)[: len(_pdf_bytes(f)) // 2], "truncated"),
        ("locked.pdf", lambda f: _encrypted(f, "secret"), "encrypted"),
        ("scan.pdf", lambda f: _image_only_pdf(), "no text layer"),
        ("garbled.pdf", lambda f: b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "PDF"),
        (
            "portal.html",
            lambda f: (
                "<!DOCTYPE html><html><body><nav><a>首页</a><a>政务公开</a></nav>"
                "<footer>版权所有：泽州县人民政府 主办单位：泽州县人民政府办公室</footer>"
                "</body></html>"
            ).encode(),
            "no article text",
        ),
    ],
)
def test_unreadable_documents_name_the_file_and_the_problem(
    sample_files: dict[str, Path], tmp_path: Path, name: str, make: object, problem: str
) -> None:
    data = make(sample_files)  # type: ignore[operator]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument) as caught:
        read_source(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message
    with pytest.raises(UnreadableDocument, match=re.escape(f"upload-{name}: ")):
        read_bytes(data, f"upload-{name}")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothere.pdf"
    with pytest.raises(UnreadableDocument, match=re.escape(f"{path}: no such file")):
        read_source(path)
    with pytest.raises(UnreadableDocument, match="is a directory"):
        read_source(tmp_path)


def test_image_only_message_is_exact(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(_image_only_pdf(), "scan.pdf")
    assert str(caught.value) == (
        "scan.pdf: PDF has no text layer (image-only scan?); run OCR first"
    )


def test_pdf_with_owner_password_only_opens(
    sample_files: dict[str, Path], sample_text: str
) -> None:
    source = read_bytes(_encrypted(sample_files, ""), "owner-only.pdf")
    assert compact(source.text) == compact(sample_text)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xff\xfe"]),
    body=st.binary(max_size=400),
)
def test_any_bytes_give_a_source_or_a_clear_error(prefix: bytes, body: bytes) -> None:
    try:
        source = read_bytes(prefix + body, "fuzz.bin")
    except UnreadableDocument as exc:
        assert str(exc).startswith("fuzz.bin: ") and "\n" not in str(exc)
    else:
        assert source.text.strip()
        assert source.format in {"txt", "docx", "pdf", "html"}


def test_unreadable_is_a_zhenkg_error() -> None:
    assert issubclass(UnreadableDocument, ZhenkgError)
