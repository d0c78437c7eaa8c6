"""The one place that maps exceptions to HTTP status codes and the error body of DESIGN.md."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.headers import SECURITY_HEADERS
from api.schemas import ErrorOut
from kg.errors import ModelMismatchError
from search.errors import NotFoundError, QueryError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "bad_request",
}
_WHY = {
    401: "no bearer token",
    403: "writes disabled or wrong token",
    404: "unknown id",
    413: "upload larger than DJKG_MAX_UPLOAD_MB",
    415: "unsupported content type or file type",
    422: "invalid query or parameters",
}


def error_body(code: str, message: str) -> dict:
    """The one error body of DESIGN.md."""
    return {"error": {"code": code, "message": message}}


def responses(*statuses: int) -> dict:
    """OpenAPI entries documenting the error body for these statuses."""
    return {s: {"model": ErrorOut, "description": _WHY.get(s, CODES.get(s, "error"))} for s in statuses}


ERROR_RESPONSES = responses(404, 422)


def malformed_request(reason: str) -> dict:
    """The error body for bytes that do not parse as HTTP/1.1 (answered by the server, before the app)."""
    return error_body(CODES[400], f"malformed HTTP request ({reason}); send a request line such as "
                      "'GET /search?q=党建&k=5 HTTP/1.1', then headers, then an empty line")


def not_found(kind: str, key: str) -> HTTPException:
    """404 naming what was looked up and where valid ids come from."""
    hints = {"document": "GET /documents lists them", "passage": "search hits carry them",
             "job": "POST /documents returns one"}
    return HTTPException(404, f"no {kind} {key!r}; {hints.get(kind, 'check the id')}")


def _location(loc: tuple) -> str:
    return ".".join(str(x) for x in loc if x not in ("query", "body", "path", "header"))


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as {"error": {"code", "message"}} with a 4xx status for bad input."""

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse(error_body("not_found", str(exc)), status_code=404)

    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse(error_body("bad_query", str(exc)), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_params(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{_location(err.get('loc', ())) or 'request'}: {err.get('msg', 'invalid')}" for err in exc.errors()]
        return JSONResponse(error_body("bad_request", "; ".join(parts) or "invalid request"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(CODES.get(exc.status_code, "error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(ModelMismatchError)
    async def wrong_model(_: Request, exc: ModelMismatchError) -> JSONResponse:
        return JSONResponse(error_body("model_mismatch", str(exc)), status_code=409)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        # Starlette sends this one from outside the user middleware, so it carries the security headers itself.
        return JSONResponse(error_body("internal", f"internal error ({type(exc).__name__}); this is a bug"), 500,
                            headers=dict(SECURITY_HEADERS))
