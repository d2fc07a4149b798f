"""The lesson's words: the CS231n numbers, the cases the issue named, the op table's rows."""

from __future__ import annotations

import re
from typing import Any

import pytest

from circuitgrad import evaluate
from circuitgrad.lang import LANGUAGES
from circuitgrad.ops import REGISTRY, SCALAR
from circuitgrad.ops.words import Say, compile_template, slots_of

NEURON = "sigmoid(w0*x0 + w1*x1 + w2)"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}  # CS231n's w, x


def _backward(result: Any, **where: str) -> dict[str, Any]:
    """The backward step of the node whose fields match `where` (op=..., label=...)."""
    node = next(n for n in result.nodes if all(n[k] == v for k, v in where.items()))
    return next(s for s in result.steps if s["phase"] == "backward" and s["node"] == node["id"])


def test_the_collapsed_sigmoid_shows_the_notes_local_gradient() -> None:
    # CS231n: the sigmoid's output 0.73, local gradient (1 - 0.73) × 0.73 ≈ 0.2.
    result = evaluate(NEURON, NEURON_VALUES)
    step = _backward(result, op="sigmoid")
    assert "(1 - σ)·σ = (1 - 0.7311) × 0.7311 = 0.2689 × 0.7311 = 0.1966" in step["text"]
    assert "local × upstream = 0.1966 × 1 = 0.1966" in step["text"]
    assert step["upstream"] == 1.0
    [local] = step["locals"].values()
    assert local == pytest.approx(0.19661193324148185)
    zh = _backward(evaluate(NEURON, NEURON_VALUES, lang="zh-CN"), op="sigmoid")["text"]
    assert "局部梯度" in zh and "上游梯度" in zh and "0.2689 × 0.7311 = 0.1966" in zh


def test_the_expanded_neuron_walks_the_notes_figure() -> None:
    # The CS231n figure: 1/x gives -0.53, +1 passes -0.53, exp gives -0.20, *-1 gives 0.20.
    result = evaluate(NEURON, NEURON_VALUES, expand=True)
    recip = _backward(result, op="recip")["text"]
    assert "-1/(1 + exp(…))² = -1/1.368² = -0.5344" in recip
    assert "-0.5344 × 1 = -0.5344" in recip
    exp = _backward(result, op="exp")["text"]
    assert "exp(-1) = 0.3679" in exp and "0.3679 × (-0.5344) = -0.1966" in exp
    neg = _backward(result, op="neg")["text"]
    assert "-1 × (-0.1966) = 0.1966" in neg
    mul = _backward(result, op="mul", inputs=["n0", "n1"])["text"]  # w0 × x0
    assert "∂f/∂w0 += local × upstream = -1 × 0.1966 = -0.1966" in mul
    assert "∂f/∂x0 += local × upstream = 2 × 0.1966 = 0.3932" in mul
    assert not any(re.search(r"\bn\d+\b", s["text"]) for s in result.steps)


def test_a_fan_out_sums_its_wires_and_no_wire_claims_the_total() -> None:
    result = evaluate("x*x + x", {"x": 3})
    texts = [s["text"] for s in result.steps if s["phase"] == "backward"]
    assert "x feeds 3 wires, so its gradient is their sum: ∂f/∂x = 3 + 3 + 1 = 7" in texts[-1]
    mul = _backward(result, op="mul")["text"]
    assert mul.count("∂f/∂x += local × upstream = 3 × 1 = 3") == 2
    assert "x (first wire)" in mul and "x (second wire)" in mul
    totals = [m for text in texts for m in re.findall(r"∂f/∂x = ([^;。]*?)(?:\. |\.$|$)", text)]
    assert totals == ["3 + 3 + 1 = 7"]  # the only total of x is its own sum
    zh = evaluate("x*x + x", {"x": 3}, lang="zh-CN").steps[-1]["text"]
    assert "x 连出 3 条线" in zh and "∂f/∂x = 3 + 3 + 1 = 7" in zh


def test_substituted_negatives_are_bracketed() -> None:
    staged = evaluate("q = -y\nr = (x + y)^2\nf = q + r", {"x": 3, "y": -4})
    forward = [s["text"] for s in staged.steps if s["phase"] == "forward"]
    assert any("-y = -(-4) = 4" in text for text in forward)
    assert any("(x + y) ^ 2 = (-1) ^ 2 = 1" in text for text in forward)
    power = _backward(staged, op="pow")["text"]
    assert "2·(x + y)^(2 - 1) = 2 × (-1)^(2 - 1) = -2" in power
    assert "local × upstream = -2 × 1 = -2" in power
    negate = evaluate("exp(-x)", {"x": 3})
    assert "∂f/∂(-x) += " in _backward(negate, op="exp")["text"]
    assert "2 × (-3)" in evaluate("2*x", {"x": -3}).steps[2]["text"]


def test_a_tie_splits_and_says_so() -> None:
    result = evaluate("max(x, y)", {"x": 2, "y": 2})
    step = _backward(result, op="max")
    assert list(step["locals"].values()) == [0.5, 0.5]
    assert step["text"].count("a tie, so the gradient splits, 0.5 each") == 2
    assert step["text"].count("local × upstream = 0.5 × 1 = 0.5") == 2
    zh = _backward(evaluate("max(x, y)", {"x": 2, "y": 2}, lang="zh-CN"), op="max")["text"]
    assert "梯度平分" in zh
    routed = _backward(evaluate("max(x, y)", {"x": 1, "y": 2}), op="max")["text"]
    assert "here 1 < 2, so it is 0" in routed and "here 2 > 1, so it is 1" in routed


def test_a_wire_from_a_constant_carries_no_local_gradient() -> None:
    step = _backward(evaluate("2*x", {"x": 5}), op="mul")
    assert len(step["locals"]) == 1 and list(step["locals"].values()) == [2.0]


@pytest.mark.parametrize("text,values", [
    ("(x+y)*z", {"x": -2, "y": 5, "z": -4}),
    ("sigmoid(w0*x0 + w1*x1 + w2)", NEURON_VALUES),
    ("x^y + log(y) / sqrt(x) - tanh(x*y) + abs(y - x)", {"x": 1.3, "y": 0.7}),
    ("relu(x) + max(x, y) * min(y, 2) + sin(x) * cos(y) + 1/x", {"x": 0.4, "y": -1.2}),
])
def test_locals_are_the_gates_derivatives(text: str, values: dict[str, float]) -> None:
    """Every local gradient is the gate's own derivative (centered differences), and
    local × upstream is the wire's gradient."""
    result = evaluate(text, values, expand=True)
    nodes = result.nodes
    edges = {e["id"]: e for e in result.edges}
    h = 1e-6
    for step in result.steps:
        if step["phase"] != "backward" or not step["locals"]:
            continue
        node = next(n for n in nodes if n["id"] == step["node"])
        inputs = [next(n["value"] for n in nodes if n["id"] == i) for i in node["inputs"]]
        forward = REGISTRY[node["op"]].forward
        for wire, local in step["locals"].items():
            port = edges[wire]["port"]
            up, down = list(inputs), list(inputs)
            up[port] += h
            down[port] -= h
            slope = (forward(SCALAR, *up) - forward(SCALAR, *down)) / (2 * h)
            assert local == pytest.approx(slope, rel=1e-5, abs=1e-7), (node["op"], port)
            assert local * step["upstream"] == pytest.approx(edges[wire]["grad"], rel=1e-12)


def test_every_row_has_its_words_in_every_language() -> None:
    allowed_fixed = {"out", "g"}
    for primitive in REGISTRY.values():
        words = primitive.words
        assert words.name.en and words.name.zh, primitive.name
        assert re.search(r"[\u4e00-\u9fff]", words.name.zh) or words.name.zh.isascii()
        if words.pattern is not None:
            assert re.search(r"[\u4e00-\u9fff]", words.pattern.zh), primitive.name
        operands = {str(k) for k in range(primitive.arity)}
        assert slots_of(words.formula) <= operands and slots_of(words.latex) <= operands
        for local in words.local:
            phrases = [local.symbolic, local.numeric, *local.cases]
            templates = [local.latex, local.numeric_latex, *local.cases_latex]
            for phrase in phrases:
                for lang in LANGUAGES:
                    text = phrase if isinstance(phrase, str) else phrase(lang)
                    templates.append(text)
                if isinstance(phrase, Say):
                    assert re.search(r"[\u4e00-\u9fff]", phrase.zh), (primitive.name, phrase)
            for template in templates:
                compile_template(template)
                extra = slots_of(template) - operands - allowed_fixed
                assert all(re.fullmatch(r"d\d+", s) for s in extra), (primitive.name, template)
                if any(s.startswith("d") for s in slots_of(template)):
                    assert local.derived is not None, (primitive.name, template)
            assert len(local.cases) == len(local.cases_latex), primitive.name
            assert (local.case is None) == (not local.cases), primitive.name


def test_lang_must_be_a_language_we_speak() -> None:
    with pytest.raises(ValueError, match="zh-CN"):
        evaluate("x", {"x": 1}, lang="fr")  # type: ignore[arg-type]
