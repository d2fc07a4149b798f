"""Composite gates: one gate on the diagram, or their primitive subgraph when expanded.

A composite is a primitive with rules of its own (used when collapsed) plus an `expand`
recipe that builds the same function from simpler gates, the way the CS231n notes draw it.
Tests check that both give the same values and gradients. Sigmoid lives here; softmax and
softmax_loss keep their expansions next to their rules in tensor.py and losses.py.
"""

from __future__ import annotations

from typing import Any

from .code import simple
from .core import GateBuilder, Primitive, register
from .words import ATOM, Local, Say, Words


def _expand_sigmoid(b: GateBuilder, pos: int, u: int) -> int:
    # σ(u) = 1 / (1 + exp(-u)): the four gates of the CS231n sigmoid example.
    minus_u = b.gate("neg", (u,), pos)
    exp_minus_u = b.gate("exp", (minus_u,), pos)
    one_plus = b.gate("add", (b.constant(1.0, pos), exp_minus_u), pos)
    return b.gate("recip", (one_plus,), pos)


def _sigmoid_vjp(xp: Any, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * out * (1.0 - out),)


SIGMOID = register(Primitive(
    "sigmoid", 1, "σ",
    forward=lambda xp, a: xp.sigmoid(a),
    vjp=_sigmoid_vjp,
    code=simple("1.0 / (1.0 + np.exp(-{0}))", "(1 - {out}) * {out} * {g}"),
    words=Words(
        Say("sigmoid", "sigmoid"), "σ($0)", r"\sigma($0)", ATOM,
        # The CS231n notes' form: (1 - σ)σ with the output's value, (1 - 0.73) × 0.73.
        (Local("(1 - σ)·σ", r"(1 - \sigma)\,\sigma",
               numeric="(1 - $out) × $out = $d0 × $out",
               numeric_latex=r"(1 - $out) \times $out = $d0 \times $out",
               derived=lambda out, a: (1.0 - out,)),),
        Say("sigmoid: the local gradient is (1 - σ)·σ, at most 0.25",
            "sigmoid 门：局部梯度是 (1 - σ)·σ，最大为 0.25")),
    functions=("sigmoid",),
    expand=_expand_sigmoid,
))
