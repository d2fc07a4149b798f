"""Parameters versus data: which inputs an optimizer moves when the learner does not say.

A loss is given data — the examples and their labels — and learns parameters. The circuit
says which inputs are which, by the way the examples flow into a loss:

1. **labels**: an input read as a loss's class labels (`y` in `softmax_loss(s, y)`).
2. **examples**: an input that holds one slice per example of a loss. Starting from the
   loss's scores, one row per example, the *examples axis* (axis 0 of the scores matrix) is
   followed backwards through the circuit:

   - through an element-wise gate into every argument that has that axis at its full length
     (a bias `b` of shape (C,) is broadcast over the examples: shared by all, not data);
   - through `@` into the operand the axis comes from: the rows of the left operand in
     `X @ W`, the columns of the right one in `(W @ Xᵀ)ᵀ`;
   - through a transpose (the axis moves) and through row-wise gates (softmax, the rows
     sums and picks of an expanded loss), which keep each example's row apart;
   - not through reductions (`sum`, `mean`): there the examples are mixed.

   For a loss on a single example (its scores a vector, one label), the example is the
   vector in a matrix-vector product (`x` in `W @ x + b`, CS231n's f(x; W, b) = Wx + b),
   found by the same walk through element-wise and row-wise gates; a vector that is itself
   computed (`W2 @ relu(W1 @ x + b1)`) is followed further, to the input it came from.
3. **parameter**: an input the scores are computed from that is not data: the model's
   weights and biases, f(x; W, b).
4. **hyperparameter**: where there is a loss, an input that does not reach any loss's
   scores, such as the regularization strength λ in `+ reg * sum(W * W)`: it shapes the
   objective rather than the model (and minimising over it would only drive it down).

So in `softmax_loss(X @ W + b, y) + reg * sum(W * W)` and in a two-layer network, X and y
are data, reg a hyperparameter and the weights and biases parameters. An expression
without a loss (`3x^2 + 6x`, `(x+y)z`) has no data: every input is a parameter. The rule
reads the shapes of one forward pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from .graph import CONST, INPUT, Circuit
from .ops import REGISTRY

Role = Literal["parameter", "hyperparameter", "examples", "labels"]
ROLES: tuple[Role, ...] = ("parameter", "hyperparameter", "examples", "labels")

# How the examples axis passes through each gate that is not element-wise. Every primitive
# of the table must be element-wise or listed here (a test checks): a new op decides.
MATRIX_PRODUCTS = frozenset({"matmul", "dot"})
TRANSPOSES = frozenset({"transpose"})
ROW_WISE = frozenset({"softmax", "rowsum", "pick"})  # the last axis mixes; the others pass
MIXING = frozenset({"sum", "mean", "svm_loss", "softmax_loss"})  # every element mixed

Shape = tuple[int, ...]
_VECTOR = -1  # the walk's axis for a single example: the whole vector is the example


def input_roles(circuit: Circuit, shapes: Sequence[Shape]) -> dict[str, Role]:
    """Each input's role, in order of appearance; `shapes[i]` is node i's shape."""
    data: dict[int, Role] = {node: "labels" for node in circuit.label_inputs}
    scores_nodes = []
    for gate, op in enumerate(circuit.ops):
        primitive = REGISTRY.get(op)
        if primitive is None or primitive.labels_arg is None:
            continue
        for port, scores in enumerate(circuit.inputs[gate]):
            if port != primitive.labels_arg:
                scores_nodes.append(scores)
                for node in _examples_of(circuit, shapes, scores):
                    data.setdefault(node, "examples")
    if scores_nodes:
        model = _ancestors(circuit, scores_nodes)
        for node in circuit.input_nodes.values():
            if node not in model:
                data.setdefault(node, "hyperparameter")
    return {name: data.get(node, "parameter") for name, node in circuit.input_nodes.items()}


def _ancestors(circuit: Circuit, nodes: list[int]) -> set[int]:
    """The nodes these are computed from, themselves included."""
    found: set[int] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(circuit.inputs[node])
    return found


def _examples_of(circuit: Circuit, shapes: Sequence[Shape], scores: int) -> list[int]:
    """The inputs that carry the examples of a loss whose scores are node `scores`."""
    rank = len(shapes[scores])
    if rank not in (1, 2):
        return []
    found: list[int] = []
    stack = [(scores, 0 if rank == 2 else _VECTOR)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, axis = stack.pop()
        if (node, axis) in seen:
            continue
        seen.add((node, axis))
        op = circuit.ops[node]
        if op == INPUT:
            # NOTE: in single-example mode an input met here is shaped like the scores
            # (a bias, say): only the vector of a matrix-vector product is the example.
            if axis != _VECTOR and node not in found:
                found.append(node)
        elif op != CONST:
            for source, source_axis in _carriers(circuit, shapes, node, axis):
                if (axis == _VECTOR and circuit.ops[source] == INPUT
                        and circuit.ops[node] in MATRIX_PRODUCTS):
                    if source not in found:
                        found.append(source)
                else:
                    stack.append((source, source_axis))
    return found


def _carriers(circuit: Circuit, shapes: Sequence[Shape], node: int, axis: int
              ) -> list[tuple[int, int]]:
    """The arguments of gate `node` through which its examples axis came, with its index
    in each (or _VECTOR in single-example mode)."""
    op = circuit.ops[node]
    primitive = REGISTRY[op]
    args = circuit.inputs[node]
    shape = shapes[node]
    if axis == _VECTOR:
        if primitive.elementwise or op in ROW_WISE:
            return [(a, _VECTOR) for a in args if shapes[a] == shape]
        if op in MATRIX_PRODUCTS:
            left, right = (shapes[a] for a in args)
            if len(left) == 2 and len(right) == 1:
                return [(args[1], _VECTOR)]
            if len(left) == 1 and len(right) == 2:
                return [(args[0], _VECTOR)]
        return []
    if primitive.elementwise:
        carriers = []
        for a in args:
            own = shapes[a]
            k = axis - (len(shape) - len(own))
            if k >= 0 and own[k] == shape[axis]:
                carriers.append((a, k))
        return carriers
    if op in MATRIX_PRODUCTS:
        left, right = (shapes[a] for a in args)
        if axis < len(left) - 1:
            return [(args[0], axis)]
        if len(right) == 2:
            return [(args[1], 1)]
        return []
    if op in TRANSPOSES:
        return [(args[0], len(shape) - 1 - axis)]
    if op in ROW_WISE and (op == "pick" or axis < len(shape) - 1):
        return [(args[0], axis)]
    return []


def default_parameters(roles: dict[str, Role]) -> list[str]:
    """The inputs an optimizer moves by default: the parameters. When the rule finds none
    (as in `softmax_loss(S, y)` with the scores S given), the examples, which are then all
    the scores are computed from; failing those, every input that is not labels."""
    for wanted in (("parameter",), ("examples",), ("hyperparameter", "examples")):
        chosen = [name for name, role in roles.items() if role in wanted]
        if chosen:
            return chosen
    return []
