"""Forward and backward over a circuit: node values, node gradients, per-wire gradients.

Scalars are plain Python floats and tensors float64 arrays. An element-wise gate whose
inputs are all floats runs its rule on the `math` namespace (no numpy overhead per gate);
everything else runs on numpy after its shape rule has been checked, so a shape error is
reported before any allocation and with both shapes named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .errors import LimitError, ShapeError
from .graph import CONST, INPUT, Circuit
from .ops import REGISTRY, SCALAR, TENSOR, ShapeMismatch
from .ops.core import broadcast_shape
from .references import references
from .settings import DEFAULT_SETTINGS, Settings

_ARITHMETIC_FAILURES = (ArithmeticError, ValueError)


@dataclass
class Run:
    """What one forward and backward pass computed, indexed like the circuit's nodes."""

    values: list[Any]
    grads: list[Any]  # None where the node does not depend on any input
    edge_grads: list[Any]  # by edge number; None where the source needs no gradient
    needs_grad: list[bool]

    @cached_property
    def nonfinite(self) -> list[int]:
        """Nodes whose value or gradient is inf or NaN (found when first asked: optimizers
        that run thousands of passes never pay for it)."""
        return [i for i, (value, grad) in enumerate(zip(self.values, self.grads, strict=True))
                if not _finite(value) or not _finite(grad)]


def _shape(value: Any) -> tuple[int, ...]:
    return () if isinstance(value, float) else np.shape(value)


def _as_result(value: Any) -> Any:
    """Numpy 0-d results become Python floats, so the scalar invariant holds."""
    if isinstance(value, np.ndarray) and value.ndim == 0 or isinstance(value, np.floating):
        return float(value)
    return value


def _retry_on_numpy(rule: Any, args: list[Any]) -> Any:
    # `math` raises where IEEE 754 gives inf or nan (log(0), 1/0, exp(1000)): numpy does not.
    return _as_result(rule(TENSOR, *[np.float64(a) for a in args]))


def forward(circuit: Circuit, inputs: dict[int, Any], settings: Settings = DEFAULT_SETTINGS
            ) -> list[Any]:
    """The value of every node, in order."""
    ops, arguments = circuit.ops, circuit.inputs
    values: list[Any] = [None] * len(ops)
    limit = settings.max_tensor_elements
    total = 0
    for index, op in enumerate(ops):
        if op == INPUT:
            values[index] = inputs[index]
            continue
        if op == CONST:
            values[index] = circuit.constants[index]
            continue
        primitive = REGISTRY[op]
        args = [values[j] for j in arguments[index]]
        # Element-wise ops take one or two arguments; all floats means the scalar path.
        if primitive.elementwise and type(args[0]) is float and (
                len(args) == 1 or type(args[1]) is float):
            try:
                values[index] = primitive.forward(SCALAR, *args)
            except _ARITHMETIC_FAILURES:
                values[index] = _retry_on_numpy(primitive.forward, args)
            continue
        shapes = [_shape(a) for a in args]
        try:
            if primitive.shape is not None:
                out_shape = primitive.shape(*shapes)
            else:
                out_shape = broadcast_shape(primitive.symbol, *shapes)
            size = math.prod(out_shape)
            total += size
            if size > limit or total > settings.max_total_elements:
                raise LimitError(
                    "tensor_too_large", circuit.positions[index], circuit.source,
                    op=primitive.symbol, shape=out_shape, limit=limit,
                    total_limit=settings.max_total_elements)
            values[index] = _as_result(primitive.forward(TENSOR, *args))
        except ShapeMismatch as mismatch:
            raise shape_error(circuit, index, mismatch) from None
    return values


def shape_error(circuit: Circuit, index: int, mismatch: ShapeMismatch) -> ShapeError:
    """A shape rule's complaint about gate `index`, its operands named as the step texts name
    them ("X", "sum(W @ x)"), bracketed where a formula must stay one operand: "(x + y) @ W",
    "(x + y)'s length"."""
    operands = references(circuit).operand
    args = circuit.inputs[index]
    params: dict[str, Any] = {"op": REGISTRY[circuit.ops[index]].symbol}
    for key, arg in zip(("a", "b"), args, strict=False):
        params[key] = operands[arg]
    params.update(mismatch.params)
    culprit = None
    if mismatch.value_arg is not None and mismatch.value_arg < len(args):
        culprit = circuit.names[args[mismatch.value_arg]] \
            if circuit.ops[args[mismatch.value_arg]] == INPUT else None
    return ShapeError(mismatch.code, circuit.positions[index], circuit.source, input=culprit,
                      **params)


def _unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient back down to the shape of the input it belongs to."""
    grad_shape = _shape(grad)
    if grad_shape == shape:
        return grad
    grad = np.asarray(grad)
    extra = len(grad_shape) - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    kept = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    if kept:
        grad = grad.sum(axis=kept, keepdims=True)
    if grad.shape != shape:
        grad = np.broadcast_to(grad, shape).copy()
    return _as_result(grad)


def needs_gradient(circuit: Circuit) -> list[bool]:
    """A node needs a gradient when it is, or depends on, an input that is not a label.

    Computed once per circuit: a circuit built once is often run many times (optimizers)."""
    if len(circuit.needs_grad) == len(circuit.ops):
        return circuit.needs_grad
    needs = [False] * len(circuit.ops)
    labels = circuit.label_inputs
    for index, op in enumerate(circuit.ops):
        if op == INPUT:
            needs[index] = index not in labels
        elif op != CONST:
            needs[index] = any(needs[j] for j in circuit.inputs[index])
    circuit.needs_grad = needs
    return needs


def backward(circuit: Circuit, values: list[Any], seed: Any = None) -> Run:
    """Gradients of the output with respect to every node and along every wire."""
    ops, arguments, first_edge = circuit.ops, circuit.inputs, circuit.first_edge
    needs = needs_gradient(circuit)
    grads: list[Any] = [None] * len(ops)
    edge_grads: list[Any] = [None] * circuit.edge_count
    out = circuit.output
    seed = _seed(values[out], seed, circuit)  # checked even where no gradient flows
    if needs[out]:
        grads[out] = seed
    for index in range(len(ops) - 1, -1, -1):
        op = ops[index]
        if not needs[index] or op == INPUT:
            continue
        g = grads[index]
        if g is None:  # nothing downstream uses this node: its gradient is zero
            g = grads[index] = 0.0 if isinstance(values[index], float) else np.zeros_like(
                values[index])
        primitive = REGISTRY[op]
        sources = arguments[index]
        args = [values[j] for j in sources]
        result = values[index]
        edge = first_edge[index]
        # An element-wise gate with a float result took the scalar path: so do its gradients.
        if primitive.elementwise and type(result) is float and type(g) is float:
            try:
                local = primitive.vjp(SCALAR, g, result, *args)
            except _ARITHMETIC_FAILURES:
                local = [_as_result(x) for x in primitive.vjp(
                    TENSOR, np.float64(g), np.float64(result), *[np.float64(a) for a in args])]
            for port, source in enumerate(sources):
                if needs[source]:
                    wire = local[port]
                    edge_grads[edge + port] = wire
                    previous = grads[source]
                    grads[source] = wire if previous is None else previous + wire
            continue
        local = [None if x is None else _as_result(x)
                 for x in primitive.vjp(TENSOR, g, result, *args)]
        for port, source in enumerate(sources):
            if needs[source]:
                wire = _unbroadcast(local[port], _shape(values[source]))
                edge_grads[edge + port] = wire
                previous = grads[source]
                grads[source] = wire if previous is None else previous + wire
    for index in range(len(ops)):  # inputs that reach no output still have a gradient: 0
        if needs[index] and grads[index] is None:
            value = values[index]
            grads[index] = 0.0 if isinstance(value, float) else np.zeros_like(value)
    return Run(values, grads, edge_grads, needs)


def _finite(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return bool(np.isfinite(value).all())


def _seed(out_value: Any, seed: Any, circuit: Circuit) -> Any:
    shape = _shape(out_value)
    if seed is None:
        return 1.0 if shape == () else np.ones(shape)
    seed_shape = _shape(seed)
    if seed_shape != shape:
        raise ShapeError("seed_shape", circuit.positions[circuit.output], circuit.source,
                         seed=seed_shape, output=shape)
    return seed
