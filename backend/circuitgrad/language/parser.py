"""The parser: tokens -> syntax tree, by operator precedence with explicit stacks.

The precedence table below is the one source of truth for how tightly operators bind. The
loop is Pratt's/Dijkstra's operator-precedence parsing with the recursion replaced by two
explicit stacks (operands and pending operators), so that 100,000 nested parentheses or a
10,000-deep chain of calls cannot overflow Python's stack.

Unknown functions. The language reads `x(y+1)` as `x*(y+1)`, yet `foo(x)` must say that
`foo` is not a known function. The rule that separates them: a name written directly
before `(` (no space between) that is neither a function nor a constant is a product only
when it looks like a variable -- a single letter, optionally followed by digits or by `_`
and anything (`x`, `W2`, `x_1`), or a name assigned somewhere in the program. Any other
name there (`foo(x)`, `expp(x)`, `alpha(x)`) is an error that lists the closest function
names and says how to write the product instead (`alpha*(x)` or `alpha (x)`: with a space,
a name before `(` always multiplies).

Limits. Parentheses and calls nest at most `settings.max_nesting` deep (checked while
tokenizing), and a program that makes more syntax nodes than the circuit may have nodes
fails as soon as the parser sees it, before the graph is built.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from typing import Any, Literal

from ..errors import LimitError, ParseError
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
# NOTE: `√` is a prefix at the unary minus's precedence, so √x^2 = √(x^2) and √x*y = (√x)*y.
_POWER = ("^", "**")

# What ended the last operand decides whether a following token multiplies implicitly.
LastOperand = Literal["number", "name", "close"]

# Entries of the operator stack: (kind, text, pos, precedence, extra), where extra is 1 for an
# implicit product, and for a bracket the operand count when it opened (its arguments' start).
_BIN, _PRE, _PAREN, _CALL = 0, 1, 2, 3
_OpEntry = tuple[int, str, int, int, int]

# Tokens that certainly make one gate each, for a quick count before tokenizing a huge input:
# `*` `/` `^` `**` `@`, and a `+` or `-` right after an operand (so not a sign). Comments are
# matched so that they can be skipped; `1e+5` is not counted (the sign is the number's).
_CERTAIN_GATES = re.compile(r"#[^\n]*|\*\*|[*/^@]|(?<=[\w.)])(?<![0-9][eE])[ \t]*[-+]")

# A name that may stand directly before `(` as a product: `x(y+1)`, `W2(a)`, `x_1(b)`.
_VARIABLE_LIKE = re.compile(r"[A-Za-z](?:[0-9]*|_[A-Za-z0-9_]*)")


def describe(token: Token, source: str) -> dict[str, str]:
    """How an error message names a token: a phrase of the error catalog, worded per language.

    An operator is named as it was typed (`×`, `\\cdot`, `²`), not as it was read."""
    if token.kind == "eof":
        return {"phrase": "token_eof"}
    if token.kind == "end":
        return {"phrase": "token_end_statement" if token.text == ";" else "token_end_line"}
    if token.kind == "number":
        return {"phrase": "token_number", "text": token.text}
    if token.kind == "name":
        return {"phrase": "token_name", "text": token.text}
    return {"phrase": "token_op", "text": _as_typed(token, source)}


def _as_typed(token: Token, source: str) -> str:
    if source.startswith(token.text, token.pos):
        return token.text
    command = _LATEX_COMMAND.match(source, token.pos)
    if command:
        return command.group()
    return source[token.pos:token.pos + 1]


_LATEX_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")


class _Parser:
    def __init__(self, source: str, tokens: list[Token], functions: frozenset[str],
                 max_nodes: int) -> None:
        self.source = source
        self.tokens = tokens
        self.functions = functions
        self.i = 0
        self.max_nodes = max_nodes
        self.made = 0  # numbers, binary operators and calls seen: each becomes a node
        # Names assigned anywhere in the program may stand before `(` as a product.
        self.assigned = frozenset(
            token.text for token, nxt in zip(tokens, tokens[1:], strict=False)
            if token.kind == "name" and nxt.kind == "op" and nxt.text == "="
        )

    def error(self, code: str, pos: int, **params: Any) -> ParseError:
        return ParseError(code, pos, self.source, **params)

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
            raise self.error("nothing_to_evaluate", 0)
        return Program(tuple(statements), self.source)

    def count_node(self, pos: int) -> None:
        """Fail early when the program alone makes more nodes than a circuit may hold."""
        self.made += 1
        if self.made > self.max_nodes:
            raise LimitError("too_many_nodes", pos, self.source, limit=self.max_nodes)

    def unknown_function(self, token: Token) -> ParseError:
        """`foo(x)`: foo is no function; name the closest ones and how to multiply.

        A name that is a function but for its case (`Sigmoid`, `EXP`) says so instead."""
        name = token.text
        if name.lower() in self.functions:
            return self.error("function_case", token.pos, name=name, suggestion=name.lower())
        known = sorted(self.functions)
        close = difflib.get_close_matches(name.lower(), known, n=3, cutoff=0.6)
        if close:
            return self.error("unknown_function", token.pos, name=name, close=close)
        return self.error("unknown_function_no_match", token.pos, name=name, known=known)

    def check_target(self, token: Token) -> None:
        if token.text in self.functions:
            raise self.error("assign_to_function", token.pos, name=token.text)
        if token.text in CONSTANTS:
            raise self.error("assign_to_constant", token.pos, name=token.text)

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
                left = out[-1]
                if text in _POWER and isinstance(left, Num) and left.text == "e":
                    # NOTE: e^u is the exp gate, as the notes draw it (not pow with base e).
                    out[-1] = Call("exp", (right,), left.pos)
                else:
                    out[-1] = Binary(text, left, right, pos, implicit == 1)
            elif text == "√":
                out[-1] = Call("sqrt", (out[-1],), pos)
            else:  # _PRE
                operand = out[-1]
                if text == "-" and not (isinstance(operand, Num) and operand.text not in CONSTANTS):
                    self.count_node(pos)  # a `neg` gate; `-2` is just the constant -2
                out[-1] = Unary(text, operand, pos)

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
                    self.count_node(pos)
                    out.append(Num(float(text), text, pos))
                    last = "number"
                    expect_operand = False
                elif kind == "name":
                    if text in self.functions:
                        nxt = tokens[self.i + 1]
                        if not (nxt.kind == "op" and nxt.text == "("):
                            raise self.error("function_needs_call", pos, name=text)
                        self.count_node(pos)
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
                elif kind == "op" and text == "√":
                    self.count_node(pos)
                    ops.append((_PRE, text, pos, PREFIX_PRECEDENCE, 0))
                elif kind == "op" and text == ")" and ops and ops[-1][0] == _CALL \
                        and ops[-1][4] == len(out):
                    _, func, call_pos, _, _ = ops.pop()
                    out.append(Call(func, (), call_pos))
                    last = "close"
                    expect_operand = False
                elif kind == "op" and text == ")" and ops and ops[-1][0] == _PAREN:
                    raise self.error("empty_parens", ops[-1][2])
                else:
                    after = tokens[self.i - 1] if self.i > 0 else None
                    found = describe(token, self.source)
                    if after is not None and after.kind == "op":
                        raise self.error("expected_operand_after", pos, found=found,
                                         after=describe(after, self.source))
                    raise self.error("expected_operand", pos, found=found)
                self.i += 1
                continue

            # An operand has just ended: an operator, a bracket, a comma or the end follows.
            if kind == "op" and text in BINARY:
                self.count_node(pos)
                push_binary(text, pos, False)
                expect_operand = True
            elif kind == "name" or (kind == "op" and text in ("(", "√")) or (
                kind == "number" and last == "close"
            ):
                if text == "(" and last == "name" and not token.space_before:
                    before = tokens[self.i - 1]
                    if (before.text not in CONSTANTS and before.text not in self.assigned
                            and not _VARIABLE_LIKE.fullmatch(before.text)):
                        raise self.unknown_function(before)
                self.count_node(pos)
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
                        raise self.error("unmatched_close_paren", pos, close=")", opener="(")
                    raise self.error("misplaced_comma", pos)
                marker, name, open_pos, _, mark = ops[-1]
                if text == ",":
                    if marker != _CALL:
                        raise self.error("misplaced_comma", pos)
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
                raise self.error("missing_operator", pos, before=describe(prev, self.source),
                                 found=describe(token, self.source))
            elif kind in ("end", "eof"):
                while ops:
                    if ops[-1][0] >= _PAREN:
                        code = "unclosed_call" if ops[-1][0] == _CALL else "unclosed_paren"
                        raise self.error(code, ops[-1][2])
                    reduce_top()
                if kind == "end":
                    self.i += 1
                break
            elif kind == "op" and text == "=":
                raise self.error("misplaced_equals", pos)
            else:
                raise self.error("unexpected_token", pos, found=describe(token, self.source))
            self.i += 1
        return out[0]


@functools.cache
def _known_functions() -> frozenset[str]:
    from ..ops import FUNCTIONS  # imported late: the ops package imports nothing from here

    return frozenset(FUNCTIONS)


def parse(source: str, settings: Settings = DEFAULT_SETTINGS,
          functions: frozenset[str] | None = None) -> Program:
    """Parse a program; raises ParseError with the position of the culprit."""
    if functions is None:
        functions = _known_functions()
    if settings.max_nodes < len(source) <= settings.max_source_length:
        _check_gate_count(source, settings.max_nodes)
    tokens = tokenize(source, settings.max_source_length, settings.max_nesting)
    return _Parser(source, tokens, functions, settings.max_nodes).program()


def _check_gate_count(source: str, max_nodes: int) -> None:
    """Refuse a program with more gates than the node limit before the slower tokenizer runs.

    Counts only tokens that each make a gate (a lower bound), so no valid program is refused
    that the graph builder would have accepted.
    """
    count = 0
    for match in _CERTAIN_GATES.finditer(source):
        if source[match.start()] != "#":
            count += 1
            if count > max_nodes:
                raise LimitError("too_many_nodes", match.end() - 1, source, limit=max_nodes)
