"""Typing what learners type (issue 11), in headless Chromium against a real server: inputs
built from the circuit, errors at the field, the keyboard flow, and axe-core's audit.

Each test saves screenshots under test-artifacts/e2e/ for a person to look at, in English and
in 简体中文.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import ROOT, revision, screenshot, wait_for_new_circuit

pytestmark = pytest.mark.e2e

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def type_and_enter(page: Any, text: str, *, drawn: bool = True) -> None:
    """Type an expression into the box, press Enter, and wait for its circuit (or error)."""
    before = revision(page)
    box = page.get_by_test_id("expression")
    box.fill(text)
    box.press("Enter")
    if drawn:
        wait_for_new_circuit(page, before)
    else:
        page.wait_for_selector("#app[data-status='error']", state="attached")


def shape_of(value: Any) -> list[int]:
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0]
    return shape


def field_value(page: Any, name: str) -> Any:
    return json.loads(page.get_by_test_id(f"value-{name}").input_value())


def audit(page: Any, name: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    assert AXE.exists(), "npm ci installs axe-core (frontend/package.json devDependencies)"
    if not page.evaluate("() => Boolean(window.axe)"):
        # Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an
        # injected <script>, and the audit must see the page as it is served.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ['violations']});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    Path(ROOT / "test-artifacts" / "e2e").mkdir(parents=True, exist_ok=True)
    (ROOT / "test-artifacts" / "e2e" / f"axe-{name}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return [v for v in results if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_sum_w_at_x_typed_from_scratch(make_page: Any, lang: str) -> None:
    page = make_page(f"/?lang={lang}")
    check = expect()
    start_url = page.url
    type_and_enter(page, "sum(W@x)")
    w, x = field_value(page, "W"), field_value(page, "x")
    assert len(shape_of(w)) == 2 and shape_of(x) == [shape_of(w)[1]]
    check(page.locator(".tensor-grid__cell[data-input='W']")).to_have_count(
        shape_of(w)[0] * shape_of(w)[1])
    check(page.locator("[data-node][data-name='W']")).to_have_count(1)
    check(page.get_by_test_id("hint-x")).to_have_text(f"[{shape_of(w)[1]}]")
    page.get_by_test_id("last").click()
    check(page.get_by_test_id("output-value")).not_to_have_text("")
    screenshot(page, f"inputs-sum-w-at-x-{lang}")
    # Growing W by a column: x follows (keeping its numbers), and the hint says so.
    before = revision(page)
    page.get_by_test_id("add-column-W").click()
    wait_for_new_circuit(page, before)
    columns = shape_of(field_value(page, "W"))[1]
    assert shape_of(field_value(page, "x")) == [columns]
    assert field_value(page, "x")[:columns - 1] == x
    check(page.get_by_test_id("hint-x")).to_have_text(f"[{columns}]")
    # Growing x instead: the edited input wins, W gains the column.
    before = revision(page)
    page.get_by_test_id("add-column-x").click()
    wait_for_new_circuit(page, before)
    assert shape_of(field_value(page, "W"))[1] == columns + 1
    # Nobody touched the address bar to get here.
    assert urlparse(start_url).path == urlparse(page.url).path
    assert page.problems.unexpected() == []


def test_joined_names_get_a_suggestion_beside_their_input(make_page: Any) -> None:
    page = make_page("/")
    check = expect()
    type_and_enter(page, "1/(1+e^-(w0x0+w1x1+w2))")
    suggestion = page.get_by_test_id("suggestion-w0x0")
    check(suggestion).to_contain_text("did you mean w0*x0?")
    check(page.get_by_test_id("suggestion-w2")).to_have_count(0)
    # It sits in w0x0's row, and the field points screen readers at it.
    row = page.locator(".input-row[data-name='w0x0']")
    check(row.get_by_test_id("suggestion-w0x0")).to_be_visible()
    described = page.get_by_test_id("value-w0x0").get_attribute("aria-describedby") or ""
    assert "value-w0x0-suggestion" in described
    # e^u is the exp gate, as the docs promise.
    check(page.locator("[data-node][data-op='exp']")).to_have_count(1)
    screenshot(page, "inputs-joined-name")
    # The button writes the product.
    before = revision(page)
    suggestion.get_by_role("button").click()
    wait_for_new_circuit(page, before)
    check(page.get_by_test_id("expression")).to_have_value("1/(1+e^-(w0*x0+w1x1+w2))")
    check(page.get_by_test_id("value-w0")).to_be_visible()
    check(page.get_by_test_id("value-x0")).to_be_visible()
    assert page.problems.unexpected() == []


@pytest.mark.parametrize(("typed", "words"), [
    ("abc", "is not a number"), ("1/3", "0.3333"), ("NaN", "not a finite number"),
    ("1e309", "too large"),
])
def test_a_bad_value_is_reported_at_its_field_and_nothing_steps(make_page: Any, typed: str,
                                                                 words: str) -> None:
    page = make_page('/?expr=(x%2By)*z&values={"x":-2,"y":5,"z":-4}&step=3')
    check = expect()
    field = page.get_by_test_id("value-x")
    field.fill(typed)
    field.press("Enter")
    message = page.get_by_test_id("value-error-x")
    check(message).to_be_visible()
    check(message).to_contain_text("x")
    check(message).to_contain_text(words)
    check(field).to_have_attribute("aria-invalid", "true")
    assert "value-x-error" in (field.get_attribute("aria-describedby") or "")
    # Not at the expression; the circuit is marked out of date and cannot be stepped.
    check(page.get_by_test_id("error")).to_be_hidden()
    check(page.get_by_test_id("stale")).to_be_visible()
    check(page.get_by_test_id("stale")).to_contain_text("x")
    check(page.get_by_test_id("next")).to_be_disabled()
    check(page.get_by_test_id("play")).to_be_disabled()
    page.wait_for_function("() => !location.search.includes('step=')")
    if typed == "abc":
        screenshot(page, "inputs-bad-value")
    # Fixing it draws the circuit again, from the new number.
    before = revision(page)
    field.fill("3")
    field.press("Enter")
    wait_for_new_circuit(page, before)
    check(message).to_be_hidden()
    check(page.get_by_test_id("stale")).to_be_hidden()
    page.get_by_test_id("last").click()
    check(page.get_by_test_id("output-value")).to_have_text("-32")
    assert page.problems.unexpected() == []


def test_a_value_the_server_refuses_is_shown_at_its_field(make_page: Any) -> None:
    page = make_page("/")
    check = expect()
    type_and_enter(page, "svm_loss(s, y)")
    field = page.get_by_test_id("value-y")
    field.fill("[7]")
    field.press("Enter")
    message = page.get_by_test_id("value-error-y")
    check(message).to_contain_text("labels")
    check(page.get_by_test_id("error")).to_be_hidden()
    check(page.get_by_test_id("next")).to_be_disabled()
    assert page.problems.unexpected(allowed_statuses=(422,)) == []


def test_a_broken_expression_leaves_no_steppable_stale_circuit(make_page: Any) -> None:
    page = make_page('/?expr=(x%2By)*z&values={"x":-2,"y":5,"z":-4}&step=3')
    check = expect()
    page.wait_for_url(lambda url: "step=3" in url)
    type_and_enter(page, "(x+y)*z +", drawn=False)
    check(page.get_by_test_id("error")).to_be_visible()
    check(page.get_by_test_id("stale")).to_be_visible()
    for button in ("next", "prev", "play", "first", "last"):
        check(page.get_by_test_id(button)).to_be_disabled()
    position = page.get_attribute('[data-testid="diagram"]', "data-position")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    check(page.get_by_test_id("diagram")).to_have_attribute("data-position", position or "")
    check(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    page.wait_for_function("() => !location.search.includes('step=')")
    assert "(x+y)*z +" in parse_qs(urlparse(page.url).query)["expr"][0]
    screenshot(page, "inputs-broken-expression")
    assert page.problems.unexpected(allowed_statuses=(422,)) == []


def test_enter_then_the_arrow_steps_and_gates_are_reached_by_keyboard(make_page: Any) -> None:
    page = make_page("/")
    check = expect()
    diagram = page.get_by_test_id("diagram")
    type_and_enter(page, "sum(W@x)")
    # Enter handed the stepping keys to the circuit: → steps at once.
    page.wait_for_function("() => document.activeElement?.dataset?.testid === 'diagram'")
    page.keyboard.press("ArrowRight")
    check(diagram).to_have_attribute("data-position", "1")
    page.keyboard.press("End")
    # ↓ visits the gates; a focused gate shows its values, a tensor's as a table.
    page.keyboard.press("ArrowDown")
    focused = page.locator("[data-node]:focus")
    check(focused).to_have_count(1)
    card = page.get_by_test_id("gate-card")
    check(card).to_be_visible()
    first_name = focused.get_attribute("data-name")
    assert first_name == "W"
    check(card.locator("table")).to_have_count(2)  # W's value and its gradient
    check(focused).to_have_attribute("aria-label", "W: value a 2×3 tensor, gradient a 2×3 tensor")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    check(page.locator("[data-node]:focus")).to_have_attribute("data-op", "matmul")
    screenshot(page, "inputs-gate-focus")
    # ← still steps with a gate focused, and the card follows the step.
    page.keyboard.press("Home")
    check(card).to_contain_text("Not computed yet")
    # Escape: back to the diagram, then to the expression.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement?.dataset?.testid === 'expression'")
    assert page.problems.unexpected() == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_axe_finds_nothing_serious(make_page: Any, lang: str) -> None:
    page = make_page(f"/?lang={lang}")
    assert audit(page, f"page-{lang}") == []
    # With tensor inputs and their grids.
    type_and_enter(page, "svm_loss(X@W + b, y)")
    assert audit(page, f"tensors-{lang}") == []
    # The lab open.
    page.get_by_test_id("lab-toggle").click()
    expect()(page.get_by_test_id("lab")).to_be_visible()
    assert audit(page, f"lab-{lang}") == []
    page.get_by_test_id("lab-toggle").click()
    # An error state: a broken expression, and a bad value.
    type_and_enter(page, "(x+y", drawn=False)
    assert audit(page, f"syntax-error-{lang}") == []
    type_and_enter(page, "x*y + w0x0")
    page.get_by_test_id("value-x").fill("1/3")
    page.get_by_test_id("value-x").press("Enter")
    expect()(page.get_by_test_id("value-error-x")).to_be_visible()
    assert audit(page, f"value-error-{lang}") == []
    screenshot(page, f"inputs-value-error-{lang}")
    assert page.problems.unexpected(allowed_statuses=(422,)) == []
