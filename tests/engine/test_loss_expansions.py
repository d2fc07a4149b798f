"""The losses drawn gate by gate compute what their single gates compute."""

from __future__ import annotations

import numpy as np
import pytest

from circuitgrad import evaluate


def batch(seed: int, n: int, c: int) -> tuple[list[list[float]], list[int]]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, c)).round(3).tolist(), rng.integers(0, c, size=n).tolist()


@pytest.mark.parametrize("loss", ["svm_loss", "softmax_loss"])
@pytest.mark.parametrize(("seed", "n", "c"), [(0, 3, 4), (1, 5, 3), (2, 1, 2), (3, 8, 10)])
def test_expanded_loss_matches_its_gate(loss: str, seed: int, n: int, c: int) -> None:
    scores, labels = batch(seed, n, c)
    values = {"s": scores, "y": labels}
    gate = evaluate(f"{loss}(s, y)", values)
    drawn = evaluate(f"{loss}(s, y)", values, expand=True)
    assert drawn.value == pytest.approx(gate.value, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(drawn.gradients["s"], gate.gradients["s"], rtol=1e-10,
                               atol=1e-14)


def test_expanded_svm_loss_hand_worked_cs231n_numbers() -> None:
    # The CS231n notes' three examples (scores of cat, car, frog): losses 2.9, 0 and 12.9.
    scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    result = evaluate("svm_loss(s, y)", {"s": scores, "y": [0, 1, 2]}, expand=True)
    assert result.value == pytest.approx((2.9 + 0 + 12.9) / 3)


def test_expanded_svm_loss_gives_no_gradient_at_a_margin_of_exactly_zero() -> None:
    # s_0 - s_1 + 1 = 0 exactly: the hinge's flat side, so class 0 gets no gradient.
    result = evaluate("svm_loss(s, y)", {"s": [[1.0, 2.0, 2.5]], "y": [1]}, expand=True)
    assert result.gradients["s"].tolist() == [[0.0, -1.0, 1.0]]
