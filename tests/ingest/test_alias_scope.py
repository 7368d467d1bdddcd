"""``$ZHENKG_ALIASES`` read once per document equals reading it at every call.

Issue 12 (ingest speed): the entity and list readers asked ``os.environ`` thousands of times a
plan; :func:`ingest.resolve.aliases_held` reads it when a parse starts. A change applies from
the next document on, and outside a parse every call still reads the environment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import Role
from ingest.extract import mentions
from ingest.markers import unit_list
from ingest.normalise import normalise
from ingest.parse import parse_text
from ingest.resolve import Roster, alias_file, aliases_held

PLAN = "甲县测试方案\n一、任务\n（一）加快发展。（责任单位：县数据中心、县工信局）\n"


def _units(roster: Roster) -> list[str]:
    record = parse_text(normalise(PLAN).text, roster)
    return [u.name for t in record.tasks for u in t.units]


def test_a_parse_reads_the_roster_of_its_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = tmp_path / "env.yaml"
    extra.write_text("exact:\n  县数据资源中心: [县数据中心]\n", "utf-8")
    monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
    plain = _units(Roster.bundled())
    monkeypatch.setenv("ZHENKG_ALIASES", str(extra))
    mine = _units(Roster.bundled())
    assert "县数据中心" in plain and "县数据资源中心" in mine
    monkeypatch.delenv("ZHENKG_ALIASES")
    assert _units(Roster.bundled()) == plain  # the next document reads the change


def test_held_and_read_answers_agree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = tmp_path / "env.yaml"
    extra.write_text("exact:\n  县数据资源中心: [县数据中心]\n", "utf-8")
    text = "县数据中心、县工信局"
    for value in (None, str(extra)):
        if value is None:
            monkeypatch.delenv("ZHENKG_ALIASES", raising=False)
        else:
            monkeypatch.setenv("ZHENKG_ALIASES", value)
        read = (mentions(text), unit_list(text, 0, len(text), Role.LEAD), Roster.bundled())
        with aliases_held():
            assert alias_file() == value
            held = (mentions(text), unit_list(text, 0, len(text), Role.LEAD), Roster.bundled())
            monkeypatch.setenv("ZHENKG_ALIASES", "/nowhere.yaml")  # mid-document: not seen
            assert alias_file() == value
        assert held == read
        assert alias_file() == "/nowhere.yaml"  # outside a parse: read at the call
