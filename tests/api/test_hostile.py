"""Hostile input: each answered 4xx (or 200 where it is a legitimate number), and the
server keeps answering afterwards."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import AppClient, strict_json

JSON = {"content-type": "application/json"}
_GIANT_ROW = "[" + ",".join(["1"] * 1_100_000) + "]"

HOSTILE: list[tuple[str, dict[str, Any], set[int]]] = [
    ("unbalanced", {"json": {"expression": "((x+y)", "values": {"x": 1, "y": 2}}}, {422}),
    ("unbalanced close", {"json": {"expression": "x+y))", "values": {"x": 1, "y": 2}}}, {422}),
    ("empty", {"json": {"expression": "", "values": {}}}, {422}),
    ("blank", {"json": {"expression": " \n\t # only a comment", "values": {}}}, {422}),
    ("dunder name", {"json": {"expression": "__class__ + 1", "values": {}}}, {422}),
    ("__import__", {"json": {"expression": "__import__('os').system('id')", "values": {}}},
     {422}),
    ("dunder value name", {"json": {"expression": "x", "values": {"x": 1, "__proto__": 2}}},
     {200}),
    ("100,000 nested parentheses",
     {"json": {"expression": "(" * 100_000 + "x" + ")" * 100_000, "values": {"x": 1}}},
     {413, 422}),
    ("100,000 nested calls",
     {"json": {"expression": "exp(" * 30_000 + "x" + ")" * 30_000, "values": {"x": 1}}},
     {413, 422}),
    ("9^9^9", {"json": {"expression": "9^9^9", "values": {}}}, {200}),
    ("log(0)", {"json": {"expression": "log(x)", "values": {"x": 0}}}, {200}),
    ("1/0", {"json": {"expression": "1/x", "values": {"x": 0}}}, {200}),
    ("giant tensor", {"content": '{"expression": "sum(W)", "values": {"W": ' + _GIANT_ROW + "}}",
                      "headers": JSON}, {413}),
    ("tensor over the element limit by broadcasting",
     {"json": {"expression": "sum(a*b)", "values": {"a": [[1]] * 1_100, "b": [[1] * 1_100]}}},
     {413}),
    ("ragged tensor", {"json": {"expression": "sum(W)", "values": {"W": [[1, 2], [3]]}}}, {422}),
    ("mixed depth tensor", {"json": {"expression": "sum(W)", "values": {"W": [[1, 2], 3]}}},
     {422}),
    ("deeply nested value",
     {"content": '{"expression": "sum(W)", "values": {"W": ' + "[" * 100_000 + "1"
      + "]" * 100_000 + "}}", "headers": JSON}, {413, 422}),
    ("NaN token", {"content": '{"expression": "x", "values": {"x": NaN}}', "headers": JSON},
     {422}),
    ("Infinity token", {"content": '{"expression": "x", "values": {"x": -Infinity}}',
                        "headers": JSON}, {422}),
    ("NaN as a string", {"json": {"expression": "x", "values": {"x": "NaN"}}}, {422}),
    ("boolean value", {"json": {"expression": "x", "values": {"x": True}}}, {422}),
    ("null value", {"json": {"expression": "x", "values": {"x": None}}}, {422}),
    ("object value", {"json": {"expression": "x", "values": {"x": {"a": 1}}}}, {422}),
    ("string tensor", {"json": {"expression": "sum(x)", "values": {"x": ["1", "2"]}}}, {422}),
    ("huge integer", {"content": '{"expression": "x", "values": {"x": 1' + "0" * 400 + "}}",
                      "headers": JSON}, {422}),
    ("4,400-digit integer", {"content": '{"expression": "x", "values": {"x": 1' + "0" * 4_400
                             + "}}", "headers": JSON}, {422}),
    ("values not an object", {"json": {"expression": "x", "values": [1, 2]}}, {422}),
    ("expression not a string", {"json": {"expression": ["x"], "values": {}}}, {422}),
    ("expand not a boolean", {"json": {"expression": "x", "values": {"x": 1},
                                       "expand": "yes"}}, {422}),
    ("bad seed", {"json": {"expression": "x", "values": {"x": 1}, "seed_grad": "a"}}, {422}),
    ("seed of the wrong shape", {"json": {"expression": "x", "values": {"x": 1},
                                          "seed_grad": [[1, 2]]}}, {422}),
    ("body is a list", {"json": [1, 2, 3]}, {422}),
    ("body is not JSON", {"content": "{not json", "headers": JSON}, {422}),
    ("body is not UTF-8", {"content": b'{"expression": "\xff"}', "headers": JSON}, {422}),
    ("empty body", {"content": b"", "headers": JSON}, {422}),
    ("lone surrogate", {"content": '{"expression": "x\\ud800", "values": {}}',
                        "headers": JSON}, {422}),
    ("NUL in the expression", {"json": {"expression": "x\u0000", "values": {"x": 1}}}, {422}),
    ("10 MB body", {"content": b'{"expression": "' + b"x" * 10_000_000 + b'"}',
                    "headers": JSON}, {413}),
    ("a sum of 100,000 terms",
     {"json": {"expression": "+".join(["x"] * 100_000), "values": {"x": 1}}}, {413}),
    ("HTML in a name", {"json": {"expression": "<script>x</script>", "values": {}}}, {422}),
    ("wrong content type", {"content": "{}", "headers": {"content-type": "text/html"}}, {415}),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_input_is_answered_4xx_and_the_server_goes_on(
        client: AppClient, case: tuple[str, dict[str, Any], set[int]]) -> None:
    _, request, allowed = case
    response = client.post("/api/graph", **request)
    assert response.status_code in allowed, response.text[:300]
    body = strict_json(response.text)
    if response.status_code != 200:
        assert "detail" in body and "Traceback" not in response.text
    assert client.get("/healthz").status_code == 200


def test_hostile_export_too(client: AppClient) -> None:
    for expression in ("((x", "__import__('os')", "(" * 50_000 + "x" + ")" * 50_000):
        response = client.post("/api/export?format=svg",
                               json={"expression": expression, "values": {"x": 1}})
        assert 400 <= response.status_code < 500
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("depth", [33, 64, 65, 100])
@pytest.mark.parametrize("expression", ["x", "sum(x * 2)"])
def test_a_tensor_of_too_many_dimensions_is_refused(client: AppClient, depth: int,
                                                    expression: str) -> None:
    # past 32 dimensions numpy's broadcasting (32) or reshape (64) failed with a 500
    value = "[" * depth + "1" + "]" * depth
    response = client.post("/api/graph", headers=JSON,
                           content=f'{{"expression": "{expression}", "values": {{"x": {value}}}}}')
    assert response.status_code in (413, 422), response.text[:300]
    assert "dimensions" in response.json()["detail"]["message"]


def test_a_tensor_of_32_dimensions_still_works(client: AppClient) -> None:
    value = "[" * 32 + "1" + "]" * 32
    response = client.post("/api/graph", headers=JSON,
                           content=f'{{"expression": "sum(x * 2)", "values": {{"x": {value}}}}}')
    assert response.status_code == 200, response.text[:300]
    assert response.json()["value"] == 2.0


# A lone surrogate is legal in JSON text ("\ud800") but cannot be encoded as UTF-8: echoed
# back in a warning or an error message it made the encoder fail with a 500.
@pytest.mark.parametrize(("path", "body", "status"), [
    ("/api/graph", '{"expression": "x", "values": {"x": 1, "\\ud800": 2}}', 200),
    ("/api/graph", '{"expression": "sum(x)", "values": {"x": [1, 2], "\\udfff": 2}}', 200),
    ("/api/optimize", '{"expression": "x^2", "values": {"x": 1}, "optimize": ["\\ud800"]}', 422),
    ("/api/optimize", '{"expression": "x^2", "values": {"x": 1, "\\ud800": 2}}', 200),
    ("/api/gradcheck", '{"expression": "x^2", "values": {"x": 1}, "inputs": ["\\ud800"]}', 422),
    ("/api/gradcheck", '{"expression": "x^2", "values": {"x": 1, "\\ud800": 2}}', 200),
])
def test_a_lone_surrogate_in_a_name_is_echoed_escaped(client: AppClient, path: str, body: str,
                                                      status: int) -> None:
    response = client.post(path, content=body.encode(), headers=JSON)
    assert response.status_code == status, response.text[:300]
    assert "\\ud" in json.dumps(strict_json(response.text))  # the culprit is named, escaped
