"""POST /api/inputs: the inputs an expression needs; its defaults always evaluate in /api/graph.

The oracle is the server itself: whatever /api/inputs answers 200 with, POSTing the defaults
to /api/graph must answer 200 too, for every built-in example and many random programs.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from circuitgrad.api.examples import EXAMPLES

from .conftest import AppClient


def inputs(client: AppClient, expression: str, **extra: Any) -> Any:
    response = client.post("/api/inputs", json={"expression": expression, **extra})
    assert response.status_code == 200, response.text
    return response.json()["inputs"]


def graph_of_defaults(client: AppClient, expression: str, expand: bool = False) -> int:
    values = {entry["name"]: entry["default"] for entry in inputs(client, expression)}
    response = client.post("/api/graph", json={"expression": expression, "values": values,
                                               "expand": expand})
    return response.status_code


def test_sum_of_w_at_x_typed_from_scratch(client: AppClient) -> None:
    entries = inputs(client, "sum(W@x)")
    assert [(e["name"], e["shape"], e["labels"]) for e in entries] == [
        ("W", [None, None], False), ("x", [None], False)]
    w, x = (entry["default"] for entry in entries)
    assert len(w[0]) == len(x)
    assert graph_of_defaults(client, "sum(W@x)") == 200


def test_given_shapes_are_kept_where_they_fit(client: AppClient) -> None:
    w, x = inputs(client, "sum(W @ x)", shapes={"W": [3, 2], "x": [3]})
    assert (w["fits"], x["fits"], x["shape"]) == (True, False, [2])
    assert len(x["default"]) == 2
    w, x = inputs(client, "sum(W @ x)")
    assert w["fits"] is None and x["fits"] is None


def test_labels_and_hints(client: AppClient) -> None:
    entries = {e["name"]: e for e in inputs(client, "softmax_loss(X@W + b, y)")}
    assert entries["y"]["labels"] and all(isinstance(v, int) for v in entries["y"]["default"])
    assert entries["b"]["shape"] is None
    [w0x0, w2] = inputs(client, "w0x0 + w2", lang="zh-CN")
    assert w0x0["hint"]["suggestion"] == "w0*x0" and w2["hint"] is None
    assert w0x0["hint"]["message"] == "w0x0 是一个新的输入；你是想写 w0*x0 吗？"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"expression": "(x+"}, 422, "expected_operand_after"),
    ({"expression": "sum(x) @ y"}, 422, "matmul_rank"),
    ({"expression": "x", "shapes": {"x": [0]}}, 422, None),
    ({"expression": "x", "lang": "fr"}, 422, None),
    ({"expression": "x", "shapes": {"x": "big"}}, 422, None),
])
def test_errors(client: AppClient, body: dict[str, Any], status: int, code: str | None) -> None:
    response = client.post("/api/inputs", json=body)
    assert response.status_code == status
    detail = response.json()["detail"]
    if code:
        assert detail["code"] == code and detail["position"] is not None


def test_errors_are_worded_in_the_requests_language(client: AppClient) -> None:
    response = client.post("/api/inputs", json={"expression": "(x+y", "lang": "zh-CN"})
    detail = response.json()["detail"]
    assert detail["code"] == "unclosed_paren"
    assert detail["message"] == "这里的 '(' 没有闭合：缺少 ')'"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_answers_defaults_that_evaluate(client: AppClient,
                                                      example: dict[str, Any]) -> None:
    assert graph_of_defaults(client, example["expression"], example["expand"]) == 200


def random_program(rng: random.Random, depth: int) -> str:
    """A program over scalars, vectors and matrices, as a learner might type it."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(["x", "y", "W", "V", "b", "w0x0", "2", "π"])
    kind = rng.choice(["+", "*", "-", "@", "/", "sum", "mean", "T", "relu", "exp", "sigmoid",
                       "softmax", "max", "²", "√"])
    a = random_program(rng, depth - 1)
    if kind in "+*-@/":
        return f"({a} {kind} {random_program(rng, depth - 1)})"
    if kind == "max":
        return f"max({a}, {random_program(rng, depth - 1)})"
    if kind == "T":
        return f"({a}).T"
    if kind in ("²", "√"):
        return f"({a})²" if kind == "²" else f"√({a})"
    return f"{kind}({a})"


PROGRAMS = [random_program(random.Random(seed), 4) for seed in range(60)] + [
    f"{loss}({random_program(random.Random(seed), 3)}, labels)"
    for seed in range(20) for loss in ("svm_loss", "softmax_loss")]


@pytest.mark.parametrize("program", PROGRAMS)
def test_random_programs_either_cannot_work_or_their_defaults_evaluate(
        client: AppClient, program: str) -> None:
    response = client.post("/api/inputs", json={"expression": program})
    if response.status_code == 422:
        assert response.json()["detail"]["type"] == "ShapeError", response.text
        return
    assert response.status_code == 200, response.text
    values = {entry["name"]: entry["default"] for entry in response.json()["inputs"]}
    graph = client.post("/api/graph", json={"expression": program, "values": values})
    assert graph.status_code == 200, (program, graph.text)


def test_the_random_programs_mostly_work(client: AppClient) -> None:
    """The programs above exercise the defaults, not only refusals."""
    ok = sum(client.post("/api/inputs", json={"expression": p}).status_code == 200
             for p in PROGRAMS)
    assert ok >= len(PROGRAMS) // 2
