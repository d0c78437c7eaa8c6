"""Dependencies shared by the routes: app state, the reader engine, write access and pagination."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.routes.state import AppState
from search.engine import Engine

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000

bearer = HTTPBearer(auto_error=False, description="the token set in DJKG_API_TOKEN on the server")


async def get_state(request: Request) -> AppState:
    """The state shared by all requests (set by create_app)."""
    return request.app.state.djkg


async def get_engine(request: Request) -> Engine:
    """The reader engine, for reads that touch only the store (no model, no vector index)."""
    return request.app.state.djkg.engine


StateDep = Annotated[AppState, Depends(get_state)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def require_token(
    state: StateDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Writes need `Authorization: Bearer <DJKG_API_TOKEN>`; without that variable they are disabled."""
    token = state.settings.api_token
    if not token:
        raise HTTPException(403, "writes are disabled on this server: start it with DJKG_API_TOKEN set")
    if credentials is None:
        raise HTTPException(
            401, "missing token: send the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not secrets.compare_digest(credentials.credentials.encode("utf-8"), token.encode("utf-8")):
        raise HTTPException(403, "wrong token: use the value of DJKG_API_TOKEN set on the server")


WriteAccess = Depends(require_token)


@dataclass(frozen=True)
class Pagination:
    """`limit` and `offset` of a list request, checked."""

    limit: int
    offset: int

    def slice(self, items: list) -> list:
        """This page of `items`."""
        return items[self.offset : self.offset + self.limit]


def paginate(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page, 1–100")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> Pagination:
    """The pagination query parameters; out-of-range values are a 422."""
    return Pagination(limit, offset)


PageDep = Annotated[Pagination, Depends(paginate)]
