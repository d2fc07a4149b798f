"""The classifier lab: 2-D toy data, a linear model or a two-layer network, mini-batch SGD.

Each model is an ordinary circuitgrad program, built once into a circuit; each SGD step
runs that circuit forward and backward on the batch's tensors (a batch of 256 costs a few
numpy calls per gate, not 256 scalar circuits). Predictions — the training accuracy and
the decision regions — read the same circuit's `scores`, so nothing about a model is
written twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from .errors import InputError
from .lang import DEFAULT_LANG, Lang
from .notices import Notice, sentences, worded
from .objective import Deadline, Objective, bounded_count, finite_number
from .settings import DEFAULT_SETTINGS, Settings
from .values import _tensor, to_json

Dataset = Literal["spiral", "blobs"]
Loss = Literal["softmax", "svm"]
Model = Literal["linear", "two_layer"]
DATASETS: tuple[str, ...] = get_args(Dataset)
LOSSES: tuple[str, ...] = get_args(Loss)
MODELS: tuple[str, ...] = get_args(Model)
CLASSES = 3
DIMENSIONS = 2
DEFAULT_HIDDEN = 100  # the CS231n case study's hidden layer
# A loss this many times above where the run started (or above 1) has blown up: the learning
# rate is too large. A good run's loss starts near ln(3) and falls; noise never gets here.
DIVERGED = 100.0

_DATA_LOSS = {"softmax": "softmax_loss(scores, y)", "svm": "svm_loss(scores, y)"}
_MODELS = {
    "linear": "scores = X @ W + b\nloss = {data} + reg * sum(W * W)",
    "two_layer": "hidden = relu(X @ W1 + b1)\nscores = hidden @ W2 + b2\n"
                 "loss = {data} + reg * (sum(W1 * W1) + sum(W2 * W2))",
}


def expression_of(model: str = "linear", loss: str = "softmax") -> str:
    """The program a model trains: its scores, then the data loss plus λ·(sum of W²)."""
    if model not in MODELS:
        raise InputError("unknown_model", name=model, known=list(MODELS))
    if loss not in LOSSES:
        raise InputError("unknown_loss", name=loss, known=list(LOSSES))
    return _MODELS[model].format(data=_DATA_LOSS[loss])


EXPRESSIONS: dict[str, str] = {loss: expression_of("linear", loss) for loss in LOSSES}


def parameter_shapes(model: str, hidden: int = DEFAULT_HIDDEN) -> dict[str, tuple[int, ...]]:
    """The trained inputs of a model and their shapes, in the order they are initialised."""
    if model == "linear":
        return {"W": (DIMENSIONS, CLASSES), "b": (CLASSES,)}
    return {"W1": (DIMENSIONS, hidden), "b1": (hidden,), "W2": (hidden, CLASSES),
            "b2": (CLASSES,)}


def initial_parameters(model: str, seed: int, hidden: int = DEFAULT_HIDDEN
                       ) -> dict[str, np.ndarray]:
    """Weights 0.01·N(0, 1) and zero biases, as in the CS231n notes."""
    rng = np.random.default_rng([seed, 1])
    return {name: 0.01 * rng.standard_normal(shape) if name.startswith("W") else np.zeros(shape)
            for name, shape in parameter_shapes(model, hidden).items()}


def initial_weights(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The linear model's starting W and b."""
    start = initial_parameters("linear", seed)
    return start["W"], start["b"]


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


Params = dict[str, np.ndarray]


class Network:
    """A model's loss circuit, built once: losses, gradients and scores for any batch."""

    def __init__(self, X: np.ndarray, y: np.ndarray, loss: str = "softmax", reg: float = 1e-3,
                 *, model: str = "linear", hidden: int = DEFAULT_HIDDEN,
                 settings: Settings = DEFAULT_SETTINGS) -> None:
        self.X, self.y = X, y
        self.model, self.hidden = model, hidden
        self.expression = expression_of(model, loss)
        start = initial_parameters(model, 0, hidden)
        self.objective = Objective(self.expression, {"X": X, "y": y, "reg": reg, **start},
                                   settings=settings)
        circuit = self.objective.circuit
        self.names = list(start)
        self.nodes = {name: circuit.input_nodes[name] for name in self.names}
        self.x_node, self.y_node = circuit.input_nodes["X"], circuit.input_nodes["y"]
        self.scores_node = circuit.names.index("scores")
        self.inputs = dict(self.objective.inputs)

    def _set(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, np.ndarray]) -> None:
        inputs = self.inputs
        inputs[self.x_node], inputs[self.y_node] = X, y
        for name, node in self.nodes.items():
            inputs[node] = params[name]

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray, params: Mapping[str, np.ndarray]
                       ) -> tuple[float, Params]:
        """The loss on a batch and its gradient with respect to each parameter."""
        self._set(X, y, params)
        values = self.objective.run_forward(self.inputs)
        grads = self.objective.grads(values)
        return self.objective.loss_of(values), {n: grads[i] for n, i in self.nodes.items()}

    def loss(self, params: Mapping[str, np.ndarray]) -> float:
        """The loss on the whole data set."""
        self._set(self.X, self.y, params)
        return self.objective.loss_of(self.objective.run_forward(self.inputs))

    def scores(self, X: np.ndarray, params: Mapping[str, np.ndarray]) -> np.ndarray:
        """The class scores of each row of X (the circuit's `scores`, run forward)."""
        # Labels only feed the loss; any valid class (0) lets the circuit run on new points.
        self._set(X, np.zeros(len(X), dtype=np.int64), params)
        return np.asarray(self.objective.run_forward(self.inputs)[self.scores_node])

    def predict(self, X: np.ndarray, params: Mapping[str, np.ndarray]) -> np.ndarray:
        """The class with the highest score for each row of X."""
        return np.asarray(np.argmax(self.scores(X, params), axis=1))


def decision_grid(network: Network, params: Mapping[str, np.ndarray], size: int
                  ) -> dict[str, Any]:
    """Predicted classes on a size×size grid covering the data (rows go up in y)."""
    X = network.X
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    gx, gy = np.meshgrid(np.linspace(low[0], high[0], size), np.linspace(low[1], high[1], size))
    points = np.column_stack([gx.ravel(), gy.ravel()])
    classes = network.predict(points, params).reshape(size, size)
    return {"x": [float(low[0]), float(high[0])], "y": [float(low[1]), float(high[1])],
            "size": size, "classes": classes.tolist()}


@dataclass(frozen=True, slots=True)
class Training:
    """What a run of mini-batch SGD produced."""

    dataset: str
    loss_name: str
    model: str
    hidden: int | None
    expression: str
    X: np.ndarray
    y: np.ndarray
    params: Params
    losses: list[float]  # the batch loss before each step
    start_step: int
    accuracy: float  # on the whole training set, after the last step
    full_loss: float  # the loss on the whole training set, after the last step
    grid: dict[str, Any] | None
    diverged_at: int | None
    stopped_early: bool
    evaluations: int
    notices: list[Notice] = field(default_factory=list)
    lang: Lang = DEFAULT_LANG  # the language of the warnings

    @property
    def warnings(self) -> list[str]:
        """The warnings as sentences in the run's language."""
        return sentences(self.notices, self.lang)

    @property
    def W(self) -> np.ndarray:  # noqa: N802 - the notes' name
        """The linear model's weights."""
        return self.params["W"]

    @property
    def b(self) -> np.ndarray:
        """The linear model's biases."""
        return self.params["b"]

    def to_dict(self, include_data: bool = True) -> dict[str, Any]:
        """The JSON of POST /api/classifier."""
        params = {name: to_json(value) for name, value in self.params.items()}
        out: dict[str, Any] = {
            "dataset": self.dataset, "loss_name": self.loss_name, "model": self.model,
            "hidden": self.hidden, "expression": self.expression,
            "params": params, "W": params.get("W"), "b": params.get("b"),
            "loss_curve": [{"step": self.start_step + i, "loss": to_json(v)}
                           for i, v in enumerate(self.losses)],
            "start_step": self.start_step, "end_step": self.start_step + len(self.losses),
            "accuracy": self.accuracy, "loss": to_json(self.full_loss), "grid": self.grid,
            "diverged_at": self.diverged_at, "stopped_early": self.stopped_early,
            "evaluations": self.evaluations,
            **worded(self.notices, self.lang),
        }
        if include_data:
            out["points"] = {"X": self.X.tolist(), "y": self.y.tolist()}
        return out


def batches(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray | None]:
    """Endless batches of row indices, a fresh shuffle each epoch; None for the whole set."""
    if batch_size >= n:
        while True:
            yield None
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start:start + batch_size]


def train(dataset: str = "blobs", *, points: int = 300, seed: int = 0, loss: str = "softmax",
          reg: float = 1e-3, learning_rate: float = 1.0, batch_size: int | None = None,
          steps: int = 100, model: str = "linear", hidden: int = DEFAULT_HIDDEN,
          params: Mapping[str, Any] | None = None, W: Any = None, b: Any = None,
          start_step: int = 0, grid: int = 50,
          settings: Settings = DEFAULT_SETTINGS, lang: Lang = DEFAULT_LANG) -> Training:
    """Train a classifier by mini-batch SGD; continue from `params` (or the linear model's W
    and b) when given.

    Batches are drawn from a generator seeded by (seed, start_step), so a run is the same
    every time, also when the page asks for it in chunks.
    """
    if model not in MODELS:
        raise InputError("unknown_model", name=model, known=list(MODELS))
    points = bounded_count(points, "points", settings.max_dataset_points, low=CLASSES)
    steps = bounded_count(steps, "steps", settings.max_optimize_steps)
    grid = bounded_count(grid, "grid", settings.max_grid_size)
    hidden = bounded_count(hidden, "hidden", settings.max_hidden_units, low=1)
    start_step = bounded_count(start_step, "start_step", 10**9)
    batch = points if batch_size is None else bounded_count(
        batch_size, "batch_size", settings.max_batch_size, low=1)
    reg = finite_number(reg, "reg", low=0.0)
    learning_rate = finite_number(learning_rate, "learning_rate", low=0.0, open_low=True)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed_not_whole", value=repr(seed)[:40])

    X, y = make_dataset(dataset, points, seed)
    network = Network(X, y, loss, reg, model=model, hidden=hidden, settings=settings)
    now = _starting_parameters(model, hidden, seed, params, W, b)
    rng = np.random.default_rng([seed, start_step, 2])
    deadline = Deadline(settings, settings.training_seconds)
    losses: list[float] = []
    diverged_at: int | None = None
    stopped_early = False
    source = batches(points, batch, rng)
    for step in range(steps):
        if deadline.expired():
            stopped_early = True
            break
        rows = next(source)
        value, grads = network.loss_and_grads(X if rows is None else X[rows],
                                              y if rows is None else y[rows], now)
        losses.append(value)
        if not math.isfinite(value) or value > DIVERGED * max(1.0, abs(losses[0])):
            diverged_at = start_step + step
            break
        now = {name: now[name] - learning_rate * grads[name] for name in now}
    finite = all(np.isfinite(value).all() for value in now.values())
    with np.errstate(all="ignore"):
        accuracy = float(np.mean(network.predict(X, now) == y))
        grid_out = decision_grid(network, now, grid) if grid and finite else None
        full_loss = network.loss(now)
    notices = [Notice("training_stopped_early", {"step": start_step + len(losses),
                                                  "seconds": deadline.seconds})
               ] if stopped_early else []
    return Training(dataset, loss, model, hidden if model == "two_layer" else None,
                    network.expression, X, y, now, losses, start_step, accuracy, full_loss,
                    grid_out, diverged_at, stopped_early, network.objective.forward_count,
                    notices, lang)


def _starting_parameters(model: str, hidden: int, seed: int, given: Mapping[str, Any] | None,
                         W: Any, b: Any) -> Params:
    """The given parameters checked against the model's shapes; the initial ones for any
    not given."""
    start = initial_parameters(model, seed, hidden)
    chosen = dict(given or {})
    for name, value in (("W", W), ("b", b)):
        if value is not None:
            if model != "linear":
                raise InputError("linear_parameter", name=name, model=model, known=list(start))
            chosen.setdefault(name, value)
    if not chosen:
        return start
    unknown = [name for name in chosen if name not in start]
    if unknown:
        raise InputError("not_a_parameter", name=unknown[0], model=model, known=list(start))
    # A parameter not given starts afresh, as in a new run.
    return {name: _checked(chosen[name], name, shape) if name in chosen else start[name]
            for name, shape in parameter_shapes(model, hidden).items()}


def _checked(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    array = _tensor(value, {"phrase": "value_of", "name": name}, max(10_000, math.prod(shape)),
                    name)
    if array.shape != shape:
        raise InputError("weights_shape", input=name, name=name, shape=list(shape),
                         got=list(array.shape))
    return array
