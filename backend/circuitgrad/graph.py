"""Syntax tree -> circuit: one node per input, constant and gate, in topological order.

The circuit is a compact IR of parallel lists indexed by node number (node `i` has the id
`n{i}`). Edges are not stored: node `i`'s argument `k` is the wire `first_edge[i] + k`, so
edge ids follow the order of the nodes and then of their arguments.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from .errors import ArityError, InputError, LimitError, NameResolutionError, ParseError
from .language.parser import parse
from .language.syntax import Binary, Call, Expr, Name, Num, Program, Transpose, Unary
from .ops import FUNCTIONS, REGISTRY
from .settings import DEFAULT_SETTINGS, Settings

INPUT = "input"
CONST = "const"

_BINARY_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow", "**": "pow",
               "@": "matmul"}


@dataclass(slots=True)
class Circuit:
    """The node graph. Lists are indexed by node number; inputs come before their users."""

    source: str
    ops: list[str] = field(default_factory=list)  # "input", "const" or a primitive's name
    inputs: list[tuple[int, ...]] = field(default_factory=list)  # argument node numbers
    labels: list[str] = field(default_factory=list)  # what the diagram writes by the node
    names: list[str | None] = field(default_factory=list)  # input or intermediate name
    positions: list[int] = field(default_factory=list)  # source offset, for errors
    composites: list[str | None] = field(default_factory=list)  # expanded from, if any
    constants: dict[int, float] = field(default_factory=dict)  # node -> constant value
    input_nodes: dict[str, int] = field(default_factory=dict)  # input name -> node
    label_inputs: set[int] = field(default_factory=set)  # inputs read as class labels
    first_edge: list[int] = field(default_factory=list)  # node -> id number of its first wire
    edge_count: int = 0
    output: int = -1
    _ids: list[str] = field(default_factory=list)
    needs_grad: list[bool] = field(default_factory=list)  # filled by engine.needs_gradient
    references: object = None  # how texts name each node: filled once by references.py

    def __len__(self) -> int:
        return len(self.ops)

    @property
    def ids(self) -> list[str]:
        """The node ids `n0`, `n1`, ... as the API gives them (made once, then shared)."""
        if len(self._ids) != len(self.ops):
            self._ids = [f"n{i}" for i in range(len(self.ops))]
        return self._ids


class _Builder:
    """Adds nodes to a circuit; also the `GateBuilder` that composite expansions use."""

    def __init__(self, circuit: Circuit, settings: Settings) -> None:
        self.c = circuit
        self.max_nodes = settings.max_nodes
        self.expanding: str | None = None  # the composite being expanded, if any

    def _add(self, op: str, inputs: tuple[int, ...], label: str, name: str | None,
             pos: int, composite: str | None = None) -> int:
        c = self.c
        index = len(c.ops)
        if index >= self.max_nodes:
            raise LimitError("too_many_nodes", pos, c.source, limit=self.max_nodes)
        c.ops.append(op)
        c.inputs.append(inputs)
        c.labels.append(label)
        c.names.append(name)
        c.positions.append(pos)
        c.composites.append(composite)
        c.first_edge.append(c.edge_count)
        c.edge_count += len(inputs)
        return index

    def constant(self, value: float, pos: int, text: str | None = None) -> int:
        label = text if text is not None else _format_constant(value)
        index = self._add(CONST, (), label, None, pos, self.expanding)
        self.c.constants[index] = value
        return index

    def gate(self, op: str, inputs: tuple[int, ...], pos: int) -> int:
        return self._add(op, inputs, REGISTRY[op].symbol, None, pos, self.expanding)


def _format_constant(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


CACHED_CIRCUITS = 256  # most recently used circuits kept, per process
CACHED_SOURCE_LENGTH = 4_096  # only programs this short are kept (bounds the memory)
_cache: OrderedDict[tuple[str, bool, Settings], Circuit] = OrderedDict()
_cache_lock = threading.Lock()


def cached_graph(source: str, *, expand: bool = False,
                 settings: Settings = DEFAULT_SETTINGS) -> Circuit:
    """`build_graph`, remembered for short programs: the page re-sends the same expression
    with new values at every edit and every optimizer step. Safe to share because a circuit
    is never changed after it is built (its lazily filled caches are deterministic)."""
    if len(source) > CACHED_SOURCE_LENGTH:
        return build_graph(source, expand=expand, settings=settings)
    key = (source, expand, settings)
    with _cache_lock:
        circuit = _cache.get(key)
        if circuit is not None:
            _cache.move_to_end(key)
            return circuit
    circuit = build_graph(source, expand=expand, settings=settings)
    with _cache_lock:
        _cache[key] = circuit
        if len(_cache) > CACHED_CIRCUITS:
            _cache.popitem(last=False)
    return circuit


def clear_graph_cache() -> None:
    """Forget every remembered circuit (benchmarks measure the cold pipeline with it)."""
    with _cache_lock:
        _cache.clear()


def build_graph(source: str | Program, *, expand: bool = False,
                settings: Settings = DEFAULT_SETTINGS) -> Circuit:
    """Parse (if given text) and build the circuit of a program."""
    program = parse(source, settings) if isinstance(source, str) else source
    src = program.source
    circuit = Circuit(src)
    builder = _Builder(circuit, settings)
    assigned = {s.target for s in program.statements if s.target is not None}
    env: dict[str, int] = {}
    last = len(program.statements) - 1

    for number, statement in enumerate(program.statements):
        if statement.target is None and number != last:
            raise ParseError("bare_statement", statement.pos, src)
        if statement.target is not None and statement.target in env:
            raise NameResolutionError("assigned_twice", statement.target_pos, src,
                                      name=statement.target)
        result = _build_expr(builder, statement.expr, env, assigned, expand)
        target = statement.target
        if target is not None:
            if circuit.ops[result] in (INPUT, CONST) or circuit.names[result] is not None:
                # The value already has a name of its own: an identity gate carries the new one.
                result = builder.gate("identity", (result,), statement.target_pos)
            circuit.names[result] = target
            circuit.labels[result] = target
            env[target] = result
        circuit.output = result
    if circuit.label_inputs:
        _check_labels_only_label(circuit)
    return circuit


def _check_labels_only_label(c: Circuit) -> None:
    """An input read as class labels is integers with no gradient: it may be nothing else."""
    for target, sources in enumerate(c.inputs):
        for port, source in enumerate(sources):
            if source in c.label_inputs and REGISTRY[c.ops[target]].labels_arg != port:
                raise NameResolutionError("labels_used_as_number", c.positions[target],
                                          c.source, name=c.names[source])


# A constant waiting for its gate: (value, position, label). Constants are placed just
# before the gate that uses them, so the backward pass ends on the inputs, not on a `1`.
_Pending = tuple[float, int, str]


def _build_expr(b: _Builder, root: Expr, env: dict[str, int], assigned: set[str],
                expand: bool) -> int:
    """Post-order walk with an explicit stack: children's nodes exist before their gate's."""
    c = b.c
    src = c.source
    results: list[int | _Pending] = []

    def take(count: int) -> tuple[int, ...]:
        """The last `count` results as nodes, placing any pending constant now."""
        items = results[len(results) - count:]
        del results[len(results) - count:]
        return tuple(item if isinstance(item, int) else b.constant(*item) for item in items)

    # Stack items: (expr, False) = visit its children first; (expr, True) = emit its gate.
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        expr, ready = stack.pop()
        if isinstance(expr, Num):
            results.append((expr.value, expr.pos, _constant_label(expr)))
        elif isinstance(expr, Name):
            results.append(_lookup(b, expr, env, assigned))
        elif isinstance(expr, Unary):
            if expr.op == "+":
                stack.append((expr.operand, False))  # unary plus draws nothing
            elif isinstance(expr.operand, Num) and expr.operand.text not in ("pi", "e"):
                # NOTE: a minus sign on a number literal is part of the constant: 2^-1.
                results.append((-expr.operand.value, expr.pos, "-" + expr.operand.text))
            elif ready:
                results.append(b.gate("neg", take(1), expr.pos))
            else:
                stack += [(expr, True), (expr.operand, False)]
        elif isinstance(expr, Binary):
            if _is_reciprocal(expr):
                if ready:
                    results.append(b.gate("recip", take(1), expr.pos))
                else:
                    stack += [(expr, True), (expr.right, False)]
            elif ready:
                results.append(b.gate(_BINARY_OPS[expr.op], take(2), expr.pos))
            else:
                stack += [(expr, True), (expr.right, False), (expr.left, False)]
        elif isinstance(expr, Transpose):
            if ready:
                results.append(b.gate("transpose", take(1), expr.pos))
            else:
                stack += [(expr, True), (expr.operand, False)]
        else:  # Call
            primitive = FUNCTIONS[expr.func]
            if not ready:
                if len(expr.args) != primitive.arity:
                    raise ArityError("wrong_arity", expr.pos, src, function=expr.func,
                                     arity=primitive.arity, got=len(expr.args))
                stack.append((expr, True))
                stack += [(arg, False) for arg in reversed(expr.args)]
                continue
            args = take(primitive.arity)
            if primitive.labels_arg is not None:
                _mark_labels(b, args[primitive.labels_arg], expr)
            if expand and primitive.expand is not None:
                b.expanding = primitive.name
                node = primitive.expand(b, expr.pos, *args)
                b.expanding = None
            else:
                node = b.gate(primitive.name, args, expr.pos)
            results.append(node)
    return take(1)[0]


def _constant_label(num: Num) -> str:
    return {"pi": "π", "e": "e"}.get(num.text, num.text)


def _is_reciprocal(expr: Binary) -> bool:
    # NOTE: `1/x` draws the CS231n "1/x" gate rather than a division of the constant 1.
    left = expr.left
    return expr.op == "/" and isinstance(left, Num) and left.value == 1.0 and left.text[0] == "1"


def _lookup(b: _Builder, expr: Name, env: dict[str, int], assigned: set[str]) -> int:
    name = expr.name
    node = env.get(name)
    if node is not None:
        return node
    if name in assigned:
        raise NameResolutionError("used_before_assigned", expr.pos, b.c.source, name=name)
    node = b.c.input_nodes.get(name)
    if node is None:
        node = b._add(INPUT, (), name, name, expr.pos)
        b.c.input_nodes[name] = node
    return node


def _mark_labels(b: _Builder, node: int, call: Call) -> None:
    c = b.c
    if c.ops[node] == INPUT:
        c.label_inputs.add(node)
    elif c.ops[node] == CONST:
        value = c.constants[node]
        if not (value.is_integer() and abs(value) < 2 ** 53):
            raise InputError("labels_constant_not_whole", c.positions[node], c.source,
                             function=call.func, value=c.labels[node])
    else:
        raise NameResolutionError("labels_computed", call.pos, c.source, function=call.func)
