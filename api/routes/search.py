"""GET /search: hybrid passage search, the same JSON as `djkg search --json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.errors import responses
from api.routes.deps import StateDep
from api.schemas import ROLE_NAMES, SearchOut
from search.engine import MAX_K, MAX_QUERY_CHARS

MAX_PLACE_CHARS = 50
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses=responses(422))
def search(
    state: StateDep,
    q: Annotated[str, Query(description="问题或关键词", max_length=MAX_QUERY_CHARS,
                            examples=["组织生活流于形式", "如何整顿软弱涣散的村党组织"])],
    k: Annotated[int, Query(ge=1, le=MAX_K, description="number of hits, 1–100")] = 10,
    place: Annotated[str | None, Query(max_length=MAX_PLACE_CHARS, pattern=NO_CONTROL, examples=["上海市"],
                                       description="地名，例如 上海市")] = None,
    role: Annotated[ROLE_NAMES | None, Query(description="only sections of this role", examples=["problem"])] = None,
) -> dict:
    """Passages answering a question, each with its exact quote and a ready-made citation."""
    return state.search(q, k, place or None, role)
