"""GET /experience: comparable experience for a problem, the same JSON as `djkg experience --json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.errors import responses
from api.routes.deps import StateDep
from api.routes.search import MAX_PLACE_CHARS, NO_CONTROL
from api.schemas import ExperienceOut
from search.engine import MAX_K, MAX_QUERY_CHARS

router = APIRouter(tags=["search"])
PLACE = Query(max_length=MAX_PLACE_CHARS, pattern=NO_CONTROL, examples=["颍上县"])


@router.get("/experience", response_model=ExperienceOut, responses=responses(422))
def experience(
    state: StateDep,
    problem: Annotated[str, Query(description="问题，用平常的话说", max_length=MAX_QUERY_CHARS,
                                  examples=["我们这里村集体经济薄弱，别的地方是怎么做的？"])],
    k: Annotated[int, Query(ge=1, le=MAX_K, description="number of results, 1–100")] = 10,
    place: Annotated[str | None, PLACE] = None,
    exclude_place: Annotated[str | None, PLACE] = None,
    explain: Annotated[bool, Query(description="add each result's score features (relevance, routes, role, "
                                               "outcomes, reports, generic, redundancy)")] = False,
) -> dict:
    """What other places did about a problem: practices and measures with places, outcomes and evidence."""
    with state.gate:
        return state.engine.experience(problem, k=k, place=place or None, exclude_place=exclude_place or None,
                                       explain=explain).to_json()
