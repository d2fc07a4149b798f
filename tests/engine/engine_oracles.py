"""Independent oracles for the engine tests: centered differences on evaluate()."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import circuitgrad


def value_of(expression: str, values: Mapping[str, Any], **kwargs: Any) -> Any:
    """The output value of `expression` (a float or an array)."""
    return circuitgrad.evaluate(expression, values, **kwargs).value


def centered_gradients(expression: str, values: Mapping[str, Any], h: float = 1e-5,
                       skip: tuple[str, ...] = (), **kwargs: Any) -> dict[str, Any]:
    """d output / d input by centered differences, element by element, for a scalar output."""
    grads: dict[str, Any] = {}
    for name, raw in values.items():
        if name in skip:
            continue
        base = np.array(raw, dtype=np.float64)
        grad = np.zeros_like(base)
        for index in np.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[index] += h
            minus[index] -= h
            up = value_of(expression, {**values, name: plus.tolist()}, **kwargs)
            down = value_of(expression, {**values, name: minus.tolist()}, **kwargs)
            grad[index] = (float(up) - float(down)) / (2 * h)
        grads[name] = float(grad) if grad.ndim == 0 else grad
    return grads


def relative_error(analytic: Any, numeric: Any, floor: float = 1.0) -> float:
    """max |a - n| / max(|a|, |n|, floor), element-wise."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
    return float(np.max(np.abs(a - n) / scale))
