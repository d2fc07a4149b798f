"""The syntax tree. Each node remembers the offset of the token that made it, for errors.

NamedTuples rather than frozen dataclasses: just as immutable, and much cheaper to build at
one node per gate of a 10,000-gate expression.
"""

from __future__ import annotations

from typing import NamedTuple


class Num(NamedTuple):
    """A number literal, or the constants `pi` and `e` (then `text` is their name)."""

    value: float
    text: str
    pos: int


class Name(NamedTuple):
    """A variable: an input, or a named intermediate assigned in another statement."""

    name: str
    pos: int


class Unary(NamedTuple):
    """Prefix `-a` or `+a`."""

    op: str
    operand: Expr
    pos: int


class Binary(NamedTuple):
    """`a op b` for op in + - * / ^ @; `implicit` marks multiplication written as `2x`."""

    op: str
    left: Expr
    right: Expr
    pos: int
    implicit: bool = False


class Call(NamedTuple):
    """`f(a, b)` with `f` a function name (arity is checked when the graph is built)."""

    func: str
    args: tuple[Expr, ...]
    pos: int


class Transpose(NamedTuple):
    """Postfix `a.T`."""

    operand: Expr
    pos: int


Expr = Num | Name | Unary | Binary | Call | Transpose


class Statement(NamedTuple):
    """`target = expr`, or a bare `expr` (then target is None)."""

    target: str | None
    target_pos: int
    expr: Expr
    pos: int


class Program(NamedTuple):
    """The statements in source order; the value of the program is the last one."""

    statements: tuple[Statement, ...]
    source: str


def to_sexpr(expr: Expr) -> str:
    """Render a tree as an S-expression, `2^-1` -> `(^ 2 (- 1))`; iterative, any depth."""
    out: list[str] = []
    # The stack holds trees still to render and literal strings still to emit.
    stack: list[Expr | str] = [expr]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        match item:
            case Num(text=text):
                out.append(text)
            case Name(name=name):
                out.append(name)
            case Unary(op=op, operand=operand):
                stack += [")", operand, f"({op} "]
            case Binary(op=op, left=left, right=right):
                stack += [")", right, " ", left, f"({op} "]
            case Transpose(operand=operand):
                stack += [")", operand, "(.T "]
            case Call(func=func, args=args):
                stack.append(")")
                for index in range(len(args) - 1, -1, -1):
                    stack.append(args[index])
                    stack.append(" ")
                stack.append(f"({func}")
    return "".join(out)
