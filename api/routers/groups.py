"""``/groups``: leading groups (领导小组), their office, its director and the members."""

from __future__ import annotations

from fastapi import APIRouter

from api import models, unit_views
from api.deps import GraphDep
from api.errors import responses
from api.paging import PagingDep, paged_responses

router = APIRouter(prefix="/groups", tags=["groups"])


@router.get(
    "",
    summary="Leading groups with office and director",
    responses={**paged_responses(), **responses(422, 503)},
)
def list_groups(G: GraphDep, paging: PagingDep) -> list[models.GroupView]:
    """Every group: where its office sits, who directs it, its members, in order of
    appearance; ``offset`` and ``limit`` page them, and ``X-Total-Count`` gives their number
    before paging."""
    return unit_views.groups(G, paging.page)
