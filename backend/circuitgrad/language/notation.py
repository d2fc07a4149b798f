"""What learners type besides the ASCII core: Unicode math, a LaTeX subset, and the hints
for what is still refused. Tables only; tokens.py reads them.

Every alias here is documented in docs/language.md with its parse (tests/test_docs.py checks
that each one is mentioned there).
"""

from __future__ import annotations

import unicodedata
from typing import Literal

# One character for one character, so that every offset into the source stays right.
SAME_WIDTH: dict[str, str] = {
    "×": "*", "·": "*", "⋅": "*", "∙": "*", "∗": "*",
    "÷": "/", "∕": "/",
    "−": "-", "–": "-",
    # Spaces that pasted text carries: no-break, thin, narrow no-break, ideographic.
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
}
# Full-width forms (a Chinese input method's （ ） ， ； ＋ ＝ and digits) read as ASCII.
SAME_WIDTH.update({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
TRANSLATION = str.maketrans(SAME_WIDTH)

# Single characters that read as a whole name.
LETTER_NAMES: dict[str, str] = {"π": "pi", "σ": "sigmoid"}

# Superscript powers: x² is x^2, x⁻¹ is x^-1.
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_SIGNS = {"⁻": "-", "⁺": "+"}

# ---- LaTeX ------------------------------------------------------------------------------------
# What a LaTeX command becomes: a name, an operator, nothing (spacing), or a special form.
LatexKind = Literal["name", "op", "space", "frac", "sqrt", "left", "right"]
LATEX: dict[str, tuple[LatexKind, str]] = {
    "exp": ("name", "exp"), "log": ("name", "log"), "ln": ("name", "ln"),
    "sigma": ("name", "sigmoid"), "max": ("name", "max"), "min": ("name", "min"),
    "tanh": ("name", "tanh"), "sin": ("name", "sin"), "cos": ("name", "cos"),
    "pi": ("name", "pi"),
    "cdot": ("op", "*"), "times": ("op", "*"), "ast": ("op", "*"), "div": ("op", "/"),
    "frac": ("frac", ""), "dfrac": ("frac", ""), "tfrac": ("frac", ""),
    "sqrt": ("sqrt", ""),
    "left": ("left", ""), "right": ("right", ""),
    ",": ("space", ""), ";": ("space", ""), ":": ("space", ""), "!": ("space", ""),
    " ": ("space", ""), "quad": ("space", ""), "qquad": ("space", ""),
}
# Commands that wrap a name: \operatorname{relu}, \mathrm{e}, \mathbf{W}.
LATEX_NAME_WRAPPERS = ("operatorname", "mathrm", "mathbf", "mathit", "boldsymbol", "text")
# Commands refused with a hint (a phrase of the error catalog) saying what to write instead.
LATEX_HINTS: dict[str, str] = {
    "sum": "hint_latex_sum", "lvert": "hint_latex_abs", "rvert": "hint_latex_abs",
    "vert": "hint_latex_abs", "|": "hint_latex_abs", "{": "hint_latex_braces",
    "}": "hint_latex_braces", "infty": "hint_infinity",
}
# What the error for an unknown command lists as readable.
LATEX_KNOWN = ("frac", "sqrt", "exp", "log", "ln", "sigma", "max", "min", "tanh", "sin", "cos",
               "cdot", "times", "div", "pi", "left(", "right)", "top", "operatorname{...}")

# ---- characters refused with a hint -----------------------------------------------------------
CHARACTER_HINTS: dict[str, str] = {
    "[": "hint_brackets", "]": "hint_brackets",
    "|": "hint_abs",
    "∑": "hint_sum", "Σ": "hint_sum",
    "∛": "hint_root", "∜": "hint_root",
    "∞": "hint_infinity",
    "!": "hint_factorial",
    "'": "hint_quote", '"': "hint_quote", "‘": "hint_quote", "’": "hint_quote",
    "“": "hint_quote", "”": "hint_quote",
    "<": "hint_comparison", ">": "hint_comparison", "≤": "hint_comparison",
    "≥": "hint_comparison",
    "%": "hint_mod",
}


def ascii_spelling(char: str) -> str | None:
    """How to write a non-ASCII letter in a name: α -> alpha, Δ -> Delta, é -> e."""
    name = unicodedata.name(char, "")
    for prefix, upper in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix) and " " not in name[len(prefix):]:
            word = name[len(prefix):].lower()
            return word.capitalize() if upper else word
    base = unicodedata.normalize("NFKD", char)[:1]
    if base.isascii() and base.isalpha():
        return base
    return None
