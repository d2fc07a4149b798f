"""The numbers in the answers: no -0.0 anywhere, x^0 as PyTorch differentiates it, and a
gradient check that never divides by zero."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circuitgrad import evaluate
from circuitgrad.api.encoding import json_bytes
from circuitgrad.check import gradcheck

from .conftest import AppClient


def negative_zeros(text: str) -> list[str]:
    """Every number token -0.0 in a JSON text (json.loads hands us each float's own text)."""
    found: list[str] = []

    def number(token: str) -> float:
        if float(token) == 0 and token.startswith("-"):
            found.append(token)
        return float(token)

    json.loads(text, parse_float=number, parse_int=lambda token: number(token) and int(token))
    return found


def test_the_detector_finds_a_negative_zero() -> None:
    assert negative_zeros('{"a": [1.0, -0.0], "b": "-0.0"}') == ["-0.0"]
    assert negative_zeros('{"a": 0.0, "b": -0.5}') == []


# Each makes -0.0 in IEEE arithmetic somewhere: a value, a gradient, a wire, a lab answer.
NEGATIVE_ZERO_MAKERS: list[tuple[str, dict[str, Any]]] = [
    ("/api/graph", {"expression": "x^0", "values": {"x": -1}}),
    ("/api/graph", {"expression": "-x", "values": {"x": 0}}),
    ("/api/graph", {"expression": "x*y", "values": {"x": 0, "y": -1}}),
    ("/api/graph", {"expression": "-x*y", "values": {"x": 0, "y": 3}}),
    ("/api/graph", {"expression": "sum(-x*y)", "values": {"x": [0, 0], "y": [3, -3]}}),
    ("/api/graph", {"expression": "relu(x)*y", "values": {"x": -1, "y": -2}}),
    ("/api/graph", {"expression": "x*y", "values": {"x": -0.0, "y": 1}}),
    ("/api/graph", {"expression": "sum(W@x)", "values": {"W": [[0, 0]], "x": [-1, -1]}}),
    ("/api/gradcheck", {"expression": "-x*y", "values": {"x": 0, "y": 3}, "wires": True}),
    ("/api/optimize", {"expression": "(x*y)^2", "values": {"x": 0, "y": -1}, "steps": 2}),
]


@pytest.mark.parametrize(("path", "body"), NEGATIVE_ZERO_MAKERS)
def test_no_negative_zero_in_any_answer(client: AppClient, path: str, body: dict[str, Any]
                                        ) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text[:300]
    assert negative_zeros(response.text) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([-2.0, -1.0, -0.0, 0.0, 1.0]), min_size=3, max_size=3),
       st.sampled_from(["-x*y + z", "x*y*z", "max(x, y)*z", "-(x - y)*z", "x^0*y - z*0",
                        "relu(x)*y*z", "abs(x)*y - z"]))
def test_no_negative_zero_in_any_result(numbers: list[float], expression: str) -> None:
    x, y, z = numbers
    result = evaluate(expression, {"x": x, "y": y, "z": z})
    assert negative_zeros(json_bytes(result.to_dict()).decode()) == []


# ---- x^0 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("x", [0.0, -1.0, 2.5, -3.0])
def test_x_to_the_zero_has_gradient_zero_everywhere(x: float) -> None:
    # PyTorch: d(x^0)/dx is 0 wherever the exponent is 0, also at x = 0 (0·0^-1 is not used)
    result = evaluate("x^0", {"x": x})
    assert result.value == 1.0
    assert result.gradients["x"] == 0.0 and math.copysign(1, result.gradients["x"]) == 1


@pytest.mark.parametrize(("x", "y", "dx", "dy"), [
    # hand-worked: d(x^y)/dx = y·x^(y-1), d(x^y)/dy = x^y·ln x, with PyTorch's conventions
    (0.0, 0.0, 0.0, 0.0),  # exponent 0: dx is 0; base 0 with y >= 0: dy is 0
    (0.0, 2.0, 0.0, 0.0),  # 2·0^1 = 0; the limit 0·ln 0 -> 0
    (0.0, 1.0, 1.0, 0.0),  # 1·0^0 = 1
    (2.0, 3.0, 12.0, 8 * math.log(2)),
    (0.0, -1.0, -math.inf, -math.inf),  # -1·0^-2 = -inf; inf·ln 0 = -inf
    (-2.0, 2.0, -4.0, math.nan),  # ln of a negative base: NaN
])
def test_pow_gradients_follow_pytorch(x: float, y: float, dx: float, dy: float) -> None:
    for expression, values in (("x^y", {"x": x, "y": y}), ("sum(x^y)", {"x": [x], "y": [y]})):
        grads = evaluate(expression, values).gradients
        got_dx, got_dy = float(grads["x"] if "sum" not in expression else grads["x"][0]), float(
            grads["y"] if "sum" not in expression else grads["y"][0])
        for got, want in ((got_dx, dx), (got_dy, dy)):
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want), (
                expression, x, y, got, want)


def test_x_to_the_zero_through_the_api(client: AppClient) -> None:
    body = client.post("/api/graph", json={"expression": "x^0", "values": {"x": 0}}).json()
    assert body["gradients"] == {"x": 0.0}
    assert body["warnings"] == []


# ---- the gradient check never divides by zero ---------------------------------------------------

def test_gradcheck_of_a_wire_too_large_for_h_is_a_warning_not_a_500(client: AppClient) -> None:
    response = client.post("/api/gradcheck", json={"expression": "exp(x)*2", "values": {"x": 40},
                                                   "wires": True})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["verdict"] == "excellent"  # the input x itself is checked as usual
    unmoved = [wire for wire in body["wires"] if wire["centered"] == "NaN"]
    assert [wire["edge"] for wire in unmoved] == ["e1"]  # exp(40) ≈ 2.35e17 into the *
    # The warning names the wire as the diagram draws it, never by its id (e1).
    [notice] = [n for n in body["notices"] if n["code"] == "wires_unmovable"]
    [wire] = notice["params"]["wires"]
    assert (wire["source"], wire["target"]) == ("exp(x)", "exp(x) × 2")
    assert any("too small to move the value on the wire from exp(x) into exp(x) × 2" in warning
               and not re.search(r"\be1\b", warning) for warning in body["warnings"])


def test_gradcheck_with_h_too_small_for_an_input_names_it() -> None:
    from circuitgrad import CircuitError

    with pytest.raises(CircuitError, match="too small for x"):
        gradcheck("x*2", {"x": 1e17}, h=1e-5)


# The graph answer is written by the fast encoder, which would write a stray NaN or infinity
# as null: to_dict() must hand it only JSON-ready numbers, the very JSON the strict one writes.
READY_MAKERS: list[tuple[str, dict[str, Any]]] = [
    ("log(x) * y", {"x": 0, "y": 2}),  # -inf value, inf and nan gradients
    ("sqrt(x)", {"x": -1}),  # nan everywhere downstream
    ("exp(x) - exp(x)", {"x": 1000}),  # inf - inf
    ("sum(log(X))", {"X": [[0, 1], [-1, 2]]}),  # non-finite elements inside a tensor
    ("-x*y", {"x": 0, "y": 3}),  # -0.0
    ("x^0 + max(x, y)", {"x": -0.0, "y": -0.0}),
]


@pytest.mark.parametrize(("expression", "values"), READY_MAKERS)
def test_the_fast_encoder_writes_what_the_strict_one_does(expression: str,
                                                           values: dict[str, Any]) -> None:
    from circuitgrad.api.encoding import ready_json_bytes

    answer = evaluate(expression, values).to_dict()
    fast, strict = ready_json_bytes(answer), json_bytes(answer)
    assert json.loads(fast) == json.loads(strict)  # a NaN written as null would differ
    assert negative_zeros(fast.decode()) == []
