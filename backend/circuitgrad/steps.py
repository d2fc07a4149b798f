"""The step list: one forward step per node in order, then one backward step per node in
reverse order, as CS231n walks a circuit.

Every step carries its parts as data (a forward step its operands and result; a backward step
the upstream gradient and each input wire's local gradient) and a text and a LaTeX line
rendered from those parts with the op table's words (ops/) and the sentences of step_words.py.
Each number is formatted once, by the one formatter (numformat.py), so a text shows exactly
the digits the wires show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import step_words as W
from .engine import Run
from .graph import CONST, INPUT, Circuit
from .lang import DEFAULT_LANG, Lang
from .numformat import format_number, latex_number, latex_value
from .ops import REGISTRY, SCALAR, TENSOR
from .ops.core import Primitive
from .ops.words import ATOM, Local, fill, number_precedence, pattern_name, say
from .references import References, latex_operand, operand, references
from .values import to_json

Step = dict[str, Any]
Filling = tuple[str, int]


def _scalar_json(value: Any) -> Any:
    """A part's number: a scalar as JSON (non-finite as a string), a tensor as null."""
    return to_json(value) if type(value) is float else None


def _bracketed(text: str) -> str:
    return f"({text})" if text[:1] == "-" else text


def _sum_terms(texts: list[str], latex: bool = False) -> str:
    """3 + (-4) + 1: terms after the first are bracketed when negative."""
    if latex:
        return " + ".join([texts[0]] + [rf"\left({t}\right)" if t[:1] == "-" else t
                                        for t in texts[1:]])
    return " + ".join([texts[0]] + [_bracketed(t) for t in texts[1:]])


def _chain(parts: list[str]) -> str:
    """a = b = c without repeating a part equal to the one before it."""
    kept = [parts[0]]
    for part in parts[1:]:
        if part != kept[-1]:
            kept.append(part)
    return " = ".join(kept)


def _gate(name: str, lang: Lang) -> str:
    """A gate's name before 门: a Latin name keeps a space (sigmoid 门, ReLU 门)."""
    return f"{name} " if lang == "zh-CN" and name[-1:].isascii() else name


def _aligned(rows: list[str]) -> str:
    if len(rows) == 1:
        return rows[0].replace("&", "", 1)
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def _scalar_locals(primitive: Primitive, out: float, args: list[Any]) -> list[Any] | None:
    """Each input's local gradient: the rule's vjp for an upstream gradient of 1."""
    try:
        return list(primitive.vjp(SCALAR, 1.0, out, *args))
    except (ArithmeticError, ValueError):  # `math` raises where IEEE 754 gives inf or nan
        with np.errstate(all="ignore"):
            locals_ = primitive.vjp(TENSOR, np.float64(1.0), np.float64(out),
                                    *[np.float64(a) for a in args])
        return [None if x is None else float(x) for x in locals_]


class _Explainer:
    """The state one explanation shares: references, formatted numbers, the language."""

    def __init__(self, circuit: Circuit, run: Run, lang: Lang) -> None:
        self.c = circuit
        self.run = run
        self.lang = lang
        self.refs: References = references(circuit)
        self.memo: dict[float, str] = {}
        self.value_text = [self.number(v) for v in run.values]
        self.grad_text = [self.number(g) for g in run.grads]
        self.wire_text = [self.number(g) for g in run.edge_grads]
        out = circuit.output
        self.f = circuit.names[out] or "f"
        self.f_latex = self.refs.latex[out] if circuit.names[out] else "f"
        self.seed_latex = rf"\frac{{\partial {self.f_latex}}}{{\partial {self.f_latex}}}"
        self.edge_ids = [f"e{i}" for i in range(circuit.edge_count)]

    def number(self, value: Any) -> str:
        if type(value) is not float:
            return format_number(value)
        text = self.memo.get(value)
        if text is None:
            text = self.memo[value] = format_number(value)
        return text

    def latex_of(self, value: Any, text: str) -> str:
        return latex_number(text) if type(value) is float else latex_value(value)

    def partial(self, node: int) -> tuple[str, str]:
        """∂f/∂x as text (the x part) and as LaTeX."""
        refs = self.refs
        text = operand(refs.text[node], refs.precedence[node])
        latex = latex_operand(refs.latex[node], refs.precedence[node])
        return text, rf"\frac{{\partial {self.f_latex}}}{{\partial {latex}}}"

    # ---- forward ---------------------------------------------------------------------------

    def forward(self, node: int) -> Step:
        c, refs, lang = self.c, self.refs, self.lang
        op = c.ops[node]
        value = self.run.values[node]
        value_text = self.value_text[node]
        value_latex = self.latex_of(value, value_text)
        if op == INPUT:
            text = W.INPUT_FORWARD(lang).format(name=refs.text[node], value=value_text)
            return {"phase": "forward", "node": c.ids[node], "text": text,
                    "latex": f"{refs.latex[node]} = {value_latex}", "operands": {},
                    "result": _scalar_json(value)}
        if op == CONST:
            text = W.CONSTANT_FORWARD(lang).format(value=refs.text[node])
            return {"phase": "forward", "node": c.ids[node], "text": text,
                    "latex": refs.latex[node], "operands": {}, "result": _scalar_json(value)}
        words = REGISTRY[op].words
        args = c.inputs[node]
        values = self.run.values
        first = c.first_edge[node]
        numbers = {str(k): (self.value_text[j], number_precedence(self.value_text[j]))
                   for k, j in enumerate(args)}
        numbers_latex = {str(k): (self.latex_of(values[j], self.value_text[j]),
                                  number_precedence(self.value_text[j]))
                         for k, j in enumerate(args)}
        chain = _chain([refs.formula[node], fill(words.formula, numbers), value_text])
        chain_latex = _chain([refs.formula_latex[node], fill(words.latex, numbers_latex, True),
                              value_latex])
        if c.names[node] is not None:
            chain = f"{refs.text[node]} = {chain}"
            chain_latex = f"{refs.latex[node]} = {chain_latex}"
        text = W.GATE_FORWARD(lang).format(gate=_gate(words.name(lang), lang), chain=chain)
        return {"phase": "forward", "node": c.ids[node], "text": text, "latex": chain_latex,
                "operands": {self.edge_ids[first + k]: _scalar_json(values[j])
                             for k, j in enumerate(args)},
                "result": _scalar_json(value)}

    # ---- backward --------------------------------------------------------------------------

    def arrival(self, node: int, wires: list[int]) -> tuple[str, str]:
        """How the gradient reaches a node: the seed, one wire, the sum of several, or none."""
        lang, f = self.lang, self.f
        of, partial_latex = self.partial(node)
        value = self.grad_text[node]
        value_latex = self.latex_of(self.run.grads[node], value)
        if node == self.c.output:
            return W.SEED(lang).format(f=f, value=value), f"{self.seed_latex} &= {value_latex}"
        if len(wires) > 1:
            terms = _sum_terms([self.wire_text[w] for w in wires])
            terms_latex = _sum_terms([self.latex_of(self.run.edge_grads[w], self.wire_text[w])
                                      for w in wires], latex=True)
            return (W.FAN_OUT(lang).format(node=self.refs.text[node], count=len(wires), f=f,
                                           of=of, terms=terms, value=value),
                    f"{partial_latex} &= {terms_latex} = {value_latex}")
        if not wires:
            return (W.UNUSED(lang).format(node=self.refs.text[node], f=f, of=of),
                    f"{partial_latex} &= 0")
        return (W.UPSTREAM(lang).format(f=f, of=of, value=value),
                f"{partial_latex} &= {value_latex}")

    def no_gradient(self, node: int) -> Step:
        c, lang = self.c, self.lang
        who = self.refs.text[node]
        if c.ops[node] == CONST:
            text = W.NO_GRADIENT_CONSTANT(lang).format(node=who)
        elif c.ops[node] == INPUT:
            text = W.NO_GRADIENT_LABELS(lang).format(node=who)
        else:
            text = W.NO_GRADIENT_GATE(lang).format(node=who)
        return {"phase": "backward", "node": c.ids[node], "text": text,
                "latex": self.refs.latex[node], "upstream": None, "locals": {}}

    def backward(self, node: int, wires: list[int], seen_patterns: set[str]) -> Step:
        c, run, lang = self.c, self.run, self.lang
        op = c.ops[node]
        arrival, arrival_latex = self.arrival(node, wires)
        step: Step = {"phase": "backward", "node": c.ids[node],
                      "upstream": to_json(run.grads[node])}
        if len(wires) > 1:
            step["fanout"] = [self.edge_ids[w] for w in wires]
        if op == INPUT:
            if len(wires) == 1:
                of, _ = self.partial(node)
                arrival = W.INPUT_BACKWARD(lang).format(name=self.refs.text[node], f=self.f,
                                                        of=of, value=self.grad_text[node])
            step.update(text=arrival.rstrip(), latex=_aligned([arrival_latex]), locals={})
            return step
        primitive = REGISTRY[op]
        words = primitive.words
        args = c.inputs[node]
        first = c.first_edge[node]
        out = run.values[node]
        upstream = run.grads[node]
        scalar = primitive.elementwise and type(out) is float and type(upstream) is float
        local_values = _scalar_locals(primitive, out, [run.values[j] for j in args]) \
            if scalar else None
        clauses: list[str] = []
        rows = [arrival_latex]
        locals_: dict[str, Any] = {}
        shared = len(args) == 2 and args[0] == args[1]
        for port, source in enumerate(args):
            if not run.needs_grad[source]:
                continue
            local_value = None if local_values is None else local_values[port]
            locals_[self.edge_ids[first + port]] = (
                None if local_value is None else to_json(float(local_value)))
            label = self.refs.text[source]
            if shared:  # x × x: say which of x's two wires
                label = W.WIRE_ORDINAL[port](lang).format(input=label)
            clause, latex_rows = self.clause(node, port, words.local[port], local_value, label)
            clauses.append(clause)
            rows.extend(latex_rows)
        text = arrival + W.GATE_BACKWARD(lang).format(
            gate=_gate(words.name(lang), lang), clauses=W.CLAUSE_JOIN(lang).join(clauses))
        if words.pattern is not None:
            pattern = words.pattern(lang)
            if pattern in seen_patterns:
                pattern = pattern_name(pattern)
            else:
                seen_patterns.add(pattern)
            text += W.PATTERN(lang).format(pattern=pattern)
        step.update(text=text, latex=_aligned(rows), locals=locals_)
        return step

    def clause(self, node: int, port: int, local: Local, local_value: Any, label: str
               ) -> tuple[str, list[str]]:
        """One input wire: its local gradient, and local × upstream = its contribution."""
        c, run, refs, lang = self.c, self.run, self.refs, self.lang
        args = c.inputs[node]
        source = args[port]
        edge = c.first_edge[node] + port
        of, partial_latex = self.partial(source)
        wire = self.wire_text[edge]
        wire_latex = self.latex_of(run.edge_grads[edge], wire)
        up = self.grad_text[node]
        up_latex = self.latex_of(run.grads[node], up)
        upstream_symbol = self.partial(node)[1] if node != c.output else self.seed_latex
        symbols = {str(k): (refs.text[j], refs.precedence[j]) for k, j in enumerate(args)}
        symbols_latex = {str(k): (refs.latex[j], refs.precedence[j]) for k, j in enumerate(args)}
        numbers, numbers_latex = self.numbers(node, local)
        for name, number in numbers.items():  # derived numbers read the same in both forms
            if name[0] == "d":
                symbols[name] = number
                symbols_latex[name] = numbers_latex[name]
        if local.is_contribution:
            symbols["g"] = (W.UPSTREAM_WORD(lang), ATOM)
            symbols_latex["g"] = (upstream_symbol, ATOM)
            numbers["g"] = (up, number_precedence(up))
            numbers_latex["g"] = (up_latex, number_precedence(up))
            # A formula is shown again with the numbers in; a rule in words only once.
            template = say(local.symbolic, lang)
            contribution = fill(template, symbols)
            if isinstance(local.symbolic, str):
                contribution = _chain([contribution, fill(template, numbers)])
            text = W.CONTRIBUTION_CLAUSE(lang).format(
                input=label, f=self.f, of=of, contribution=contribution,
                reduced=self.reduced(node, source), wire=wire)
            latex = _chain([fill(local.latex, symbols_latex, True),
                            fill(local.latex, numbers_latex, True), wire_latex])
            return text, [rf"{partial_latex} &\mathrel{{+}}= {latex}"]
        symbolic = fill(say(local.symbolic, lang), symbols)
        symbolic_latex = fill(local.latex, symbols_latex, True)
        local_word = rf"\text{{{W.LATEX_LOCAL(lang)}}}"
        upstream_word = rf"\text{{{W.LATEX_UPSTREAM(lang)}}}"
        if local_value is None:  # element by element, on tensors
            text = W.TENSOR_LOCAL_CLAUSE(lang).format(
                input=label, local=symbolic, f=self.f, of=of,
                reduced=self.reduced(node, source), wire=wire)
            return text, [rf"{partial_latex} &\mathrel{{+}}= \underbrace{{{symbolic_latex}}}"
                          rf"_{{{local_word}}} \odot \underbrace{{{up_latex}}}_{{{upstream_word}}}"
                          rf" = {wire_latex}"]
        local_text = self.number(float(local_value))
        local_latex = latex_number(local_text)
        if local.case is not None:
            index = local.case(run.values[node], *[run.values[j] for j in args])
            described = W.CASE(lang).format(rule=symbolic,
                                            case=fill(say(local.cases[index], lang), numbers))
            local_rows = [rf"{local_word}\ {symbolic_latex} &: "
                          + fill(local.cases_latex[index], numbers_latex, True)]
        else:
            template = say(local.numeric or local.symbolic, lang)
            described = _chain([symbolic, fill(template, numbers), local_text])
            expansion = _chain([fill(local.numeric_latex or local.latex, numbers_latex, True),
                                local_latex])
            local_rows = ([] if symbolic_latex == local_latex
                          else [rf"{local_word}\ {symbolic_latex} &= {expansion}"])
        product = f"{local_text} × {_bracketed(up)}"
        text = W.LOCAL_CLAUSE(lang).format(input=label, local=described, f=self.f,
                                           of=of, product=product, wire=wire)
        up_factor = rf"\left({up_latex}\right)" if up[:1] == "-" else up_latex
        local_factor = rf"\left({local_latex}\right)" if local_text[:1] == "-" else local_latex
        return text, [*local_rows,
                      rf"{partial_latex} &\mathrel{{+}}= \underbrace{{{local_factor}}}"
                      rf"_{{{local_word}}} \times \underbrace{{{up_factor}}}_{{{upstream_word}}}"
                      rf" = {wire_latex}"]

    def numbers(self, node: int, local: Local) -> tuple[dict[str, Filling], dict[str, Filling]]:
        """A local-gradient template's numbers: operands, output and derived values."""
        run = self.run
        args = self.c.inputs[node]
        texts = [self.value_text[j] for j in args]
        numbers = {str(k): (t, number_precedence(t)) for k, t in enumerate(texts)}
        numbers_latex = {str(k): (self.latex_of(run.values[j], t), number_precedence(t))
                         for k, (j, t) in enumerate(zip(args, texts, strict=True))}
        out_text = self.value_text[node]
        numbers["out"] = (out_text, number_precedence(out_text))
        numbers_latex["out"] = (self.latex_of(run.values[node], out_text),
                                number_precedence(out_text))
        if local.derived is not None:
            derived = local.derived(run.values[node], *[run.values[j] for j in args])
            for k, value in enumerate(derived):
                text = self.number(value)
                numbers[f"d{k}"] = (text, number_precedence(text))
                numbers_latex[f"d{k}"] = (latex_number(text), number_precedence(text))
        return numbers, numbers_latex

    def reduced(self, node: int, source: int) -> str:
        """Say so where the wire's gradient was summed down from a broadcast shape."""
        from .values import shape_of

        run = self.run
        if shape_of(run.values[node]) == shape_of(run.values[source]) or \
                not REGISTRY[self.c.ops[node]].elementwise:
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
    backward: Callable[[int, list[int], set[str]], Step] = explainer.backward
    for node in range(count - 1, -1, -1):
        if needs[node]:
            steps.append(backward(node, outgoing[node], seen_patterns))
        else:
            steps.append(explainer.no_gradient(node))
    return steps

