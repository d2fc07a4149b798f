"""User values in (numbers and nested lists, checked) and JSON-ready values out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import InputError, LimitError
from .graph import Circuit

NONFINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}
MAX_DIMENSIONS = 32  # numpy broadcasts at most 32 dimensions (and holds at most 64)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        kind = "a boolean" if isinstance(value, bool) else f"{type(value).__name__} {value!r:.40}"
        raise InputError(f"{where} must be a number, got {kind}")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(f"{where} is too large for a float64") from None
    if not math.isfinite(number):
        raise InputError(f"{where} must be a finite number, got {number}")
    return number


def _tensor(value: Any, where: str, max_elements: int) -> np.ndarray:
    """A nested list -> float64 array, refusing ragged rows and non-numbers with a clear path."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf":
            raise InputError(f"{where} must hold numbers, got an array of {value.dtype}")
        if value.ndim > MAX_DIMENSIONS:
            raise LimitError(f"{where} has more than {MAX_DIMENSIONS} dimensions, the limit")
        if value.size > max_elements:
            raise LimitError(f"{where} has {value.size:,} elements; the limit is {max_elements:,}")
        array = value.astype(np.float64)
        if not np.isfinite(array).all():
            raise InputError(f"{where} must hold finite numbers only")
        return array
    # Walk level by level (no recursion), checking each level's lengths agree.
    shape: list[int] = []
    level: list[Any] = [value]
    count = 1
    while level and isinstance(level[0], list | tuple):
        width = len(level[0])
        for index, row in enumerate(level):
            if not isinstance(row, list | tuple):
                raise InputError(f"{where} is ragged: a number stands where a list should be")
            if len(row) != width:
                raise InputError(
                    f"{where} is ragged: rows of length {width} and {len(row)} at depth "
                    f"{len(shape)} (row {index}); every row must have the same length"
                )
        count *= width
        if count > max_elements:
            raise LimitError(f"{where} has over {max_elements:,} elements, the limit")
        if width == 0:
            raise InputError(f"{where} has an empty list; tensors need at least one element")
        if len(shape) == MAX_DIMENSIONS:
            raise LimitError(f"{where} has more than {MAX_DIMENSIONS} dimensions, the limit")
        shape.append(width)
        level = [item for row in level for item in row]
    # The common case checked at C speed: only floats and ints (bool is neither), finite.
    if set(map(type, level)) <= {float, int}:
        try:
            array = np.array(level, dtype=np.float64)
        except OverflowError:
            pass  # an int too large for a float64: the loop below names it
        else:
            if np.isfinite(array).all():
                return array.reshape(shape)
    for item in level:
        if isinstance(item, list | tuple):
            raise InputError(f"{where} is ragged: a list stands where a number should be")
        _number(item, f"every element of {where}")
    return np.array(level, dtype=np.float64).reshape(shape)


def convert_inputs(circuit: Circuit, values: Mapping[str, Any], max_elements: int,
                   max_warning_names: int = 20) -> tuple[dict[int, Any], list[str]]:
    """Map each input node to its checked value; name the values the circuit does not use
    (the first `max_warning_names` of them; the rest are counted)."""
    converted: dict[int, Any] = {}
    for name, node in circuit.input_nodes.items():
        pos = circuit.positions[node]
        if name not in values:
            raise InputError(f"no value given for the input '{name}'", pos, circuit.source)
        raw = values[name]
        where = f"the value of '{name}'"
        try:
            if isinstance(raw, list | tuple | np.ndarray):
                value: Any = _tensor(raw, where, max_elements)
                if value.ndim == 0:
                    value = float(value)
            else:
                value = _number(raw, where)
            if node in circuit.label_inputs:
                value = _labels(value, where)
        except InputError as error:
            raise type(error)(error.message, pos, circuit.source) from None
        converted[node] = value
    unused = sorted(set(values) - set(circuit.input_nodes))
    warnings = [f"the value given for '{name}' is not used by the expression; ignored"
                for name in unused[:max_warning_names]]
    if len(unused) > max_warning_names:
        # NOTE: a body may hold hundreds of thousands of names; echoing each would make the
        # answer larger than the request.
        warnings.append(f"and {len(unused) - max_warning_names:,} more values are not used "
                        "by the expression; ignored")
    return converted, warnings


def convert_seed(raw: Any, max_elements: int) -> Any:
    """The gradient fed into the output: a finite number or a rectangular list of them."""
    if isinstance(raw, list | tuple | np.ndarray):
        value: Any = _tensor(raw, "seed_grad", max_elements)
        return float(value) if value.ndim == 0 else value
    return _number(raw, "seed_grad")


def _labels(value: Any, where: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim > 1:
        raise InputError(f"{where} holds class labels: a list of integers, not shape "
                         f"{array.shape}")
    if not np.all(array == np.round(array)):
        raise InputError(f"{where} holds class labels, which must be whole numbers")
    largest = float(np.max(np.abs(array)))
    if largest >= 2 ** 53:  # no class count comes near; past 2^63 int64 would wrap around
        raise InputError(f"{where} holds class labels, which must be class indices; "
                         f"{largest:g} is far too large")
    return array.astype(np.int64)


def to_json(value: Any) -> Any:
    """A value as JSON: floats, nested lists, and non-finite numbers as strings.

    NOTE: -0.0 is written 0.0 (adding +0.0 turns -0.0 into 0.0 and changes nothing else):
    a learner reads "-0" as a bug, and the page could not show the two apart anyway."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value + 0.0
        return "NaN" if value != value else NONFINITE[value]
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype.kind in "iub":
        return array.tolist()
    if np.isfinite(array).all():
        return (array + 0.0).tolist()
    return _nested(array)


def _nested(array: np.ndarray) -> Any:
    flat = [to_json(float(x)) for x in array.ravel()]
    for size in reversed(array.shape[1:]):
        flat = [flat[i:i + size] for i in range(0, len(flat), size)]
    return flat if array.ndim else flat[0]


def shape_of(value: Any) -> list[int]:
    """The shape as a JSON list: [] for a scalar."""
    return [] if isinstance(value, float) else list(np.shape(value))
