"""Members of a group stated in sentences rather than lists.

"由副县长张三同志任组长，…，县D局主要负责同志为成员", "以县长为组长、分管副县长为副组长的…领导
小组", "成员单位为市委网信办，市发展改革委、财政局": the people and seats each clause names are added
as :mod:`ingest.members` adds those of a list line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graph.record import Group
from ingest.members import LIST_CLOSE, ROLE, ROLE_IN_SENTENCE, add_people, innermost
from ingest.offices import sentence_spans
from ingest.resolve import Roster

# finds the sentences that hold a role word: a sentence holds one when it holds one of those
# that hold no other (常务副组长 holds 组长), 9 alternatives rather than 27 tried at every 副, 主 …
ROLE_WORD = re.compile("|".join(innermost(ROLE_IN_SENTENCE.split("|"))))
CLAUSE = re.compile(
    rf"^(?:由|以)?(?P<who>.+?)(?:(?<!负责)同志)?(?:分别)?(?:任|担任|兼任|为)(?P<role>{ROLE_IN_SENTENCE})(?:单位)?$"
    rf"|^(?P<role2>{ROLE_IN_SENTENCE})由(?P<who2>.+?)(?:(?<!负责)同志)?(?:担任|兼任|组成)$"
    rf"|^(?:成员|成员单位)(?:为|包括|有)[：:]?(?P<who3>.+)$"
)
LIST_OPEN = re.compile(r"^(?:成员|成员单位)(?:(?P<by>由)|为|包括|有)")
LIST_STOP = re.compile(rf"{ROLE_IN_SENTENCE}|担任|兼任|设在|设于|负责(?!同志|人)|承担|[要将]")
GROUP_PREFIX = re.compile(
    r"^[^，,]*?(?:领导小组|专班|指挥部|工作小组|委员会|联席会议)"
    rf"(?=(?:{ROLE_IN_SENTENCE})?(?:由|以))"
)


def sentence_members(
    text: str, roster: Roster, region: str | None, target: Callable[[int, int], Group]
) -> None:
    """Members stated in sentences: "由副县长张三同志任组长，…，县D局主要负责同志为成员"."""
    for begin, s in _role_sentences(text):
        if ROLE.match(s):
            continue
        group = target(begin, begin + len(s))
        for start, clause in _comma_clauses(s, begin):
            for at, c in _clauses(clause, start):
                m = CLAUSE.match(c)
                if not m:
                    continue
                role = m["role"] or m["role2"] or "成员"
                role = "成员" if role == "成员单位" else role
                who = m["who"] or m["who2"] or m["who3"]
                add_people(group, who, role, (at, at + len(c)), roster, region)


def _role_sentences(text: str) -> Iterator[tuple[int, str]]:
    """(start, text) of the sentences (runs without 。 or a line break) that hold a role word.

    Found from the role words rather than by testing every sentence: most hold none.
    """
    for start, end in sentence_spans(text, ROLE_WORD):
        yield start, text[start:end]


def _comma_clauses(sentence: str, at: int) -> list[tuple[int, str]]:
    """The clauses of a sentence, a member list that runs over commas kept whole
    ("成员由A、B，C、D负责同志组成", "成员单位为市委网信办，市发展改革委、财政局")."""
    raw = [(at + m.start(), m.group(0)) for m in re.finditer(r"[^，,；;]+", sentence)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(raw):
        start, clause = raw[i]
        i += 1
        head = LIST_OPEN.match(clause.strip())
        if head and head["by"] and not LIST_CLOSE.search(clause):
            end = next(
                (j for j in range(i, min(i + 8, len(raw))) if LIST_CLOSE.search(raw[j][1])), -1
            )
            if end >= 0:
                clause = "，".join([clause, *(c for _, c in raw[i : end + 1])])
                i = end + 1
        elif head and not head["by"]:
            while i < len(raw) and not LIST_STOP.search(raw[i][1]):
                clause = clause + "，" + raw[i][1]
                i += 1
        out.append((start, clause))
    return out


def _clauses(clause: str, at: int) -> Iterator[tuple[int, str]]:
    """Parts of a clause that each end in a role: "以县长为组长、分管副县长为副组长的…"."""
    c = clause.strip()
    c = re.sub(r"^(?:成立|组建|设立)(?=由|以)", "", c)
    c = GROUP_PREFIX.sub("", c)
    c = re.sub(r"的[^的]*(?:领导小组|专班|指挥部|工作小组|委员会|联席会议).*$", "", c)
    begin = 0
    for m in re.finditer(rf"(?:{ROLE_IN_SENTENCE})(?:单位)?、", c):
        yield at, c[begin : m.end() - 1]
        begin = m.end()
    yield at, c[begin:]
