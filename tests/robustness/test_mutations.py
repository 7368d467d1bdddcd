"""Mutations of the real sample through ``extract_file``: a Record or a ZhenkgError, in bounded time.

Every case writes bytes to a file and extracts it. The contract (``graph.errors``): the result
is a :class:`~graph.record.Record` with at least one task, or one of zhenkg's own errors with a
one-line message; any other exception is a bug, and so is a case that runs past its limit.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ZhenkgError
from graph.record import Record
from ingest.pipeline import extract_file
from tests.robustness.conftest import SAMPLE, time_limit

TEXT = SAMPLE.read_text("utf-8")
DATA = TEXT.encode("utf-8")
LIMIT_S = 5.0  # per case; the sample itself takes ~0.05 s
# The ingest target (100 plans of 12 KB per second) is 1.2 MB/s: 10 MB in 10 s is generous.
LONG_LIMIT_S = 10.0


def outcome(path: Path, limit: float = LIMIT_S) -> str:
    """``record`` or the error class; fails on any other exception or on time."""
    with time_limit(limit, path.name):
        try:
            record = extract_file(path)
        except ZhenkgError as exc:
            message = str(exc)
            assert message.strip(), f"{type(exc).__name__} with an empty message"
            assert "\n" not in message.strip(), f"multi-line message: {message[:300]!r}"
            return type(exc).__name__
    assert isinstance(record, Record)
    if not record.tasks and not record.groups:
        assert record.warnings, "a record with nothing found should say so"
    return "record"


def check(tmp_path: Path, name: str, data: bytes, limit: float = LIMIT_S) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return outcome(path, limit)


# -- the cases ------------------------------------------------------------------------------
def truncations() -> Iterator[tuple[str, bytes]]:
    """Cut at 40 points spread over the file, half of them inside a UTF-8 character."""
    for k in range(1, 41):
        cut = len(DATA) * k // 41
        cut += 1 if k % 2 and DATA[cut] >= 0x80 else 0
        yield f"cut{cut}", DATA[:cut]


def shuffles() -> Iterator[tuple[str, bytes]]:
    lines = TEXT.split("\n")
    for seed in range(5):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        yield f"shuffled{seed}", "\n".join(shuffled).encode()
    yield "reversed", "\n".join(reversed(lines)).encode()
    blocks = TEXT.split("\n\n")
    random.Random(9).shuffle(blocks)
    yield "paragraphs-shuffled", "\n\n".join(blocks).encode()


def garbage() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(17)
    noisy = bytearray(DATA)
    for _ in range(20):
        at = rng.randrange(len(noisy))
        noisy[at:at] = rng.randbytes(rng.randint(1, 16))
    yield "bytes-inserted", bytes(noisy)
    flipped = bytearray(DATA)
    for at in rng.sample(range(len(flipped)), len(flipped) // 20):
        flipped[at] = rng.randrange(256)
    yield "5pc-bytes-replaced", bytes(flipped)
    yield "random-prefix", rng.randbytes(1024) + DATA
    yield "random-64k", rng.randbytes(65536)
    yield "control-chars", bytes(b for b in range(32) if b not in (9, 10, 13)) * 50 + DATA
    yield "pdf-magic-then-text", b"%PDF-1.7\n" + DATA
    yield "zip-magic-then-text", b"PK\x03\x04" + DATA
    yield "rtf-magic-then-text", b"{\\rtf1 " + DATA
    yield "html-wrapped", b"<html><body><pre>" + DATA + b"</pre></body></html>"
    yield "replacement-chars", ("\ufffd" * 500 + TEXT).encode()
    yield "private-use-and-emoji", ("\ue000\U0001f600\u202e\u200b" * 200 + TEXT).encode()


def nul_bytes() -> Iterator[tuple[str, bytes]]:
    yield "nul-between-bytes", b"\x00".join(DATA[i : i + 1] for i in range(len(DATA)))
    yield "nul-every-line", DATA.replace(b"\n", b"\x00\n")
    yield "nul-prefix", b"\x00" * 4096 + DATA
    yield "only-nul", b"\x00" * 4096


def encodings() -> Iterator[tuple[str, bytes]]:
    half = len(TEXT) // 2
    yield "utf8-then-gbk", TEXT[:half].encode("utf-8") + TEXT[half:].encode("gbk")
    yield "gbk-then-utf8", TEXT[:half].encode("gbk") + TEXT[half:].encode("utf-8")
    yield "utf8-bom-gbk-body", b"\xef\xbb\xbf" + TEXT.encode("gbk")
    yield "utf16-le-no-bom", TEXT.encode("utf-16-le")
    yield "utf16-be-bom", TEXT.encode("utf-16")
    yield "utf16-truncated-odd", TEXT.encode("utf-16")[:-1]
    yield "gb18030", TEXT.encode("gb18030")
    yield "big5-where-possible", TEXT.encode("big5", errors="replace")
    yield (
        "latin1-interleaved",
        b"".join(
            line.encode("utf-8") if i % 2 else line.encode("latin-1", errors="replace")
            for i, line in enumerate(TEXT.splitlines(keepends=True))
        ),
    )
    yield "utf32", TEXT.encode("utf-32")
    yield "cr-only", TEXT.replace("\n", "\r").encode()
    yield "crlf", TEXT.replace("\n", "\r\n").encode()
    yield "one-line", TEXT.replace("\n", "").encode()


def headings() -> Iterator[tuple[str, bytes]]:
    styles = ["{n}、", "（{n}）", "{d}.", "（{d}）", "第{n}条", "第{n}部分", "{c}"]
    cn, circ = "一二三四五六七八九十", "①②③④⑤⑥⑦⑧⑨⑩"
    lines = [
        styles[i % len(styles)].format(n=cn[i % 10], d=i % 99 + 1, c=circ[i % 10])
        + f"第{i}层标题。内容〔责任单位：县工信局、县财政局〕"
        for i in range(2000)
    ]
    yield "2000-nested-headings", (TEXT + "\n" + "\n".join(lines)).encode()
    wide = [f"（{cn[i % 10]}）任务{i}。〔责任单位：县工信局〕" for i in range(2000)]
    yield "2000-sibling-tasks", "\n".join(wide).encode()
    yield (
        "deep-brackets",
        (
            "一、任务\n（一）甲。〔责任单位：" + "（" * 5000 + "县工信局" + "）" * 5000 + "〕"
        ).encode(),
    )
    yield "markers-only", ("〔责任单位：县工信局〕\n" * 3000).encode()
    yield "annex-loop", ("附件\n" * 2000 + TEXT).encode()


CASES = [*truncations(), *shuffles(), *garbage(), *nul_bytes(), *encodings(), *headings()]


@pytest.mark.parametrize(("name", "data"), CASES, ids=[c[0] for c in CASES])
def test_mutation_gives_a_record_or_a_zhenkg_error(tmp_path: Path, name: str, data: bytes) -> None:
    check(tmp_path, f"{name}.txt", data)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".doc", ""])
def test_plain_text_under_another_extension(tmp_path: Path, suffix: str) -> None:
    """The reader sniffs the content: the sample named .pdf is still text, or refused cleanly."""
    check(tmp_path, f"sample{suffix}", DATA)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_truncated_garbage_under_a_binary_extension(tmp_path: Path, suffix: str) -> None:
    rng = random.Random(suffix)
    check(tmp_path, f"garbage{suffix}", rng.randbytes(3000) + DATA[:2000])


def test_a_10mb_line(tmp_path: Path) -> None:
    check_strictly(
        tmp_path, "10mb-line.txt", DATA + b"\n" + b"a" * 10_000_000 + b"\n", LONG_LIMIT_S
    )


def test_a_long_unpunctuated_marker_list(tmp_path: Path) -> None:
    # 23 KB in all; once quadratic in ingest/groups.py (DIRECTOR before its bounds: 9 s).
    data = TEXT + "\n（七）乙。〔责任单位：" + "县工信局、" * 2000
    check_strictly(tmp_path, "unclosed-marker.txt", data.encode(), limit=2.0)


def check_strictly(tmp_path: Path, name: str, data: bytes, limit: float = LIMIT_S) -> None:
    """:func:`check`, with any foreign exception turned into the assertion it breaks."""
    try:
        check(tmp_path, name, data, limit)
    except (ZhenkgError, AssertionError):
        raise
    except Exception as exc:
        raise AssertionError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc


# -- random edits ---------------------------------------------------------------------------
PIECES = st.sampled_from(
    ["〔责任单位：", "〕", "（牵头单位：", "；配合单位：", "）", "一、", "（一）", "1.", "附件",
     "组 长：", "\t", "\n", "\n\n", "、", "，", "。", "县工信局", "领导小组", "\x00", "\ufeff"]
)  # fmt: skip
EDIT = st.tuples(
    st.integers(0, len(TEXT)),
    st.integers(0, 400),
    st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=8).map("".join),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=st.lists(EDIT, min_size=1, max_size=6))
def test_random_edits_give_a_record_or_a_zhenkg_error(edits: list[tuple[int, int, str]]) -> None:
    text = TEXT
    for at, length, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + length :]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edited.txt"
        path.write_text(text, "utf-8", errors="surrogatepass")
        outcome(path)
