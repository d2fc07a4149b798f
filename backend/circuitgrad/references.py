"""How texts name each node: never by its internal id, always as the diagram shows it.

An input is its name, a constant its value, a named gate its name; an unnamed gate is its
short formula over its operands' references ("x + y", bracketed where it is an operand:
"(x + y) × z"). A formula too long to repeat is abbreviated honestly: operands that are long
themselves shrink to their own gate with "…" inside ("1 + exp(…)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .graph import CONST, INPUT, Circuit
from .numformat import latex_number
from .ops import REGISTRY
from .ops.words import ATOM, NEGATION, Filling, compile_template

SHORT_REFERENCE = 32  # longest formula used as it is to refer to an unnamed gate
SHORT_OPERAND = 12  # inside an abbreviation, operands up to this long stay; longer ones: "…"

ELLIPSIS = ("…", ATOM)
LATEX_ELLIPSIS = (r"\cdots", ATOM)


@dataclass(frozen=True, slots=True)
class References:
    """Per node: how a text and a LaTeX line refer to it, and how tightly that binds."""

    text: list[str]
    latex: list[str]
    precedence: list[int]
    formula: list[str]  # a gate's formula over its operands' references; else its reference
    formula_latex: list[str]
    operand: list[str]  # the reference as it stands after ∂: ∂f/∂(x + y)
    operand_latex: list[str]


_GREEK = frozenset({"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                    "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau",
                    "phi", "chi", "psi", "omega"})
_SUBSCRIPTED = re.compile(r"([A-Za-z])_?([0-9]+|[A-Za-z0-9])")


def latex_name(name: str) -> str:
    """A name as LaTeX: x, {w_{0}}, \\alpha, \\mathit{sigy}."""
    if len(name) == 1:
        return name
    if name in _GREEK:
        return "\\" + name
    match = _SUBSCRIPTED.fullmatch(name)
    if match:  # braced, so that a later ^ or _ never makes a double script
        return f"{{{match[1]}_{{{match[2]}}}}}"
    return r"\mathit{" + name.replace("_", r"\_") + "}"


def latex_constant(label: str) -> str:
    """A constant as the source wrote it, typeset: π, e, 0.5, 1 × 10^{-3}."""
    if label in ("π", "e"):
        return r"\pi" if label == "π" else "e"
    return latex_number(label.lower())


def operand(text: str, precedence: int) -> str:
    """A reference where it stands alone after ∂: bracketed unless it is one piece."""
    return text if precedence >= ATOM and text[:1] != "-" else f"({text})"


def latex_operand(latex: str, precedence: int) -> str:
    """The LaTeX reference after \\partial, bracketed like `operand`."""
    return latex if precedence >= ATOM and latex[:1] != "-" else rf"\left({latex}\right)"


def references(circuit: Circuit) -> References:
    """Every node's references; made once per circuit (a circuit never changes)."""
    cached = circuit.references
    if isinstance(cached, References):
        return cached
    text: list[str] = []
    latex: list[str] = []
    precedence: list[int] = []
    formula: list[str] = []
    formula_latex: list[str] = []
    elided: list[tuple[tuple[str, int], tuple[str, int]] | None] = []
    c = circuit
    for op, name, label, args in zip(circuit.ops, circuit.names, circuit.labels,
                                     circuit.inputs, strict=True):
        if op in (CONST, INPUT):
            own = name if name is not None else label
            own_latex = latex_name(own) if op == INPUT else latex_constant(own)
            text.append(own)
            latex.append(own_latex)
            precedence.append(NEGATION if own[:1] == "-" else ATOM)
            formula.append(own)
            formula_latex.append(own_latex)
            elided.append(None)
            continue
        words = REGISTRY[op].words
        formula_template = compile_template(words.formula)
        latex_template = compile_template(words.latex)
        fillings = [(text[j], precedence[j]) for j in args]
        latex_fillings = [(latex[j], precedence[j]) for j in args]
        symbolic = formula_template.fill(fillings)
        symbolic_latex = latex_template.fill(latex_fillings, latex=True)
        formula.append(symbolic)
        formula_latex.append(symbolic_latex)
        # This gate with its operands elided, should a longer formula need to shorten it:
        # inputs and constants stay ("… + 1"), gates become "…".
        kept = [c.ops[j] in (CONST, INPUT) for j in args]
        elided.append((
            (formula_template.fill([f if keep else ELLIPSIS
                                    for f, keep in zip(fillings, kept, strict=True)]),
             words.precedence),
            (latex_template.fill([f if keep else LATEX_ELLIPSIS
                                  for f, keep in zip(latex_fillings, kept, strict=True)], True),
             words.precedence),
        ))
        if name is not None:
            text.append(name)
            latex.append(latex_name(name))
            precedence.append(ATOM)
        elif len(symbolic) <= SHORT_REFERENCE:
            text.append(symbolic)
            latex.append(symbolic_latex)
            precedence.append(words.precedence)
        else:
            short: list[Filling] = []
            short_latex: list[Filling] = []
            for j in args:
                shrunk = elided[j]
                if shrunk is None or len(text[j]) <= SHORT_OPERAND:
                    short.append((text[j], precedence[j]))
                    short_latex.append((latex[j], precedence[j]))
                else:
                    short.append(shrunk[0])
                    short_latex.append(shrunk[1])
            text.append(formula_template.fill(short))
            latex.append(latex_template.fill(short_latex, latex=True))
            precedence.append(words.precedence)
    operand_text = [operand(t, p) for t, p in zip(text, precedence, strict=True)]
    operand_latex = [latex_operand(t, p) for t, p in zip(latex, precedence, strict=True)]
    made = References(text, latex, precedence, formula, formula_latex, operand_text,
                      operand_latex)
    circuit.references = made
    return made


# What an unnamed output is called: the notes' f, unless an input or a named intermediate is
# already f (then "∂f/∂f = 2" would mean two things at once).
OUTPUT_NAMES = ("f", "out", "F", "result")


def output_name(circuit: Circuit) -> str:
    """The output's name on the diagram and in the steps: its own (q in `q = x + y` as the last
    line), else a name no input or intermediate uses (fresh_output_name)."""
    own = circuit.names[circuit.output]
    return own if own is not None else fresh_output_name(circuit)


def fresh_output_name(circuit: Circuit) -> str:
    """f, or the first of OUTPUT_NAMES (then f1, f2, ...) that names nothing in the circuit."""
    taken = {name for name in circuit.names if name is not None}
    for name in OUTPUT_NAMES:
        if name not in taken:
            return name
    number = 1
    while f"f{number}" in taken:
        number += 1
    return f"f{number}"


def expression_latex(circuit: Circuit) -> str:
    """The program as LaTeX, one line per named statement and the output: q = x + y, f = q z.

    The page typesets it as the preview of what the learner typed (made once per circuit)."""
    made = circuit.memo.get("expression_latex")
    if isinstance(made, str):
        return made
    made = circuit.memo["expression_latex"] = _expression_latex(circuit)
    return made


def _expression_latex(circuit: Circuit) -> str:
    refs = references(circuit)
    full = _full_latex(circuit, refs)
    lines = [f"{refs.latex[node]} &= {full[node][0]}"
             for node, name in enumerate(circuit.names)
             if name is not None and circuit.ops[node] not in (CONST, INPUT)]
    out = circuit.output
    if circuit.names[out] is None or circuit.ops[out] in (CONST, INPUT):
        lines.append(f"{latex_name(fresh_output_name(circuit))} &= {full[out][0]}")
    if len(lines) == 1:
        return lines[0].replace("&", "", 1)
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


PREVIEW_FORMULA = 400  # longest formula written out in full in the preview; else abbreviated


def _full_latex(circuit: Circuit, refs: References) -> list[Filling]:
    """Each node's formula in full over named values (not shortened like a reference), as
    long as it stays short enough to read; past that, its reference's abbreviation."""
    full: list[Filling] = []
    for node, (op, args) in enumerate(zip(circuit.ops, circuit.inputs, strict=True)):
        if op in (CONST, INPUT):
            full.append((refs.latex[node], refs.precedence[node]))
            continue
        words = REGISTRY[op].words
        formula = compile_template(words.latex).fill(
            [full[j] if circuit.names[j] is None else (refs.latex[j], ATOM) for j in args],
            latex=True)
        if len(formula) > PREVIEW_FORMULA:
            formula = refs.formula_latex[node]
        full.append((formula, words.precedence))
    return full
