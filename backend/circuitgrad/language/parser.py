"""The parser: tokens -> syntax tree, by operator precedence with explicit stacks.

The precedence table below is the one source of truth for how tightly operators bind. The
loop is Pratt's/Dijkstra's operator-precedence parsing with the recursion replaced by two
explicit stacks (operands and pending operators), so that 100,000 nested parentheses or a
10,000-deep chain of calls cannot overflow Python's stack.
"""

from __future__ import annotations

import math
from typing import Literal

from ..errors import ParseError
from ..settings import DEFAULT_SETTINGS, Settings
from .syntax import Binary, Call, Expr, Name, Num, Program, Statement, Transpose, Unary
from .tokens import Token, tokenize

CONSTANTS = {"pi": math.pi, "e": math.e}

# Binary operators: precedence, and whether equal precedence groups to the right.
BINARY: dict[str, tuple[int, bool]] = {
    "+": (10, False),
    "-": (10, False),
    "*": (20, False),
    "/": (20, False),
    "@": (20, False),
    "^": (40, True),
    "**": (40, True),
}
PREFIX_PRECEDENCE = 30  # below ^ so that -x^2 = -(x^2); above * so that -x*y = (-x)*y
IMPLICIT = "*"  # implicit multiplication is `*` at its precedence: 1/2x = (1/2)*x

# What ended the last operand decides whether a following token multiplies implicitly.
LastOperand = Literal["number", "name", "close"]

# Entries of the operator stack: (kind, text, pos, precedence, extra), where extra is 1 for an
# implicit product, and for a bracket the operand count when it opened (its arguments' start).
_BIN, _PRE, _PAREN, _CALL = 0, 1, 2, 3
_OpEntry = tuple[int, str, int, int, int]


def describe(token: Token) -> str:
    """How an error message names a token."""
    if token.kind == "eof":
        return "the end of the input"
    if token.kind == "end":
        return "the end of the statement" if token.text == ";" else "the end of the line"
    if token.kind == "number":
        return f"the number {token.text}"
    if token.kind == "name":
        return f"the name '{token.text}'"
    return f"'{token.text}'"


class _Parser:
    def __init__(self, source: str, tokens: list[Token], functions: frozenset[str]) -> None:
        self.source = source
        self.tokens = tokens
        self.functions = functions
        self.i = 0

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.source)

    def program(self) -> Program:
        tokens = self.tokens
        statements: list[Statement] = []
        while tokens[self.i].kind != "eof":
            token = tokens[self.i]
            if token.kind == "end":
                self.i += 1
                continue
            target: str | None = None
            target_pos = token.pos
            nxt = tokens[self.i + 1]
            if token.kind == "name" and nxt.kind == "op" and nxt.text == "=":
                self.check_target(token)
                target = token.text
                self.i += 2
            expr = self.expression()
            statements.append(Statement(target, target_pos, expr, token.pos))
        if not statements:
            raise self.error("there is nothing to evaluate: write an expression such as x*y", 0)
        return Program(tuple(statements), self.source)

    def check_target(self, token: Token) -> None:
        if token.text in self.functions:
            raise self.error(f"'{token.text}' is a function and cannot be assigned to", token.pos)
        if token.text in CONSTANTS:
            raise self.error(f"'{token.text}' is a constant and cannot be assigned to", token.pos)

    def expression(self) -> Expr:
        """One expression, up to the end of its statement (which it consumes)."""
        tokens = self.tokens
        out: list[Expr] = []
        ops: list[_OpEntry] = []
        expect_operand = True
        last: LastOperand = "number"

        def reduce_top() -> None:
            kind, text, pos, _, implicit = ops.pop()
            if kind == _BIN:
                right = out.pop()
                out[-1] = Binary(text, out[-1], right, pos, implicit == 1)
            else:  # _PRE
                out[-1] = Unary(text, out[-1], pos)

        def push_binary(text: str, pos: int, implicit: bool) -> None:
            precedence, right_assoc = BINARY[text]
            while ops:
                top = ops[-1]
                if top[0] >= _PAREN:
                    break
                if top[3] > precedence or (top[3] == precedence and not right_assoc):
                    reduce_top()
                else:
                    break
            ops.append((_BIN, text, pos, precedence, 1 if implicit else 0))

        while True:
            token = tokens[self.i]
            kind, text, pos = token.kind, token.text, token.pos
            if expect_operand:
                if kind == "number":
                    out.append(Num(float(text), text, pos))
                    last = "number"
                    expect_operand = False
                elif kind == "name":
                    if text in self.functions:
                        nxt = tokens[self.i + 1]
                        if not (nxt.kind == "op" and nxt.text == "("):
                            raise self.error(
                                f"'{text}' is a function: call it with parentheses, {text}(...)",
                                pos,
                            )
                        ops.append((_CALL, text, pos, 0, len(out)))
                        self.i += 1  # the '(' is consumed with the name
                    elif text in CONSTANTS:
                        out.append(Num(CONSTANTS[text], text, pos))
                        last = "name"
                        expect_operand = False
                    else:
                        out.append(Name(text, pos))
                        last = "name"
                        expect_operand = False
                elif kind == "op" and text == "(":
                    ops.append((_PAREN, "(", pos, 0, len(out)))
                elif kind == "op" and text in ("-", "+"):
                    ops.append((_PRE, text, pos, PREFIX_PRECEDENCE, 0))
                elif kind == "op" and text == ")" and ops and ops[-1][0] == _CALL \
                        and ops[-1][4] == len(out):
                    _, func, call_pos, _, _ = ops.pop()
                    out.append(Call(func, (), call_pos))
                    last = "close"
                    expect_operand = False
                elif kind == "op" and text == ")" and ops and ops[-1][0] == _PAREN:
                    raise self.error("empty parentheses: put an expression inside", ops[-1][2])
                else:
                    after = tokens[self.i - 1] if self.i > 0 else None
                    where = f" after {describe(after)}" if after and after.kind == "op" else ""
                    raise self.error(
                        f"expected a number, a name or '(' but found {describe(token)}{where}",
                        pos,
                    )
                self.i += 1
                continue

            # An operand has just ended: an operator, a bracket, a comma or the end follows.
            if kind == "op" and text in BINARY:
                push_binary(text, pos, False)
                expect_operand = True
            elif kind == "name" or (kind == "op" and text == "(") or (
                kind == "number" and last == "close"
            ):
                push_binary(IMPLICIT, pos, True)  # implicit multiplication: 2x, (a)(b), x y
                expect_operand = True
                continue  # the token itself starts the next operand
            elif kind == "op" and text == ".T":
                out[-1] = Transpose(out[-1], pos)
                last = "close"
            elif kind == "op" and text in (")", ","):
                while ops and ops[-1][0] < _PAREN:
                    reduce_top()
                if not ops:
                    if text == ")":
                        raise self.error("this ')' has no matching '('", pos)
                    raise self.error("a ',' can only separate a function's arguments", pos)
                marker, name, open_pos, _, mark = ops[-1]
                if text == ",":
                    if marker != _CALL:
                        raise self.error("a ',' can only separate a function's arguments", pos)
                    expect_operand = True
                else:
                    ops.pop()
                    if marker == _CALL:
                        args = tuple(out[mark:])
                        del out[mark:]
                        out.append(Call(name, args, open_pos))
                    last = "close"
            elif kind == "number":
                prev = tokens[self.i - 1]
                raise self.error(
                    f"missing operator between {describe(prev)} and {describe(token)}", pos
                )
            elif kind in ("end", "eof"):
                while ops:
                    if ops[-1][0] >= _PAREN:
                        what = "function call" if ops[-1][0] == _CALL else "'('"
                        opener = ops[-1][2]
                        raise self.error(
                            f"the {what} opened here is never closed: a ')' is missing", opener
                        )
                    reduce_top()
                if kind == "end":
                    self.i += 1
                break
            elif kind == "op" and text == "=":
                raise self.error(
                    "unexpected '=': an assignment is `name = expression` and starts a statement",
                    pos,
                )
            else:
                raise self.error(f"unexpected {describe(token)}", pos)
            self.i += 1
        return out[0]


def parse(source: str, settings: Settings = DEFAULT_SETTINGS,
          functions: frozenset[str] | None = None) -> Program:
    """Parse a program; raises ParseError with the position of the culprit."""
    if functions is None:
        from ..ops import FUNCTIONS

        functions = frozenset(FUNCTIONS)
    tokens = tokenize(source, settings.max_source_length)
    return _Parser(source, tokens, functions).program()
