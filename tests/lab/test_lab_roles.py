"""Parameters versus data: the rule that picks what an optimizer moves by default."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from circuitgrad.api.examples import EXAMPLES
from circuitgrad.objective import Objective
from circuitgrad.ops import REGISTRY
from circuitgrad.optimize import optimize
from circuitgrad.roles import MATRIX_PRODUCTS, MIXING, ROW_WISE, TRANSPOSES, default_parameters

RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 3))  # 5 examples, 3 features
W = RNG.standard_normal((3, 4))  # 4 classes
B = RNG.standard_normal(4)
Y = [0, 3, 1, 2, 0]


def roles(expression: str, values: dict[str, Any], expand: bool = False) -> dict[str, str]:
    return dict(Objective(expression, values, expand=expand).roles())


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "loss" in e["id"]],
                         ids=lambda e: e["id"])
@pytest.mark.parametrize("expand", [False, True])
def test_the_built_in_loss_examples_train_w_and_b_never_x_or_the_labels(
        example: dict[str, Any], expand: bool) -> None:
    found = roles(example["expression"], example["values"], expand)
    assert found == {"X": "examples", "W": "parameter", "b": "parameter", "y": "labels"}
    run = optimize(example["expression"], example["values"], steps=3, expand=expand)
    assert run.optimize == ["W", "b"]
    assert run.final_values.keys() == {"W", "b"}


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "loss" not in e["id"]],
                         ids=lambda e: e["id"])
def test_without_a_loss_every_input_is_a_parameter(example: dict[str, Any]) -> None:
    found = roles(example["expression"], example["values"], example["expand"])
    assert set(found.values()) == {"parameter"}


@pytest.mark.parametrize(("expression", "values", "expected"), [
    # The regularization strength does not reach the scores: a hyperparameter.
    ("softmax_loss(X @ W + b, y) + reg * sum(W * W)", {"reg": 0.1},
     {"X": "examples", "W": "parameter", "b": "parameter", "y": "labels",
      "reg": "hyperparameter"}),
    # A shift broadcast over the examples is shared by all of them: a parameter.
    ("svm_loss((X - mu) @ W, y)", {"mu": [0.0, 1.0, 2.0]},
     {"X": "examples", "mu": "parameter", "W": "parameter", "y": "labels"}),
    # Examples as columns (CS231n's W x): the axis comes through the transposes.
    ("softmax_loss((W2 @ X.T).T + b, y)", {"W2": W.T.tolist()},
     {"W2": "parameter", "X": "examples", "b": "parameter", "y": "labels"}),
    # A two-layer network, the scores named on the way.
    ("h = relu(X @ W1 + b1)\ns = h @ W2 + b2\nsoftmax_loss(s, y)",
     {"W1": np.ones((3, 6)), "b1": np.zeros(6), "W2": np.ones((6, 4)), "b2": np.zeros(4)},
     {"X": "examples", "W1": "parameter", "b1": "parameter", "W2": "parameter",
      "b2": "parameter", "y": "labels"}),
    # Per-example weights scale each example's scores: they carry the examples axis.
    ("softmax_loss(X @ W * s, y)", {"s": np.ones((5, 1))},
     {"X": "examples", "W": "parameter", "s": "examples", "y": "labels"}),
    # A reduction mixes the examples: beyond it nothing carries them.
    ("softmax_loss(X @ W + sum(X) * b, y)", {},
     {"X": "examples", "W": "parameter", "b": "parameter", "y": "labels"}),
])
def test_the_examples_axis_is_followed_back_from_the_scores(
        expression: str, values: dict[str, Any], expected: dict[str, str]) -> None:
    given = {"X": X, "W": W, "b": B, "y": Y, **values}
    found = roles(expression, {k: v for k, v in given.items() if k in expected})
    assert found == expected


@pytest.mark.parametrize(("expression", "values", "expected"), [
    ("svm_loss(W @ x + b, y)", {"W": W.T, "x": X[0], "b": B, "y": 2},
     {"W": "parameter", "x": "examples", "b": "parameter", "y": "labels"}),
    ("softmax_loss(x @ W, y)", {"W": W, "x": X[0], "y": [1]},
     {"x": "examples", "W": "parameter", "y": "labels"}),
    ("svm_loss(W2 @ relu(W1 @ x + b1) + b2, y)",
     {"W1": np.ones((6, 3)), "x": X[0], "b1": np.zeros(6), "W2": np.ones((4, 6)),
      "b2": B, "y": 3},
     {"W2": "parameter", "W1": "parameter", "x": "examples", "b1": "parameter",
      "b2": "parameter", "y": "labels"}),
])
def test_a_single_example_is_the_vector_of_a_matrix_vector_product(
        expression: str, values: dict[str, Any], expected: dict[str, str]) -> None:
    assert roles(expression, values) == expected


def test_with_no_parameter_the_examples_move_and_the_run_says_why() -> None:
    values = {"S": RNG.standard_normal((5, 4)).tolist(), "y": Y}
    assert roles("softmax_loss(S, y)", values) == {"S": "examples", "y": "labels"}
    run = optimize("softmax_loss(S, y)", values, steps=2)
    assert run.optimize == ["S"]
    assert any("no input is a parameter" in w for w in run.warnings)


def test_the_default_falls_back_in_order() -> None:
    assert default_parameters({"a": "parameter", "X": "examples"}) == ["a"]
    assert default_parameters({"X": "examples", "r": "hyperparameter", "y": "labels"}) == ["X"]
    assert default_parameters({"r": "hyperparameter", "y": "labels"}) == ["r"]
    assert default_parameters({"y": "labels"}) == []


def test_naming_the_inputs_overrides_the_default() -> None:
    example = next(e for e in EXAMPLES if e["id"] == "softmax-loss")
    run = optimize(example["expression"], example["values"], steps=2, optimize=["X"])
    assert run.optimize == ["X"]
    body = run.to_dict()
    assert body["roles"] == [{"name": "X", "role": "examples"}, {"name": "W", "role": "parameter"},
                             {"name": "b", "role": "parameter"}, {"name": "y", "role": "labels"}]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_primitive_says_how_the_examples_pass_through_it(name: str) -> None:
    # A new op must decide: element-wise, or one of the kinds the walk knows.
    kinds = [MATRIX_PRODUCTS, TRANSPOSES, ROW_WISE, MIXING]
    assert REGISTRY[name].elementwise or sum(name in kind for kind in kinds) == 1
