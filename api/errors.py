"""The one place that maps exceptions to HTTP status codes and the error body of DESIGN.md."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import ModelMismatchError
from search.errors import QueryError


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as {"error": {"code", "message"}} with a 4xx status for bad input."""

    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse(error_body("bad_request", str(exc)), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_params(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return JSONResponse(error_body("bad_request", "; ".join(parts) or "invalid request"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        return JSONResponse(
            error_body(codes.get(exc.status_code, "error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(ModelMismatchError)
    async def wrong_model(_: Request, exc: ModelMismatchError) -> JSONResponse:
        return JSONResponse(error_body("model_mismatch", str(exc)), status_code=409)
