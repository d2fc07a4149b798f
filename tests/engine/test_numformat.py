"""The one number formatter: the server writes every number as the page does."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from circuitgrad.numformat import format_number, format_tensor, latex_number, latex_value

SHARED = json.loads((Path(__file__).parents[1] / "shared" / "number_format.json").read_text())
NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


@pytest.mark.parametrize(("raw", "expected"), SHARED["cases"])
def test_shared_cases(raw: float | str, expected: str) -> None:
    # The very file frontend/js/format.js is tested against (tests/frontend/format.test.mjs).
    value = NONFINITE[raw] if isinstance(raw, str) else float(raw)
    assert format_number(value) == expected


def test_numpy_scalars_and_ints_read_as_floats() -> None:
    assert format_number(np.float64(-0.015625)) == "-0.01563"
    assert format_number(np.array(2.5)) == "2.5"
    assert format_number(3) == "3"


def test_ties_round_away_from_zero_but_near_ties_follow_the_exact_value() -> None:
    assert format_number(0.125) == "0.125"
    assert format_number(1.0625) == "1.063"  # exactly 1.0625: a tie
    assert format_number(1.0005) == "1"  # the double is 1.000499999...: below the tie
    assert format_number(2.0005) == "2.001"  # the double is 2.000500000000000078...


def test_a_tensor_is_its_shape_and_format_tensor_spells_it_out() -> None:
    value = np.array([[2.0, -1.0, 4.0], [0.015625, 0.0, 12345.5]])
    assert format_number(value) == "[2×3]"
    assert format_tensor(value) == "[[2, -1, 4], [0.01563, 0, 12346]]"
    assert format_tensor(np.array([1.5])) == "[1.5]"


def test_latex_keeps_the_same_digits() -> None:
    assert latex_number(-1.2e-4) == r"-1.2 \times 10^{-4}"
    assert latex_number(math.inf) == r"\infty"
    assert latex_number(-0.015625) == "-0.01563"
    assert latex_value(np.array([1.0, -2.0])) == r"\begin{bmatrix} 1 \\ -2 \end{bmatrix}"
    assert latex_value(np.array([[1.0, 2.0], [3.0, 4.0]])) == (
        r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}")
    assert latex_value(np.zeros((5, 5))) == r"[5{\times}5]"
