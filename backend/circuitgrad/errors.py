"""The one exception family a user can cause: every error knows what, where and whose.

An error is data first: a stable `code` (`unclosed_paren`, `shape_mismatch`, ...) and the
`params` its message is made of (names, numbers, shapes), so that any client can word it in
its own language. The words live in one catalog, `error_catalog.py`, in every language the
page speaks; `message_in(lang)` fills the template. `position` is a 0-based offset into the
source; `input` names the input whose value is at fault when it is a value's fault, so that a
page can show the error beside that input's field rather than at the expression.
"""

from __future__ import annotations

from typing import Any

from .error_catalog import MESSAGES
from .error_words import jsonable, render_message
from .lang import DEFAULT_LANG, Lang

_ONE_COLUMN = str.maketrans({"\t": " ", "\r": " ", "\x0b": " ", "\x0c": " "})


class CircuitError(Exception):
    """Base of every error caused by user input; carries a code, params and a position.

    `CircuitError("unclosed_paren", pos, source, opener="(")`: the first argument is a code
    of the catalog and the keyword arguments are its params. (A plain English sentence in
    its place is accepted too and kept as it is, in every language, under the class's
    generic code: new call sites should add a code to the catalog instead.)
    """

    generic_code = "error"

    def __init__(self, code: str, position: int | None = None, source: str | None = None,
                 *, input: str | None = None, **params: Any) -> None:
        if code not in MESSAGES:  # a ready-made sentence rather than a code
            params = {"message": code}
            code = self.generic_code
        self.code = code
        self.params: dict[str, Any] = {key: jsonable(value) for key, value in params.items()}
        self.input = input
        self.lang: Lang = DEFAULT_LANG  # the language `message` and str() speak
        english = render_message(code, self.params, DEFAULT_LANG)
        super().__init__(english)
        self.position = position
        self.source = source
        self.line: int | None = None
        self.column: int | None = None
        if position is not None and source is not None:
            self.line, self.column = line_and_column(source, position)

    @property
    def message(self) -> str:
        """The message in `self.lang` (English unless set)."""
        return self.message_in(self.lang)

    def message_in(self, lang: Lang) -> str:
        """The message worded in `lang`."""
        return render_message(self.code, self.params, lang)

    def at(self, position: int | None, source: str | None) -> CircuitError:
        """The same error placed at `position` in `source` (for a caller that knows where)."""
        placed = type(self)(self.code, position, source, input=self.input, **self.params)
        placed.lang = self.lang
        return placed

    def render(self, lang: Lang | None = None) -> str:
        """The message, then the offending line with a caret under the culprit."""
        message = self.message_in(lang or self.lang)
        if self.position is None or self.source is None or self.line is None:
            return f"{type(self).__name__}: {message}"
        # NOTE: split on "\n" only, as line_and_column counts lines; splitlines() also splits
        # on "\r" and friends and drops a last empty line, so its index could run past the end.
        # Tabs and carriage returns are shown as spaces so that the caret stays aligned.
        text = self.source.split("\n")[self.line - 1].translate(_ONE_COLUMN)
        caret = " " * ((self.column or 1) - 1) + "^"
        return f"{type(self).__name__}: {message}\n  {text}\n  {caret}"

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        """The JSON body the API sends under `detail`, its message worded in `lang`."""
        return {
            "type": type(self).__name__,
            "code": self.code,
            "params": self.params,
            "message": self.message_in(lang or self.lang),
            "position": self.position,
            "line": self.line,
            "column": self.column,
            "input": self.input,
        }

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only params do not survive Exception's default pickling (args only).
        return (_rebuild, (type(self), self.code, self.position, self.source, self.input,
                           self.params, self.lang))


def _rebuild(cls: type[CircuitError], code: str, position: int | None, source: str | None,
             input_name: str | None, params: dict[str, Any], lang: Lang) -> CircuitError:
    error = cls(code, position, source, input=input_name, **params)
    error.lang = lang
    return error


class ParseError(CircuitError):
    """The text is not a valid program: bad token, unbalanced bracket, misplaced operator."""

    generic_code = "syntax_error"


class NameResolutionError(CircuitError):
    """A name is unknown, reserved, assigned twice or used before its assignment."""

    generic_code = "name_error"


class ArityError(CircuitError):
    """A function was called with the wrong number of arguments."""

    generic_code = "arity_error"


class InputError(CircuitError):
    """A value given for an input is missing or is not a number or a rectangular list."""

    generic_code = "input_error"


class ShapeError(CircuitError):
    """Operand shapes do not fit the operation."""

    generic_code = "shape_error"


class LimitError(CircuitError):
    """The input exceeds a configured limit (length, nodes, tensor elements, depth)."""

    generic_code = "limit_error"


def line_and_column(source: str, position: int) -> tuple[int, int]:
    """1-based line and column of a 0-based offset."""
    position = max(0, min(position, len(source)))
    line = source.count("\n", 0, position) + 1
    start = source.rfind("\n", 0, position) + 1
    return line, position - start + 1
