"""``/matrix``: units × tasks, as JSON, CSV or an Excel workbook.

The format comes from ``?format=`` when given, else from the ``Accept`` header (``text/csv``,
the XLSX media type), else JSON.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Response

from api.deps import QuestionsDep
from api.errors import responses
from api.leads import matrix_leads
from api.lookup import matrix_in
from api.paging import TOTAL, PagingDep, paged_responses
from api.render import XLSX_MEDIA_TYPE, matrix_csv
from queries.answers import Matrix

router = APIRouter(prefix="/matrix", tags=["matrix"])

Format = Literal["json", "csv", "xlsx"]
CSV = "text/csv"


def negotiate(fmt: Format | None, accept: str | None) -> Format:
    """The format asked for: the parameter, else the first media type of ``Accept`` we serve.

    >>> negotiate(None, "text/csv, application/json;q=0.5"), negotiate("xlsx", "text/csv")
    ('csv', 'xlsx')
    >>> negotiate(None, None), negotiate(None, "*/*")
    ('json', 'json')
    """
    if fmt is not None:
        return fmt
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == CSV:
            return "csv"
        if media == XLSX_MEDIA_TYPE:
            return "xlsx"
        if media in {"application/json", "*/*", "application/*"}:
            return "json"
    return "json"


@router.get(
    "",
    summary="Responsibility matrix (JSON, CSV, XLSX)",
    response_model=Matrix,
    responses={
        **paged_responses(
            description="JSON by default; CSV or XLSX by `?format=` or `Accept`",
            content={
                CSV: {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        ),
        **responses(404, 422, 503),
    },
)
def get_matrix(
    q: QuestionsDep,
    paging: PagingDep,
    format: Annotated[Format | None, Query(description="overrides the Accept header")] = None,
    region: Annotated[
        str | None, Query(description="only the tasks of this region's documents; unknown: 404")
    ] = None,
    document: Annotated[
        str | None,
        Query(description="only this document's tasks: id, number, title or file name; 404"),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response | Matrix:
    """Units (most loaded first) × tasks (document order); each cell is the unit's role as the
    plan states it: ``lead`` (牵头), ``support`` (配合) or ``responsible`` (责任). CSV and XLSX
    show the roles in Chinese and mark the inferred lead (the first 责任单位 of a task without
    a stated 牵头) as 牵头（按排序推定）, as every other output does.

    A province's matrix is large: ``region`` and ``document`` keep their tasks and the units on
    them, ``offset`` and ``limit`` page the units; ``X-Total-Count`` gives the units before
    paging. On a Neo4j or FalkorDB store the server narrows the matrix: only the tasks kept
    and the units on them are read."""
    whole = matrix_in(q, region, document)
    m = whole.model_copy(update={"units": paging.page(whole.units)})
    headers = {TOTAL: str(len(whole.units))}  # a Response returned as it is carries only its own
    chosen = negotiate(format, accept)
    if chosen == "csv":
        return Response(
            matrix_csv(m, matrix_leads(q, m)),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": _disposition("matrix.csv", "责任矩阵.csv"), **headers},
        )
    if chosen == "xlsx":
        from api import xlsx  # openpyxl: only when a workbook is asked for

        return Response(
            xlsx.matrix_xlsx(m, matrix_leads(q, m)),
            media_type=XLSX_MEDIA_TYPE,
            headers={
                "Content-Disposition": _disposition("matrix.xlsx", "责任矩阵.xlsx"),
                **headers,
            },
        )
    return m


@router.get(
    "/supervision",
    summary="任务分解表 (supervision sheet) as XLSX",
    response_class=Response,
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **responses(503),
    },
)
def get_supervision(q: QuestionsDep) -> Response:
    """序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限 / 责任人 / 来源文件 / 备注: a sheet of all
    tasks and one per document, the same workbook as ``zhenkg matrix --format xlsx``."""
    from api.supervision import supervision_for  # openpyxl: only when a workbook is asked for

    return Response(
        supervision_for(q),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": SUPERVISION_DISPOSITION},
    )


SUPERVISION_FILE = "任务分解表.xlsx"


def _disposition(ascii_name: str, name: str) -> str:
    """An attachment named in Chinese (RFC 6266 ``filename*``), with an ASCII fallback."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


SUPERVISION_DISPOSITION = (
    f"attachment; filename=\"supervision.xlsx\"; filename*=UTF-8''{quote(SUPERVISION_FILE)}"
)
