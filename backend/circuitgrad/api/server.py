"""`circuitgrad serve`: uvicorn with uvloop and httptools when present (the `standard`
extra), one or more worker processes, graceful shutdown on SIGTERM."""

from __future__ import annotations

import math
import os
import signal
from types import FrameType

import uvicorn

from ..settings import Settings

SHUTDOWN_MARGIN_SECONDS = 5.0


def default_workers() -> int:
    """$WEB_CONCURRENCY, else 1."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    return max(1, int(raw)) if raw.isdigit() else 1


def graceful_shutdown_seconds(settings: Settings) -> int:
    """Long enough for the slowest legitimate request: a full queue wait, then its budget."""
    longest = settings.max_queue_seconds + settings.request_cpu_seconds
    return math.ceil(longest + SHUTDOWN_MARGIN_SECONDS)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    # uvicorn finishes its graceful shutdown, restores the previous handler and re-raises the
    # signal into it; exiting 0 here tells an orchestrator the stop was clean (not 143).
    raise SystemExit(0)


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          reload: bool = False) -> None:
    """Run the app until SIGINT/SIGTERM; in-flight requests get time to finish, then exit 0."""
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        "circuitgrad.api.app:create_app", factory=True,  # an import string, for workers/reload
        host=host, port=port, workers=None if reload else (workers or default_workers()),
        reload=reload, loop="auto", http="auto", lifespan="on",
        server_header=False, proxy_headers=False,
        timeout_graceful_shutdown=graceful_shutdown_seconds(Settings.from_env()),
    )
