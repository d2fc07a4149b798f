"""Practice mode in headless Chromium: the learner works out every number of the sigmoid neuron
by keyboard alone; wrong answers earn the hints in order; the summary names the rule missed.

What is asked, and the answers, come from the API's own answer (read here in Python, as
practice.js reads it in the page): each gate's value forward, each input wire's gradient
backward, and a fan-out's sum.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import quote

import pytest

from circuitgrad.numformat import format_number

from .conftest import screenshot

pytestmark = pytest.mark.e2e

NEURON = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
# The CS231n notes write the inputs' gradients with two digits; the page takes them.
NOTES_DIGITS = {"w0": "-0.20", "x0": "0.39", "w1": "-0.39", "x1": "-0.59", "w2": "0.20"}


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def neuron_url(lang: str = "en", practice: bool = False) -> str:
    values = quote(json.dumps(NEURON_VALUES))
    link = f"/?expr={quote(NEURON)}&values={values}&lang={lang}"
    return link + ("&practice=1" if practice else "")


def questions(base_url: str) -> list[dict[str, Any]]:
    """What practice asks of the neuron, in order: (kind, node or wire, the answer)."""
    body = json.dumps({"expression": NEURON, "values": NEURON_VALUES}).encode()
    request = urllib.request.Request(base_url + "/api/graph", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    nodes = {n["id"]: n for n in answer["nodes"]}
    edges = {e["id"]: e for e in answer["edges"]}
    asked: list[dict[str, Any]] = []
    for step in answer["steps"]:
        node = nodes[step["node"]]
        if "words" not in step:
            continue
        if step["phase"] == "forward":
            asked.append({"kind": "value", "node": node["id"], "answer": node["value"],
                          "output": node["id"] == answer["output"]})
            continue
        if "fanout" in step:
            asked.append({"kind": "sum", "node": node["id"], "answer": node["grad"]})
        for wire in step["locals"]:
            edge = edges[wire]
            asked.append({"kind": "grad", "edge": wire, "answer": edge["grad"],
                          "source": nodes[edge["source"]]["name"]})
    return asked


def focused_testid(page: Any) -> str | None:
    testid: str | None = page.evaluate("document.activeElement?.dataset?.testid ?? null")
    return testid


def hidden_until_answered(page: Any, question: dict[str, Any]) -> Any:
    """The label on the diagram that holds the question's number."""
    if question["kind"] == "grad":
        return page.locator(f'[data-edge="{question["edge"]}"] .wire__grad')
    if question["kind"] == "sum":
        return page.locator(f'[data-gradsum="{question["node"]}"]')
    if question.get("output"):
        return page.get_by_test_id("output-value")
    return page.locator(f'[data-edge][data-source="{question["node"]}"] .wire__value').first


def start_practice_by_keyboard(page: Any) -> None:
    """Turn practice on with Space on its switch, then Tab to Start and press Enter."""
    page.get_by_test_id("practice").focus()
    page.keyboard.press("Space")
    expect()(page.get_by_test_id("practice-start")).to_be_visible()
    for _ in range(6):
        if focused_testid(page) == "practice-start":
            break
        page.keyboard.press("Tab")
    assert focused_testid(page) == "practice-start"
    page.keyboard.press("Enter")


def go_to_next_question(page: Any) -> None:
    """From Next (where the focus goes after a step's last answer): Enter until a question."""
    for _ in range(12):
        if focused_testid(page) == "practice-answer":
            return
        assert focused_testid(page) == "next", focused_testid(page)
        page.keyboard.press("Enter")
    raise AssertionError("no question came")


def answer(page: Any, text: str) -> None:
    assert focused_testid(page) == "practice-answer"
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_neuron_answered_right_all_the_way_by_keyboard(make_page: Any, base_url: str) -> None:
    page = make_page(neuron_url())
    check = expect()
    asked = questions(base_url)
    assert len(asked) == 20  # 8 gates forward, 12 wires back (no value fans out)
    start_practice_by_keyboard(page)
    for number, question in enumerate(asked):
        if number:
            go_to_next_question(page)
        label = hidden_until_answered(page, question)
        check(label).to_have_text("")  # not shown before it is worked out
        # The explanation holds the answer: only its title shows while the question is open.
        check(page.get_by_test_id("explanation-text")).to_be_hidden()
        source = question.get("source")
        text = NOTES_DIGITS.get(source, "") if source else ""
        answer(page, text or format_number(question["answer"]))
        check(label).to_have_text(format_number(question["answer"]))
        if number == 2:
            screenshot(page, "practice-forward")
    check(page.get_by_test_id("practice-progress")).to_have_text("20 of 20 numbers worked out")
    # The inputs' own backward steps ask nothing: Enter on Next to the end.
    for _ in range(12):
        if page.get_by_test_id("practice-summary").is_visible():
            break
        assert focused_testid(page) == "next"
        page.keyboard.press("Enter")
    summary = page.get_by_test_id("practice-summary")
    check(summary).to_be_visible()
    check(page.get_by_test_id("practice-ask")).to_be_hidden()
    check(page.get_by_test_id("practice-score")).to_have_text(
        "20 numbers: 20 right first time, 0 right after a hint, 0 shown.")
    check(summary).to_contain_text("Every number right first time")
    check(page.get_by_test_id("output-value")).to_have_text("0.7311")
    screenshot(page, "practice-done")
    assert page.problems.unexpected() == []


def test_wrong_answers_earn_the_hints_in_order_and_the_summary_names_the_rule(
        make_page: Any, base_url: str) -> None:
    page = make_page(neuron_url(practice=True))
    check = expect()
    asked = questions(base_url)
    hints = page.get_by_test_id("practice-hints").locator("li")
    page.get_by_test_id("practice-start").click()  # a practice link opens at its introduction
    for number, question in enumerate(asked):
        if number:
            go_to_next_question(page)
        if number == 8:  # the first backward question: the reciprocal gate's wire
            assert question["kind"] == "grad"
            answer(page, "0.5344")  # the sign forgotten
            check(hints).to_have_count(1)
            check(page.get_by_test_id("practice-hint-1")).to_contain_text(
                "local gradient for 1 + exp(…) is -1/(1 + exp(…))²")
            check(page.get_by_test_id("practice-feedback")).to_contain_text("0.5344")
            page.keyboard.press("Control+A")
            answer(page, "1")
            check(hints).to_have_count(2)
            check(page.get_by_test_id("practice-hint-2")).to_have_text(
                "Hint 2: local gradient -1/(1 + exp(…))² = -1/1.368² = -0.5344; "
                "local × upstream = -0.5344 × 1.")
            screenshot(page, "practice-hints")
            page.keyboard.press("Control+A")
            answer(page, "2")  # the third wrong answer shows the answer
            check(page.get_by_test_id("practice-answered")).to_contain_text("-0.5344 shown")
            continue
        if question.get("source") == "w1":  # mul swaps: w1's wire takes x1's value
            answer(page, format_number(-3 * 0.19661193324148188))
            check(page.get_by_test_id("practice-hint-1")).to_contain_text("mul swaps")
            page.keyboard.press("Control+A")
        answer(page, format_number(question["answer"]))
    page.keyboard.press("End")  # the focus is on Next: the stepping keys work
    check(page.get_by_test_id("practice-score")).to_have_text(
        "20 numbers: 18 right first time, 1 right after a hint, 1 shown.")
    rules = page.get_by_test_id("practice-rules").locator("li")
    check(rules).to_have_count(2)
    check(rules.nth(0)).to_contain_text(
        "the reciprocal gate's local gradient — missed at 1 + exp(…)")
    check(rules.nth(0)).to_contain_text("for 1 + exp(…) is -1/(1 + exp(…))²")
    check(rules.nth(1)).to_contain_text("mul swaps — missed at w1")
    check(rules.nth(1)).to_contain_text("each input's local gradient is the other input's value")
    screenshot(page, "practice-summary")
    assert page.problems.unexpected() == []


def test_practice_speaks_chinese_and_hides_the_code_values(make_page: Any) -> None:
    page = make_page(neuron_url(lang="zh-CN", practice=True) + "&code=1")
    check = expect()
    check(page.get_by_test_id("practice-start")).to_have_text("开始：第一个问题")
    screenshot(page, "practice-intro-zh")
    page.get_by_test_id("practice-start").click()
    check(page.get_by_test_id("practice-prompt")).to_have_text("乘法门：w0 × x0 = ?")
    code = page.get_by_test_id("code")
    check(code).to_contain_text("mul1 = w0 * x0")
    check(code).not_to_contain_text("# = -2", use_inner_text=True)  # the value it asks for
    answer(page, "3")
    check(page.get_by_test_id("practice-hint-1")).to_have_text(
        "提示 1：乘法门计算 w0 × x0；代入它输入线上的值。")
    screenshot(page, "practice-zh")
    page.keyboard.press("Control+A")
    answer(page, "-2")
    check(code).to_contain_text("mul1 = w0 * x0  # = -2", use_inner_text=True)
    check(page.get_by_test_id("practice-answered")).to_contain_text("看提示后答对")
    # Another language keeps the answers: only the words change.
    page.get_by_test_id("lang").select_option("en")
    check(page.get_by_test_id("practice-answered")).to_contain_text(
        "multiply gate: w0 × x0 = -2 ✓ right after a hint")
    check(page.get_by_test_id("practice-progress")).to_have_text("1 of 20 numbers worked out")
    # Switching practice off shows every number again.
    page.get_by_test_id("practice").click()
    check(page.get_by_test_id("practice-panel")).to_be_hidden()
    check(code).to_contain_text("# = 0.7311", use_inner_text=True)
    assert page.problems.unexpected() == []
