"""`circuitgrad serve`: uvicorn with uvloop and httptools (the `standard` extra), one or more
worker processes, graceful shutdown on SIGTERM, and every connection bounded.

uvicorn bounds the idle time between requests (`timeout_keep_alive`); its h11 protocol bounds
the header size (`h11_max_incomplete_event_size`) but its httptools protocol, the fast one,
bounds nothing: a 100 MB header is read and answered, and a connection that never finishes
its headers stays open for ever. `BoundedHttpToolsProtocol` adds what is missing: a header
size limit (431), a time limit to receive the headers, and a connection cap. The reverse
proxy in front (deploy/nginx.conf) bounds the same things again, closer to the client.
"""

from __future__ import annotations

import asyncio
import functools
import math
import os
import signal
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..settings import Settings
from .encoding import error_outcome
from .handlers import longest_budget

SHUTDOWN_MARGIN_SECONDS = 5.0


@functools.cache
def _settings() -> Settings:
    # Read once per server process: uvicorn creates the protocol itself, per connection.
    return Settings.from_env()


class _HeadersRefused(Exception):
    """Raised from a parser callback to stop parsing a request already answered 431."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header size limit, a header time limit and a cap
    on open connections, from the settings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _settings()
        self.max_header_bytes = settings.max_header_bytes
        self.header_timeout = settings.header_timeout_seconds
        self.max_connections = settings.max_connections
        self.in_headers = True  # until the first request's headers are complete
        self.header_bytes = 0
        self.header_timer: asyncio.TimerHandle | None = None
        self.refused = False  # answered 431: nothing more is said on this connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            # NOTE: closed at once, before a byte is read: an idle connection would hold a
            # file descriptor until its header time-out, and enough of them exhaust them all.
            self.logger.warning("over %d open connections: one closed", self.max_connections)
            transport.close()
            return
        self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        counting = self.in_headers
        super().data_received(data)
        # Only a chunk that began and ended inside the headers counts: the bound is off by at
        # most one read, and a pipelined request's body never counts as headers.
        if counting and self.in_headers and not self.transport.is_closing():
            self.header_bytes += len(data)
            if self.header_bytes > self.max_header_bytes:
                self._refuse_headers()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_headers = True
        self.header_bytes = 0
        self._start_header_timer()

    def on_headers_complete(self) -> None:
        self.in_headers = False
        self._stop_header_timer()
        # Headers that came in one read were never counted above: count them now, exactly.
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self.max_header_bytes:
            self._refuse_headers()
            raise _HeadersRefused  # stops the parser (uvicorn's own 400 is skipped, below)
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if not self.refused:
            super().send_400_response(msg)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Unless a pipelined request is under way, the next bytes begin new headers (the
        # keep-alive time-out runs until they come).
        self.in_headers = self.cycle is None or self.cycle.response_complete
        self.header_bytes = 0

    def _start_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _stop_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_late(self) -> None:
        self.header_timer = None
        if self.in_headers and not self.transport.is_closing():
            self.transport.close()

    def _refuse_headers(self) -> None:
        self.refused = True
        outcome = error_outcome(
            431, "LimitError", "header_bytes",
            f"the request line and headers are larger than {self.max_header_bytes:,} bytes "
            "(CIRCUITGRAD_MAX_HEADER_BYTES)", {"limit": self.max_header_bytes})
        head = (f"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                f"content-type: {outcome.media_type}\r\n"
                f"content-length: {len(outcome.body)}\r\nconnection: close\r\n\r\n")
        self.transport.write(head.encode("ascii") + outcome.body)
        self.transport.close()


def default_workers() -> int:
    """$WEB_CONCURRENCY, else 1."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    return max(1, int(raw)) if raw.isdigit() else 1


def graceful_shutdown_seconds(settings: Settings) -> int:
    """Long enough for the slowest legitimate request: a full queue wait, then its budget."""
    longest = settings.max_queue_seconds + longest_budget(settings)
    return math.ceil(longest + SHUTDOWN_MARGIN_SECONDS)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    # uvicorn finishes its graceful shutdown, restores the previous handler and re-raises the
    # signal into it; exiting 0 here tells an orchestrator the stop was clean (not 143).
    raise SystemExit(0)


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          reload: bool = False) -> None:
    """Run the app until SIGINT/SIGTERM; in-flight requests get time to finish, then exit 0."""
    settings = Settings.from_env()
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        "circuitgrad.api.app:create_app", factory=True,  # an import string, for workers/reload
        host=host, port=port, workers=None if reload else (workers or default_workers()),
        reload=reload, loop="auto", lifespan="on",
        http="circuitgrad.api.server:BoundedHttpToolsProtocol",
        timeout_keep_alive=settings.keep_alive_seconds,
        server_header=False, proxy_headers=False,
        timeout_graceful_shutdown=graceful_shutdown_seconds(settings),
    )
