"""Property tests: random programs from a grammar, rendered in varied styles.

The grammar builds a SymPy expression alongside the text, so each example has two oracles:
SymPy's exact derivative and centered differences. Domains are safe by construction (log and
sqrt of 1 + a square, division by 1 + a square, exp of a bounded argument) and kinks are
avoided by `assume`, checked on the SymPy values of every kinked argument.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import sympy
from engine_oracles import centered_gradients, relative_error
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from circuitgrad import CircuitError, evaluate
from circuitgrad.error_catalog import MESSAGES
from circuitgrad.inputs import infer_inputs

VARIABLES = ("x", "y", "z", "w0")
SYMBOLS = {name: sympy.Symbol(name, real=True) for name in VARIABLES}

# Precedence levels of rendered text: an operand below the level its place needs is wrapped.
ADD, MUL, UNARY, POW, ATOM = 1, 2, 3, 4, 5


@dataclass
class Node:
    text: str
    level: int
    expr: sympy.Expr
    kinks: list[sympy.Expr] = field(default_factory=list)  # must stay away from 0
    bounded: list[sympy.Expr] = field(default_factory=list)  # |.| must stay below 3


Draw = st.DrawFn


def space(draw: Draw) -> str:
    return draw(st.sampled_from(["", "", " ", "  "]))


def wrap(draw: Draw, node: Node, level: int) -> str:
    if node.level >= level and not draw(st.integers(0, 5)) == 0:
        return node.text
    return f"({space(draw)}{node.text}{space(draw)})"  # redundant brackets now and then


def paren(draw: Draw, node: Node) -> str:
    return f"({space(draw)}{node.text}{space(draw)})"


def join(*parts: Node) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    kinks = [k for p in parts for k in p.kinks]
    bounded = [b for p in parts for b in p.bounded]
    return kinks, bounded


@st.composite
def leaf(draw: Draw) -> Node:
    if draw(st.booleans()):
        name = draw(st.sampled_from(VARIABLES))
        return Node(name, ATOM, SYMBOLS[name])
    value = draw(st.sampled_from([("2", 2), ("0.5", 0.5), (".5", 0.5), ("3", 3),
                                  ("5e-1", 0.5), ("1.5", 1.5), ("pi", sympy.pi),
                                  ("e", sympy.E), ("2.0", 2)]))
    return Node(value[0], ATOM, sympy.sympify(value[1]))


def times(draw: Draw, a: Node, b: Node) -> str:
    """A product in one of several spellings, implicit only where the language allows."""
    left = wrap(draw, a, MUL)
    right = wrap(draw, b, UNARY)
    options = [f"{left}{space(draw)}*{space(draw)}{right}", f"{left} × {right}",
               f"{left}·{right}"]
    right_tight = wrap(draw, b, POW)
    starts = right_tight[0]
    if left[-1] == ")" and (starts == "(" or starts.isalpha()):
        options.append(f"{left}{right_tight}")  # (x+y)z, (a)(b), (a)exp(b)
    ends_with_number = left[-1].isdigit() and not re.search(r"[A-Za-z_][A-Za-z0-9_]*$", left)
    if ends_with_number and (starts == "(" or (starts.isalpha() and starts not in "eE")):
        options.append(f"{left}{right_tight}")  # 2x, 3x^2, 2(x+1)
    if left[-1].isalpha() and (starts.isalpha() or starts == "("):
        options.append(f"{left} {right_tight}")  # x y, x exp(y)
    return draw(st.sampled_from(options))


def expressions(max_leaves: int = 6) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        @st.composite
        def combine(draw: Draw) -> Node:
            a = draw(children)
            b = draw(children)
            kinks, bounded = join(a, b)
            kind = draw(st.sampled_from([
                "add", "sub", "mul", "div", "square", "cube", "neg", "exp", "log", "sqrt",
                "tanh", "sin", "cos", "sigmoid", "relu", "abs", "max", "min", "powpos",
            ]))
            s = space(draw)
            if kind == "add":
                return Node(f"{wrap(draw, a, ADD)}{s}+{s}{wrap(draw, b, MUL)}", ADD,
                            a.expr + b.expr, kinks, bounded)
            if kind == "sub":
                minus = draw(st.sampled_from(["-", "−"]))
                return Node(f"{wrap(draw, a, ADD)}{s}{minus}{s}{wrap(draw, b, MUL)}", ADD,
                            a.expr - b.expr, kinks, bounded)
            if kind == "mul":
                return Node(times(draw, a, b), MUL, a.expr * b.expr, kinks, bounded)
            if kind == "div":
                hat = draw(st.sampled_from(["^", "**"]))
                return Node(f"{wrap(draw, a, MUL)}{s}/{s}(1 + {wrap(draw, b, ATOM)}{hat}2)",
                            MUL, a.expr / (1 + b.expr**2), kinks, bounded)
            if kind in ("square", "cube"):
                hat = draw(st.sampled_from(["^", "**", "^ "]))
                power = 2 if kind == "square" else 3
                return Node(f"{wrap(draw, a, ATOM)}{hat}{power}", POW, a.expr**power, kinks,
                            bounded)
            if kind == "neg":
                return Node(f"-{wrap(draw, a, UNARY)}", UNARY, -a.expr, kinks, bounded)
            if kind == "exp":
                return Node(f"exp{paren(draw, a)}", ATOM, sympy.exp(a.expr), kinks,
                            bounded + [a.expr])
            if kind in ("log", "sqrt"):
                name = draw(st.sampled_from(["log", "ln"])) if kind == "log" else "sqrt"
                inner = sympy.log if kind == "log" else sympy.sqrt
                return Node(f"{name}(1 + {wrap(draw, a, ATOM)}^2)", ATOM,
                            inner(1 + a.expr**2), kinks, bounded)
            if kind in ("tanh", "sin", "cos"):
                function = getattr(sympy, kind)
                return Node(f"{kind}{paren(draw, a)}", ATOM, function(a.expr), kinks, bounded)
            if kind == "sigmoid":
                name = draw(st.sampled_from(["sigmoid", "σ"]))
                return Node(f"{name}{paren(draw, a)}", ATOM, 1 / (1 + sympy.exp(-a.expr)),
                            kinks, bounded)
            if kind == "relu":
                return Node(f"relu{paren(draw, a)}", ATOM, sympy.Max(0, a.expr),
                            kinks + [a.expr], bounded)
            if kind == "abs":
                return Node(f"abs{paren(draw, a)}", ATOM, sympy.Abs(a.expr), kinks + [a.expr],
                            bounded)
            if kind in ("max", "min"):
                function = sympy.Max if kind == "max" else sympy.Min
                return Node(f"{kind}({a.text},{s}{b.text})", ATOM, function(a.expr, b.expr),
                            kinks + [a.expr - b.expr], bounded)
            # powpos: a positive base to a bounded power
            return Node(f"pow(1 + {wrap(draw, a, ATOM)}^2, {b.text})", ATOM,
                        (1 + a.expr**2) ** b.expr, kinks, bounded + [b.expr])

        return combine()

    return st.recursive(leaf(), extend, max_leaves=max_leaves)


points = st.fixed_dictionaries({name: st.floats(-2, 2, allow_nan=False) for name in VARIABLES})


def numeric(expr: sympy.Expr, at: dict[sympy.Symbol, float]) -> float:
    return float(sympy.N(expr.subs(at), 30))


def check_safe(node: Node, at: dict[sympy.Symbol, float]) -> float:
    """The exact value, after assuming the point is safe for this expression."""
    for kink in node.kinks:
        assume(abs(numeric(kink, at)) > 1e-3)
    for bounded in node.bounded:
        assume(abs(numeric(bounded, at)) < 3)
    value = numeric(node.expr, at)
    assume(abs(value) < 1e3)
    return value


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@SETTINGS
@given(expressions(), points)
def test_gradients_match_sympy_and_centered_differences(node: Node, point: dict[str, float]
                                                         ) -> None:
    at = {SYMBOLS[name]: sympy.Float(v, 30) for name, v in point.items()}
    value = check_safe(node, at)
    result = evaluate(node.text, point)
    assert math.isclose(result.value, value, rel_tol=1e-9, abs_tol=1e-9), node.text
    # The inputs the circuit has (SymPy may have simplified some away, as in x - x).
    used = {name: point[name] for name in result.gradients}
    numeric_grads = centered_gradients(node.text, used, h=1e-5)
    for name in used:
        exact = numeric(sympy.diff(node.expr, SYMBOLS[name]), at)
        assume(abs(exact) < 1e3)
        analytic = result.gradients[name]
        assert relative_error(analytic, exact) < 1e-9, (node.text, name)
        assert relative_error(analytic, numeric_grads[name]) < 1e-6, (node.text, name)


@SETTINGS
@given(expressions(), points)
def test_expanded_and_collapsed_composites_agree(node: Node, point: dict[str, float]) -> None:
    at = {SYMBOLS[name]: sympy.Float(v, 30) for name, v in point.items()}
    check_safe(node, at)
    collapsed = evaluate(node.text, point)
    expanded = evaluate(node.text, point, expand=True)
    assert math.isclose(expanded.value, collapsed.value, rel_tol=1e-12, abs_tol=1e-15)
    for name, grad in collapsed.gradients.items():
        assert math.isclose(expanded.gradients[name], grad, rel_tol=1e-10, abs_tol=1e-13)


@SETTINGS
@given(expressions(max_leaves=4), points)
def test_statement_styles_give_the_same_numbers(node: Node, point: dict[str, float]) -> None:
    """The same expression as one line, as named statements, with comments and newlines."""
    used = {name: point[name] for name in VARIABLES}
    one_line = evaluate(node.text + " + 0*(x+y+z+w0)", used)
    program = f"# a comment\nq = {node.text} # named\n\nf = q +\n  0*(x+y+z+w0);"
    staged = evaluate(program, used)
    np.testing.assert_equal(staged.value, one_line.value)
    for name in VARIABLES:
        np.testing.assert_equal(staged.gradients[name], one_line.gradients[name])


ALPHABET = list("xyzw0123456789.eE+-*/^@(),=;# \n\t×·−σ") + [
    "exp(", "log(", "max(", "sum(", "softmax_loss(", "svm_loss(", ".T", "**", "pi", "__",
    "foo(", "sigmoid", "1e308", "9^9^9", "relu(", "x =", "\u00a0", "é", "0" * 30,
    # what the notes and a keyboard produce
    "π", "√", "²", "³", "⁻", "¹", "÷", "⋅", "∙", "–", "ᵀ", "₀", "α", "Σ", "|", "[", "]", "{", "}",
    "（", "）", "，", "＋", "Sigmoid(", "EXP(", "W", "X", "xy", "w0x0", "e^",
    # pasted LaTeX
    "\\frac{", "\\frac", "}{", "\\sqrt{", "\\sqrt[", "^{", "\\exp", "\\log", "\\ln", "\\sigma",
    "\\max", "\\cdot", "\\times", "\\left(", "\\right)", "\\left|", "\\pi", "\\alpha", "\\top",
    "\\operatorname{relu}", "\\mathrm{", "\\,", "\\", "\\foo", "_{", "\\{",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_junk_from_the_alphabet_raises_only_circuit_errors(text: str) -> None:
    for values in ({}, {"x": 1.5, "y": [1.0, 2.0], "z": [[1.0, 0.0], [0.0, 1.0]], "w0": 0.0}):
        try:
            evaluate(text, values).to_dict()
        except CircuitError as error:
            check_error(error, text)
    try:
        infos = infer_inputs(text)
    except CircuitError as error:
        check_error(error, text)
    else:  # what /api/inputs answers evaluates
        evaluate(text, {info.name: info.default for info in infos}).to_dict()


def check_error(error: CircuitError, text: str) -> None:
    """A message in both languages, a code of the catalog, a position inside the text."""
    assert error.message and error.message_in("zh-CN")
    assert error.code in MESSAGES
    if error.position is not None:
        assert 0 <= error.position <= len(text)
        error.render()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_circuit_errors(text: str) -> None:
    try:
        evaluate(text, {"x": 1.0}).to_dict()
    except CircuitError as error:
        check_error(error, text)
