"""Titles of official documents and the issuers they name.

A title is issuer + 关于 + subject + kind (GB/T 9704), the kind one of a closed list (通知, 意见,
实施方案 …) with optional suffixes (（试行）, （2024—2026年）); a cover notice (关于印发X的通知)
stands for the plan X it prints. :func:`split_title` parts issuer and title; :func:`segments`
tells a title printed twice from one wrapped over several lines. :mod:`ingest.docmeta` picks
the document's title from the candidates these give.
"""

from __future__ import annotations

import re

from ingest.chars import SPACES, WHITESPACE
from ingest.places import SEAL

# 关于印发/转发X的通知: the document is X (the plan), the notice only its cover.
NOTICE = re.compile(r"^(?P<issuer>.*?)\s*(?:关于)?(?:印发|转发|下发|颁发)(?P<title>.+?)的通知\s*$")

# kinds of document (GB/T 9704 and the plans counties write) that end a title
_KINDS = (
    r"通知|通报|意见|决定|决议|批复|报告|请示|函|复函|公告|通告|纪要|命令|令|议案|公报"
    r"|方案|计划|规划|要点|办法|细则|规定|措施|纲要|条例|规则|章程|制度|标准|指南|指引|导则"
    r"|清单|名单|分工|分解表|任务表|一览表|安排|任务|守则"
)
_SUFFIX = r"(?:[（(](?:试行|暂行|修订|修正|草案|征求意见稿|送审稿|\d{4}[—–\-－~～至]\d{2,4}年?|\d{4}年?)[）)])*"
KIND_END = re.compile(rf"(?:{_KINDS}){_SUFFIX}$")
_NOTICE_KIND_END = re.compile(r"(?:通知|通报|意见|决定|批复|报告|请示|函|公告|通告)$")
# a wrapped title's next line continues it rather than starting a second title
_CONTINUES = re.compile(
    rf"^(?:[（(的和与及之、暨，,》”]|(?:实施|工作|行动|管理|若干|指导|试行|暂行|{_KINDS}))"
)
_DECREE = re.compile(r"^(.+?)\s*(?:令|公告|通告|公报)$")
# the signing body's shape: a signature line ends like this
BODY_END = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|委员会|党委|党组|工委|委|局|厅|部|院|署|行|办|中心|会|小组|组"
    r"|指挥部|公司|处|所|站|社|团|队|馆|法院|检察院)$"
)
_BOOK = re.compile(r"《([^》]+)》")


def compact(text: str) -> str:
    """``text`` without whitespace (titles and labels are compared this way)."""
    return WHITESPACE.sub("", text)


def segments(block: list[str]) -> list[str]:
    """Split a run of title lines where one complete title ends and another starts.

    A portal often prints the title once on one line and again wrapped; a line that continues
    a wrapped title (的通知, （2024—2026年）, 实施方案) is never a title of its own.
    """
    out: list[str] = []
    cur: list[str] = []
    for i, line in enumerate(block):
        cur.append(line)
        if i + 1 < len(block) and KIND_END.search("".join(cur)):
            rest = compact("".join(block[i + 1 :]))
            if _standalone(rest) and not _CONTINUES.match(block[i + 1]):
                out.append(" ".join(cur))
                cur = []
    if cur:
        out.append(" ".join(cur))  # joint issuers keep apart; a title loses its spaces
    return out


def _standalone(title: str) -> bool:
    """Whether ``title`` reads as a whole title (a notice names its subject with 关于)."""
    if not KIND_END.search(title) or len(title) < 8:
        return False
    return "关于" in title or not _NOTICE_KIND_END.search(title)


def split_title(title: str) -> tuple[str | None, str]:
    """(issuer, title of the document) of a title as written.

    The issuer is what precedes 关于 when it names a body; a cover notice (关于印发X的通知) gives
    its plan X, in 《》 when it quotes one.

    >>> split_title("泽州县人民政府办公室 关于印发泽州县促进专业镇高质量发展 实施方案的通知")
    ('泽州县人民政府办公室', '泽州县促进专业镇高质量发展实施方案')
    >>> split_title("国务院关于促进综合保税区高水平开放高质量发展的若干意见")
    ('国务院', '国务院关于促进综合保税区高水平开放高质量发展的若干意见')
    >>> split_title("甲县人民政府办公室关于转发市发改委《乙市节能方案》的通知")
    ('甲县人民政府办公室', '乙市节能方案')
    >>> split_title("甲市人民政府令")
    ('甲市人民政府', '甲市人民政府令')
    """
    if notice := NOTICE.match(title):
        issuer = _issuer_part(notice["issuer"])
        plan = compact(notice["title"])
        quoted = _BOOK.findall(plan)
        plan = (
            quoted[0]
            if len(quoted) == 1 and plan.endswith("》")
            else plan.replace("《", "").replace("》", "")
        )
        if issuer is not None or not notice["issuer"].strip():
            return issuer, plan
    compacted = compact(title)
    before, sep, _ = title.partition("关于")
    if not sep and (decree := _DECREE.match(title)):
        return _issuer_part(decree[1]), compacted  # 甲市人民政府令, 甲县人民政府公告
    return (_issuer_part(before) if sep else None), compacted


def _issuer_part(text: str) -> str | None:
    text = SPACES.sub(" ", text).strip()
    if not text or len(text) > 60 or not BODY_END.search(text):
        return None
    return text


def first_sentence(line: str) -> str | None:
    """A title run into its body on one line: "关于支持X的十条意见。为落实…"."""
    sentence = line.split("。", 1)[0]
    if len(sentence) > 60 or sentence == line or not KIND_END.search(sentence):
        return None
    if sentence.startswith("关于") or ("关于" in sentence and split_title(sentence)[0]):
        return sentence
    return None


def clean_issuer(issuer: str | None) -> str | None:
    """An issuer without seal marks and with single spaces, or None when nothing is left."""
    if not issuer:
        return None
    issuer = SEAL.sub("", issuer).strip()
    return SPACES.sub(" ", issuer) or None
