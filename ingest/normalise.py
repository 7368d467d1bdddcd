"""Normalise a document's text before parsing.

Three repairs, in order:

1. character forms: odd spaces, full-width letters and digits, small-form brackets (﹝﹞),
   traditional → simplified characters (OpenCC) and the pinyin some mirror sites put after
   characters (鎮(zhèn), 發展(fāzhǎn));
2. line repair: page numbers ("- 3 -", "第3页") between pages are dropped, and a paragraph split
   by a page break or a hard wrap ("县工业和信息" / "化局") is joined, while separate
   paragraphs, headings, titles and table rows stay apart;
3. blank lines collapse to one paragraph break.

Every character of the result maps back to an offset in the source text (``origin``), so a
fact found in the normalised text can name its page or table cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# A line ending with one of these closes its paragraph.
TERMINAL = set("。！？；：!?;:”」』）)〕】]》…")
# A line starting like this opens a new paragraph (heading, bullet, list item, marker).
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(]\s*[一二三四五六七八九十百\d]+\s*[）)]"
    r"|\d+\s*(?:[、．）)]|\.(?!\d))|第[一二三四五六七八九十百\d]+[条章节部分]|——|[-—•·●◆■□★]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
)
OPENER = re.compile(
    NUMBERED.pattern[:-1] + r"|附\s*件|抄\s*送|[〔（(\[［【]?"
    r"(?:责任单位|牵头单位|配合单位|协同单位|协办单位|参与单位|责任部门|牵头部门|配合部门"
    r"|责任主体|主责单位|承办单位|责任领导|完成时限|完成时间|时间节点)|[组成]\s*[长员]\s*[：:]|副\s*组\s*长)"
)
# Words that end a title line: a line ending with one of them is a complete heading.
TITLE_END = re.compile(
    r"(?:通知|方案|意见|办法|规定|计划|名单|要点|细则|纲要|规划|决定|批复|报告|函|文件|清单|分工"
    r"|分解表|任务表|一览表|名单表)$"
)
COLUMNS = re.compile(r"\t|\S[ \u3000]{2,}\S|^\S{1,4}[ \u3000]+\S")
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\S{0,4}$")
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~～]+\s*\d{1,3}\s*[-—–－~～]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})$"
)
BARE_NUMBER = re.compile(r"^\d{1,3}$")
# "成员单位：A、B", "配合单位：C": a labelled list line is complete unless hard-wrapped
LABEL_LINE = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{1,7}[：:]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])\s?[(（]\s*(?:(?=[a-zü ]*[{_TONED}])[a-zü{_TONED}]{{1,7}}"
    rf"(?:\s?[a-zü{_TONED}]{{1,7}}){{0,3}}|[a-zü]{{1,6}}[1-5](?:\s?[a-zü]{{1,6}}[1-5]){{0,3}})\s*[)）]"
)
# What every PINYIN match holds: its bracket and first letter. PINYIN tries its look-behind at
# every character of a text; this scan, five times faster, rules out the texts without any.
PINYIN_HINT = re.compile(rf"[(（]\s*[a-zü{_TONED}]")
OPEN_BRACKETS, CLOSE_BRACKETS = "（(〔【[［", "）)〕】]］"
BRACKET = re.compile(f"[{re.escape(OPEN_BRACKETS + CLOSE_BRACKETS)}]")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
WRAP_MIN = 18  # without a detected wrap width, a line shorter than this ends its paragraph
_FULLWIDTH_PUNCT = set("％＋－／＝＜＞＃＆＊＠")
_SPACE_LIKE = "\u3000\xa0\u2002\u2003\u2009\u202f\u2007\u2008\u200a\u205f"
_SMALL_FORMS = {"﹝": "〔", "﹞": "〕", "︰": "：", "﹙": "（", "﹚": "）", "﹐": "，", "﹔": "；"}


@dataclass(frozen=True)
class NormalText:
    """The normalised text and, per character, its offset in the source."""

    text: str
    origin: list[int]

    def source_offset(self, offset: int) -> int:
        """Offset in the source text of a normalised offset."""
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (and so every offset) unchanged.

    OpenCC converts by phrase; a chunk whose phrase conversion changes its length is converted
    character by character instead.

    >>> to_simplified("泽州縣工業和信息化局")
    '泽州县工业和信息化局'
    >>> to_simplified("泽州县显著")
    '泽州县显著'
    """
    converter = _converter()
    if converter.convert(text) == text:  # type: ignore[attr-defined]
        return text  # already simplified: one pass over the whole text
    out: list[str] = []
    for chunk in re.split(r"([\n。；，、])", text):
        converted: str = converter.convert(chunk)  # type: ignore[attr-defined]
        if len(converted) != len(chunk):
            converted = "".join(
                c if len(d := converter.convert(c)) != 1 else d  # type: ignore[attr-defined]
                for c in chunk
            )
        out.append(converted)
    return "".join(out)


def _char_form(c: str) -> str:
    code = ord(c)
    if c in _SPACE_LIKE:
        return " "
    if c in "\u200b\u200c\u200d\u2060\ufeff\xad":
        return ""
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if c in _FULLWIDTH_PUNCT:
        return chr(code - 0xFEE0)
    if c in _SMALL_FORMS:
        return _SMALL_FORMS[c]
    if c in "\r\x0b\x0c\u2028\u2029\x85":
        return "\n"
    if unicodedata.category(c) == "Cc" and c not in "\n\t":
        return ""
    return c


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    """:func:`_char_form` of every character it changes, as a ``str.translate`` table."""
    changed = (
        _SPACE_LIKE
        + "\u200b\u200c\u200d\u2060\ufeff\xad\r\x0b\x0c\u2028\u2029\x85"
        + "".join(_FULLWIDTH_PUNCT)
        + "".join(_SMALL_FORMS)
        + "".join(chr(c) for c in range(0xFF10, 0xFF5B))
        + "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))  # the Cc characters
    )
    return {ord(c): _char_form(c) for c in changed if _char_form(c) != c}


@lru_cache(maxsize=1)
def _changes() -> re.Pattern[str]:
    """Any character :func:`_char_form` changes (most texts hold none)."""
    return re.compile(f"[{re.escape(''.join(map(chr, _char_table())))}]")


def char_forms(source: str) -> tuple[str, list[int]]:
    """:func:`_char_form` of every character of ``source``, and each one's source offset.

    >>> char_forms("Ａ\u3000Ｂ\u200b。")
    ('A B。', [0, 1, 2, 4])
    """
    if not _changes().search(source):  # a regex scan is far cheaper than str.translate
        return source, list(range(len(source)))
    text = source.translate(_char_table())
    if len(text) == len(source):  # nothing dropped: offsets are the identity
        return text, list(range(len(source)))
    chars: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(source):
        for d in _char_form(c):
            chars.append(d)
            origin.append(i)
    return "".join(chars), origin


# Ambiguous-width punctuation that Chinese fonts (and so PDF line wraps) set full width.
WIDE_AMBIGUOUS = frozenset("“”‘’…—·")
# Runs of characters known to be wide: CJK punctuation (U+3000–303E), ideographs, full-width
# forms (U+FF01–FF60) and WIDE_AMBIGUOUS; the tests check each against unicodedata.
_AMBIGUOUS = re.escape("".join(sorted(WIDE_AMBIGUOUS)))
WIDE_RUN = re.compile(f"[\u3000-\u303e\u4e00-\u9fff\uff01-\uff60{_AMBIGUOUS}]+")


def display_width(line: str) -> int:
    """Width of a line in half-width cells: CJK and full-width characters count two.

    >>> display_width("2025年"), display_width("县工信局"), display_width("“承诺制”")
    (6, 8, 10)
    """
    rest = WIDE_RUN.sub("", line)  # a regex pass is far cheaper than translate on CJK text
    wide = len(line) - len(rest)
    if rest.isascii():
        return len(line) + wide
    return len(line) + wide + len(rest.translate(_WIDE_ONLY))


class _WideOnly(dict[int, int | None]):
    """A ``str.translate`` table that keeps the wide characters and drops the others, filled
    on first sight of each character: a line's width is its length plus what it keeps."""

    def __missing__(self, code: int) -> int | None:
        c = chr(code)
        wide = unicodedata.east_asian_width(c) in "WF" or c in WIDE_AMBIGUOUS
        self[code] = code if wide else None
        return self[code]


_WIDE_ONLY = _WideOnly()


def wrap_width(lines: list[str]) -> int | None:
    """The width at which a hard-wrapped text was wrapped, or None if it was not.

    A text is hard-wrapped when many of its lines reach (within a few cells) the same width
    and none runs far past it.

    >>> wrap_width(["一二三四五六七八九十"] * 6 + ["短句。"])
    20
    >>> wrap_width(["短句。", "一个很长很长很长很长很长很长很长很长的段落。"]) is None
    True
    """
    measured = [ln for ln in lines if ln.strip() and "\t" not in ln]
    if len(measured) < 6:
        return None  # (before measuring: most calls are one table cell)
    widths = [display_width(ln) for ln in measured]
    counts = Counter(widths)
    best, best_n = 0, 0
    for w in counts:
        if w < 20:
            continue
        n = sum(counts[x] for x in range(w - 3, w + 1))
        if n > best_n or (n == best_n and w > best):
            best, best_n = w, n
    if best_n < max(4, 0.3 * len(widths)):
        return None
    if sum(1 for w in widths if w > best + 4) > 0.1 * len(widths):
        return None
    return best


def _open_brackets(line: str) -> int:
    """How many brackets ``line`` leaves open around words (a lone "〔2023" does not count)."""
    opened: list[int] = []
    # only the brackets count: a regex visits them, where a loop in Python read every
    # character of the paragraph so far, again at each of its lines
    for m in BRACKET.finditer(line):
        if m.group() in OPEN_BRACKETS:
            opened.append(m.start())
        elif opened:
            opened.pop()
    return sum(1 for i in opened if IDEOGRAPH.search(line, i + 1))


def _should_join(prev: str, nxt: str, width: int | None = None) -> bool:
    """Whether line ``nxt`` continues the paragraph that line ``prev`` leaves unfinished.

    ``prev`` is the paragraph so far (its last line is what a wrap would have cut), ``width`` the
    detected wrap width of the document, if any.

    >>> _should_join("（责任单位：县发展和改革局、县工业和信息", "化局）")
    True
    >>> _should_join("三、重点任务", "（一）强化产业集聚")
    False
    >>> _should_join("泽州县促进专业镇高质量发展实施方案", "为推动我县特色产业做大做强")
    False
    """
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or p[-1] in TERMINAL - set("；;"):
        return False
    if _open_brackets(p) > 0 and not NUMBERED.match(n) and len(n) < 400:
        return True  # a marker or parenthesis left open continues on the next line
    if (
        p[-1] in "；;"
        or OPENER.match(n)
        or COLUMNS.search(n)
        or (DATE_LINE.match(n) and len(n) < 16)
    ):
        return False
    last = p.rsplit("\n", 1)[-1]
    if COLUMNS.search(last) or TITLE_END.search(last):
        return False
    if p[-1] in "，,、":
        return True
    if width is not None:
        return display_width(last) >= width - 4
    if (OPENER.match(last) and len(last) < WRAP_MIN) or LABEL_LINE.match(last):
        return False
    return len(last) >= WRAP_MIN


def _strip_pinyin(text: str, origin: list[int]) -> tuple[str, list[int]]:
    if not PINYIN_HINT.search(text) or not PINYIN.search(text):
        return text, origin
    keep = [True] * len(text)
    for m in PINYIN.finditer(text):
        for j in range(m.start(), m.end()):
            keep[j] = False
    return (
        "".join(c for c, k in zip(text, keep, strict=True) if k),
        [o for o, k in zip(origin, keep, strict=True) if k],
    )


def normalise(source: str) -> NormalText:
    """Normalise ``source`` (see the module docstring); offsets map back via ``origin``.

    >>> normalise("领导小组成员单位各负其责，协调联动，会商解决问\\n\\n题。\\n\\n（二）下一段").text
    '领导小组成员单位各负其责，协调联动，会商解决问题。\\n（二）下一段'
    >>> normalise("加快專業鎮(zhèn)發(fā)展。").text
    '加快专业镇发展。'
    """
    formed, origin = char_forms(source)
    text, origin = _strip_pinyin(to_simplified(formed), origin)

    lines: list[tuple[str, list[int]]] = []
    pos = 0
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        line = raw.strip(" ")
        if not line.strip():
            continue
        lead = len(raw) - len(raw.lstrip(" "))
        lines.append((line, origin[start + lead : start + lead + len(line)]))
    lines = _drop_page_numbers(lines)
    width = wrap_width([ln for ln, _ in lines])

    out: list[str] = []
    out_origin: list[int] = []
    paragraph = ""
    for line, line_origin in lines:
        if out:
            if _should_join(paragraph, line, width):
                paragraph += "\n" + line  # the "\n" only marks where the last line starts
            else:
                out.append("\n")
                out_origin.append(line_origin[0] if line_origin else 0)
                paragraph = line
        else:
            paragraph = line
        out.append(line)
        out_origin.extend(line_origin)
    return NormalText("".join(out), out_origin)


def _drop_page_numbers(lines: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Drop page-number lines: dashed or 第N页 always, a bare number inside a paragraph."""
    kept: list[tuple[str, list[int]]] = []
    for i, (line, line_origin) in enumerate(lines):
        bare = line.strip()
        if PAGE_NUMBER.match(bare):
            continue
        if BARE_NUMBER.match(bare) and kept and i + 1 < len(lines):
            before = kept[-1][0].rstrip()
            if before and before[-1] not in TERMINAL and "\t" not in before:
                continue
        kept.append((line, line_origin))
    return kept
