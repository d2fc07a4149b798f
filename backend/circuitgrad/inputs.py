"""The inputs an expression needs, without values: names, shapes, labels and defaults.

What the page builds its input fields from the moment the text parses, and what
`POST /api/inputs` answers: every input in the order it first appears, the shape the circuit
requires of it (shape_inference.py), whether it holds class labels, and a small default
value such that all the defaults together evaluate. Given the shapes of the values a learner
already has, it also says which of them still fit and what the others must become.

>>> [(i.name, i.shape, i.default) for i in infer_inputs("sum(W@x)")]
[('W', (None, None), [[1.8, -0.5, -1.1], [2.0, -1.5, 0.1]]), ('x', (None,), [0.7, -1.9, 1.8])]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import LimitError, ShapeError
from .graph import Circuit, cached_graph
from .hints import Hint, input_hints
from .lang import DEFAULT_LANG, Lang
from .settings import DEFAULT_SETTINGS, Settings
from .shape_inference import Solution, solve

Shape = tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class InputInfo:
    """One input of an expression, as a page needs it to build a field."""

    name: str
    shape: Shape | None  # what the circuit requires: None sizes are free; None, any rank
    labels: bool  # holds class indices for a loss (integers, no gradient)
    default: Any  # a float, or nested lists: fits together with every other default
    fits: bool | None = None  # the shape given for it fits (None: no shape was given)
    hint: Hint | None = None  # `w0x0`: probably w0*x0

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        """The JSON of one entry of `POST /api/inputs`."""
        return {
            "name": self.name,
            "shape": None if self.shape is None else list(self.shape),
            "labels": self.labels,
            "default": self.default,
            "fits": self.fits,
            "hint": None if self.hint is None else self.hint.to_dict(lang),
        }


def infer_inputs(source: str, shapes: Mapping[str, Sequence[int]] | None = None,
                 settings: Settings = DEFAULT_SETTINGS) -> list[InputInfo]:
    """The inputs of `source` in order of first appearance. `shapes` are those of the values
    a learner has (a list of sizes per name; others are ignored), tried in the order given
    (so that a page can put the one just edited first): each is kept where it fits the
    circuit together with those tried before it. An input's `shape` is then what the circuit
    requires of it beside the others' fitting shapes.

    Raises the parser's errors for text that is no program, and ShapeError when no values at
    all could make the circuit work (`sum(x) @ y`: a scalar cannot be matrix-multiplied)."""
    circuit = cached_graph(source, settings=settings)
    free = solve(circuit)
    given = _usable(circuit, shapes or {})
    fitting = _fitting(circuit, given) if given else {}
    ranks = {name: len(shape) for name, shape in given.items()}
    solution = solve(circuit, fitting, ranks) if fitting else free
    each_alone = bool(given) and len(circuit) * len(circuit.input_nodes) <= _GREEDY_WORK
    hints = {hint.input: hint for hint in input_hints(circuit)}
    total = sum(math.prod(shape) for shape in solution.shape.values())
    if total > settings.max_tensor_elements:
        raise LimitError("too_many_elements", where={"text": "the default values"},
                         limit=settings.max_tensor_elements)
    infos = []
    for index, (name, node) in enumerate(circuit.input_nodes.items()):
        labels = node in circuit.label_inputs
        fits = None if name not in given else name in fitting
        required = free.required[name]
        if each_alone:  # beside the others' fitting shapes, this one's own rank preferred
            others = {other: shape for other, shape in fitting.items() if other != name}
            required = solve(circuit, others, ranks).required[name]
        infos.append(InputInfo(name, required, labels, _default(solution, name, index, labels),
                               fits, hints.get(name)))
    return infos


def _usable(circuit: Circuit, shapes: Mapping[str, Sequence[int]]) -> dict[str, tuple[int, ...]]:
    """The given shapes of this circuit's inputs that are shapes at all."""
    usable = {}
    for name, shape in shapes.items():
        if name in circuit.input_nodes and isinstance(shape, list | tuple) and len(shape) <= 32 \
                and all(type(size) is int and size >= 1 for size in shape):
            usable[name] = tuple(shape)
    return usable


# Finding the misfits costs one pass per given shape: beyond this many nodes × shapes, the
# given shapes are taken all together or not at all.
_GREEDY_WORK = 2_000_000


def _fitting(circuit: Circuit, given: dict[str, tuple[int, ...]]
             ) -> dict[str, tuple[int, ...]]:
    """The given shapes that fit together, tried in the order given."""
    try:
        solve(circuit, given)
        return given
    except ShapeError:
        pass
    if len(circuit) * len(given) > _GREEDY_WORK:
        return {}
    fitting: dict[str, tuple[int, ...]] = {}
    for name in given:
        try:
            solve(circuit, {**fitting, name: given[name]})
        except ShapeError:
            continue
        fitting[name] = given[name]
    return fitting


def _default(solution: Solution, name: str, index: int, labels: bool) -> Any:
    """A small value of the solved shape: varied numbers in [-2, 2] with one decimal, no
    zero (no kink sits on a default), or class indices for labels."""
    shape = solution.shape[name]
    count = math.prod(shape)
    if labels:
        classes = solution.classes.get(name, 2)
        flat: list[Any] = [k % classes for k in range(count)]
    else:
        flat = [_number(index, k) for k in range(count)]
    if not shape:
        return flat[0]
    for size in reversed(shape[1:]):
        flat = [flat[i:i + size] for i in range(0, len(flat), size)]
    return flat


def _number(index: int, k: int) -> float:
    value = round(2 * math.sin(1.7 * index + 2.3 * k + 1.1), 1)
    return value if value != 0 else 0.5
