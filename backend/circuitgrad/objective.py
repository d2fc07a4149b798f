"""A circuit built once and run many times: the loss function of the lab.

Gradient checks, search methods and training loops evaluate the same expression at many
points. Parsing and building the circuit once and re-running `engine.forward` /
`engine.backward` with new input values is what keeps those loops cheap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .engine import backward, forward
from .errors import InputError, LimitError, ShapeError
from .graph import Circuit, build_graph
from .roles import Role, input_roles
from .settings import DEFAULT_SETTINGS, Settings
from .values import convert_inputs, unused_notices

Values = dict[int, Any]  # node number -> a float or a float64 array (int64 for labels)


class Objective:
    """An expression compiled once; `run_forward` and `grads` re-run it at new inputs."""

    def __init__(self, expression: str, values: Mapping[str, Any], *, expand: bool = False,
                 settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.circuit: Circuit = build_graph(expression, expand=expand, settings=settings)
        self.inputs, _ = convert_inputs(
            self.circuit, values, settings.max_tensor_elements, settings.max_warning_names)
        # The run's warnings start with the values it does not use (worded by the answer).
        self.notices = unused_notices(self.circuit, values, settings.max_warning_names)
        self.forward_count = 0
        self.backward_count = 0
        self._probe: list[Any] | None = None

    # --- which inputs ---------------------------------------------------------------------------

    @property
    def trainable(self) -> list[str]:
        """Every input name that is not a class-label input, in order of appearance."""
        labels = self.circuit.label_inputs
        return [name for name, node in self.circuit.input_nodes.items() if node not in labels]

    def select(self, names: Sequence[str] | None, default: Sequence[str] | None = None
               ) -> list[str]:
        """The chosen input names, checked: known, not labels; when none are given, the
        `default` ones, else every trainable one."""
        trainable = self.trainable
        if names is None:
            if not trainable:
                raise InputError("no_trainable_input")
            return list(default) if default is not None else trainable
        chosen: list[str] = []
        for name in names:
            if name not in self.circuit.input_nodes:
                known: list[Any] = list(trainable) or [{"phrase": "none"}]
                raise InputError("not_an_input", name=name, known=known)
            if name not in trainable:
                raise InputError("labels_have_no_gradient", name=name)
            if name not in chosen:
                chosen.append(name)
        if not chosen:
            raise InputError("choose_an_input")
        return chosen

    def node(self, name: str) -> int:
        """The node number of an input name."""
        return self.circuit.input_nodes[name]

    # --- running ------------------------------------------------------------------------------

    def run_forward(self, inputs: Values) -> list[Any]:
        """Every node's value at these inputs (one forward evaluation)."""
        self.forward_count += 1
        with np.errstate(all="ignore"):
            return forward(self.circuit, inputs, self.settings)

    def loss_of(self, node_values: list[Any]) -> float:
        """The output as one number: a tensor output counts as the sum of its elements."""
        out = node_values[self.circuit.output]
        if isinstance(out, float):
            return out
        with np.errstate(all="ignore"):
            return float(np.sum(out))

    def grads(self, node_values: list[Any]) -> list[Any]:
        """Every node's gradient (one backward pass over values a forward pass computed)."""
        self.backward_count += 1
        with np.errstate(all="ignore"):
            return backward(self.circuit, node_values).grads

    def probe(self) -> list[Any]:
        """Every node's value at the given inputs, for their shapes: not part of any
        method's cost, so not counted (and computed once)."""
        if self._probe is None:
            self._probe = self.run_forward(self.inputs)
            self.forward_count -= 1
        return self._probe

    def roles(self) -> dict[str, Role]:
        """Each input's role: parameter, or data (examples, labels); see roles.py."""
        return input_roles(self.circuit, [np.shape(v) for v in self.probe()])

    def require_scalar_output(self, what: str) -> None:
        """Raise a positioned ShapeError unless the output is a single number."""
        out = self.probe()[self.circuit.output]
        if not isinstance(out, float):
            raise ShapeError("needs_scalar_output", self.circuit.positions[self.circuit.output],
                             self.circuit.source, what=what, shape=list(np.shape(out)))


class Deadline:
    """Stops a long loop once its time budget is spent: `seconds`, by default the request's
    (settings.request_cpu_seconds)."""

    def __init__(self, settings: Settings, seconds: float | None = None) -> None:
        self.seconds = settings.request_cpu_seconds if seconds is None else seconds
        self.end = time.monotonic() + self.seconds

    def expired(self) -> bool:
        """True once the budget is spent."""
        return time.monotonic() > self.end

    def check(self, what: str | dict[str, str]) -> None:
        """Raise a LimitError once the budget is spent (`what`: a phrase of the catalog)."""
        if self.expired():
            raise LimitError("time_budget_exceeded", what=what, seconds=self.seconds)


def finite_number(value: float, what: str, *, low: float | None = None,
                  high: float | None = None, open_low: bool = False) -> float:
    """A checked option: finite and within bounds, else an InputError naming it."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InputError("option_not_finite", what=what, value=repr(value)[:40])
    if low is not None and (value < low or (open_low and value == low)):
        code = "option_not_above" if open_low else "option_too_small"
        raise InputError(code, what=what, low=low, value=value)
    if high is not None and value > high:
        raise InputError("option_too_large", what=what, high=high, value=value)
    return float(value)


def bounded_count(value: int, what: str, limit: int, *, low: int = 0) -> int:
    """A checked count: an InputError below `low`, a LimitError above the settings' limit."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("option_not_whole", what=what, value=repr(value)[:40])
    if value < low:
        raise InputError("count_too_small", what=what, low=low, value=value)
    if value > limit:
        raise LimitError("count_over_limit", what=what, value=value, limit=limit)
    return value
