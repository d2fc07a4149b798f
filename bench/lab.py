"""Mini-batch SGD for the softmax classifier: circuitgrad's circuit vs hand-written numpy.

Both run the same update on the same data and the same batches in the same process:
scores = X@W + b, softmax loss + reg·sum(W*W), W -= lr·dW, b -= lr·db. Prints steps per
second at batch 1, 32 and 256, and the ratio (goal: within 3x of numpy at batch 256).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from circuitgrad.classifier import SGD, batches, initial_weights, make_dataset  # noqa: E402

POINTS = 3_000
REG = 1e-3
LEARNING_RATE = 0.5
SECONDS = 0.25  # per round; each side gets ROUNDS rounds, interleaved, and keeps its best
ROUNDS = 5


def numpy_step(Xb: np.ndarray, yb: np.ndarray, W: np.ndarray, b: np.ndarray
               ) -> tuple[float, np.ndarray, np.ndarray]:
    """The same loss and gradients, vectorized by hand (the CS231n spiral notebook)."""
    n = Xb.shape[0]
    scores = Xb @ W + b
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = -np.mean(np.log(probs[rows, yb])) + REG * np.sum(W * W)
    dscores = probs
    dscores[rows, yb] -= 1.0
    dscores /= n
    return float(loss), Xb.T @ dscores + 2 * REG * W, dscores.sum(axis=0)


def steps_per_second(step: object, X: np.ndarray, y: np.ndarray, batch: int) -> tuple[float, float]:
    """Run SGD for about SECONDS; return (steps/s, final loss)."""
    W, b = initial_weights(0)
    source = batches(len(X), batch, np.random.default_rng(0))
    count, loss = 0, 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        for _ in range(50):
            rows = next(source)
            loss, dW, db = step(X[rows], y[rows], W, b)  # type: ignore[operator]
            W = W - LEARNING_RATE * dW
            b = b - LEARNING_RATE * db
        count += 50
    return count / (time.perf_counter() - start), loss


def main() -> None:
    X, y = make_dataset("blobs", POINTS, seed=0)
    sgd = SGD(X, y, "softmax", REG)
    # Same numbers first: one step both ways on the same batch.
    W, b = initial_weights(0)
    ours = sgd.loss_and_grads(X[:256], y[:256], W, b)
    theirs = numpy_step(X[:256], y[:256], W, b)
    assert abs(ours[0] - theirs[0]) < 1e-12
    assert np.allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-14)
    assert np.allclose(ours[2], theirs[2], rtol=1e-10, atol=1e-14)

    print(f"softmax classifier SGD, {POINTS} blobs points, best of {ROUNDS} interleaved "
          f"rounds of {SECONDS:g} s (robust to other load on the machine)")
    print(f"{'batch':>6} {'circuitgrad steps/s':>20} {'numpy steps/s':>14} {'numpy/ours':>11}")
    ratio_256 = 0.0
    for batch in (1, 32, 256):
        ours_rate = numpy_rate = 0.0
        for _ in range(ROUNDS):
            ours_rate = max(ours_rate, steps_per_second(sgd.loss_and_grads, X, y, batch)[0])
            numpy_rate = max(numpy_rate, steps_per_second(numpy_step, X, y, batch)[0])
        ratio = numpy_rate / ours_rate
        if batch == 256:
            ratio_256 = ratio
        print(f"{batch:>6} {ours_rate:>20,.0f} {numpy_rate:>14,.0f} {ratio:>10.2f}x")
    verdict = "met" if ratio_256 <= 3.0 else "NOT met"
    print(f"goal (within 3x of numpy at batch 256): {verdict} ({ratio_256:.2f}x)")


if __name__ == "__main__":
    main()
