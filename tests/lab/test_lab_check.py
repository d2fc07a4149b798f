"""Gradient checking: centered beats forward differences, CS231n verdicts, kink warnings."""

from __future__ import annotations

import numpy as np
import pytest

from circuitgrad import InputError, LimitError, Settings
from circuitgrad.check import gradcheck, relative_error, verdict

SMOOTH = [
    ("x^3 - 2x", {"x": 1.3}),
    ("exp(x) * sin(y)", {"x": 0.4, "y": -1.1}),
    ("log(x^2 + 1) / (y + 3)", {"x": 0.7, "y": 0.2}),
    ("sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}),
    ("tanh(x) * cos(y) + sqrt(y)", {"x": 0.3, "y": 2.5}),
    ("(x+y)/(2x+3y)", {"x": 3, "y": -1}),
]


@pytest.mark.parametrize(("expression", "values"), SMOOTH)
def test_centered_differences_beat_forward_differences(expression: str, values: dict[str, float]
                                                       ) -> None:
    result = gradcheck(expression, values)
    for check in result.inputs:
        assert check.max_centered_error < check.max_forward_error, check.name


@pytest.mark.parametrize(("expression", "values"), SMOOTH)
def test_smooth_expressions_pass_below_1e_7(expression: str, values: dict[str, float]) -> None:
    result = gradcheck(expression, values)
    assert all(check.max_centered_error < 1e-7 for check in result.inputs)
    assert result.verdict == "excellent"
    assert result.kinks == []
    assert result.warnings == []


def test_tensor_inputs_are_checked_element_by_element() -> None:
    values = {"W": [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], "x": [0.2, -0.4, 0.9]}
    result = gradcheck("sum(tanh(W @ x))", values)
    by_name = {c.name: c for c in result.inputs}
    assert by_name["W"].shape == [2, 3]
    assert np.shape(by_name["W"].centered) == (2, 3)
    assert by_name["W"].max_centered_error < 1e-7
    assert by_name["x"].max_centered_error < 1e-7
    # 9 elements: forward differences cost 9 + 1 evaluations, centered ones 2 x 9.
    assert result.evaluations == {"analytic": 1, "backward_passes": 1,
                                  "forward_difference": 10, "centered_difference": 18}


def test_the_forward_difference_estimate_has_its_textbook_error() -> None:
    # d/dx 3x^2+6x at 2 is 18; (f(2+h) - f(2)) / h = 18 + 3h exactly.
    check = gradcheck("3x^2+6x", {"x": 2}).inputs[0]
    assert check.analytic == 18.0
    assert check.forward == pytest.approx(18 + 3e-5, rel=1e-9)
    assert check.centered == pytest.approx(18, rel=1e-10)


def test_a_kink_within_h_is_flagged_for_relu() -> None:
    result = gradcheck("relu(x)", {"x": 1e-7})
    assert [k.op for k in result.kinks] == ["relu"]
    kink = result.kinks[0]
    assert kink.distance == pytest.approx(1e-7)
    assert kink.crossed  # x - h < 0 < x + h
    assert any("kink of relu" in w for w in result.warnings)
    # The centered estimate straddles the kink: 0.505, against the analytic 1.
    assert result.inputs[0].centered == pytest.approx(0.505)
    assert result.inputs[0].verdict == "wrong"


@pytest.mark.parametrize(("expression", "values"), [
    ("abs(x) + y", {"x": -3e-6, "y": 1}),
    ("max(x, y)", {"x": 1.0, "y": 1.0 + 2e-6}),
    ("min(x, 2y)", {"x": 2.0, "y": 1.0}),
    ("svm_loss(s, labels)", {"s": [[2.0 + 1e-7, 0.0, 3.0]], "labels": [2]}),
])
def test_kinks_of_abs_max_min_and_the_hinge_are_flagged(expression: str,
                                                       values: dict[str, object]) -> None:
    result = gradcheck(expression, values)
    assert result.kinks, result.warnings


def test_far_from_its_kink_relu_passes() -> None:
    result = gradcheck("relu(x) * y", {"x": 0.5, "y": 2})
    assert result.kinks == []
    assert result.verdict == "excellent"


def test_verdict_thresholds_follow_cs231n() -> None:
    assert verdict(1e-9)[0] == "excellent"
    assert verdict(1e-5)[0] == "acceptable"
    assert verdict(1e-3)[0] == "suspicious"
    assert verdict(0.5)[0] == "wrong"
    assert verdict(float("nan"))[0] == "wrong"


def test_relative_error_is_symmetric_and_zero_when_both_vanish() -> None:
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 2.0) == relative_error(2.0, 1.0) == 0.5
    assert np.isnan(relative_error(float("inf"), 1.0))
    # Both zero up to round-off: no 100% error once a noise floor is given.
    assert relative_error(4e-16, -3e-12) == pytest.approx(1.0, rel=1e-3)
    assert relative_error(4e-16, -3e-12, floor=1e-9) < 1e-2


def test_wire_estimates_match_the_per_wire_gradients() -> None:
    # x fans out to two gates: each wire carries its own share of the gradient.
    result = gradcheck("x*x + x", {"x": 3}, wires=True)
    assert result.wires
    for wire in result.wires:
        assert wire.error < 1e-7, wire
    assert sorted(w.analytic for w in result.wires if w.edge in ("e0", "e1")) == [3.0, 3.0]


def test_labels_are_not_checked_and_bad_options_are_refused() -> None:
    values = {"s": [[1.0, 2.0, 0.5]], "labels": [0]}
    result = gradcheck("softmax_loss(s, labels)", values)
    assert [c.name for c in result.inputs] == ["s"]
    with pytest.raises(InputError, match="class labels"):
        gradcheck("softmax_loss(s, labels)", values, inputs=["labels"])
    with pytest.raises(InputError, match="not an input"):
        gradcheck("x + 1", {"x": 1}, inputs=["q"])
    with pytest.raises(InputError, match="h must be"):
        gradcheck("x + 1", {"x": 1}, h=0.0)
    with pytest.raises(InputError, match="too small"):
        gradcheck("x + 1", {"x": 1e10}, h=1e-300)
    with pytest.raises(LimitError, match="limit"):
        gradcheck("sum(x)", {"x": list(range(50))}, settings=Settings(max_gradcheck_elements=10))


def test_a_tensor_output_is_checked_through_its_sum() -> None:
    result = gradcheck("x * y", {"x": [1.0, 2.0], "y": 3.0})
    assert result.verdict == "excellent"
    assert any("sum" in w for w in result.warnings)


def test_to_dict_is_strict_json() -> None:
    import json

    body = gradcheck("log(x)", {"x": 0.0}).to_dict()
    text = json.dumps(body, allow_nan=False)
    assert '"-Infinity"' in text or '"NaN"' in text
