"""Element-wise primitives: they broadcast like numpy and run on plain floats for scalars.

Each row also holds its words: the gate's name, its formula, each input's local gradient
(symbolically, with the numbers in, and as LaTeX) and the pattern a learner should see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .code import routes, simple
from .core import Primitive, register
from .words import ATOM, NEGATION, POWER, PRODUCT, SUM, Local, Say, Words


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


def _order(a: float, b: float) -> int:
    """Which of a routing rule's cases `a` is in against `b`: 0 above, 1 below (or NaN), 2 tie."""
    return 0 if a > b else 2 if a == b else 1


def _routes(mine: str, other: str, wins: str, loses: str, which: Say,
            case: Callable[..., int]) -> Local:
    """The local gradient of max or min for the input `mine`: 1, 0, or half on a tie."""
    return Local(
        Say(f"1 if {mine} is the {which.en} input, else 0 (0.5 each on a tie)",
            f"{mine} 较{which.zh}时为 1，否则为 0（相等时各为 0.5）"),
        rf"\mathbb{{1}}[{mine} {wins} {other}]",
        case=case,
        cases=(Say(f"here {mine} {wins} {other}, so it is 1",
                   f"此处 {mine} {wins} {other}，所以为 1"),
               Say(f"here {mine} {loses} {other}, so it is 0",
                   f"此处 {mine} {loses} {other}，所以为 0"),
               Say(f"here {mine} = {other}: a tie, so the gradient splits, 0.5 each",
                   f"此处 {mine} = {other}：两者相等，梯度平分，各得 0.5")),
        cases_latex=(rf"{mine} {wins} {other} \Rightarrow 1",
                     rf"{mine} {loses} {other} \Rightarrow 0",
                     rf"{mine} = {other} \Rightarrow \tfrac{{1}}{{2}}"),
    )


_ONE = Local("1", "1")

# --- arithmetic -------------------------------------------------------------------------------

ADD = register(Primitive(
    "add", 2, "+",
    forward=lambda xp, a, b: a + b,
    vjp=lambda xp, g, out, a, b: (g, g),
    code=simple("{0} + {1}", "{g}", "{g}"),
    words=Words(
        Say("add", "加法"), "$0 + $1", "$0 + $1", SUM, (_ONE, _ONE),
        Say("add distributes: every input receives the upstream gradient unchanged",
            "加法门分发梯度：每个输入都原样得到上游梯度")),
))
SUB = register(Primitive(
    "sub", 2, "-",
    forward=lambda xp, a, b: a - b,
    vjp=lambda xp, g, out, a, b: (g, -g),
    code=simple("{0} - {1}", "{g}", "-{g}"),
    words=Words(
        Say("subtract", "减法"), "$0 - $1", "$0 - $1", SUM, (_ONE, Local("-1", "-1")),
        Say("subtract: the first input gets the upstream gradient, the second its negative",
            "减法门：第一个输入得到上游梯度，第二个输入得到它的相反数")),
))
MUL = register(Primitive(
    "mul", 2, "*",
    forward=lambda xp, a, b: a * b,
    vjp=lambda xp, g, out, a, b: (g * b, g * a),
    code=simple("{0} * {1}", "{1} * {g}", "{0} * {g}"),
    words=Words(
        Say("multiply", "乘法"), "$0 × $1", r"$0 \cdot $1", PRODUCT,
        (Local("$1", "$1"), Local("$0", "$0")),
        Say("mul swaps: each input's local gradient is the other input's value",
            "乘法门交换：每个输入的局部梯度是另一个输入的值")),
))
DIV = register(Primitive(
    "div", 2, "/",
    forward=lambda xp, a, b: a / b,
    vjp=lambda xp, g, out, a, b: (g / b, -g * a / (b * b)),
    code=simple("{0} / {1}", "{g} / {1}", "-{0} / {1} ** 2 * {g}"),
    words=Words(
        Say("divide", "除法"), "$0 / $1", r"\frac{$0}{$1}", PRODUCT,
        (Local("1/$1", r"\frac{1}{$1}"), Local("-$0/$1²", r"-\frac{$0}{$1^{2}}"))),
))
NEG = register(Primitive(
    "neg", 1, "*-1",
    forward=lambda xp, a: -a,
    vjp=lambda xp, g, out, a: (-g,),
    code=simple("-{0}", "-{g}"),
    words=Words(Say("negate", "取负"), "-$0", "-$0", NEGATION, (Local("-1", "-1"),)),
))
RECIP = register(Primitive(
    "recip", 1, "1/x",
    forward=lambda xp, a: 1.0 / a,
    vjp=lambda xp, g, out, a: (-g * out * out,),
    code=simple("1.0 / {0}", "(-1.0 / {0} ** 2) * {g}"),
    words=Words(Say("reciprocal", "倒数"), "1 / $0", r"\frac{1}{$0}", PRODUCT,
                (Local("-1/$0²", r"-\frac{1}{$0^{2}}"),)),
))
POW = register(Primitive(
    "pow", 2, "^",
    forward=lambda xp, a, b: xp.pow(a, b),
    vjp=lambda xp, g, out, a, b: (_pow_base_grad(xp, g, a, b),
                                  _pow_exponent_grad(xp, g, out, a, b)),
    # NOTE: the code takes the engine's limits too: x^0 has gradient 0 at x = 0, and a^b's
    # gradient in b is 0 at a = 0.
    code=simple("np.power({0}, {1})",
                "np.where({1} == 0, 0.0, {1} * np.power({0}, {1} - 1)) * {g}",
                "np.where({0} == 0, 0.0, {out} * np.log(np.where({0} == 0, 1.0, {0}))) * {g}"),
    words=Words(
        Say("power", "幂"), "$0 ^ $1", "$0^{$1}", POWER,
        (Local("$1·$0^($1 - 1)", r"$1 \cdot $0^{$1 - 1}",
               numeric="$1 × $0^($1 - 1)", numeric_latex=r"$1 \times $0^{$1 - 1}"),
         # NOTE: at a base of 0 the rule takes the limit 0 (as PyTorch does).
         Local("$0^$1·ln $0", r"$0^{$1} \ln $0",
               numeric="$0^$1 × ln $0", numeric_latex=r"$0^{$1} \times \ln $0"))),
    functions=("pow",),
))
IDENTITY = register(Primitive(
    "identity", 1, "=",
    forward=lambda xp, a: a,
    vjp=lambda xp, g, out, a: (g,),
    code=simple("{0}", "{g}"),
    words=Words(Say("copy", "复制"), "$0", "$0", ATOM, (_ONE,)),
    doc="names a value that already has a name: `q = x`",
))

# --- functions --------------------------------------------------------------------------------

EXP = register(Primitive(
    "exp", 1, "exp",
    forward=lambda xp, a: xp.exp(a),
    vjp=lambda xp, g, out, a: (g * out,),
    code=simple("np.exp({0})", "{out} * {g}"),
    words=Words(Say("exp", "指数"), "exp($0)", r"\exp($0)", ATOM,
                (Local("exp($0)", r"\exp($0)"),)),
    functions=("exp",),
))
LOG = register(Primitive(
    "log", 1, "log",
    forward=lambda xp, a: xp.log(a),
    vjp=lambda xp, g, out, a: (g / a,),
    code=simple("np.log({0})", "{g} / {0}"),
    words=Words(Say("log", "对数"), "log($0)", r"\log($0)", ATOM,
                (Local("1/$0", r"\frac{1}{$0}"),)),
    functions=("log", "ln"),
))
SQRT = register(Primitive(
    "sqrt", 1, "√",
    forward=lambda xp, a: xp.sqrt(a),
    vjp=lambda xp, g, out, a: (g * 0.5 / out,),
    code=simple("np.sqrt({0})", "0.5 / {out} * {g}"),
    words=Words(Say("square root", "平方根"), "sqrt($0)", r"\sqrt{$0}", ATOM,
                (Local("1/(2·sqrt($0))", r"\frac{1}{2\sqrt{$0}}",
                       numeric="1/(2 × $out)", numeric_latex=r"\frac{1}{2 \times $out}"),)),
    functions=("sqrt",),
))
TANH = register(Primitive(
    "tanh", 1, "tanh",
    forward=lambda xp, a: xp.tanh(a),
    vjp=lambda xp, g, out, a: (g * (1.0 - out * out),),
    code=simple("np.tanh({0})", "(1 - {out} ** 2) * {g}"),
    words=Words(Say("tanh", "tanh"), "tanh($0)", r"\tanh($0)", ATOM,
                (Local("1 - tanh($0)²", r"1 - \tanh^{2}($0)",
                       numeric="1 - $out²", numeric_latex="1 - $out^{2}"),)),
    functions=("tanh",),
))
RELU = register(Primitive(
    "relu", 1, "relu",
    # NOTE: relu'(0) = 0, like PyTorch.
    forward=lambda xp, a: xp.where(a > 0, a, 0.0),
    vjp=lambda xp, g, out, a: (xp.where(a > 0, g, 0.0),),
    code=simple("np.maximum({0}, 0.0)", "({0} > 0) * {g}"),
    words=Words(
        Say("ReLU", "ReLU"), "relu($0)", r"\max(0, $0)", ATOM,
        (Local(Say("1 if $0 > 0, else 0", "$0 > 0 时为 1，否则为 0"), r"\mathbb{1}[$0 > 0]",
               case=lambda out, a: 0 if a > 0 else 1,
               cases=(Say("here $0 > 0, so it is 1", "此处 $0 > 0，所以为 1"),
                      Say("here $0 ≤ 0, so it is 0", "此处 $0 ≤ 0，所以为 0")),
               cases_latex=(r"$0 > 0 \Rightarrow 1", r"$0 \le 0 \Rightarrow 0")),),
        Say("relu gates: the gradient passes where the input was positive, else it stops",
            "ReLU 门控：输入为正处梯度通过，否则被截断")),
    functions=("relu",),
))
ABS = register(Primitive(
    "abs", 1, "abs",
    # NOTE: abs'(0) = 0, like PyTorch.
    forward=lambda xp, a: xp.abs(a),
    vjp=lambda xp, g, out, a: (g * xp.sign(a),),
    code=simple("np.abs({0})", "np.sign({0}) * {g}"),
    words=Words(Say("absolute value", "绝对值"), "|$0|", r"\lvert $0 \rvert", ATOM,
                (Local("sign($0)", r"\operatorname{sign}($0)"),)),
    functions=("abs",),
))
SIN = register(Primitive(
    "sin", 1, "sin",
    forward=lambda xp, a: xp.sin(a),
    vjp=lambda xp, g, out, a: (g * xp.cos(a),),
    code=simple("np.sin({0})", "np.cos({0}) * {g}"),
    words=Words(Say("sine", "正弦"), "sin($0)", r"\sin($0)", ATOM,
                (Local("cos($0)", r"\cos($0)"),)),
    functions=("sin",),
))
COS = register(Primitive(
    "cos", 1, "cos",
    forward=lambda xp, a: xp.cos(a),
    vjp=lambda xp, g, out, a: (-g * xp.sin(a),),
    code=simple("np.cos({0})", "-np.sin({0}) * {g}"),
    words=Words(Say("cosine", "余弦"), "cos($0)", r"\cos($0)", ATOM,
                (Local("-sin($0)", r"-\sin($0)"),)),
    functions=("cos",),
))
MAX = register(Primitive(
    "max", 2, "max",
    forward=lambda xp, a, b: xp.maximum(a, b),
    vjp=lambda xp, g, out, a, b: (_route(xp, g, a, b), _route(xp, g, b, a)),
    code=simple("np.maximum({0}, {1})",
                routes("{0}", "{1}", larger=True), routes("{1}", "{0}", larger=True)),
    words=Words(
        Say("max", "取最大值"), "max($0, $1)", r"\max($0, $1)", ATOM,
        (_routes("$0", "$1", ">", "<", Say("larger", "大"), lambda out, a, b: _order(a, b)),
         _routes("$1", "$0", ">", "<", Say("larger", "大"), lambda out, a, b: _order(b, a))),
        Say("max routes: the whole gradient goes to the larger input and none "
            "to the other; a tie splits it equally",
            "取最大值门路由梯度：较大的输入得到全部梯度，另一个得到 0；相等时平分")),
    functions=("max",),
))
MIN = register(Primitive(
    "min", 2, "min",
    forward=lambda xp, a, b: xp.minimum(a, b),
    vjp=lambda xp, g, out, a, b: (_route(xp, g, b, a), _route(xp, g, a, b)),
    code=simple("np.minimum({0}, {1})",
                routes("{0}", "{1}", larger=False), routes("{1}", "{0}", larger=False)),
    words=Words(
        Say("min", "取最小值"), "min($0, $1)", r"\min($0, $1)", ATOM,
        (_routes("$0", "$1", "<", ">", Say("smaller", "小"), lambda out, a, b: _order(b, a)),
         _routes("$1", "$0", "<", ">", Say("smaller", "小"), lambda out, a, b: _order(a, b))),
        Say("min routes: the whole gradient goes to the smaller input and none "
            "to the other; a tie splits it equally",
            "取最小值门路由梯度：较小的输入得到全部梯度，另一个得到 0；相等时平分")),
    functions=("min",),
))
