"""The circuit page in headless Chromium against a real server (issue 4).

Each test saves a screenshot under test-artifacts/e2e/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import revision, screenshot, wait_for_new_circuit

pytestmark = pytest.mark.e2e

NEURON = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
NEURON_GRADIENTS = {
    "w0": "-0.1966",
    "x0": "0.3932",
    "w1": "-0.3932",
    "x1": "-0.5898",
    "w2": "0.1966",
}


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def enter_expression(page: Any, text: str) -> None:
    """Type an expression, press Enter, and wait for its circuit."""
    before = revision(page)
    box = page.get_by_test_id("expression")
    box.fill(text)
    box.press("Enter")
    wait_for_new_circuit(page, before)


def set_values(page: Any, values: dict[str, float]) -> None:
    """Type each input's value into its field and press Enter."""
    for name, value in values.items():
        field = page.get_by_test_id(f"value-{name}")
        field.fill(str(value))
        field.press("Enter")


def node_id(page: Any, name: str) -> str:
    """The API's id of the input (or named node) called `name`."""
    return str(page.get_attribute(f'[data-node][data-name="{name}"]', "data-node"))


def input_gradient(page: Any, name: str) -> Any:
    """The gradient label on the (first) wire leaving an input."""
    source = node_id(page, name)
    return page.locator(f'[data-edge][data-source="{source}"] .wire__grad').first


def position(page: Any) -> int:
    return int(page.get_attribute('[data-testid="diagram"]', "data-position") or 0)


def test_cs231n_circuit_step_to_the_end(make_page: Any) -> None:
    page = make_page('/?expr=a*b&values={"a":1,"b":2}')
    enter_expression(page, "(x+y)*z")
    set_values(page, {"x": -2, "y": 5, "z": -4})
    check = expect()
    next_button = page.get_by_test_id("next")
    steps = 0
    while next_button.is_enabled():
        next_button.click()
        steps += 1
        assert steps <= 10, "(x+y)*z has 5 forward and 5 backward steps"
    check(next_button).to_be_disabled()
    assert steps == 10
    check(page.get_by_test_id("output-value")).to_have_text("-12")
    check(page.get_by_test_id("output-grad")).to_have_text("1")
    check(input_gradient(page, "x")).to_have_text("-4")
    check(input_gradient(page, "y")).to_have_text("-4")
    check(input_gradient(page, "z")).to_have_text("3")
    # Gates are circles with their symbols; every wire shows a value above and a gradient below.
    symbols = page.locator("[data-node] .gate__symbol").all_text_contents()
    assert sorted(symbols) == ["*", "+"]
    check(page.locator("[data-edge]")).to_have_count(4)
    check(page.get_by_test_id("explanation")).to_contain_text("∂f/∂x")
    screenshot(page, "cs231n-end")
    # A new value for the same circuit: the numbers change, the step stays where it was.
    set_values(page, {"x": 1})
    check(page.get_by_test_id("output-value")).to_have_text("-24")
    check(input_gradient(page, "z")).to_have_text("6")
    assert position(page) == 10
    # Values only, gradients only.
    page.get_by_label("Values").check()
    check(input_gradient(page, "x")).to_be_hidden()
    page.get_by_label("Gradients").check()
    check(input_gradient(page, "x")).to_be_visible()
    check(page.get_by_test_id("output-value")).to_be_hidden()
    assert page.problems.unexpected() == []


def test_sigmoid_neuron_gradients(make_page: Any) -> None:
    page = make_page("/")
    enter_expression(page, NEURON)
    set_values(page, NEURON_VALUES)
    page.get_by_test_id("last").click()
    check = expect()
    check(page.get_by_test_id("next")).to_be_disabled()
    check(page.get_by_test_id("output-value")).to_have_text("0.7311")
    for name, gradient in NEURON_GRADIENTS.items():
        check(input_gradient(page, name)).to_have_text(gradient)
    # At 1280×800 the circuit has most of the width and its numbers are drawn big enough to read.
    width = page.get_by_test_id("diagram").bounding_box()["width"]
    assert width >= 0.65 * 1280
    heights = page.eval_on_selector_all(
        "[data-edge] .wire__grad", "labels => labels.filter(l => l.textContent.trim())"
        ".map(l => l.getBoundingClientRect().height)")
    assert min(heights) >= 9, f"gradient labels {min(heights):.1f} px tall: too small to read"
    # Jumping to the last step (the first input active) keeps the whole circuit in view.
    frame = page.get_by_test_id("diagram").bounding_box()
    for testid in ("output-value", "output-grad"):
        box = page.get_by_test_id(testid).bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    first = page.locator(f'[data-node="{node_id(page, "w0")}"]').bounding_box()
    assert first["x"] >= frame["x"]
    screenshot(page, "sigmoid-neuron")
    assert page.problems.unexpected() == []


def test_syntax_error_shows_a_caret(make_page: Any) -> None:
    page = make_page("/")
    check = expect()
    box = page.get_by_test_id("expression")
    error = page.get_by_test_id("error")
    box.fill("x+*y")
    box.press("Enter")
    check(error).to_be_visible()
    check(page.get_by_test_id("error-caret")).to_have_text("  ^")  # under the '*', offset 2
    page.wait_for_function("() => document.activeElement.selectionStart === 2")
    box.fill("(x+y")
    box.press("Enter")
    check(error).to_contain_text("(x+y")
    check(page.get_by_test_id("error-caret")).to_have_text("^")  # the '(' at offset 0
    check(box).to_have_attribute("aria-invalid", "")
    screenshot(page, "syntax-error")
    # Fixing the text clears the error and draws again.
    enter_expression(page, "(x+y)*z")
    check(error).to_be_hidden()
    assert page.problems.unexpected(allowed_statuses=(400, 422)) == []


def test_shared_url_restores_the_state(make_page: Any) -> None:
    page = make_page("/")
    enter_expression(page, "q = x + y\nf = q * z")
    set_values(page, {"x": 3, "y": -1, "z": 2})
    page.get_by_test_id("speed").select_option("8")
    for _ in range(7):
        page.get_by_test_id("next").click()
    check = expect()
    check(page.get_by_test_id("diagram")).to_have_attribute("data-position", "7")
    page.wait_for_url(re.compile(r"step=7"))
    page.wait_for_url(re.compile(r"speed=8"))
    page.wait_for_function("() => location.search.includes('%22z%22%3A2')")
    link = page.url
    explanation = page.get_by_test_id("explanation").text_content() or ""
    query = parse_qs(urlparse(link).query)
    assert query["expr"] == ["q = x + y\nf = q * z"]

    again = page.context.new_page()
    again.goto(link)
    again.wait_for_selector("#app[data-status='ready']")
    check(again.get_by_test_id("expression")).to_have_value("q = x + y\nf = q * z")
    check(again.get_by_test_id("value-x")).to_have_value("3")
    check(again.get_by_test_id("value-y")).to_have_value("-1")
    check(again.get_by_test_id("value-z")).to_have_value("2")
    check(again.get_by_test_id("diagram")).to_have_attribute("data-position", "7")
    check(again.get_by_test_id("speed")).to_have_value("8")
    check(again.get_by_test_id("explanation")).to_have_text(explanation)
    # The named intermediate labels its wire, above the value it carries.
    check(again.locator("[data-edge] .wire__name")).to_contain_text(["q"])
    screenshot(again, "shared-url")
    assert page.problems.unexpected() == []


def test_keys_step(make_page: Any) -> None:
    page = make_page('/?expr=(x%2By)*z&values={"x":-2,"y":5,"z":-4}')
    check = expect()
    diagram = page.get_by_test_id("diagram")
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    check(diagram).to_have_attribute("data-position", "3")
    check(page.locator(".gate--active")).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    check(diagram).to_have_attribute("data-position", "2")
    page.keyboard.press("End")
    check(diagram).to_have_attribute("data-position", "10")
    check(page.get_by_test_id("next")).to_be_disabled()
    check(page.get_by_test_id("output-value")).to_have_text("-12")
    screenshot(page, "keys-end")
    page.keyboard.press("Home")
    check(diagram).to_have_attribute("data-position", "0")
    check(page.get_by_test_id("prev")).to_be_disabled()
    # Space plays: the position advances on its own; Space again pauses.
    page.keyboard.press(" ")
    check(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => Number(document.querySelector('[data-testid=diagram]')"
                           ".dataset.position) >= 1")
    page.keyboard.press(" ")
    check(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    # Zoom in and back to the whole circuit.
    view_box = diagram.get_attribute("viewBox") or ""
    page.locator("#zoom-in").click()
    zoomed = diagram.get_attribute("viewBox") or ""
    assert float(zoomed.split()[2]) < float(view_box.split()[2])
    page.locator("#zoom-fit").click()
    check(diagram).to_have_attribute("viewBox", view_box)
    # Arrow keys inside the expression box move the caret, not the step.
    paused_at = position(page)
    page.get_by_test_id("expression").focus()
    page.keyboard.press("ArrowRight")
    assert position(page) == paused_at
    assert page.problems.unexpected() == []


def test_phone_sized_screen(make_page: Any) -> None:
    page = make_page(f"/?expr={NEURON.replace('+', '%2B')}&values="
                     '{"w0":2,"x0":-1,"w1":-3,"x1":-2,"w2":-3}&step=999',
                     viewport={"width": 390, "height": 844})
    check = expect()
    check(page.get_by_test_id("output-value")).to_have_text("0.7311")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "no sideways scrolling on a phone"

    def top(testid: str) -> float:
        return float(page.get_by_test_id(testid).bounding_box()["y"])

    # The expression, then the circuit, then the inputs; the lab (closed) last.
    assert top("expression") < top("diagram") < top("inputs")
    check(page.get_by_test_id("lab")).to_be_hidden()
    page.get_by_test_id("diagram").scroll_into_view_if_needed()
    screenshot(page, "phone")
    page.get_by_test_id("lab-toggle").click()
    check(page.get_by_test_id("lab")).to_be_visible()
    # The open lab is a tab: it stands where the circuit stood, before the inputs.
    check(page.get_by_test_id("diagram")).to_be_hidden()
    assert top("expression") < top("lab") < top("inputs")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the open lab does not scroll sideways either"
    screenshot(page, "phone-lab")
    assert page.problems.unexpected() == []


def choose_example(page: Any, example_id: str) -> None:
    """Pick a built-in example from the menu and wait for its circuit."""
    page.wait_for_function("() => document.querySelectorAll('#examples option').length > 1")
    before = revision(page)
    page.get_by_test_id("examples").select_option(example_id)
    wait_for_new_circuit(page, before)


def test_examples_expand_tensors_and_exports(make_page: Any) -> None:
    page = make_page("/")
    check = expect()
    choose_example(page, "sigmoid-neuron")
    symbols = page.locator("[data-node] .gate__symbol")
    check(symbols.filter(has_text="σ")).to_have_count(1)
    gates_folded = symbols.count()
    before = revision(page)
    page.get_by_test_id("expand").check()
    wait_for_new_circuit(page, before)
    check(symbols.filter(has_text="exp")).to_have_count(1)
    assert symbols.count() > gates_folded, "expanding draws sigmoid's primitive gates"
    page.get_by_test_id("last").click()
    check(page.get_by_test_id("output-value")).to_have_text("0.7311")

    for fmt, opening in (("dot", b"digraph"), ("svg", b"<svg"), ("png", b"\x89PNG")):
        with page.expect_download() as download_info:
            page.get_by_test_id(f"export-{fmt}").click()
        download = download_info.value
        assert download.suggested_filename == f"circuit.{fmt}"
        content = Path(download.path()).read_bytes()
        assert opening in content[:400], f"{fmt} export starts like a {fmt} file"

    # A tensor circuit: wires show shapes, a grid edits the matrix, hovering shows the array.
    choose_example(page, "matmul-sum")
    page.get_by_test_id("last").click()
    check(page.locator(".tensor-grid__cell[data-input='W']")).to_have_count(6)
    # Beside each tensor input, what the circuit requires of it given the other: W's columns
    # must match x (any number of rows), x must have W's column count.
    check(page.get_by_test_id("hint-W")).to_have_text("[?×3]")
    check(page.get_by_test_id("hint-x")).to_have_text("[3]")
    # W's wire draws its 2×3 value and its 2×3 gradient as heatmaps (issue 12), with a key.
    w_label = page.locator(f'[data-edge][data-source="{node_id(page, "W")}"]')
    check(w_label.locator(".wire__grid--value .wire__cell")).to_have_count(6)
    check(w_label.locator(".wire__grid--grad .wire__cell")).to_have_count(6)
    check(page.locator(".heat-legend")).to_be_visible()
    w_label.locator(".wire__grid--value .wire__cell").first.hover()
    tooltip = page.locator("#tooltip")
    check(tooltip).to_be_visible()
    check(tooltip.locator("td")).to_have_count(12)  # the 2×3 value and its 2×3 gradient
    page.mouse.move(2, 2)
    check(tooltip).to_be_hidden()
    w_label.focus()  # the keyboard shows the same numbers
    check(tooltip).to_be_visible()
    check(tooltip.locator("td")).to_have_count(12)
    screenshot(page, "tensor-preview")
    assert page.problems.unexpected() == []


def test_a_slow_layout_does_not_block_the_next_circuit(make_page: Any) -> None:
    # x fanned out to 150 gates: Graphviz's network simplex takes minutes on it. The page
    # abandons a layout nobody waits for any more, so the next circuit is drawn in time.
    page = make_page("/")
    box = page.get_by_test_id("expression")
    box.fill("x" + "+x" * 150)
    box.press("Enter")
    page.wait_for_function("document.getElementById('app').dataset.status === 'loading'")
    page.wait_for_timeout(500)  # the answer is in; its layout is running
    before = revision(page)
    box.fill("a*b - c")  # a new structure: it needs a layout of its own
    box.press("Enter")
    wait_for_new_circuit(page, before)  # within the default 15 s
    assert page.locator("[data-node]").count() == 5
    assert page.problems.unexpected() == []
