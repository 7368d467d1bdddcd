"""The units of a task: canonical names, kinds and roles of the units its markers name.

Shared by the tasks of headings (:mod:`ingest.parse`) and of tables (:mod:`ingest.tables`); a
plan names the same few dozen bureaus in every task, so answers are kept per name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.record import TaskUnit
from graph.schema import Role
from ingest.markers import UnitMention
from ingest.resolve import Roster, looks_like_unit

LEVEL_PREFIXES = ("省", "市", "县", "区")
NOT_LEVELS = ("市场", "区域", "县域")  # 市场监管总局 is a national body, not a city's
BARE_BUREAU = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:局|委|办|中心|委员会|办公室)$")


@lru_cache(maxsize=16384)  # the same few dozen bureaus in every task of a plan
def _bare_bureau(surface: str) -> bool:
    """A bureau a list names without the level its first item carries ("市财政局、国税局");
    not one that names a level inside (团县委)."""
    return (
        bool(BARE_BUREAU.match(surface))
        and not looks_like_unit(surface)
        and not any(c in surface for c in LEVEL_PREFIXES)
    )


def task_units(
    mentions: list[UnitMention], roster: Roster, region: str | None, first_leads: bool
) -> list[TaskUnit]:
    """Canonical units of a task, each once; with ``first_leads`` the first listed leads."""
    if first_leads and mentions and all(m.role is Role.RESPONSIBLE for m in mentions):
        mentions = [
            UnitMention(m.surface, Role.LEAD if i == 0 else Role.SUPPORT, m.start, m.end)
            for i, m in enumerate(mentions)
        ]
    out: list[TaskUnit] = []
    seen: set[str] = set()
    level: str | None = None
    for m in mentions:
        name, kind, level = _unit(roster, m.surface, region, level)
        if name in seen:
            continue
        seen.add(name)
        out.append(
            TaskUnit(
                name=name,
                surface=m.surface,
                role=m.role,
                span=(m.start, m.end) if m.end > m.start else None,
                kind=kind,
            )
        )
    return out


# (roster id, surface, region, level carried over) → (that roster, canonical name, kind, level
# carried on): what task_units reads of a name, kept as _RESOLVED keeps its part.
_UNITS: dict[tuple[int, str, str | None, str | None], tuple[Roster, str, str, str | None]] = {}


def _unit(
    roster: Roster, surface: str, region: str | None, level: str | None
) -> tuple[str, str, str | None]:
    """The canonical name and kind of a unit as written after a list's earlier units carried
    over ``level`` (县, 市…), and the level carried on to the next: kept per roster, name,
    region and level, since every task of a plan names the same bureaus."""
    key = (id(roster), surface, region, level)
    hit = _UNITS.get(key)
    if hit is None or hit[0] is not roster:
        if len(_UNITS) >= 65536:
            _UNITS.clear()
        # a long unknown name may start with a place of its own (汉中银监局): kept as written
        if level and _bare_bureau(surface) and (roster.known(level + surface) or len(surface) <= 4):
            surface = level + surface
        if (
            surface[:1] in LEVEL_PREFIXES
            and surface[:2] not in NOT_LEVELS
            and looks_like_unit(surface)
        ):
            level = surface[0]  # carried over names that are not bureaus (汉中火车站) too
        name, kind = _resolved(roster, surface, region)
        hit = _UNITS[key] = (roster, name, kind, level)
    return hit[1], hit[2], hit[3]


# (roster id, surface, region) → (that roster, canonical name, kind). The roster is kept in the
# value, so its id cannot pass to another roster while the entry stands; a roster is read-only
# once loaded (Roster.collective_names relies on that too).
_RESOLVED: dict[tuple[int, str, str | None], tuple[Roster, str, str]] = {}


def _resolved(roster: Roster, surface: str, region: str | None) -> tuple[str, str]:
    """The canonical name and kind of a unit as written, kept per roster, name and region:
    every task of a plan names the same bureaus."""
    key = (id(roster), surface, region)
    hit = _RESOLVED.get(key)
    if hit is None or hit[0] is not roster:
        if len(_RESOLVED) >= 65536:
            _RESOLVED.clear()
        name = roster.canonical(surface, region)
        hit = _RESOLVED[key] = (roster, name, roster.kind(name, region))
    return hit[1], hit[2]
