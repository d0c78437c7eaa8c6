"""GET /passages/{passage_id}: one passage, citable, with its neighbours in the document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.errors import not_found, responses
from api.routes.deps import EngineDep
from api.routes.views import document_passage, in_document, passage_hit
from api.schemas import PassageContext

router = APIRouter(tags=["documents"])


@router.get("/passages/{passage_id}", response_model=PassageContext, responses=responses(404, 422))
def get_passage(
    passage_id: Annotated[str, Path(max_length=64, examples=["9c1e2d3f4a5b6c7d"])],
    engine: EngineDep,
    window: Annotated[int, Query(ge=0, le=10, description="neighbouring passages on each side")] = 2,
) -> dict:
    """The passage as a search hit shows it, plus the passages before and after it in its document."""
    passage = engine.store.passage_by_id(passage_id)
    doc = engine.store.document(passage.doc_id) if passage else None
    if passage is None or doc is None:
        raise not_found("passage", passage_id)
    rows = in_document(engine.store, doc.doc_id)
    at = next((i for i, r in enumerate(rows) if r["start"] == passage.start), 0)
    view = [document_passage(r, doc.original, doc.title) for r in rows]
    return {
        "passage": passage_hit(engine, passage),
        "before": view[max(0, at - window) : at] if window else [],
        "after": view[at + 1 : at + 1 + window],
    }
