"""Element-wise primitives: they broadcast like numpy and run on plain floats for scalars."""

from __future__ import annotations

from typing import Any

from .core import Primitive, register


def _route(xp: Any, g: Any, a: Any, b: Any) -> Any:
    """The share of `g` that max(a, b) sends to `a`: all if larger, half on a tie."""
    # NOTE: ties split the gradient equally, like torch.maximum.
    return xp.where(a > b, g, xp.where(a == b, 0.5 * g, 0.0))


def _pow_base_grad(xp: Any, g: Any, a: Any, b: Any) -> Any:
    # d(a^b)/da = b·a^(b-1).
    # NOTE: 0 wherever b = 0, as in PyTorch: x^0 is the constant 1, also at x = 0, where
    # 0·0^-1 would read 0·inf = NaN.
    return xp.where(b == 0, 0.0, g * b * xp.pow(a, b - 1.0))


def _pow_exponent_grad(xp: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    # d(a^b)/db = a^b·ln a.
    # NOTE: 0 where a = 0 and b >= 0 (the limit, as PyTorch takes it); a < 0 gives NaN, and
    # a = 0 with b < 0 gives -inf·g, as in PyTorch.
    return xp.where((a == 0) & (b >= 0), 0.0, g * out * xp.log(a))


# --- arithmetic -------------------------------------------------------------------------------

ADD = register(Primitive(
    "add", 2, "+",
    forward=lambda xp, a, b: a + b,
    vjp=lambda xp, g, out, a, b: (g, g),
    formula="{0} + {1}", local=("1", "1"),
    pattern="add distributes: every input receives the upstream gradient unchanged",
))
SUB = register(Primitive(
    "sub", 2, "-",
    forward=lambda xp, a, b: a - b,
    vjp=lambda xp, g, out, a, b: (g, -g),
    formula="{0} - {1}", local=("1", "-1"),
    pattern="subtract: the first input gets the upstream gradient, the second its negative",
))
MUL = register(Primitive(
    "mul", 2, "*",
    forward=lambda xp, a, b: a * b,
    vjp=lambda xp, g, out, a, b: (g * b, g * a),
    formula="{0} × {1}", local=("{1}", "{0}"),
    pattern="mul swaps: each input's gradient is the other input times the upstream gradient",
))
DIV = register(Primitive(
    "div", 2, "/",
    forward=lambda xp, a, b: a / b,
    vjp=lambda xp, g, out, a, b: (g / b, -g * a / (b * b)),
    formula="{0} / {1}", local=("1/{1}", "-{0}/{1}²"),
))
NEG = register(Primitive(
    "neg", 1, "*-1",
    forward=lambda xp, a: -a,
    vjp=lambda xp, g, out, a: (-g,),
    formula="-{0}", local=("-1",),
))
RECIP = register(Primitive(
    "recip", 1, "1/x",
    forward=lambda xp, a: 1.0 / a,
    vjp=lambda xp, g, out, a: (-g * out * out,),
    formula="1 / {0}", local=("-1/{0}²",),
))
POW = register(Primitive(
    "pow", 2, "^",
    forward=lambda xp, a, b: xp.pow(a, b),
    vjp=lambda xp, g, out, a, b: (_pow_base_grad(xp, g, a, b),
                                  _pow_exponent_grad(xp, g, out, a, b)),
    formula="{0} ^ {1}", local=("{1}·{0}^({1}-1)", "{0}^{1}·ln {0}"),
    functions=("pow",),
))
IDENTITY = register(Primitive(
    "identity", 1, "=",
    forward=lambda xp, a: a,
    vjp=lambda xp, g, out, a: (g,),
    formula="{0}", local=("1",),
    doc="names a value that already has a name: `q = x`",
))

# --- functions --------------------------------------------------------------------------------

EXP = register(Primitive(
    "exp", 1, "exp",
    forward=lambda xp, a: xp.exp(a),
    vjp=lambda xp, g, out, a: (g * out,),
    formula="exp({0})", local=("exp({0})",), functions=("exp",),
))
LOG = register(Primitive(
    "log", 1, "log",
    forward=lambda xp, a: xp.log(a),
    vjp=lambda xp, g, out, a: (g / a,),
    formula="log({0})", local=("1/{0}",), functions=("log", "ln"),
))
SQRT = register(Primitive(
    "sqrt", 1, "√",
    forward=lambda xp, a: xp.sqrt(a),
    vjp=lambda xp, g, out, a: (g * 0.5 / out,),
    formula="sqrt({0})", local=("1/(2·sqrt({0}))",), functions=("sqrt",),
))
TANH = register(Primitive(
    "tanh", 1, "tanh",
    forward=lambda xp, a: xp.tanh(a),
    vjp=lambda xp, g, out, a: (g * (1.0 - out * out),),
    formula="tanh({0})", local=("1 - tanh({0})²",), functions=("tanh",),
))
RELU = register(Primitive(
    "relu", 1, "relu",
    # NOTE: relu'(0) = 0, like PyTorch.
    forward=lambda xp, a: xp.where(a > 0, a, 0.0),
    vjp=lambda xp, g, out, a: (xp.where(a > 0, g, 0.0),),
    formula="relu({0})", local=("1 if {0} > 0 else 0",), functions=("relu",),
    pattern="relu gates: the gradient passes where the input was positive, else it stops",
))
ABS = register(Primitive(
    "abs", 1, "abs",
    # NOTE: abs'(0) = 0, like PyTorch.
    forward=lambda xp, a: xp.abs(a),
    vjp=lambda xp, g, out, a: (g * xp.sign(a),),
    formula="|{0}|", local=("sign({0})",), functions=("abs",),
))
SIN = register(Primitive(
    "sin", 1, "sin",
    forward=lambda xp, a: xp.sin(a),
    vjp=lambda xp, g, out, a: (g * xp.cos(a),),
    formula="sin({0})", local=("cos({0})",), functions=("sin",),
))
COS = register(Primitive(
    "cos", 1, "cos",
    forward=lambda xp, a: xp.cos(a),
    vjp=lambda xp, g, out, a: (-g * xp.sin(a),),
    formula="cos({0})", local=("-sin({0})",), functions=("cos",),
))
MAX = register(Primitive(
    "max", 2, "max",
    forward=lambda xp, a, b: xp.maximum(a, b),
    vjp=lambda xp, g, out, a, b: (_route(xp, g, a, b), _route(xp, g, b, a)),
    formula="max({0}, {1})", local=("1 if {0} > {1} else 0", "1 if {1} > {0} else 0"),
    functions=("max",),
    pattern="max routes: the whole gradient goes to the larger input, none to the other",
))
MIN = register(Primitive(
    "min", 2, "min",
    forward=lambda xp, a, b: xp.minimum(a, b),
    vjp=lambda xp, g, out, a, b: (_route(xp, g, b, a), _route(xp, g, a, b)),
    formula="min({0}, {1})", local=("1 if {0} < {1} else 0", "1 if {1} < {0} else 0"),
    functions=("min",),
    pattern="min routes: the whole gradient goes to the smaller input, none to the other",
))
