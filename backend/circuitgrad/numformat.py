"""The one number formatter: step texts, wires, exports, the CLI and the page all write a
number the same way, digit for digit (frontend/js/format.js implements the same rule and both
are tested against tests/shared/number_format.json).

The rule: 4 significant digits, rounded half away from zero on the exact binary value (what
JavaScript's toPrecision does, and what school teaches: -0.015625 -> -0.01563); trailing zeros
dropped; numbers from 10^4 up to 10^6 written whole (12346, never rounded to 1.235e4);
exponent notation below 0.001 and from 10^6 up (-1.2e-4, 1.235e7); ASCII minus; 0 for -0;
NaN, ∞ and -∞ for the rest. A tensor is written as its shape in brackets, as the wires show it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import numpy as np

_HALF_UP_4 = Context(prec=4, rounding=ROUND_HALF_UP)


def _rounded(magnitude: float) -> tuple[str, int]:
    """A positive finite number rounded to 4 significant digits: ("1.563", -2)."""
    # Python's formatting rounds exact ties half to even; JavaScript's half away from zero.
    # A tie is exact only when 5 significant digits hold the whole value, ending in 5.
    five = f"{magnitude:.4e}"
    if five[5] == "5" and Decimal(magnitude) == Decimal(five):
        text = f"{_HALF_UP_4.plus(Decimal(magnitude)):.3e}"
    else:
        text = f"{magnitude:.3e}"
    mantissa, _, exponent = text.partition("e")
    return mantissa, int(exponent)


def _trim(digits: str) -> str:
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


def format_number(value: Any) -> str:
    """A number as a learner reads it: -4, 0.7311, 1.2e-7, 12346, ∞; a tensor by its shape."""
    if type(value) is not float:
        if value is None:
            return ""
        if np.ndim(value) > 0:
            return format_shape(np.shape(value))
        value = float(value)
    if value != value:
        return "NaN"
    if value == 0:
        return "0"  # also for -0.0
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    sign = "-" if value < 0 else ""
    magnitude = -value if value < 0 else value
    mantissa, exponent = _rounded(magnitude)
    if exponent >= 4 and magnitude < 999_999.5:  # whole: no digit before the point is lost
        return f"{sign}{math.floor(magnitude + 0.5)}"  # exact below 2^52: half away from zero
    if exponent < -3 or exponent >= 4:
        return f"{sign}{_trim(mantissa)}e{exponent}"
    digits = mantissa.replace(".", "")  # 4 digits, the first at 10^exponent
    if exponent >= 0:
        whole, fraction = digits[:exponent + 1], digits[exponent + 1:]
    else:
        whole, fraction = "0", "0" * (-exponent - 1) + digits
    fraction = fraction.rstrip("0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def format_shape(shape: tuple[int, ...] | list[int]) -> str:
    """A tensor's shape as the wires write it: [2×3]."""
    return "[" + "×".join(str(size) for size in shape) + "]"


def format_tensor(value: Any) -> str:
    """Every element of a value, each by `format_number`: [[2, -1, 4], [0.5, 0, 1]]."""
    if type(value) is float or np.ndim(value) == 0:
        return format_number(value)
    array = np.asarray(value, dtype=np.float64)
    texts = [format_number(float(x)) for x in array.ravel()]
    nested: list[Any] = texts
    for size in reversed(array.shape[1:]):
        nested = ["[" + ", ".join(nested[i:i + size]) + "]" for i in range(0, len(nested), size)]
    return "[" + ", ".join(nested) + "]"


# ---- LaTeX --------------------------------------------------------------------------------------

LATEX_MATRIX_ELEMENTS = 12  # a tensor this small is typeset as a matrix, larger as its shape
LATEX_MATRIX_SIDE = 6  # ... and only when no side is longer than this


def latex_number(value: Any) -> str:
    """The same digits as `format_number`, typeset: 1.2e-7 becomes 1.2 × 10^{-7}."""
    text = format_number(value) if type(value) is not str else value
    if text == "NaN":
        return r"\mathrm{NaN}"
    if text.endswith("∞"):
        return text.replace("∞", r"\infty")
    mantissa, e, exponent = text.partition("e")
    if e:
        return rf"{mantissa} \times 10^{{{exponent}}}"
    return text


def latex_value(value: Any) -> str:
    """A scalar as `latex_number`; a small vector or matrix as a matrix; else its shape."""
    if type(value) is float or value is None or np.ndim(value) == 0:
        return latex_number(value if value is not None else math.nan)
    shape = np.shape(value)
    if (len(shape) <= 2 and np.size(value) <= LATEX_MATRIX_ELEMENTS
            and max(shape) <= LATEX_MATRIX_SIDE):
        array = np.asarray(value, dtype=np.float64)
        # NOTE: a vector is a column, as in the CS231n notes (W x with x a column).
        rows = array.reshape(-1, 1) if array.ndim == 1 else array
        body = r" \\ ".join(" & ".join(latex_number(float(x)) for x in row) for row in rows)
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"
    return r"[" + r"{\times}".join(str(size) for size in shape) + "]"
