"""``record_fragment`` writes its commonest edges and the units' claims without ``Fragment.edge``
and ``Fragment.claim``: the same keys, attributes (in order) and claims as they give."""

from __future__ import annotations

from pathlib import Path

from graph.build import record_fragment
from graph.fragment import Fragment
from graph.record import Record, TaskUnit
from graph.schema import Label, Rel, Role, unit_kind
from ingest.pipeline import extract_file

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _by_fragment_calls(record: Record, fragment: Fragment) -> tuple[list[object], object]:
    """The RESPONSIBLE_FOR edges and unit claims of ``fragment`` as ``Fragment.edge`` and
    ``Fragment.claim`` state them."""
    did = fragment.docs[0]
    tasks = {n: a for n, a in fragment.nodes.items() if a["label"] == Label.TASK.value}
    by_local = {a["local_id"]: n for n, a in tasks.items()}
    ids = {a["name"]: n for n, a in fragment.nodes.items() if a["label"] == Label.UNIT.value}
    plain = Fragment()
    for t in record.tasks:
        for i, u in enumerate(t.units):
            plain.edge(
                ids[u.name],
                by_local[t.id],
                Rel.RESPONSIBLE_FOR,
                t.id,
                doc=did,
                role=u.role.value,
                order=i,
                surface=u.surface,
                span=list(u.span) if u.span else None,
            )
    for name, uid in ids.items():
        plain.claim(
            uid, did, record.document.date, kind=unit_kind(name, record.document.region).value
        )
    return [list(e) for e in plain.edges], plain.claims


def _stated(fragment: Fragment) -> tuple[list[object], object]:
    edges = [list(e) for e in fragment.edges if e[3]["type"] == Rel.RESPONSIBLE_FOR.value]
    claims = {n: c for n, c in fragment.claims.items() if n.startswith("unit:")}
    return edges, claims


def test_responsible_edges_and_unit_claims_equal_the_fragment_calls() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        record = extract_file(path)
        fragment = record_fragment(record)
        edges, claims = _stated(fragment)
        assert edges, path
        want_edges, want_claims = _by_fragment_calls(record, fragment)
        assert edges == want_edges
        assert [list(e[3]) for e in edges] == [list(e[3]) for e in want_edges]  # key order
        assert claims == want_claims


def test_a_unit_without_surface_or_span_and_a_task_without_id() -> None:
    record = Record.model_validate(
        {
            "document": {"region": "泽州县", "doc_number": "泽政办发〔2023〕1号"},
            "tasks": [
                {"id": "", "number": "1", "title": "甲", "span": [0, 1], "units": []},
                {"id": "2", "number": "2", "title": "乙", "span": [1, 2], "units": []},
            ],
        }
    )
    record.tasks[0].units = [TaskUnit(name="县工信局", role=Role.LEAD, surface="", span=None)]
    record.tasks[1].units = [
        TaskUnit(name="县工信局", role=Role.RESPONSIBLE, surface="工信局", span=(3, 6))
    ]
    fragment = record_fragment(record)
    assert _stated(fragment) == _by_fragment_calls(record, fragment)
