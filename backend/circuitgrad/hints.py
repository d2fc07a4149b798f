"""Hints about inputs a learner probably did not mean to create.

`1/(1+e^-(w0x0+w1x1+w2))` is valid: `w0x0` is one name, so the circuit gets an input `w0x0`
that nobody meant. A new input whose name is other names of the same program run together
(`xy` where `x` and `y` exist), or letter-digit units run together (`w0x0`, `w_0x_0`), is
flagged with the product the learner probably meant; so is an input spelt like a function
or a constant but for its case (`Sigmoid (x)`, `Pi`). Hints never stop the evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .error_words import render_message
from .graph import Circuit
from .lang import Lang
from .language.parser import CONSTANTS
from .ops import FUNCTIONS

# One unit of a run-together name: a letter and its index, w0, x12, w_0.
_UNIT = re.compile(r"[A-Za-z]_?[0-9]+")


@dataclass(frozen=True, slots=True)
class Hint:
    """A note about one input: `code` of the catalog, the input, what to write instead."""

    code: str  # "joined_name", "constant_case" or "function_case_input"
    input: str
    suggestion: str
    parts: tuple[str, ...] = ()

    def message(self, lang: Lang) -> str:
        """The hint as a sentence in `lang`."""
        return render_message(self.code, {"name": self.input, "suggestion": self.suggestion},
                              lang)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """The JSON of one hint: data for a client, and the sentence in `lang`."""
        return {"code": self.code, "input": self.input, "suggestion": self.suggestion,
                "parts": list(self.parts), "message": self.message(lang)}


def input_hints(circuit: Circuit) -> list[Hint]:
    """Hints for the inputs of `circuit`, in the order the inputs first appear."""
    names = set(circuit.input_nodes) | {n for n in circuit.names if n is not None}
    hints = []
    for name in circuit.input_nodes:
        lower = name.lower()
        if lower != name and lower in CONSTANTS and len(name) > 1:
            hints.append(Hint("constant_case", name, lower))
            continue
        if lower != name and lower in FUNCTIONS:
            hints.append(Hint("function_case_input", name, lower))
            continue
        parts = split_joined(name, (names | set(CONSTANTS)) - {name})
        if parts:
            hints.append(Hint("joined_name", name, "*".join(parts), tuple(parts)))
    return hints


def split_joined(name: str, known: set[str]) -> list[str] | None:
    """`name` as two or more parts, each a known name or a letter-digit unit (fewest parts,
    then the longest first part), or None. At least one part must be a real name of the
    program or a unit: `e` and `pi` alone do not make `epi` suspicious."""
    n = len(name)
    # best[i] = the fewest parts that spell name[i:], as a list (None: impossible).
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for start in range(n - 1, -1, -1):
        for end in range(n, start, -1):
            part = name[start:end]
            rest = best[end]
            if rest is None or not (part in known or _UNIT.fullmatch(part)):
                continue
            candidate = [part, *rest]
            current = best[start]
            if current is None or len(candidate) < len(current):
                best[start] = candidate
    parts = best[0]
    if parts is None or len(parts) < 2:
        return None
    if all(part in CONSTANTS for part in parts):
        return None
    return parts
