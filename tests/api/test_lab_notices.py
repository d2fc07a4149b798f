"""The lab's run warnings in the request's language: every warning of /api/gradcheck,
/api/optimize and /api/classifier comes in English and 简体中文 with the same code and
params, and names nodes and wires as the diagram does (never n5, e1)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from circuitgrad.error_catalog import MESSAGES

from .conftest import AppClient, app_client
from .conftest import strict_json as strict

HAN = re.compile("[\u4e00-\u9fff]")
INTERNAL_ID = re.compile(r"\b[ne]\d+\b")

# One request per warning: the route, its body, and the code the warning must carry.
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("/api/gradcheck", {"expression": "x*2", "values": {"x": 1, "unused": 3}},
     "unused_value"),
    ("/api/gradcheck", {"expression": "x*2", "values": {"x": [1, 2]}},
     "tensor_output_summed"),
    ("/api/gradcheck", {"expression": "relu(x + y)", "values": {"x": 1e-7, "y": 0}},
     "kink_crossed"),
    # Only x is nudged and relu's argument is y: within h of the kink, never crossed.
    ("/api/gradcheck", {"expression": "relu(y) * x", "values": {"x": 2, "y": 1e-7},
                        "inputs": ["x"]}, "kink_within_h"),
    ("/api/gradcheck", {"expression": "exp(x)*2", "values": {"x": 40}, "wires": True},
     "wires_unmovable"),
    ("/api/optimize", {"expression": "softmax_loss(S, y)",
                       "values": {"S": [[1, 2, 3]], "y": [0]}, "steps": 2},
     "no_parameter_moves_examples"),
    ("/api/optimize", {"expression": "x*x", "values": {"x": 1, "z": 5}, "steps": 1},
     "unused_value"),
]


def _notices(client: AppClient, route: str, body: dict[str, Any], lang: str) -> dict[str, Any]:
    response = client.post(route, json={**body, "lang": lang})
    assert response.status_code == 200, response.text[:300]
    answer = strict(response.text)
    # `notices` is `warnings` as data: the same sentences, in the same order.
    assert [n["message"] for n in answer["notices"]] == answer["warnings"]
    return answer


@pytest.mark.parametrize(("route", "body", "code"), CASES,
                         ids=[f"{route.rsplit('/', 1)[1]}-{code}" for route, _, code in CASES])
def test_each_lab_warning_comes_in_both_languages_with_the_same_code_and_params(
        client: AppClient, route: str, body: dict[str, Any], code: str) -> None:
    english = _notices(client, route, body, "en")
    chinese = _notices(client, route, body, "zh-CN")
    assert code in [n["code"] for n in english["notices"]]
    assert [(n["code"], n["params"]) for n in english["notices"]] == [
        (n["code"], n["params"]) for n in chinese["notices"]]
    for en, zh in zip(english["notices"], chinese["notices"], strict=True):
        assert en["message"] != zh["message"]
        assert not HAN.search(en["message"])
        assert HAN.search(zh["message"]), zh["message"]
        assert "{" not in en["message"] and "{" not in zh["message"]  # every param filled
        assert not INTERNAL_ID.search(en["message"]), en["message"]
        assert en["code"] in MESSAGES


def test_the_kink_warning_names_the_gate_as_the_diagram_does(client: AppClient) -> None:
    answer = _notices(client, "/api/gradcheck",
                      {"expression": "relu(x + y)", "values": {"x": 1e-7, "y": 0}}, "en")
    [kink] = [n for n in answer["notices"] if n["code"] == "kink_crossed"]
    assert kink["params"]["node"] == "relu(x + y)"
    assert answer["kinks"][0]["node"].startswith("n")  # the id stays, as data, in `kinks`
    assert kink["message"].startswith("the kink of relu at relu(x + y) was crossed by a "
                                      "difference (its argument is 1e-7 from it)")


def test_no_parameter_keeps_its_english_words(client: AppClient) -> None:
    answer = _notices(client, "/api/optimize", CASES[5][1], "en")
    assert ("no input is a parameter (every input is data or a hyperparameter), so the "
            "optimizer moves S; choose the inputs to move (Move on the page, 'optimize' in "
            "the API)") in answer["warnings"]
    chinese = _notices(client, "/api/optimize", CASES[5][1], "zh-CN")
    assert "没有哪个输入是参数" in chinese["warnings"][0]


def test_a_run_stopped_by_its_budget_says_so_in_both_languages() -> None:
    long = " + ".join(f"{i % 7 + 1}*x*x" for i in range(300))
    body = {"expression": long, "values": {"x": 1}, "steps": 10_000, "learning_rate": 1e-6}
    with app_client(request_cpu_seconds=0.5, compute_processes=1) as client:
        english = _notices(client, "/api/optimize", body, "en")
        chinese = _notices(client, "/api/optimize", body, "zh-CN")
    for answer, words in ((english, "stopped after step {step}: the time budget of 0.4 s ran "
                           "out"), (chinese, "第 {step} 步后停止：0.4 秒的时间预算用完了")):
        [notice] = answer["notices"]
        assert notice["code"] == "optimizer_stopped_early"
        # The run stops where the clock says, so each language's run has its own step.
        step = answer["trajectory"][-1]["step"]
        assert notice["params"] == {"step": step, "seconds": 0.4}
        assert notice["message"] == words.format(step=step)


def test_a_training_stopped_by_its_budget_says_so_in_both_languages() -> None:
    body = {"dataset": "spiral", "model": "two_layer", "steps": 10_000, "grid": 0,
            "include_data": False}
    with app_client(training_seconds=0.3, compute_processes=1) as client:
        answers = {lang: _notices(client, "/api/classifier", body, lang)
                   for lang in ("en", "zh-CN")}
    for lang, answer in answers.items():
        assert answer["stopped_early"] is True
        [notice] = answer["notices"]
        assert notice["code"] == "training_stopped_early"
        assert notice["params"] == {"step": answer["end_step"], "seconds": 0.3}
        assert f"{answer['end_step']}" in notice["message"]
        assert bool(HAN.search(notice["message"])) == (lang == "zh-CN")


def test_a_quiet_run_has_no_notices(client: AppClient) -> None:
    for route, body in (("/api/gradcheck", {"expression": "3x^2+6x", "values": {"x": 2}}),
                        ("/api/optimize", {"expression": "3x^2+6x", "values": {"x": 2}}),
                        ("/api/classifier", {"steps": 5, "grid": 0})):
        answer = _notices(client, route, body, "zh-CN")
        assert answer["warnings"] == [] and answer["notices"] == []
