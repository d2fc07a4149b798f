"""Minimising an expression over some of its inputs: the search methods of CS231n and more.

1. `random_search`: guess fresh points around the start (start + step_size·N(0, 1)) and keep
   the best seen — no use of the previous guess at all.
2. `random_local_search`: nudge the best point so far by step_size·N(0, 1); keep the nudge
   only when the loss goes down.
3. `gradient_descent`: x ← x - learning_rate · ∂L/∂x.
4. `momentum`: v ← μ·v - learning_rate · ∂L/∂x; x ← x + v (μ = 0.9).
5. `adam`: running means of the gradient and its square, bias-corrected (β₁ 0.9, β₂ 0.999).

The circuit is built once; each step re-runs its forward (and, for the gradient methods, its
backward) pass with the new input values. `evaluations` counts forward evaluations.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from .errors import InputError, LimitError
from .lang import DEFAULT_LANG, Lang
from .notices import Notice, sentences, worded
from .objective import Deadline, Objective, Values, bounded_count, finite_number
from .roles import Role, default_parameters
from .settings import DEFAULT_SETTINGS, Settings
from .values import to_json

Method = Literal["random_search", "random_local_search", "gradient_descent", "momentum", "adam"]
METHODS: tuple[str, ...] = get_args(Method)
UnboundedReason = Literal["still_falling", "minus_infinity"]
GRADIENT_METHODS = ("gradient_descent", "momentum", "adam")

MOMENTUM = 0.9
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.9, 0.999, 1e-8
# Momentum and Adam may overshoot for a step or two on their way down: only a loss that has
# grown this many steps in a row, to above where it started, counts as diverging for them.
PATIENCE = {"gradient_descent": 1, "momentum": 3, "adam": 3}


@dataclass(frozen=True, slots=True)
class Optimization:
    """A run: one trajectory entry per step (entry 0 is the start)."""

    method: str
    optimize: list[str]
    trajectory: list[dict[str, Any]]
    evaluations: int
    gradient_evaluations: int
    diverged_at: int | None
    stopped_early: bool
    notices: list[Notice] = field(default_factory=list)
    roles: dict[str, Role] = field(default_factory=dict)
    unbounded: dict[str, Any] | None = None  # the evidence that the loss has no minimum
    lang: Lang = DEFAULT_LANG  # the language of the warnings

    @property
    def warnings(self) -> list[str]:
        """The warnings as sentences in the run's language."""
        return sentences(self.notices, self.lang)

    @property
    def final_values(self) -> dict[str, Any]:
        """The optimized inputs after the last step."""
        values: dict[str, Any] = self.trajectory[-1]["values"]
        return values

    def to_dict(self) -> dict[str, Any]:
        """The JSON of POST /api/optimize."""
        trajectory = [
            {"step": e["step"], "loss": to_json(e["loss"]),
             "values": {k: to_json(v) for k, v in e["values"].items()},
             "grad_norm": to_json(e["grad_norm"]), "evaluations": e["evaluations"]}
            for e in self.trajectory
        ]
        return {
            "method": self.method, "optimize": self.optimize, "trajectory": trajectory,
            "evaluations": self.evaluations,
            "gradient_evaluations": self.gradient_evaluations,
            "diverged_at": self.diverged_at, "stopped_early": self.stopped_early,
            **worded(self.notices, self.lang),
            "roles": [{"name": name, "role": role} for name, role in self.roles.items()],
            "unbounded": self.unbounded is not None,
            "unbounded_evidence": None if self.unbounded is None else {
                k: to_json(v) if isinstance(v, float) else v
                for k, v in self.unbounded.items()},
        }


def _report(value: Any) -> Any:
    """A number as the trajectory reports it: rounded to 15 significant digits.

    NOTE: float64 holds 15-17 significant digits; rounding to 15 lets 2 - 0.1·18 read 0.2,
    as a learner works it out, instead of 0.19999999999999996. The run itself is not rounded.
    """
    if isinstance(value, float):
        return float(f"{value:.15g}") if math.isfinite(value) else value
    array = np.asarray(value, dtype=np.float64)
    flat = [float(f"{x:.15g}") for x in array.ravel().tolist()]
    return np.array(flat, dtype=np.float64).reshape(array.shape)


def optimize(expression: str, values: Mapping[str, Any], *, method: str = "gradient_descent",
             learning_rate: float = 0.1, steps: int = 10, optimize: Sequence[str] | None = None,
             seed: int = 0, step_size: float = 0.1, momentum: float = MOMENTUM,
             expand: bool = False, settings: Settings = DEFAULT_SETTINGS,
             lang: Lang = DEFAULT_LANG) -> Optimization:
    """Minimise the expression's value over the chosen inputs; the rest stay fixed.

    >>> run = optimize("3x^2+6x", {"x": 2}, learning_rate=0.1, steps=1)
    >>> run.trajectory[1]["values"]["x"]
    0.2
    """
    if method not in METHODS:
        raise InputError("unknown_method", method=method, known=list(METHODS))
    steps = bounded_count(steps, "steps", settings.max_optimize_steps)
    learning_rate = finite_number(learning_rate, "learning_rate", low=0.0, open_low=True)
    step_size = finite_number(step_size, "step_size", low=0.0, open_low=True)
    momentum = finite_number(momentum, "momentum", low=0.0, high=0.999)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed_not_whole", value=repr(seed)[:40])

    objective = Objective(expression, values, expand=expand, settings=settings)
    objective.require_scalar_output("optimize")
    roles = objective.roles()
    names = objective.select(optimize, default_parameters(roles))
    nodes = [objective.node(n) for n in names]
    numbers = (steps + 1) * sum(int(np.size(objective.inputs[i])) for i in nodes)
    if numbers > settings.max_trajectory_numbers:
        raise LimitError("trajectory_too_large", count=numbers,
                         limit=settings.max_trajectory_numbers)

    runner = _Runner(objective, names, nodes, method, steps, seed, learning_rate, step_size,
                     momentum)
    run = runner.run()
    if optimize is None and "parameter" not in roles.values():
        run.notices.append(Notice("no_parameter_moves_examples", {"names": names}))
    return dataclasses.replace(run, roles=roles, lang=lang,
                               unbounded=unbounded_evidence(run.trajectory, run.diverged_at))


# The share of the request's time budget a run may use before it stops and answers.
SOFT_BUDGET = 0.8

# A run must be this long before its tail can show that the loss has no minimum.
UNBOUNDED_MIN_STEPS = 6


def unbounded_evidence(trajectory: Sequence[Mapping[str, Any]], diverged_at: int | None
                       ) -> dict[str, Any] | None:
    """Evidence that the loss falls without bound along the run, or None.

    Near a minimum of a smooth loss the gradient vanishes and the steps shrink. So the run's
    second half is evidence of no minimum when, over it, the loss never rose; it fell at
    least as much in its last quarter as in the quarter before (not slowing down); the
    gradient's norm ended at least as large as it began (not flattening out); and the loss
    fell by more than its own size where the half began, and by more than 1 (not a small
    change near a bound: the losses of the lab are of order 1).
    A loss that reached -inf is the plain case. A heuristic that reads the run only: a
    bounded loss whose slope is still steepening looks the same until the run goes further.
    """
    losses = [float(entry["loss"]) for entry in trajectory]
    if diverged_at is not None and losses[-1] == -math.inf:
        return {"from_step": 0, "to_step": diverged_at, "loss_from": losses[0],
                "loss_to": losses[-1], "reason": "minus_infinity"}
    steps = len(losses) - 1
    if diverged_at is not None or steps < UNBOUNDED_MIN_STEPS:
        return None
    start, middle = steps - steps // 2, steps - steps // 4
    tail = losses[start:]
    norms = [float(entry["grad_norm"]) for entry in trajectory]
    if not all(math.isfinite(v) for v in tail + norms[start:]):
        return None
    never_rose = all(later <= earlier for earlier, later in zip(tail, tail[1:], strict=False))
    first_drop = losses[start] - losses[middle]
    second_drop = losses[middle] - losses[-1]
    # NOTE: the tolerance lets a linear loss, whose drops are equal up to rounding, count.
    tolerance = 1 - 1e-9
    if not (never_rose and first_drop > 0 and second_drop >= first_drop * tolerance
            and norms[-1] >= norms[start] * tolerance and norms[start] > 0
            and losses[start] - losses[-1] > max(abs(losses[start]), 1.0)):
        return None
    return {"from_step": start, "to_step": steps, "loss_from": losses[start],
            "loss_to": losses[-1], "grad_norm_from": norms[start], "grad_norm_to": norms[-1],
            "reason": "still_falling"}


class _Runner:
    """One optimization's state: the current point, the optimizer's memory, the record."""

    def __init__(self, objective: Objective, names: list[str], nodes: list[int], method: str,
                 steps: int, seed: int, learning_rate: float, step_size: float,
                 momentum: float) -> None:
        self.o = objective
        self.names, self.nodes, self.method, self.steps = names, nodes, method, steps
        self.lr, self.step_size, self.mu = learning_rate, step_size, momentum
        self.rng = np.random.default_rng(seed)
        # NOTE: the run stops itself before the request's budget, so that its trajectory so
        # far (stopped_early) reaches the client before the worker pool's hard stop would.
        self.deadline = Deadline(objective.settings,
                                 SOFT_BUDGET * objective.settings.request_cpu_seconds)
        self.trajectory: list[dict[str, Any]] = []
        self.notices = list(objective.notices)

    def run(self) -> Optimization:
        o = self.o
        point: Values = dict(o.inputs)
        node_values = o.run_forward(point)
        loss = o.loss_of(node_values)
        grads = self._grads(node_values)
        self._record(0, point, loss, grads)
        start = point
        velocity = {i: 0.0 * np.asarray(point[i]) for i in self.nodes}
        second = {i: 0.0 * np.asarray(point[i]) for i in self.nodes}
        grew = 0
        # A start where the loss is already inf or NaN has nowhere to go: diverged at 0.
        diverged_at: int | None = None if math.isfinite(loss) else 0
        stopped_early = False
        for step in range(1, self.steps + 1 if diverged_at is None else 1):
            if self.deadline.expired():
                stopped_early = True
                self.notices.append(Notice("optimizer_stopped_early",
                                           {"step": step - 1, "seconds": self.deadline.seconds}))
                break
            if self.method in GRADIENT_METHODS:
                point = self._gradient_step(point, grads, velocity, second, step)
                node_values = o.run_forward(point)
                new_loss = o.loss_of(node_values)
                grads = self._grads(node_values)
            else:
                center = start if self.method == "random_search" else point
                candidate = {**point, **{i: _add(center[i], self.step_size * self.rng.
                                                  standard_normal(np.shape(center[i])))
                                         for i in self.nodes}}
                candidate_values = o.run_forward(candidate)
                candidate_loss = o.loss_of(candidate_values)
                new_loss = loss
                if candidate_loss < loss:  # NOTE: NaN never compares lower: never kept
                    point, node_values, new_loss = candidate, candidate_values, candidate_loss
                    grads = self._grads(node_values)
            grew = grew + 1 if new_loss > loss else 0
            loss = new_loss
            self._record(step, point, loss, grads)
            if not math.isfinite(loss) or (
                    self.method in PATIENCE and grew >= PATIENCE[self.method]
                    and loss > self.trajectory[0]["loss"]):
                diverged_at = step
                break
        return Optimization(self.method, self.names, self.trajectory, o.forward_count,
                            o.backward_count if self.method in GRADIENT_METHODS else 0,
                            diverged_at, stopped_early, self.notices)

    def _grads(self, node_values: list[Any]) -> dict[int, Any]:
        grads = self.o.grads(node_values)
        return {i: grads[i] for i in self.nodes}

    def _gradient_step(self, point: Values, grads: dict[int, Any], velocity: dict[int, Any],
                       second: dict[int, Any], step: int) -> Values:
        new = dict(point)
        with np.errstate(all="ignore"):
            for i in self.nodes:
                g = grads[i]
                if self.method == "gradient_descent":
                    new[i] = _add(point[i], -self.lr * g)
                elif self.method == "momentum":
                    velocity[i] = self.mu * velocity[i] - self.lr * np.asarray(g)
                    new[i] = _add(point[i], velocity[i])
                else:  # adam
                    velocity[i] = ADAM_BETA1 * velocity[i] + (1 - ADAM_BETA1) * np.asarray(g)
                    second[i] = ADAM_BETA2 * second[i] + (1 - ADAM_BETA2) * np.square(g)
                    m_hat = velocity[i] / (1 - ADAM_BETA1 ** step)
                    v_hat = second[i] / (1 - ADAM_BETA2 ** step)
                    new[i] = _add(point[i], -self.lr * m_hat / (np.sqrt(v_hat) + ADAM_EPSILON))
        return new

    def _record(self, step: int, point: Values, loss: float, grads: dict[int, Any]) -> None:
        with np.errstate(all="ignore"):
            norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values()))
        self.trajectory.append({
            "step": step,
            "loss": _report(loss),
            "values": {n: _report(point[i]) for n, i in zip(self.names, self.nodes, strict=True)},
            "grad_norm": _report(norm),
            "evaluations": self.o.forward_count,
        })


def _add(value: Any, delta: Any) -> Any:
    """value + delta, keeping a scalar input a Python float (the engine's scalar invariant)."""
    total = value + delta
    if isinstance(value, float):
        return float(total)
    return np.asarray(total, dtype=np.float64)
