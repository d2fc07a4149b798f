"""Inputs built from the circuit: names, required shapes, labels and defaults that evaluate.

The oracle is the engine itself: every set of defaults must evaluate, and where inference
says no values can work, a brute-force search over small shapes must find none either.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circuitgrad import CircuitError, ParseError, ShapeError, evaluate
from circuitgrad.api.examples import EXAMPLES
from circuitgrad.inputs import infer_inputs
from circuitgrad.ops import REGISTRY
from circuitgrad.shape_inference import RULES


def defaults(text: str, shapes: dict[str, list[int]] | None = None) -> dict[str, Any]:
    return {info.name: info.default for info in infer_inputs(text, shapes)}


def shape_of(value: Any) -> list[int]:
    return list(np.shape(value))


def test_every_non_elementwise_primitive_has_a_shape_rule() -> None:
    assert {name for name, p in REGISTRY.items() if not p.elementwise} <= RULES


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_evaluates_on_its_defaults_and_its_own_values_fit(
        example: dict[str, Any]) -> None:
    text = example["expression"]
    infos = infer_inputs(text)
    assert [i.name for i in infos] == list(evaluate(text, example["values"]).circuit.input_nodes)
    evaluate(text, defaults(text), expand=True)
    evaluate(text, defaults(text))
    given = {name: shape_of(value) for name, value in example["values"].items()}
    assert all(info.fits for info in infer_inputs(text, given))


def test_sum_of_w_at_x_from_scratch() -> None:
    """The issue's dead end: W a matrix, x a vector of its column count."""
    [w, x] = infer_inputs("sum(W@x)")
    assert (w.name, w.shape, x.name, x.shape) == ("W", (None, None), "x", (None,))
    assert shape_of(w.default)[1] == shape_of(x.default)[0]
    assert shape_of(w.default)[0] != shape_of(w.default)[1]  # rows and columns told apart
    evaluate("sum(W@x)", {"W": w.default, "x": x.default})


def test_shapes_given_are_kept_where_they_fit_and_the_others_follow() -> None:
    w, x = infer_inputs("sum(W @ x)", {"W": [3, 2], "x": [3]})
    assert (w.fits, x.fits) == (True, False)
    assert x.shape == (2,) and shape_of(x.default) == [2]  # what W (3×2) needs
    assert shape_of(w.default) == [3, 2]
    w, x = infer_inputs("sum(W @ x)", {"W": [3, 2], "x": [2]})
    assert (w.fits, x.fits) == (True, True) and (w.shape, x.shape) == ((None, 2), (2,))
    # A vector W is fine too (a dot product): the value's rank is respected.
    w, x = infer_inputs("sum(W @ x)", {"W": [3], "x": [3]})
    assert (w.fits, x.fits, w.shape, x.shape) == (True, True, (3,), (3,))


def test_broadcasting_accepts_a_size_of_one_and_refuses_a_mismatch() -> None:
    x, y = infer_inputs("x + y", {"x": [3], "y": [1]})
    assert (x.fits, y.fits) == (True, True)
    x, y = infer_inputs("x + y", {"x": [3], "y": [2]})
    assert (x.fits, y.fits) == (True, False) and shape_of(y.default) == [3]


def test_losses_make_labels_of_their_scores_rows_and_classes() -> None:
    infos = {i.name: i for i in infer_inputs("svm_loss(X@W + b, y)")}
    assert infos["y"].labels and not infos["X"].labels
    n, d = shape_of(infos["X"].default)
    d2, c = shape_of(infos["W"].default)
    assert d == d2 and shape_of(infos["b"].default) == [c] and shape_of(infos["y"].default) == [n]
    assert all(0 <= label < c and isinstance(label, int) for label in infos["y"].default)
    assert infos["b"].shape is None  # any shape that broadcasts: the circuit does not say
    # One example: a score vector, one label.
    infos = {i.name: i for i in infer_inputs("softmax_loss(W@x, y)")}
    assert infos["y"].shape == () and infos["y"].default == 0
    # Labels given as a batch make the scores a batch.
    s, y = infer_inputs("svm_loss(s, y)", {"y": [5]})
    assert s.shape == (5, None) and y.fits


@pytest.mark.parametrize(("text", "code"), [
    ("sum(x) @ y", "matmul_rank"), ("x @ 2", "matmul_rank"), ("softmax(sum(x))", ""),
    ("svm_loss(sum(s), y)", "loss_scores_rank"),
])
def test_no_values_can_work(text: str, code: str) -> None:
    with pytest.raises(ShapeError) as info:
        infer_inputs(text)
    if code:
        assert info.value.code == code
    assert "n0" not in info.value.message and "n1" not in info.value.message


def test_inputs_in_order_of_first_appearance_with_their_hints() -> None:
    infos = infer_inputs("1/(1+e^-(w0x0+w1x1+w2))")
    assert [i.name for i in infos] == ["w0x0", "w1x1", "w2"]
    assert [i.hint.suggestion if i.hint else None for i in infos] == ["w0*x0", "w1*x1", None]
    assert infos[0].to_dict("zh-CN")["hint"]["message"].startswith("w0x0 是一个新的输入")


def test_defaults_are_small_varied_and_never_on_a_kink() -> None:
    values = defaults("relu(a) + abs(b) + max(c, d) + sum(V) + mean(M)")
    flat = [float(v) for value in values.values() for v in np.ravel(value)]
    assert all(v != 0 and abs(v) <= 2 for v in flat)
    assert len(set(flat)) > len(flat) // 2


def test_syntax_errors_are_the_parsers() -> None:
    with pytest.raises(ParseError):
        infer_inputs("(x+")


# ---- random tensor programs -----------------------------------------------------------------

NAMES = ("x", "y", "W", "V", "b")


@st.composite
def tensor_programs(draw: st.DrawFn) -> str:
    def term(depth: int) -> str:
        if depth == 0 or draw(st.integers(0, 3)) == 0:
            return draw(st.sampled_from([*NAMES, "2", "0.5"]))
        kind = draw(st.sampled_from(["+", "*", "-", "@", "sum", "mean", "T", "relu", "exp",
                                     "softmax", "neg", "dot", "max"]))
        a = term(depth - 1)
        if kind in ("+", "*", "-", "@"):
            return f"({a} {kind} {term(depth - 1)})"
        if kind in ("dot", "max"):
            return f"{kind}({a}, {term(depth - 1)})"
        if kind == "T":
            return f"({a}).T"
        if kind == "neg":
            return f"-({a})"
        return f"{kind}({a})"

    body = term(draw(st.integers(1, 4)))
    if draw(st.integers(0, 4)) == 0:
        loss = draw(st.sampled_from(["svm_loss", "softmax_loss"]))
        return f"{loss}({body}, labels)"
    return body


def brute_force_finds_values(text: str, names: list[str], labels: set[str]) -> bool:
    """Whether any shapes of rank 0-2 with sizes 2 or 3 evaluate (labels: zeros)."""
    shapes: list[tuple[int, ...]] = [(), (2,), (3,), (2, 2), (2, 3), (3, 2), (3, 3)]
    for combo in itertools.product(shapes, repeat=len(names)):
        values = {name: np.zeros(shape, dtype=int).tolist() if name in labels
                  else np.full(shape, 0.5).tolist() if shape else 0.5
                  for name, shape in zip(names, combo, strict=True)}
        try:
            evaluate(text, values)
        except CircuitError:
            continue
        return True
    return False


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tensor_programs())
def test_defaults_of_random_programs_evaluate_or_no_values_can(text: str) -> None:
    try:
        infos = infer_inputs(text)
    except ShapeError:
        circuit = evaluate.__globals__["cached_graph"](text)
        names = list(circuit.input_nodes)
        labels = {circuit.names[n] or "" for n in circuit.label_inputs}
        if len(names) <= 3:
            assert not brute_force_finds_values(text, names, labels), text
        return
    except CircuitError:
        return  # labels used as numbers, a constant label that is no class: not shapes
    values = {info.name: info.default for info in infos}
    evaluate(text, values)
    evaluate(text, values, expand=True)
    # Given back their own shapes, the defaults all fit.
    given = {name: shape_of(value) for name, value in values.items()}
    assert all(info.fits for info in infer_inputs(text, given)), text


def test_the_shape_given_first_wins() -> None:
    """A page puts the input just edited first: its new shape is kept, the other adapts."""
    w, x = infer_inputs("sum(W @ x)", {"x": [4], "W": [2, 3]})
    assert (w.fits, x.fits) == (False, True) and shape_of(w.default)[1] == 4
    w, x = infer_inputs("sum(W @ x)", {"W": [2, 3], "x": [4]})
    assert (w.fits, x.fits) == (True, False) and shape_of(x.default) == [3]
