"""The staged code: run it (tests may; the server never does) and compare every value and
every gradient it computes with the engine's, on the built-in examples, the notes' seed
examples, tensor programs and random programs from the property tests' grammar."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from test_properties import expressions, points

from circuitgrad import evaluate
from circuitgrad.api.examples import EXAMPLES
from circuitgrad.graph import CONST
from circuitgrad.ops import REGISTRY
from circuitgrad.staged import code_text, staged_code, variable_names
from circuitgrad.steps import format_number


def run_staged(expression: str, values: dict[str, Any], **kwargs: Any) -> None:
    """Execute the staged code of `expression` and check it against the engine."""
    result = evaluate(expression, values, **kwargs)
    lines = staged_code(result.circuit, result.run, comment=format_number)
    namespace: dict[str, Any] = {}
    with np.errstate(all="ignore"):
        exec(compile(code_text(lines), "<staged>", "exec"), namespace)  # noqa: S102 - our own generated code, in a test
    var, dvar = variable_names(result.circuit)
    circuit, run = result.circuit, result.run
    for i, op in enumerate(circuit.ops):
        if op == CONST:
            continue
        assert_same(namespace[var[i]], run.values[i], f"value of {var[i]} ({op})")
        if dvar[i] and run.grads[i] is not None:
            assert_same(namespace[dvar[i]], run.grads[i], f"gradient {dvar[i]} ({op})")


def assert_same(code: Any, engine: Any, what: str) -> None:
    a = np.asarray(code, dtype=np.float64)
    b = np.asarray(engine, dtype=np.float64)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs the engine's {b.shape}"
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=what)


def test_every_primitive_has_code_for_each_input() -> None:
    for primitive in REGISTRY.values():
        backward = primitive.code.backward
        if not callable(backward):  # shape-dependent code is checked by running it below
            assert len(backward) == primitive.arity, primitive.name


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
@pytest.mark.parametrize("expand", [False, True])
def test_builtin_examples(example: dict[str, Any], expand: bool) -> None:
    run_staged(example["expression"], example["values"], expand=expand)


SEED = [
    ("(x+y)*z", {"x": -2, "y": 5, "z": -4}),
    ("1/(1+exp(-(w0*x0+w1*x1+w2)))", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}),
    ("(x + sigmoid(y)) / (sigmoid(x) + (x+y)^2)", {"x": 3, "y": -4}),
    ("(x+y)/(2x+3y)", {"x": 1, "y": 2}),
    ("3x^2 + 6x", {"x": 2}),
    ("2*(x*y + max(z, w))", {"x": 3, "y": -4, "z": 2, "w": -1}),
    ("max(x, y)", {"x": 2, "y": 2}),  # a tie splits the gradient
    ("x*x + x", {"x": 3}),  # one value, three wires: +=
    ("q = x + y; f = q * z", {"x": -2, "y": 5, "z": -4}),
    ("q = x; f = q * 2", {"x": 1.5}),
    ("x^0", {"x": 0}),
    ("y^x", {"x": 2, "y": 0}),
    ("relu(x) + abs(y) + min(x, y) + tanh(x) + sin(y) + cos(x) + sqrt(y*y+1) + log(x*x+1)",
     {"x": 0.3, "y": -1.2}),
    ("in = x; dx = in * 2", {"x": 1.0}),  # names Python or the code would misread
    ("lambda * np + dx", {"lambda": 2.0, "np": 3.0, "dx": 4.0}),
    ("q = 2*3; f = q + x", {"x": 1}),  # a constant sub-circuit has no gradient
]


@pytest.mark.parametrize(("expression", "values"), SEED)
@pytest.mark.parametrize("expand", [False, True])
def test_seed_examples(expression: str, values: dict[str, Any], expand: bool) -> None:
    run_staged(expression, values, expand=expand)


TENSORS = [
    ("sum(W @ x)", {"W": [[1, 2], [3, 4], [5, 6]], "x": [1, -1]}),
    ("sum(x @ W)", {"W": [[1, 2], [3, 4]], "x": [1, -1]}),
    ("dot(a, b)", {"a": [1, 2, 3], "b": [-1, 0, 2]}),
    ("mean(X @ W + b)", {"X": [[1, 2], [3, 4]], "W": [[1, 0, 2], [0, 1, -1]], "b": [1, 2, 3]}),
    ("sum(softmax(s) * t)", {"s": [[1, 2, 3], [0, 0, 1]], "t": [[1, 0, 0], [0, 2, 0]]}),
    ("sum(W.T * 2 + x)", {"W": [[1, 2], [3, 4]], "x": 0.5}),
    ("svm_loss(X @ W + b, y)", {"X": [[1, 2], [0, -1], [2, 1]], "W": [[1, 0, 2], [0, 1, -1]],
                                "b": [0, 0.5, 0], "y": [0, 2, 1]}),
    ("softmax_loss(X @ W, y)", {"X": [[1, 2], [0, -1]], "W": [[1, 0, 2], [0, 1, -1]],
                                "y": [2, 0]}),
    ("svm_loss(s, y)", {"s": [1, 3, 2], "y": 1}),
    ("softmax_loss(s, y)", {"s": [1, 3, 2], "y": [0]}),
    ("sum(relu(x) * max(x, y))", {"x": [[-1, 2], [0.5, -3]], "y": [[1], [2]]}),
    ("q = sum(x); f = q * q", {"x": [1, 2, 3]}),
]


@pytest.mark.parametrize(("expression", "values"), TENSORS, ids=[s for s, _ in TENSORS])
@pytest.mark.parametrize("expand", [False, True])
def test_tensor_programs(expression: str, values: dict[str, Any], expand: bool) -> None:
    run_staged(expression, values, expand=expand)


def test_the_code_reads_like_the_notes() -> None:
    result = evaluate("x*x + x", {"x": 3})
    text = code_text(staged_code(result.circuit, result.run, comment=format_number))
    assert "mul1 = x * x  # = 9" in text
    # x feeds three wires: one `=` then `+=` for the others, the notes' accumulation.
    grads = [line for line in text.splitlines() if line.startswith("dx ")]
    assert [line.split()[1] for line in grads] == ["=", "+=", "+="]
    named = evaluate("q = x + y; f = q * z", {"x": -2, "y": 5, "z": -4})
    text = code_text(staged_code(named.circuit, named.run))
    assert "q = x + y" in text and "f = q * z" in text and "dq = z * df" in text


def test_every_line_belongs_to_a_step_of_its_phase() -> None:
    result = evaluate("1/(1+exp(-(w0*x0+w1*x1+w2)))",
                      {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3})
    for line in staged_code(result.circuit, result.run):
        if line.phase == "setup":
            assert line.node is None
        else:
            assert line.node is not None and 0 <= line.node < len(result.circuit.ops)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), points)
def test_random_programs(node: Any, point: dict[str, float]) -> None:
    run_staged(node.text, point)
