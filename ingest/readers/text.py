"""Plain-text documents: detect the encoding, normalise newlines, refuse binary content."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from graph.errors import UnreadableDocument
from ingest.readers.base import CJK

__all__ = ["decode_text"]

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
    without BOM, GB18030 (a superset of GBK and GB2312), and charset-normalizer only as a last
    resort. Text with many control or private-use characters is taken for binary.

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
        text = _try_decode(data, "utf-8-sig") or _try_decode(data, "gb18030")
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
    return text


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
