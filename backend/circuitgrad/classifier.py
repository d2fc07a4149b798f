"""The linear-classifier lab: 2-D toy data, scores X@W + b, a loss, and mini-batch SGD.

The loss is an ordinary circuitgrad expression, built once into a circuit; each SGD step
runs that circuit forward and backward on the batch's tensors, so a batch of 256 costs a
few numpy calls per gate, not 256 scalar circuits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from .errors import InputError
from .objective import Deadline, Objective, bounded_count, finite_number
from .settings import DEFAULT_SETTINGS, Settings
from .values import _tensor, to_json

Dataset = Literal["spiral", "blobs"]
Loss = Literal["softmax", "svm"]
DATASETS: tuple[str, ...] = get_args(Dataset)
LOSSES: tuple[str, ...] = get_args(Loss)
CLASSES = 3
DIMENSIONS = 2

EXPRESSIONS: dict[str, str] = {
    "softmax": "scores = X @ W + b\nloss = softmax_loss(scores, y) + reg * sum(W * W)",
    "svm": "scores = X @ W + b\nloss = svm_loss(scores, y) + reg * sum(W * W)",
}


def make_dataset(kind: str, points: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`points` 2-D points in 3 classes, the same for the same seed: X (N, 2), y (N,) ints."""
    if kind not in DATASETS:
        raise InputError("unknown_dataset", name=kind, known=list(DATASETS))
    rng = np.random.default_rng(seed)
    counts = [points // CLASSES + (1 if j < points % CLASSES else 0) for j in range(CLASSES)]
    xs, ys = [], []
    for j, n in enumerate(counts):
        if kind == "spiral":
            # The CS231n spiral: three arms winding out from the origin.
            r = np.linspace(0.0, 1.0, n)
            t = np.linspace(j * 4.0, (j + 1) * 4.0, n) + rng.standard_normal(n) * 0.2
            xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        else:
            # Three round blobs on a circle of radius 2, 120° apart.
            angle = math.pi / 2 + j * 2 * math.pi / CLASSES
            center = 2.0 * np.array([math.cos(angle), math.sin(angle)])
            xs.append(center + 0.6 * rng.standard_normal((n, DIMENSIONS)))
        ys.append(np.full(n, j, dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def initial_weights(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Small random W (0.01·N(0, 1)) and zero b, as in the CS231n notes."""
    rng = np.random.default_rng([seed, 1])
    return 0.01 * rng.standard_normal((DIMENSIONS, CLASSES)), np.zeros(CLASSES)


def predict(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The class with the highest score for each row of X."""
    return np.asarray(np.argmax(X @ W + b, axis=1))


def decision_grid(X: np.ndarray, W: np.ndarray, b: np.ndarray, size: int) -> dict[str, Any]:
    """Predicted classes on a size×size grid covering the data (rows go up in y)."""
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    gx, gy = np.meshgrid(np.linspace(low[0], high[0], size), np.linspace(low[1], high[1], size))
    classes = predict(np.column_stack([gx.ravel(), gy.ravel()]), W, b).reshape(size, size)
    return {"x": [float(low[0]), float(high[0])], "y": [float(low[1]), float(high[1])],
            "size": size, "classes": classes.tolist()}


@dataclass(frozen=True, slots=True)
class Training:
    """What a run of mini-batch SGD produced."""

    dataset: str
    loss_name: str
    expression: str
    X: np.ndarray
    y: np.ndarray
    W: np.ndarray
    b: np.ndarray
    losses: list[float]  # the batch loss before each step
    start_step: int
    accuracy: float  # on the whole training set, after the last step
    full_loss: float  # the loss on the whole training set, after the last step
    grid: dict[str, Any] | None
    diverged_at: int | None
    stopped_early: bool
    evaluations: int

    def to_dict(self, include_data: bool = True) -> dict[str, Any]:
        """The JSON of POST /api/classifier."""
        out: dict[str, Any] = {
            "dataset": self.dataset, "loss_name": self.loss_name,
            "expression": self.expression,
            "W": to_json(self.W), "b": to_json(self.b),
            "loss_curve": [{"step": self.start_step + i, "loss": to_json(v)}
                           for i, v in enumerate(self.losses)],
            "start_step": self.start_step, "end_step": self.start_step + len(self.losses),
            "accuracy": self.accuracy, "loss": to_json(self.full_loss), "grid": self.grid,
            "diverged_at": self.diverged_at, "stopped_early": self.stopped_early,
            "evaluations": self.evaluations,
        }
        if include_data:
            out["points"] = {"X": self.X.tolist(), "y": self.y.tolist()}
        return out


class SGD:
    """Mini-batch SGD on one data set through the loss circuit, built once."""

    def __init__(self, X: np.ndarray, y: np.ndarray, loss: str = "softmax", reg: float = 1e-3,
                 settings: Settings = DEFAULT_SETTINGS) -> None:
        if loss not in LOSSES:
            raise InputError("unknown_loss", name=loss, known=list(LOSSES))
        self.X, self.y = X, y
        self.expression = EXPRESSIONS[loss]
        W, b = initial_weights(0)
        self.objective = Objective(self.expression, {"X": X, "W": W, "b": b, "y": y, "reg": reg},
                                   settings=settings)
        node = self.objective.node
        self.x_node, self.w_node, self.b_node, self.y_node = node("X"), node("W"), node("b"), \
            node("y")
        self.inputs = dict(self.objective.inputs)

    def loss_and_grads(self, Xb: np.ndarray, yb: np.ndarray, W: np.ndarray, b: np.ndarray
                       ) -> tuple[float, np.ndarray, np.ndarray]:
        """The loss on a batch and its gradients with respect to W and b."""
        inputs = self.inputs
        inputs[self.x_node], inputs[self.y_node] = Xb, yb
        inputs[self.w_node], inputs[self.b_node] = W, b
        values = self.objective.run_forward(inputs)
        grads = self.objective.grads(values)
        return self.objective.loss_of(values), grads[self.w_node], grads[self.b_node]

    def loss(self, W: np.ndarray, b: np.ndarray) -> float:
        """The loss on the whole data set."""
        inputs = self.inputs
        inputs[self.x_node], inputs[self.y_node] = self.X, self.y
        inputs[self.w_node], inputs[self.b_node] = W, b
        return self.objective.loss_of(self.objective.run_forward(inputs))


def batches(n: int, batch_size: int, rng: np.random.Generator) -> Any:
    """Endless batches of row indices: a fresh shuffle each epoch, the whole set when full."""
    if batch_size >= n:
        everything = np.arange(n)
        while True:
            yield everything
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start:start + batch_size]


def train(dataset: str = "blobs", *, points: int = 300, seed: int = 0, loss: str = "softmax",
          reg: float = 1e-3, learning_rate: float = 1.0, batch_size: int | None = None,
          steps: int = 100, W: Any = None, b: Any = None, start_step: int = 0, grid: int = 50,
          settings: Settings = DEFAULT_SETTINGS) -> Training:
    """Train a linear classifier by mini-batch SGD; continue from W and b when given.

    Batches are drawn from a generator seeded by (seed, start_step), so a run is the same
    every time, also when the page asks for it in chunks.
    """
    points = bounded_count(points, "points", settings.max_dataset_points, low=CLASSES)
    steps = bounded_count(steps, "steps", settings.max_optimize_steps)
    grid = bounded_count(grid, "grid", settings.max_grid_size)
    start_step = bounded_count(start_step, "start_step", 10**9)
    full = batch_size is None
    batch = points if batch_size is None else bounded_count(
        batch_size, "batch_size", settings.max_batch_size, low=1)
    reg = finite_number(reg, "reg", low=0.0)
    learning_rate = finite_number(learning_rate, "learning_rate", low=0.0, open_low=True)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed_not_whole", value=repr(seed)[:40])

    X, y = make_dataset(dataset, points, seed)
    W0, b0 = initial_weights(seed)
    W_now = W0 if W is None else _weights(W, "W", (DIMENSIONS, CLASSES))
    b_now = b0 if b is None else _weights(b, "b", (CLASSES,))
    sgd = SGD(X, y, loss, reg, settings)
    rng = np.random.default_rng([seed, start_step, 2])
    deadline = Deadline(settings)
    losses: list[float] = []
    diverged_at: int | None = None
    stopped_early = False
    source = batches(points, points if full else batch, rng)
    for step in range(steps):
        if deadline.expired():
            stopped_early = True
            break
        rows = next(source)
        value, dW, db = sgd.loss_and_grads(X[rows], y[rows], W_now, b_now)
        losses.append(value)
        if not math.isfinite(value):
            diverged_at = start_step + step
            break
        W_now = W_now - learning_rate * dW
        b_now = b_now - learning_rate * db
    with np.errstate(all="ignore"):
        accuracy = float(np.mean(predict(X, W_now, b_now) == y))
        grid_out = decision_grid(X, W_now, b_now, grid) if grid and np.isfinite(
            W_now).all() and np.isfinite(b_now).all() else None
    return Training(dataset, loss, sgd.expression, X, y, W_now, b_now, losses, start_step,
                    accuracy, sgd.loss(W_now, b_now), grid_out, diverged_at, stopped_early,
                    sgd.objective.forward_count)


def _weights(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    array = _tensor(value, {"phrase": "value_of", "name": name}, 10_000, name)
    if array.shape != shape:
        raise InputError("weights_shape", input=name, name=name, shape=list(shape),
                         got=list(array.shape))
    return array
