"""What learners type besides the ASCII core: Unicode math, a LaTeX subset, and the hints
for what is still refused. Tables only; tokens.py reads them.

Every alias here is documented in docs/language.md with its parse (tests/test_docs.py checks
that each one is mentioned there).
"""

from __future__ import annotations

import unicodedata
from typing import Literal

# One character for one character, so that every offset into the source stays right.
# NOTE: the products become ×, which tokens.py reads as `*` on its own: were they `*`, the
# `×*` of `x×*y` would read as the power `**`.
SAME_WIDTH: dict[str, str] = {
    "·": "×", "⋅": "×", "∙": "×", "∗": "×",
    "÷": "/", "∕": "/",
    "−": "-", "–": "-",
    # Spaces that pasted text carries: no-break, thin, narrow no-break, ideographic.
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
}
# Subscript digits continue a name: w₀ is w0.
SAME_WIDTH.update(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))
# Full-width forms (a Chinese input method's （ ） ， ； ＋ ＝ and digits) read as ASCII.
SAME_WIDTH.update({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
TRANSLATION = str.maketrans(SAME_WIDTH)


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
# Greek letters are names (\alpha is alpha), except \sigma (sigmoid) and \pi (the constant).
GREEK_NAMES = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi",
    "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
    "Upsilon", "Phi", "Psi", "Omega",
})


def _greek_letters() -> dict[str, str]:
    """α -> alpha, Δ -> Delta: each Greek letter of GREEK_NAMES as the character."""
    letters = {}
    for name in GREEK_NAMES:
        case = "CAPITAL" if name[0].isupper() else "SMALL"
        spelt = name.upper().replace("LAMBDA", "LAMDA")  # as Unicode spells it
        try:
            letters[unicodedata.lookup(f"GREEK {case} LETTER {spelt}")] = name
        except KeyError:  # varepsilon and friends have no letter of their own
            continue
    return letters


# Single characters that read as a whole name: Greek letters, and σ and π as in LaTeX.
# (Σ is refused with a hint below: learners mean a sum by it, which is sum(x).)
LETTER_NAMES: dict[str, str] = {**_greek_letters(), "π": "pi", "σ": "sigmoid"}
del LETTER_NAMES["Σ"]
# Commands that wrap a name: \operatorname{relu}, \mathrm{e}, \mathbf{W}.
LATEX_NAME_WRAPPERS = ("operatorname", "mathrm", "mathbf", "mathit", "boldsymbol", "text")
# Commands refused with a hint (a phrase of the error catalog) saying what to write instead.
LATEX_HINTS: dict[str, str] = {
    "sum": "hint_latex_sum", "lvert": "hint_latex_abs", "rvert": "hint_latex_abs",
    "vert": "hint_latex_abs", "|": "hint_latex_abs", "{": "hint_latex_braces",
    "}": "hint_latex_braces", "infty": "hint_infinity",
}
# What the error for an unknown command lists as readable.
LATEX_KNOWN = ("\\frac", "\\sqrt", "\\exp", "\\log", "\\ln", "\\sigma", "\\max", "\\min",
               "\\tanh", "\\sin", "\\cos", "\\cdot", "\\times", "\\div", "\\pi", "\\alpha",
               "\\left(", "\\right)", "^\\top", "\\operatorname{...}")

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
    "′": "hint_prime", "″": "hint_prime",
}


def ascii_spelling(char: str) -> str | None:
    """How to write a non-ASCII letter in a name: α -> alpha, Δ -> Delta, é -> e."""
    name = unicodedata.name(char, "")
    for prefix, upper in (("GREEK SMALL LETTER ", False), ("GREEK CAPITAL LETTER ", True)):
        if name.startswith(prefix) and " " not in name[len(prefix):]:
            word = name[len(prefix):].lower().replace("lamda", "lambda")
            return word.capitalize() if upper else word
    base = unicodedata.normalize("NFKD", char)[:1]
    if base.isascii() and base.isalpha():
        return base
    return None
