"""GET /: the web page (its scripts and styles are served from /static, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parents[1] / "static"
router = APIRouter()


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    """The web page (no-cache, so an upgraded server is picked up at once)."""
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})
