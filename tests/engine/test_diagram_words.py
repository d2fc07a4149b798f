"""Non-finite warnings name only what is not finite, as the diagram shows it (issue 12)."""

from __future__ import annotations

from circuitgrad import evaluate


def test_only_nonfinite_values_are_named_without_ids() -> None:
    warnings = evaluate("log(x) * y + z", {"x": 0, "y": 2, "z": 1}).to_dict()["warnings"]
    values = next(w for w in warnings if w.startswith("not finite"))
    assert values == "not finite (inf or NaN): log(x), log(x) × y, log(x) × y + z"
    # x and y are finite; their gradients are not, and are said as such.
    assert "gradient not finite (inf or NaN) at: x, y" in warnings
    assert not any("(n" in w for w in warnings)


def test_finite_circuits_have_no_such_warning() -> None:
    warnings = evaluate("x * y", {"x": 2, "y": 3}).to_dict()["warnings"]
    assert not any("finite" in w for w in warnings)


def test_a_long_formula_is_abbreviated_not_an_id() -> None:
    expression = "exp(exp(exp(exp(x*x*x*x))))"
    warnings = evaluate(expression, {"x": 3}).to_dict()["warnings"]
    assert any("exp(…)" in w for w in warnings)
    assert not any("n" + str(i) in w for w in warnings for i in range(10))
