"""Live inputs in headless Chromium: scrub an input of the sigmoid neuron (its slider by
keyboard, its name dragged on the diagram) and the wires and the nudge readout follow.

The expected numbers are worked out here with `math`, independently of the engine: the
neuron f = σ(w0·x0 + w1·x1 + w2) and its gradient ∂f/∂w0 = x0·σ·(1 − σ).
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import quote

import pytest

from circuitgrad.numformat import format_number

from .conftest import screenshot

pytestmark = pytest.mark.e2e

NEURON = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def neuron_url(lang: str = "en", extra: str = "") -> str:
    values = quote(json.dumps(NEURON_VALUES))
    return f"/?expr={quote(NEURON)}&values={values}&lang={lang}&step=28{extra}"


def f(values: dict[str, float]) -> float:
    z = values["w0"] * values["x0"] + values["w1"] * values["x1"] + values["w2"]
    return 1 / (1 + math.exp(-z))


def df_dw0(values: dict[str, float]) -> float:
    s = f(values)
    return values["x0"] * s * (1 - s)


def numerical(values: dict[str, float], h: float) -> float:
    moved = {**values, "w0": values["w0"] + h}
    return (f(moved) - f(values)) / ((values["w0"] + h) - values["w0"])


def wire_label(page: Any, source: str, side: str) -> Any:
    node = page.get_attribute(f'[data-node][data-name="{source}"]', "data-node")
    return page.locator(f'[data-edge][data-source="{node}"] .wire__{side}').first


def check_neuron_at(page: Any, values: dict[str, float], h: float) -> None:
    """The diagram, the field and the readout all show the neuron at `values`."""
    check = expect()
    check(page.get_by_test_id("value-w0")).to_have_value(format_number(values["w0"]))
    check(wire_label(page, "w0", "value")).to_have_text(format_number(values["w0"]))
    check(page.get_by_test_id("output-value")).to_have_text(format_number(f(values)))
    check(wire_label(page, "w0", "grad")).to_have_text(format_number(df_dw0(values)))
    readout = page.get_by_test_id("nudge")
    check(readout.get_by_test_id("nudge-analytic").locator("[data-part=value]")).to_have_text(
        format_number(df_dw0(values)))
    check(readout.get_by_test_id("nudge-numerical").locator("[data-part=value]")).to_have_text(
        format_number(numerical(values, h)))
    moved = f({**values, "w0": values["w0"] + h})
    check(readout.get_by_test_id("nudge-change").locator("[data-part=value]")).to_have_text(
        f"{format_number(moved)} − {format_number(f(values))} = "
        f"{format_number(moved - f(values))}")


def test_the_slider_scrubs_an_input_by_keyboard(make_page: Any) -> None:
    page = make_page(neuron_url())
    check_neuron_at(page, NEURON_VALUES, 0.01)
    slider = page.get_by_test_id("slider-w0")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # a step of 0.1 each
    check_neuron_at(page, {**NEURON_VALUES, "w0": 2.3}, 0.01)
    page.keyboard.press("Shift+ArrowLeft")  # Shift: ten steps
    check_neuron_at(page, {**NEURON_VALUES, "w0": 1.3}, 0.01)
    # Up and Down on the field step it too.
    field = page.get_by_test_id("value-w0")
    field.focus()
    page.keyboard.press("ArrowUp")
    check_neuron_at(page, {**NEURON_VALUES, "w0": 1.4}, 0.01)
    # A smaller h brings the numerical gradient to the analytic one.
    page.get_by_test_id("nudge-h").select_option(label="1e-5")
    check_neuron_at(page, {**NEURON_VALUES, "w0": 1.4}, 1e-5)
    screenshot(page, "live-slider")
    assert page.problems.unexpected() == []


def test_dragging_an_input_on_the_diagram_moves_it_and_the_latest_value_wins(
        make_page: Any) -> None:
    page = make_page(neuron_url(lang="zh-CN"))
    check = expect()
    label = page.locator('[data-node][data-name="x0"] .gate__input')
    box = label.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    view_before = page.get_attribute('[data-testid="diagram"]', "viewBox")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 80, y, steps=16)  # a hundredth per pixel: x0 goes from -1 to -0.2
    page.mouse.up()
    moved = {**NEURON_VALUES, "x0": -0.2}
    check(page.get_by_test_id("value-x0")).to_have_value("-0.2")
    check(wire_label(page, "x0", "value")).to_have_text("-0.2")
    check(page.get_by_test_id("output-value")).to_have_text(format_number(f(moved)))
    check(wire_label(page, "w0", "grad")).to_have_text(format_number(df_dw0(moved)))
    # The readout follows the input that moved: now it nudges x0.
    check(page.get_by_test_id("nudge-input")).to_have_value("x0")
    dx0 = moved["w0"] * f(moved) * (1 - f(moved))
    check(page.get_by_test_id("nudge-analytic").locator("[data-part=value]")).to_have_text(
        format_number(dx0))
    check(page.get_by_test_id("nudge-analytic")).to_contain_text("分析梯度")
    check(page.get_by_test_id("nudge-numerical")).to_contain_text("数值梯度")
    # A drag on an input's name scrubs; it does not pan the drawing.
    assert page.get_attribute('[data-testid="diagram"]', "viewBox") == view_before
    inputs = page.evaluate("performance.getEntriesByName('cg:scrub-input', 'mark').length")
    rounds = page.evaluate("performance.getEntriesByName('cg:scrub', 'measure').length")
    assert 0 < rounds <= inputs, (rounds, inputs)
    screenshot(page, "live-drag-zh")
    assert page.problems.unexpected() == []


def test_practice_hides_the_readout_numbers_not_yet_worked_out(make_page: Any) -> None:
    page = make_page(neuron_url(extra="&practice=1"))
    check = expect()
    readout = page.get_by_test_id("nudge")
    for part in ("nudge-change", "nudge-numerical", "nudge-analytic", "nudge-difference"):
        check(readout.get_by_test_id(part).locator("[data-part=value]")).to_have_text("?")
    page.get_by_test_id("practice").click()  # off: every number back
    check(readout.get_by_test_id("nudge-analytic").locator("[data-part=value]")).to_have_text(
        format_number(df_dw0(NEURON_VALUES)))
