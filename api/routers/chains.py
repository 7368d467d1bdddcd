"""``/chains``: the industry chains (产业链) loaded, with their towns, links and firms."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import QuestionsDep
from api.errors import responses
from queries.gaps import ChainSummary

router = APIRouter(prefix="/chains", tags=["chains"])


@router.get("", summary="Industry chains", responses=responses(503))
def list_chains(q: QuestionsDep) -> list[ChainSummary]:
    """Every loaded chain: its links, the firms the registers place on it, its towns."""
    return q.chains()
