"""Hints about inputs nobody meant: joined names and names spelt like functions or constants."""

from __future__ import annotations

import pytest

from circuitgrad import evaluate
from circuitgrad.hints import split_joined


def hints_of(text: str) -> dict[str, str]:
    names = {"w0x0", "w1x1", "w2", "xy", "x", "y", "z", "Sigmoid", "Pi", "r", "ex", "w_0x_0",
             "alpha", "beta", "alphabeta", "x1", "x12", "qx", "theta"}
    result = evaluate(text, {name: 1.0 for name in names})
    return {hint["input"]: hint["suggestion"] for hint in result.to_dict()["hints"]}


@pytest.mark.parametrize(("text", "expected"), [
    ("1/(1+e^-(w0x0+w1x1+w2))", {"w0x0": "w0*x0", "w1x1": "w1*x1"}),
    ("w₀x₀ + w2", {"w0x0": "w0*x0"}),
    (r"e^{-(w_0x_0)}", {"w_0x_0": "w_0*x_0"}),
    ("x*y + xy", {"xy": "x*y"}),
    ("q = x\nqx + q", {"qx": "q*x"}),
    ("alpha*beta + alphabeta", {"alphabeta": "alpha*beta"}),
    ("ex + x", {"ex": "e*x"}),
    ("Sigmoid (x)", {"Sigmoid": "sigmoid"}),
    ("Pi*r", {"Pi": "pi"}),
    # nothing suspicious
    ("2xy + 1", {}),
    ("x1 + x12", {}),
    ("theta * x", {}),
    ("x*y*z", {}),
])
def test_inputs_that_look_joined_or_misspelt_get_a_hint(text: str,
                                                         expected: dict[str, str]) -> None:
    assert hints_of(text) == expected


def test_a_hint_is_a_warning_too_and_reads_in_both_languages() -> None:
    result = evaluate("w0x0 + 1", {"w0x0": 2.0})
    assert "w0x0 is a new input; did you mean w0*x0?" in result.warnings
    [hint] = result.hints
    assert hint.parts == ("w0", "x0")
    assert hint.message("zh-CN") == "w0x0 是一个新的输入；你是想写 w0*x0 吗？"
    assert result.to_dict()["hints"][0] == {
        "code": "joined_name", "input": "w0x0", "suggestion": "w0*x0", "parts": ["w0", "x0"],
        "message": "w0x0 is a new input; did you mean w0*x0?"}


@pytest.mark.parametrize(("name", "known", "parts"), [
    ("w0x0", set(), ["w0", "x0"]),
    ("w10x2b3", set(), ["w10", "x2", "b3"]),
    ("xyz", {"x", "y", "z"}, ["x", "y", "z"]),
    ("xyz", {"x", "yz"}, ["x", "yz"]),
    ("xyz", {"x", "y"}, None),
    ("x0", set(), None),
    ("epi", {"e", "pi"}, None),
])
def test_split_joined(name: str, known: set[str], parts: list[str] | None) -> None:
    assert split_joined(name, known) == parts
