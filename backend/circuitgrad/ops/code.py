"""How each op reads as numpy code, for the staged code (staged.py) a learner can run.

Templates name the inputs {0}, {1}, the gate's own value {out}, the upstream gradient {g},
and scratch variables {out}_something. A forward entry is the list of lines that compute
{out}; a backward entry gives, per input, lines to run first and the expression of that
input's gradient (local gradient × upstream), or None for an input that never has one
(class labels). Shape-dependent code (matmul on vectors, the losses on one example) is a
function of the input shapes. Each row of the table holds its `OpCode` (`code=`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Shape = tuple[int, ...]

Shapes = Sequence[Shape]
Backward = tuple[tuple[str, ...], str] | None  # (lines first, gradient expression)


@dataclass(frozen=True, slots=True)
class OpCode:
    """How one primitive reads as numpy code."""

    forward: tuple[str, ...] | Callable[[Shapes], tuple[str, ...]]
    backward: tuple[Backward, ...] | Callable[[Shapes], tuple[Backward, ...]]


def expr(text: str) -> Backward:
    """A gradient that is one expression, with nothing to run first."""
    return ((), text)


def simple(forward: str, *gradients: str) -> OpCode:
    """An op whose forward pass is one expression and whose gradients are one each:
    `simple("{0} * {1}", "{1} * {g}", "{0} * {g}")` reads `{out} = {0} * {1}`."""
    return OpCode(("{out} = " + forward,), tuple(expr(gradient) for gradient in gradients))


def routes(mine: str, other: str, *, larger: bool) -> str:
    """max's (or min's) gradient for `mine`: the upstream where it wins, half on a tie."""
    # NOTE: a tie splits the gradient in halves, as the engine (and torch.maximum) does.
    compare = ">" if larger else "<"
    return f"(({mine} {compare} {other}) + 0.5 * ({mine} == {other})) * {{g}}"


def matmul_code(fn: str) -> OpCode:
    forward = "{out} = {0} @ {1}" if fn == "@" else "{out} = np.dot({0}, {1})"

    def backward(shapes: Shapes) -> tuple[Backward, ...]:
        a, b = (len(s) for s in shapes)
        if a == 2 and b == 2:
            return expr("{g} @ {1}.T"), expr("{0}.T @ {g}")
        if a == 1 and b == 2:
            return expr("{1} @ {g}"), expr("np.outer({0}, {g})")
        if a == 2 and b == 1:
            return expr("np.outer({g}, {1})"), expr("{0}.T @ {g}")
        return expr("{g} * {1}"), expr("{g} * {0}")

    return OpCode((forward,), backward)


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




SVM_LOSS_CODE = OpCode(_svm_forward, _svm_backward)
SOFTMAX_LOSS_CODE = OpCode(_softmax_loss_forward, _softmax_loss_backward)
PICK_CODE = OpCode(_pick_forward, _pick_backward)
