"""``/chains/{id}/gaps`` and ``/gaps``: missing and thin links, and who is on the hook.

补链 fills a missing link inside the present chain, 延链 extends it beyond its ends, 强链
strengthens a link that is present but thin (fewer firms than ``thin_below``).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response

from api.deps import QuestionsDep, SettingsDep
from api.errors import responses
from api.render import XLSX_MEDIA_TYPE
from api.routers import examples
from queries.chains import named_chain
from queries.gaps import GapReport
from queries.service import Questions
from queries.targets import TargetReport

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
    c = named_chain(q.chains(), chain)
    return c.towns[0].id if c is not None and len(c.towns) == 1 else None


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


@router.get(
    "/chains/{id:path}/targets",
    summary="Investment targets (招商目标): firms of other regions on a county's gaps",
    response_model=TargetReport,
    responses={
        200: {
            "description": "JSON by default; the 招商目标清单 workbook with `?format=xlsx`",
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **responses(400, 404, 422, 503),
    },
)
def chain_targets(
    id: Annotated[
        str, Path(description="chain id, key or name", openapi_examples=examples("foundry", "铸造"))
    ],
    q: QuestionsDep,
    settings: SettingsDep,
    town: Annotated[
        str | None,
        Query(
            description="the county's specialised town (id or name); default: the one town "
            "featuring the chain",
            openapi_examples=examples("泽州铸造"),
        ),
    ] = None,
    thin_below: ThinBelow = None,
    top: Annotated[int | None, Query(ge=1, le=100000, description="the first N targets")] = None,
    format: Annotated[Literal["json", "xlsx"], Query(description="json or xlsx")] = "json",
) -> Response | TargetReport:
    """For each 补链, 延链 and 强链 link of the town's chain, the firms that registers of other
    regions in the store place on that link, ranked by the link's score, the firm's stated
    scale (规上) and how many of the county's present links it supplies or buys from; each with
    its register row and the gap's owner (tasks, lead unit, person). No firm is invented: with
    no other region's register loaded, ``outcome`` is ``no_other_register`` and the list is
    empty."""
    report = q.targets(id, town, thin_below or settings.thin_below, top)
    if format == "xlsx":
        from api.targets import FILE, targets_xlsx  # openpyxl: only for a workbook

        return Response(
            targets_xlsx(report),
            media_type=XLSX_MEDIA_TYPE,
            headers={
                "Content-Disposition": 'attachment; filename="targets.xlsx"; '
                f"filename*=UTF-8''{quote(FILE)}"
            },
        )
    return report


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
