"""``/chains/{id}/gaps`` and ``/gaps``: missing and thin links, and who is on the hook.

补链 fills a missing link inside the present chain, 延链 extends it beyond its ends, 强链
strengthens a link that is present but thin (fewer firms than ``thin_below``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import QuestionsDep, SettingsDep
from api.errors import responses
from api.routers import examples
from queries.gaps import GapReport
from queries.service import Questions

router = APIRouter(tags=["gaps"])

Town = Annotated[
    str | None,
    Query(
        description="specialised town id or name; default: every firm",
        openapi_examples=examples("泽州铸造"),
    ),
]
ThinBelow = Annotated[
    int | None,
    Query(ge=1, le=1000, description="a link with fewer firms is thin (default ZHENKG_THIN_BELOW)"),
]


def default_town(q: Questions, chain: str) -> str | None:
    """The one town featuring ``chain``, if exactly one does."""
    for c in q.chains():
        if chain in (c.id, c.key, c.name, c.name_en):
            return c.towns[0].id if len(c.towns) == 1 else None
    return None


@router.get(
    "/chains/{id:path}/gaps",
    summary="A chain's gaps (补链/延链/强链) with their owners",
    responses=responses(404, 409, 422, 503),
)
def chain_gaps(
    id: Annotated[
        str, Path(description="chain id, key or name", openapi_examples=examples("foundry", "铸造"))
    ],
    q: QuestionsDep,
    settings: SettingsDep,
    town: Town = None,
    thin_below: ThinBelow = None,
) -> GapReport:
    """Every link of the chain with its local firm count, status (missing/thin/present), the
    action it calls for and a score (share of the present chain it touches); each gap lists
    the tasks, units and people on the hook."""
    return q.gaps(id, town, thin_below or settings.thin_below)


@router.get("/gaps", summary="Gaps of every chain", responses=responses(422, 503))
def all_gaps(
    q: QuestionsDep, settings: SettingsDep, thin_below: ThinBelow = None
) -> list[GapReport]:
    """One report per chain, for the town featuring it (every firm when several or none do)."""
    return [
        q.gaps(
            c.id, c.towns[0].id if len(c.towns) == 1 else None, thin_below or settings.thin_below
        )
        for c in q.chains()
    ]
