"""`circuitgrad serve`: uvicorn with uvloop and httptools when present (the `standard`
extra), one or more worker processes, graceful shutdown on SIGTERM."""

from __future__ import annotations

import os

import uvicorn


def default_workers() -> int:
    """$WEB_CONCURRENCY, else 1."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    return max(1, int(raw)) if raw.isdigit() else 1


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          reload: bool = False) -> None:
    """Run the app until SIGINT/SIGTERM; in-flight requests get up to 10 s to finish."""
    uvicorn.run(
        "circuitgrad.api.app:create_app", factory=True,  # an import string, for workers/reload
        host=host, port=port, workers=None if reload else (workers or default_workers()),
        reload=reload, loop="auto", http="auto", lifespan="on",
        server_header=False, proxy_headers=False, timeout_graceful_shutdown=10,
    )
