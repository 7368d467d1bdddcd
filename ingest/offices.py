"""The office of a group (办公室设在…), its director and deputy, wherever a sentence names them.

"办公室主任由县工信局局长兼任", "财政部部长助理戴柏华兼任办公室主任", "由市住房城乡建设局分管负责
同志兼任办公室主任", "办公室主任、副主任分别由A、B担任": a post fills the seat, or a member named
by the list ("由赵六同志兼任") with the post the list gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from graph.record import Group, OfficePost
from ingest.extract import mentions
from ingest.markers import SENTENCE_END
from ingest.posts import positions, split_person
from ingest.resolve import Roster, clean_person_name

OFFICE_AT = re.compile(
    r"(?:办公室|办事机构|工作机构)[^。；;\n]{0,8}?设(?:在|于|(?=[省市县区州旗镇乡]))"
    r"(?P<unit>[^，,。；;、\n（()）]{1,40})"
)
DIRECTOR = re.compile(
    r"(?<!副)主任由(?P<post>[^，,。；;\n]{1,40}?)(?:(?<!负责)同志)?(?:兼任|担任)"
    r"|(?P<post2>[^，,。；;\n由]{1,40}?)(?:(?<!负责)同志)?(?:兼任|担任|任|为)(?:办公室)?主任"
)
DEPUTY = re.compile(
    r"副主任由(?P<post>[^，,。；;\n]{1,40}?)(?:(?<!负责)同志)?(?:兼任|担任)"
    r"|(?P<post2>[^，,。；;\n由]{1,40}?)(?:(?<!负责)同志)?(?:兼任|担任|任|为)(?:办公室)?副主任"
)
# what a match of DIRECTOR holds besides 主任由, and of DEPUTY besides 副主任由
DIRECTOR_WORDS = ("任主任", "为主任", "任办公室主任", "为办公室主任")
DEPUTY_WORDS = ("任副主任", "为副主任", "任办公室副主任", "为办公室副主任")
BOTH = re.compile(
    r"主任、副主任分别由(?P<a>[^，,。；;、\n]{1,40})、(?P<b>[^，,。；;\n]{1,40}?)(?:兼任|担任)"
)


def office_posts(
    text: str, roster: Roster, region: str | None, nearest: Callable[[int], Group]
) -> None:
    """Director and deputy of each office, from the sentences that name a 主任."""
    for a, b in _sentences_naming(text, "主任"):
        sentence = text[a:b]
        # each pattern holds one of these words: a sentence without any (a post in a member
        # row, "县投资促进中心主任") cannot match, and DIRECTOR and DEPUTY open with a lazy run
        # tried from every character of it
        both = "主任、副主任分别由" in sentence
        director = "主任由" in sentence or any(w in sentence for w in DIRECTOR_WORDS)
        deputy = "副主任由" in sentence or any(w in sentence for w in DEPUTY_WORDS)
        for m in BOTH.finditer(text, a, b) if both else ():
            g = nearest(m.start())
            g.office_director = g.office_director or office_post(m["a"], g, roster, region)
            g.office_deputy_director = g.office_deputy_director or office_post(
                m["b"], g, roster, region
            )
        for m in DIRECTOR.finditer(text, a, b) if director else ():
            if not re.search(r"办公室|下设|设在", text[max(0, m.start() - 40) : m.end()]):
                continue
            g = nearest(m.start())
            post = office_post(m["post"] or m["post2"], g, roster, region)
            if post and g.office_director is None:
                g.office_director = post
        for m in DEPUTY.finditer(text, a, b) if deputy else ():
            g = nearest(m.start())
            post = office_post(m["post"] or m["post2"], g, roster, region)
            if post and g.office_deputy_director is None:
                g.office_deputy_director = post


def _sentences_naming(text: str, word: str) -> list[tuple[int, int]]:
    """Spans of the sentences (runs of text between 。 and line ends) holding ``word``, in order.

    Found from the word's occurrences: a plan names a 主任 in a handful of its ~500 sentences,
    and reading every sentence to find them cost more than the offices they yield.
    """
    return list(sentence_spans(text, re.compile(re.escape(word))))


def sentence_spans(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Spans of the sentences (runs of text between 。 and line ends) holding a match of
    ``pattern``, in order, each once: found from the matches, not by testing every sentence."""
    end = -1
    for m in pattern.finditer(text):
        if m.start() < end:
            continue  # another match in the sentence just given
        start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        stop = SENTENCE_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        yield start, end


def office_post(text: str, group: Group, roster: Roster, region: str | None) -> OfficePost | None:
    """The post that fills an office seat: "县工信局局长", a member named ("由赵六同志兼任"), the
    first of several people ("县财政局副局长王五、县工信局副局长赵六"); of one person's posts
    ("县委常委、宣传部部长赵六") the one in the office's unit, else the last."""
    items = re.split(r"[、，,]", text)
    first = next((i for i, item in enumerate(items) if split_person(item)[1]), 0)
    post_text, name = split_person("、".join(items[: first + 1]))
    held = [p for p in positions(post_text.split("、"), roster, region) if p.unit]
    if not held:  # a member named: the posts the list gives them
        named = clean_person_name(name or post_text)
        member = next((m for m in group.members if m.name == named), None)
        held = [p for p in member.positions if p.unit] if member else []
    if not held:
        return None
    chosen = next((p for p in held if p.unit == group.office_unit), held[-1])
    return OfficePost(title=chosen.title, unit=chosen.unit)


def first_unit(text: str) -> str:
    found = [m for m in mentions(text) if m.label == "UNIT" and m.start <= 1]
    return found[0].text if found else re.split(r"负责|承担|具体", text)[0]
