"""``/search``: nodes by a Chinese substring of their name, or by a unit alias."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import lookup
from api.deps import QuestionsDep
from api.errors import responses
from api.routers import examples
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
    """Nodes whose name, title or number contains ``q``, and units whose roster names
    (aliases and short forms: 工信, 发改, 住建局, 市场监管) contain it. Ranked exact > alias >
    prefix > substring, then units, people, tasks; ``matched`` is the name that matched."""
    return lookup.search(q, text, limit)
