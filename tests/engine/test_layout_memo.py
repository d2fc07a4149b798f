"""The layout's memo (layout/__init__.py): a kept drawing is the drawing a fresh layout makes.

A small circuit keeps several drawings, keyed by what a drawing depends on (the labels'
heights and each column's widest label), so that new values reuse one. If a label's own width
ever mattered beyond its column, a kept drawing would differ from a fresh one: this test lays
the same results out both ways and compares the DOT, over circuits with fan-out, stubs, named
intermediates, constants, and numbers from tiny to huge.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

import circuitgrad.export as export
import circuitgrad.layout as layout
from circuitgrad import evaluate
from circuitgrad.export import dot_source

CASES = [
    ("sigmoid(w0*x0 + w1*x1 + w2)", ["w0", "x0", "w1", "x1", "w2"]),
    ("q = x + y; f = q*z", ["x", "y", "z"]),
    ("x*x + x", ["x"]),
    ("max(x, y) + log(x*x) - tanh(y)/x", ["x", "y"]),
    ("relu(a*b - c) + abs(a)*a*b*c", ["a", "b", "c"]),
    ("+".join(f"x{i % 7}*y{i % 5}" for i in range(40)), [f"x{i}" for i in range(7)]
     + [f"y{i}" for i in range(5)]),
]


def _value(rng: random.Random) -> float:
    return rng.choice([round(rng.uniform(-3, 3), 4), rng.uniform(-1e-3, 1e-3),
                       rng.uniform(-5e4, 5e4), 1.0, -2.5e-7])


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-element list counting the layouts made from now on."""
    count = [0]
    original = layout._lay_out

    def counting(*args: Any) -> layout.Drawing:
        count[0] += 1
        return original(*args)

    monkeypatch.setattr(layout, "_lay_out", counting)
    return count


@pytest.mark.parametrize(("expression", "names"), CASES)
def test_a_kept_drawing_is_the_fresh_layout(expression: str, names: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(expression)
    laid_out = _count_layouts(monkeypatch)
    for _ in range(40):
        result = evaluate(expression, {name: _value(rng) for name in names})
        kept = dot_source(result)
        layout._remembered(result.circuit).drawings.clear()
        export._LINES.clear()
        assert dot_source(result) == kept
    # every answer was laid out afresh at least once (after the clear): the comparison ran
    assert laid_out[0] >= 40


def test_new_values_mostly_keep_a_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The neuron with random inputs: long numbers widen columns by whole digits only, so the
    # few drawings they make are each laid out once.
    rng = random.Random(1)
    names = ["w0", "x0", "w1", "x1", "w2"]
    laid_out = _count_layouts(monkeypatch)
    for _ in range(300):
        dot_source(evaluate("sigmoid(w0*x0 + w1*x1 + w2)",
                            {name: round(rng.uniform(-3, 3), 4) for name in names}))
    assert laid_out[0] <= 30, laid_out
