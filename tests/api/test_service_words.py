"""The service's own refusals (busy, too large, too slow, not JSON) speak the learner's
language like every other error: the body's `lang` where it was read, else the request's
Accept-Language (which the page sends). Code and params stay the same in every language."""

from __future__ import annotations

from typing import Any

import pytest

from circuitgrad.error_catalog import MESSAGES
from circuitgrad.lang import accepted_lang

from .conftest import app_client

ZH = {"Accept-Language": "zh-CN"}
SMALL = {"expression": "sum(W)", "values": {"W": [1, 2]}}


@pytest.mark.parametrize(("header", "lang"), [
    (None, "en"), ("", "en"), ("zh-CN", "zh-CN"), ("zh", "zh-CN"), ("zh-Hans-CN", "zh-CN"),
    ("en-US,en;q=0.9", "en"), ("fr-FR, zh-CN;q=0.8, en;q=0.5", "zh-CN"),
    ("en;q=0.4, zh-TW;q=0.6", "zh-CN"), ("de, fr", "en"), ("zh-CN;q=oops, en", "en"),
])
def test_accept_language_picks_the_highest_weighted_language_we_speak(
        header: str | None, lang: str) -> None:
    assert accepted_lang(header) == lang


def _detail(response: Any) -> dict[str, Any]:
    detail: dict[str, Any] = response.json()["detail"]
    return detail


def _chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_a_body_that_is_not_json_is_refused_in_chinese() -> None:
    with app_client() as client:
        english = client.post("/api/graph", content=b"x", headers={"Content-Type": "text/plain"})
        chinese = client.post("/api/graph", content=b"x",
                              headers={"Content-Type": "text/plain", **ZH})
        missing = client.post("/api/graph", content=b"x", headers=ZH)
    assert english.status_code == chinese.status_code == missing.status_code == 415
    assert "Content-Type" in _detail(english)["message"] and not _chinese(
        _detail(english)["message"])
    assert _chinese(_detail(chinese)["message"]) and "text/plain" in _detail(chinese)["message"]
    assert _detail(chinese)["code"] == _detail(english)["code"] == "unsupported_media_type"
    assert _detail(chinese)["params"] == _detail(english)["params"] == {
        "content_type": "text/plain"}
    assert _chinese(_detail(missing)["message"]) and _detail(missing)["params"] == {
        "content_type": ""}


def test_busy_is_worded_by_the_body_lang_or_the_header() -> None:
    with app_client(max_pending_computations=0) as client:
        by_body = client.post("/api/graph", json={**SMALL, "lang": "zh-CN"})
        by_header = client.post("/api/optimize", json={"expression": "x*x", "values": {"x": 1}},
                                headers=ZH)
        english = client.post("/api/graph", json=SMALL)
    for response in (by_body, by_header, english):
        assert response.status_code == 429 and _detail(response)["code"] == "busy"
        assert _detail(response)["params"] == {"retry_after": int(response.headers["retry-after"])}
    assert _chinese(_detail(by_body)["message"]) and _chinese(_detail(by_header)["message"])
    assert "busy" in _detail(english)["message"]


def test_a_body_past_the_limit_is_refused_in_chinese() -> None:
    big = b'{"expression": "' + b"x+" * 1_000 + b'x", "values": {"x": 1}}'
    with app_client(max_body_bytes=1_000) as client:
        response = client.post("/api/graph", content=big,
                               headers={"Content-Type": "application/json", **ZH})
    assert response.status_code == 413
    detail = _detail(response)
    assert detail["code"] == "body_bytes" and detail["params"] == {"limit": 1_000}
    assert _chinese(detail["message"]) and "1,000" in detail["message"]


def test_an_answer_past_the_byte_limit_is_refused_in_the_body_lang() -> None:
    body = {"expression": "sum(a + b)", "values": {"a": [[1]] * 10, "b": [[1] * 10]},
            "lang": "zh-CN"}
    with app_client(max_response_bytes=500) as client:
        response = client.post("/api/graph", json=body)
    assert response.status_code == 413
    detail = _detail(response)
    assert detail["code"] == "response_bytes" and detail["params"]["limit"] == 500
    assert _chinese(detail["message"])


def test_a_computation_past_its_budget_is_refused_in_the_header_lang() -> None:
    # A body this large goes to a worker unread, so the header words the refusal.
    slow = {"expression": "x" + "+x" * 40_000, "values": {"x": 1}}
    with app_client(request_cpu_seconds=0.05, compute_processes=1) as client:
        response = client.post("/api/graph", json=slow, headers=ZH)
    assert response.status_code == 413
    detail = _detail(response)
    assert detail["code"] == "time_budget" and detail["params"] == {"seconds": 0.05}
    assert _chinese(detail["message"]) and "0.05" in detail["message"]


@pytest.mark.parametrize("code", ["busy", "time_budget", "resources", "memory",
                                  "response_bytes", "body_bytes", "body_timeout",
                                  "graphviz_failed", "unsupported_media_type"])
def test_every_refusal_of_the_service_has_words_in_both_languages(code: str) -> None:
    assert set(MESSAGES[code]) == {"en", "zh-CN"}
    assert _chinese(MESSAGES[code]["zh-CN"]) and not _chinese(MESSAGES[code]["en"])
