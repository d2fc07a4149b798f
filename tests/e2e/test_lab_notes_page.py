"""A lab run's warnings on the page, in headless Chromium against a real server: shown under
the run's result in the page's language (the server's words), and gone after the next run.

Screenshots go to test-artifacts/e2e/lab-notes-*.png, in English and 简体中文.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from .conftest import revision, screenshot, wait_for_new_circuit

pytestmark = pytest.mark.e2e

KINKED = {"expression": "relu(x+y)", "values": {"x": 1e-7, "y": 0}}
# What the kink warning says in each language (the server's catalog words).
WORDS = {"en": "the kink of relu at relu(x + y) was crossed by a difference",
         "zh-CN": "relu(x + y) 处 relu 的拐点被一次差分跨过了"}
TITLES = {"en": "Warnings about this run", "zh-CN": "关于这次运行的警告"}


def open_kinked_lab(make_page: Any, lang: str) -> Any:
    values = quote(json.dumps(KINKED["values"]))
    page = make_page(f"/?expr={quote(KINKED['expression'])}&values={values}&lang={lang}&lab=1")
    page.get_by_test_id("lab").wait_for()
    return page


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_gradient_check_near_a_kink_shows_its_warning_in_the_page_language(
        make_page: Any, base_url: str, lang: str) -> None:
    page = open_kinked_lab(make_page, lang)
    notes = page.get_by_test_id("gradcheck-notes")
    assert notes.is_hidden()  # no run, no warnings
    page.get_by_test_id("gradcheck-run").click()
    page.get_by_test_id("gradcheck-table").wait_for()
    notes.wait_for()
    assert notes.get_attribute("role") == "status"
    assert (notes.locator(".lab__notes-title").text_content() or "") == TITLES[lang]
    item = notes.locator("li[data-code=kink_crossed]")
    assert item.count() == 1
    text = item.text_content() or ""
    assert text.startswith(WORDS[lang]), text
    assert item.get_attribute("lang") == lang
    # Word for word what the API answers in that language.
    api = httpx.post(f"{base_url}/api/gradcheck",
                     json={**KINKED, "wires": True, "lang": lang}).json()
    assert text in api["warnings"]
    # Under the result: below the verdict, inside the gradient check's section.
    status = page.get_by_test_id("gradcheck-status").bounding_box()
    drawn = notes.bounding_box()
    assert status is not None and drawn is not None and drawn["y"] >= status["y"]
    notes.evaluate("e => e.scrollIntoView({block: 'center'})")
    screenshot(page, f"lab-notes-gradcheck-{lang}")

    # The next run, away from the kink, has nothing to warn about: the warning is gone.
    before = revision(page)
    page.get_by_test_id("value-x").fill("2")
    page.get_by_test_id("value-x").press("Enter")
    wait_for_new_circuit(page, before)
    page.get_by_test_id("gradcheck-run").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=gradcheck-status]').dataset.verdict"
        " === 'excellent'")
    assert notes.is_hidden()
    assert notes.locator("li").count() == 0
    assert page.problems.unexpected() == []


def test_switching_the_language_rewords_the_gradient_checks_warning(make_page: Any) -> None:
    page = open_kinked_lab(make_page, "en")
    page.get_by_test_id("gradcheck-run").click()
    notes = page.get_by_test_id("gradcheck-notes")
    notes.locator("li[lang=en]").wait_for()
    page.locator("#lang").select_option("zh-CN")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    # The same check, asked again in 中文: the server's words in the page's new language.
    item = notes.locator("li[lang=zh-CN][data-code=kink_crossed]")
    item.wait_for()
    assert (item.text_content() or "").startswith(WORDS["zh-CN"])
    assert (notes.locator(".lab__notes-title").text_content() or "") == TITLES["zh-CN"]
    assert notes.locator("li").count() == 1
    assert page.problems.unexpected() == []

NO_PARAMETER = {"expression": "softmax_loss(S, y)", "values": {"S": [[1, 2, 3]], "y": [0]}}
MOVES_DATA = {"en": "no input is a parameter (every input is data or a hyperparameter), so "
                    "the optimizer moves S",
              "zh-CN": "没有哪个输入是参数（每个输入都是数据或超参数），所以优化器移动的是 S"}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_an_optimization_that_moves_the_data_says_so_under_its_result(
        make_page: Any, lang: str) -> None:
    values = quote(json.dumps(NO_PARAMETER["values"]))
    page = make_page(f"/?expr={quote(NO_PARAMETER['expression'])}&values={values}"
                     f"&lang={lang}&lab=1")
    page.wait_for_selector("[data-testid=opt-param-S]")
    # Left as the server chose (S: the data, as nothing else can move), the run warns.
    assert page.get_by_test_id("opt-param-S").is_checked()
    page.get_by_test_id("opt-steps").fill("5")
    page.get_by_test_id("opt-run").click()
    page.wait_for_selector("#lab[data-optimizer='done']", timeout=30_000)
    notes = page.get_by_test_id("opt-notes")
    notes.wait_for()
    item = notes.locator("li[data-code=no_parameter_moves_examples]")
    assert (item.text_content() or "").startswith(MOVES_DATA[lang])
    notes.evaluate("e => e.scrollIntoView({block: 'center'})")
    screenshot(page, f"lab-notes-optimizer-{lang}")
    # Back to the start: the run and its warning are gone.
    page.get_by_test_id("opt-reset").click()
    assert notes.is_hidden()
    assert page.problems.unexpected() == []
