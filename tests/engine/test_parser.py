"""The parser as S-expression snapshots: one case per rule of docs/language.md."""

from __future__ import annotations

import pytest

from circuitgrad.errors import CircuitError, LimitError, ParseError
from circuitgrad.language.parser import parse
from circuitgrad.language.syntax import to_sexpr
from circuitgrad.settings import Settings


def sexpr(source: str) -> str:
    """Every statement as `(= name expr)` or `expr`, joined by ' ; '."""
    parts = []
    for statement in parse(source).statements:
        text = to_sexpr(statement.expr)
        parts.append(text if statement.target is None else f"(= {statement.target} {text})")
    return " ; ".join(parts)


SNAPSHOTS = [
    # precedence and associativity
    ("2^-1", "(^ 2 (- 1))"),
    ("x + y * z", "(+ x (* y z))"),
    ("x * y + z", "(+ (* x y) z)"),
    ("x - y - z", "(- (- x y) z)"),
    ("x / y / z", "(/ (/ x y) z)"),
    ("x / y * z", "(* (/ x y) z)"),
    ("2^3^2", "(^ 2 (^ 3 2))"),
    ("2**3**2", "(** 2 (** 3 2))"),
    ("2^3**2", "(^ 2 (** 3 2))"),
    ("-x^2", "(- (^ x 2))"),
    ("-x*y", "(* (- x) y)"),
    ("-x + y", "(+ (- x) y)"),
    ("2^-x^2", "(^ 2 (- (^ x 2)))"),
    ("2^+1", "(^ 2 (+ 1))"),
    ("--x", "(- (- x))"),
    ("x - -y", "(- x (- y))"),
    ("x*-y", "(* x (- y))"),
    ("A @ B @ C", "(@ (@ A B) C)"),
    ("A @ B + C", "(+ (@ A B) C)"),
    ("x @ y * z", "(* (@ x y) z)"),
    ("(x + y) * z", "(* (+ x y) z)"),
    ("((x))", "x"),
    # implicit multiplication
    ("1/2x", "(* (/ 1 2) x)"),
    ("x^2y", "(* (^ x 2) y)"),
    ("3x^2", "(* 3 (^ x 2))"),
    ("3x^2+6x", "(+ (* 3 (^ x 2)) (* 6 x))"),
    ("2x", "(* 2 x)"),
    ("2 x", "(* 2 x)"),
    ("2pi", "(* 2 pi)"),
    ("2sin(x)", "(* 2 (sin x))"),
    ("2(x+1)", "(* 2 (+ x 1))"),
    ("(x+y)z", "(* (+ x y) z)"),
    ("(x+y)2", "(* (+ x y) 2)"),
    ("(a+b)(c+d)", "(* (+ a b) (+ c d))"),
    ("(x)exp(y)", "(* x (exp y))"),
    ("x y", "(* x y)"),
    ("x y z", "(* (* x y) z)"),
    ("x exp(y)", "(* x (exp y))"),
    ("x(y+1)", "(* x (+ y 1))"),
    ("w0(y)", "(* w0 y)"),
    ("x_1(y)", "(* x_1 y)"),
    ("alpha (x)", "(* alpha x)"),
    ("h = x\nh(2)", "(= h x) ; (* h 2)"),
    ("hidden = x\nhidden(2)", "(= hidden x) ; (* hidden 2)"),
    ("pi(x)", "(* pi x)"),
    ("x/2y", "(* (/ x 2) y)"),
    ("-2x", "(* (- 2) x)"),
    # exponent parsing
    ("2e-1", "2e-1"),
    ("2e-1x", "(* 2e-1 x)"),
    ("2exp(x)", "(* 2 (exp x))"),
    ("2e", "(* 2 e)"),
    ("2*e - 1", "(- (* 2 e) 1)"),
    ("2e - 1", "(- (* 2 e) 1)"),
    ("3E+2", "3E+2"),
    ("e^x", "(exp x)"),
    (".5x", "(* .5 x)"),
    # calls
    ("exp (x)", "(exp x)"),
    ("max(x, y)", "(max x y)"),
    ("max(x,y)+1", "(+ (max x y) 1)"),
    ("ln(x)", "(ln x)"),
    ("pow(x, 2)", "(pow x 2)"),
    ("svm_loss(X@W + b, y)", "(svm_loss (+ (@ X W) b) y)"),
    ("exp(exp(x))", "(exp (exp x))"),
    ("max(max(a,b),min(c,d))", "(max (max a b) (min c d))"),
    ("-exp(x)^2", "(- (^ (exp x) 2))"),
    # transpose
    ("x.T", "(.T x)"),
    ("W.T @ x", "(@ (.T W) x)"),
    ("x.T.T", "(.T (.T x))"),
    ("(x+y).T", "(.T (+ x y))"),
    ("-x.T", "(- (.T x))"),
    ("x^y.T", "(^ x (.T y))"),
    ("exp(x).T", "(.T (exp x))"),
    ("transpose(x)", "(transpose x)"),
    # unicode aliases
    ("x×y", "(* x y)"),
    ("x·y", "(* x y)"),
    ("x−y", "(- x y)"),
    ("σ(x)", "(sigmoid x)"),
    ("2σ(x)", "(* 2 (sigmoid x))"),
    # notation from the notes and from a keyboard
    ("π", "pi"),
    ("2π", "(* 2 pi)"),
    ("πr²", "(* pi (^ r 2))"),
    ("√x", "(sqrt x)"),
    ("√(x+1)", "(sqrt (+ x 1))"),
    ("√x^2", "(sqrt (^ x 2))"),
    ("√x*y", "(* (sqrt x) y)"),
    ("√x y", "(* (sqrt x) y)"),
    ("2√x", "(* 2 (sqrt x))"),
    ("x√y", "(* x (sqrt y))"),
    ("(a)√b", "(* a (sqrt b))"),
    ("√-x", "(sqrt (- x))"),
    ("-√x", "(- (sqrt x))"),
    ("√√x", "(sqrt (sqrt x))"),
    ("x²", "(^ x 2)"),
    ("x³", "(^ x 3)"),
    ("x⁻¹", "(^ x (- 1))"),
    ("x⁺¹", "(^ x (+ 1))"),
    ("x¹⁰", "(^ x 10)"),
    ("x ²", "(^ x 2)"),
    ("2x²", "(* 2 (^ x 2))"),
    ("x²y", "(* (^ x 2) y)"),
    ("-x²", "(- (^ x 2))"),
    ("(x+y)²", "(^ (+ x y) 2)"),
    ("x.T²", "(^ (.T x) 2)"),
    ("e^x²", "(exp (^ x 2))"),
    ("x÷y", "(/ x y)"),
    ("x⋅y", "(* x y)"),
    ("x∙y", "(* x y)"),
    ("x – y", "(- x y)"),
    ("（x＋y）＊z", "(* (+ x y) z)"),
    ("max(x，y)", "(max x y)"),
    ("q = x\u00a0+ y", "(= q (+ x y))"),
    ("w₀x₀ + w₁", "(+ w0x0 w1)"),
    ("α*x", "(* alpha x)"),
    ("λx", "(* lambda x)"),
    ("θ₁", "theta1"),
    ("Wᵀx", "(* (.T W) x)"),
    # e^u is the exp gate
    ("e^x", "(exp x)"),
    ("e**x", "(exp x)"),
    ("e^-x", "(exp (- x))"),
    ("e^(x+1)", "(exp (+ x 1))"),
    ("(e)^x", "(exp x)"),
    ("2e^x", "(* 2 (exp x))"),
    ("e^x^2", "(exp (^ x 2))"),
    ("x^e", "(^ x e)"),
    ("1/(1+e^-(w0*x0+w2))", "(/ 1 (+ 1 (exp (- (+ (* w0 x0) w2)))))"),
    # pasted LaTeX
    (r"\frac{a}{b}", "(/ a b)"),
    (r"\frac{1}{1+e^{-x}}", "(/ 1 (+ 1 (exp (- x))))"),
    (r"\frac {1} {2}x", "(* (/ 1 2) x)"),
    (r"\dfrac{a}{b}^2", "(^ (/ a b) 2)"),
    (r"\frac{\frac{a}{b}}{c}", "(/ (/ a b) c)"),
    (r"\frac{a}{\frac{b}{c}}", "(/ a (/ b c))"),
    (r"\sqrt{x+1}", "(sqrt (+ x 1))"),
    (r"\sqrt x", "(sqrt x)"),
    ("x^{2}", "(^ x 2)"),
    ("x^{-1}", "(^ x (- 1))"),
    ("e^{x}", "(exp x)"),
    ("e^{-(w_0x_0+w_2)}", "(exp (- (+ w_0x_0 w_2)))"),
    ("x_{1} + x_{2}", "(+ x_1 x_2)"),
    (r"\exp(x)", "(exp x)"),
    (r"\exp{x}", "(exp x)"),
    (r"\log(x) + \ln(y)", "(+ (log x) (ln y))"),
    (r"\sigma(x)", "(sigmoid x)"),
    (r"\max(x, y)", "(max x y)"),
    (r"\tanh(x)", "(tanh x)"),
    (r"x \cdot y", "(* x y)"),
    (r"x\times y", "(* x y)"),
    (r"x \div y", "(/ x y)"),
    (r"\left(x+y\right)z", "(* (+ x y) z)"),
    (r"\left[x+y\right]z", "(* (+ x y) z)"),
    (r"\pi r^2", "(* pi (^ r 2))"),
    (r"2\pi", "(* 2 pi)"),
    (r"\alpha x", "(* alpha x)"),
    (r"x\,y", "(* x y)"),
    (r"\operatorname{relu}(x)", "(relu x)"),
    (r"\mathrm{e}^x", "(exp x)"),
    (r"\mathbf{W}\mathbf{x}", "(* W x)"),
    (r"W^\top x", "(* (.T W) x)"),
    (r"W^{\top} x", "(* (.T W) x)"),
    ("{x+y}z", "(* (+ x y) z)"),
    (r"\frac{1}{1+e^{-(w_0 x_0+w_1 x_1+w_2)}}",
     "(/ 1 (+ 1 (exp (- (+ (+ (* w_0 x_0) (* w_1 x_1)) w_2)))))"),
    # statements, newlines, continuations, comments
    ("q = x + y; f = q * z", "(= q (+ x y)) ; (= f (* q z))"),
    ("q = x + y\nf = q * z", "(= q (+ x y)) ; (= f (* q z))"),
    ("q = x +\n  y\nq", "(= q (+ x y)) ; q"),
    ("x *\ny", "(* x y)"),
    ("x ^\n2", "(^ x 2)"),
    ("max(x,\n y)", "(max x y)"),
    ("(x\n+ y)", "(+ x y)"),
    ("q =\n x", "(= q x)"),
    ("x; ", "x"),
    ("x;;", "x"),
    ("\n\n  x  \n\n", "x"),
    ("# heading\nx # the input\n# trailing", "x"),
    ("q = x;\n\ny", "(= q x) ; y"),
    ("x\n+ y", "x ; (+ y)"),  # two statements: the build rejects the bare first one
]


@pytest.mark.parametrize(("source", "expected"), SNAPSHOTS, ids=[s for s, _ in SNAPSHOTS])
def test_snapshot(source: str, expected: str) -> None:
    assert sexpr(source) == expected


@pytest.mark.parametrize(("source", "value"), [
    ("2e-1", 0.2), ("3E+2", 300.0), (".5", 0.5), ("1e-3", 0.001), ("2.", 2.0),
    ("1e400", float("inf")),
])
def test_number_values(source: str, value: float) -> None:
    [statement] = parse(source).statements
    assert statement.expr.value == value  # type: ignore[union-attr]


def test_constants_have_their_values() -> None:
    import math

    expr = parse("pi").statements[0].expr
    assert expr.value == math.pi  # type: ignore[union-attr]
    expr = parse("e").statements[0].expr
    assert expr.value == math.e  # type: ignore[union-attr]


def test_positions_of_tree_nodes() -> None:
    [statement] = parse("x + exp(y)").statements
    tree = statement.expr
    assert tree.pos == 2  # type: ignore[union-attr]
    assert tree.right.pos == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("source", [
    "foo(x)", "expp(x)", "sigmod(x)", "alpha(x)", "Exp(x)", "xy(z)", "relu2(x)",
])
def test_unknown_function_is_an_error_not_a_product(source: str) -> None:
    name = source.split("(")[0]
    with pytest.raises(ParseError, match=f"'{name}' is not a known function") as info:
        parse(source)
    assert info.value.position == 0


@pytest.mark.parametrize(("source", "suggestion"), [
    ("expp(x)", "exp"), ("sigmod(x)", "sigmoid"), ("softmx(x)", "softmax"),
    ("tan(x)", "tanh"), ("relu2(x)", "relu"), ("foo(x)", "exp"),
])
def test_unknown_function_suggests_close_matches(source: str, suggestion: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(source)
    assert suggestion in info.value.message
    assert "*(" in info.value.message  # says how to write the product instead


def test_unknown_function_position_in_a_longer_program() -> None:
    with pytest.raises(ParseError) as info:
        parse("q = x\nf = 2 * foo(q)")
    assert (info.value.position, info.value.line, info.value.column) == (14, 2, 9)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 5_000
    assert sexpr("(" * depth + "x" + ")" * depth) == "x"
    chain = "exp(" * depth + "x" + ")" * depth
    assert sexpr(chain).count("(exp") == depth
    assert sexpr("-" * depth + "x").count("(-") == depth


def test_nesting_limit_comes_from_settings() -> None:
    settings = Settings(max_nesting=10)
    parse("(" * 10 + "x" + ")" * 10, settings)
    with pytest.raises(LimitError) as info:
        parse("(" * 11 + "x" + ")" * 11, settings)
    assert info.value.position == 10


def test_node_limit_is_checked_while_parsing() -> None:
    settings = Settings(max_nodes=100)
    with pytest.raises(LimitError):
        parse("+".join(["x"] * 200), settings)


@pytest.mark.parametrize("source", ["", "   ", "\n\n", "# only a comment", ";", "; ;"])
def test_empty_program_is_an_error(source: str) -> None:
    with pytest.raises(ParseError, match="nothing to evaluate"):
        parse(source)


@pytest.mark.parametrize("source", ["x+", "x+*y", "(x", "x)", "max(x,)", "x,y", "x=y=1",
                                    "2 3", "x 2", "exp", "exp+1", "()", "x.", ". T"])
def test_malformed_programs_raise_parse_errors(source: str) -> None:
    with pytest.raises(CircuitError):
        parse(source)


@pytest.mark.parametrize(("source", "code", "position", "fragment"), [
    ("²", "superscript_without_base", 0, "x²"),
    ("x+⁻¹", "superscript_without_base", 2, ""),
    ("|x|", "unexpected_character_hint", 0, "abs(x)"),
    ("[x+y]*z", "unexpected_character_hint", 0, "( and )"),
    ("∑x", "unexpected_character_hint", 0, "sum(x)"),
    ("x!", "unexpected_character_hint", 1, "factorial"),
    ("x′", "unexpected_character_hint", 1, "gradient"),
    ("x∛", "unexpected_character_hint", 1, "x^(1/3)"),
    ("∞", "unexpected_character_hint", 0, "1e300"),
    ("x < y", "unexpected_character_hint", 2, "max(a, b)"),
    ("é + x", "non_ascii_letter", 0, "write e"),
    ("变量 + x", "non_ascii_letter_plain", 0, "ASCII"),
    ("x$", "unexpected_character", 1, "'$'"),
    (r"\frac12", "latex_frac_needs_groups", 0, r"\frac{a}{b}"),
    (r"\frac{1}", "latex_frac_needs_groups", 0, ""),
    (r"\frac{1} + 2", "latex_frac_needs_groups", 0, ""),
    (r"\sqrt[3]{x}", "latex_command_hint", 0, "x^(1/n)"),
    (r"\sum x", "latex_command_hint", 0, "sum(x)"),
    (r"\left|x\right|", "latex_command_hint", 0, "abs(x)"),
    (r"\max\{x, y\}", "latex_command_hint", 4, "max(a, b)"),
    (r"x + \foo", "latex_unknown_command", 4, r"\frac"),
    ("x\\", "stray_backslash", 1, ""),
    ("(x+y}", "mismatched_bracket", 4, "')'"),
    ("{x+y)", "mismatched_bracket", 4, "'}'"),
    ("x}", "unmatched_close_paren", 1, "'{'"),
    ("Sigmoid(x)", "function_case", 0, "sigmoid(...)"),
    ("EXP(x) + 1", "function_case", 0, "exp(...)"),
    ("1 + ReLU(x)", "function_case", 4, "relu(...)"),
])
def test_what_is_still_refused_says_what_to_write(source: str, code: str, position: int,
                                                  fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(source)
    error = info.value
    assert (error.code, error.position) == (code, position), error.message
    assert fragment in error.message
    assert error.message_in("zh-CN") != error.message


@pytest.mark.parametrize(("source", "position", "typed"), [
    ("x×*y", 2, "'*'"), ("x+×y", 2, "'×'"), (r"x + \cdot y", 4, r"'\cdot'"),
    ("x²²+", 4, "the end of the input"), (r"\frac{1}{x+}", 11, "'}'"),
    ("√", 1, "the end of the input"), ("π +", 3, "the end of the input"),
    ("（x＋）", 3, "'）'"),
])
def test_errors_point_into_the_original_text(source: str, position: int, typed: str) -> None:
    """Offsets stay those of the source as typed, whatever an alias or LaTeX was read as."""
    with pytest.raises(ParseError) as info:
        parse(source)
    assert info.value.position == position, info.value.message
    assert typed in info.value.message
