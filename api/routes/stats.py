"""GET /health and GET /stats."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes.deps import EngineDep
from api.schemas import HealthOut, StatsOut

router = APIRouter(tags=["status"])


@router.get("/health", response_model=HealthOut)
def health() -> dict:
    """200 once the model and indexes are loaded and the server answers searches."""
    return {"status": "ok"}


@router.get("/stats", response_model=StatsOut)
def stats(engine: EngineDep) -> dict:
    """Counts of documents, passages, entities and relations, and the embedding model."""
    return engine.stats()
