"""The staged-code panel in headless Chromium: the circuit as Python/numpy, the current
step's lines highlighted as the stepper moves, the whole program copied by a button."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def current_lines(page: Any) -> list[str]:
    texts: list[str] = page.locator(".code-line.is-current").all_inner_texts()
    return [text.strip() for text in texts]


def test_code_follows_the_stepper_and_copies(make_page: Any) -> None:
    page = make_page('/?expr=x*x%2Bx&values={"x":3}&lang=en')
    check = expect()
    page.get_by_test_id("code-panel").locator("summary").click()
    code = page.get_by_test_id("code")
    check(code).to_contain_text("mul1 = x * x  # = 9")
    check(page).to_have_url(re.compile(r"[?&]code=1"))  # the open panel is in the link
    page.get_by_test_id("last").click()
    # The last backward step is the input x's: nothing left to compute, so no line.
    check(page.locator(".code-line.is-current")).to_have_count(0)
    page.get_by_test_id("prev").click()  # the mul gate: both its wires add into dx
    check(page.locator(".code-line.is-current")).to_have_count(2)
    assert current_lines(page) == ["dx += x * dmul1", "dx += x * dmul1"]
    page.get_by_test_id("prev").click()  # the add gate: the seed, then its two wires
    assert current_lines(page) == ["dadd1 = 1.0", "dmul1 = dadd1", "dx = dadd1"]
    page.get_by_test_id("first").click()
    page.get_by_test_id("next").click()
    assert current_lines(page) == ["x = 3.0"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_test_id("code-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("import numpy as np\n") and "dx += x * dmul1\n" in copied
    screenshot(page, "code-panel")


def test_the_open_panel_is_in_the_link_and_speaks_chinese(make_page: Any) -> None:
    page = make_page('/?expr=(x%2By)*z&values={"x":-2,"y":5,"z":-4}&code=1&lang=zh-CN&step=3')
    check = expect()
    check(page.get_by_test_id("code")).to_contain_text("add1 = x + y  # = 3")
    check(page.get_by_test_id("code-panel").locator("summary")).to_contain_text("代码")
    assert current_lines(page) == ["add1 = x + y  # = 3"]
    screenshot(page, "code-panel-zh")
