"""The lesson on the page, in headless Chromium: the chain rule drawn at each backward gate,
the typeset step, and the language switch (issue 10).

Screenshots of the neuron's backward steps, in English and in 简体中文, go to
test-artifacts/e2e/lesson-*.png for a person to compare with the CS231n figure.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import screenshot, wait_for_new_circuit

pytestmark = pytest.mark.e2e

NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}  # CS231n's w and x

# Worked by hand from the CS231n notes (σ(1) = 0.7311, (1 - 0.7311) × 0.7311 = 0.1966; the
# expanded circuit's 1/x, +1, exp and *-1 gates give -0.5344, -0.5344, -0.1966, 0.1966): for
# each backward gate step, in order, the gate, its upstream gradient, and the local gradient
# on the wire from each input (named by the diagram's label of the wire's source).
COLLAPSED = [
    ("sigmoid", "1", {"+": "0.1966"}),
    ("add", "0.1966", {"+": "1", "w2": "1"}),
    ("add", "0.1966", {"*": "1"}),  # both inputs are * gates: one local 1 on each
    ("mul", "0.1966", {"w1": "-2", "x1": "-3"}),
    ("mul", "0.1966", {"w0": "-1", "x0": "2"}),
]
EXPANDED = [
    ("recip", "1", {"+": "-0.5344"}),
    ("add", "-0.5344", {"exp": "1"}),  # the other input is the constant 1: no gradient
    ("exp", "-0.5344", {"*-1": "0.3679"}),
    ("neg", "-0.1966", {"+": "-1"}),
    *COLLAPSED[1:],
]


def _url(expand: bool, step: int = 0, lang: str = "en") -> str:
    values = quote(json.dumps(NEURON_VALUES))
    query = f"/?expr={quote('sigmoid(w0*x0+w1*x1+w2)')}&values={values}&step={step}&lang={lang}"
    return query + ("&expand=1" if expand else "")


def _active_gate(page: Any) -> tuple[str, str]:
    gate = page.locator(".gate--active")
    return str(gate.get_attribute("data-node")), str(gate.get_attribute("data-op"))


def _source_label(page: Any, wire: str) -> str:
    source = page.get_attribute(f'[data-wire="{wire}"]', "data-source")
    node = page.locator(f'[data-node="{source}"]')
    return str(node.get_attribute("data-name") or node.locator("text").first.text_content())


def _step_forward_to_backward(page: Any) -> None:
    """From step 0, press Next through the forward pass."""
    forward = len(page.locator("[data-node]").all())
    for _ in range(forward):
        page.get_by_test_id("next").click()


@pytest.mark.parametrize(("expand", "expected"), [(False, COLLAPSED), (True, EXPANDED)],
                         ids=["collapsed", "expanded"])
def test_each_backward_gate_shows_upstream_and_local_gradients(
        make_page: Any, expand: bool, expected: list[tuple[str, str, dict[str, str]]]) -> None:
    page = make_page(_url(expand))
    _step_forward_to_backward(page)
    gates = iter(expected)
    index = 0
    while page.get_by_test_id("next").is_enabled():
        page.get_by_test_id("next").click()
        node, op = _active_gate(page)
        if op in ("input", "const"):
            continue
        gate, upstream, locals_ = next(gates)
        index += 1
        assert op == gate, (index, op)
        # The upstream gradient: boxed where it arrives at the gate, with its number.
        box = page.get_by_test_id("chain-upstream")
        assert box.count() == 1 and box.get_attribute("data-value") == upstream
        # One local gradient per input wire that carries a gradient, on that wire.
        shown: dict[str, list[str]] = {}
        for pill in page.get_by_test_id("chain-local").all():
            wire = str(pill.get_attribute("data-wire"))
            assert page.get_attribute(f'[data-wire="{wire}"]', "data-target") == node
            shown.setdefault(_source_label(page, wire), []).append(str(pill.text_content()))
            assert pill.get_attribute("data-value") in str(pill.text_content())
        want = {label: [f"local {value}"] for label, value in locals_.items()}
        if op == "add" and list(locals_) == ["*"]:
            want = {"*": ["local 1", "local 1"]}
        assert shown == want, (index, op, shown)
        # The products land as the wires' gradients: local × upstream, underlined.
        products = page.locator(".chain-product")
        assert products.count() == sum(len(v) for v in want.values())
        math = page.get_by_test_id("explanation-math")
        page.wait_for_function(
            "el => el.dataset.typeset === '1'", arg=math.element_handle())
        assert math.locator(".katex").count() >= 1
        screenshot(page, f"lesson-neuron-{'expanded' if expand else 'collapsed'}-en-{index}")
    assert next(gates, None) is None, "every gate of the neuron was stepped"
    assert page.problems.unexpected() == []


def test_the_sigmoid_step_says_the_notes_numbers(make_page: Any) -> None:
    page = make_page(_url(False, step=11))
    text = page.get_by_test_id("explanation-text").text_content() or ""
    assert "(1 - σ)·σ = (1 - 0.7311) × 0.7311 = 0.2689 × 0.7311 = 0.1966" in text
    math = page.get_by_test_id("explanation-math")
    page.wait_for_function("el => el.dataset.typeset === '1'", arg=math.element_handle())
    # KaTeX writes MathML beside its HTML: the typeset line holds the same numbers.
    assert "0.2689" in (math.text_content() or "") and "0.1966" in (math.text_content() or "")


def test_switching_to_chinese_keeps_the_step(make_page: Any) -> None:
    page = make_page(_url(True, step=18))
    before = page.get_by_test_id("explanation-text").text_content() or ""
    assert "local gradient" in before
    revision = int(page.get_attribute('[data-testid="diagram"]', "data-revision") or 0)
    page.get_by_test_id("lang").select_option("zh-CN")
    wait_for_new_circuit(page, revision)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=explanation-text]').textContent"
        ".includes('局部梯度')")
    assert page.get_attribute('[data-testid="diagram"]', "data-position") == "18"
    page.wait_for_url(re.compile(r"[?&]lang=zh-CN"))  # the link keeps the language
    after = page.get_by_test_id("explanation-text").text_content() or ""
    # The same step: the same numbers, in the other language's words.
    numbers = re.compile(r"-?\d+\.\d+")
    assert numbers.findall(after) == numbers.findall(before)
    assert "上游梯度" in after
    pills = [p.text_content() for p in page.get_by_test_id("chain-local").all()]
    assert pills and all(str(p).startswith("局部梯度") for p in pills)
    assert page.get_by_test_id("chain-upstream").locator("text").text_content() == "上游梯度"
    assert page.problems.unexpected() == []


@pytest.mark.parametrize("expand", [False, True], ids=["collapsed", "expanded"])
def test_chinese_screenshots_of_the_backward_steps(make_page: Any, expand: bool) -> None:
    page = make_page(_url(expand, lang="zh-CN"))
    _step_forward_to_backward(page)
    index = 0
    while page.get_by_test_id("next").is_enabled():
        page.get_by_test_id("next").click()
        if _active_gate(page)[1] in ("input", "const"):
            continue
        index += 1
        math = page.get_by_test_id("explanation-math")
        page.wait_for_function("el => el.dataset.typeset === '1'", arg=math.element_handle())
        assert "局部梯度" in (page.get_by_test_id("explanation-text").text_content() or "")
        screenshot(page, f"lesson-neuron-{'expanded' if expand else 'collapsed'}-zh-CN-{index}")
    assert index == (len(EXPANDED) if expand else len(COLLAPSED))
    assert page.problems.unexpected() == []


def test_tensor_gradients_open_from_the_done_line(make_page: Any) -> None:
    values = quote(json.dumps({"W": [[1, -2, 0.5], [3, 0, -1]], "x": [2, -1, 4]}))
    page = make_page(f"/?expr={quote('sum(W@x)')}&values={values}&step=8")
    summary = page.get_by_test_id("summary")
    assert "∂f/∂W [2×3]" in (summary.text_content() or "")
    tensor = summary.locator("details.summary-tensor").first
    tensor.locator("summary").click()
    cells = [c.text_content() for c in tensor.locator("td").all()]
    assert cells == ["2", "-1", "4", "2", "-1", "4"]
    screenshot(page, "lesson-tensor-done")
