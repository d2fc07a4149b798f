"""User values in (numbers and nested lists, checked) and JSON-ready values out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import CircuitError, InputError, LimitError
from .graph import Circuit
from .lang import DEFAULT_LANG, Lang
from .notices import Notice

NONFINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}
MAX_DIMENSIONS = 32  # numpy broadcasts at most 32 dimensions (and holds at most 64)


Where = dict[str, Any]  # a phrase of the error catalog: "the value of 'x'", "seed_grad"


def _got(value: Any) -> Where:
    """How an error names a value that is not a number."""
    if isinstance(value, bool):
        return {"phrase": "got_boolean"}
    if value is None:
        return {"phrase": "got_null"}
    if isinstance(value, str):
        return {"phrase": "got_text", "text": value[:40]}
    if isinstance(value, dict):
        return {"phrase": "got_object"}
    if isinstance(value, list | tuple):
        return {"phrase": "got_list"}
    return {"phrase": "got_other", "kind": type(value).__name__}


def _number(value: Any, where: Where, name: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError("value_not_number", input=name, where=where, got=_got(value))
    try:
        number = float(value)
    except OverflowError:
        raise InputError("value_too_large", input=name, where=where) from None
    if not math.isfinite(number):
        raise InputError("value_not_finite", input=name, where=where, value=str(number))
    return number


def _tensor(value: Any, where: Where | str, max_elements: int, name: str | None = None
            ) -> np.ndarray:
    """A nested list -> float64 array, refusing ragged rows and non-numbers with a clear path.

    `where` says whose value it is (a phrase, or words that read the same in any language);
    `name` is the input it belongs to, if any."""
    if isinstance(where, str):
        where = {"text": where}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iuf":
            raise InputError("array_not_numbers", input=name, where=where, dtype=str(value.dtype))
        if value.ndim > MAX_DIMENSIONS:
            raise LimitError("too_many_dimensions", input=name, where=where,
                             limit=MAX_DIMENSIONS)
        if value.size > max_elements:
            raise LimitError("too_many_elements", input=name, where=where, limit=max_elements)
        array = value.astype(np.float64)
        if not np.isfinite(array).all():
            raise InputError("array_not_finite", input=name, where=where)
        return array
    # Walk level by level (no recursion), checking each level's lengths agree.
    shape: list[int] = []
    level: list[Any] = [value]
    count = 1
    while level and isinstance(level[0], list | tuple):
        width = len(level[0])
        for index, row in enumerate(level):
            if not isinstance(row, list | tuple):
                raise InputError("ragged_number", input=name, where=where)
            if len(row) != width:
                raise InputError("ragged_lengths", input=name, where=where, first=width,
                                 other=len(row), depth=len(shape), row=index)
        count *= width
        if count > max_elements:
            raise LimitError("too_many_elements", input=name, where=where, limit=max_elements)
        if width == 0:
            raise InputError("empty_list", input=name, where=where)
        if len(shape) == MAX_DIMENSIONS:
            raise LimitError("too_many_dimensions", input=name, where=where,
                             limit=MAX_DIMENSIONS)
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
    element = {"phrase": "element_of", "of": where}
    for item in level:
        if isinstance(item, list | tuple):
            raise InputError("ragged_list", input=name, where=where)
        _number(item, element, name)
    return np.array(level, dtype=np.float64).reshape(shape)


def convert_inputs(circuit: Circuit, values: Mapping[str, Any], max_elements: int,
                   max_warning_names: int = 20, lang: Lang = DEFAULT_LANG
                   ) -> tuple[dict[int, Any], list[str]]:
    """Map each input node to its checked value; name the values the circuit does not use
    (the first `max_warning_names` of them; the rest are counted).

    An error about a value carries that input's name (`error.input`) and points at the
    input's first use in the expression."""
    converted: dict[int, Any] = {}
    for name, node in circuit.input_nodes.items():
        pos = circuit.positions[node]
        if name not in values:
            raise InputError("missing_value", pos, circuit.source, input=name, name=name)
        raw = values[name]
        where = {"phrase": "value_of", "name": name}
        try:
            if isinstance(raw, list | tuple | np.ndarray):
                value: Any = _tensor(raw, where, max_elements, name)
                if value.ndim == 0:
                    value = float(value)
            else:
                value = _number(raw, where, name)
            if node in circuit.label_inputs:
                value = _labels(value, where, name)
        except CircuitError as error:
            raise error.at(pos, circuit.source) from None
        converted[node] = value
    warnings = [notice.message(lang)
                for notice in unused_notices(circuit, values, max_warning_names)]
    return converted, warnings


def unused_notices(circuit: Circuit, values: Mapping[str, Any], max_warning_names: int = 20
                   ) -> list[Notice]:
    """The values the circuit does not use, by name (the first `max_warning_names` of them;
    the rest are counted)."""
    unused = sorted(set(values) - set(circuit.input_nodes))
    notices = [Notice("unused_value", {"name": name}) for name in unused[:max_warning_names]]
    if len(unused) > max_warning_names:
        # NOTE: a body may hold hundreds of thousands of names; echoing each would make the
        # answer larger than the request.
        notices.append(Notice("more_unused_values", {"count": len(unused) - max_warning_names}))
    return notices


def convert_seed(raw: Any, max_elements: int) -> Any:
    """The gradient fed into the output: a finite number or a rectangular list of them."""
    where = {"phrase": "seed_grad"}
    if isinstance(raw, list | tuple | np.ndarray):
        value: Any = _tensor(raw, where, max_elements)
        return float(value) if value.ndim == 0 else value
    return _number(raw, where, None)


def _labels(value: Any, where: Where, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim > 1:
        raise InputError("labels_rank", input=name, where=where, shape=list(array.shape))
    if not np.all(array == np.round(array)):
        raise InputError("labels_not_whole", input=name, where=where)
    largest = float(np.max(np.abs(array)))
    if largest >= 2 ** 53:  # no class count comes near; past 2^63 int64 would wrap around
        raise InputError("labels_too_large", input=name, where=where, value=f"{largest:g}")
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
