"""The tokenizer: source text -> a flat list of tokens, with newlines already resolved.

Besides the ASCII core it reads what the notes and a keyboard produce (notation.py): Unicode
operators, superscript powers, `√`, `π`, full-width punctuation, and a LaTeX subset whose
braces group like parentheses and whose `\\frac{a}{b}` becomes `((a)/(b))`. Every token keeps
the offset of the source character that made it, so errors point into the original text.
"""

from __future__ import annotations

import re
from typing import Any, Literal, NamedTuple

from ..errors import LimitError, ParseError
from . import notation

TokenKind = Literal["number", "name", "op", "end", "eof"]

MAX_NAME_LENGTH = 64

# Order matters: `**` before `*`, `.T` before a number such as `.5`, a LaTeX transpose
# `^\top` before `^`.
_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t\r\f]+)
  | (?P<comment>\#[^\n]*)
  | (?P<newline>\n)
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*
        (?:(?<=_)\{[A-Za-z0-9]+\}[A-Za-z0-9_]*)*)           # x_{1} reads as x_1
  | (?P<greek>[\u0391-\u03a1\u03a4-\u03a9\u03b1-\u03bf\u03c1\u03c4-\u03c9]
        (?:[0-9]+|_[A-Za-z0-9_]*)?)          # θ1 is theta1, λx is λ*x; not σ, π, Σ
  | (?P<transpose>\.T(?![A-Za-z0-9_]) | ᵀ
        | \^[ \t]*(?:\\(?:top|intercal)(?![A-Za-z])
                     |\{[ \t]*\\(?:top|intercal)[ \t]*\}))
  | (?P<wrapped>\\(?:operatorname|mathrm|mathbf|mathit|boldsymbol|text)
        [ \t]*\{[ \t]*(?P<inner>[^{}\n]*?)[ \t]*\})        # \operatorname{relu}: a name
  | (?P<leftright>\\(?P<side>left|right)(?![A-Za-z])
        [ \t]*(?P<delimiter>\\[{}|]|\\[lr]?vert|[()\[\]|.])?)
  | (?P<latex>\\(?:[A-Za-z]+|[^A-Za-z\n])?)
  | (?P<superscript>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[⁺⁻])
  | (?P<op>\*\*|[-+*/^@(),=;{}√×])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)

# After one of these a newline does not end the statement (the expression must go on).
_CONTINUES = frozenset({"+", "-", "*", "/", "^", "**", "@", ",", "=", "(", "√"})
# A superscript power needs an operand before it: a token that ends one.
_ENDS_OPERAND = frozenset({")", ".T"})
_CLOSER = {"(": ")", "{": "}"}


class Token(NamedTuple):
    """One token: its kind, its text (aliases already resolved) and its 0-based offset.

    A NamedTuple rather than a dataclass: as immutable, and three times cheaper to build,
    which matters at one token per character of a 10,000-gate expression.
    """

    kind: TokenKind
    text: str
    pos: int
    space_before: bool = False  # whitespace separates it from the previous token


# An open bracket: its character, its offset and its role. Roles: "(" and "{" group; "frac"
# marks a \frac whose wrapping "(" is open, "num" and "den" are its two brace groups.
_Open = tuple[str, int, str]


def tokenize(source: str, max_length: int = 200_000, max_nesting: int = 10_000) -> list[Token]:
    """Split `source` into tokens; statement ends become `end` tokens, the last is `eof`."""
    if len(source) > max_length:
        raise LimitError("source_too_long", max_length, source, length=len(source),
                         limit=max_length)
    return _Tokenizer(source, max_nesting).run()


class _Tokenizer:
    def __init__(self, source: str, max_nesting: int) -> None:
        self.source = source
        self.text = source.translate(notation.TRANSLATION)
        self.max_nesting = max_nesting
        self.tokens: list[Token] = []
        self.opened: list[_Open] = []
        # After \frac or its numerator the next token must open a brace group: (role, where).
        self.need_group: tuple[str, int] | None = None

    def error(self, code: str, pos: int, **params: Any) -> ParseError:
        return ParseError(code, pos, self.source, **params)

    def run(self) -> list[Token]:
        tokens = self.tokens
        append = tokens.append
        opened = self.opened
        space = False
        for match in _TOKEN_RE.finditer(self.text):
            kind = match.lastgroup
            pos = match.start()
            if kind == "space" or kind == "comment":
                space = True
                continue
            if kind == "newline":
                space = True
                # Inside brackets, after an operator or at a statement start, a newline is
                # space.
                if opened or not tokens or tokens[-1].kind == "end":
                    continue
                if tokens[-1].kind == "op" and tokens[-1].text in _CONTINUES:
                    continue
                append(Token("end", "\n", pos, True))
                continue
            value = match.group()
            if self.need_group is not None and value != "{":
                self.missing_group()
            if kind == "number":
                append(Token("number", value, pos, space))
            elif kind == "name":
                append(self.name(value.replace("{", "").replace("}", ""), pos, space))
            elif kind == "op":
                if value == "(" or value == "{":
                    self.open(value, pos, space)
                elif value == ")" or value == "}":
                    self.close(value, pos, space)
                elif value == ";":
                    if tokens and tokens[-1].kind != "end":
                        append(Token("end", ";", pos, space))
                elif value == "×":
                    append(Token("op", "*", pos, space))
                else:
                    append(Token("op", value, pos, space))
            elif kind == "greek":
                spelt = notation.LETTER_NAMES.get(value[0])
                if spelt is None:
                    raise self.bad_character(value[0], pos)
                append(self.name(spelt + value[1:], pos, space))
            elif kind == "transpose":
                append(Token("op", ".T", pos, space))
            elif kind == "superscript":
                self.superscript(value, pos, space)
            elif kind == "wrapped":
                inner = match.group("inner")
                if not _NAME.fullmatch(inner):
                    raise self.error("unexpected_character", pos, char=value)
                append(self.name(inner, pos, space))
            elif kind == "leftright":
                self.left_right(match.group("side"), match.group("delimiter"), pos, space)
            elif kind == "latex":
                if self.latex(value[1:], pos, space):
                    space = True
                    continue
            elif value in notation.LETTER_NAMES:
                append(Token("name", notation.LETTER_NAMES[value], pos, space))
            else:
                raise self.bad_character(value, pos)
            space = False
        if self.need_group is not None:
            self.missing_group()
        # The end of the input is placed right after its last visible character, so that an
        # error there ("x +" then blank lines) points at the line where the text stops.
        append(Token("eof", "", len(self.source.rstrip()), space))
        return tokens

    def name(self, value: str, pos: int, space: bool) -> Token:
        if value.startswith("__"):
            raise self.error("reserved_name", pos, name=value)
        if len(value) > MAX_NAME_LENGTH:
            raise self.error("name_too_long", pos, start=value[:20], length=len(value),
                             limit=MAX_NAME_LENGTH)
        return Token("name", value, pos, space)

    # ---- brackets: ( ) and the braces of LaTeX, which group the same way ----

    def open(self, char: str, pos: int, space: bool) -> None:
        role = char
        if self.need_group is not None:
            role = self.need_group[0]
            self.need_group = None
            if role == "den":
                self.tokens.append(Token("op", "/", pos, space))
        self.push(char, pos, role)
        self.tokens.append(Token("op", "(", pos, space))

    def push(self, char: str, pos: int, role: str) -> None:
        self.opened.append((char, pos, role))
        if len(self.opened) > self.max_nesting:
            raise LimitError("nesting_too_deep", pos, self.source, limit=self.max_nesting)

    def close(self, char: str, pos: int, space: bool) -> None:
        opened = self.opened
        if not opened:
            raise self.error("unmatched_close_paren", pos, close=char,
                             opener="(" if char == ")" else "{")
        opener, _, role = opened[-1]
        if _CLOSER[opener] != char:
            raise self.error("mismatched_bracket", pos, close=char, opener=opener,
                             expected=_CLOSER[opener])
        opened.pop()
        self.tokens.append(Token("op", ")", pos, space))
        if role == "num":
            self.need_group = ("den", opened[-1][1])
        elif role == "den":
            opened.pop()  # the \frac's own wrapping parenthesis closes with its denominator
            self.tokens.append(Token("op", ")", pos, False))

    def missing_group(self) -> None:
        assert self.need_group is not None  # noqa: S101 - only called when a group is due
        raise self.error("latex_frac_needs_groups", self.need_group[1])

    # ---- superscripts and LaTeX ----

    def superscript(self, value: str, pos: int, space: bool) -> None:
        tokens = self.tokens
        previous = tokens[-1] if tokens else None
        digits = value.lstrip("⁻⁺")
        if previous is None or not digits or not (
                previous.kind in ("number", "name") or previous.text in _ENDS_OPERAND):
            raise self.error("superscript_without_base", pos, char=value)
        tokens.append(Token("op", "^", pos, space))
        if value[0] in notation.SUPERSCRIPT_SIGNS:
            tokens.append(Token("op", notation.SUPERSCRIPT_SIGNS[value[0]], pos, False))
            pos += 1
        tokens.append(Token("number", digits.translate(notation.SUPERSCRIPT_DIGITS), pos, False))

    def latex(self, command: str, pos: int, space: bool) -> bool:
        """Read one LaTeX command; True when it was only spacing."""
        entry = notation.LATEX.get(command)
        if entry is None and command in notation.GREEK_NAMES:
            entry = ("name", command)  # \alpha is the name alpha
        if entry is None:
            if not command:
                raise self.error("stray_backslash", pos)
            hint = notation.LATEX_HINTS.get(command)
            if hint is not None:
                raise self.error("latex_command_hint", pos, command=command,
                                 hint={"phrase": hint})
            raise self.error("latex_unknown_command", pos, command=command,
                             known=list(notation.LATEX_KNOWN))
        kind, text = entry
        if kind == "space":
            return True
        if kind == "name":
            self.tokens.append(Token("name", text, pos, space))
        elif kind == "op":
            self.tokens.append(Token("op", text, pos, space))
        elif kind == "sqrt":
            after = self.text[pos + 1 + len(command):].lstrip(" \t")
            if after.startswith("["):
                raise self.error("latex_command_hint", pos, command=command,
                                 hint={"phrase": "hint_sqrt_index"})
            self.tokens.append(Token("op", "√", pos, space))
        else:  # \frac: ((numerator)/(denominator))
            self.tokens.append(Token("op", "(", pos, space))
            self.push("\\frac", pos, "frac")
            self.need_group = ("num", pos)
        return False

    def left_right(self, side: str, delimiter: str | None, pos: int, space: bool) -> None:
        """`\\left(` opens and `\\right)` closes; other delimiters say what to write."""
        if side == "left" and delimiter in ("(", "["):
            self.open("(", pos, space)
        elif side == "right" and delimiter in (")", "]"):
            self.close(")", pos, space)
        else:
            hint = "hint_latex_abs" if delimiter and "|" in delimiter or delimiter and \
                "vert" in delimiter else "hint_brackets"
            raise self.error("latex_command_hint", pos, command=side, hint={"phrase": hint})

    def bad_character(self, char: str, pos: int) -> ParseError:
        """An unexpected character, with what to write instead where we know it."""
        if char == ".":
            return self.error("stray_dot", pos)
        hint = notation.CHARACTER_HINTS.get(char)
        if hint is not None:
            return self.error("unexpected_character_hint", pos, char=char,
                              hint={"phrase": hint})
        if char in notation.SUPERSCRIPT_SIGNS:
            return self.error("superscript_without_base", pos, char=char)
        if char.isalpha():
            spelling = notation.ascii_spelling(char)
            if spelling is not None:
                return self.error("non_ascii_letter", pos, char=char, suggestion=spelling)
            return self.error("non_ascii_letter_plain", pos, char=char)
        return self.error("unexpected_character", pos, char=char)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
