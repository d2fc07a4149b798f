"""A single example: a score vector with one label, given bare or as a list of one."""

from __future__ import annotations

import math

import numpy as np
import pytest

from circuitgrad import evaluate

SCORES = [1.0, 2.0, 3.0]


def reference_softmax_loss(scores: list[float], label: int) -> float:
    exps = [math.exp(s) for s in scores]
    return -math.log(exps[label] / sum(exps))


@pytest.mark.parametrize("labels", [2, [2]])
@pytest.mark.parametrize("expand", [False, True])
def test_softmax_loss_of_one_example(labels: object, expand: bool) -> None:
    result = evaluate("softmax_loss(s, y)", {"s": SCORES, "y": labels}, expand=expand)
    assert result.value == pytest.approx(reference_softmax_loss(SCORES, 2), rel=1e-12)


def test_svm_gradient_has_no_negative_zero() -> None:
    # All margins are negative here: every gradient is exactly +0.0.
    result = evaluate("svm_loss(s, y)", {"s": SCORES, "y": [2]})
    grads = np.asarray(result.gradients["s"])
    assert not np.signbit(grads).any()
