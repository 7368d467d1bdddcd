"""Paging of the list routes and the matrix: ``offset`` and ``limit``, and ``X-Total-Count``.

A province's lists run to tens of megabytes (``/tasks`` 27 MB, ``/groups`` 34 MB), so a client
asks for a page: the route filters as before, keeps its order, and :meth:`Paging.page` cuts the
page out of the rows and counts them in the ``X-Total-Count`` header. Without ``limit`` the
answer is every row, as before paging existed, and ``X-Total-Count`` is still set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Response

T = TypeVar("T")
TOTAL = "X-Total-Count"
TOTAL_HEADER: dict[str, dict[str, Any]] = {
    TOTAL: {
        "description": "the rows after the filters, before paging",
        "schema": {"type": "integer"},
    }
}


class Paging:
    """The page a request asks for, and the response whose ``X-Total-Count`` it sets.

    >>> paging = Paging(Response(), offset=1, limit=2)
    >>> paging.page(["a", "b", "c", "d"]), paging.response.headers[TOTAL]
    (['b', 'c'], '4')
    >>> Paging(Response(), offset=5).page(["a", "b"])
    []
    """

    def __init__(self, response: Response, offset: int = 0, limit: int | None = None) -> None:
        self.response = response
        self.offset = offset
        self.limit = limit

    def count(self, total: int) -> None:
        """Give ``total`` (the rows before paging) in the ``X-Total-Count`` header."""
        self.response.headers[TOTAL] = str(total)

    def page(self, rows: Sequence[T]) -> list[T]:
        """The asked page of ``rows`` (in their order), counting them all."""
        self.count(len(rows))
        end = None if self.limit is None else self.offset + self.limit
        return list(rows[self.offset : end])


def paging(
    response: Response,
    offset: Annotated[
        int, Query(ge=0, description="skip this many rows (after the filters); default 0")
    ] = 0,
    limit: Annotated[
        int | None,
        Query(ge=1, description="at most this many rows; default: every row from `offset` on"),
    ] = None,
) -> Paging:
    """The ``offset`` and ``limit`` query parameters of a paged route."""
    return Paging(response, offset, limit)


PagingDep = Annotated[Paging, Depends(paging)]


def paged_responses(**more: Any) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI 200 entry of a paged route: its ``X-Total-Count`` header (and ``more``)."""
    return {200: {"description": "Successful Response", "headers": TOTAL_HEADER, **more}}
