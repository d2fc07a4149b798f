"""Shared by the review regressions: one in-process client of the real app."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from circuitgrad.api import create_app
from circuitgrad.settings import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def post_raw(client: TestClient, path: str, body: str) -> tuple[int, Any]:
    """POST a body exactly as written (it may hold escapes json.dumps would not write)."""
    response = client.post(path, content=body.encode(), headers=JSON)
    return response.status_code, json.loads(response.text)
