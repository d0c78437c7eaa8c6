"""GET /entities, /entities/{id}, /entities/{id}/neighbors: the knowledge graph with its evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.errors import responses
from api.routes.deps import EngineDep, PageDep
from api.schemas import EntityDetail, EntityPage, NeighborOut

ENTITY_TYPE_NAMES = Literal["practice", "measure", "problem", "place", "indicator", "organization"]
ENTITY_ID = Path(max_length=300, description="entity id `type:name`", examples=["problem:集体经济薄弱"])
router = APIRouter(tags=["graph"])


@router.get("/entities", response_model=EntityPage, responses=responses(422))
def entities(engine: EngineDep, page: PageDep,
             type: Annotated[ENTITY_TYPE_NAMES | None, Query(description="entity type", examples=["practice"])] = None
             ) -> dict:
    """Entities, most documented first, with aliases, counts and the places they were applied in."""
    items = engine.entities(type)
    return {"total": len(items), "limit": page.limit, "offset": page.offset,
            "items": [e.to_json() for e in page.slice(items)]}


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=responses(404, 422))
def entity(engine: EngineDep, entity_id: Annotated[str, ENTITY_ID]) -> dict:
    """One entity with evidence quotes (citable hits) and its neighbours."""
    return engine.entity(entity_id).to_json()


@router.get("/entities/{entity_id}/neighbors", response_model=list[NeighborOut], responses=responses(404, 422))
def neighbors(engine: EngineDep, entity_id: Annotated[str, ENTITY_ID]) -> list[dict]:
    """Entities related to this one, strongest first, each relation backed by passage ids."""
    return [n.to_json() for n in engine.neighbors(entity_id)]
