"""The one lead rule (牵头), applied by every output: CLI, pages, both workbooks and the API.

A stated 牵头 is a lead. When a task lists only 责任单位 (or only 配合), the first unit in the
plan's order is the lead, *inferred* and shown as such. The rule itself is
``queries.lead_rule.split_lead`` (which version diffs and overdue lists apply too); :func:`lead_of` applies it in the
plan's order for every output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.labels import role_label
from queries.lead_rule import split_lead

if TYPE_CHECKING:
    from queries.answers import Matrix, TaskRow, UnitRole, UnitSummary
    from queries.service import Questions


@dataclass(frozen=True)
class Lead:
    """The lead decision of one task: lead unit ids, and whether list order decided."""

    units: tuple[str, ...]
    inferred: bool

    def role(self, unit: str, stated: str) -> str:
        """The role shown for ``unit`` (``stated`` as the plan said it): lead when it leads."""
        return "lead" if unit in self.units else stated

    def label(self, unit: str, stated: str) -> str:
        """牵头, 牵头（按排序推定）, 配合 or 责任 for ``unit``; empty when it is not on the task."""
        if not stated:
            return ""
        return role_label(self.role(unit, stated), self.inferred and unit in self.units)


NO_LEAD = Lead((), False)


def lead_of(units: Sequence[UnitRole]) -> Lead:
    """The lead of a task with ``units`` (any order; the plan's ``order`` decides).

    >>> from queries.answers import UnitRole
    >>> a = UnitRole(id="a", name="县甲局", role="responsible", order=0)
    >>> b = UnitRole(id="b", name="县乙局", role="responsible", order=1)
    >>> lead_of([b, a])
    Lead(units=('a',), inferred=True)
    >>> lead_of([a, b.model_copy(update={"role": "lead"})])
    Lead(units=('b',), inferred=False)
    """
    ordered = sorted(units, key=lambda u: u.order)
    lead, _, inferred = split_lead([(u.id, u.role) for u in ordered])
    return Lead(tuple(lead), inferred)


def leads(tasks: Iterable[TaskRow]) -> dict[str, Lead]:
    """Task id → its :class:`Lead`."""
    return {t.id: lead_of(t.units) for t in tasks}


def lead_counts(decided: dict[str, Lead]) -> dict[str, int]:
    """Unit id → the number of tasks it leads (stated or inferred)."""
    out: dict[str, int] = {}
    for lead in decided.values():
        for u in lead.units:
            out[u] = out.get(u, 0) + 1
    return out


def matrix_leads(q: Questions, m: Matrix) -> dict[str, Lead]:
    """The lead of every column of ``m``, a matrix of ``q``'s store (only its tasks are read:
    a narrowed matrix on a Cypher server asks for the units on its own columns)."""
    units = q.task_units([t.id for t in m.tasks])
    return {t.id: lead_of(units[t.id]) if t.id in units else NO_LEAD for t in m.tasks}


def with_lead_counts(units: Sequence[UnitSummary], tasks: Iterable[TaskRow]) -> list[UnitSummary]:
    """``units`` with ``lead_count`` by the lead rule (stated and inferred leads)."""
    counts = lead_counts(leads(tasks))
    return [u.model_copy(update={"lead_count": counts.get(u.id, 0)}) for u in units]


def units_with_leads(q: Questions) -> list[UnitSummary]:
    """Every unit, most loaded first, its 牵头 count by the one lead rule; kept on the embedded
    store's snapshot, so that each page of ``/units`` is cut from one list (on a province
    the rule over every task takes 0.2 s)."""
    return q.snapshot_answer("units_with_leads", lambda: with_lead_counts(q.units(), q.tasks()))
