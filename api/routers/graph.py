"""``/graph``: a node's neighbourhood as node-link JSON (what the explorer draws)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import views
from api.deps import QuestionsDep
from api.errors import InvalidParameter, responses
from api.names import check_region
from api.routers import examples
from graph.schema import Label
from queries.answers import NodeLink

router = APIRouter(prefix="/graph", tags=["graph"])

LABELS = [label.value for label in Label]


def parse_types(types: list[str] | None) -> list[str] | None:
    """Labels from repeated or comma-separated values, checked against the schema.

    >>> parse_types(["Unit,Task", "Person"])
    ['Unit', 'Task', 'Person']

    Raises:
        InvalidParameter: a value is not a node label.
    """
    if not types:
        return None
    wanted = [t.strip() for value in types for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in LABELS]
    if unknown:
        raise InvalidParameter(
            f"query parameter 'types': no node type {', '.join(unknown)} "
            f"(types are {', '.join(LABELS)})"
        )
    return wanted or None


GRAPH_NODES = 5_000  # nodes one answer carries unless the caller asks for more (~6 MB of JSON)
GRAPH_NODES_MAX = 20_000  # the most it can ask for; a whole province: `zhenkg export`


@router.get("", summary="Neighbourhood as node-link JSON", responses=responses(404, 409, 422))
def get_graph(
    q: QuestionsDep,
    focus: Annotated[
        str | None,
        Query(
            description="node id, unit name or alias, or the exact name of a node; "
            "none: the whole graph",
            openapi_examples=examples("unit:泽州县:县工业和信息化局", "县工信局"),
        ),
    ] = None,
    depth: Annotated[int, Query(ge=0, le=6, description="hops from the focus")] = 1,
    types: Annotated[
        list[str] | None,
        Query(
            description=f"keep only these node types ({', '.join(LABELS)}); "
            "repeat the parameter or separate by commas"
        ),
    ] = None,
    region: Annotated[
        str | None,
        Query(
            description="keep only this region's nodes (its documents, units, people, "
            "groups and towns, its documents' tasks, the firms of its towns) and the chains "
            "and chain links every region shares; unknown: 404"
        ),
    ] = None,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=GRAPH_NODES_MAX,
            description="the most nodes the answer may carry; a larger one is refused (422) "
            "with its size, to be narrowed by focus, depth, types or region",
        ),
    ] = GRAPH_NODES,
) -> NodeLink:
    """The focus and every node within ``depth`` hops (either direction), with the edges
    among them; ``types`` and ``region`` filter the nodes (the focus always stays). A
    province's whole graph is far larger than ``limit``: narrow it, or export it with
    ``zhenkg export``."""
    if region is not None:
        check_region((u.region for u in q.units()), region)
    node = views.resolve_node(q, focus) if focus is not None else None
    return q.neighbourhood(node, depth, parse_types(types), region, limit)
