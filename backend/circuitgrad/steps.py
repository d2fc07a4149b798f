"""The step list: one forward step per node in order, then one backward step per node in
reverse, each a sentence with the numbers filled in (local gradient × upstream).

Every number is formatted once (node values, node gradients, wire gradients) and the texts
are assembled from those strings: explaining is the costliest part of a request.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .engine import Run
from .graph import CONST, INPUT, Circuit
from .ops import REGISTRY, SCALAR

Step = dict[str, str]


def format_number(value: Any) -> str:
    """A number as a learner reads it: -4, 0.7311, 1.2e-07, ∞; a tensor by its shape."""
    if type(value) is float:
        if value == 0:
            return "0"  # also for -0.0
        if value.is_integer() and -1e15 < value < 1e15:
            return str(int(value))
        if value != value:
            return "NaN"
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        return f"{value:.4g}"
    if value is None:
        return "none"
    shape = np.shape(value)
    if shape == ():
        return format_number(float(value))
    if 0 < np.size(value) <= INLINE_TENSOR_ELEMENTS:
        return _nested_text(np.asarray(value, dtype=np.float64))
    return "a " + "×".join(str(s) for s in shape) + " tensor"


INLINE_TENSOR_ELEMENTS = 12  # a tensor this small is written out in texts: [[1, 2], [3, 4]]


def _nested_text(array: np.ndarray) -> str:
    if array.ndim == 1:
        return "[" + ", ".join(format_number(float(x)) for x in array) + "]"
    return "[" + ", ".join(_nested_text(row) for row in array) + "]"


SHORT_REFERENCE = 32  # longest formula used to refer to an unnamed gate; else its id

# How tightly each infix formula binds, for parentheses in texts; function-like formulas
# (`exp({0})`, `max({0}, {1})`) bind tightest and never need them.
_TEXT_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "recip": 2,
                    "neg": 3, "pow": 4}
_ASSOCIATIVE = {"add", "mul"}
_ATOM = 9


def references(circuit: Circuit) -> tuple[list[str], list[str]]:
    """How texts refer to each node: its name, a constant's value, an unnamed gate's short
    formula ("x + y", parenthesized where it is an operand: "(x + y) × z"), or, when that
    would be long, its id ("n398"). Also each gate's formula over its inputs' references."""
    refs: list[str] = []
    formulas: list[str] = []
    precedence: list[int] = []  # of each reference as written
    for i, (op, name, label, args) in enumerate(
            zip(circuit.ops, circuit.names, circuit.labels, circuit.inputs, strict=True)):
        mine = _TEXT_PRECEDENCE.get(op, _ATOM)
        if op in (CONST, INPUT):
            refs.append(name if name is not None else label)
            formulas.append(refs[-1])
            precedence.append(_ATOM)
            continue
        operands = []
        for port, j in enumerate(args):
            theirs = precedence[j]
            tight = theirs > mine or (theirs == mine and (
                op in _ASSOCIATIVE or (port == 0 and op != "pow") or (port == 1 and op == "pow")))
            operands.append(refs[j] if mine == _ATOM or tight else f"({refs[j]})")
        formula = REGISTRY[op].formula.format(*operands)
        formulas.append(formula)
        if name is None and len(formula) <= SHORT_REFERENCE:
            refs.append(formula)
            precedence.append(mine)
        else:
            refs.append(name if name is not None else f"n{i}")
            precedence.append(_ATOM)
    return refs, formulas


def _fill(template: str, refs: list[str]) -> str:
    """Put references into a local-gradient formula, parenthesized unless the template
    already encloses the slot: "exp({0})" takes "-x" as is, "-1/{0}²" takes "(1 + e)"."""
    return template.format(*[
        ref if f"({{{k}}})" in template else _operand(ref) for k, ref in enumerate(refs)
    ])


def _operand(ref: str) -> str:
    """A reference where it stands alone after ∂f/∂: parenthesized if it is a formula."""
    return ref if ref.isidentifier() or " " not in ref else f"({ref})"


def explain(circuit: Circuit, run: Run) -> list[Step]:
    """All the steps: forward in node order, then backward in reverse order."""
    ops, arguments, first_edge = circuit.ops, circuit.inputs, circuit.first_edge
    count = len(ops)
    refs, formulas = references(circuit)
    # Values repeat a lot (a wire's gradient is often its source's), so format each once.
    memo: dict[Any, str] = {}

    def text_of(number: Any) -> str:
        if type(number) is not float:
            return format_number(number)
        text = memo.get(number)
        if text is None:
            text = memo[number] = format_number(number)
        return text

    value_text = [text_of(v) for v in run.values]
    grad_text = [text_of(g) for g in run.grads]
    wire_text = [text_of(g) for g in run.edge_grads]
    ids = circuit.ids
    outgoing: list[list[int]] = [[] for _ in range(count)]  # node -> its wires' numbers
    for target, sources in enumerate(arguments):
        for port, source in enumerate(sources):
            outgoing[source].append(first_edge[target] + port)

    steps: list[Step] = []
    append = steps.append
    for node in range(count):
        op = ops[node]
        if op == INPUT:
            text = f"input {refs[node]} = {value_text[node]}"
        elif op == CONST:
            text = f"constant {refs[node]}"
        else:
            formula = REGISTRY[op].formula
            args = arguments[node]
            symbolic = formulas[node]
            if len(args) == 2:
                numeric = formula.format(value_text[args[0]], value_text[args[1]])
            else:
                numeric = formula.format(*[value_text[j] for j in args])
            # An unnamed gate that reads as its formula needs no head: "add: x + y = ...".
            head = "" if refs[node] == symbolic else f"{refs[node]} = "
            if numeric == symbolic:
                text = f"{op}: {head}{symbolic} = {value_text[node]}"
            else:
                text = f"{op}: {head}{symbolic} = {numeric} = {value_text[node]}"
        append({"phase": "forward", "node": ids[node], "text": text})

    out = circuit.output
    f = circuit.names[out] or "f"
    needs = run.needs_grad
    values = run.values
    seen_patterns: set[str] = set()  # a pattern is spelled out once, then only named
    for node in range(count - 1, -1, -1):
        me = refs[node]
        op = ops[node]
        if not needs[node]:
            what = f"constant {me}" if op == CONST else me
            append({"phase": "backward", "node": ids[node],
                    "text": f"{what} depends on no input, so no gradient flows back to it"})
            continue
        wires = outgoing[node]
        if node == out:
            prefix = f"start: ∂{f}/∂{f} = {grad_text[node]} (the seed). "
        elif len(wires) > 1:
            summed = " + ".join([wire_text[w] for w in wires])
            prefix = (f"{me} fans out to {len(wires)} wires, so its gradient is their sum: "
                      f"∂{f}/∂{me} = {summed} = {grad_text[node]}. ")
        else:
            prefix = ""
        if op == INPUT:
            append({"phase": "backward", "node": ids[node],
                    "text": f"{prefix}input {me}: ∂{f}/∂{me} = {grad_text[node]}"})
            continue

        # A gate: for each input that needs a gradient, local gradient × upstream = wire.
        primitive = REGISTRY[op]
        args = arguments[node]
        raw_names = [refs[j] for j in args]
        names = [_operand(r) for r in raw_names]
        upstream = grad_text[node]
        first = first_edge[node]
        local_values: Any = None
        if primitive.elementwise and type(values[node]) is float and upstream != "none":
            try:  # the local gradients are the vjp of an upstream gradient of 1
                local_values = primitive.vjp(SCALAR, 1.0, values[node], *[values[j] for j in args])
            except (ArithmeticError, ValueError):
                local_values = None  # a local gradient that is not finite: say it in words
        parts = []
        for port, source in enumerate(args):
            if not needs[source]:
                continue
            local = primitive.local[port]
            if "{" in local:
                local = _fill(local, raw_names)
            if local_values is not None:
                parts.append(f"∂{f}/∂{names[port]} = {local} × upstream = "
                             f"{text_of(local_values[port])} × {upstream} = "
                             f"{wire_text[first + port]}")
            else:
                parts.append(f"∂{f}/∂{names[port]} = {local} with upstream {upstream}: "
                             f"{wire_text[first + port]}")
        pattern = primitive.pattern
        if pattern:
            if pattern in seen_patterns:
                pattern = pattern.partition(":")[0]  # "add distributes"
            else:
                seen_patterns.add(pattern)
            append({"phase": "backward", "node": ids[node],
                    "text": f"{prefix}{op}: {'; '.join(parts)} ({pattern})"})
        else:
            append({"phase": "backward", "node": ids[node],
                    "text": f"{prefix}{op}: {'; '.join(parts)}"})
    return steps
