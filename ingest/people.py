"""People as member lists write them: one a line or several, name and post either way round.

"张  三  县长", "县长 张三", "张三县长" (glued), "张三（县发改局）" (a unit in brackets, not a
title), "卢焱群、龙福清" and "张　三　李　四" (names only, padded), "李四  副县长    王五  县政府办
主任" (side by side), table rows with the name in any cell.
"""

from __future__ import annotations

import re

from ingest.posts import is_person_name, split_glued, split_person, title_of
from ingest.resolve import Roster, clean_person_name

PADDED_NAME = re.compile(
    r"^(?P<a>[\u4e00-\u9fff])[ \u3000]{1,3}(?P<b>[\u4e00-\u9fff])(?:[ \u3000\t]+|$|(?=[（(]))"
)
NAME = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8}){1,3}|[\u4e00-\u9fff]{2,4})(?:同志)?"
    r"(?:[ \u3000\t]+|$|(?=[（(]))"
)
# compiled once: names_only and row run on every member line and table row (~22 a plan), where
# re.split / re.fullmatch with a pattern string go through re's cache at every call
ITEM_SEP = re.compile(r"[、，,；;]")
ROW_NUMBER = re.compile(r"\d+[.、．]?")


def names_only(text: str) -> list[str] | None:
    """The names of a line that lists only names: "卢焱群、龙福清", "张　三　李　四　王五六".

    >>> names_only("卢焱群、龙福清"), names_only("张　三　李　四　王五六"), names_only("张三 县长")
    (['卢焱群', '龙福清'], ['张三', '李四', '王五六'], None)
    """
    names: list[str] = []
    for part in ITEM_SEP.split(text):
        single = ""
        for token in part.split():
            if len(token) == 1:
                if not single:
                    single = token
                    continue
                token, single = single + token, ""
            elif single:
                return None  # a lone character: not padding of a two-character name
            if not is_person_name(token):
                return None
            names.append(token)
        if single:
            return None
    return names or None


def side_by_side(text: str) -> list[tuple[str, str]] | None:
    """(name, post) of several people on one line set apart by spaces, either way round.

    >>> side_by_side("李四  副县长    王  五  县政府办主任")
    [('李四', '副县长'), ('王五', '县政府办主任')]
    >>> side_by_side("县长 张三 副县长 李四"), side_by_side("张三  县长")
    ([('张三', '县长'), ('李四', '副县长')], None)
    """
    tokens: list[str] = []
    single = ""
    for token in text.split():
        if len(token) == 1:  # half of a padded two-character name
            if not single:
                single = token
                continue
            token, single = single + token, ""
        elif single:
            return None
        tokens.append(token)
    named = [is_person_name(t) for t in tokens]
    if single or sum(named) < 2 or len(tokens) != 2 * sum(named):
        return None
    first = 0 if named[0] else 1  # name, post, name, post … or post, name, post, name …
    if not all(named[i] == (i % 2 == first) for i in range(len(tokens))):
        return None
    pairs = list(zip(tokens[first::2], tokens[1 - first :: 2], strict=True))
    if not all(title_of(p) or p[-1] in "局委办院部" for _, p in pairs):
        return None
    return [(clean_person_name(n), p) for n, p in pairs]


def person(text: str, roster: Roster) -> tuple[str, str] | None:
    """(name, posts) of one person as a list writes them, either way round; None for a post.

    >>> r = Roster.bundled()
    >>> person("张  三  县长", r), person("县长 张三", r), person("张三县长", r)
    (('张三', '县长'), ('张三', '县长'), ('张三', '县长'))
    >>> person("张三（县发改局）", r), person("各乡镇镇长", r)
    (('张三', '县发改局'), None)
    """
    line = text.strip(" \t\u3000")
    if "\t" in line:
        return row([c.strip() for c in line.split("\t") if c.strip()], roster)
    m: re.Match[str] | None = PADDED_NAME.match(line) or NAME.match(line)
    if m:
        name = m["a"] + m["b"] if "a" in m.groupdict() else m["name"]
        rest = line[m.end() :].strip()
        if is_person_name(name):
            if rest[:1] in "（(" and rest[-1:] in "）)":
                rest = rest[1:-1]
            return clean_person_name(name), rest
    if is_person_name(line):
        return clean_person_name(line), ""
    glued = split_glued(line, roster)
    if glued is not None:
        return glued
    post, name = split_person(line)
    return (name, post) if name is not None else None


def name_first(line: str) -> bool:
    """Whether a line opens with a name set apart from what follows ("张三  县委副书记、县长")."""
    m = PADDED_NAME.match(line) or NAME.match(line)
    if m is None or m.end() == len(line):
        return False
    return is_person_name(m["a"] + m["b"] if "a" in m.groupdict() else m["name"])


def rows(line: str, roster: Roster) -> list[tuple[str, str]]:
    """People of a table row that holds two or more ("王五<TAB>局长<TAB>赵六<TAB>局长")."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    starts = [i for i, c in enumerate(cells) if is_person_name(c)]
    if len(starts) < 2:
        return []
    bounds = [*starts[1:], len(cells)]
    begin = 0  # posts before the first name belong to it (post, then name)
    out: list[tuple[str, str]] = []
    for at, end in zip(starts, bounds, strict=True):
        found = row(cells[begin:at] + cells[at:end], roster)
        if found is not None:
            out.append(found)
        begin = end
    return out


def row(cells: list[str], roster: Roster) -> tuple[str, str] | None:
    """A member table row without its role cell: a name cell and post cells in any order."""
    # a row number opens with a digit (\d: a decimal digit, as isdecimal tells)
    cells = [c for c in cells if not (c[:1].isdecimal() and ROW_NUMBER.fullmatch(c))]
    name = None
    posts: list[str] = []
    for cell in cells:
        if name is None and is_person_name(cell):
            name = clean_person_name(cell)
        elif name is None and (found := person(cell, roster)) is not None and found[1]:
            name = found[0]
            posts.append(found[1])
        else:
            posts.append(cell)
    if name is None:
        return None
    if len(posts) == 2 and title_of(posts[1]) == posts[1] and title_of(posts[0]) is None:
        posts = [posts[0] + posts[1]]  # 单位 | 职务 columns
    return name, "、".join(posts)
