"""Warnings in the diagram's words: what is not finite, named as the circuit draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .error_words import render_message
from .references import references

if TYPE_CHECKING:
    from .engine import Run
    from .graph import Circuit
    from .lang import Lang


def _finite(value: Any) -> bool:
    return value is None or bool(np.all(np.isfinite(value)))


def nonfinite_warnings(c: Circuit, run: Run, lang: Lang) -> list[str]:
    """One warning for the values that are inf or NaN, one for the finite values whose
    gradient is not; each lists only those nodes (the page marks them on the circuit)."""
    refs = references(c).text  # names, labels or short formulas: never ids
    values = [i for i in run.nonfinite if not _finite(run.values[i])]
    grads = [i for i in run.nonfinite if _finite(run.values[i])]
    out = []
    if values:
        out.append(render_message("not_finite", {"nodes": [refs[i] for i in values]}, lang))
    if grads:
        out.append(render_message("gradient_not_finite", {"nodes": [refs[i] for i in grads]},
                                  lang))
    return out
