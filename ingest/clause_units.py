"""The units a clause names, read on the entity layer (:func:`ingest.extract.mentions`).

:func:`clause_units` gives a clause's skeleton, every unit mention replaced by "U", for the
duty patterns of :mod:`ingest.duties` to match; :func:`unit_items` reads a clause as a list of
units ("A、B和C等部门"), counting names the entity layer does not know when they have the shape
of a unit or of a body named without its level (海关总署, 水利局).
"""

from __future__ import annotations

import re

from ingest.chars import SPACES
from ingest.extract import Mention, mentions
from ingest.resolve import looks_like_body

# "有关部门": the catch-all a list ends with ("A、B等有关部门负责"); a unit of kind collective.
CATCH_ALL = re.compile(
    r"(?:[省市县区]直(?:及驻[省市县区])?)?各?(?:有关|相关)(?:单位|部门)|[省市县区]直各?(?:单位|部门)"
    r"|各?成员单位"
)


def clause_units(
    text: str, start: int, end: int, region: str | None
) -> tuple[str, list[Mention]] | None:
    """The skeleton of ``text[start:end]`` and its unit mentions (region prefixes included)."""
    clause = text[start:end]
    found = [m for m in mentions(clause) if m.label == "UNIT"]
    short = region[:-1] if region and len(region) > 1 else None
    skeleton: list[str] = []
    units: list[Mention] = []
    pos = 0
    for m in found:
        s = m.start
        if short and clause[:s].endswith(short):
            s -= len(short)
        if s < pos:
            return None
        skeleton.append(clause[pos:s] + "U")
        units.append(Mention("UNIT", clause[s : m.end], start + s, start + m.end))
        pos = m.end
    skeleton.append(clause[pos:])
    return SPACES.sub("", "".join(skeleton)), units


def unit_items(text: str, start: int, end: int, known_only: bool = False) -> list[Mention]:
    """``text[start:end]`` as a list of units ("A、B和C等部门"), or [] when any item is not one.

    An item is a unit when the entity layer marks it (a known collective such as 各县（市、区）
    is one item, separators and all), or (unless ``known_only``) when it has the shape of a
    unit or of a body named without its level ("海关总署", "水利局").
    """
    body = text[start:end]
    cut = re.search(r"等(?:\d+个|多个)?(?P<rest>(?:有关|相关)?(?:单位|部门)?)\s*$", body)
    rest: Mention | None = None
    if cut and cut.start() > 0:
        if CATCH_ALL.fullmatch(cut["rest"]):  # "A、B等有关部门": the others named too
            rest = Mention("UNIT", cut["rest"], start + cut.start("rest"), start + cut.end("rest"))
        body = body[: cut.start()]
    known = [m for m in mentions(body) if m.label == "UNIT"]
    spans = {(m.start, m.end) for m in known}

    def shape(name: str) -> bool:
        return not known_only and looks_like_body(name)

    out: list[Mention] = []
    for a, b in _items(body, known):
        piece = body[a:b]
        item = piece.strip()
        if not item:
            return []
        s = a + piece.find(item)
        parts = [(item, s)]
        if (s, s + len(item)) not in spans:
            for j in re.finditer(r"分别与|[和及与]", item):
                left, right = item[: j.start()], item[j.end() :]
                r_at = s + j.end()
                if (shape(left) or (s, s + len(left)) in spans) and (
                    shape(right) or (r_at, r_at + len(right)) in spans
                ):
                    parts = [(left, s), (right, r_at)]
                    break
        for name, at in parts:
            if not ((at, at + len(name)) in spans or shape(name)):
                return []
            out.append(Mention("UNIT", name, start + at, start + at + len(name)))
    return [*out, rest] if rest and out else out


def _items(body: str, known: list[Mention]) -> list[tuple[int, int]]:
    """Item spans of a list: split on 、 ， , outside brackets and outside known names."""
    inside = {i for m in known for i in range(m.start, m.end)}
    cuts: list[tuple[int, int]] = []
    depth, item_start = 0, 0
    for i, c in enumerate(body):
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif c in "、，," and depth == 0 and i not in inside:
            cuts.append((item_start, i))
            item_start = i + 1
    cuts.append((item_start, len(body)))
    return cuts
