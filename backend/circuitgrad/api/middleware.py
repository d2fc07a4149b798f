"""Two small pure-ASGI middlewares: a request-body limit and the security headers.

Pure ASGI rather than BaseHTTPMiddleware: no extra task per request, and the body limit can
answer 413 before the application sees a byte (uvicorn itself has no body limit).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .encoding import error_outcome

PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
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


class SecurityHeaders:
    """Adds the CSP and the usual hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = _DOCS_HEADERS if path.startswith(DOCS_PATHS) else _PAGE_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Reads the whole request body up front, up to `max_bytes`, then replays it.

    Over the limit, the answer is 413 and the app never runs, so nothing downstream can be
    made to buffer an unbounded body. The rest of an oversized body is read and dropped
    (up to `drain_bytes`, a bounded cost) before answering: a client still busy sending
    would otherwise see its connection reset instead of the 413."""

    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int = 32_000_000) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = max(drain_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: int | None = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = int(value) if value.isdigit() else -1
                break
        if declared is not None and (declared < 0 or declared > self.drain_bytes):
            await self._refuse(send)  # not worth reading: refuse, the connection closes
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
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
        if size > self.max_bytes:
            await self._refuse(send)
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # later calls wait for the disconnect, as usual

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        outcome = error_outcome(
            413, "LimitError",
            f"the request body is larger than the limit of {self.max_bytes:,} bytes")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(outcome.body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": outcome.body})
