"""Two small pure-ASGI middlewares: the HTTP contract every answer keeps, and the request body
limits (size and time).

Pure ASGI rather than BaseHTTPMiddleware: no extra task per request, and the body limit can
answer 413 before the application sees a byte (uvicorn itself has no body limit).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..lang import Lang, accepted_lang
from .encoding import Outcome, worded_outcome

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN with inline scripts.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_PAGE_HEADERS = [*_COMMON, (b"content-security-policy", PAGE_CSP.encode())]
_DOCS_HEADERS = [*_COMMON, (b"content-security-policy", DOCS_CSP.encode())]


class HttpContract:
    """What every answer keeps, whichever route made it: the CSP and the usual hardening
    headers; HEAD answered wherever GET is (the GET's headers, no body); redirects relative,
    so that a forged Host header never sends a browser elsewhere."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = _DOCS_HEADERS if path.startswith(DOCS_PATHS) else _PAGE_HEADERS
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, _relative(value) if name == b"location" else value)
                           for name, value in message.get("headers", ())]
                message = {**message, "headers": [*headers, *extra]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _relative(location: bytes) -> bytes:
    """An absolute URL reduced to its path and query (a relative reference, RFC 9110)."""
    parts = urlsplit(location.decode("latin-1"))
    if not parts.scheme and not parts.netloc:
        return location
    relative = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # "//evil.example" would be read as a host again: never begin with two slashes
    return ("/" + relative.lstrip("/")).encode("latin-1")


class BodyLimit:
    """Reads the whole request body up front, up to `max_bytes` and within `timeout` seconds,
    then replays it.

    Over the size limit, the answer is 413 and the app never runs, so nothing downstream can
    be made to buffer an unbounded body. The rest of an oversized body is read and dropped
    (up to `drain_bytes`, a bounded cost) before answering: a client still busy sending
    would otherwise see its connection reset instead of the 413. A body that trickles in
    slower than the timeout is answered 408 and its connection closed."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float,
                 drain_bytes: int = 32_000_000) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.drain_bytes = max(drain_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: int | None = None
        accept_language: str | None = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = int(value) if value.isdigit() else -1
            elif name == b"accept-language":
                accept_language = value.decode("latin-1")
        lang = accepted_lang(accept_language)
        if declared is not None and (declared < 0 or declared > self.drain_bytes):
            await _refuse(send, self._too_large(lang))  # not worth reading: it closes
            return
        try:
            async with asyncio.timeout(self.timeout):
                read = await self._read(receive)
        except TimeoutError:
            await _refuse(send, worded_outcome(
                408, "RequestTimeout", "body_timeout", {"seconds": self.timeout}, lang))
            return
        if read is None:
            return  # the client went away before sending its body
        body, size = read
        if size > self.max_bytes:
            await _refuse(send, self._too_large(lang))
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the disconnect, as usual

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> tuple[bytes, int] | None:
        """The body and its size (over max_bytes: nothing kept), or None on a disconnect."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_bytes:
                chunks.append(chunk)
            elif size > self.drain_bytes:
                break
            else:
                chunks.clear()  # over the limit: keep reading, keep nothing
            if not message.get("more_body", False):
                break
        return b"".join(chunks), size

    def _too_large(self, lang: Lang) -> Outcome:
        return worded_outcome(413, "LimitError", "body_bytes", {"limit": self.max_bytes}, lang)


async def _refuse(send: Send, outcome: Outcome) -> None:
    """Answer without running the app, and close the connection (its body is unread)."""
    await send({"type": "http.response.start", "status": outcome.status,
                "headers": [(b"content-type", outcome.media_type.encode()),
                            (b"content-length", str(len(outcome.body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": outcome.body})
