"""The FastAPI app: the same operations and JSON as the CLI, plus the web page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.routes import docs, documents, entities, experience, jobs, page, passages, search, stats
from api.routes.jobs import JobRegistry
from api.routes.page import STATIC
from api.routes.state import AppState
from api.settings import Settings
from search.engine import Engine

# One router per resource.
ROUTERS = (stats.router, search.router, experience.router, entities.router, documents.router, passages.router,
           jobs.router, page.router, docs.router)

DESCRIPTION = """基层党建知识图谱与语义检索 API：检索可引用的段落（原文引文、出处、GB/T 7714 参考文献）。

Every error is `{"error": {"code", "message"}}` with a 4xx status for bad input.
Writes (`POST /documents`, `DELETE /documents/{doc_id}`) need `Authorization: Bearer <DJKG_API_TOKEN>`;
without that variable on the server they are disabled. Lists take `limit` (1–100) and `offset`.
"""
TAGS = [
    {"name": "search", "description": "检索：问题 → 段落、引文"},
    {"name": "graph", "description": "知识图谱：做法、措施、问题、地点、指标及其证据"},
    {"name": "documents", "description": "文档：列表、原文上下文、上传入库、删除"},
    {"name": "status", "description": "状态与统计"},
]


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """Build the app around one engine; the model and indexes load once, before the first request."""
    state = AppState(settings, engine or Engine(settings.engine))
    registry = JobRegistry(state)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.warm()
        yield
        registry.close()
        state.close()

    # FastAPI's own /docs and /redoc load their scripts from a CDN and start them inline: routes/docs.py serves
    # Swagger UI from /static instead.
    app = FastAPI(title="djkg", version="0.1.0", description=DESCRIPTION, openapi_tags=TAGS, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.djkg = state
    app.state.jobs = registry
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    return app
