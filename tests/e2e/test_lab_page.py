"""The optimization lab on the page, in headless Chromium against a real server (issue 5)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def open_seed_example(make_page: Any) -> Any:
    """The seed's example with the lab opened by its toggle (the lab starts closed)."""
    values = quote(json.dumps({"x": 2}))
    page = make_page(f"/?expr={quote('3x^2+6x')}&values={values}")
    open_lab(page)
    return page


def open_lab(page: Any) -> None:
    toggle = page.get_by_test_id("lab-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_test_id("lab").wait_for()


def diagram_width(page: Any) -> float:
    return float(page.get_by_test_id("diagram").bounding_box()["width"])


def test_lab_starts_closed_and_its_toggle_works_from_the_keyboard(make_page: Any) -> None:
    page = make_page("/")
    lab = page.get_by_test_id("lab")
    toggle = page.get_by_test_id("lab-toggle")
    assert lab.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.is_visible()
    wide = diagram_width(page)
    assert wide >= 0.65 * 1280, "closed, the lab leaves the circuit most of the width"
    # Reached with Tab (right after the skip link), with a visible focus ring; Enter opens it.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "lab-toggle"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2
    screenshot(page, "lab-toggle-focus")
    page.keyboard.press("Enter")
    lab.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_function("() => new URLSearchParams(location.search).get('lab') === '1'")
    assert diagram_width(page) < wide
    # A link with lab=1 reopens it.
    again = page.context.new_page()
    again.goto(page.url)
    again.get_by_test_id("lab").wait_for()
    assert again.get_by_test_id("lab-toggle").get_attribute("aria-expanded") == "true"
    again.close()
    # Space closes it again (and does not play the circuit); the circuit gets its room back.
    page.keyboard.press(" ")
    assert lab.is_hidden()
    assert page.get_by_test_id("play").get_attribute("aria-pressed") == "false"
    page.wait_for_function("() => !location.search.includes('lab=')")
    assert diagram_width(page) == pytest.approx(wide, abs=2)
    assert page.problems.unexpected() == []


def test_gradient_descent_moves_x_to_minus_one_and_plots_the_loss(make_page: Any) -> None:
    page = open_seed_example(make_page)
    assert page.get_by_test_id("value-x").input_value() == "2"
    page.get_by_test_id("opt-method").select_option("gradient_descent")
    page.get_by_test_id("opt-lr").fill("-1")  # log10 of the learning rate: 0.1
    assert page.get_by_test_id("opt-lr-value").text_content() == "0.1"
    page.get_by_test_id("opt-steps").fill("15")
    page.get_by_test_id("opt-run").click()
    page.wait_for_selector("#lab[data-optimizer='done']", timeout=30_000)
    page.wait_for_selector("#app[data-status='ready']")

    x = float(page.get_by_test_id("value-x").input_value())
    assert x == pytest.approx(-1.0, abs=1e-3)
    status = page.get_by_test_id("opt-status").text_content() or ""
    assert status.startswith("Step 15 of 15")
    # The plot: one loss curve, from 24 down to the minimum -3.
    path = page.locator('[data-testid="loss-plot"] .lab-series__line').first
    assert len(re.findall(r"[ML]", path.get_attribute("d") or "")) == 16
    # And the circuit shows the new numbers: the output is -3 at x = -1.
    assert (page.get_by_test_id("output-value").text_content() or "").strip() in {"-3", "-3.000"}
    screenshot(page, "lab-gradient-descent")
    assert page.problems.unexpected() == []


def test_one_step_with_learning_rate_one_diverges_and_flies_off(make_page: Any) -> None:
    page = open_seed_example(make_page)
    page.get_by_test_id("opt-steps").fill("10")
    page.get_by_test_id("opt-compare").click()
    status = page.get_by_test_id("opt-status")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=opt-status]').textContent"
        ".startsWith('Diverged')")
    assert "lr 1" in (status.text_content() or "")
    plot = page.get_by_test_id("loss-plot")
    assert plot.locator(".lab-series__line").count() >= 5
    assert "diverged (step 1)" in (plot.text_content() or "")
    screenshot(page, "lab-compare-rates")


def test_gradient_check_table_and_wire_estimates(make_page: Any) -> None:
    page = open_seed_example(make_page)
    page.get_by_test_id("gradcheck-run").click()
    table = page.get_by_test_id("gradcheck-table")
    table.wait_for()
    row = table.locator("tbody tr").first
    assert (row.locator("th").text_content() or "") == "x"
    assert "18" in (row.locator("td").first.text_content() or "")
    assert row.locator(".lab-verdict").first.get_attribute("data-verdict") == "excellent"
    page.get_by_test_id("gradcheck-wires").check()
    page.wait_for_selector(".lab-estimate")
    assert page.locator(".lab-estimate--excellent").count() >= 1
    screenshot(page, "lab-gradcheck")


def test_classifier_trains_and_draws_regions(make_page: Any) -> None:
    page = open_seed_example(make_page)
    page.get_by_test_id("clf-steps").fill("50")
    page.get_by_test_id("clf-batch").select_option("32")
    page.get_by_test_id("clf-lr").fill("0.5")
    page.get_by_test_id("clf-train").click()
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=clf-status]').textContent || '')"
        ".startsWith('Step 50 of 50')")
    status = page.get_by_test_id("clf-status").text_content() or ""
    accuracy = float(re.search(r"accuracy ([\d.]+)%", status).group(1))  # type: ignore[union-attr]
    assert accuracy >= 95
    assert page.locator('[data-testid="clf-plot"] .lab-point').count() == 300
    assert page.locator('[data-testid="clf-regions"] rect').count() > 10
    screenshot(page, "lab-classifier")
    assert page.problems.unexpected() == []
