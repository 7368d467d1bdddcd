"""The supervision loop (督办): progress reports on tasks, and the tasks past their deadline.

A bureau's report comes back in the 任务分解表 (``api.progress`` reads it) and is stored as a
``Progress`` node — the task, the document version it reports on, its date, 进展 (what was
done), 完成情况 (as written) and 完成日期 — linked ``(Task)-[:HAS_PROGRESS]->(Progress)``. The
report keeps the task's id as a property too, so a later version of the plan that keeps the
task keeps its reports.

A task is overdue as of a day when its 完成时限 (classified by :func:`ingest.numbers.schedule`)
fell due before that day and no completion report (完成情况 已完成, dated by its 完成日期, else
by the day it was reported) came on or before it:

- a date: due that day;
- a recurring schedule (每年11月底前, 每季度, 每月): due on the last due day before the asked
  day; a completion report since the due day before that one covers it;
- ongoing work (长期坚持) and deadlines not understood are never overdue; the answer counts them.

Overdue tasks are listed under their lead unit (the one lead rule, :func:`queries.lead_rule.split_lead`),
with the person heading it. Both store paths feed the same function, :func:`overdue_of`. The
deadline classifier is the ingest layer's (``ingest.numbers.schedule``), handed in by the
caller: queries never import ingest.

>>> from ingest.numbers import schedule
>>> last_due(schedule("每年11月底前"), date(2025, 1, 15))
(datetime.date(2024, 11, 30), datetime.date(2023, 11, 30))
>>> last_due(schedule("2024年底前"), date(2025, 1, 15))
(datetime.date(2024, 12, 31), None)
>>> last_due(schedule("每季度"), date(2025, 1, 15))
(datetime.date(2024, 12, 31), datetime.date(2024, 9, 30))
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Protocol

import networkx as nx
from pydantic import Field

from graph.schema import Label
from queries.answers import Answer, PersonPost, TaskRow, UnitRole
from queries.lead_rule import split_lead

DONE = ("已完成", "完成", "已办结", "办结", "已落实", "已达成")
UNDERWAY = (
    "推进中",
    "正在推进",
    "进行中",
    "序时推进",
    "持续推进",
    "部分完成",
    "未完成",
    "未启动",
    "滞后",
)
KINDS = ("date", "recurring", "ongoing", "unknown", "none")


class Schedule(Protocol):
    """What a deadline classifier says (``ingest.numbers.Schedule``)."""

    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def every(self) -> str | None: ...
    @property
    def month(self) -> int | None: ...
    @property
    def day(self) -> int | None: ...


Classifier = Callable[[str], Schedule]


class ProgressReport(Answer):
    """One report on one task, as imported from a filled 任务分解表."""

    id: str
    task: str
    document: str | None = None
    version: int | None = None
    reported_on: str = Field(description="the day the report was imported (ISO)")
    progress: str = Field("", description="进展, as written")
    status: str = Field("", description="完成情况, as written")
    done: bool = False
    completed_on: str | None = Field(None, description="完成日期 (ISO)")
    source: str | None = Field(None, description="the sheet file and row")

    @property
    def dated(self) -> str:
        """The day the report counts from: 完成日期, else the day it was reported."""
        return self.completed_on or self.reported_on


class DeadlineKind(Answer):
    """A deadline classified: ``date``, ``recurring``, ``ongoing``, ``unknown`` or ``none``."""

    kind: str
    text: str = ""
    date: str | None = None
    every: str | None = None
    month: int | None = None
    day: int | None = None


class OverdueTask(Answer):
    """A task past its deadline without a completion report."""

    task: TaskRow
    deadline: DeadlineKind
    due: str = Field(description="the due day missed (ISO)")
    days: int = Field(description="days past due as of the asked day")
    role: str = Field(description="the listed unit's role on the task")
    latest: ProgressReport | None = Field(None, description="the latest report, if any")


class OverdueUnit(Answer):
    """A unit with its overdue tasks and the person heading it."""

    id: str
    name: str
    heads: list[PersonPost] = Field(default_factory=list)
    tasks: list[OverdueTask] = Field(default_factory=list)


class Overdue(Answer):
    """Overdue tasks by unit, as of a day; ``kinds`` counts every task by deadline kind."""

    as_of: str
    count: int = Field(description="overdue tasks (each once, whatever the units)")
    units: list[OverdueUnit] = Field(default_factory=list)
    kinds: dict[str, int] = Field(default_factory=dict)


def classify(text: str | None, schedule: Classifier) -> DeadlineKind:
    """A task's deadline as a :class:`DeadlineKind` (``none`` when the plan states none).

    >>> from ingest.numbers import schedule
    >>> classify("长期坚持", schedule).kind, classify(None, schedule).kind
    ('ongoing', 'none')
    """
    if not text:
        return DeadlineKind(kind="none")
    s = schedule(text)
    return DeadlineKind(
        kind=s.kind, text=s.text, date=s.date, every=s.every, month=s.month, day=s.day
    )


def is_done(status: str) -> bool:
    """Whether 完成情况 as written says the task is complete.

    >>> is_done("已完成"), is_done("推进中"), is_done("未完成")
    (True, False, False)
    """
    s = status.strip()
    return bool(s) and not s.startswith(("未", "部分")) and s.startswith(DONE)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _yearly(month: int, day: int, y: int) -> date:
    return date(y, month, min(day, calendar.monthrange(y, month)[1]))


def last_due(s: Schedule, as_of: date) -> tuple[date, date | None] | None:
    """The last due day strictly before ``as_of`` and, when recurring, the one before it."""
    if s.kind == "date" and s.date:
        due = date.fromisoformat(s.date)
        return (due, None) if due < as_of else None
    if s.kind != "recurring":
        return None
    if s.every == "year":
        month, day = s.month or 12, s.day or 31
        y = as_of.year if _yearly(month, day, as_of.year) < as_of else as_of.year - 1
        return _yearly(month, day, y), _yearly(month, day, y - 1)
    if s.every == "week":
        due = as_of - timedelta(days=as_of.isoweekday())  # the last Sunday before
        return due, due - timedelta(days=7)
    step = {"month": 1, "quarter": 3, "half-year": 6}.get(s.every or "", 1)
    ends = [
        _month_end(y, m)
        for y in (as_of.year - 1, as_of.year)
        for m in range(step, 13, step)
        if _month_end(y, m) < as_of
    ]
    return ends[-1], ends[-2]


def _done_by(reports: Sequence[ProgressReport], after: date | None, as_of: date) -> bool:
    return any(
        r.done
        and date.fromisoformat(r.dated) <= as_of
        and (after is None or date.fromisoformat(r.dated) > after)
        for r in reports
    )


def overdue_of(
    tasks: Iterable[TaskRow],
    reports: Mapping[str, Sequence[ProgressReport]],
    as_of: date,
    schedule: Classifier,
    units: Iterable[str] | None = None,
) -> Overdue:
    """Tasks past their deadline as of ``as_of`` without a completion report, by unit.

    Args:
        tasks: the tasks with their units (lead first) and heads.
        reports: task id → its progress reports.
        as_of: the day to judge on.
        schedule: the deadline classifier (``ingest.numbers.schedule``).
        units: only these unit ids (each listed with its own role); else under lead units.
    """
    asked = set(units) if units is not None else None
    kinds = dict.fromkeys(KINDS, 0)
    by_unit: dict[str, OverdueUnit] = {}
    count = 0
    for t in tasks:
        on = sorted(t.units, key=lambda u: u.order)
        if asked is not None and not any(u.id in asked for u in on):
            continue
        kind = classify(t.deadline, schedule)
        kinds[kind.kind] += 1
        due = last_due(schedule(t.deadline), as_of) if t.deadline else None
        mine = sorted(reports.get(t.id, ()), key=lambda r: (r.dated, r.reported_on, r.id))
        if due is None or _done_by(mine, due[1], as_of):
            continue
        count += 1
        lead_names, _, _ = split_lead([(u.id, u.role) for u in on])
        listed: list[tuple[UnitRole, str]] = [
            (u, "lead" if u.id in lead_names else u.role)
            for u in on
            if (u.id in asked if asked is not None else u.id in lead_names)
        ]
        latest = [r for r in mine if date.fromisoformat(r.reported_on) <= as_of]
        for u, role in listed:
            entry = by_unit.setdefault(u.id, OverdueUnit(id=u.id, name=u.name, heads=u.heads))
            entry.tasks.append(
                OverdueTask(
                    task=t,
                    deadline=kind,
                    due=due[0].isoformat(),
                    days=(as_of - due[0]).days,
                    role=role,
                    latest=latest[-1] if latest else None,
                )
            )
    ordered = sorted(by_unit.values(), key=lambda x: (-len(x.tasks), x.name, x.id))
    for entry in ordered:
        entry.tasks.sort(key=lambda o: (-o.days, o.task.id))
    return Overdue(as_of=as_of.isoformat(), count=count, units=ordered, kinds=kinds)


def report_of(attrs: Mapping[str, object], node: str) -> ProgressReport:
    """A :class:`ProgressReport` from a Progress node's properties."""
    fields = ProgressReport.model_fields
    data = {k: v for k, v in attrs.items() if k in fields and v is not None}
    return ProgressReport.model_validate({**data, "id": node})


def progress_reports(G: nx.MultiDiGraph) -> dict[str, list[ProgressReport]]:
    """Task id → its progress reports, oldest first."""
    out: dict[str, list[ProgressReport]] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == Label.PROGRESS.value and d.get("task"):
            out.setdefault(str(d["task"]), []).append(report_of(d, n))
    for reports in out.values():
        reports.sort(key=lambda r: (r.reported_on, r.dated, r.id))
    return out


def task_versions(G: nx.MultiDiGraph) -> dict[str, tuple[str | None, int | None]]:
    """Task id → (its document id, the document's current version)."""
    out: dict[str, tuple[str | None, int | None]] = {}
    for n, d in G.nodes(data=True):
        if d.get("label") != Label.TASK.value:
            continue
        doc = d.get("doc")
        version = G.nodes[doc].get("version") if doc and G.has_node(doc) else None
        out[n] = (doc, int(version) if version is not None else None)
    return out
