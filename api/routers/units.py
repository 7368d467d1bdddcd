"""``/units``: government units, their tasks across documents, heads and group roles.

Unit ids hold Chinese and colons (``unit:泽州县:县工业和信息化局``); a plain name or an alias
(``县工信局``) is accepted wherever an id is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import lookup, models, unit_views
from api.deps import GraphDep, QuestionsDep
from api.errors import responses
from api.leads import units_with_leads
from api.names import check_region
from api.paging import PagingDep, paged_responses
from api.routers import examples
from queries.answers import TaskRow, UnitSummary

router = APIRouter(prefix="/units", tags=["units"])

UnitRef = Annotated[
    str,
    Path(
        description="unit id, name or alias",
        openapi_examples=examples("unit:泽州县:县工业和信息化局", "县工业和信息化局", "县工信局"),
    ),
]


@router.get(
    "",
    summary="Units with task counts and heads",
    responses={**paged_responses(), **responses(404, 422, 503)},
)
def list_units(
    q: QuestionsDep,
    paging: PagingDep,
    with_tasks: Annotated[bool, Query(description="only units that carry a task")] = False,
    region: Annotated[str | None, Query(description="only this region's units")] = None,
) -> list[UnitSummary]:
    """Every unit, most loaded first; ``lead_count`` counts the tasks it leads by the one lead
    rule (a stated 牵头, or the first unit listed when a task states none). ``offset`` and
    ``limit`` page the filtered units, and ``X-Total-Count`` gives their number before paging."""
    units = units_with_leads(q)
    check_region((u.region for u in units), region)
    return paging.page(
        [
            u
            for u in units
            if (u.task_count or not with_tasks) and (region is None or u.region == region)
        ]
    )


@router.get(
    "/{id:path}/tasks",
    summary="A unit's tasks",
    responses={**paged_responses(), **responses(404, 422, 503)},
)
def unit_tasks(
    id: UnitRef,
    q: QuestionsDep,
    paging: PagingDep,
    region: Annotated[str | None, Query(description="the unit's region")] = None,
    document: Annotated[
        str | None, Query(description="only this document's tasks: id, number or title")
    ] = None,
) -> list[TaskRow]:
    """The tasks of the unit(s) ``id`` names, across documents, with the unit's role;
    ``offset`` and ``limit`` page them, and ``X-Total-Count`` gives their number before
    paging."""
    return paging.page(lookup.tasks_in(q, id, region, document))


@router.get("/{id:path}", summary="One unit", responses=responses(404, 409, 503))
def get_unit(id: UnitRef, G: GraphDep) -> models.UnitDetail:
    """The unit's tasks across documents, its heads, the people holding posts there and its
    roles in leading groups (office seat, office director, members)."""
    return unit_views.unit_detail(G, id)
