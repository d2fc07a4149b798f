"""Every primitive's vector-Jacobian product against centered differences, through the engine.

One parametrized test covers the whole registry: a new op needs an entry in DOMAINS only when
its inputs need a safe domain, and in SHAPES only when it is not element-wise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from engine_oracles import centered_gradients, relative_error

from circuitgrad import evaluate
from circuitgrad.engine import backward, forward
from circuitgrad.graph import INPUT, Circuit, _Builder
from circuitgrad.ops import REGISTRY
from circuitgrad.settings import DEFAULT_SETTINGS

Sampler = Callable[[np.random.Generator, tuple[int, ...]], Any]


def anywhere(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    return rng.uniform(-2, 2, shape)


def positive(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    return rng.uniform(0.5, 2, shape)


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2, shape)


def far_from_anywhere(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    # Never within 1 of a value drawn by `anywhere`: max and min stay off their kinks.
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(3, 4, shape)


def labels(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    return rng.integers(0, 3, shape).astype(np.int64)  # scores below always have 3 classes


# The input domains: the only per-op knowledge in this file.
DOMAINS: dict[str, tuple[Sampler, ...]] = {
    "log": (positive,), "sqrt": (positive,), "recip": (away_from_zero,),
    "div": (anywhere, away_from_zero), "pow": (positive, anywhere),
    "relu": (away_from_zero,), "abs": (away_from_zero,),
    "max": (anywhere, far_from_anywhere), "min": (anywhere, far_from_anywhere),
    "svm_loss": (anywhere, labels), "softmax_loss": (anywhere, labels), "pick": (anywhere, labels),
}

UNARY_SHAPES = [((),), ((2, 3),), ((3,),)]
BINARY_SHAPES = [((), ()), ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 2)),
                 ((3,), ()), ((1,), (2, 3))]
SHAPES: dict[str, list[tuple[tuple[int, ...], ...]]] = {
    "matmul": [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((1, 1), (1, 2))],
    "dot": [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,))],
    "sum": [((),), ((3,),), ((2, 3),)],
    "mean": [((),), ((3,),), ((2, 3),)],
    "transpose": [((),), ((3,),), ((2, 3),)],
    "softmax": [((3,),), ((2, 3),)],
    "rowsum": [((3,),), ((2, 3),)],
    "svm_loss": [((4, 3), (4,)), ((3,), ())],
    "softmax_loss": [((4, 3), (4,)), ((3,), ())],
    "pick": [((4, 3), (4,)), ((3,), ())],
}


def cases() -> list[Any]:
    out = []
    for name, primitive in REGISTRY.items():
        if name in SHAPES:
            shapes = SHAPES[name]
        else:
            assert primitive.elementwise, f"{name} is not element-wise: give it SHAPES"
            shapes = UNARY_SHAPES if primitive.arity == 1 else BINARY_SHAPES
        out += [pytest.param(name, s, id=f"{name}-{'-'.join(map(str, s))}") for s in shapes]
    return out


def single_gate(op: str, values: list[Any]) -> tuple[Circuit, dict[int, Any]]:
    circuit = Circuit(op)
    builder = _Builder(circuit, DEFAULT_SETTINGS)
    nodes = []
    inputs: dict[int, Any] = {}
    for port, value in enumerate(values):
        node = builder._add(INPUT, (), f"a{port}", f"a{port}", 0)
        circuit.input_nodes[f"a{port}"] = node
        if REGISTRY[op].labels_arg == port:
            circuit.label_inputs.add(node)
        nodes.append(node)
        inputs[node] = value
    circuit.output = builder.gate(op, tuple(nodes), 0)
    return circuit, inputs


def as_engine_value(value: Any) -> Any:
    """Scalars enter the engine as Python floats (its fast path), tensors as arrays."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind == "f":
        return float(value)
    return value


@pytest.mark.parametrize(("op", "shapes"), cases())
def test_vjp_matches_centered_differences(op: str, shapes: tuple[tuple[int, ...], ...]) -> None:
    primitive = REGISTRY[op]
    assert len(shapes) == primitive.arity
    rng = np.random.default_rng(sum(map(ord, op)) + len(str(shapes)))
    samplers = DOMAINS.get(op, (anywhere,) * primitive.arity)
    raw = [sampler(rng, shape) for sampler, shape in zip(samplers, shapes, strict=True)]
    values = [as_engine_value(v) for v in raw]
    circuit, inputs = single_gate(op, values)
    with np.errstate(all="raise"):
        out = forward(circuit, inputs)[circuit.output]
        seed = rng.uniform(-1, 1, np.shape(out))
        seed = float(seed) if np.ndim(out) == 0 else seed
        run = backward(circuit, forward(circuit, inputs), seed)

    def objective(args: list[Any]) -> float:
        c, i = single_gate(op, [as_engine_value(a) for a in args])
        return float(np.sum(np.asarray(forward(c, i)[c.output]) * seed))

    h = 1e-6
    for port, value in enumerate(raw):
        node = circuit.inputs[circuit.output][port]
        if primitive.labels_arg == port:
            assert op not in ("svm_loss", "softmax_loss", "pick") or run.grads[node] is None
            continue
        analytic = np.asarray(run.grads[node])
        edge = run.edge_grads[circuit.first_edge[circuit.output] + port]
        np.testing.assert_array_equal(np.asarray(edge), analytic)
        assert analytic.shape == np.shape(value), "gradient must have its input's shape"
        numeric = np.zeros(np.shape(value))
        for index in np.ndindex(np.shape(value)):
            plus = [np.array(v, dtype=v.dtype) for v in raw]
            minus = [np.array(v, dtype=v.dtype) for v in raw]
            plus[port][index] += h
            minus[port][index] -= h
            numeric[index] = (objective(plus) - objective(minus)) / (2 * h)
        assert relative_error(analytic, numeric) < 1e-6, (op, port, analytic, numeric)


def test_every_op_has_a_unique_user_name() -> None:
    seen: set[str] = set()
    for primitive in REGISTRY.values():
        for name in primitive.functions:
            assert name not in seen
            seen.add(name)
        assert len(primitive.words.local) == primitive.arity, primitive.name


# --- tensor ops through the language, element by element ----------------------------------------

A = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]  # (2, 3)
B = [[0.5, 1.0], [-1.5, 2.0], [2.0, -0.5]]  # (3, 2)
V3 = [0.3, -0.7, 1.1]
V2 = [2.0, -1.0]


def loop_matmul(a: Any, b: Any) -> Any:
    a2 = np.atleast_2d(np.asarray(a, dtype=float))
    b2 = np.asarray(b, dtype=float)
    b2 = b2[:, None] if b2.ndim == 1 else b2
    out = np.zeros((a2.shape[0], b2.shape[1]))
    for i in range(a2.shape[0]):
        for j in range(b2.shape[1]):
            out[i, j] = sum(a2[i, k] * b2[k, j] for k in range(a2.shape[1]))
    if np.ndim(a) == 1:
        out = out[0]
    if np.ndim(b) == 1:
        out = out[..., 0]
    return out


@pytest.mark.parametrize("op", ["{a} @ {b}", "dot({a}, {b})"])
@pytest.mark.parametrize(("a", "b"), [(A, B), (V3, B), (A, V3), (V3, V3), (B, A)])
def test_matrix_products_element_by_element(op: str, a: Any, b: Any) -> None:
    text = f"sum(({op.format(a='a', b='b')}) * w)"
    weights = np.cos(np.arange(np.size(loop_matmul(a, b)))).reshape(np.shape(loop_matmul(a, b)))
    values = {"a": a, "b": b, "w": weights.tolist()}
    result = evaluate(text, values)
    assert result.value == pytest.approx(float(np.sum(loop_matmul(a, b) * weights)))
    raw = evaluate(op.format(a="a", b="b"), {"a": a, "b": b}).value
    np.testing.assert_allclose(raw, loop_matmul(a, b), rtol=1e-14)
    numeric = centered_gradients(text, values, skip=("w",))
    for name in ("a", "b"):
        assert np.shape(result.gradients[name]) == np.shape(values[name])
        assert relative_error(result.gradients[name], numeric[name]) < 1e-6


@pytest.mark.parametrize(("text", "values"), [
    ("sum(x * w)", {"x": A}),
    ("mean(x) * 3", {"x": A}),
    ("sum(transpose(x) * w)", {"x": A}),
    ("sum(x.T * w)", {"x": A}),
    ("sum(x.T * w)", {"x": V3}),
    ("sum(softmax(x) * w)", {"x": A}),
    ("sum(softmax(x) * w)", {"x": V3}),
    ("svm_loss(s, y)", {"s": A, "y": [2, 0]}),
    ("softmax_loss(s, y)", {"s": A, "y": [2, 0]}),
    ("softmax_loss(x @ W + b, y)", {"x": A, "W": B, "b": V2, "y": [1, 0]}),
    ("svm_loss(x @ W + b, y)", {"x": A, "W": B, "b": V2, "y": [1, 0]}),
    ("sum(relu(x @ W) * w)", {"x": A, "W": B}),
])
@pytest.mark.parametrize("expand", [False, True])
def test_tensor_gradients_element_by_element(text: str, values: dict[str, Any],
                                             expand: bool) -> None:
    values = dict(values)
    if "w" in text:
        shape = np.shape(evaluate(text.replace(" * w", "").replace("sum(", "(", 1), values).value)
        values["w"] = np.sin(np.arange(1, 1 + math.prod(shape))).reshape(shape).tolist()
    result = evaluate(text, values, expand=expand)
    numeric = centered_gradients(text, values, skip=("y", "w"), expand=expand)
    assert "y" not in result.gradients
    for name, grad in numeric.items():
        assert np.shape(result.gradients[name]) == np.shape(values[name])
        assert relative_error(result.gradients[name], grad) < 1e-6, name


def test_reductions_and_transpose_values() -> None:
    assert evaluate("sum(x)", {"x": A}).value == pytest.approx(1.75)
    assert evaluate("mean(x)", {"x": A}).value == pytest.approx(1.75 / 6)
    np.testing.assert_array_equal(evaluate("x.T", {"x": A}).value, np.array(A).T)
    np.testing.assert_array_equal(evaluate("x.T", {"x": V3}).value, V3)
    np.testing.assert_array_equal(evaluate("mean(x)", {"x": A}).gradients["x"],
                                  np.full((2, 3), 1 / 6))


def test_softmax_rows_sum_to_one_and_match_the_definition() -> None:
    out = evaluate("softmax(x)", {"x": A}).value
    for row, scores in zip(out, A, strict=True):
        exps = [math.exp(s) for s in scores]
        assert list(row) == pytest.approx([e / sum(exps) for e in exps])
    big = evaluate("softmax(x)", {"x": [1000.0, 1000.0]}).value
    np.testing.assert_allclose(big, [0.5, 0.5])


CS231N_SCORES = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]


def test_svm_loss_cs231n_numbers() -> None:
    # The notes: losses 2.9, 0 and 12.9 for the cat, car and frog examples; mean 5.27.
    result = evaluate("svm_loss(s, y)", {"s": CS231N_SCORES, "y": [0, 1, 2]})
    assert result.value == pytest.approx((2.9 + 0 + 12.9) / 3)
    # By hand: cat row: car and frog... only car (5.1-3.2+1 > 0) and frog (-1.7-3.2+1 < 0).
    expected = np.array([[-1, 1, 0], [0, 0, 0], [1, 1, -2]]) / 3
    np.testing.assert_allclose(result.gradients["s"], expected)


def test_svm_hinge_at_exactly_zero_has_no_gradient() -> None:
    result = evaluate("svm_loss(s, y)", {"s": [[1.0, 0.0]], "y": [0]})  # margin 0 - 1 + 1 = 0
    assert result.value == 0.0
    np.testing.assert_array_equal(result.gradients["s"], [[0.0, 0.0]])


def test_softmax_loss_cs231n_number() -> None:
    result = evaluate("softmax_loss(s, y)", {"s": CS231N_SCORES[0], "y": 0})
    assert result.value == pytest.approx(2.04, abs=5e-3)
    probs = np.exp(CS231N_SCORES[0]) / np.exp(CS231N_SCORES[0]).sum()
    np.testing.assert_allclose(result.gradients["s"], probs - np.array([1, 0, 0]))


def test_softmax_loss_is_stable_on_large_scores() -> None:
    result = evaluate("softmax_loss(s, y)", {"s": [[1000.0, 0.0]], "y": [1]})
    assert result.value == pytest.approx(1000.0)
    np.testing.assert_allclose(result.gradients["s"], [[1.0, -1.0]])


@pytest.mark.parametrize(("text", "values"), [
    ("sigmoid(x)", {"x": [-3.0, 0.0, 2.5]}),
    ("sum(softmax(x) * softmax(x))", {"x": A}),
    ("softmax_loss(s, y)", {"s": CS231N_SCORES, "y": [0, 1, 2]}),
    ("softmax_loss(s, y)", {"s": CS231N_SCORES[0], "y": 2}),
    ("sum(sigmoid(x @ W))", {"x": A, "W": B}),
])
def test_expanded_composites_give_the_same_numbers(text: str, values: dict[str, Any]) -> None:
    collapsed = evaluate(text, values)
    expanded = evaluate(text, values, expand=True)
    assert len(expanded.nodes) > len(collapsed.nodes)
    np.testing.assert_allclose(expanded.value, collapsed.value, rtol=1e-12)
    for name, grad in collapsed.gradients.items():
        np.testing.assert_allclose(expanded.gradients[name], grad, rtol=1e-10, atol=1e-15)
