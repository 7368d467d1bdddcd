"""The accuracy bench: the gold files of the real documents and the scores they give."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bench.accuracy import REAL_GOLD, score_document
from graph.record import Record

GOLD = sorted(REAL_GOLD.glob("*.gold.json"))
ROLES = {"lead", "support", "responsible"}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _record(gold: dict[str, Any]) -> Record:
    """The record a perfect reading of the document would give."""
    return Record.model_validate(
        {
            "document": gold["document"],
            "tasks": [
                {
                    "id": str(i),
                    "number": str(i),
                    "title": t["title"],
                    "deadline": t.get("deadline"),
                    "units": [{"name": u, "surface": u, "role": r} for u, r in t["units"]],
                    "span": [0, 0],
                }
                for i, t in enumerate(gold["tasks"])
            ],
            "groups": [
                {
                    "name": g["name"],
                    "office_unit": g["office_unit"],
                    "members": [
                        {
                            "name": m["name"],
                            "role": m["role"],
                            "positions": [{"title": "", "unit": u} for u in m["units"]],
                            "chain": m.get("chain"),
                        }
                        for m in g["members"]
                    ],
                    "collective_members": [
                        {"text": c["unit"], "unit": c["unit"], "role": c["role"]}
                        for c in g["collective"]
                    ],
                }
                for g in gold["groups"]
            ],
        }
    )


def test_every_real_document_has_a_gold_file() -> None:
    assert len(GOLD) == 10


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_gold_file_is_well_formed(path: Path) -> None:
    gold = _load(path)
    assert set(gold) == {"tasks", "groups", "document"}
    assert set(gold["document"]) <= {"doc_number", "issuer", "title", "date", "region"}
    titles = [t["title"] for t in gold["tasks"]]
    assert len(set(titles)) == len(titles)
    for t in gold["tasks"]:
        # short titles: the gold must not copy the documents' text
        assert 2 <= len(re.sub(r"\s", "", t["title"])) <= 22, t["title"]
        assert t["units"], t["title"]
        units = [u for u, _ in t["units"]]
        assert len(set(units)) == len(units), t["title"]
        assert all(r in ROLES for _, r in t["units"]), t["title"]
        assert all(u == u.strip() and " " not in u for u in units)
    for g in gold["groups"]:
        assert set(g) == {"name", "office_unit", "members", "collective"}
        for m in g["members"]:
            assert m["name"] == re.sub(r"\s", "", m["name"])
            assert m["role"] == re.sub(r"\s", "", m["role"])


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_a_perfect_reading_scores_one(path: Path) -> None:
    gold = _load(path)
    s = score_document(_record(gold), gold, path.name)
    assert s.misses == []
    assert all(v == 1.0 for v in s.summary().values()), s.summary()


def test_seats_are_counted_per_group() -> None:
    """One person chairing several committees holds several seats."""
    gold = _load(REAL_GOLD / "d10_huanggang.gold.json")
    seats = sum(len(g["members"]) + len(g["collective"]) for g in gold["groups"])
    nothing = score_document(Record.model_validate({"document": {}}), gold, "d10")
    assert nothing.seats_gold == seats == 12
    assert nothing.summary()["member_recall"] == 0.0
    first_only = dict(gold, groups=gold["groups"][:1])
    s = score_document(_record(first_only), gold, "d10")
    assert (s.seats_found, s.seats_right) == (2, 2)
    assert s.summary()["member_precision"] == 1.0
    assert s.summary()["member_recall"] == round(2 / 12, 4)
