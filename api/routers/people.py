"""``/people``: the people named in the plans, their posts and what they answer for."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api import models, unit_views
from api.deps import GraphDep
from api.errors import responses
from api.paging import PagingDep, paged_responses
from api.routers import examples

router = APIRouter(prefix="/people", tags=["people"])

PersonRef = Annotated[
    str,
    Path(
        description="person id or name", openapi_examples=examples("person:泽州县:刘宽利", "刘宽利")
    ),
]


@router.get("", summary="People", responses={**paged_responses(), **responses(422, 503)})
def list_people(G: GraphDep, paging: PagingDep) -> list[models.PersonSummary]:
    """Every person with their posts and group roles, in order of appearance; ``offset`` and
    ``limit`` page them, and ``X-Total-Count`` gives their number before paging."""
    return unit_views.people(G, paging.page)


@router.get("/{id:path}", summary="One person", responses=responses(404, 409, 503))
def get_person(id: PersonRef, G: GraphDep) -> models.PersonDetail:
    """A person's posts, group roles, and the tasks of the units they head."""
    return unit_views.person_detail(G, id)
