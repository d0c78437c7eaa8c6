"""Reading a POST /documents body: JSON text or a multipart file, never more than the configured size."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.routes.jobs import Upload
from api.schemas import DocumentMeta, DocumentText
from ingest.read import SUPPORTED

SUFFIXES = SUPPORTED
JSON_TYPE = "application/json"
FORM_TYPE = "multipart/form-data"



def inline_schema(model: type[BaseModel]) -> dict:
    """A model's JSON schema with its $defs put in place, to embed in an OpenAPI request body."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


REQUEST_BODY = {
    "required": True,
    "content": {
        JSON_TYPE: {"schema": inline_schema(DocumentText)},
        FORM_TYPE: {
            "schema": {
                "type": "object",
                "required": ["file"],
                "additionalProperties": False,
                "properties": {
                    "file": {"type": "string", "format": "binary",
                             "description": f"a report: {' '.join(SUFFIXES)}"},
                    "meta": {"type": "string", "description": 'JSON metadata, e.g. {"author": "李明"}'},
                },
            }
        },
    },
}


async def read_upload(request: Request, max_bytes: int) -> Upload:
    """The upload in a request body, or an HTTPException / RequestValidationError saying what to fix."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in (JSON_TYPE, FORM_TYPE):
        raise HTTPException(415, f"send {JSON_TYPE} ({{\"text\": …}}) or {FORM_TYPE} (a file field), not {media!r}")
    body = await _limited_body(request, max_bytes)
    if media == JSON_TYPE:
        return _json_upload(body)
    return await _form_upload(request, body)


async def _limited_body(request: Request, max_bytes: int) -> bytes:
    too_large = HTTPException(413, f"upload larger than the limit of {max_bytes / 1024 / 1024:g} MB "
                                   "(DJKG_MAX_UPLOAD_MB on the server)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _json_upload(body: bytes) -> Upload:
    try:
        doc = DocumentText.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc)) from None
    if not doc.text.strip():
        raise RequestValidationError([{"loc": ("body", "text"), "msg": "text is blank"}])
    return Upload(name=_file_name(doc.name, suffix_required=False), text=doc.text, meta=_meta(doc.meta))


async def _form_upload(request: Request, body: bytes) -> Upload:
    async def replay() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=5)
    except StarletteHTTPException as exc:  # Starlette says 400 for a malformed form; every bad body here is a 422
        raise RequestValidationError([{"loc": ("body",), "msg": str(exc.detail)}]) from None
    try:
        file, meta = form.get("file"), form.get("meta")
        if file is None or isinstance(file, str):
            raise RequestValidationError([{"loc": ("body", "file"), "msg": "a file field named 'file' is required"}])
        data = await file.read()
    finally:
        await form.close()
    try:
        parsed = DocumentMeta.model_validate_json(meta) if isinstance(meta, str) and meta.strip() else DocumentMeta()
    except ValidationError as exc:
        raise RequestValidationError(_errors(exc, "meta")) from None
    if not data:
        raise RequestValidationError([{"loc": ("body", "file"), "msg": "the file is empty"}])
    return Upload(name=_file_name(file.filename or "", suffix_required=True), data=data, meta=_meta(parsed))


MAX_NAME_CHARS = 200


def _file_name(name: str, suffix_required: bool) -> str:
    """The last part of a client's file name, checked; the stored path becomes upload/NAME."""
    clean = _shortened("".join(ch for ch in PurePath(name.replace("\\", "/")).name if ch.isprintable()).strip())
    if not clean or clean in (".", ".."):
        raise RequestValidationError([{"loc": ("body", "name"), "msg": "give the file a name, e.g. 调研报告.txt"}])
    if suffix_required and PurePath(clean).suffix.lower() not in SUFFIXES:
        raise HTTPException(415, f"cannot read {clean!r}: upload one of {', '.join(SUFFIXES)}")
    return clean


def _shortened(name: str, limit: int = MAX_NAME_CHARS) -> str:
    """A name cut to `limit` characters before its suffix, which it keeps.

    >>> _shortened("报告" * 150 + ".txt", 20)
    '报告报告报告报告报告报告报告报告.txt'
    """
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    return name[: limit - len(suffix)].rstrip() + suffix


def _meta(meta: DocumentMeta) -> dict:
    return {k: v for k, v in meta.model_dump().items() if v}


def _errors(exc: ValidationError, prefix: str = "") -> list[dict]:
    return [{"loc": ("body", prefix, *e["loc"]) if prefix else ("body", *e["loc"]), "msg": e["msg"]}
            for e in exc.errors(include_url=False)]
