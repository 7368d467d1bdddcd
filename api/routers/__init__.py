"""HTTP routers, one module per resource; ``upload`` reads multipart uploads."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.openapi.models import Example


def examples(*values: str) -> dict[str, Example]:
    """OpenAPI examples of a parameter (Swagger UI offers them in a drop-down).

    >>> examples("县工信局")
    {'县工信局': {'summary': '县工信局', 'value': '县工信局'}}
    """
    return {v: Example(summary=v, value=v) for v in values}


# The ``unit`` filter of the task lists (``/tasks``, ``/overdue``).
UnitFilter = Annotated[
    str | None,
    Query(
        description="only this unit's tasks: id, name or alias",
        openapi_examples=examples("县工信局"),
    ),
]
