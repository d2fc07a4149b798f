"""Review regressions: a seed_grad of the wrong shape ignored for a constant output."""

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


def _post(client: TestClient, path: str, body: str) -> tuple[int, Any]:
    response = client.post(path, content=body.encode(), headers=JSON)
    return response.status_code, json.loads(response.text)


def test_seed_grad_of_the_wrong_shape_is_refused_for_a_constant_output(
        client: TestClient) -> None:
    response = client.post("/api/graph", json={"expression": "3", "values": {},
                                               "seed_grad": [1, 2]})
    assert response.status_code == 422, response.text
    assert "seed_grad" in response.json()["detail"]["message"]
