"""``/chains``: the industry chains (产业链) loaded, with their towns, links and firms, and the
enterprise registers (企业名录) the firm counts rest on."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.basis import RegisterBasis, basis_text, register_basis
from api.deps import LockDep, QuestionsDep, StoreDep
from api.errors import responses
from api.routers.upload import RegisterUploadDep, multipart_body
from graph.chains import Unmatched
from queries.chains import ChainSummary

router = APIRouter(prefix="/chains", tags=["chains"])

REGISTER_BODY = multipart_body("the register: .csv or .xlsx")


class Registers(BaseModel):
    """The registers behind the firm counts, and the sentence the pages show about them."""

    model_config = ConfigDict(extra="forbid")

    registers: list[RegisterBasis]
    basis: str = Field(description="the same, as one Chinese sentence")


class RegisterImported(BaseModel):
    """An imported register: its file, the firms it placed, the rows it could not."""

    model_config = ConfigDict(extra="forbid")

    file: str
    firms: int
    unmatched: list[Unmatched] = Field(default_factory=list)


@router.get("", summary="Industry chains", responses=responses(503))
def list_chains(q: QuestionsDep) -> list[ChainSummary]:
    """Every loaded chain: its links, the firms the registers place on it, its towns."""
    return q.chains()


@router.get("/registers", summary="Enterprise registers behind the firm counts")
def list_registers(q: QuestionsDep) -> Registers:
    """Each register's file, firm count, distinct sources and years, and whether it is a
    partial sample rather than a census (the bundled 泽州 register is one)."""
    registers = register_basis(q)
    return Registers(registers=registers, basis=basis_text(registers))


@router.post(
    "/registers",
    summary="Upload an enterprise register (CSV/XLSX)",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=REGISTER_BODY,
    responses=responses(401, 403, 413, 415, 422, 503),
)
async def upload_register(
    upload: RegisterUploadDep,
    store: StoreDep,
    lock: LockDep,
    region: Annotated[
        str | None, Query(description="region of the register's towns (default: towns.yaml)")
    ] = None,
) -> RegisterImported:
    """Import a county's own register (needs the bearer token, as document uploads do): all or
    nothing — bad rows are refused with their row numbers (422); rows placed on no chain link
    are listed in ``unmatched``. A register of the same file name replaces the earlier one."""

    def load() -> RegisterImported:
        from ingest.load import register_load

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / upload.name
            path.write_bytes(upload.data)
            fragment, register = register_load(path, region)
        with lock.writing():
            store.load(fragment)
        return RegisterImported(
            file=register.file, firms=len(register.rows), unmatched=register.unmatched
        )

    return await run_in_threadpool(load)
