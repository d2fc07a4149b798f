"""The computing routes' own lane: a POST to a row of the handler table goes straight to the
pool, past FastAPI's router.

The rows read their bodies themselves (pool.py), so FastAPI's routing, dependency solving,
Request and exception layers only hand the bytes over; for a small answer (the sigmoid neuron:
about 0.4 ms of work) they cost about a quarter as much again. This lane answers exactly what
the routes in app.py answer (the same pool call, the same Response), and leaves everything else
to FastAPI: other methods (405), other paths (a trailing slash's redirect), a mounted root
path, and the routes' OpenAPI documentation, which app.py still declares.

A pure ASGI middleware inside BodyLimit and HttpContract, so the body limits, the headers of
the HTTP contract and any error shape (an exception here still reaches the app's last-resort
500 handler) are as for every other route.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..lang import accepted_lang
from .encoding import Outcome
from .handlers import HANDLERS
from .pool import ComputePool


def respond(outcome: Outcome) -> Response:
    """The HTTP response carrying an outcome."""
    return Response(outcome.body, outcome.status, headers=outcome.headers,
                    media_type=outcome.media_type)


class ComputeLane:
    """POST /api/graph, /api/export, ... answered by the pool without the router."""

    def __init__(self, app: ASGIApp, pool: ComputePool) -> None:
        self.app = app
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = (HANDLERS.get(scope["path"])
                   if scope["type"] == "http" and scope["method"] == "POST"
                   and not scope.get("root_path") else None)
        if handler is None:
            await self.app(scope, receive, send)
            return
        raw = await _body(receive)
        if raw is None:
            return  # the client went away before sending its body
        headers = _headers(scope)
        # The query as Starlette reads it (latin-1, blank values kept, the last one wins).
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                               keep_blank_values=True))
        outcome = await self.pool.answer(handler, raw, headers.get("content-type"), query,
                                         accepted_lang(headers.get("accept-language")))
        await respond(outcome)(scope, receive, send)


def _headers(scope: Scope) -> Mapping[str, str]:
    """The request's headers by lower-case name, the first of each (as Starlette's .get)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return found


async def _body(receive: Receive) -> bytes | None:
    """The whole body (BodyLimit has read it already and replays it in one message)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
