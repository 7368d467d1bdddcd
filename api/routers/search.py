"""``/search``: nodes by a Chinese substring of their name, or by a unit alias."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import QuestionsDep
from api.errors import responses
from api.routers import examples
from ingest.resolve import Roster
from queries.answers import Hit

router = APIRouter(prefix="/search", tags=["search"])

EXAMPLE = [
    {
        "id": "unit:泽州县:县工业和信息化局",
        "label": "Unit",
        "name": "县工业和信息化局",
        "region": "泽州县",
        "matched": "县工业和信息化局",
    }
]


@router.get(
    "",
    summary="Search by name or alias",
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}, **responses(422)},
)
def search(
    q: QuestionsDep,
    text: Annotated[
        str,
        Query(
            alias="q",
            min_length=1,
            max_length=200,
            description="substring or alias",
            openapi_examples=examples("工业和信息化", "县工信局", "刘宽利"),
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[Hit]:
    """Nodes whose name, title or number contains ``q``; an alias (县工信局) also finds the
    unit it stands for. Exact matches first, then units, people, tasks."""
    hits = q.search(text, limit)
    canonical = Roster.bundled().canonical(text, None)
    if canonical != text.strip():
        seen = {h.id for h in hits}
        extra = [h for h in q.search(canonical, limit) if h.id not in seen]
        hits = [h.model_copy(update={"matched": canonical}) for h in extra] + hits
    return hits[:limit]
