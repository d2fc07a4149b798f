"""Review regressions: tensors of more than 32 dimensions answered 500."""

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


@pytest.mark.parametrize("depth", [33, 64, 65, 100])
@pytest.mark.parametrize("expression", ["x", "sum(x * 2)"])
def test_tensor_with_too_many_dimensions_is_refused(client: TestClient, depth: int,
                                                    expression: str) -> None:
    value = "[" * depth + "1" + "]" * depth
    code, answer = _post(client, "/api/graph",
                         f'{{"expression": "{expression}", "values": {{"x": {value}}}}}')
    assert code in (413, 422), answer
    assert "dimensions" in answer["detail"]["message"]


def test_tensor_with_32_dimensions_still_works(client: TestClient) -> None:
    value = "[" * 32 + "1" + "]" * 32
    code, answer = _post(client, "/api/graph",
                         f'{{"expression": "sum(x * 2)", "values": {{"x": {value}}}}}')
    assert code == 200, answer
    assert answer["value"] == 2.0
