"""``/units``: government units, their tasks across documents, heads and group roles.

Unit ids hold Chinese and colons (``unit:泽州县:县工业和信息化局``); a plain name or an alias
(``县工信局``) is accepted wherever an id is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import models, views
from api.deps import GraphDep, QuestionsDep
from api.errors import responses
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


@router.get("", summary="Units with task counts and heads", responses=responses(503))
def list_units(
    q: QuestionsDep,
    with_tasks: Annotated[bool, Query(description="only units that carry a task")] = False,
) -> list[UnitSummary]:
    """Every unit, most loaded first."""
    return [u for u in q.units() if u.task_count or not with_tasks]


@router.get("/{id:path}/tasks", summary="A unit's tasks", responses=responses(404, 503))
def unit_tasks(id: UnitRef, q: QuestionsDep) -> list[TaskRow]:
    """The tasks of the unit(s) ``id`` names, across documents, with the unit's role."""
    return [row for u in views.unit_ids(q, id) for row in q.tasks(u)]


@router.get("/{id:path}", summary="One unit", responses=responses(404, 409, 503))
def get_unit(id: UnitRef, G: GraphDep) -> models.UnitDetail:
    """The unit's tasks across documents, its heads, the people holding posts there and its
    roles in leading groups (office seat, office director, members)."""
    return views.unit_detail(G, id)
