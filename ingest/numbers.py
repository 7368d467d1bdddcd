"""Chinese numerals, dates, deadlines and document numbers as written in plans."""

from __future__ import annotations

import calendar
import re

DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
}


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese (or Arabic) numeral up to the thousands.

    >>> cn_to_int("三"), cn_to_int("十二"), cn_to_int("二十"), cn_to_int("一百零五"), cn_to_int("7")
    (3, 12, 20, 105, 7)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in DIGITS and c not in "十百千" for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c in DIGITS:
            current = DIGITS[c]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[c]
            total += (current or 1) * unit
            current = 0
    return total + current


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(c in DIGITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))
    return None


DATE = re.compile(
    r"(?P<y>\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO, Arabic or Chinese numerals.

    >>> iso_date("2023年6月26日"), iso_date("二〇二三年六月二十六日印发"), iso_date("6月")
    ('2023-06-26', '2023-06-26', None)
    """
    m = DATE.search(text)
    if not m:
        return None
    y, mo, d = _year(m["y"]), cn_to_int(m["m"]), cn_to_int(m["d"])
    if y is None or mo is None or d is None or not 1 <= mo <= 12:
        return None
    if not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


DEADLINE = re.compile(
    r"^(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<mend>底|末))?|(?P<yend>底|末))"
    r"\s*(?:前|以前|之前)?(?:完成)?$"
)


def deadline(text: str) -> str:
    """A deadline as an ISO date when it names one day, else the phrase as written.

    >>> deadline("2025年6月底前"), deadline("2024年底前"), deadline("2025年6月30日前")
    ('2025-06-30', '2024-12-31', '2025-06-30')
    >>> deadline("长期坚持"), deadline("每年11月底前")
    ('长期坚持', '每年11月底前')
    """
    phrase = text.strip().rstrip("。；;，,")
    m = DEADLINE.match(phrase)
    if not m:
        return phrase
    y = int(m["y"])
    if m["yend"]:
        return f"{y:04d}-12-31"
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        return phrase
    if m["d"]:
        d = int(m["d"])
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= d <= calendar.monthrange(y, mo)[1] else phrase
    if m["mend"]:
        return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    return phrase


DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?[发字函办])\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]"
    r"\s*(?P<seq>\d{1,4})\s*号"
)
BROKEN_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?[发字函])\s*[〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})(?P<seq>\d{1,3})"
    r"\s*号?(?!\d)"
)


def doc_number(text: str) -> str | None:
    """The first document number in ``text``, normalised to X〔YYYY〕N号.

    >>> doc_number("泽政办发〔2023〕17号"), doc_number("晋政办发[2022] 80号")
    ('泽政办发〔2023〕17号', '晋政办发〔2022〕80号')
    >>> doc_number("晋政办发〔202321")
    '晋政办发〔2023〕21号'
    """
    m = DOC_NUMBER.search(text)
    if m:
        return f"{m['prefix']}〔{m['year']}〕{int(m['seq'])}号"
    m = BROKEN_DOC_NUMBER.search(text)
    if m:
        return f"{m['prefix']}〔{m['year']}〕{int(m['seq'])}号"
    return None
