"""``/coverage``: where the task list and the leading group do not meet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import QuestionsDep
from api.errors import responses
from api.names import check_region
from queries.answers import Coverage

router = APIRouter(prefix="/coverage", tags=["coverage"])

EXAMPLE = {
    "task_units_without_group_member": ["县乡村振兴中心"],
    "group_units_without_task": ["县统计局", "县税务局"],
}


@router.get(
    "",
    summary="Coverage findings",
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}, **responses(404, 503)},
)
def get_coverage(
    q: QuestionsDep,
    region: Annotated[str | None, Query(description="only this region's units")] = None,
) -> Coverage:
    """Units on tasks with nobody in a leading group, and group units that carry no task; an
    unknown ``region`` is a 404 naming it."""
    if region is not None:
        check_region((u.region for u in q.units()), region)
    return q.coverage(region)
