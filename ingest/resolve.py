"""Resolve what the text says to canonical names: units through the alias roster, people's names.

The roster is data (``data/aliases.yaml``, extendable by ``$ZHENKG_ALIASES``); see that file for
its sections. Resolution order: the issuing region's own aliases, exact full names, aliases
that hold at every level, collective units.

>>> r = Roster.bundled()
>>> r.canonical("县工信局", "泽州县")
'县工业和信息化局'
>>> r.canonical("县发展和改革委员会", "泽州县")
'县发展和改革局'
>>> r.canonical("县政府办", "泽州县"), r.canonical("市工信局", "晋城市")
('县人民政府办公室', '市工业和信息化局')
>>> r.kind("各乡（镇）人民政府"), r.canonical("各乡（镇）人民政府", None)
('collective', '各乡镇人民政府')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.errors import ZhenkgError
from graph.schema import UnitKind, unit_kind

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml

DATA = Path(__file__).resolve().parent.parent / "data"
LEVELS = ("省", "市", "县", "区", "旗")
BUNDLED = DATA / "aliases.yaml"

# A unit name ends with one of these (longest first when matching).
UNIT_SUFFIXES = (
    "人民政府办公室",
    "人民政府",
    "委员会",
    "办公室",
    "分局",
    "中心",
    "政协",
    "常委会",
    "局",
    "委",
    "办",
    "院",
    "所",
    "站",
    "队",
    "部",
    "厅",
    "处",
    "公司",
    "集团",
    "协会",
    "商会",
    "银行",
    "分行",
    "支行",
    "大学",
    "学院",
    "学校",
    "医院",
    "法院",
    "检察院",
    "事务所",
    "街道",
    "政府",
)
UNIT_SHAPE = re.compile(
    r"^(?:[各]|[省市县区旗州盟]|[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|县|区|旗|州|盟))"
    r"[\u4e00-\u9fff（）()、]{0,24}(?:" + "|".join(UNIT_SUFFIXES) + r")$"
)
NAME_PAD = re.compile(r"[\s\u3000]+")
COUNTED = re.compile(
    r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})个(?P<rest>(?:县|区|市|乡|镇|街道)\S*)$"
)
PLACE = re.compile(
    r"^[\u4e00-\u9fff]{2,4}?(?P<level>省|市|县|区)(?P<rest>[\u4e00-\u9fff（）]{2,})$"
)
_RANK = {"国": 4, "省": 3, "市": 2, "州": 2, "盟": 2, "县": 1, "区": 1, "旗": 1}


# $ZHENKG_ALIASES as read when the document being parsed started (see alias_file): the entity
# and list readers ask for it thousands of times a plan, os.environ decodes it every time.
_HELD: ContextVar[tuple[str | None] | None] = ContextVar("zhenkg_aliases", default=None)


def alias_file() -> str | None:
    """``$ZHENKG_ALIASES``: the value held for the document being parsed, else read now."""
    held = _HELD.get()
    return os.environ.get("ZHENKG_ALIASES") if held is None else held[0]


@contextmanager
def aliases_held() -> Iterator[None]:
    """Read ``$ZHENKG_ALIASES`` once for what runs inside (one document's parse): a change to
    it applies from the next document on, as it always did between documents.

    >>> with aliases_held():
    ...     alias_file() == os.environ.get("ZHENKG_ALIASES")
    True
    """
    token = _HELD.set((os.environ.get("ZHENKG_ALIASES"),))
    try:
        yield
    finally:
        _HELD.reset(token)


def _key(name: str) -> str:
    """A name as the roster stores it: no padding, full-width parentheses."""
    return NAME_PAD.sub("", name).replace("(", "（").replace(")", "）")


def _entry(name: str) -> str:
    """A name as a roster file writes it, simplified: user rosters may be in traditional."""
    from ingest.normalise import to_simplified

    return _key(to_simplified(name))


def _above(level: str, region: str | None) -> bool:
    """Whether a name's level is above the issuing region's (a city body in a county plan)."""
    if not region:
        return False
    return _RANK.get(level, 0) > _RANK.get(region[-1], 0)


class RosterError(ZhenkgError):
    """The alias roster file is malformed."""


@dataclass
class Roster:
    """Canonical unit names, their aliases, collective units and head titles."""

    aliases: dict[str, str] = field(default_factory=dict)  # alias → canonical, every level
    regional: dict[str, dict[str, str]] = field(default_factory=dict)
    canonicals: set[str] = field(default_factory=set)
    collective: dict[str, str] = field(default_factory=dict)  # variant → canonical collective
    heads: dict[str, list[str]] = field(default_factory=dict)
    # canonical() answers by (surface, region): plans name the same bureaus in every list
    _canonical: dict[tuple[str, str | None], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # known() likewise per name: a plan's units are asked about once per task that names them
    _known: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def bundled(cls) -> Roster:
        """The shipped roster merged with ``$ZHENKG_ALIASES`` if set."""
        extra = alias_file()
        return _load((str(BUNDLED), extra) if extra else (str(BUNDLED),))

    @classmethod
    def from_files(cls, *paths: str | Path) -> Roster:
        """A roster from one or more YAML files, later files winning."""
        return _load(tuple(str(p) for p in paths))

    def canonical(self, surface: str, region: str | None) -> str:
        """The canonical name of a unit as written; unknown names come back unchanged.

        The issuing region's own name is written the local way ("泽州县工业和信息化局" →
        "县工业和信息化局"), and so is a higher level's when the rest is a known name
        ("晋城市工信局" in a county plan → "市工业和信息化局").

        >>> r = Roster.bundled()
        >>> r.canonical("泽州县工信局", "泽州县"), r.canonical("晋城市发展改革委", "泽州县")
        ('县工业和信息化局', '市发展和改革委员会')
        >>> r.canonical("县城建局", "泽州县")
        '县城建局'
        """
        kept = self._canonical.get((surface, region))
        if kept is None:
            if len(self._canonical) > 65536:
                self._canonical.clear()
            kept = self._canonical[surface, region] = self._resolve(surface, region)
        return kept

    def _resolve(self, surface: str, region: str | None) -> str:
        name = _key(surface).removesuffix("等").strip("，,、；;：:")
        if counted := COUNTED.match(name):  # "11个县区政府": every one of them
            name = "各" + counted["rest"]
        if region and region != "全国" and name.startswith(region) and len(name) > len(region) + 1:
            name = region[-1] + name[len(region) :]
        elif (m := PLACE.match(name)) and _above(m["level"], region):
            local = m["level"] + m["rest"]
            if self.known(local) or self.known(self._lookup(local, region)):
                name = local
        return self._lookup(name, region)

    def _lookup(self, name: str, region: str | None) -> str:
        if region and name in self.regional.get(region, {}):
            return self.regional[region][name]
        if name in self.collective:
            return self.collective[name]
        return self.aliases.get(name, name)

    def known(self, name: str) -> bool:
        """Whether ``name`` is a canonical name or an alias the roster holds."""
        kept = self._known.get(name)
        if kept is None:
            if len(self._known) > 65536:
                self._known.clear()
            kept = self._known[name] = self._holds(_key(name))
        return kept

    def _holds(self, name: str) -> bool:
        if name in self.canonicals or name in self.aliases or name in self.collective:
            return True
        return any(name in table for table in self.regional.values())

    def kind(self, canonical: str, region: str | None = None) -> str:
        """What sort of unit a canonical name denotes (see :func:`graph.schema.unit_kind`)."""
        if canonical in self.collective_names:
            return UnitKind.COLLECTIVE.value
        return unit_kind(canonical, region).value

    def head_titles(self, canonical: str) -> list[str]:
        """Titles of the head of a unit, from the longest matching name suffix."""
        for suffix in sorted(self.heads, key=len, reverse=True):
            if canonical.endswith(suffix):
                return self.heads[suffix]
        return []

    @cached_property
    def collective_names(self) -> frozenset[str]:
        """The canonical names of the collectives (各乡镇, 各有关单位 …), cached like
        :attr:`listed_collectives`."""
        return frozenset(self.collective.values())

    @cached_property
    def listed_collectives(self) -> re.Pattern[str] | None:
        """The collectives whose names hold a list separator ("各区、县级市"), longest first:
        a list reader must not split them."""
        names = sorted((n for n in self.collective if "、" in n), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, names))) if names else None

    def names(self) -> list[str]:
        """Every canonical name and alias, for the entity matcher."""
        regional = {alias for table in self.regional.values() for alias in table}
        return sorted(self.canonicals | set(self.aliases) | set(self.collective) | regional)


@lru_cache(maxsize=16384)  # names recur (every list of a plan names the same bureaus)
def looks_like_unit(name: str) -> bool:
    """Whether a string has the shape of a unit name (县…局, 市…中心, 各…人民政府).

    >>> looks_like_unit("县工业和信息化局"), looks_like_unit("市生态环境局泽州分局")
    (True, True)
    >>> looks_like_unit("加强组织领导")
    False
    """
    return bool(UNIT_SHAPE.match(NAME_PAD.sub("", name)))


# A body named without its level (national documents, lists that drop 市 after the first
# item): the ending of a government body, and none of the words prose is made of.
BODY_SHAPE = re.compile(
    r"^(?:\d{1,3}个)?[\u4e00-\u9fff（）]{1,16}?"
    r"(?:总局|总署|总社|部|署|委|局|办|会|社|银行|院|政府|中心|厅|处|站|所|队|公司|集团|中央|联)$"
)
PROSE = re.compile(
    r"的|加强|推进|推动|建立|完善|负责|支持|开展|实施|落实|提高|确保|进一步|做好|各项|统筹|鼓励"
    r"|引导|促进|指导|牵头|配合|参与|按照|根据|以及|其中|通过|不再|下同"
)


@lru_cache(maxsize=16384)
def looks_like_body(name: str) -> bool:
    """Whether a name without a level prefix has the shape of a government body.

    Only for lists a duty clause closes ("（海关总署、商务部负责）"), where prose is ruled out
    by the clause around it.

    >>> looks_like_body("海关总署"), looks_like_body("工业和信息化部"), looks_like_body("人民银行")
    (True, True, True)
    >>> looks_like_body("11个县区政府"), looks_like_body("加强监督管理局")
    (True, False)
    """
    name = NAME_PAD.sub("", name)
    return looks_like_unit(name) or (
        len(name) >= 2 and bool(BODY_SHAPE.match(name)) and not PROSE.search(name)
    )


def clean_person_name(name: str) -> str:
    """A person's name without padding and the 同志 suffix.

    >>> clean_person_name("李 庭"), clean_person_name("王  平同志")
    ('李庭', '王平')
    """
    name = NAME_PAD.sub("", name)
    return name[:-2] if name.endswith("同志") and len(name) > 3 else name


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> Roster:
    roster = Roster()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
            data: Any = yaml.load(text, Loader=SAFE_LOADER) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise RosterError(f"{path}: cannot read the alias roster ({exc})") from exc
        if not isinstance(data, dict):
            raise RosterError(f"{path}: the alias roster must be a mapping of sections")
        for canonical, aliases in _section(data, "any_level", path).items():
            for level in LEVELS:
                roster.canonicals.add(_entry(level + canonical))
                for alias in aliases:
                    roster.aliases[_entry(level + alias)] = _entry(level + canonical)
        for canonical, aliases in _section(data, "exact", path).items():
            roster.canonicals.add(_entry(canonical))
            roster.aliases.pop(_entry(canonical), None)
            for alias in aliases:
                roster.aliases[_entry(alias)] = _entry(canonical)
        for region, entries in (data.get("regions") or {}).items():
            table = roster.regional.setdefault(_entry(str(region)), {})
            for canonical, aliases in (entries or {}).items():
                roster.canonicals.add(_entry(str(canonical)))
                for alias in aliases or []:
                    table[_entry(str(alias))] = _entry(str(canonical))
        for canonical, variants in _section(data, "collective", path).items():
            roster.collective[_entry(canonical)] = _entry(canonical)
            for variant in variants:
                roster.collective[_entry(variant)] = _entry(canonical)
        for suffix, titles in _section(data, "heads", path).items():
            roster.heads[suffix] = titles
    return roster


def _section(data: dict[str, Any], key: str, path: str) -> dict[str, list[str]]:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise RosterError(f"{path}: section {key!r} must map names to lists of names")
    out: dict[str, list[str]] = {}
    for name, values in section.items():
        if values is not None and not isinstance(values, list):
            raise RosterError(f"{path}: {key}.{name} must be a list, got {values!r}")
        out[str(name)] = [str(v) for v in values or []]
    return out
