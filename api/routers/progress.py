"""``/overdue``: tasks past their 完成时限 without a completion report (督办)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import QuestionsDep
from api.errors import responses
from api.names import check_region, with_aliases
from api.overdue_view import overdue
from api.routers import UnitFilter
from graph.errors import UnknownUnit
from queries.progress import Overdue

router = APIRouter(prefix="/overdue", tags=["progress"])


@router.get("", summary="Overdue tasks by unit", responses=responses(404, 503))
def get_overdue(
    q: QuestionsDep,
    as_of: Annotated[
        date | None, Query(description="judge on this day (YYYY-MM-DD); default today")
    ] = None,
    unit: UnitFilter = None,
    region: Annotated[str | None, Query(description="the unit's region; unknown: 404")] = None,
) -> Overdue:
    """Tasks whose deadline (a date, or the last due day of a recurring one: 每年11月底前,
    每季度) fell before ``as_of`` with no completion report imported, under their lead unit
    with the person heading it (under ``unit`` when given). ``kinds`` counts every task by
    its deadline kind: ``date``, ``recurring``, ``ongoing`` (长期坚持, never overdue),
    ``unknown`` (not understood) and ``none``."""
    units = None
    if region is not None:
        check_region((u.region for u in q.units()), region)
    if unit is not None:
        units = with_aliases(lambda name: q.unit_ids(name, region), unit)
        if region is not None:
            region_of = {u.id: u.region for u in q.units()}
            units = [u for u in units if region_of.get(u) == region]
            if not units:
                raise UnknownUnit(f"No unit named {unit!r} in {region}")
    return overdue(q, as_of or date.today(), units)
