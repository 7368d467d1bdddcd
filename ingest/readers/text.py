"""Plain-text documents: detect the encoding, normalise newlines, refuse binary content.

A UTF-8 text with a few bad bytes (a stray byte, a character cut by truncation) is read with
U+FFFD in their place and a warning that counts them; Big5 (and Big5-HKSCS) texts are told
from GB18030 ones by which reading gives common characters, since every Big5 pair is also a
valid GBK pair.
"""

from __future__ import annotations

import re
from functools import lru_cache

from charset_normalizer import from_bytes

from graph.errors import UnreadableDocument
from ingest.readers.base import CJK

__all__ = ["decode", "decode_text"]

_TEXTLIKE = re.compile(f"[\\s\\x20-\\x7e{CJK}\u00a0-\u024f\u2000-\u206f\u2460-\u24ff]")
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")


def _bad_chars(text: str) -> int:
    """Control, surrogate, private-use and replacement characters: signs of decoded binary."""
    return len(_BAD_CHARS.findall(text))


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 when NUL bytes sit (almost) only on one byte parity."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even + odd == 0:
        return None
    encoding = "utf-16-le" if odd >= 4 * even else "utf-16-be" if even >= 4 * odd else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    plausible = len(_TEXTLIKE.findall(text))
    return text if plausible >= 0.95 * len(text) else None


def decode_text(data: bytes, name: str) -> str:
    """Decode a plain-text document, detecting its encoding; newlines become ``"\\n"``.

    Detects rather than assumes: UTF-32/UTF-16 byte-order marks (never valid UTF-8), BOM-less
    UTF-16 (from where the NUL bytes sit; NULs otherwise mean binary), strict UTF-8 with or
    without BOM, UTF-8 but for a few bad bytes, GB18030 (a superset of GBK and GB2312) or Big5,
    whichever reads as common characters, and charset-normalizer only as a last resort. Text
    with many control or private-use characters is taken for binary. :func:`decode` also
    returns the warnings (bad bytes replaced).

    Args:
        data: the raw bytes.
        name: the file name, used in messages.

    Returns:
        The text, without BOM, with ``\\r\\n`` and ``\\r`` turned into ``\\n``.

    Raises:
        UnreadableDocument: the bytes are empty, whitespace only, or binary.

    Example:
        >>> decode_text("一、总体要求\\r\\n".encode("utf-16"), "a.txt")
        '一、总体要求\\n'
    """
    return decode(data, name)[0]


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """:func:`decode_text`, with what was repaired on the way as warnings.

    Example:
        >>> data = "泽州县人民政府办公室关于印发实施方案的通知".encode() * 3
        >>> decode(data[:-1], "a.txt")[1]
        ['2 个字节不是有效的 UTF-8，已按 U+FFFD 读取']
    """
    warnings: list[str] = []
    text: str | None = None
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _try_decode(data, "utf-32")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try_decode(data, "utf-16")
    if text is None and b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise UnreadableDocument(f"{name}: binary file, not a document")
    if text is None:
        text = _try_decode(data, "utf-8-sig")
    if text is None:
        text, bad = _mostly_utf8(data)
        if text is not None:
            warnings.append(f"{bad} 个字节不是有效的 UTF-8，已按 U+FFFD 读取")
    if text is None:
        text = _chinese_legacy(data)
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise UnreadableDocument(f"{name}: binary file, not a document")
        text = str(best)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableDocument(f"{name}: empty file")
    if _bad_chars(text) > 0.05 * len(text):
        raise UnreadableDocument(f"{name}: binary file, not a document")
    return text, warnings


_ESCAPED = re.compile("[\udc80-\udcff]")
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")


def _mostly_utf8(data: bytes) -> tuple[str | None, int]:
    """UTF-8 but for a few bad bytes: the text with U+FFFD for each bad sequence, and the count.

    "A few" is at most one run of bad bytes per 20 well-formed non-ASCII characters: text in
    another encoding read as UTF-8 gives about as many errors as characters.
    """
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    runs = len(_ESCAPED_RUN.findall(text))
    good = sum(1 for c in text if c > "\x7f") - bad
    if bad == 0 or good < 20 * runs:
        return None, bad
    return data.decode("utf-8", "replace").removeprefix("\ufeff"), bad


def _chinese_legacy(data: bytes) -> str | None:
    """GB18030 or Big5 (HKSCS, cp950): whichever strict reading gives more common characters."""
    readings = [
        text
        for encoding in ("gb18030", "big5hkscs", "cp950")
        if (text := _try_decode(data, encoding)) is not None
    ]
    if len(readings) <= 1:
        return readings[0] if readings else None
    return max(readings, key=_common_share)


def _common_share(text: str) -> float:
    """Share of the first 5,000 non-ASCII characters that are common Chinese characters."""
    sample = [c for c in text[:50_000] if c > "\x7f"][:5000]
    return sum(map(_common, sample)) / len(sample) if sample else 1.0


@lru_cache(maxsize=8192)
def _common(c: str) -> bool:
    """A level-1 character of GB2312 or Big5 (the frequent ones of each), or CJK punctuation."""
    if "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e" or c in "“”‘’…—·":
        return True
    for encoding, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            lead = c.encode(encoding)[0]
        except UnicodeEncodeError:
            continue
        if first <= lead <= last:
            return True
    return False


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
