"""The linear-classifier lab: deterministic data, accuracy on blobs, gradients, bounds."""

from __future__ import annotations

import numpy as np
import pytest

from circuitgrad import InputError, LimitError, Settings
from circuitgrad.check import gradcheck
from circuitgrad.classifier import (
    EXPRESSIONS,
    SGD,
    decision_grid,
    initial_weights,
    make_dataset,
    train,
)


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
    sgd = SGD(X, y, loss, 1e-2)
    _, dW, db = sgd.loss_and_grads(X, y, W, b)
    assert np.allclose(dW, result.inputs[0].centered, rtol=1e-6, atol=1e-9)
    assert np.allclose(db, result.inputs[1].centered, rtol=1e-6, atol=1e-9)


def test_the_sgd_update_matches_hand_written_numpy() -> None:
    X, y = make_dataset("blobs", 90, seed=0)
    W, b = initial_weights(0)
    sgd = SGD(X, y, "softmax", 1e-3)
    loss, dW, db = sgd.loss_and_grads(X, y, W, b)
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
    X, _ = make_dataset("blobs", 30, seed=0)
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    grid = decision_grid(X, W, np.zeros(3), 4)
    assert grid["size"] == 4
    assert grid["classes"][0] == [1, 1, 0, 0]  # left: class 1 (x < 0), right: class 0
    assert grid["x"][0] < X[:, 0].min() and grid["x"][1] > X[:, 0].max()


def test_a_huge_learning_rate_on_the_svm_stops_when_the_loss_is_not_finite() -> None:
    result = train("blobs", loss="softmax", learning_rate=1e300, steps=50)
    assert result.diverged_at is not None
    assert result.grid is None or result.grid["size"] == 50


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
    with pytest.raises(InputError, match="shape"):
        train(W=[[1.0, 2.0]])
