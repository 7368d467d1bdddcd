"""``/tasks``: the tasks of the plans, and who is on the hook for one task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import lookup, models, views
from api.deps import GraphDep, QuestionsDep
from api.errors import responses
from api.paging import PagingDep, paged_responses
from api.routers import UnitFilter, examples
from queries.answers import TaskRow

router = APIRouter(prefix="/tasks", tags=["tasks"])

TaskRef = Annotated[
    str,
    Path(
        description="task id, local id (三.1), number (三（一）) or a unique part of its title",
        openapi_examples=examples("task:泽州县:泽政办发〔2023〕17号:三.5", "三.5", "精准招商"),
    ),
]


@router.get("", summary="Tasks", responses={**paged_responses(), **responses(404, 409, 422, 503)})
def list_tasks(
    q: QuestionsDep,
    paging: PagingDep,
    unit: UnitFilter = None,
    region: Annotated[
        str | None, Query(description="only this region's tasks (and units); unknown: 404")
    ] = None,
    document: Annotated[
        str | None, Query(description="only this document's tasks: id, number or title")
    ] = None,
) -> list[TaskRow]:
    """Every task by document and order, or the tasks of one unit (with its role on each),
    filtered by region and document; ``offset`` and ``limit`` page the filtered tasks, and
    ``X-Total-Count`` gives their number before paging."""
    if unit is None and region is None and document is None:  # a page built alone
        total, rows = q.task_page(paging.offset, paging.limit)
        paging.count(total)
        return rows
    return paging.page(lookup.tasks_in(q, unit, region, document))


@router.get("/{id:path}", summary="One task: units, heads, provenance", responses=responses(404))
def get_task(id: TaskRef, G: GraphDep) -> models.TaskDetail:
    """The task's units (lead first) with their heads, the group office, and the provenance:
    document, text, character span and the responsibility marker sentence."""
    return views.task_detail(G, id)
