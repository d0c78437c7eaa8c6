"""Documents: list, read in context, upload (a background ingest job) and remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.errors import not_found, responses
from api.routes.deps import EngineDep, PageDep, StateDep, WriteAccess
from api.routes.jobs import JobsDep, job_json
from api.routes.upload import REQUEST_BODY, read_upload
from api.routes.views import document_json
from api.schemas import DocumentOut, DocumentPage, JobOut, RemovedOut

DocId = Annotated[str, Path(max_length=64, description="16 hex digits", examples=["5725b9a551e1bab5"])]
router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentPage, responses=responses(422))
def list_documents(engine: EngineDep, page: PageDep) -> dict:
    """The ingested documents, oldest first."""
    docs = engine.store.documents()
    return {"total": len(docs), "limit": page.limit, "offset": page.offset,
            "items": [d.to_json() for d in page.slice(docs)]}


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=responses(404, 422))
def get_document(doc_id: DocId, engine: EngineDep) -> dict:
    """A document with its original text (`context`) and its passages, to show a passage in context."""
    doc = engine.store.document(doc_id)
    if doc is None:
        raise not_found("document", doc_id)
    return document_json(engine.store, doc)


@router.post(
    "/documents",
    status_code=202,
    response_model=JobOut,
    dependencies=[WriteAccess],
    responses=responses(401, 403, 413, 415, 422),
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def add_document(request: Request, state: StateDep, jobs: JobsDep) -> dict:
    """Ingest a report in the background: JSON `{"text": …}` or a file; poll GET /jobs/{job_id}."""
    upload = await read_upload(request, state.settings.max_upload_bytes)
    return job_json(jobs.submit(upload))


@router.delete(
    "/documents/{doc_id}",
    response_model=RemovedOut,
    dependencies=[WriteAccess],
    responses=responses(401, 403, 404, 422),
)
def remove_document(doc_id: DocId, state: StateDep) -> dict:
    """Remove a document and every passage only it supported (waits for a running ingest job)."""
    removed = state.remove(doc_id)
    if removed is None:
        raise not_found("document", doc_id)
    return {"doc_id": doc_id, "removed_passages": removed}
