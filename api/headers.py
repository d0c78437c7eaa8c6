"""Security headers on every HTTP response: a CSP without inline script, no sniffing, no framing, no referrer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# img-src data: for the page's favicon ("data:,") and Swagger UI's icons (data: SVGs in swagger-ui.css).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)
_RAW_HEADERS = tuple((name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` plus each security header they do not set themselves (a route may set a CSP of its own).

    >>> [name for name, _ in with_security_headers([(b"Content-Security-Policy", b"default-src 'none'")])]
    [b'Content-Security-Policy', b'x-content-type-options', b'x-frame-options', b'referrer-policy']
    """
    present = {name.lower() for name, _ in headers}
    return [*headers, *(header for header in _RAW_HEADERS if header[0] not in present)]


class SecurityHeaders:
    """Pure ASGI middleware (no BaseHTTPMiddleware, so streamed responses stay streamed) adding SECURITY_HEADERS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, send_with_headers)
