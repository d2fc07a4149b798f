"""The circuit as staged code: its forward and backward pass written out in Python/numpy.

In the style of the CS231n notes' "staged computation": one line per gate on the way
forward, then, walking back from the output, one line per wire: `dx = local × upstream`
for a value's first gradient and `dx += ...` for each further one, so a fan-out shows as
accumulation. Every line knows the step it belongs to, so the page can highlight the line
of the current step. The code is text for a learner to read and run; the server never runs
it (tests do, to check it against the engine).

Each op's code lives in `CODE` below, one entry per primitive, beside nothing else: the
registry test in tests/engine/test_staged.py fails when a primitive has no code.
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


# --------------------------------------------------------------------------------------------
# The code of each op. Templates name the inputs {0}, {1}, the gate's own value {out}, the
# upstream gradient {g}, and scratch variables {out}_something. A forward entry is the list
# of lines that compute {out}; a backward entry gives, per input, lines to run first and the
# expression of that input's gradient (local gradient × upstream), or None for an input that
# never has one (class labels). Shape-dependent code (matmul on vectors) is a function of
# the input shapes.
# --------------------------------------------------------------------------------------------

Shapes = Sequence[Shape]
Backward = tuple[tuple[str, ...], str] | None  # (lines first, gradient expression)


@dataclass(frozen=True, slots=True)
class OpCode:
    """How one primitive reads as numpy code."""

    forward: tuple[str, ...] | Callable[[Shapes], tuple[str, ...]]
    backward: tuple[Backward, ...] | Callable[[Shapes], tuple[Backward, ...]]


def _expr(text: str) -> Backward:
    return ((), text)


def _routes(mine: str, other: str, larger: bool) -> str:
    # NOTE: a tie splits the gradient in halves, as the engine (and torch.maximum) does.
    compare = ">" if larger else "<"
    return f"(({mine} {compare} {other}) + 0.5 * ({mine} == {other})) * {{g}}"


def _matmul(fn: str) -> OpCode:
    forward = "{out} = {0} @ {1}" if fn == "@" else "{out} = np.dot({0}, {1})"

    def backward(shapes: Shapes) -> tuple[Backward, ...]:
        a, b = (len(s) for s in shapes)
        if a == 2 and b == 2:
            return _expr("{g} @ {1}.T"), _expr("{0}.T @ {g}")
        if a == 1 and b == 2:
            return _expr("{1} @ {g}"), _expr("np.outer({0}, {g})")
        if a == 2 and b == 1:
            return _expr("np.outer({g}, {1})"), _expr("{0}.T @ {g}")
        return _expr("{g} * {1}"), _expr("{g} * {0}")

    return OpCode((forward,), backward)


def _rows(shapes: Shapes) -> str:
    return "np.arange(len({1}))" if len(shapes[0]) == 2 else "[0]"


def _batch(shapes: Shapes) -> tuple[str, str]:
    """Scores and labels as a batch: a single example (a vector) is one row."""
    if len(shapes[0]) == 2:
        return "{0}", "{1}"
    return "np.atleast_2d({0})", "np.ravel({1}).astype(int)"


def _svm_forward(shapes: Shapes) -> tuple[str, ...]:
    s, y = _batch(shapes)
    return (
        f"{{out}}_margins = np.maximum(0, {s} - {s}[np.arange(len({y})), {y}][:, None] + 1)",
        f"{{out}}_margins[np.arange(len({y})), {y}] = 0  # the true class has no margin",
        f"{{out}} = {{out}}_margins.sum() / len({y})",
    )


def _svm_backward(shapes: Shapes) -> tuple[Backward, ...]:
    s, y = _batch(shapes)
    lines = (
        "{out}_active = ({out}_margins > 0).astype(float)",
        f"{{out}}_active[np.arange(len({y})), {y}] = -{{out}}_active.sum(axis=1)",
    )
    grad = f"{{out}}_active * {{g}} / len({y})"
    if len(shapes[0]) == 1:
        grad = f"({grad})[0]"
    return (lines, grad), None


def _softmax_loss_forward(shapes: Shapes) -> tuple[str, ...]:
    s, y = _batch(shapes)
    return (
        f"{{out}}_shifted = {s} - {s}.max(axis=1, keepdims=True)  # for stability",
        "{out}_logp = {out}_shifted - np.log(np.exp({out}_shifted).sum(axis=1, keepdims=True))",
        f"{{out}} = -{{out}}_logp[np.arange(len({y})), {y}].mean()",
    )


def _softmax_loss_backward(shapes: Shapes) -> tuple[Backward, ...]:
    _, y = _batch(shapes)
    lines = ("{out}_probs = np.exp({out}_logp)",
             f"{{out}}_probs[np.arange(len({y})), {y}] -= 1")
    grad = f"{{out}}_probs * {{g}} / len({y})"
    if len(shapes[0]) == 1:
        grad = f"({grad})[0]"
    return (lines, grad), None


def _pick_forward(shapes: Shapes) -> tuple[str, ...]:
    if len(shapes[0]) == 2:
        return ("{out} = {0}[np.arange(len({1})), {1}][:, None]  # a column",)
    return ("{out} = {0}[int(np.ravel({1})[0])]",)


def _pick_backward(shapes: Shapes) -> tuple[Backward, ...]:
    if len(shapes[0]) == 2:
        lines = ("{out}_routed = np.zeros_like({0})",
                 "{out}_routed[np.arange(len({1})), {1}] = np.ravel({g})")
    else:
        lines = ("{out}_routed = np.zeros_like({0})", "{out}_routed[int(np.ravel({1})[0])] = {g}")
    return (lines, "{out}_routed"), None


def _pow_forward(shapes: Shapes) -> tuple[str, ...]:
    return ("{out} = np.power({0}, {1})",)


CODE: dict[str, OpCode] = {
    "add": OpCode(("{out} = {0} + {1}",), (_expr("{g}"), _expr("{g}"))),
    "sub": OpCode(("{out} = {0} - {1}",), (_expr("{g}"), _expr("-{g}"))),
    "mul": OpCode(("{out} = {0} * {1}",), (_expr("{1} * {g}"), _expr("{0} * {g}"))),
    "div": OpCode(("{out} = {0} / {1}",),
                  (_expr("{g} / {1}"), _expr("-{0} / {1} ** 2 * {g}"))),
    "neg": OpCode(("{out} = -{0}",), (_expr("-{g}"),)),
    "recip": OpCode(("{out} = 1.0 / {0}",), (_expr("(-1.0 / {0} ** 2) * {g}"),)),
    "pow": OpCode(_pow_forward, (
        # NOTE: x^0 has gradient 0 at x = 0, and a^b's gradient in b is 0 at a = 0 (the
        # limits the engine and PyTorch take).
        _expr("np.where({1} == 0, 0.0, {1} * np.power({0}, {1} - 1)) * {g}"),
        _expr("np.where({0} == 0, 0.0, {out} * np.log(np.where({0} == 0, 1.0, {0}))) * {g}"),
    )),
    "identity": OpCode(("{out} = {0}",), (_expr("{g}"),)),
    "exp": OpCode(("{out} = np.exp({0})",), (_expr("{out} * {g}"),)),
    "log": OpCode(("{out} = np.log({0})",), (_expr("{g} / {0}"),)),
    "sqrt": OpCode(("{out} = np.sqrt({0})",), (_expr("0.5 / {out} * {g}"),)),
    "tanh": OpCode(("{out} = np.tanh({0})",), (_expr("(1 - {out} ** 2) * {g}"),)),
    "relu": OpCode(("{out} = np.maximum({0}, 0.0)",), (_expr("({0} > 0) * {g}"),)),
    "abs": OpCode(("{out} = np.abs({0})",), (_expr("np.sign({0}) * {g}"),)),
    "sin": OpCode(("{out} = np.sin({0})",), (_expr("np.cos({0}) * {g}"),)),
    "cos": OpCode(("{out} = np.cos({0})",), (_expr("-np.sin({0}) * {g}"),)),
    "max": OpCode(("{out} = np.maximum({0}, {1})",),
                  (_expr(_routes("{0}", "{1}", True)), _expr(_routes("{1}", "{0}", True)))),
    "min": OpCode(("{out} = np.minimum({0}, {1})",),
                  (_expr(_routes("{0}", "{1}", False)), _expr(_routes("{1}", "{0}", False)))),
    "sigmoid": OpCode(("{out} = 1.0 / (1.0 + np.exp(-{0}))",),
                      (_expr("(1 - {out}) * {out} * {g}"),)),
    "matmul": _matmul("@"),
    "dot": _matmul("dot"),
    "sum": OpCode(("{out} = np.sum({0})",), (_expr("np.ones_like({0}) * {g}"),)),
    "mean": OpCode(("{out} = np.mean({0})",), (_expr("np.ones_like({0}) * {g} / np.size({0})"),)),
    "transpose": OpCode(("{out} = np.transpose({0})",), (_expr("np.transpose({g})"),)),
    "softmax": OpCode(
        ("{out} = np.exp({0} - np.max({0}, axis=-1, keepdims=True))",
         "{out} = {out} / np.sum({out}, axis=-1, keepdims=True)"),
        (_expr("{out} * ({g} - np.sum({g} * {out}, axis=-1, keepdims=True))"),)),
    "rowsum": OpCode(("{out} = np.sum({0}, axis=-1, keepdims=True)",),
                     (_expr("np.ones_like({0}) * {g}"),)),
    "svm_loss": OpCode(_svm_forward, _svm_backward),
    "softmax_loss": OpCode(_softmax_loss_forward, _softmax_loss_backward),
    "pick": OpCode(_pick_forward, _pick_backward),
}

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
        code = CODE[op]
        shapes = [_shape(values[j]) for j in arguments[i]]
        forward = code.forward(shapes) if callable(code.forward) else code.forward
        fill = {"out": var[i], "g": dvar[i] or "0.0"}
        texts = [template.format(*[var[j] for j in arguments[i]], **fill) for template in forward]
        if comment is not None and type(values[i]) is float:
            texts[-1] += f"  # = {comment(values[i])}"
        lines += [CodeLine(text, "forward", i) for text in texts]

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
        code = CODE[op]
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
    return [{"text": line.text, "phase": line.phase,
             "node": None if line.node is None else f"n{line.node}"} for line in lines]


def variable_names(circuit: Circuit) -> tuple[list[str], list[str]]:
    """Each node's value in the staged code (a variable, or a constant's literal) and its
    gradient's variable ("" where it has none): for clients that map code onto the diagram."""
    var = _variables(circuit)
    for i, op in enumerate(circuit.ops):
        if op == CONST:
            var[i] = _literal(circuit.constants[i], circuit.labels[i])
    needs = needs_gradient(circuit)
    return var, _gradient_names(var, [n and circuit.ops[i] != CONST for i, n in enumerate(needs)])
