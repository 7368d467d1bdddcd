"""``/groups``: leading groups (领导小组), their office, its director and the members."""

from __future__ import annotations

from fastapi import APIRouter

from api import models, unit_views
from api.deps import GraphDep
from api.errors import responses

router = APIRouter(prefix="/groups", tags=["groups"])


@router.get("", summary="Leading groups with office and director", responses=responses(503))
def list_groups(G: GraphDep) -> list[models.GroupView]:
    """Every group: where its office sits, who directs it, its members."""
    return unit_views.groups(G)
