"""The circuit as staged code: its forward and backward pass written out in Python/numpy.

In the style of the CS231n notes' "staged computation": one line per gate on the way
forward, then, walking back from the output, one line per wire: `dx = local × upstream`
for a value's first gradient and `dx += ...` for each further one, so a fan-out shows as
accumulation. Every line knows the step it belongs to, so the page can highlight the line
of the current step. The code is text for a learner to read and run; the server never runs
it (tests do, to check it against the engine).

Each op's code lives in its row of the op table (`code=`, see ops/code.py); this module only
names the variables and strings the rows' lines together.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .engine import Run, needs_gradient
from .graph import CONST, INPUT, Circuit
from .lang import DEFAULT_LANG, Lang
from .numformat import format_number
from .ops import REGISTRY

if TYPE_CHECKING:
    from .result import Result

Phase = Literal["setup", "forward", "backward"]
Shape = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One line of the staged code, and the step it belongs to (None: a heading)."""

    text: str
    phase: Phase
    node: int | None = None
    comment: str = ""  # the value written after the line (`  # = 3`), part of `text`



# Short stems for the variables of unnamed gates: `mul1`, `exp1`, `inv1`, ...
_STEMS = {"recip": "inv", "identity": "same", "matmul": "prod", "transpose": "tr",
          "softmax_loss": "loss", "svm_loss": "loss"}
# Names the code itself uses; an input called so is renamed with a trailing underscore.
_TAKEN = {"np", "len", "int", "float"} | set(keyword.kwlist) | set(keyword.softkwlist)


def _variables(circuit: Circuit) -> list[str]:
    """A Python name for every node's value: inputs and named intermediates keep theirs
    (renamed only where Python would misread them); an unnamed gate is its op and a count."""
    names: list[str] = [""] * len(circuit.ops)
    used: set[str] = set()
    for i, name in enumerate(circuit.names):
        if name is not None:
            safe = name + "_" if name in _TAKEN else name
            names[i] = safe
            used.add(safe)
    counts: dict[str, int] = {}
    for i, op in enumerate(circuit.ops):
        if names[i] or op == CONST:
            continue
        stem = _STEMS.get(op, op)
        while True:
            counts[stem] = counts.get(stem, 0) + 1
            candidate = f"{stem}{counts[stem]}"
            if candidate not in used:
                break
        names[i] = candidate
        used.add(candidate)
    return names


def _gradient_names(values: list[str], needs: list[bool]) -> list[str]:
    """`d` + the value's name, unless that is taken (an input called `dx` beside `x`)."""
    used = set(values)
    grads: list[str] = []
    for name, needed in zip(values, needs, strict=True):
        if not needed:
            grads.append("")
            continue
        candidate = "d" + name
        while candidate in used:
            candidate = "d_" + candidate[1:] if not candidate.startswith("d_") else candidate + "_"
        used.add(candidate)
        grads.append(candidate)
    return grads


def _literal(value: float, label: str) -> str:
    if label == "π":
        return "np.pi"
    if label == "e" and value == math.e:
        return "np.e"
    text = repr(float(value))
    return f"({text})" if value < 0 or text in ("inf", "-inf", "nan") else text


def _data(value: Any, labels: bool) -> str:
    if type(value) is float:
        return repr(value)
    array = np.asarray(value)
    if labels:
        return f"np.array({array.astype(np.int64).tolist()!r})"
    return f"np.array({array.tolist()!r})"


def _shape(value: Any) -> Shape:
    return () if type(value) is float else tuple(np.shape(value))


def _is_view(expression: str) -> bool:
    """Whether an expression may share its array with another variable."""
    return expression.isidentifier() or expression.startswith("np.transpose(")


def _unbroadcast(expression: str, have: Shape, want: Shape) -> str:
    """Sum a broadcast gradient back to its input's shape, as the engine does."""
    if have == want:
        return expression
    if want == ():
        return f"np.sum({expression})"
    extra = len(have) - len(want)
    if extra > 0:
        axes = tuple(range(extra))
        expression = f"np.sum({expression}, axis={axes[0] if len(axes) == 1 else axes})"
        have = have[extra:]
    kept = [i for i, size in enumerate(want) if size == 1 and have[i] != 1]
    if kept:
        axis = kept[0] if len(kept) == 1 else tuple(kept)
        expression = f"np.sum({expression}, axis={axis}, keepdims=True)"
    return expression


# The code's own comments, in each language a learner reads.
_COMMENTS: dict[Lang, dict[str, str]] = {
    "en": {
        "inputs": "# inputs",
        "forward": "# forward pass: one line per gate",
        "backward": "# backward pass: local gradient × upstream gradient, from the output back",
        "fan_out": "# (+= where a value feeds several gates)",
        "labels": "  # class labels",
        "unused": "  # {name} reaches no output",
    },
    "zh-CN": {
        "inputs": "# 输入",
        "forward": "# 前向传播：每个门一行",
        "backward": "# 反向传播：局部梯度 × 上游梯度，从输出往回",
        "fan_out": "# （一个值流向多个门时用 +=，把梯度累加起来）",
        "labels": "  # 类别标签",
        "unused": "  # {name} 不影响输出",
    },
}


def staged_code(circuit: Circuit, run: Run, *, comment: Callable[[Any], str] | None = None,
                lang: Lang = DEFAULT_LANG) -> list[CodeLine]:
    """The forward and backward pass of a computed circuit as numpy code, line by line.

    `comment(value)`, when given, writes a gate's value after its forward line (`# = 3`)."""
    words = _COMMENTS[lang]
    ops, arguments, values = circuit.ops, circuit.inputs, run.values
    needs = run.needs_grad
    var, dvar = variable_names(circuit)
    lines = [CodeLine("import numpy as np", "setup"), CodeLine("", "setup"),
             CodeLine(words["inputs"], "setup")]
    for node in circuit.input_nodes.values():
        labels = node in circuit.label_inputs
        note = words["labels"] if labels else ""
        lines.append(CodeLine(f"{var[node]} = {_data(values[node], labels)}{note}", "forward",
                              node))
    lines += [CodeLine("", "setup"), CodeLine(words["forward"], "setup")]
    for i, op in enumerate(ops):
        if op in (INPUT, CONST):
            continue
        code = REGISTRY[op].code
        shapes = [_shape(values[j]) for j in arguments[i]]
        forward = code.forward(shapes) if callable(code.forward) else code.forward
        fill = {"out": var[i], "g": dvar[i] or "0.0"}
        texts = [template.format(*[var[j] for j in arguments[i]], **fill) for template in forward]
        note = (f"  # = {comment(values[i])}"
                if comment is not None and type(values[i]) is float else "")
        lines += [CodeLine(text, "forward", i) for text in texts[:-1]]
        lines.append(CodeLine(texts[-1] + note, "forward", i, note))

    lines += [CodeLine("", "setup"),
              CodeLine(words["backward"], "setup"), CodeLine(words["fan_out"], "setup")]
    out = circuit.output
    assigned: set[int] = set()
    if needs[out]:
        seed = run.grads[out]
        start = "1.0" if type(seed) is float and seed == 1.0 else _data(seed, False)
        lines.append(CodeLine(f"{dvar[out]} = {start}", "backward", out))
        assigned.add(out)
    for i in range(len(ops) - 1, -1, -1):
        op = ops[i]
        if not needs[i] or op in (INPUT, CONST):
            continue
        if i not in assigned:  # nothing downstream uses this gate: its gradient is zero
            zero = "0.0" if type(values[i]) is float else f"np.zeros_like({var[i]})"
            lines.append(CodeLine(f"{dvar[i]} = {zero}", "backward", i))
            assigned.add(i)
        code = REGISTRY[op].code
        shapes = [_shape(values[j]) for j in arguments[i]]
        backward = code.backward(shapes) if callable(code.backward) else code.backward
        fill = {"out": var[i], "g": dvar[i]}
        out_shape = _shape(values[i])
        for port, source in enumerate(arguments[i]):
            rule = backward[port]
            if rule is None or not needs[source] or ops[source] == CONST:
                continue
            first, expression = rule
            operands = [var[j] for j in arguments[i]]
            lines += [CodeLine(t.format(*operands, **fill), "backward", i) for t in first]
            expression = expression.format(*operands, **fill)
            if REGISTRY[op].elementwise:  # broadcast: summed back to the input's shape
                expression = _unbroadcast(expression, out_shape, shapes[port])
            if source in assigned:
                sign = "+="
            else:
                sign = "="
                # NOTE: a later `+=` on an array would also change the array it was bound to
                # (dx = dq; dx += ... changes dq): a tensor's first gradient is a copy.
                if _shape(values[source]) and _is_view(expression):
                    expression += ".copy()"
            assigned.add(source)
            lines.append(CodeLine(f"{dvar[source]} {sign} {expression}", "backward", i))
    for name, node in circuit.input_nodes.items():  # inputs that reach no output
        if needs[node] and node not in assigned:
            zero = "0.0" if type(values[node]) is float else f"np.zeros_like({var[node]})"
            note = words["unused"].format(name=name)
            lines.append(CodeLine(f"{dvar[node]} = {zero}{note}", "backward", node))
    return lines


def code_text(lines: Sequence[CodeLine]) -> str:
    """The staged code as one Python source text."""
    return "\n".join(line.text for line in lines) + "\n"


def code_rows(result: Result, lang: Lang = DEFAULT_LANG) -> list[dict[str, Any]]:
    """The staged code as the API sends it: one row per line, with the step it belongs to
    (`phase` "forward" or "backward" and the node's id; "setup" lines belong to no step)."""
    lines = staged_code(result.circuit, result.run, comment=format_number, lang=lang)
    rows: list[dict[str, Any]] = []
    for line in lines:
        row: dict[str, Any] = {"text": line.text, "phase": line.phase,
                               "node": None if line.node is None else f"n{line.node}"}
        if line.comment:  # the value at the end of `text`: a client may blank it (practice)
            row["comment"] = line.comment
        rows.append(row)
    return rows


def variable_names(circuit: Circuit) -> tuple[list[str], list[str]]:
    """Each node's value in the staged code (a variable, or a constant's literal) and its
    gradient's variable ("" where it has none): for clients that map code onto the diagram."""
    var = _variables(circuit)
    for i, op in enumerate(circuit.ops):
        if op == CONST:
            var[i] = _literal(circuit.constants[i], circuit.labels[i])
    needs = needs_gradient(circuit)
    return var, _gradient_names(var, [n and circuit.ops[i] != CONST for i, n in enumerate(needs)])
