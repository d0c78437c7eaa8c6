"""GET /docs: Swagger UI over /openapi.json, from files in /static (swagger-ui-dist), so the docs work offline."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.routes.page import STATIC

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def docs() -> FileResponse:
    """The API docs page; its script and styles are same-origin files, so the app-wide CSP holds here too."""
    return FileResponse(STATIC / "docs.html", headers={"Cache-Control": "no-cache"})
