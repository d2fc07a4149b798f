"""Forward and backward on hand-worked numbers (CS231n), SymPy and centered differences."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy
from engine_oracles import centered_gradients, relative_error

import circuitgrad
from circuitgrad import evaluate
from circuitgrad.references import references

SIGMOID_NEURON_WRITTEN = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
SIGMOID_NEURON_CALL = "sigmoid(w0*x0 + w1*x1 + w2)"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def edges_from(result: circuitgrad.Result, node_id: str) -> list[dict[str, object]]:
    return [edge for edge in result.edges if edge["source"] == node_id]


def node_of(result: circuitgrad.Result, label: str) -> dict[str, object]:
    [node] = [n for n in result.nodes if n["label"] == label]
    return node


# --- the CS231n numbers ---------------------------------------------------------------------


def test_add_then_multiply_at_cs231n_point() -> None:
    result = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    assert result.value == -12.0
    assert result.gradients == {"x": -4.0, "y": -4.0, "z": 3.0}


@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize(
    "text", [SIGMOID_NEURON_WRITTEN, SIGMOID_NEURON_CALL, "σ(w0 x0 + w1 x1 + w2)"])
def test_sigmoid_neuron_at_cs231n_point(text: str, expand: bool) -> None:
    result = evaluate(text, NEURON_VALUES, expand=expand)
    assert result.value == pytest.approx(0.7311, abs=5e-5)
    expected = {"w0": -0.1966, "x0": 0.3932, "w1": -0.3932, "x1": -0.5898, "w2": 0.1966}
    for name, grad in expected.items():
        assert result.gradients[name] == pytest.approx(grad, abs=5e-5), name


def test_sigmoid_neuron_expanded_draws_the_four_cs231n_gates() -> None:
    collapsed = evaluate(SIGMOID_NEURON_CALL, NEURON_VALUES)
    expanded = evaluate(SIGMOID_NEURON_CALL, NEURON_VALUES, expand=True)
    assert [n["op"] for n in collapsed.nodes].count("sigmoid") == 1
    ops = [n["op"] for n in expanded.nodes]
    assert "sigmoid" not in ops
    assert {"neg", "exp", "add", "recip"} <= set(ops)
    assert all(n["composite"] == "sigmoid" for n in expanded.nodes
               if n["op"] in ("neg", "exp", "recip"))


STAGED = """
sigy = 1 / (1 + exp(-y))   # sigmoid in numerator
num = x + sigy
sigx = 1 / (1 + exp(-x))   # sigmoid in denominator
xpy = x + y
xpysqr = xpy^2
den = sigx + xpysqr
invden = 1 / den
f = num * invden
"""


def _staged_reference(x: float, y: float) -> tuple[float, float, float]:
    sx, sy = sympy.symbols("x y")
    sig = lambda u: 1 / (1 + sympy.exp(-u))  # noqa: E731
    f = (sx + sig(sy)) / (sig(sx) + (sx + sy) ** 2)
    at = {sx: x, sy: y}
    return (float(f.evalf(subs=at)), float(sympy.diff(f, sx).evalf(subs=at)),
            float(sympy.diff(f, sy).evalf(subs=at)))


@pytest.mark.parametrize("text", ["(x+sigmoid(y))/(sigmoid(x)+(x+y)^2)", STAGED])
@pytest.mark.parametrize("expand", [False, True])
def test_staged_cs231n_expression_against_sympy_and_differences(text: str, expand: bool) -> None:
    values = {"x": 3.0, "y": -4.0}
    result = evaluate(text, values, expand=expand)
    value, dx, dy = _staged_reference(3.0, -4.0)
    assert result.value == pytest.approx(value, rel=1e-12)
    assert result.value == pytest.approx(1.5456, abs=1e-4)  # by hand: 3.01799 / 1.95257
    assert result.gradients["x"] == pytest.approx(dx, rel=1e-10)
    assert result.gradients["y"] == pytest.approx(dy, rel=1e-10)
    numeric = centered_gradients(text, values, expand=expand)
    assert relative_error(result.gradients["x"], numeric["x"]) < 1e-6
    assert relative_error(result.gradients["y"], numeric["y"]) < 1e-6


def test_staged_program_names_its_intermediates() -> None:
    result = evaluate(STAGED, {"x": 3, "y": -4})
    names = {n["name"] for n in result.nodes if n["name"]}
    assert {"sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f"} <= names
    assert node_of(result, "f")["id"] == result.output
    assert node_of(result, "invden")["op"] == "recip"


# --- the seed's examples ----------------------------------------------------------------------


def test_ratio_gradient_is_the_sum_of_two_paths() -> None:
    x, y = 1.0, 2.0
    result = evaluate("(x+y)/(2x+3y)", {"x": x, "y": y})
    numerator, denominator = x + y, 2 * x + 3 * y
    through_numerator = 1 / denominator
    through_denominator = -numerator * 2 / denominator**2
    assert result.value == pytest.approx(3 / 8)
    assert result.gradients["x"] == pytest.approx(through_numerator + through_denominator)
    assert result.gradients["y"] == pytest.approx(1 / denominator - numerator * 3 / denominator**2)
    x_node = node_of(result, "x")
    wires = edges_from(result, str(x_node["id"]))
    assert len(wires) == 2  # one node, two outgoing wires
    assert sorted(float(w["grad"]) for w in wires) == pytest.approx(  # type: ignore[arg-type]
        sorted([through_numerator, through_denominator]))
    targets = {n["id"]: n["op"] for n in result.nodes}
    by_target = {targets[w["target"]]: w["grad"] for w in wires}
    assert by_target["add"] == pytest.approx(through_numerator)
    assert by_target["mul"] == pytest.approx(through_denominator)


def test_polynomial_gradient_at_two() -> None:
    result = evaluate("3x^2+6x", {"x": 2})
    assert result.value == 24.0
    assert result.gradients["x"] == pytest.approx(18.0)


@pytest.mark.parametrize(("x", "y", "gx", "gy"), [(3, 1, 1, 0), (1, 3, 0, 1), (-1, -5, 1, 0)])
def test_max_routes_to_the_larger_input(x: float, y: float, gx: float, gy: float) -> None:
    result = evaluate("max(x,y)", {"x": x, "y": y})
    assert result.value == max(x, y)
    assert result.gradients == {"x": gx, "y": gy}


def test_min_routes_to_the_smaller_input() -> None:
    assert evaluate("min(x,y)", {"x": 3, "y": 1}).gradients == {"x": 0.0, "y": 1.0}


# --- kinks, as PyTorch ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("relu(x)", 0.0), ("abs(x)", 0.0), ("max(0, x)", 0.5), ("min(0, x)", 0.5),
    ("max(x, x)", 1.0), ("relu(x) + relu(-x)", 0.0),
])
def test_gradients_at_kinks_follow_pytorch(text: str, expected: float) -> None:
    assert evaluate(text, {"x": 0}).gradients["x"] == expected


def test_max_tie_splits_the_gradient_equally() -> None:
    assert evaluate("max(x,y)", {"x": 2, "y": 2}).gradients == {"x": 0.5, "y": 0.5}


def test_tensor_kinks_element_by_element() -> None:
    result = evaluate("sum(relu(x) + abs(x) + max(x, y))", {"x": [-1, 0, 2], "y": [0, 0, 0]})
    np.testing.assert_array_equal(result.gradients["x"], [-1 + 0, 0 + 0 + 0.5, 1 + 1 + 1])
    np.testing.assert_array_equal(result.gradients["y"], [1, 0.5, 0])


# --- non-finite values are kept and reported ----------------------------------------------------


@pytest.mark.parametrize(("text", "value", "json_value"), [
    ("log(x)", -math.inf, "-Infinity"),
    ("1/x", math.inf, "Infinity"),
    ("x/x", math.nan, "NaN"),
    ("sqrt(x - 1)", math.nan, "NaN"),
])
def test_non_finite_values_are_kept_and_reported(text: str, value: float, json_value: str) -> None:
    result = evaluate(text, {"x": 0})
    if math.isnan(value):
        assert math.isnan(result.value)
    else:
        assert result.value == value
    assert result.output in result.nonfinite_nodes
    payload = result.to_dict()
    assert payload["value"] == json_value
    # Named as the diagram shows it (its short formula), never by its id (issue 12).
    output_ref = references(result.circuit).text[result.circuit.output]
    assert any(w.startswith("not finite") and w.endswith(output_ref) for w in payload["warnings"])
    assert not any(result.output in w for w in payload["warnings"])
    json.dumps(payload, allow_nan=False)  # strictly valid JSON
    out_node = next(n for n in payload["nodes"] if n["id"] == result.output)
    assert out_node["nonfinite"] is True


def test_non_finite_tensor_values_become_strings_element_by_element() -> None:
    payload = evaluate("log(x)", {"x": [0, 1, -1]}).to_dict()
    assert payload["value"] == ["-Infinity", 0.0, "NaN"]
    json.dumps(payload, allow_nan=False)


def test_power_overflow_is_inf_not_an_error() -> None:
    assert evaluate("x^y", {"x": 10, "y": 400}).value == math.inf
    assert evaluate("exp(x)", {"x": 1000}).value == math.inf


def test_finite_result_reports_nothing_non_finite() -> None:
    result = evaluate("x*y", {"x": 2, "y": 3})
    assert result.nonfinite_nodes == []
    assert not any("finite" in w for w in result.to_dict()["warnings"])


# --- fan-out, per-wire gradients, the seed ------------------------------------------------------


@pytest.mark.parametrize(("text", "values"), [
    ("x*x + x", {"x": 1.5}),
    ("(x+y)/(2x+3y)", {"x": 1, "y": 2}),
    ("q = x*y\nf = q + q*q + exp(q)", {"x": 0.3, "y": -0.7}),
    ("sum(W@x + W@x)", {"W": [[1, 2], [3, 4]], "x": [0.5, -1]}),
    ("sum(x*b + b)", {"x": [[1, 2], [3, 4]], "b": [1, -1]}),
    (SIGMOID_NEURON_CALL + " * w0", NEURON_VALUES),
])
@pytest.mark.parametrize("expand", [False, True])
def test_wire_gradients_sum_to_node_gradients(text: str, values: dict[str, object],
                                              expand: bool) -> None:
    result = evaluate(text, values, expand=expand)
    for node in result.nodes:
        wires = edges_from(result, str(node["id"]))
        if not wires or node["id"] == result.output or node["grad"] is None:
            continue
        total = sum(np.asarray(w["grad"]) for w in wires)
        np.testing.assert_allclose(total, node["grad"], rtol=1e-12, atol=1e-15)
        for wire in wires:  # each wire's gradient has its source's shape
            assert np.shape(wire["grad"]) == tuple(node["shape"])  # type: ignore[arg-type]


def test_wire_gradient_is_summed_over_broadcasting() -> None:
    result = evaluate("sum(x*b)", {"x": [[1, 2], [3, 4]], "b": [10, 20]})
    b_node = node_of(result, "b")
    [wire] = edges_from(result, str(b_node["id"]))
    np.testing.assert_array_equal(wire["grad"], [4, 6])
    np.testing.assert_array_equal(result.gradients["b"], [4, 6])


def test_seed_gradient_scales_every_gradient() -> None:
    result = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4}, seed_grad=2.5)
    assert result.gradients == {"x": -10.0, "y": -10.0, "z": 7.5}


def test_tensor_seed_gradient() -> None:
    result = evaluate("x*y", {"x": [1, 2], "y": [3, 4]}, seed_grad=[1, -1])
    np.testing.assert_array_equal(result.gradients["x"], [3, -4])
    np.testing.assert_array_equal(result.gradients["y"], [1, -2])


def test_tensor_output_default_seed_is_ones() -> None:
    np.testing.assert_array_equal(evaluate("x*3", {"x": [1, 2]}).gradients["x"], [3, 3])


def test_unused_named_intermediate_has_zero_gradient() -> None:
    result = evaluate("q = exp(x)\nf = 2y", {"x": 1, "y": 1})
    assert result.gradients == {"x": 0.0, "y": 2.0}


def test_constant_only_expression() -> None:
    result = evaluate("2^-1 + pi - e")
    assert result.value == pytest.approx(0.5 + math.pi - math.e)
    assert result.gradients == {}


# --- steps --------------------------------------------------------------------------------------


def test_steps_forward_in_order_then_backward_in_reverse() -> None:
    result = evaluate("q = x + y\nf = q * z", {"x": -2, "y": 5, "z": -4})
    ids = [n["id"] for n in result.nodes]
    steps = result.steps
    assert [s["node"] for s in steps if s["phase"] == "forward"] == ids
    assert [s["node"] for s in steps if s["phase"] == "backward"] == ids[::-1]
    assert [s["phase"] for s in steps] == ["forward"] * len(ids) + ["backward"] * len(ids)
    texts = {(s["phase"], s["node"]): s["text"] for s in steps}
    f_id = node_of(result, "f")["id"]
    q_id = node_of(result, "q")["id"]
    backward_f = texts[("backward", f_id)]
    assert "mul" in backward_f and "-4 × 1 = -4" in backward_f and "swap" in backward_f
    assert "3 × 1 = 3" in backward_f
    assert "distributes" in texts[("backward", q_id)]
    assert "= 3" in texts[("forward", q_id)]


def test_max_step_names_routing() -> None:
    result = evaluate("max(x, y)", {"x": 1, "y": 2})
    [step] = [s for s in result.steps if s["phase"] == "backward" and s["node"] == result.output]
    assert "routes" in step["text"]


def test_to_dict_matches_the_api_contract() -> None:
    payload = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4, "w": 1}).to_dict()
    assert payload["value"] == -12.0
    assert payload["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    ids = [n["id"] for n in payload["nodes"]]
    assert ids == [f"n{i}" for i in range(len(ids))]
    assert payload["output"] == ids[-1]
    position = {node_id: i for i, node_id in enumerate(ids)}
    for node in payload["nodes"]:
        assert {"id", "op", "label", "inputs", "value", "grad", "shape"} <= set(node)
        assert all(position[i] < position[node["id"]] for i in node["inputs"])
    edge_ids = [e["id"] for e in payload["edges"]]
    assert edge_ids == [f"e{i}" for i in range(len(edge_ids))]
    for edge in payload["edges"]:
        assert {"id", "source", "target", "value", "grad"} <= set(edge)
    assert any("'w'" in w for w in payload["warnings"])
    json.dumps(payload, allow_nan=False)
