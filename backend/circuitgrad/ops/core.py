"""The primitive table: each op's forward rule, vector-Jacobian product and shape rule.

One row per op, next to its rules (like JAX's `lax` primitives or autograd's `defvjp`).
A rule is written once against a small math namespace `xp`: `SCALAR` (Python floats and the
`math` module, no numpy overhead per gate) or `TENSOR` (numpy). The engine picks the
namespace, undoes broadcasting and checks shapes; the rules never think about either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .code import OpCode
from .words import Words, check_words

Value = Any  # a Python float for a scalar, a float64 ndarray for a tensor, int64 for labels
Shape = tuple[int, ...]


class ShapeMismatch(Exception):
    """Raised by a shape rule; the engine turns it into a positioned ShapeError.

    `code` and `params` are an error of the catalog (error_catalog.py). The rule knows the
    shapes; the engine adds what only the circuit knows: the operands' names as `a` and `b`
    (the first and second argument) and the gate's symbol as `op`. `value_arg` is the
    argument whose *value* (not shape) is at fault, as with labels out of range, so that the
    error can name that input."""

    def __init__(self, code: str, value_arg: int | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.value_arg = value_arg


# ---------------------------------------------------------------------------------------------
# The two math namespaces. Both follow IEEE 754: log(0) = -inf, sqrt(-1) = nan. `math` raises
# instead, so the engine retries a scalar gate that raised on numpy float64 (see engine.py).
# ---------------------------------------------------------------------------------------------


def _nan_aware_max(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan
    return a if a >= b else b


def _nan_aware_min(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan
    return a if a <= b else b


def _scalar_sign(a: float) -> float:
    if a > 0:
        return 1.0
    if a < 0:
        return -1.0
    return 0.0 if a == 0 else math.nan


def _scalar_sigmoid(a: float) -> float:
    # NOTE: two branches so that exp never overflows: sigmoid(-1000) is 0, not an error.
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    z = math.exp(a)
    return z / (1.0 + z)


def _tensor_sigmoid(a: Any) -> Any:
    z = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


class ScalarMath:
    """Scalar rules on Python floats."""

    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sqrt = staticmethod(math.sqrt)
    tanh = staticmethod(math.tanh)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    pow = staticmethod(math.pow)
    abs = staticmethod(abs)
    sign = staticmethod(_scalar_sign)
    maximum = staticmethod(_nan_aware_max)
    minimum = staticmethod(_nan_aware_min)
    sigmoid = staticmethod(_scalar_sigmoid)

    @staticmethod
    def where(condition: Any, a: Any, b: Any) -> Any:
        return a if condition else b


class TensorMath:
    """The same rules on numpy arrays (and numpy float64, the scalar fallback)."""

    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    tanh = staticmethod(np.tanh)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    pow = staticmethod(np.power)
    abs = staticmethod(np.abs)
    sign = staticmethod(np.sign)
    maximum = staticmethod(np.maximum)
    minimum = staticmethod(np.minimum)
    sigmoid = staticmethod(_tensor_sigmoid)
    where = staticmethod(np.where)


SCALAR = ScalarMath()
TENSOR = TensorMath()


class GateBuilder(Protocol):
    """What a composite's expansion may do: add a gate or a constant, getting its index."""

    def gate(self, op: str, inputs: tuple[int, ...], pos: int) -> int: ...

    def constant(self, value: float, pos: int) -> int: ...


Forward = Callable[..., Value]
Vjp = Callable[..., Sequence[Value | None]]
ShapeRule = Callable[..., Shape]


def broadcast_shape(symbol: str, *shapes: Shape) -> Shape:
    """Element-wise ops broadcast like numpy; say which shapes failed and for which op."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise ShapeMismatch("shape_mismatch", op=symbol, a_shape=shapes[0],
                            b_shape=shapes[-1]) from None


@dataclass(frozen=True, slots=True)
class Primitive:
    """One gate: how it computes, how it differentiates, and how it is explained."""

    name: str
    arity: int
    symbol: str  # drawn inside the gate: "+", "*", "exp", "1/x", "σ", ...
    forward: Forward  # forward(xp, *inputs) -> output
    vjp: Vjp  # vjp(xp, upstream, output, *inputs) -> one gradient per input, or None
    words: Words  # its name, formula, local gradients and pattern, in words and LaTeX
    code: OpCode  # how it reads as numpy code, forward and backward (staged.py)
    elementwise: bool = True  # broadcasts like numpy; eligible for the scalar fast path
    shape: ShapeRule | None = None  # non-element-wise ops: (*input shapes) -> output shape
    labels_arg: int | None = None  # index of an integer class-label argument (no gradient)
    functions: tuple[str, ...] = ()  # names a user calls it by: ("log", "ln")
    expand: Callable[..., int] | None = None  # composite: emits its primitive subgraph
    doc: str = ""


REGISTRY: dict[str, Primitive] = {}
FUNCTIONS: dict[str, Primitive] = {}  # user-callable name -> primitive


def register(primitive: Primitive) -> Primitive:
    """Add one row to the table; the parser, engine and docs all read it from here."""
    if primitive.name in REGISTRY:
        raise ValueError(f"primitive {primitive.name!r} registered twice")
    check_words(primitive.name, primitive.arity, primitive.words)
    REGISTRY[primitive.name] = primitive
    for function in primitive.functions:
        FUNCTIONS[function] = primitive
    return primitive
