"""Tensor primitives: matrix product, reductions, transpose, softmax. Numpy semantics."""

from __future__ import annotations

from typing import Any

import numpy as np

from .code import OpCode, expr, matmul_code, simple
from .core import GateBuilder, Primitive, Shape, ShapeMismatch, register
from .words import ATOM, NEGATION, POSTFIX, PRODUCT, Local, Say, Words


def _matmul_shape(a: Shape, b: Shape) -> Shape:
    if len(a) == 0 or len(b) == 0 or len(a) > 2 or len(b) > 2:
        raise ShapeMismatch("matmul_rank", a_shape=a, b_shape=b)
    inner_a = a[-1]
    inner_b = b[0]
    if inner_a != inner_b:
        raise ShapeMismatch(
            "matmul_inner", a_shape=a, b_shape=b, a_size=inner_a, b_size=inner_b,
            a_dim={"phrase": "columns" if len(a) == 2 else "length"},
            b_dim={"phrase": "rows" if len(b) == 2 else "length"})
    return a[:-1] + b[1:]


def _matmul_vjp(xp: Any, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # Treat a vector as a one-row (left) or one-column (right) matrix, then undo it.
    a2 = a if a.ndim == 2 else a[np.newaxis, :]
    b2 = b if b.ndim == 2 else b[:, np.newaxis]
    g2 = np.reshape(g, (a2.shape[0], b2.shape[1]))
    return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)


_MATMUL_LOCALS = (Local("$g @ $1ᵀ", r"$g\, $1^{\mathsf{T}}"),
                  Local("$0ᵀ @ $g", r"$0^{\mathsf{T}} $g"))

MATMUL = register(Primitive(
    "matmul", 2, "@",
    forward=lambda xp, a, b: a @ b,
    vjp=_matmul_vjp,
    code=matmul_code("@"),
    words=Words(
        Say("matrix product", "矩阵乘法"), "$0 @ $1", "$0 $1", PRODUCT, _MATMUL_LOCALS,
        Say("matrix product: each operand's gradient is the upstream gradient times the other "
            "operand, transposed so that the shapes fit",
            "矩阵乘法：每个操作数的梯度是上游梯度乘以另一个操作数的转置，转置使维度对上")),
    elementwise=False, shape=_matmul_shape,
))
DOT = register(Primitive(
    "dot", 2, "dot",
    forward=lambda xp, a, b: a @ b,
    vjp=_matmul_vjp,
    code=matmul_code("dot"),
    words=Words(Say("dot product", "点积"), "dot($0, $1)", r"$0 \cdot $1", ATOM,
                _MATMUL_LOCALS),
    elementwise=False, shape=_matmul_shape, functions=("dot",),
))


def _reduce_shape(a: Shape) -> Shape:
    return ()


SUM = register(Primitive(
    "sum", 1, "sum",
    forward=lambda xp, a: np.sum(a),
    vjp=lambda xp, g, out, a: (np.broadcast_to(g, np.shape(a)).copy(),),
    code=simple("np.sum({0})", "np.ones_like({0}) * {g}"),
    words=Words(
        Say("sum", "求和"), "sum($0)", r"\operatorname{sum}($0)", ATOM,
        (Local(Say("$g, copied to every element", "$g，复制到每个元素"),
               r"$g \cdot \mathbf{1}"),),
        Say("sum distributes: every element receives the upstream gradient",
            "求和分发梯度：每个元素都得到上游梯度")),
    elementwise=False, shape=_reduce_shape, functions=("sum",),
))
MEAN = register(Primitive(
    "mean", 1, "mean",
    forward=lambda xp, a: np.mean(a),
    vjp=lambda xp, g, out, a: (np.full(np.shape(a), g / max(np.size(a), 1)),),
    code=simple("np.mean({0})", "np.ones_like({0}) * {g} / np.size({0})"),
    words=Words(
        Say("mean", "均值"), "mean($0)", r"\operatorname{mean}($0)", ATOM,
        (Local(Say("$g / $d0, copied to every element", "$g / $d0，复制到每个元素"),
               r"\frac{$g}{$d0} \cdot \mathbf{1}",
               derived=lambda out, a: (float(max(np.size(a), 1)),)),)),
    elementwise=False, shape=_reduce_shape, functions=("mean",),
))


def _transpose_shape(a: Shape) -> Shape:
    if len(a) > 2:
        raise ShapeMismatch("needs_vector_or_matrix", function="transpose", a_shape=a)
    return a[::-1]


TRANSPOSE = register(Primitive(
    "transpose", 1, "ᵀ",
    forward=lambda xp, a: np.transpose(a),
    vjp=lambda xp, g, out, a: (np.transpose(g),),
    code=simple("np.transpose({0})", "np.transpose({g})"),
    words=Words(Say("transpose", "转置"), "$0ᵀ", r"$0^{\mathsf{T}}", POSTFIX,
                (Local("$gᵀ", r"$g^{\mathsf{T}}"),)),
    elementwise=False, shape=_transpose_shape, functions=("transpose",),
))


def _last_axis_shape(a: Shape) -> Shape:
    if len(a) == 0 or len(a) > 2:
        raise ShapeMismatch("needs_vector_or_matrix", function="softmax", a_shape=a)
    return a


def _softmax(xp: Any, a: Any) -> Any:
    # NOTE: shifted by the row's max, so that exp never overflows.
    shifted = a - np.max(a, axis=-1, keepdims=True)
    z = np.exp(shifted)
    return z / np.sum(z, axis=-1, keepdims=True)


def _softmax_vjp(xp: Any, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (out * (g - np.sum(g * out, axis=-1, keepdims=True)),)


def expand_softmax(b: GateBuilder, pos: int, scores: int) -> int:
    # softmax(s) = exp(s) / Σ_j exp(s_j), row by row.
    exps = b.gate("exp", (scores,), pos)
    return b.gate("div", (exps, b.gate("rowsum", (exps,), pos)), pos)


SOFTMAX = register(Primitive(
    "softmax", 1, "softmax",
    forward=_softmax,
    vjp=_softmax_vjp,
    code=OpCode(("{out} = np.exp({0} - np.max({0}, axis=-1, keepdims=True))",
                 "{out} = {out} / np.sum({out}, axis=-1, keepdims=True)"),
                (expr("{out} * ({g} - np.sum({g} * {out}, axis=-1, keepdims=True))"),)),
    words=Words(
        Say("softmax", "softmax"), "softmax($0)", r"\operatorname{softmax}($0)", ATOM,
        (Local(Say("p ⊙ ($g - Σ_j $g ⊙ p), p = softmax($0)",
                   "p ⊙ ($g - Σ_j $g ⊙ p)，其中 p = softmax($0)"),
               r"p \odot \Big($g - \sum_j $g \odot p\Big)"),)),
    elementwise=False, shape=_last_axis_shape, functions=("softmax",),
    expand=expand_softmax,
))

# --- internal gates that composites expand into -----------------------------------------------

ROWSUM = register(Primitive(
    "rowsum", 1, "Σ",
    forward=lambda xp, a: np.sum(a, axis=-1, keepdims=True),
    vjp=lambda xp, g, out, a: (np.broadcast_to(g, np.shape(a)).copy(),),
    code=simple("np.sum({0}, axis=-1, keepdims=True)",
                "np.ones_like({0}) * {g}"),
    words=Words(
        Say("row sum", "行求和"), "Σ_j $0", r"\sum_j $0", NEGATION,
        (Local(Say("$g, copied along each row", "$g，沿每一行复制"),
               r"$g \cdot \mathbf{1}^{\mathsf{T}}"),)),
    elementwise=False, shape=lambda a: _last_axis_shape(a)[:-1] + (1,),
    doc="sum along the last axis, keeping it: the denominator of an expanded softmax",
))
