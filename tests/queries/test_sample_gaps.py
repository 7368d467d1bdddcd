"""Gaps of both sample chains, computed from the sample plan and the shipped register."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.networkx_store import NetworkxStore
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file
from queries.service import Questions

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "zezhou-2023-17.txt"


@pytest.fixture(scope="module")
def questions() -> Questions:
    store = NetworkxStore(None)
    store.load(document_fragment(extract_file(SAMPLE)))
    fragment, register = register_load(SAMPLE_REGISTER, "泽州县")
    assert register.rows and not register.unmatched
    store.load(fragment)
    return Questions(store)


@pytest.mark.parametrize(("chain", "town"), [("foundry", "泽州铸造"), ("hawthorn", "泽州山楂红酒")])
def test_every_gap_has_units_people_and_a_reason(
    questions: Questions, chain: str, town: str
) -> None:
    report = questions.gaps(chain, town)
    gaps = [n for n in report.nodes if n.action]
    assert gaps, "the sample register is partial: both chains have gaps"
    for gap in gaps:
        assert gap.tasks and gap.units and gap.people, gap.name
        assert gap.reason in {"task match", "fallback"}
        assert all(u.id.startswith("unit:泽州县:") for u in gap.units)


def test_task_matches_come_from_the_task_text(questions: Questions) -> None:
    report = questions.gaps("foundry", "泽州铸造")
    testing = next(n for n in report.nodes if n.id == "chainnode:foundry:testing")
    assert testing.reason == "task match"
    assert {t.number for t in testing.tasks} == {"三（二）", "三（六）"}
    fallback = [n for n in report.nodes if n.reason == "fallback"]
    # without a matching task, the plan's investment-attraction task (三（五）) owns the gap
    assert fallback and all({t.number for t in n.tasks} == {"三（五）"} for n in fallback)


def test_chains_list_both_towns(questions: Questions) -> None:
    towns = {c.key: [t.name for t in c.towns] for c in questions.chains()}
    assert towns == {"foundry": ["泽州铸造"], "hawthorn": ["泽州山楂红酒"]}
