"""The step list: one forward step per node in order, then one backward step per node in
reverse, each a sentence with the numbers filled in (local gradient × upstream)."""

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
    if value is None:
        return "none"
    if not isinstance(value, float):
        shape = np.shape(value)
        if shape == ():
            return format_number(float(value))
        return "a " + "×".join(str(s) for s in shape) + " tensor"
    if value == 0:
        return "0"  # also for -0.0
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def _name(circuit: Circuit, node: int) -> str:
    """How a text refers to a node: its name, a constant's value, else its id."""
    name = circuit.names[node]
    if name is not None:
        return name
    if circuit.ops[node] == CONST:
        return circuit.labels[node]
    return f"n{node}"


def explain(circuit: Circuit, run: Run) -> list[Step]:
    """All the steps: forward in node order, then backward in reverse order."""
    out_name = circuit.names[circuit.output] or "f"
    outgoing: list[list[int]] = [[] for _ in circuit.ops]  # node -> its wires' edge numbers
    for target, sources in enumerate(circuit.inputs):
        for port, source in enumerate(sources):
            outgoing[source].append(circuit.first_edge[target] + port)
    steps: list[Step] = []
    for node in range(len(circuit.ops)):
        steps.append({"phase": "forward", "node": f"n{node}",
                      "text": _forward_text(circuit, run, node)})
    for node in range(len(circuit.ops) - 1, -1, -1):
        steps.append({"phase": "backward", "node": f"n{node}",
                      "text": _backward_text(circuit, run, node, out_name, outgoing[node])})
    return steps


def _forward_text(circuit: Circuit, run: Run, node: int) -> str:
    op = circuit.ops[node]
    value = run.values[node]
    if op == INPUT:
        return f"input {circuit.names[node]} = {format_number(value)}"
    if op == CONST:
        return f"constant {circuit.labels[node]}"
    primitive = REGISTRY[op]
    args = circuit.inputs[node]
    names = [_name(circuit, j) for j in args]
    numbers = [format_number(run.values[j]) for j in args]
    symbolic = primitive.formula.format(*names)
    numeric = primitive.formula.format(*numbers)
    head = f"{op}: {_name(circuit, node)} = {symbolic}"
    if numeric == symbolic:
        return f"{head} = {format_number(value)}"
    return f"{head} = {numeric} = {format_number(value)}"


def _fan_in(run: Run, wires: list[int]) -> str:
    return " + ".join(format_number(run.edge_grads[w]) for w in wires)


def _backward_text(circuit: Circuit, run: Run, node: int, out_name: str,
                   wires: list[int]) -> str:
    op = circuit.ops[node]
    me = _name(circuit, node)
    grad = run.grads[node]
    if not run.needs_grad[node]:
        return f"{me} depends on no input: no gradient flows into it"
    if node == circuit.output:
        start = f"start: ∂{out_name}/∂{out_name} = {format_number(grad)} (the seed)"
        if op == INPUT:
            return start
        prefix = start + ". "
    elif len(wires) > 1:
        prefix = (f"{me} fans out to {len(wires)} wires, so its gradient is their sum: "
                  f"{_fan_in(run, wires)} = {format_number(grad)}. ")
    else:
        prefix = ""
    if op == INPUT:
        if len(wires) > 1:
            return f"input {prefix}"[:-2]
        return prefix + f"input {me}: ∂{out_name}/∂{me} = {format_number(grad)}"
    primitive = REGISTRY[op]
    args = circuit.inputs[node]
    names = [_name(circuit, j) for j in args]
    first = circuit.first_edge[node]
    scalar = all(isinstance(run.values[j], float) for j in args) and isinstance(grad, float)
    local_values: Any = None
    if scalar and primitive.elementwise:
        try:
            local_values = primitive.vjp(SCALAR, 1.0, run.values[node],
                                         *[run.values[j] for j in args])
        except (ArithmeticError, ValueError):
            local_values = None
    parts = []
    for port, source in enumerate(args):
        if not run.needs_grad[source]:
            continue
        local = primitive.local[port].format(*names) if primitive.local else "local"
        wire = run.edge_grads[first + port]
        if local_values is not None:
            parts.append(
                f"∂{out_name}/∂{names[port]} = {local} × upstream = "
                f"{format_number(float(local_values[port]))} × {format_number(grad)} = "
                f"{format_number(wire)}"
            )
        else:
            parts.append(f"∂{out_name}/∂{names[port]} = {local} with upstream "
                         f"{format_number(grad)}: {format_number(wire)}")
    text = f"{op}: " + "; ".join(parts) if parts else f"{op}: no input needs a gradient"
    if primitive.pattern:
        text += f" ({primitive.pattern})"
    return prefix + text
