"""The circuit: one node per input, constant and gate; fan-out is one node with many wires."""

from __future__ import annotations

import pytest

from circuitgrad.errors import ArityError, NameResolutionError, ParseError
from circuitgrad.graph import CONST, INPUT, Circuit, build_graph


def wires_from(circuit: Circuit, node: int) -> int:
    return sum(args.count(node) for args in circuit.inputs)


def test_cs231n_circuit_shape() -> None:
    c = build_graph("(x+y)*z")
    assert c.ops == [INPUT, INPUT, "add", INPUT, "mul"]
    assert c.inputs[2] == (0, 1) and c.inputs[4] == (2, 3)
    assert c.output == 4
    assert c.edge_count == 4
    assert c.input_nodes == {"x": 0, "y": 1, "z": 3}


def test_fan_out_is_one_node_with_two_wires() -> None:
    c = build_graph("x*x + x")
    assert c.ops.count(INPUT) == 1
    assert wires_from(c, c.input_nodes["x"]) == 3
    c = build_graph("(x+y)/(2x+3y)")
    assert c.ops.count(INPUT) == 2
    assert wires_from(c, c.input_nodes["x"]) == 2
    assert wires_from(c, c.input_nodes["y"]) == 2


def test_named_intermediate_fans_out_once() -> None:
    c = build_graph("q = x + y\nf = q*q")
    q = c.names.index("q")
    assert c.ops[q] == "add"
    assert wires_from(c, q) == 2
    assert c.names[c.output] == "f"
    assert c.labels[q] == "q"


def test_edges_are_numbered_in_node_then_argument_order() -> None:
    c = build_graph("(x+y)*z")
    edges = [(src, target) for target, args in enumerate(c.inputs) for src in args]
    assert [c.first_edge[t] + k for t, args in enumerate(c.inputs) for k in range(len(args))] \
        == list(range(len(edges)))


def test_topological_order() -> None:
    c = build_graph("a = exp(x)\nb = a * y + a\nf = max(b, a) / sum(b)")
    for node, args in enumerate(c.inputs):
        assert all(arg < node for arg in args)


def test_renaming_a_named_value_adds_an_identity_gate() -> None:
    c = build_graph("q = x\nr = q\nr")
    assert c.ops == [INPUT, "identity", "identity"]
    assert c.names == ["x", "q", "r"]
    c = build_graph("k = 2")
    assert c.ops == [CONST, "identity"]


def test_constants_are_nodes_with_labels() -> None:
    c = build_graph("2x + pi - e")
    consts = [i for i, op in enumerate(c.ops) if op == CONST]
    assert sorted(c.labels[i] for i in consts) == sorted(["2", "π", "e"])


def test_negative_literal_folds_into_one_constant() -> None:
    c = build_graph("2^-1")
    assert c.ops == [CONST, CONST, "pow"]
    assert c.constants[1] == -1.0


def test_one_over_draws_a_reciprocal_gate() -> None:
    assert build_graph("1/x").ops == [INPUT, "recip"]
    assert build_graph("2/x").ops == [INPUT, CONST, "div"]


def test_constants_are_placed_just_before_their_gate() -> None:
    # So that the backward pass, in reverse node order, ends on the inputs, not on a `1`.
    c = build_graph("1/(1+exp(-(w0*x0+w1*x1+w2)))")
    assert c.ops[-3:] == [CONST, "add", "recip"]
    assert c.ops[0] == INPUT


@pytest.mark.parametrize(("text", "collapsed", "expanded_ops"), [
    ("sigmoid(x)", ["input", "sigmoid"], {"neg", "exp", "add", "recip", "const"}),
    ("softmax(x)", ["input", "softmax"], {"exp", "rowsum", "div"}),
    ("softmax_loss(s, y)", ["input", "input", "softmax_loss"],
     {"exp", "rowsum", "div", "pick", "log", "mean", "neg"}),
    ("svm_loss(s, y)", ["input", "input", "svm_loss"],
     {"pick", "sub", "add", "const", "relu", "rowsum", "mean"}),
])
def test_expansion_replaces_a_composite_with_its_primitives(
        text: str, collapsed: list[str], expanded_ops: set[str]) -> None:
    assert build_graph(text).ops == collapsed
    expanded = build_graph(text, expand=True)
    gates = {op for op in expanded.ops if op != INPUT}
    assert gates == expanded_ops
    composite = collapsed[-1]
    assert all(expanded.composites[i] == composite
               for i, op in enumerate(expanded.ops) if op != INPUT)


def test_expansion_keeps_the_name_on_the_expanded_output() -> None:
    c = build_graph("s = sigmoid(x)", expand=True)
    assert c.names[c.output] == "s" and c.ops[c.output] == "recip"


def test_labels_are_marked() -> None:
    c = build_graph("svm_loss(s, y)")
    assert c.label_inputs == {c.input_nodes["y"]}


def test_errors_from_the_build() -> None:
    with pytest.raises(ArityError):
        build_graph("max(x)")
    with pytest.raises(NameResolutionError):
        build_graph("q = x\nq = y")
    with pytest.raises(ParseError):
        build_graph("x\ny")
