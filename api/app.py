"""The FastAPI app: the same operations and JSON as the CLI, plus the web page."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse

from api.errors import install_error_handlers
from api.settings import Settings
from search.engine import MAX_K, MAX_QUERY_CHARS, Engine

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """Build the app around one engine; the model loads once, at start-up."""
    app = FastAPI(
        title="djkg", description='基层党建知识图谱与语义检索 API. Errors are {"error": {"code", "message"}}.'
    )
    engine = engine or Engine(settings.engine)
    lock = threading.Lock()
    install_error_handlers(app)

    @app.on_event("startup")
    def warm() -> None:
        if engine.store.counts()["passages"]:
            engine.vectors.ready()
            engine.tokenizer.tokens("预热")

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/search")
    def search(
        q: Annotated[str, Query(description="问题或关键词，例如 三会一课流于形式", max_length=MAX_QUERY_CHARS)],
        k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
        place: Annotated[str | None, Query(max_length=50, description="地名，例如 上海市")] = None,
        role: Annotated[str | None, Query(description="practice / problem / plan / background / other")] = None,
    ) -> dict:
        with lock:
            return engine.search(q, k=k, place=place, role=role).to_json()

    @app.get("/stats")
    def stats() -> dict:
        return engine.stats()

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
