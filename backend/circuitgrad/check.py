"""Gradient checking: the analytic gradient against forward and centered differences.

The CS231n recipe. The forward difference `(f(x+h) - f(x)) / h` has an error of order h;
the centered difference `(f(x+h) - f(x-h)) / 2h` one of order h², at twice the cost. Compare
with the relative error `|a - n| / max(|a|, |n|)` and read it against the notes' thresholds.
Near a kink (relu, abs, max, min, the SVM hinge) the two sides of the difference can fall on
different pieces of the function, so a large error there is not a bug: we say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from .engine import backward
from .errors import InputError, LimitError
from .graph import CONST, INPUT
from .lang import DEFAULT_LANG, Lang
from .notices import Notice, sentences, worded
from .objective import Deadline, Objective, Values, finite_number
from .ops import REGISTRY, TENSOR
from .references import references
from .settings import DEFAULT_SETTINGS, Settings
from .values import to_json

Verdict = Literal["excellent", "acceptable", "suspicious", "wrong"]  # best first
VERDICT_NAMES: tuple[Verdict, ...] = get_args(Verdict)

# The thresholds of the CS231n notes ("Gradient checks"), worst first.
VERDICTS: tuple[tuple[float, Verdict, str], ...] = (
    (1e-2, "wrong", "relative error above 1e-2: the gradient is probably wrong"),
    (1e-4, "suspicious", "relative error between 1e-4 and 1e-2: you should feel uncomfortable"),
    (1e-7, "acceptable", "relative error between 1e-7 and 1e-4: fine with kinks, "
     "but too high for a smooth function"),
)
EXCELLENT = "relative error below 1e-7: you should be happy"

KINK_OPS = ("relu", "abs", "max", "min", "svm_loss")
DEFAULT_H = 1e-5


def relative_error(analytic: Any, numeric: Any, floor: float = 0.0) -> Any:
    """|a - n| / max(|a|, |n|, floor), element-wise; 0 where both are 0, NaN where either is.

    `floor` keeps two gradients that are both zero up to round-off (1e-16 against 3e-12) from
    reading as a 100% error; `gradcheck` sets it to the noise of its numerical estimates.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    with np.errstate(all="ignore"):
        scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
        error = np.where(scale == 0, 0.0, np.abs(a - n) / np.where(scale == 0, 1.0, scale))
    error = np.where(np.isfinite(a) & np.isfinite(n), error, np.nan)
    return float(error) if error.ndim == 0 else error


def verdict(error: float) -> tuple[Verdict, str]:
    """The CS231n reading of a relative error."""
    if not error == error:  # NaN: a value or gradient is not finite
        return "wrong", "a gradient or its estimate is not finite"
    for threshold, name, text in VERDICTS:
        if error > threshold:
            return name, text
    return "excellent", EXCELLENT


def verdicts(errors: Any) -> Any:
    """The verdict of each element's relative error, in the errors' shape (a name for a
    scalar), so that a client never keeps a copy of the thresholds."""
    if isinstance(errors, float):
        return verdict(errors)[0]
    array = np.asarray(errors, dtype=np.float64)
    names = [verdict(float(error))[0] for error in array.ravel()]
    return np.array(names, dtype=object).reshape(array.shape).tolist()


@dataclass(frozen=True, slots=True)
class InputCheck:
    """One input: its gradient three ways, element by element, in the input's shape."""

    name: str
    node: str
    shape: list[int]
    analytic: Any
    forward: Any
    centered: Any
    forward_error: Any
    centered_error: Any
    max_forward_error: float
    max_centered_error: float
    verdict: Verdict
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, non-finite numbers as strings."""
        return {
            "name": self.name, "node": self.node, "shape": self.shape,
            "analytic": to_json(self.analytic), "forward": to_json(self.forward),
            "centered": to_json(self.centered),
            "forward_error": to_json(self.forward_error),
            "centered_error": to_json(self.centered_error),
            "max_forward_error": to_json(self.max_forward_error),
            "max_centered_error": to_json(self.max_centered_error),
            "forward_verdicts": verdicts(self.forward_error),
            "centered_verdicts": verdicts(self.centered_error),
            "verdict": self.verdict, "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Kink:
    """A relu/abs/max/min/SVM gate whose kink lies within h, or was crossed by a difference."""

    node: str
    op: str
    position: int
    distance: float  # smallest |argument - kink| over the gate's elements
    crossed: bool  # some perturbed evaluation put the argument on the other side

    @property
    def index(self) -> int:
        """The gate's node number (`node` is its id in the answer, "n5")."""
        return int(self.node[1:])


@dataclass(frozen=True, slots=True)
class WireCheck:
    """A scalar wire: the gradient flowing along it, analytic and by centered difference."""

    edge: str
    analytic: float
    centered: float
    error: float


@dataclass(frozen=True, slots=True)
class GradCheck:
    """The whole check: per input, per kink, per wire, and what each method cost."""

    value: float
    h: float
    inputs: list[InputCheck]
    kinks: list[Kink]
    wires: list[WireCheck]
    evaluations: dict[str, int]
    notices: list[Notice] = field(default_factory=list)
    lang: Lang = DEFAULT_LANG  # the language of the warnings

    @property
    def warnings(self) -> list[str]:
        """The warnings as sentences in the check's language."""
        return sentences(self.notices, self.lang)

    @property
    def verdict(self) -> Verdict:
        """The worst input's verdict."""
        return max((c.verdict for c in self.inputs), key=VERDICT_NAMES.index,
                   default="excellent")

    def to_dict(self) -> dict[str, Any]:
        """The JSON of POST /api/gradcheck."""
        return {
            "value": to_json(self.value),
            "h": self.h,
            "verdict": self.verdict,
            "inputs": [c.to_dict() for c in self.inputs],
            "kinks": [{"node": k.node, "op": k.op, "position": k.position,
                       "distance": to_json(k.distance), "crossed": k.crossed}
                      for k in self.kinks],
            "wires": [{"edge": w.edge, "analytic": to_json(w.analytic),
                       "centered": to_json(w.centered), "error": to_json(w.error),
                       "verdict": verdict(w.error)[0]}
                      for w in self.wires],
            "evaluations": self.evaluations,
            **worded(self.notices, self.lang),
        }


def gradcheck(expression: str, values: Mapping[str, Any], *, h: float = DEFAULT_H,
              inputs: Sequence[str] | None = None, wires: bool = False, expand: bool = False,
              settings: Settings = DEFAULT_SETTINGS, lang: Lang = DEFAULT_LANG) -> GradCheck:
    """Check every element of the chosen inputs' gradients by forward and centered differences.

    >>> gradcheck("3x^2+6x", {"x": 2}).inputs[0].centered_error < 1e-7
    True
    """
    h = finite_number(h, "h", low=0.0, high=1.0, open_low=True)
    objective = Objective(expression, values, expand=expand, settings=settings)
    names = objective.select(inputs)
    total = sum(int(np.size(objective.inputs[objective.node(n)])) for n in names)
    if total > settings.max_gradcheck_elements:
        raise LimitError("gradcheck_too_many_elements", total=total, evaluations=2 * total,
                         limit=settings.max_gradcheck_elements)
    deadline = Deadline(settings)
    base = objective.run_forward(objective.inputs)
    f0 = objective.loss_of(base)
    grads = objective.grads(base)
    watch = _KinkWatch(objective, base)

    checks: list[InputCheck] = []
    for name in names:
        node = objective.node(name)
        checks.append(_check_input(objective, name, node, grads[node], f0, h, watch, deadline))

    wire_checks, wire_notices = _check_wires(objective, base, h, deadline) if wires else (
        [], [])
    notices = [*objective.notices, *wire_notices]
    if not isinstance(base[objective.circuit.output], float):
        notices.append(Notice("tensor_output_summed"))
    kinks = watch.kinks(h)
    refs = references(objective.circuit).text  # as the diagram names a gate: never its id
    for kink in kinks:
        notices.append(Notice(
            "kink_crossed" if kink.crossed else "kink_within_h",
            {"op": kink.op, "node": refs[kink.index], "h": h,
             "distance": kink.distance}))
    return GradCheck(
        value=f0, h=h, inputs=checks, kinks=kinks, wires=wire_checks,
        evaluations={"analytic": 1, "backward_passes": 1,
                     "forward_difference": total + 1, "centered_difference": 2 * total},
        notices=notices, lang=lang,
    )


def _check_input(objective: Objective, name: str, node: int, analytic: Any, f0: float,
                 h: float, watch: _KinkWatch, deadline: Deadline) -> InputCheck:
    base_value = objective.inputs[node]
    size = int(np.size(base_value))
    fwd = np.empty(size)
    ctr = np.empty(size)
    for i in range(size):
        deadline.check({"phrase": "gradient_check"})
        plus, minus = _nudged(base_value, i, h), _nudged(base_value, i, -h)
        f_plus = watch.loss(_with(objective.inputs, node, plus))
        f_minus = watch.loss(_with(objective.inputs, node, minus))
        # NOTE: divide by the step actually taken ((x+h) - x), not h: x+h rounds.
        step_up = _element(plus, i) - _element(base_value, i)
        step_both = _element(plus, i) - _element(minus, i)
        if step_up == 0 or step_both == 0:
            raise InputError("step_too_small", input=name, h=h, name=name,
                             value=float(_element(base_value, i)))
        fwd[i] = (f_plus - f0) / step_up
        ctr[i] = (f_plus - f_minus) / step_both
    shape = list(np.shape(base_value))
    forward_est: Any = float(fwd[0]) if not shape else fwd.reshape(shape)
    centered_est: Any = float(ctr[0]) if not shape else ctr.reshape(shape)
    # NOTE: each f carries round-off of about ε·|f|, so a difference quotient carries about
    # ε·|f|/h: below a hundred times that, two gradients agree as well as they can be told.
    floor = 100 * np.finfo(np.float64).eps * max(1.0, abs(f0)) / h
    forward_error = relative_error(analytic, forward_est, floor)
    centered_error = relative_error(analytic, centered_est, floor)
    worst_forward = _worst(forward_error)
    worst_centered = _worst(centered_error)
    name_verdict, message = verdict(worst_centered)
    return InputCheck(name, f"n{node}", shape, analytic, forward_est, centered_est,
                      forward_error, centered_error, worst_forward, worst_centered,
                      name_verdict, message)


def _worst(errors: Any) -> float:
    array = np.asarray(errors, dtype=np.float64)
    return float("nan") if np.isnan(array).any() else float(np.max(array))


def _nudged(value: Any, index: int, delta: float) -> Any:
    if isinstance(value, float):
        return value + delta
    nudged = np.array(value, dtype=np.float64, copy=True)
    nudged.flat[index] += delta
    return nudged


def _element(value: Any, index: int) -> float:
    return value if isinstance(value, float) else float(value.flat[index])


def _with(inputs: Values, node: int, value: Any) -> Values:
    changed = dict(inputs)
    changed[node] = value
    return changed


class _KinkWatch:
    """Evaluates the loss and notes when a kink gate's argument changes sides."""

    def __init__(self, objective: Objective, base: list[Any]) -> None:
        self.objective = objective
        circuit = objective.circuit
        self.nodes = [i for i, op in enumerate(circuit.ops) if op in KINK_OPS]
        self.base_args = {i: _kink_argument(circuit.ops[i], _args(circuit.inputs[i], base))
                          for i in self.nodes}
        self.crossed: set[int] = set()

    def loss(self, inputs: Values) -> float:
        node_values = self.objective.run_forward(inputs)
        circuit = self.objective.circuit
        for i in self.nodes:
            if i in self.crossed:
                continue
            argument = _kink_argument(circuit.ops[i], _args(circuit.inputs[i], node_values))
            if np.any(np.sign(argument) != np.sign(self.base_args[i])):
                self.crossed.add(i)
        return self.objective.loss_of(node_values)

    def kinks(self, h: float) -> list[Kink]:
        found = []
        circuit = self.objective.circuit
        for i in self.nodes:
            distance = float(np.min(np.abs(self.base_args[i]))) if np.size(
                self.base_args[i]) else float("inf")
            if distance <= h or i in self.crossed:
                found.append(Kink(f"n{i}", circuit.ops[i], circuit.positions[i], distance,
                                  i in self.crossed))
        return found


def _args(arguments: tuple[int, ...], node_values: list[Any]) -> list[Any]:
    return [node_values[j] for j in arguments]


def _kink_argument(op: str, args: list[Any]) -> Any:
    """Where the gate bends, as a signed distance: relu/abs at 0, max/min at a tie."""
    with np.errstate(all="ignore"):
        if op in ("relu", "abs"):
            return np.asarray(args[0], dtype=np.float64)
        if op in ("max", "min"):
            return np.asarray(args[0], dtype=np.float64) - np.asarray(args[1], dtype=np.float64)
        # svm_loss: each margin s_j - s_y + 1 over the wrong classes j.
        scores = np.atleast_2d(np.asarray(args[0], dtype=np.float64))
        labels = np.asarray(args[1], dtype=np.int64).reshape(-1)
        rows = np.arange(scores.shape[0])
        margins = scores - scores[rows, labels][:, np.newaxis] + 1.0
        mask = np.ones_like(margins, dtype=bool)
        mask[rows, labels] = False
        return margins[mask]


# --- per-wire estimates -------------------------------------------------------------------------


def _check_wires(objective: Objective, base: list[Any], h: float,
                 deadline: Deadline) -> tuple[list[WireCheck], list[Notice]]:
    """Nudge the value on one scalar wire only (its target gate alone sees x ± h); also the
    warnings for wires whose value is too large for h to move it."""
    circuit = objective.circuit
    with np.errstate(all="ignore"):
        edge_grads = backward(circuit, base).edge_grads
    scalar_edges = sum(1 for args in circuit.inputs for j in args
                       if isinstance(base[j], float))
    if scalar_edges > objective.settings.max_gradcheck_elements:
        raise LimitError("gradcheck_too_many_wires", count=scalar_edges,
                         limit=objective.settings.max_gradcheck_elements)
    checks = []
    unmovable: list[dict[str, Any]] = []
    refs = references(circuit).text
    for target, sources in enumerate(circuit.inputs):
        for port, source in enumerate(sources):
            analytic = edge_grads[circuit.first_edge[target] + port]
            if not isinstance(base[source], float) or analytic is None:
                continue
            deadline.check({"phrase": "wire_check"})
            value = base[source]
            edge = f"e{circuit.first_edge[target] + port}"
            step = (value + h) - (value - h)
            if step == 0:
                # NOTE: x ± h rounds back to x in float64 (|x| above about h / 1e-16): no
                # difference can be taken, so the estimate is NaN, and the warning says why.
                unmovable.append({"phrase": "wire", "source": refs[source],
                                  "target": refs[target], "value": value})
                checks.append(WireCheck(edge, float(analytic), math.nan, math.nan))
                continue
            up = _rerun(objective, base, target, port, value + h)
            down = _rerun(objective, base, target, port, value - h)
            estimate = (up - down) / step
            checks.append(WireCheck(edge, float(analytic), estimate,
                                    relative_error(analytic, estimate)))
    notices = [Notice("wires_unmovable", {"h": h, "wires": unmovable})] if unmovable else []
    return checks, notices


def _rerun(objective: Objective, base: list[Any], target: int, port: int, value: float) -> float:
    """The loss when gate `target` sees `value` on argument `port`: re-run from that gate on."""
    circuit = objective.circuit
    node_values = list(base)
    objective.forward_count += 1
    with np.errstate(all="ignore"):
        for index in range(target, len(circuit.ops)):
            op = circuit.ops[index]
            if op in (INPUT, CONST):
                continue
            args = _args(circuit.inputs[index], node_values)
            if index == target:
                args[port] = value
            result = REGISTRY[op].forward(TENSOR, *args)
            if isinstance(result, np.ndarray) and result.ndim == 0 or isinstance(
                    result, np.floating):
                result = float(result)
            node_values[index] = result
    return objective.loss_of(node_values)

