"""Every error a user can cause: its class, its message, its position and its caret."""

from __future__ import annotations

import math
import time
import warnings
from typing import Any

import numpy as np
import pytest

import circuitgrad
from circuitgrad import (
    ArityError,
    CircuitError,
    InputError,
    LimitError,
    NameResolutionError,
    ParseError,
    ShapeError,
    evaluate,
)


def error_of(text: str, values: dict[str, Any] | None = None, **kwargs: Any) -> CircuitError:
    with pytest.raises(CircuitError) as info:
        evaluate(text, values or {}, **kwargs)
    return info.value


def caret_column(error: CircuitError) -> int:
    rendered = error.render().splitlines()
    return rendered[2].index("^") - 2


# --- syntax ----------------------------------------------------------------------------------


def test_unclosed_parenthesis_points_at_the_opener() -> None:
    error = error_of("(x+y", {"x": 1, "y": 2})
    assert isinstance(error, ParseError)
    assert error.position == 0 and (error.line, error.column) == (1, 1)
    assert "never closed" in error.message
    assert error.render().splitlines() == ["ParseError: " + error.message, "  (x+y", "  ^"]


def test_doubled_operator_points_at_the_second() -> None:
    error = error_of("x+*y")
    assert isinstance(error, ParseError)
    assert error.position == 2
    assert "'*'" in error.message
    assert caret_column(error) == 2


def test_unclosed_call_points_at_the_function() -> None:
    error = error_of("1 + exp(x")
    assert error.position == 4 and "never closed" in error.message


def test_stray_closing_parenthesis() -> None:
    error = error_of("x)")
    assert error.position == 1 and "no matching" in error.message


def test_position_on_a_later_line() -> None:
    error = error_of("q = x + y\nf = q * * z")
    assert (error.position, error.line, error.column) == (18, 2, 9)
    lines = error.render().splitlines()
    assert lines[1] == "  f = q * * z" and lines[2] == "  " + " " * 8 + "^"


def test_unexpected_character() -> None:
    error = error_of("x $ y")
    assert error.position == 2 and "'$'" in error.message


def test_foo_is_not_a_known_function() -> None:
    error = error_of("foo(x)", {"x": 1})
    assert isinstance(error, ParseError)
    assert "'foo' is not a known function" in error.message
    assert "exp" in error.message
    assert error.position == 0


def test_misspelt_function_suggests_the_right_one() -> None:
    error = error_of("1 + sigmod(x)", {"x": 1})
    assert "did you mean sigmoid" in error.message and error.position == 4


@pytest.mark.parametrize(("text", "function", "arity", "got"), [
    ("max(x)", "max", 2, 1), ("exp(x, y)", "exp", 1, 2), ("sum()", "sum", 1, 0),
    ("svm_loss(x)", "svm_loss", 2, 1),
])
def test_wrong_arity(text: str, function: str, arity: int, got: int) -> None:
    error = error_of(text, {"x": 1, "y": 1})
    assert isinstance(error, ArityError)
    assert f"{function} takes {arity} argument" in error.message and f"got {got}" in error.message
    assert error.position == 0


@pytest.mark.parametrize(("text", "position", "fragment"), [
    ("sum = 3", 0, "'sum' is a function"),
    ("x = 1\nexp = x", 6, "'exp' is a function"),
    ("pi = 3", 0, "'pi' is a constant"),
    ("e = 3", 0, "'e' is a constant"),
    ("exp + 1", 0, "'exp' is a function"),
    ("2 * sigmoid", 4, "'sigmoid' is a function"),
    ("x = ln", 4, "'ln' is a function"),
])
def test_reserved_names_used_as_variables(text: str, position: int, fragment: str) -> None:
    error = error_of(text, {"x": 1})
    assert fragment in error.message and error.position == position


@pytest.mark.parametrize("text", ["__x", "x + __class__", "__import__('os')"])
def test_dunder_names_are_refused(text: str) -> None:
    error = error_of(text)
    assert isinstance(error, ParseError) and "__" in error.message


def test_bare_expression_that_is_not_last() -> None:
    error = error_of("x * 2\nq = x", {"x": 1})
    assert "only the last statement" in error.message and error.position == 0
    error = error_of("q = x\nx\n+ y", {"x": 1, "y": 1})
    assert error.line == 2


def test_assigned_twice_and_used_before_assignment() -> None:
    error = error_of("q = x\nq = 2", {"x": 1})
    assert isinstance(error, NameResolutionError) and "assigned twice" in error.message
    assert error.line == 2
    error = error_of("f = q * 2\nq = x", {"x": 1})
    assert "before it is assigned" in error.message and error.position == 4


def test_empty_program() -> None:
    assert "nothing to evaluate" in error_of("   # nothing\n").message


# --- values -----------------------------------------------------------------------------------


def test_missing_value_names_the_input_and_points_at_it() -> None:
    error = error_of("x * yy", {"x": 1})
    assert isinstance(error, InputError)
    assert "'yy'" in error.message and error.position == 4


@pytest.mark.parametrize(("value", "fragment"), [
    (True, "boolean"), (False, "boolean"), ("3", 'the text "3"'), (None, "null"),
    ({"a": 1}, "object"), ([[1, 2], [3]], "ragged"), ([1, [2]], "ragged"), ([[1], 2], "ragged"),
    ([1, True], "boolean"), ([1, "2"], "text"), ([], "empty"), (math.nan, "finite"),
    (math.inf, "finite"), ([1.0, math.inf], "finite"), (10**400, "too large"),
])
def test_bad_values(value: Any, fragment: str) -> None:
    """A value error names its input, in the message and as `input` (a page shows it at the
    field), and still points at the input's first use in the expression."""
    error = error_of("2 * x", {"x": value})
    assert isinstance(error, InputError)
    assert fragment in error.message and "'x'" in error.message
    assert error.position == 4
    assert error.input == "x" and error.to_dict()["input"] == "x"
    assert "'x'" in error.message_in("zh-CN")


@pytest.mark.parametrize("labels", [[0.5, 1], [0, 3], [-1, 0], [[0], [1]]])
def test_bad_labels(labels: Any) -> None:
    error = error_of("svm_loss(s, y)", {"s": [[1, 2, 3], [3, 2, 1]], "y": labels})
    assert isinstance(error, InputError | ShapeError)
    assert "label" in error.message


@pytest.mark.parametrize("seed", ["a", True, None and 1, [1, "b"], math.nan])
def test_bad_seed_gradient_is_an_input_error(seed: Any) -> None:
    if seed is None:
        return
    with pytest.raises(InputError, match="seed_grad"):
        evaluate("x * 2", {"x": 1}, seed_grad=seed)


def test_seed_of_the_wrong_shape() -> None:
    error = error_of("x * 2", {"x": [1, 2]}, seed_grad=[1, 2, 3])
    assert isinstance(error, ShapeError)
    assert "a vector of 3" in error.message and "a vector of 2" in error.message


def test_unused_value_is_a_warning_not_an_error() -> None:
    result = evaluate("x * 2", {"x": 1, "unused": 5})
    assert result.value == 2.0
    assert any("'unused'" in w for w in result.warnings)
    assert any("'unused'" in w for w in result.to_dict()["warnings"])


# --- shapes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "values", "op", "shapes"), [
    ("x + y", {"x": [1, 2, 3], "y": [1, 2]}, "+", ["x is a vector of 3", "y is a vector of 2"]),
    ("x * y", {"x": [[1, 2, 3]], "y": [[1, 2], [3, 4]]}, "*",
     ["x is a 1×3 matrix", "y is a 2×2 matrix"]),
    ("W @ x", {"W": [[1, 2], [3, 4]], "x": [1, 2, 3]}, "@",
     ["W is a 2×2 matrix", "x is a vector of 3", "W's columns (2)", "x's length (3)"]),
    ("dot(x, y)", {"x": [1, 2], "y": [1, 2, 3]}, "",
     ["x is a vector of 2", "y is a vector of 3"]),
    ("x @ y", {"x": 1, "y": 2}, "@", ["x is a scalar", "y is a scalar"]),
    ("(x + y) @ W", {"x": [1, 2], "y": [1, 2], "W": [[1, 2]]}, "@",
     ["(x + y) is a vector of 2", "(x + y) @ W", "W's rows (1)"]),
])
def test_shape_mismatch_names_the_operands_their_shapes_and_the_op(
        text: str, values: dict[str, Any], op: str, shapes: list[str]) -> None:
    error = error_of(text, values)
    assert isinstance(error, ShapeError)
    for shape in shapes:
        assert shape in error.message
    if op:
        assert op in error.message
        assert error.position == text.index(op)


def test_matmul_error_reads_as_the_issue_asks() -> None:
    error = error_of("X @ W", {"X": [[1, 2]] * 3, "W": [[1, 2, 3, 4]] * 3})
    assert error.code == "matmul_inner"
    assert error.message == ("X is a 3×2 matrix and W is a 3×4 matrix: X @ W needs X's "
                             "columns (2) to equal W's rows (3)")
    assert error.message_in("zh-CN") == ("X 是 3×2 矩阵，W 是 3×4 矩阵：X @ W 要求 X 的列数（2）"
                                         "等于 W 的行数（3）")
    assert error.params["a"] == "X" and error.params["a_shape"] == [3, 2]


def test_loss_shape_errors() -> None:
    error = error_of("softmax_loss(s, y)", {"s": [[1, 2], [3, 4]], "y": [0, 1, 1]})
    assert isinstance(error, ShapeError)
    assert "a 2×2 matrix" in error.message and "a vector of 3" in error.message


def test_labels_from_a_computed_value() -> None:
    error = error_of("svm_loss(s, y + 1)", {"s": [[1, 2]], "y": [0]})
    assert "labels" in error.message and error.position == 0


def test_tensor_element_limit() -> None:
    settings = circuitgrad.Settings(max_tensor_elements=100)
    with pytest.raises(LimitError):
        evaluate("x", {"x": [0.0] * 101}, settings=settings)
    with pytest.raises(LimitError):
        evaluate("sum(x @ y)", {"x": [[1.0]] * 20, "y": [[1.0] * 20]}, settings=settings)


# --- sizes and pathological input ------------------------------------------------------------


def _within_a_second(text: str, values: dict[str, Any]) -> float | None:
    # CPU time of this process, so that other work on a shared machine cannot fail the test.
    start = time.process_time()
    try:
        value = float(evaluate(text, values).value)
    except LimitError as error:
        assert "limit" in error.message
        value = None
    assert time.process_time() - start < 1.0
    return value


def test_100000_nested_parentheses() -> None:
    depth = 100_000
    value = _within_a_second("(" * depth + "x" + ")" * depth, {"x": 1})
    assert value in (None, 1.0)


def test_sum_of_100000_terms() -> None:
    value = _within_a_second("+".join(["x"] * 100_000), {"x": 1})
    assert value in (None, 100_000.0)


def test_100000_unary_minuses() -> None:
    _within_a_second("-" * 100_000 + "x", {"x": 1})


def test_long_source_is_refused_quickly() -> None:
    _within_a_second("x" + "*x" * 1_000_000, {"x": 1})


@pytest.mark.parametrize(("text", "value"), [
    ("9^9^9", math.inf), ("9**9**9**9", math.inf), ("(-8)^(1/3)", math.nan), ("0^-1", math.inf),
    ("10^400", math.inf), ("1e400 * 0", math.nan), ("-(10^400)", -math.inf),
])
def test_huge_powers_are_floats_and_never_hang(text: str, value: float) -> None:
    start = time.process_time()
    result = evaluate(text)
    assert time.process_time() - start < 1.0
    assert (math.isnan(result.value) and math.isnan(value)) or result.value == value


def test_deep_chain_of_10000_gates_works() -> None:
    text = "exp(" * 2_000 + "x" + ")" * 2_000
    result = evaluate("sin(" * 5_000 + "x" + ")" * 5_000, {"x": 0.5})
    assert math.isfinite(result.value)
    assert math.isfinite(result.gradients["x"])
    chain = "+".join(["x"] * 10_000)
    assert evaluate(chain, {"x": 1}).gradients["x"] == 10_000.0
    assert evaluate(text, {"x": -50}).value > 0


@pytest.mark.parametrize(("text", "values"), [
    ("log(x) * exp(y) / z", {"x": [0, -1, 1], "y": [1000, 1, 1], "z": [0, 0, 1]}),
    ("sqrt(x) + x^y + y / x", {"x": [-1.0, 0.0], "y": [0.5, -2]}),
    ("softmax(x) + sigmoid(x) + tanh(x)", {"x": [1e308, -1e308]}),
    ("svm_loss(s, y) + softmax_loss(s, y)", {"s": [[1e308, -1e308]], "y": [1]}),
    ("sum(x) * mean(x) + max(x, 0) - min(x, 0)", {"x": [1e308, 1e308]}),
    ("x^y", {"x": 1e308, "y": 1e308}),
    ("max(x, y)", {"x": 0, "y": 0}),
])
def test_no_numpy_warnings_and_no_other_exceptions(text: str, values: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):  # would raise FloatingPointError if the engine leaked
            result = evaluate(text, values, expand=True)
            result.to_dict()
            evaluate(text, values).to_dict()


def test_every_error_class_is_a_circuit_error() -> None:
    for cls in (ParseError, InputError, ShapeError, LimitError, ArityError, NameResolutionError):
        assert issubclass(cls, CircuitError)


def test_error_to_dict_carries_the_position() -> None:
    payload = error_of("x+*y").to_dict()
    assert payload["position"] == 2 and payload["line"] == 1 and payload["column"] == 3
    assert payload["type"] == "ParseError" and payload["message"]


@pytest.mark.parametrize(("text", "line", "shown"), [
    ("x +\n", 1, "x +"),
    ("x +\n\n   ", 1, "x +"),
    ("x\r+*y", 1, "x +*y"),
    ("q = x\n\tf = q +* 2", 2, " f = q +* 2"),
    ("q = x\u2028+*y", 1, "q = x\u2028+*y"),
])
def test_render_never_fails_and_the_caret_sits_under_the_culprit(text: str, line: int,
                                                                 shown: str) -> None:
    error = error_of(text, {"x": 1, "y": 1})
    assert error.line == line
    rendered = error.render().splitlines() if "\u2028" not in text else \
        error.render().split("\n")
    assert rendered[1] == "  " + shown
    assert rendered[2] == "  " + " " * (error.column - 1) + "^"  # type: ignore[operator]


def test_labels_used_as_a_number_too_is_an_error() -> None:
    text = "softmax_loss(s, y) + y"
    error = error_of(text, {"s": [[1.0, 2.0]], "y": [0]})
    assert isinstance(error, NameResolutionError)
    assert "'y' holds class labels" in error.message
    assert error.position == text.index("+")


def test_labels_may_feed_two_losses() -> None:
    result = evaluate("softmax_loss(s, y) + svm_loss(s, y)", {"s": [[1.0, 2.0]], "y": [0]})
    assert "y" not in result.gradients
