"""The supervision loop (督办) for the interfaces: overdue on any store, the pages' views."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import networkx as nx

from ingest.numbers import schedule
from queries.answers import TaskRow
from queries.progress import Overdue, OverdueTask, ProgressReport, overdue_of, progress_reports
from queries.service import Questions


def overdue(q: Questions, as_of: date, units: list[str] | None = None) -> Overdue:
    """Tasks past their deadline as of ``as_of`` with no completion report, by lead unit (or,
    given unit ids, those units' tasks), on any store; deadlines read by
    ``ingest.numbers.schedule``."""
    return overdue_of(q.tasks(), q.progress(), as_of, schedule, units)


def unit_progress(
    G: nx.MultiDiGraph, unit: str, tasks: Sequence[TaskRow], as_of: date | None = None
) -> tuple[dict[str, OverdueTask], dict[str, ProgressReport]]:
    """A unit's overdue tasks (task id → why) and the latest report on each of its tasks."""
    reports = progress_reports(G)
    answer = overdue_of(tasks, reports, as_of or date.today(), schedule, [unit])
    late = {o.task.id: o for u in answer.units for o in u.tasks}
    latest = {t.id: reports[t.id][-1] for t in tasks if reports.get(t.id)}
    return late, latest


def overdue_first(rows: Sequence[TaskRow], late: dict[str, OverdueTask]) -> list[TaskRow]:
    """``rows`` with the overdue ones first (longest overdue first), the rest as they were."""
    return sorted(rows, key=lambda t: (t.id not in late, -late[t.id].days if t.id in late else 0))
