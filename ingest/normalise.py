"""Normalise a document's text before parsing.

Three repairs, in order:

1. character forms: odd spaces, full-width letters and digits, traditional → simplified
   characters (OpenCC, only when the text is traditional), and the pinyin some mirror sites
   put after characters (鎮(zhèn));
2. line repair: a paragraph split by a page break or a hard wrap ("县中小" / "企业发展促进中心")
   is joined, while separate paragraphs, headings, titles and table rows stay apart;
3. blank lines collapse to one paragraph break.

Every character of the result maps back to an offset in the source text (``origin``), so a
fact found in the normalised text can name its page or table cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A line ending with one of these closes its paragraph.
TERMINAL = set("。！？；：!?;:”」』）)〕】]》…")
# A line starting like this opens a new paragraph (heading, bullet, list item, marker).
OPENER = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d+[、.．](?!\d)"
    r"|第[一二三四五六七八九十百\d]+[条章节部分]|——|[-—•·●◆■□★]|附件|抄送|[〔（(\[［【]?"
    r"(?:责任单位|牵头单位|配合单位|协同单位|责任部门|完成时限)|[组成]\s*[长员][：:]|副组长)"
)
# Words that end a title line: a line ending with one of them is a complete heading.
TITLE_END = re.compile(
    r"(?:通知|方案|意见|办法|规定|计划|名单|要点|细则|纲要|规划|决定|批复|报告|函|文件|清单|分工)$"
)
COLUMNS = re.compile(r"\t|\S[ \u3000]{2,}\S|^\S{1,4}[ \u3000]+\S")
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\d?[)）]")
WRAP_MIN = 18  # a line shorter than this ends where the author ended it


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
    """Traditional → simplified, character for character, only if the text is traditional.

    >>> to_simplified("泽州縣工業和信息化局")
    '泽州县工业和信息化局'
    >>> to_simplified("泽州县")
    '泽州县'
    """
    converter = _converter()
    converted: str = converter.convert(text)  # type: ignore[attr-defined]
    if len(converted) != len(text):
        # phrase conversions that change length would break offsets: convert per character
        converted = "".join(
            c if len(d := converter.convert(c)) != 1 else d  # type: ignore[attr-defined]
            for c in text
        )
    return converted


def _char_form(c: str) -> str:
    code = ord(c)
    if c in "\u3000\xa0\u2002\u2003\u2009\u200b\ufeff\u202f":
        return " " if c not in "\u200b\ufeff" else ""
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if c == "\r":
        return "\n"
    if unicodedata.category(c) == "Cc" and c not in "\n\t":
        return ""
    return c


def _should_join(prev: str, nxt: str) -> bool:
    """Whether line ``nxt`` continues the paragraph that line ``prev`` leaves unfinished."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or p[-1] in TERMINAL:
        return False
    if OPENER.match(n) or COLUMNS.search(p) or COLUMNS.search(n) or DATE_LINE.match(n):
        return False
    if TITLE_END.search(p) or (OPENER.match(p) and len(p) < WRAP_MIN):
        return False
    return len(p) >= WRAP_MIN or p[-1] in "，,、"


def normalise(source: str) -> NormalText:
    """Normalise ``source`` (see the module docstring); offsets map back via ``origin``.

    >>> normalise("领导小组成员单位各负其责，协调联动，会商解决问\\n\\n题。\\n\\n（二）下一段").text
    '领导小组成员单位各负其责，协调联动，会商解决问题。\\n（二）下一段'
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(source):
        for d in _char_form(c):
            chars.append(d)
            origin.append(i)
    text = to_simplified("".join(chars))
    # strip pinyin glosses, keeping the origin map aligned
    keep = [True] * len(text)
    for m in PINYIN.finditer(text):
        for j in range(m.start(), m.end()):
            keep[j] = False
    text = "".join(c for c, k in zip(text, keep, strict=True) if k)
    origin = [o for o, k in zip(origin, keep, strict=True) if k]

    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    prev_line = ""
    for raw in text.split("\n"):
        start = pos
        pos += len(raw) + 1
        line = raw.strip(" ")
        if not line.strip():
            continue
        lead = len(raw) - len(raw.lstrip(" "))
        line_origin = origin[start + lead : start + lead + len(line)]
        if out:
            if _should_join(prev_line, line):
                prev_line += line
            else:
                out.append("\n")
                out_origin.append(line_origin[0] if line_origin else 0)
                prev_line = line
        else:
            prev_line = line
        out.append(line)
        out_origin.extend(line_origin)
    return NormalText("".join(out), out_origin)
