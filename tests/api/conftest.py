"""Fixtures: the app with its worker processes, driven in-process through httpx.

`AppClient` is a small synchronous face over `httpx.AsyncClient(transport=ASGITransport)`
run in an anyio blocking portal, with the app's lifespan entered (so its compute workers
start and stop as in a server). Starlette's TestClient would do the same, but it now warns
about httpx, and warnings are errors here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from circuitgrad.api import create_app
from circuitgrad.settings import Settings

SIGMOID = {"expression": "sigmoid(w0*x0 + w1*x1 + w2)",
           "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}}


def strict_json(text: str) -> Any:
    """Parse refusing the non-standard NaN/Infinity tokens that json.loads accepts."""

    def refuse(token: str) -> Any:
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


class AppClient:
    """Synchronous requests to an ASGI app, lifespan included."""

    def __init__(self, app: FastAPI, portal: BlockingPortal, raise_app_exceptions: bool
                 ) -> None:
        self.app = app
        self.portal = portal
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                         timeout=60)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.portal.call(
            lambda: self._client.request(method, url, **kwargs))
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@contextlib.contextmanager
def app_client(app: FastAPI | None = None, *, raise_app_exceptions: bool = True,
               **overrides: Any) -> Iterator[AppClient]:
    """An AppClient of `app`, or of a new app with these settings changed."""
    app = app or create_app(Settings(**overrides))
    with start_blocking_portal() as portal:
        lifespan = portal.wrap_async_context_manager(app.router.lifespan_context(app))
        with lifespan:
            client = AppClient(app, portal, raise_app_exceptions)
            try:
                yield client
            finally:
                portal.call(client._client.aclose)


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    """A client of an app with default settings, its workers running."""
    with app_client() as test_client:
        yield test_client
