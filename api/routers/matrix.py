"""``/matrix``: units × tasks, as JSON, CSV or an Excel workbook.

The format comes from ``?format=`` when given, else from the ``Accept`` header (``text/csv``,
the XLSX media type), else JSON.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from api.deps import QuestionsDep
from api.errors import responses
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
        200: {
            "description": "JSON by default; CSV or XLSX by `?format=` or `Accept`",
            "content": {
                CSV: {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **responses(422, 503),
    },
)
def get_matrix(
    q: QuestionsDep,
    format: Annotated[Format | None, Query(description="overrides the Accept header")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response | Matrix:
    """Units (most loaded first) × tasks (document order); each cell is the unit's role:
    ``lead`` (牵头), ``support`` (配合) or ``responsible`` (责任)."""
    m = q.matrix()
    chosen = negotiate(format, accept)
    if chosen == "csv":
        # The byte-order mark lets Excel open the Chinese text as UTF-8.
        return Response(
            "\ufeff" + matrix_csv(m),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="matrix.csv"'},
        )
    if chosen == "xlsx":
        from api import xlsx  # openpyxl: only when a workbook is asked for

        return Response(
            xlsx.matrix_xlsx(m),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": 'attachment; filename="matrix.xlsx"'},
        )
    return m
