"""Review regressions: tensors of more than 32 dimensions answered 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import post_raw


@pytest.mark.parametrize("depth", [33, 64, 65, 100])
@pytest.mark.parametrize("expression", ["x", "sum(x * 2)"])
def test_tensor_with_too_many_dimensions_is_refused(client: TestClient, depth: int,
                                                    expression: str) -> None:
    value = "[" * depth + "1" + "]" * depth
    code, answer = post_raw(client, "/api/graph",
                         f'{{"expression": "{expression}", "values": {{"x": {value}}}}}')
    assert code in (413, 422), answer
    assert "dimensions" in answer["detail"]["message"]


def test_tensor_with_32_dimensions_still_works(client: TestClient) -> None:
    value = "[" * 32 + "1" + "]" * 32
    code, answer = post_raw(client, "/api/graph",
                         f'{{"expression": "sum(x * 2)", "values": {{"x": {value}}}}}')
    assert code == 200, answer
    assert answer["value"] == 2.0
