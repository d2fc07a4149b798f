"""The tokenizer: source text -> a flat list of tokens, with newlines already resolved."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ..errors import LimitError, ParseError

TokenKind = Literal["number", "name", "op", "end", "eof"]

# NOTE: the one-character aliases are rewritten before matching, keeping every offset; σ grows
# into a name, so it is recognised as a token of its own below.
_SAME_WIDTH_ALIASES = str.maketrans({"×": "*", "·": "*", "−": "-"})

MAX_NAME_LENGTH = 64

# Order matters: `**` before `*`, `.T` before a number such as `.5`.
_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t\r\f]+)
  | (?P<comment>\#[^\n]*)
  | (?P<newline>\n)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<transpose>\.T(?![A-Za-z0-9_]))
  | (?P<op>\*\*|[-+*/^@(),=;])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)

# After one of these a newline does not end the statement (the expression must go on).
_CONTINUES = frozenset({"+", "-", "*", "/", "^", "**", "@", ",", "=", "("})


class Token(NamedTuple):
    """One token: its kind, its text (aliases already resolved) and its 0-based offset.

    A NamedTuple rather than a dataclass: as immutable, and three times cheaper to build,
    which matters at one token per character of a 10,000-gate expression.
    """

    kind: TokenKind
    text: str
    pos: int
    space_before: bool = False  # whitespace separates it from the previous token


def tokenize(source: str, max_length: int = 200_000, max_nesting: int = 10_000) -> list[Token]:
    """Split `source` into tokens; statement ends become `end` tokens, the last is `eof`."""
    if len(source) > max_length:
        raise LimitError(
            f"the expression is {len(source):,} characters long; the limit is {max_length:,}",
            max_length,
            source,
        )
    text = source.translate(_SAME_WIDTH_ALIASES)
    tokens: list[Token] = []
    append = tokens.append
    depth = 0
    space = False
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        pos = match.start()
        if kind == "space" or kind == "comment":
            space = True
            continue
        if kind == "newline":
            space = True
            # Inside brackets, after an operator or at a statement start, a newline is space.
            if depth > 0 or not tokens or tokens[-1].kind == "end":
                continue
            if tokens[-1].kind == "op" and tokens[-1].text in _CONTINUES:
                continue
            append(Token("end", "\n", pos, True))
            continue
        value = match.group()
        if kind == "number":
            append(Token("number", value, pos, space))
        elif kind == "name":
            if value.startswith("__"):
                raise ParseError(f"names may not start with '__': {value!r}", pos, source)
            if len(value) > MAX_NAME_LENGTH:
                raise ParseError(
                    f"the name {value[:20]}... is {len(value)} characters long; "
                    f"names have at most {MAX_NAME_LENGTH}",
                    pos,
                    source,
                )
            append(Token("name", value, pos, space))
        elif kind == "transpose":
            append(Token("op", ".T", pos, space))
        elif kind == "op":
            if value == "(":
                depth += 1
                if depth > max_nesting:
                    raise LimitError(
                        f"parentheses nest more than {max_nesting:,} deep, the limit",
                        pos,
                        source,
                    )
            elif value == ")":
                depth = max(0, depth - 1)
            if value == ";":
                if tokens and tokens[-1].kind != "end":
                    append(Token("end", ";", pos, space))
            else:
                append(Token("op", value, pos, space))
        else:
            if value == "σ":
                append(Token("name", "sigmoid", pos, space))
            elif value == ".":
                raise ParseError("a '.' must start a number (.5) or a transpose (a.T)", pos, source)
            else:
                raise ParseError(f"unexpected character {value!r}", pos, source)
        space = False
    # The end of the input is placed right after its last visible character, so that an
    # error there ("x +" then blank lines) points at the line where the text stops.
    append(Token("eof", "", len(source.rstrip()), space))
    return tokens
