"""``/documents``: the plans in the store, one plan with its tasks, and uploading a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api import models, views
from api.deps import GraphDep, LockDep, StoreDep
from api.errors import responses
from api.paging import PagingDep, paged_responses
from api.routers import examples
from api.routers.upload import OPENAPI_BODY, UploadDep
from graph.build import document_key
from graph.record import Record
from graph.schema import document_id

if TYPE_CHECKING:
    from graph.merge import Merged

router = APIRouter(prefix="/documents", tags=["documents"])

DOC_EXAMPLE = "doc:泽州县:泽政办发〔2023〕17号"
DocRef = Annotated[
    str,
    Path(
        description="document id, number (泽政办发〔2023〕17号), title or file name",
        openapi_examples=examples(DOC_EXAMPLE, "泽政办发〔2023〕17号"),
    ),
]


UploadStatus = Literal["new", "new_version", "unchanged"]
STATUS_OF: dict[str, UploadStatus] = {
    "new": "new",
    "updated": "new_version",
    "unchanged": "unchanged",
}


class Ingested(BaseModel):
    """An ingested upload: the document's id, what the upload did, its extraction record."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(examples=[DOC_EXAMPLE])
    status: UploadStatus = Field(
        description="new (201), new_version (200: the text changed, the number is the same) or "
        "unchanged (200: the same text again, nothing changed)"
    )
    version: int = Field(description="the document's version after the upload (1 when new)")
    record: Record
    warnings: list[str] = Field(
        default_factory=list, description="what to check: nothing found, lines not understood"
    )


@router.get(
    "", summary="Documents in the store", responses={**paged_responses(), **responses(422, 503)}
)
def list_documents(G: GraphDep, paging: PagingDep) -> list[models.DocumentSummary]:
    """Every document, newest first, with its task count, groups and towns; ``offset`` and
    ``limit`` page them, and ``X-Total-Count`` gives their number before paging."""
    return views.documents(G, paging.page)


@router.get("/{id:path}", summary="One document", responses=responses(404, 409, 503))
def get_document(id: DocRef, G: GraphDep) -> models.DocumentDetail:
    """A document with its tasks (units in document order), sections and mechanisms."""
    return views.document_detail(G, id)


def _extract(data: bytes, name: str) -> Record:
    # The pipeline (spaCy, the format readers) is imported by the first upload, in a worker
    # thread, so that the server starts without it and the event loop never waits for it.
    from ingest.pipeline import extract_bytes

    return extract_bytes(data, name)


@router.post(
    "",
    summary="Upload and ingest a document",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=OPENAPI_BODY,
    responses={
        200: {"model": Ingested, "description": "A new version, or unchanged (see `status`)"},
        **responses(401, 403, 413, 415, 422, 503),
    },
)
async def upload_document(
    upload: UploadDep, store: StoreDep, lock: LockDep, response: Response
) -> Ingested:
    """Read, extract and merge a plan (.txt .docx .pdf .html .htm); needs the bearer token.

    Re-uploading a document replaces what it stated before. A document that cannot be read is
    refused with 422 and changes nothing; a readable one is always stored, and ``warnings`` says
    what was not found or not understood (no tasks or group, lines that look like duties).
    """
    record = await run_in_threadpool(_extract, upload.data, upload.name)

    def load() -> Merged:
        from ingest.load import store_record

        with lock.writing():
            return store_record(store, record)

    merged = await run_in_threadpool(load)
    doc = document_id(document_key(record))
    status_ = STATUS_OF[merged.status]
    if status_ != "new":
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/documents/{quote(doc, safe=':')}"
    return Ingested(
        id=doc, status=status_, version=merged.version, record=record, warnings=record.warnings
    )
