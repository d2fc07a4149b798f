"""The step list: one forward step per node in order, then one backward step per node in
reverse order, as CS231n walks a circuit.

Every step carries its parts as data (a forward step its operands and result; a backward step
the upstream gradient and each input wire's local gradient) and a text and a LaTeX line
rendered from those parts with the op table's words (ops/) and the sentences of
step_words.py. Each number is formatted once, by the one formatter (numformat.py), so a text
shows exactly the digits the wires show; each op's templates are compiled once per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import step_words as W
from .engine import Run
from .graph import CONST, INPUT, Circuit
from .lang import DEFAULT_LANG, Lang
from .numformat import format_number, latex_number, latex_value
from .ops import REGISTRY, SCALAR, TENSOR
from .ops.core import Primitive
from .ops.words import (
    ATOM,
    DERIVED,
    OUT,
    UPSTREAM,
    Filling,
    Local,
    Template,
    compile_template,
    number_precedence,
    pattern_name,
)
from .references import References, latex_name, output_name, references
from .values import to_json

Step = dict[str, Any]


# ---- each op's words, compiled once per language ----------------------------------------------


@dataclass(frozen=True, slots=True)
class _SaidLocal:
    rule: Local
    symbolic: Template
    latex: Template
    numeric: Template
    numeric_latex: Template
    cases: tuple[Template, ...]
    cases_latex: tuple[Template, ...]
    in_words: bool  # a rule in words is said once; a formula is also shown with its numbers


@dataclass(frozen=True, slots=True)
class _Said:
    gate: str
    formula: Template
    latex: Template
    locals: tuple[_SaidLocal, ...]
    pattern: str | None
    pattern_short: str | None


_SAID: dict[tuple[str, Lang], _Said] = {}


def _said(op: str, lang: Lang) -> _Said:
    said = _SAID.get((op, lang))
    if said is None:
        words = REGISTRY[op].words
        gate = words.name(lang)
        if lang == "zh-CN" and gate[-1:].isascii():
            gate += " "  # a Latin name keeps a space before 门: sigmoid 门
        locals_ = []
        for local in words.local:
            symbolic = local.symbolic if isinstance(local.symbolic, str) else local.symbolic(lang)
            numeric = local.numeric if isinstance(local.numeric, str) else local.numeric(lang)
            locals_.append(_SaidLocal(
                local, compile_template(symbolic), compile_template(local.latex),
                compile_template(numeric or symbolic),
                compile_template(local.numeric_latex or local.latex),
                tuple(compile_template(c if isinstance(c, str) else c(lang))
                      for c in local.cases),
                tuple(compile_template(c) for c in local.cases_latex),
                not isinstance(local.symbolic, str)))
        pattern = None if words.pattern is None else words.pattern(lang)
        said = _SAID[(op, lang)] = _Said(
            gate, compile_template(words.formula), compile_template(words.latex),
            tuple(locals_), pattern, None if pattern is None else pattern_name(pattern))
    return said


# ---- small helpers ------------------------------------------------------------------------------


def _scalar_json(value: Any) -> Any:
    """A part's number: a scalar as JSON (non-finite as a string), a tensor as null."""
    return to_json(value) if type(value) is float else None


def _bracketed(text: str) -> str:
    return f"({text})" if text[:1] == "-" else text


def _latex_bracketed(text: str) -> str:
    return rf"\left({text}\right)" if text[:1] == "-" else text


def _chain(parts: list[str]) -> str:
    """a = b = c without repeating a part equal to the one before it."""
    kept = [parts[0]]
    for part in parts[1:]:
        if part != kept[-1]:
            kept.append(part)
    return " = ".join(kept)


def _aligned(rows: list[str]) -> str:
    if len(rows) == 1:
        return rows[0].replace("&", "", 1)
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def _scalar_locals(primitive: Primitive, out: float, args: list[Any]) -> list[Any]:
    """Each input's local gradient: the rule's vjp for an upstream gradient of 1."""
    try:
        return list(primitive.vjp(SCALAR, 1.0, out, *args))
    except (ArithmeticError, ValueError):  # `math` raises where IEEE 754 gives inf or nan
        with np.errstate(all="ignore"):
            locals_ = primitive.vjp(TENSOR, np.float64(1.0), np.float64(out),
                                    *[np.float64(a) for a in args])
        return [None if x is None else float(x) for x in locals_]


@dataclass(frozen=True, slots=True)
class _Symbolic:
    """Per circuit and language: each gate's operand and output references as fillings (text,
    LaTeX), and each wire's local gradient rule filled with them (when no derived number
    enters it). Filled as steps are explained; the lists are never mutated."""

    context: dict[int, tuple[list[Filling], list[Filling]]]
    rules: dict[tuple[int, int], tuple[str, str]]


class _Explainer:
    """What one explanation shares: references, every number formatted once, the language."""

    def __init__(self, circuit: Circuit, run: Run, lang: Lang) -> None:
        self.c = circuit
        self.run = run
        self.lang = lang
        self.refs: References = references(circuit)
        self.memo: dict[float, str] = {}
        self.latex_memo: dict[str, str] = {}
        self.value = [self.filling(v) for v in run.values]  # (text, precedence)
        self.value_latex = [self.latex(v, t)
                            for v, (t, _) in zip(run.values, self.value, strict=True)]
        self.grad = [self.number(g) for g in run.grads]
        self.wire = [self.number(g) for g in run.edge_grads]
        out = circuit.output
        self.f = output_name(circuit)
        f_latex = self.refs.latex[out] if circuit.names[out] else latex_name(self.f)
        self.f_latex = f_latex
        self.seed_latex = rf"\frac{{\partial {f_latex}}}{{\partial {f_latex}}}"
        self.edge_ids = [f"e{i}" for i in range(circuit.edge_count)]
        self.local_word = rf"\text{{{W.LATEX_LOCAL(lang)}}}"
        self.upstream_word = rf"\text{{{W.LATEX_UPSTREAM(lang)}}}"
        # The parts of the texts that no number enters, kept with the circuit (a circuit
        # never changes, and the page sends the same one again with new values).
        key = ("step_symbols", lang)
        symbolic = circuit.memo.get(key)
        if not isinstance(symbolic, _Symbolic):
            symbolic = circuit.memo[key] = _Symbolic({}, {})
        self.symbolic: _Symbolic = symbolic

    def number(self, value: Any) -> str:
        if type(value) is not float:
            return format_number(value)
        text = self.memo.get(value)
        if text is None:
            text = self.memo[value] = format_number(value)
        return text

    def filling(self, value: Any) -> Filling:
        text = self.number(value)
        return text, number_precedence(text)

    def latex(self, value: Any, text: str) -> str:
        """A value as LaTeX: a scalar from its formatted text, a tensor as a matrix."""
        return self.latex_text(text) if type(value) is float else latex_value(value)

    def latex_text(self, text: str) -> str:
        typeset = self.latex_memo.get(text)
        if typeset is None:
            typeset = self.latex_memo[text] = latex_number(text)
        return typeset

    def partial(self, node: int) -> str:
        return rf"\frac{{\partial {self.f_latex}}}{{\partial {self.refs.operand_latex[node]}}}"

    # ---- forward ---------------------------------------------------------------------------

    def forward(self, node: int) -> Step:
        c, refs, lang = self.c, self.refs, self.lang
        op = c.ops[node]
        value = self.run.values[node]
        value_text = self.value[node][0]
        if op == INPUT or op == CONST:
            if op == INPUT:
                text = W.INPUT_FORWARD(lang).format(name=refs.text[node], value=value_text)
                latex = f"{refs.latex[node]} = {self.value_latex[node]}"
            else:
                text = W.CONSTANT_FORWARD(lang).format(value=refs.text[node])
                latex = refs.latex[node]
            return {"phase": "forward", "node": c.ids[node], "text": text, "latex": latex,
                    "operands": {}, "result": _scalar_json(value)}
        said = _said(op, lang)
        args = c.inputs[node]
        numbers = [self.value[j] for j in args]
        numbers_latex = [(self.value_latex[j], self.value[j][1]) for j in args]
        filled = said.formula.fill(numbers)
        chain = _chain([refs.formula[node], filled, value_text])
        chain_latex = _chain([refs.formula_latex[node], said.latex.fill(numbers_latex, True),
                              self.value_latex[node]])
        if c.names[node] is not None:
            chain = f"{refs.text[node]} = {chain}"
            chain_latex = f"{refs.latex[node]} = {chain_latex}"
        first = c.first_edge[node]
        values = self.run.values
        return {"phase": "forward", "node": c.ids[node],
                "text": W.GATE_FORWARD(lang).format(gate=said.gate, chain=chain),
                "latex": chain_latex,
                "operands": {self.edge_ids[first + k]: _scalar_json(values[j])
                             for k, j in enumerate(args)},
                "result": _scalar_json(value),
                # The parts of the text, for a client that words a question or a hint itself.
                "words": {"gate": said.gate,
                          "name": refs.text[node] if c.names[node] is not None else None,
                          "formula": refs.formula[node],
                          "numbers": filled}}

    # ---- backward --------------------------------------------------------------------------

    def arrival(self, node: int, wires: list[int]) -> tuple[str, str]:
        """How the gradient reaches a node: the seed, one wire, the sum of several, or none."""
        lang, f, run = self.lang, self.f, self.run
        of = self.refs.operand[node]
        value = self.grad[node]
        value_latex = self.latex(run.grads[node], value)
        if node == self.c.output:
            return W.SEED(lang).format(f=f, value=value), f"{self.seed_latex} &= {value_latex}"
        partial = self.partial(node)
        if len(wires) > 1:
            terms_latex = [self.latex(run.edge_grads[w], self.wire[w]) for w in wires]
            text = W.FAN_OUT(lang).format(
                node=self.refs.text[node], count=len(wires), f=f, of=of, value=value,
                terms=self.fan_out_terms(wires))
            sum_latex = " + ".join([terms_latex[0], *map(_latex_bracketed, terms_latex[1:])])
            return text, f"{partial} &= {sum_latex} = {value_latex}"
        if not wires:
            return (W.UNUSED(lang).format(node=self.refs.text[node], f=f, of=of),
                    f"{partial} &= 0")
        return W.UPSTREAM(lang).format(f=f, of=of, value=value), f"{partial} &= {value_latex}"

    def fan_out_terms(self, wires: list[int]) -> str:
        """The gradients of a fan-out's wires as a sum: 3 + (-4)."""
        terms = [self.wire[w] for w in wires]
        return " + ".join([terms[0], *map(_bracketed, terms[1:])])

    def fan_out_words(self, node: int, wires: list[int]) -> dict[str, Any]:
        """The parts of a fan-out's sum, with the pattern a learner should see."""
        pattern = W.FAN_OUT_PATTERN(self.lang)
        return {"node": self.refs.text[node], "of": self.refs.operand[node],
                "count": len(wires), "terms": self.fan_out_terms(wires),
                "pattern": pattern, "pattern_name": pattern_name(pattern)}

    def no_gradient(self, node: int) -> Step:
        op = self.c.ops[node]
        phrase = (W.NO_GRADIENT_CONSTANT if op == CONST else
                  W.NO_GRADIENT_LABELS if op == INPUT else W.NO_GRADIENT_GATE)
        return {"phase": "backward", "node": self.c.ids[node],
                "text": phrase(self.lang).format(node=self.refs.text[node]),
                "latex": self.refs.latex[node], "upstream": None, "locals": {}}

    def backward(self, node: int, wires: list[int], seen_patterns: set[str]) -> Step:
        c, run, lang = self.c, self.run, self.lang
        op = c.ops[node]
        arrival, arrival_latex = self.arrival(node, wires)
        step: Step = {"phase": "backward", "node": c.ids[node],
                      "upstream": to_json(run.grads[node])}
        words: dict[str, Any] = {"f": self.f}
        if len(wires) > 1:
            step["fanout"] = [self.edge_ids[w] for w in wires]
            words["fanout"] = self.fan_out_words(node, wires)
        if op == INPUT:
            if len(wires) == 1:
                arrival = W.INPUT_BACKWARD(lang).format(
                    name=self.refs.text[node], f=self.f, of=self.refs.operand[node],
                    value=self.grad[node])
            step.update(text=arrival.rstrip(), latex=_aligned([arrival_latex]), locals={},
                        words=words)
            return step
        primitive = REGISTRY[op]
        said = _said(op, lang)
        args = c.inputs[node]
        first = c.first_edge[node]
        out = run.values[node]
        upstream = run.grads[node]
        local_values = (_scalar_locals(primitive, out, [run.values[j] for j in args])
                        if primitive.elementwise and type(out) is float
                        and type(upstream) is float else None)
        clauses: list[str] = []
        rows = [arrival_latex]
        locals_: dict[str, Any] = {}
        wire_words: dict[str, dict[str, Any]] = {}
        context = self.context(node, local_values is not None)
        for port, source in enumerate(args):
            if not run.needs_grad[source]:
                continue
            local_value = None if local_values is None else local_values[port]
            locals_[self.edge_ids[first + port]] = (
                None if local_value is None else to_json(float(local_value)))
            label = self.refs.text[source]
            if len(args) == 2 and args[0] == args[1]:  # x × x: say which of x's two wires
                label = W.WIRE_ORDINAL[port](lang).format(input=label)
            clause = self.clause(node, port, said.locals[port], local_value, label, context)
            clauses.append(clause[0])
            rows.extend(clause[1])
            wire_words[self.edge_ids[first + port]] = clause[2]
        text = arrival + W.GATE_BACKWARD(lang).format(
            gate=said.gate, clauses=W.CLAUSE_JOIN(lang).join(clauses))
        if said.pattern is not None:
            if said.pattern in seen_patterns:
                text += W.PATTERN(lang).format(pattern=said.pattern_short)
            else:
                seen_patterns.add(said.pattern)
                text += W.PATTERN(lang).format(pattern=said.pattern)
        words.update(gate=said.gate, pattern=said.pattern, pattern_name=said.pattern_short,
                     wires=wire_words)
        step.update(text=text, latex=_aligned(rows), locals=locals_, words=words)
        return step

    def context(self, node: int, scalar: bool) -> tuple[list[Filling], list[Filling],
                                                         list[Filling], list[Filling]]:
        """A gate's fillings: its operands, output, upstream gradient (and derived numbers
        later), by reference and by number, as text and as LaTeX."""
        refs, run = self.refs, self.run
        args = self.c.inputs[node]
        known = self.symbolic.context.get(node)
        if known is None:
            upstream_symbol = (self.seed_latex if node == self.c.output
                               else self.partial(node))
            symbols = [(refs.text[j], refs.precedence[j]) for j in args]
            symbols_latex = [(refs.latex[j], refs.precedence[j]) for j in args]
            while len(symbols) < OUT:
                symbols.append(("", ATOM))
                symbols_latex.append(("", ATOM))
            symbols += [(refs.text[node], refs.precedence[node]),
                        (W.UPSTREAM_WORD(self.lang), ATOM)]
            symbols_latex += [(refs.latex[node], refs.precedence[node]),
                              (upstream_symbol, ATOM)]
            known = self.symbolic.context[node] = (symbols, symbols_latex)
        symbols, symbols_latex = known
        numbers = [self.value[j] for j in args]
        numbers_latex = [(self.value_latex[j], self.value[j][1]) for j in args]
        while len(numbers) < OUT:
            numbers.append(("", ATOM))
            numbers_latex.append(("", ATOM))
        up = self.grad[node]
        up_latex = (self.latex(run.grads[node], up), number_precedence(up))
        numbers += [self.value[node], (up, number_precedence(up))]
        numbers_latex += [(self.value_latex[node], self.value[node][1]), up_latex]
        return symbols, symbols_latex, numbers, numbers_latex

    def clause(self, node: int, port: int, said: _SaidLocal, local_value: Any, label: str,
               context: tuple[list[Filling], ...]
               ) -> tuple[str, list[str], dict[str, Any]]:
        """One input wire: its local gradient, and local × upstream = its contribution (as a
        text, as LaTeX rows, and as parts: the rule, its numbers and the product)."""
        c, run, lang = self.c, self.run, self.lang
        args = c.inputs[node]
        source = args[port]
        edge = c.first_edge[node] + port
        of = self.refs.operand[source]
        partial = self.partial(source)
        wire = self.wire[edge]
        wire_latex = self.latex(run.edge_grads[edge], wire)
        symbols, symbols_latex, numbers, numbers_latex = context
        rule = said.rule
        if rule.derived is not None:  # numbers a rule derives read the same in both forms
            derived = [self.filling(v) for v in rule.derived(run.values[node],
                                                              *[run.values[j] for j in args])]
            derived_latex = [(self.latex_text(t), p) for t, p in derived]
            symbols = [*symbols[:DERIVED], *derived]
            numbers = [*numbers[:DERIVED], *derived]
            symbols_latex = [*symbols_latex[:DERIVED], *derived_latex]
            numbers_latex = [*numbers_latex[:DERIVED], *derived_latex]
        if rule.derived is None:
            filled = self.symbolic.rules.get((node, port))
            if filled is None:
                filled = self.symbolic.rules[(node, port)] = (
                    said.symbolic.fill(symbols), said.latex.fill(symbols_latex, True))
            symbolic, symbolic_latex = filled
        else:
            symbolic = said.symbolic.fill(symbols)
            symbolic_latex = said.latex.fill(symbols_latex, True)
        if rule.is_contribution:
            contribution = symbolic if said.in_words else _chain(
                [symbolic, said.symbolic.fill(numbers)])
            text = W.CONTRIBUTION_CLAUSE(lang).format(
                input=label, f=self.f, of=of, contribution=contribution,
                reduced=self.reduced(node, source), wire=wire)
            latex = _chain([symbolic_latex, said.latex.fill(numbers_latex, True), wire_latex])
            return text, [rf"{partial} &\mathrel{{+}}= {latex}"], {
                "input": label, "of": of, "local": symbolic, "local_numbers": None,
                "product": None}
        local_word, upstream_word = self.local_word, self.upstream_word
        up_latex = numbers_latex[UPSTREAM][0]
        if local_value is None:  # element by element, on tensors
            text = W.TENSOR_LOCAL_CLAUSE(lang).format(
                input=label, local=symbolic, f=self.f, of=of,
                reduced=self.reduced(node, source), wire=wire)
            return text, [rf"{partial} &\mathrel{{+}}= \underbrace{{{symbolic_latex}}}"
                          rf"_{{{local_word}}} \odot \underbrace{{{up_latex}}}_{{{upstream_word}}}"
                          rf" = {wire_latex}"], {
                "input": label, "of": of, "local": symbolic, "local_numbers": None,
                "product": None}
        local_text = self.number(float(local_value))
        local_latex = self.latex_text(local_text)
        if rule.case is not None:
            index = rule.case(run.values[node], *[run.values[j] for j in args])
            case = said.cases[index].fill(numbers)
            described = W.CASE(lang).format(rule=symbolic, case=case)
            local_numbers = case
            local_rows = [rf"{local_word}\ {symbolic_latex} &: "
                          + said.cases_latex[index].fill(numbers_latex, True)]
        else:
            described = local_numbers = _chain([symbolic, said.numeric.fill(numbers),
                                                local_text])
            numeric_latex = said.numeric_latex.fill(numbers_latex, True)
            # A local gradient worked out in steps gets a row of its own; a plain one (x,
            # 1) is named under its number: 3 over "local x".
            if numeric_latex in (symbolic_latex, local_latex):
                local_rows = []
                if symbolic_latex != local_latex:
                    local_word = rf"{local_word}\ {symbolic_latex}"
            else:
                local_rows = [rf"{local_word}\ {symbolic_latex} &= "
                              + _chain([numeric_latex, local_latex])]
        up = numbers[UPSTREAM][0]
        product = f"{local_text} × {_bracketed(up)}"
        text = W.LOCAL_CLAUSE(lang).format(input=label, local=described, f=self.f, of=of,
                                           product=product, wire=wire)
        return text, [*local_rows,
                      rf"{partial} &\mathrel{{+}}= \underbrace{{{_latex_bracketed(local_latex)}}}"
                      rf"_{{{local_word}}} \times \underbrace{{{_latex_bracketed(up_latex)}}}"
                      rf"_{{{upstream_word}}} = {wire_latex}"], {
            "input": label, "of": of, "local": symbolic, "local_numbers": local_numbers,
            "product": product}

    def reduced(self, node: int, source: int) -> str:
        """Say so where the wire's gradient was summed down from a broadcast shape."""
        values = self.run.values
        if (not REGISTRY[self.c.ops[node]].elementwise
                or np.shape(values[node]) == np.shape(values[source])):
            return ""
        return W.REDUCED(self.lang)


def explain(circuit: Circuit, run: Run, lang: Lang = DEFAULT_LANG) -> list[Step]:
    """All the steps: forward in node order, then backward in reverse order."""
    explainer = _Explainer(circuit, run, lang)
    count = len(circuit.ops)
    outgoing: list[list[int]] = [[] for _ in range(count)]  # node -> the wires leaving it
    for target, sources in enumerate(circuit.inputs):
        for port, source in enumerate(sources):
            outgoing[source].append(circuit.first_edge[target] + port)
    steps = [explainer.forward(node) for node in range(count)]
    needs = run.needs_grad
    seen_patterns: set[str] = set()  # a pattern is spelled out once, then only named
    for node in range(count - 1, -1, -1):
        if needs[node]:
            steps.append(explainer.backward(node, outgoing[node], seen_patterns))
        else:
            steps.append(explainer.no_gradient(node))
    return steps
