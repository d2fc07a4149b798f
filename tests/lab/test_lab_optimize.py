"""Search methods and gradient descent: the seed's numbers, convergence, cost, divergence."""

from __future__ import annotations

import json
import math

import pytest

from circuitgrad import InputError, LimitError, Settings, ShapeError
from circuitgrad.optimize import METHODS, optimize

SEED_EXAMPLE = "3x^2+6x"  # minimum -3 at x = -1; gradient 18 at x = 2


@pytest.mark.parametrize(("learning_rate", "x_after_one_step"), [(0.1, 0.2), (0.01, 1.82)])
def test_the_seed_learning_rates_after_one_step(learning_rate: float,
                                                x_after_one_step: float) -> None:
    run = optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=learning_rate, steps=1)
    assert run.trajectory[0]["values"]["x"] == 2.0
    assert run.trajectory[0]["grad_norm"] == 18.0
    assert run.trajectory[1]["values"]["x"] == x_after_one_step
    assert run.trajectory[1]["loss"] < run.trajectory[0]["loss"]
    assert run.diverged_at is None


def test_learning_rate_one_overshoots_to_minus_16_and_is_flagged() -> None:
    run = optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=1, steps=1)
    assert run.trajectory[1]["values"]["x"] == -16.0
    assert run.trajectory[1]["loss"] == 672.0  # 3·256 - 96, up from 24
    assert run.diverged_at == 1


def test_a_diverging_run_stops_at_the_divergence() -> None:
    run = optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=1, steps=50)
    assert run.diverged_at == 1
    assert len(run.trajectory) == 2


def test_a_non_finite_loss_is_divergence() -> None:
    run = optimize("exp(x^2)", {"x": 3}, learning_rate=10.0, steps=20, method="momentum")
    assert run.diverged_at is not None
    assert run.trajectory[-1]["step"] == run.diverged_at
    body = run.to_dict()
    json.dumps(body, allow_nan=False)  # non-finite numbers are strings


def test_gradient_descent_converges_to_minus_one() -> None:
    run = optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=0.1, steps=30)
    assert run.final_values["x"] == pytest.approx(-1.0, abs=1e-9)
    assert run.trajectory[-1]["loss"] == pytest.approx(-3.0)
    assert run.evaluations == 31  # the start, then one forward pass per step


QUADRATIC = "(x - 3)^2 + 2(y + 1)^2 + 0.5x*y"


@pytest.mark.parametrize("method", METHODS)
def test_each_method_lowers_a_convex_quadratic(method: str) -> None:
    run = optimize(QUADRATIC, {"x": 0, "y": 0}, method=method, steps=100, learning_rate=0.05,
                   step_size=0.5, seed=7)
    losses = [entry["loss"] for entry in run.trajectory]
    assert losses[-1] < 0.5 * losses[0], method
    assert run.diverged_at is None
    assert len(run.trajectory) == 101
    assert [entry["step"] for entry in run.trajectory] == list(range(101))


@pytest.mark.parametrize("method", ["random_search", "random_local_search"])
def test_random_methods_never_keep_a_worse_point_and_use_no_gradients(method: str) -> None:
    run = optimize(QUADRATIC, {"x": 0, "y": 0}, method=method, steps=60, seed=1)
    losses = [entry["loss"] for entry in run.trajectory]
    assert all(b <= a for a, b in zip(losses, losses[1:], strict=False))
    assert run.gradient_evaluations == 0


def test_runs_are_reproducible_with_their_seed() -> None:
    first = optimize(QUADRATIC, {"x": 0, "y": 0}, method="random_local_search", steps=40, seed=3)
    again = optimize(QUADRATIC, {"x": 0, "y": 0}, method="random_local_search", steps=40, seed=3)
    other = optimize(QUADRATIC, {"x": 0, "y": 0}, method="random_local_search", steps=40, seed=4)
    assert first.trajectory == again.trajectory
    assert first.trajectory != other.trajectory


def _evaluations_to_reach(run_trajectory: list[dict[str, object]], target: float) -> float:
    for entry in run_trajectory:
        loss = entry["loss"]
        assert isinstance(loss, float)
        if loss <= target:
            evaluations = entry["evaluations"]
            assert isinstance(evaluations, int)
            return evaluations
    return math.inf


def test_gradient_descent_needs_far_fewer_evaluations_than_random_search() -> None:
    # A 4-D bowl; the target is within 0.01 of the minimum 0.
    expression = "(a-1)^2 + (b+2)^2 + (c-0.5)^2 + (d+1)^2"
    start = {"a": 0, "b": 0, "c": 0, "d": 0}
    target = 0.01
    descent = optimize(expression, start, method="gradient_descent", learning_rate=0.2,
                       steps=100)
    search = optimize(expression, start, method="random_search", step_size=1.5, steps=4000,
                      seed=0)
    gd_cost = _evaluations_to_reach(descent.trajectory, target)
    search_cost = _evaluations_to_reach(search.trajectory, target)
    assert gd_cost <= 20
    assert search_cost / gd_cost > 20  # a ratio of evaluations, not of time


def test_only_the_chosen_inputs_move() -> None:
    run = optimize("(x - y)^2", {"x": 5, "y": 1}, optimize=["x"], learning_rate=0.25, steps=20)
    assert set(run.final_values) == {"x"}
    assert run.final_values["x"] == pytest.approx(1.0, abs=1e-3)


def test_tensor_inputs_are_optimized_element_wise() -> None:
    run = optimize("sum((w - t)^2)", {"w": [0.0, 0.0, 0.0], "t": [1.0, -2.0, 3.0]},
                   optimize=["w"], learning_rate=0.25, steps=150, method="adam")
    assert run.final_values["w"].tolist() == pytest.approx([1.0, -2.0, 3.0], abs=0.05)


def test_bad_requests_are_refused_clearly() -> None:
    with pytest.raises(InputError, match="random_search, random_local_search"):
        optimize(SEED_EXAMPLE, {"x": 2}, method="newton")
    with pytest.raises(LimitError, match="steps is 10,001; the limit is 10,000"):
        optimize(SEED_EXAMPLE, {"x": 2}, steps=10_001)
    with pytest.raises(InputError, match="learning_rate"):
        optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=-1)
    with pytest.raises(InputError, match="learning_rate"):
        optimize(SEED_EXAMPLE, {"x": 2}, learning_rate=float("nan"))
    with pytest.raises(InputError, match="not an input"):
        optimize(SEED_EXAMPLE, {"x": 2}, optimize=["z"])
    with pytest.raises(ShapeError, match="single number"):
        optimize("x * 2", {"x": [1.0, 2.0]})
    with pytest.raises(LimitError, match="trajectory"):
        optimize("sum(w*w)", {"w": [1.0] * 100}, steps=100,
                 settings=Settings(max_trajectory_numbers=1000))


def test_zero_steps_is_just_the_start() -> None:
    run = optimize(SEED_EXAMPLE, {"x": 2}, steps=0)
    assert len(run.trajectory) == 1
    assert run.evaluations == 1


def test_a_start_that_is_already_not_finite_diverged_at_step_zero() -> None:
    run = optimize("log(x)", {"x": -1.0}, method="gradient_descent", learning_rate=0.1, steps=5)
    assert run.diverged_at == 0
    assert len(run.trajectory) == 1


# ---- a loss with no minimum ---------------------------------------------------------------


def test_x_plus_y_times_z_falls_without_bound_and_the_run_says_so() -> None:
    # The case: gradient descent on (x+y)z runs down to -37,060 in 30 steps.
    run = optimize("(x+y)z", {"x": -2, "y": 5, "z": -4}, steps=30, learning_rate=0.1)
    assert run.trajectory[-1]["loss"] == pytest.approx(-37_059.95, abs=0.01)
    evidence = run.to_dict()["unbounded_evidence"]
    assert run.to_dict()["unbounded"] is True
    assert evidence["reason"] == "still_falling"
    assert (evidence["from_step"], evidence["to_step"]) == (15, 30)
    assert evidence["loss_to"] < evidence["loss_from"] < 0
    assert evidence["grad_norm_to"] > evidence["grad_norm_from"]
    assert run.diverged_at is None  # it did not blow up: it has nowhere to stop


@pytest.mark.parametrize("method", ["gradient_descent", "momentum", "adam"])
def test_a_linear_loss_has_no_minimum_either(method: str) -> None:
    run = optimize("2x + 1", {"x": 0}, steps=100, learning_rate=0.1, method=method)
    assert run.unbounded is not None


@pytest.mark.parametrize(("expression", "values", "learning_rate"), [
    (SEED_EXAMPLE, {"x": 2}, 0.1),  # converges to -3
    (SEED_EXAMPLE, {"x": 2}, 0.01),  # still crawling towards it: the steps shrink
    ("x^2", {"x": 5}, 1.0),  # bounces between 5 and -5 forever
    ("-tanh(x)", {"x": 0}, 0.1),  # bounded by -1: the gradient flattens out
    ("x^4 - x^2", {"x": 0.1}, 0.01),  # steepening, but by far less than 1
    ("-exp(-x^2)", {"x": 2}, 0.1),  # the same near its bound of -1
])
def test_a_loss_with_a_minimum_is_not_called_unbounded(
        expression: str, values: dict[str, float], learning_rate: float) -> None:
    for steps in (10, 30, 100):
        run = optimize(expression, values, steps=steps, learning_rate=learning_rate)
        assert run.unbounded is None, (steps, run.trajectory[-1])


def test_a_loss_that_reaches_minus_infinity_is_unbounded() -> None:
    run = optimize("log(x)", {"x": 1}, steps=10, learning_rate=1.0)
    assert run.diverged_at == 1
    assert run.unbounded == {"from_step": 0, "to_step": 1, "loss_from": 0.0,
                             "loss_to": -math.inf, "reason": "minus_infinity"}
    assert run.to_dict()["unbounded_evidence"]["loss_to"] == "-Infinity"


def test_too_short_a_run_says_nothing() -> None:
    run = optimize("(x+y)z", {"x": -2, "y": 5, "z": -4}, steps=5, learning_rate=0.1)
    assert run.unbounded is None
