"""The supervision loop answers alike on every store: import a filled sheet, ask overdue.

Parametrised over the backends of ``tests/conftest.py`` (SQLite, networkx, FalkorDB, and Neo4j
when ``NEO4J_URI`` is set); the reference is the networkx store given the same import.
"""

from __future__ import annotations

import copy
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.overdue_view import overdue
from api.progress import InvalidProgressSheet, import_progress
from api.settings import Settings
from api.supervision import ALL_SHEET, HEADER, ID_COLUMN, supervision_for
from graph.build import record_fragment
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import GraphStore
from ingest.pipeline import extract_file
from queries.service import Questions
from tests.api.test_progress import DEADLINES, FILLED, T

DAYS = [date(2024, 6, 25), date(2025, 1, 15), date(2025, 4, 1), date(2025, 12, 1)]


@pytest.fixture(scope="module")
def deadlines_fragment() -> Fragment:
    return record_fragment(extract_file(DEADLINES))


def filled_sheet(store: GraphStore) -> bytes:
    wb = load_workbook(io.BytesIO(supervision_for(Questions(store))))
    ws = wb[ALL_SHEET]
    col = {h: i + 1 for i, h in enumerate(HEADER)}
    for r in range(2, ws.max_row + 1):
        cells = FILLED.get(ws.cell(r, col[ID_COLUMN]).value)
        for h, v in zip(("进展", "完成情况", "完成日期"), cells or (), strict=False):
            ws.cell(r, col[h]).value = v
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def supervised(store: GraphStore, fragments: list[Fragment], sheet: bytes) -> GraphStore:
    for f in fragments:
        store.load(copy.deepcopy(f))
    done = import_progress(store, sheet, "填报.xlsx", date(2025, 1, 10))
    assert (done.reports, done.done) == (3, 2)
    return store


def test_overdue_alike(
    store: GraphStore, sample_fragment: Fragment, deadlines_fragment: Fragment
) -> None:
    fragments = [sample_fragment, deadlines_fragment]
    reference = NetworkxStore(None)
    for f in fragments:
        reference.load(copy.deepcopy(f))
    sheet = filled_sheet(reference)
    ours, theirs = (
        Questions(supervised(store, fragments, sheet)),
        Questions(supervised(reference, [], sheet)),
    )
    assert ours.progress() == theirs.progress()
    assert set(ours.progress()) == {T[1], T[2], T[4]}
    for day in DAYS:
        assert overdue(ours, day) == overdue(theirs, day), day
        for unit in (["unit:酉县:县应急管理局"], ["unit:酉县:县公安局"]):
            assert overdue(ours, day, unit) == overdue(theirs, day, unit), (day, unit)
    late = overdue(ours, date(2025, 1, 15))
    assert [o.task.id for u in late.units for o in u.tasks] == [T[2]]
    got = TestClient(create_app(store, Settings())).get("/overdue?as_of=2025-04-01")
    want = TestClient(create_app(reference, Settings())).get("/overdue?as_of=2025-04-01")
    assert got.status_code == want.status_code == 200
    assert got.json() == want.json()


def test_refused_sheet_leaves_every_store_alone(
    store: GraphStore, sample_fragment: Fragment, deadlines_fragment: Fragment
) -> None:
    for f in (sample_fragment, deadlines_fragment):
        store.load(copy.deepcopy(f))
    wb = load_workbook(io.BytesIO(filled_sheet(store)))
    ws = wb[ALL_SHEET]
    ws.cell(3, HEADER.index(ID_COLUMN) + 1).value = "task:无此任务"
    ws.cell(3, HEADER.index("进展") + 1).value = "推进中"
    out = io.BytesIO()
    wb.save(out)
    before = store.counts()
    with pytest.raises(InvalidProgressSheet, match="第3行：未知任务"):
        import_progress(store, out.getvalue(), "坏表.xlsx")
    assert store.counts() == before
