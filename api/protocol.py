"""HTTP/1.1 for `djkg serve`: uvicorn's httptools protocol, taking raw UTF-8 in the request line, JSON 400s."""

from __future__ import annotations

import json
import re
import sys

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api.errors import malformed_request
from api.headers import with_security_headers

# Longest request line held back while waiting for its end (h11's limit for a whole head is 16 KiB).
MAX_REQUEST_LINE_BYTES = 64 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def quote_request_line(line: bytes) -> bytes:
    """Percent-encode the bytes ≥ 0x80 of a request line, as a browser does before it sends the URL.

    curl sends `?q=为民服务` as raw UTF-8, which llhttp (and h11) refuse in a request target (RFC 9112 §3.2).

    >>> quote_request_line("GET /search?q=为民 HTTP/1.1".encode())
    b'GET /search?q=%E4%B8%BA%E6%B0%91 HTTP/1.1'
    """
    return _NON_ASCII.sub(lambda match: b"%%%02X" % match.group()[0], line)


class HttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that percent-encodes raw UTF-8 in each request line and answers garbage with the error body.

    The request line is rewritten only when it is the first thing in a read: a pipelined request that follows
    another in the same read reaches the parser as sent (and, with raw UTF-8, gets the JSON 400).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.between_messages = True
        self.pending_line = b""

    def data_received(self, data: bytes) -> None:
        if not self.between_messages:
            super().data_received(data)
            return
        head = self.pending_line + data
        start = len(head) - len(head.lstrip(b"\r\n"))
        end = head.find(b"\n", start)
        if end < 0 and len(head) < MAX_REQUEST_LINE_BYTES:
            self.pending_line = head
            return
        self.pending_line = b""
        end = len(head) if end < 0 else end
        super().data_received(head[:start] + quote_request_line(head[start:end]) + head[end:])

    def on_message_begin(self) -> None:
        self.between_messages = False
        super().on_message_begin()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.between_messages = True

    def send_400_response(self, msg: str) -> None:
        # uvicorn calls this inside its `except httptools.HttpParserError`, so the parser's reason is at hand.
        reason = str(sys.exception() or msg)
        body = json.dumps(malformed_request(reason), ensure_ascii=False).encode()
        headers = [*self.server_state.default_headers,
                   (b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode("ascii")),
                   (b"connection", b"close")]
        lines = [name + b": " + value + b"\r\n" for name, value in with_security_headers(headers)]
        self.transport.write(b"".join([STATUS_LINE[400], *lines, b"\r\n", body]))
        self.transport.close()
