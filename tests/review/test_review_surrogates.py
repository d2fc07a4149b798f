"""Review regressions: a lone surrogate in a name the client sent answered 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from .conftest import post_raw


# A lone surrogate is legal in JSON text ("\ud800") but cannot be encoded as UTF-8: echoed
# back in a warning or an error message it made the encoder fail.
@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/graph", '{"expression": "x", "values": {"x": 1, "\\ud800": 2}}', 200),
    ("/api/graph", '{"expression": "sum(x)", "values": {"x": [1, 2], "\\udfff": 2}}', 200),
    ("/api/optimize", '{"expression": "x^2", "values": {"x": 1}, "optimize": ["\\ud800"]}', 422),
    ("/api/optimize", '{"expression": "x^2", "values": {"x": 1, "\\ud800": 2}}', 200),
    ("/api/gradcheck", '{"expression": "x^2", "values": {"x": 1}, "inputs": ["\\ud800"]}', 422),
    ("/api/gradcheck", '{"expression": "x^2", "values": {"x": 1, "\\ud800": 2}}', 200),
])
def test_lone_surrogate_in_a_name_is_echoed_not_a_500(client: TestClient, path: str, body: str,
                                                      status: int) -> None:
    code, answer = post_raw(client, path, body)
    assert code == status, answer
    assert "\\ud" in json.dumps(answer)  # the culprit is still named, escaped
