"""The classifier lab: deterministic data, accuracy on blobs and the spiral, gradients of
both models against centered differences and hand-written numpy, continuing, bounds."""

from __future__ import annotations

import numpy as np
import pytest

from circuitgrad import InputError, LimitError, Settings
from circuitgrad.check import gradcheck
from circuitgrad.classifier import (
    EXPRESSIONS,
    Network,
    decision_grid,
    expression_of,
    initial_parameters,
    initial_weights,
    make_dataset,
    parameter_shapes,
    train,
)
from circuitgrad.objective import Objective


@pytest.mark.parametrize("kind", ["spiral", "blobs"])
def test_data_sets_are_deterministic_with_their_seed(kind: str) -> None:
    X, y = make_dataset(kind, 300, seed=5)
    X2, y2 = make_dataset(kind, 300, seed=5)
    X3, _ = make_dataset(kind, 300, seed=6)
    assert X.shape == (300, 2) and y.shape == (300,)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, X3)
    assert np.bincount(y).tolist() == [100, 100, 100]


def test_point_counts_that_do_not_split_evenly() -> None:
    _, y = make_dataset("blobs", 100, seed=0)
    assert np.bincount(y).tolist() == [34, 33, 33]


@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_blobs_reach_95_percent_training_accuracy(loss: str) -> None:
    result = train("blobs", loss=loss, steps=100, batch_size=32, learning_rate=0.5, seed=0)
    assert result.accuracy >= 0.95
    assert result.losses[-1] < result.losses[0]
    assert result.diverged_at is None


def test_training_is_reproducible_with_its_seed() -> None:
    first = train("spiral", steps=30, batch_size=64, seed=2)
    again = train("spiral", steps=30, batch_size=64, seed=2)
    other = train("spiral", steps=30, batch_size=64, seed=3)
    assert first.losses == again.losses
    assert np.array_equal(first.W, again.W)
    assert first.losses != other.losses


def test_a_linear_classifier_cannot_separate_the_spiral() -> None:
    # The lesson of the CS231n spiral: about half right, however long a linear model trains.
    result = train("spiral", steps=200, learning_rate=1.0)
    assert 0.4 < result.accuracy < 0.65


def test_continuing_from_w_and_b_picks_up_where_it_stopped() -> None:
    first = train("blobs", steps=10, learning_rate=0.5)
    more = train("blobs", steps=10, learning_rate=0.5, W=first.W.tolist(), b=first.b.tolist(),
                 start_step=10)
    assert more.losses[0] == pytest.approx(first.full_loss)  # full batch: the same loss
    assert more.losses[-1] < first.losses[-1]
    assert more.to_dict()["loss_curve"][0]["step"] == 10


@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_analytic_weight_gradients_match_centered_differences(loss: str) -> None:
    X, y = make_dataset("blobs", 60, seed=1)
    W, b = initial_weights(1)
    W = W * 50  # away from the SVM's kinks at tiny weights
    values = {"X": X.tolist(), "W": W.tolist(), "b": b.tolist(), "y": y.tolist(), "reg": 1e-2}
    result = gradcheck(EXPRESSIONS[loss], values, inputs=["W", "b"])
    for check in result.inputs:
        assert check.max_centered_error < 1e-6, (check.name, check.max_centered_error)
    # And the same gradients as the SGD loop uses.
    network = Network(X, y, loss, 1e-2)
    _, grads = network.loss_and_grads(X, y, {"W": W, "b": b})
    assert np.allclose(grads["W"], result.inputs[0].centered, rtol=1e-6, atol=1e-9)
    assert np.allclose(grads["b"], result.inputs[1].centered, rtol=1e-6, atol=1e-9)


def test_the_sgd_update_matches_hand_written_numpy() -> None:
    X, y = make_dataset("blobs", 90, seed=0)
    W, b = initial_weights(0)
    loss, grads = Network(X, y, "softmax", 1e-3).loss_and_grads(X, y, {"W": W, "b": b})
    dW, db = grads["W"], grads["b"]
    scores = X @ W + b
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probs[np.arange(90), y])) + 1e-3 * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(90), y] -= 1
    dscores /= 90
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.allclose(dW, X.T @ dscores + 2e-3 * W)
    assert np.allclose(db, dscores.sum(axis=0))


def test_the_decision_grid_predicts_each_cell() -> None:
    X, y = make_dataset("blobs", 30, seed=0)
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    grid = decision_grid(Network(X, y), {"W": W, "b": np.zeros(3)}, 4)
    assert grid["size"] == 4
    assert grid["classes"][0] == [1, 1, 0, 0]  # left: class 1 (x < 0), right: class 0
    assert grid["x"][0] < X[:, 0].min() and grid["x"][1] > X[:, 0].max()


def test_a_huge_learning_rate_on_the_svm_stops_when_the_loss_is_not_finite() -> None:
    result = train("blobs", loss="softmax", learning_rate=1e300, steps=50)
    assert result.diverged_at is not None
    assert result.grid is None or result.grid["size"] == 50


@pytest.mark.parametrize("batch_size", [None, 32])
def test_a_loss_that_blows_up_is_divergence_before_it_overflows(batch_size: int | None) -> None:
    # The learning rate 10,000: 1.1, then 139,068, ... 1e258 after 100 steps, never
    # infinite in between, while the accuracy of the huge weights can look fine.
    result = train("blobs", learning_rate=10_000, steps=100, batch_size=batch_size)
    assert result.diverged_at == 1
    assert len(result.losses) == 2 and result.losses[1] > 100 * result.losses[0]


@pytest.mark.parametrize("model", ["linear", "two_layer"])
@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_good_learning_rates_never_count_as_divergence(model: str, loss: str) -> None:
    # Batches of 32 or all at rate 1; single examples, whose losses are noisier, at 0.1.
    for batch_size, rate in ((None, 1.0), (32, 1.0), (1, 0.1)):
        for dataset in ("blobs", "spiral"):
            result = train(dataset, model=model, learning_rate=rate, steps=300,
                           batch_size=batch_size, hidden=20, loss=loss)
            assert result.diverged_at is None, (dataset, batch_size)


def test_bounds_come_from_settings() -> None:
    small = Settings(max_optimize_steps=10, max_batch_size=8, max_dataset_points=50,
                     max_grid_size=5)
    with pytest.raises(LimitError, match="steps"):
        train(steps=11, points=30, settings=small)
    with pytest.raises(LimitError, match="batch_size"):
        train(steps=1, points=30, batch_size=9, grid=5, settings=small)
    with pytest.raises(LimitError, match="points"):
        train(steps=1, points=51, grid=5, settings=small)
    with pytest.raises(LimitError, match="grid"):
        train(steps=1, points=30, grid=6, settings=small)
    with pytest.raises(InputError, match="spiral, blobs"):
        train("moons")
    with pytest.raises(InputError, match="softmax, svm"):
        train(loss="hinge")
    with pytest.raises(InputError, match="W must be a 2×3 matrix"):
        train(W=[[1.0, 2.0]])


# ---- the two-layer network ----------------------------------------------------------------


def test_the_two_layer_network_is_the_case_study_s_program() -> None:
    assert expression_of("two_layer", "softmax") == (
        "hidden = relu(X @ W1 + b1)\nscores = hidden @ W2 + b2\n"
        "loss = softmax_loss(scores, y) + reg * (sum(W1 * W1) + sum(W2 * W2))")
    assert parameter_shapes("two_layer", 7) == {"W1": (2, 7), "b1": (7,), "W2": (7, 3),
                                                "b2": (3,)}
    start = initial_parameters("two_layer", 0, 7)
    assert 0 < np.std(start["W1"]) < 0.05 and not start["b1"].any()


def test_the_roles_rule_finds_the_parameters_each_model_trains() -> None:
    # The default of POST /api/optimize and the classifier agree on what is trained.
    X, y = make_dataset("spiral", 30, seed=0)
    for model in ("linear", "two_layer"):
        start = initial_parameters(model, 0, 5)
        roles = Objective(expression_of(model, "svm"),
                          {"X": X, "y": y, "reg": 1e-3, **start}).roles()
        assert [n for n, role in roles.items() if role == "parameter"] == [
            n for n in roles if n in start]
        assert roles["X"] == "examples" and roles["y"] == "labels"
        assert roles["reg"] == "hyperparameter"


@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_two_layer_gradients_match_centered_differences(loss: str) -> None:
    X, y = make_dataset("spiral", 30, seed=2)
    start = initial_parameters("two_layer", 3, 6)
    start = {name: value * 30 + 0.1 for name, value in start.items()}  # off relu's kinks
    values = {"X": X, "y": y, "reg": 1e-2, **start}
    result = gradcheck(expression_of("two_layer", loss), values,
                       inputs=["W1", "b1", "W2", "b2"])
    assert result.kinks == [] or all(c.max_centered_error < 1e-4 for c in result.inputs)
    _, grads = Network(X, y, loss, 1e-2, model="two_layer", hidden=6).loss_and_grads(
        X, y, start)
    for check in result.inputs:
        assert np.allclose(grads[check.name], check.centered, rtol=1e-5, atol=1e-8), check.name


def test_a_two_layer_step_matches_hand_written_numpy() -> None:
    # The CS231n case study's backward pass, written out with numpy.
    X, y = make_dataset("spiral", 60, seed=1)
    p = initial_parameters("two_layer", 1, 8)
    reg, n = 1e-3, len(X)
    loss, grads = Network(X, y, "softmax", reg, model="two_layer", hidden=8).loss_and_grads(
        X, y, p)
    hidden = np.maximum(0, X @ p["W1"] + p["b1"])
    scores = hidden @ p["W2"] + p["b2"]
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    expected = -np.mean(np.log(probs[rows, y])) + reg * (np.sum(p["W1"] ** 2)
                                                         + np.sum(p["W2"] ** 2))
    dscores = probs.copy()
    dscores[rows, y] -= 1
    dscores /= n
    dhidden = dscores @ p["W2"].T
    dhidden[hidden <= 0] = 0
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.allclose(grads["W2"], hidden.T @ dscores + 2 * reg * p["W2"])
    assert np.allclose(grads["b2"], dscores.sum(axis=0))
    assert np.allclose(grads["W1"], X.T @ dhidden + 2 * reg * p["W1"])
    assert np.allclose(grads["b1"], dhidden.sum(axis=0))


def test_the_two_layer_network_learns_the_spiral_the_linear_model_cannot() -> None:
    # The CS231n case study: hidden 100, ReLU, λ 1e-3, learning rate 1, full batch. Fewer
    # steps than the lab's 10,000 keep the test quick; the e2e test runs all of them.
    two = train("spiral", model="two_layer", hidden=100, steps=2_500, learning_rate=1.0)
    one = train("spiral", model="linear", steps=2_500, learning_rate=1.0)
    assert two.accuracy >= 0.9, two.accuracy
    assert 0.4 < one.accuracy < 0.6, one.accuracy
    assert two.full_loss < one.full_loss
    grid = np.array(two.grid["classes"])  # type: ignore[index]
    assert set(np.unique(grid)) == {0, 1, 2}
    out = two.to_dict(include_data=False)
    assert out["model"] == "two_layer" and out["hidden"] == 100
    assert list(out["params"]) == ["W1", "b1", "W2", "b2"]
    assert np.shape(out["params"]["W1"]) == (2, 100) and out["W"] is None


def test_continuing_a_two_layer_run_equals_one_run() -> None:
    whole = train("spiral", model="two_layer", hidden=10, steps=40, learning_rate=1.0)
    half = train("spiral", model="two_layer", hidden=10, steps=20, learning_rate=1.0)
    rest = train("spiral", model="two_layer", hidden=10, steps=20, learning_rate=1.0,
                 params={k: v.tolist() for k, v in half.params.items()}, start_step=20)
    assert half.losses + rest.losses == pytest.approx(whole.losses, rel=1e-12)
    assert np.allclose(rest.params["W2"], whole.params["W2"], rtol=1e-12)


def test_parameters_are_checked_against_the_model() -> None:
    with pytest.raises(InputError, match="not a parameter of the two_layer model"):
        train(model="two_layer", hidden=4, params={"W": [[0.0] * 3] * 2})
    fresh = train(model="two_layer", hidden=1, steps=0, params={"b2": [1.0, 2.0, 3.0]})
    assert fresh.params["b2"].tolist() == [1.0, 2.0, 3.0]  # the others start afresh
    assert np.array_equal(fresh.params["W1"], initial_parameters("two_layer", 0, 1)["W1"])
    with pytest.raises(InputError, match="W2 must be a 4×3 matrix, got a 5×3 matrix"):
        train(model="two_layer", hidden=4,
              params={"W1": [[1.0] * 4] * 2, "b1": [0.0] * 4, "W2": [[1.0] * 3] * 5,
                      "b2": [0.0] * 3})
    with pytest.raises(InputError, match="linear model's"):
        train(model="two_layer", W=[[0.0] * 3] * 2)
    with pytest.raises(LimitError, match="hidden"):
        train(model="two_layer", hidden=11, settings=Settings(max_hidden_units=10))
    with pytest.raises(InputError, match="linear, two_layer"):
        train(model="deep")
