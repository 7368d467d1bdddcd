"""Chinese numerals, dates, deadlines and document numbers as written in plans."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

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
    "◯": 0,
    "Ｏ": 0,
    "O": 0,
    "Ο": 0,  # Greek and Cyrillic capitals typed for 〇
    "О": 0,
}
# 廿 (twenty) and 卅 (thirty) in dates of older documents: 三月廿一日
_TENS = str.maketrans({"廿": "二十", "卅": "三十"})
_CN = "〇零一二三四五六七八九○◯ＯOΟО"
_CN_YEAR = rf"(?=\d{{0,3}}[{_CN}])[\d{_CN}]{{4}}"  # at least one Chinese digit
_YEAR = rf"(?:\d{{4}}|{_CN_YEAR})"
_MONTH_DAY = r"[一二三四五六七八九十廿卅]{1,3}"


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese (or Arabic) numeral up to the thousands.

    >>> cn_to_int("三"), cn_to_int("十二"), cn_to_int("二十"), cn_to_int("一百零五"), cn_to_int("7")
    (3, 12, 20, 105, 7)
    >>> cn_to_int("廿一"), cn_to_int("卅")
    (21, 30)
    """
    text = text.strip().translate(_TENS)
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
    """A year in Arabic or Chinese digits, or both mixed (二0一二)."""
    if text.isdigit():
        return int(text)
    if all(c in DIGITS or c.isdigit() for c in text):
        return int("".join(c if c.isdigit() else str(DIGITS[c]) for c in text))
    return None


DATE = re.compile(
    rf"(?P<y>{_YEAR})\s*年\s*(?P<m>\d{{1,2}}|{_MONTH_DAY})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|{_MONTH_DAY})\s*日"
)
# a date line with a character lost or replaced: 2023年6月26 / 2023年626日 / 20236月26日 / 2023.6.26
LOOSE_DATE = re.compile(
    rf"^\s*(?P<y>(?:19|20)\d{{2}}|{_CN_YEAR})\s*[年.．/\-]?\s*"
    r"(?P<rest>[\d一二三四五六七八九十廿卅]{1,4}(?:\s*[月.．/\-]\s*|\s+)?[\d一二三四五六七八九十廿卅]{0,4})"
    r"\s*[日号]?\s*(?:印发|发布|签发)?\s*$"
)


def _valid(y: int, mo: int, d: int) -> bool:
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO, Arabic or Chinese numerals.

    >>> iso_date("2023年6月26日"), iso_date("二〇二三年六月二十六日印发"), iso_date("6月")
    ('2023-06-26', '2023-06-26', None)
    >>> iso_date("二〇一二年三月一日"), iso_date("二O一二年十二月廿一日"), iso_date("二0一二年三月一日")
    ('2012-03-01', '2012-12-21', '2012-03-01')
    """
    m = DATE.search(text)
    if not m:
        return None
    y, mo, d = _year(m["y"]), cn_to_int(m["m"]), cn_to_int(m["d"])
    if y is None or mo is None or d is None or not _valid(y, mo, d):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def date_line(text: str) -> str | None:
    """The date of a line that is only a date, tolerating a lost 年, 月 or 日.

    A month and day run together ("626") are split only when one reading alone is a valid date.

    >>> date_line("2023年6月26日"), date_line("2023年6月26"), date_line("2023年626日")
    ('2023-06-26', '2023-06-26', '2023-06-26')
    >>> date_line("20236月26日"), date_line("2023.6.26"), date_line("2023年112日")
    ('2023-06-26', '2023-06-26', None)
    >>> date_line("二〇二三年六月二十六") , date_line("为推动2023年发展")
    ('2023-06-26', None)
    """
    if (strict := iso_date(text)) is not None and DATE.fullmatch(text.strip()):
        return strict
    m = LOOSE_DATE.match(text)
    if not m:
        return strict
    y = _year(m["y"])
    if y is None:
        return None
    parts = [p for p in re.split(r"[月.．/\-\s]+", m["rest"]) if p]
    candidates: set[tuple[int, int]] = set()
    if len(parts) == 2:
        mo, d = cn_to_int(parts[0]), cn_to_int(parts[1])
        if mo is not None and d is not None and _valid(y, mo, d):
            candidates.add((mo, d))
    elif len(parts) == 1 and parts[0].isdigit() and 2 <= len(parts[0]) <= 4:
        run = parts[0]
        for cut in range(1, len(run)):
            mo, d = int(run[:cut]), int(run[cut:])
            if (run[cut] != "0" or len(run) - cut == 2) and _valid(y, mo, d):
                candidates.add((mo, d))
    if len(candidates) != 1:
        return strict
    mo, d = candidates.pop()
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


# A deadline that opens a sentence of a task's prose: "2019年6月底前，研究建立…" (a plan that
# states its deadlines in the text rather than in a 完成时限 label or a closing bracket). A
# sentence opens at the task's start, after 。；, and after a closing bracket (the passage
# after a marker); the date names a month or a year's end (2018年以前 is history, not a due
# date).
PROSE_DEADLINE = re.compile(
    r"(?:^|(?<=[。；;）)]))[ \t\u3000]*"
    r"(?P<v>(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?(?:底|末)?|底|末)"
    r"|每年\d{1,2}月(?:\d{1,2}日)?(?:底|末)?)(?:以前|之前|前))[，,]",
    re.M,
)


def prose_deadline(text: str, start: int, end: int) -> str | None:
    """The deadline that opens a sentence of ``text[start:end]`` (the last of several: a task
    that states stages is done by the last), as :func:`deadline` gives it.

    >>> t = "建立指标体系。2019年6月底前，研究建立核心指标。到2020年，形成模式。"
    >>> prose_deadline(t, 0, len(t)), prose_deadline("到2025年底前建成。", 0, 9)
    ('2019-06-30', None)
    >>> prose_deadline("2024年底前，完成改造。", 0, 12), prose_deadline("2018年以前，已试点。", 0, 11)
    ('2024-12-31', None)
    """
    found = [m["v"] for m in PROSE_DEADLINE.finditer(text[start:end])]
    return deadline(found[-1]) if found else None


PREFIX = r"(?P<prefix>[\u4e00-\u9fff]{1,12}?(?:[发字函办]|办发|发电|纪要))"
OPENB, CLOSEB = r"[〔﹝\[［(（【{｛]", r"[〕﹞\]］)）】}｝]"
DOC_NUMBER = re.compile(
    PREFIX + rf"\s*{OPENB}\s*(?P<year>(?:19|20)\d{{2}})\s*{CLOSEB}\s*第?\s*(?P<seq>\d{{1,4}})\s*号?"
    r"(?![\d年月])"
)
# one bracket lost (〔202321 / 〔2023 21号 / 2023〕21号) or both (2023 21号): the year is four digits,
# so the split is unambiguous as long as the number that follows is kept apart or marked by 号.
BROKEN_DOC_NUMBER = re.compile(
    PREFIX + rf"\s*(?:{OPENB}\s*(?P<y1>(?:19|20)\d{{2}})\s*(?P<s1>\d{{1,4}})\s*号?"
    rf"|(?P<y2>(?:19|20)\d{{2}})\s*{CLOSEB}\s*(?P<s2>\d{{1,4}})\s*号?"
    r"|(?P<y3>(?:19|20)\d{2})\s*(?P<s3>\d{1,4})\s*号)(?![\d年月])"
)
AS_WRITTEN = re.compile(PREFIX + rf"\s*{OPENB}?\s*\d{{2,8}}\s*{CLOSEB}?\s*第?\s*\d{{0,4}}\s*号?")


def doc_number(text: str) -> str | None:
    """The first document number in ``text``, normalised to X〔YYYY〕N号.

    Brackets 〔〕 [] ［］ （） 【】, a missing 号 and one lost bracket are repaired; anything
    else that only looks like a number is not a number here (see :func:`find_doc_number`).

    >>> doc_number("泽政办发〔2023〕17号"), doc_number("晋政办发[2022] 80号")
    ('泽政办发〔2023〕17号', '晋政办发〔2022〕80号')
    >>> doc_number("晋政办发〔202321"), doc_number("甲政字（2024）第5号"), doc_number("甲政发2024〕3号")
    ('晋政办发〔2023〕21号', '甲政字〔2024〕5号', '甲政发〔2024〕3号')
    >>> doc_number("甲政办发〔23〕17号") is None
    True
    """
    m = DOC_NUMBER.search(text)
    if m:
        return f"{m['prefix']}〔{m['year']}〕{int(m['seq'])}号"
    m = BROKEN_DOC_NUMBER.search(text)
    if m:
        year = m["y1"] or m["y2"] or m["y3"]
        seq = m["s1"] or m["s2"] or m["s3"]
        if int(seq) > 0:
            return f"{m['prefix']}〔{year}〕{int(seq)}号"
    return None


def find_doc_number(text: str) -> str | None:
    """The document number of a header: normalised when unambiguous, else as written.

    >>> find_doc_number("泽政办发﹝2023﹞17号"), find_doc_number("甲政办发〔23〕17号")
    ('泽政办发〔2023〕17号', '甲政办发〔23〕17号')
    >>> find_doc_number("甲政办发202321"), find_doc_number("关于印发2023年工作要点的通知")
    ('甲政办发202321', None)
    """
    for line in text.split("\n"):
        if len(line.strip()) > 40:
            continue
        if (n := doc_number(line)) is not None:
            return n
        if (m := AS_WRITTEN.fullmatch(line.strip())) is not None:
            return re.sub(r"\s+", "", m.group(0))
    return None


# -- deadline kinds ---------------------------------------------------------------------------
ONGOING = re.compile(r"^(?:长期|持续|常态|长效|坚持|常年|全年|随时|及时|立即|按需)")
EVERY = re.compile(
    r"^(?:每(?P<unit>年|半年|季度?|月|周)(?:度)?|按(?P<by>年|半年|季度?|月)(?:度)?)"
    r"(?:(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:(?P<d>\d{1,2})日|(?P<mend>底|末))?|(?P<yend>年底|年末|底|末))?"
)
_PERIOD = {
    "年": "year",
    "半年": "half-year",
    "季": "quarter",
    "季度": "quarter",
    "月": "month",
    "周": "week",
}
YEAR_PART = re.compile(
    r"^(?:\d{4}\s*[-—－~～至到]\s*)?(?P<y>\d{4})\s*年\s*"
    r"(?:(?P<half>上半年|下半年)|第?(?P<q>[一二三四1234])季度(?:末)?|(?P<m>\d{1,2})\s*月(?:份)?)?"
    r"\s*(?:底|末)?\s*(?:前|以前|之前|内)?\s*(?:完成|建成|启动)?$"
)


@dataclass(frozen=True)
class Schedule:
    """What a deadline says: one ``date``, a ``recurring`` schedule, ``ongoing`` work, or
    ``unknown`` (kept as written).

    ``date`` is ISO for a one-off deadline; ``every`` is ``year``, ``half-year``, ``quarter``,
    ``month`` or ``week`` for a recurring one, with ``month`` and ``day`` of a yearly due day.

    >>> schedule("2024年底前").kind, schedule("2024年底前").date
    ('date', '2024-12-31')
    >>> s = schedule("每年11月底前"); s.kind, s.every, s.month, s.day
    ('recurring', 'year', 11, 30)
    >>> schedule("每季度").every, schedule("长期坚持").kind, schedule("尽快").kind
    ('quarter', 'ongoing', 'unknown')
    >>> schedule("2025-06-30").date, schedule("2024年第一季度").date, schedule("2024年").date
    ('2025-06-30', '2024-03-31', '2024-12-31')
    """

    kind: str
    text: str
    date: str | None = None
    every: str | None = None
    month: int | None = None
    day: int | None = None


def _month_end(y: int, mo: int) -> str:
    return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


def schedule(text: str | None) -> Schedule:
    """Classify a deadline (as written, or the ISO date :func:`deadline` made of it)."""
    phrase = (text or "").strip().rstrip("。；;，,")
    if not phrase:
        return Schedule("unknown", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        return Schedule("date", phrase, date=phrase)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso := deadline(phrase)):
        return Schedule("date", phrase, date=iso)
    if m := YEAR_PART.match(phrase):
        y = int(m["y"])
        if m["half"]:
            return Schedule("date", phrase, date=_month_end(y, 6 if m["half"] == "上半年" else 12))
        if m["q"]:
            q = cn_to_int(m["q"]) or 4
            return Schedule("date", phrase, date=_month_end(y, 3 * q))
        mo = int(m["m"]) if m["m"] else 12
        if 1 <= mo <= 12:
            return Schedule("date", phrase, date=_month_end(y, mo))
    if m := EVERY.match(phrase):
        every = _PERIOD[m["unit"] or m["by"]]
        if every == "year":
            month = cn_to_int(m["m"]) if m["m"] else 12
            if month is None or not 1 <= month <= 12:
                return Schedule("unknown", phrase)
            last = calendar.monthrange(2001, month)[1]  # a common year: 2月 ends on the 28th
            day = int(m["d"]) if m["d"] else last
            return Schedule("recurring", phrase, every=every, month=month, day=min(day, last))
        return Schedule("recurring", phrase, every=every)
    if ONGOING.match(phrase):
        return Schedule("ongoing", phrase)
    return Schedule("unknown", phrase)
