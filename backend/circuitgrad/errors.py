"""The one exception family a user can cause: every error knows where it happened."""

from __future__ import annotations

from typing import Any

_ONE_COLUMN = str.maketrans({"\t": " ", "\r": " ", "\x0b": " ", "\x0c": " "})


class CircuitError(Exception):
    """Base of every error caused by user input; carries a position in the source."""

    kind = "error"

    def __init__(
        self, message: str, position: int | None = None, source: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.source = source
        self.line: int | None = None
        self.column: int | None = None
        if position is not None and source is not None:
            self.line, self.column = line_and_column(source, position)

    def render(self) -> str:
        """The message, then the offending line with a caret under the culprit."""
        if self.position is None or self.source is None or self.line is None:
            return f"{type(self).__name__}: {self.message}"
        # NOTE: split on "\n" only, as line_and_column counts lines; splitlines() also splits
        # on "\r" and friends and drops a last empty line, so its index could run past the end.
        # Tabs and carriage returns are shown as spaces so that the caret stays aligned.
        text = self.source.split("\n")[self.line - 1].translate(_ONE_COLUMN)
        caret = " " * ((self.column or 1) - 1) + "^"
        return f"{type(self).__name__}: {self.message}\n  {text}\n  {caret}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON body the API sends under `detail`."""
        return {
            "type": type(self).__name__,
            "message": self.message,
            "position": self.position,
            "line": self.line,
            "column": self.column,
        }

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


class ParseError(CircuitError):
    """The text is not a valid program: bad token, unbalanced bracket, misplaced operator."""


class NameResolutionError(CircuitError):
    """A name is unknown, reserved, assigned twice or used before its assignment."""


class ArityError(CircuitError):
    """A function was called with the wrong number of arguments."""


class InputError(CircuitError):
    """A value given for an input is missing or is not a number or a rectangular list."""


class ShapeError(CircuitError):
    """Operand shapes do not fit the operation."""


class LimitError(CircuitError):
    """The input exceeds a configured limit (length, nodes, tensor elements, depth)."""


def line_and_column(source: str, position: int) -> tuple[int, int]:
    """1-based line and column of a 0-based offset."""
    position = max(0, min(position, len(source)))
    line = source.count("\n", 0, position) + 1
    start = source.rfind("\n", 0, position) + 1
    return line, position - start + 1
