"""The HTTP service: FastAPI routes over the engine, the page, and `circuitgrad serve`."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Lazy, so a compute worker (api.worker) does not pay for importing FastAPI.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
