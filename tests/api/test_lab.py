"""The lab's routes through the real app, in its worker processes: /api/gradcheck,
/api/optimize, /api/classifier."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from circuitgrad.api.handlers import HANDLERS
from circuitgrad.settings import Settings

from .conftest import AppClient, app_client
from .conftest import strict_json as strict

SEED = {"expression": "3x^2+6x", "values": {"x": 2}}


@pytest.mark.parametrize(("learning_rate", "x1", "diverged_at"),
                         [(0.1, 0.2, None), (0.01, 1.82, None), (1, -16.0, 1)])
def test_optimize_the_seed_example(client: AppClient, learning_rate: float, x1: float,
                                   diverged_at: int | None) -> None:
    response = client.post("/api/optimize", json={**SEED, "method": "gradient_descent",
                                                  "learning_rate": learning_rate, "steps": 1})
    assert response.status_code == 200
    body = strict(response.text)
    assert [e["values"]["x"] for e in body["trajectory"]] == [2.0, x1]
    assert body["trajectory"][0] == {"step": 0, "loss": 24.0, "values": {"x": 2.0},
                                     "grad_norm": 18.0, "evaluations": 1}
    assert body["diverged_at"] == diverged_at
    assert body["evaluations"] == 2


def test_optimize_a_diverging_run_is_a_200_up_to_the_divergence(client: AppClient) -> None:
    response = client.post("/api/optimize", json={"expression": "exp(x^2)", "values": {"x": 3},
                                                  "learning_rate": 5, "steps": 100,
                                                  "method": "momentum"})
    assert response.status_code == 200
    body = strict(response.text)
    assert body["diverged_at"] == body["trajectory"][-1]["step"]
    assert len(body["trajectory"]) < 101


def test_optimize_every_method_and_the_fixed_inputs(client: AppClient) -> None:
    for method in ("random_search", "random_local_search", "gradient_descent", "momentum",
                   "adam"):
        response = client.post("/api/optimize", json={
            "expression": "(x - a)^2 + y^2", "values": {"x": 0, "y": 1, "a": 2},
            "optimize": ["x", "y"], "method": method, "steps": 30, "seed": 1,
            "step_size": 0.5, "learning_rate": 0.1})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["optimize"] == ["x", "y"]
        assert body["trajectory"][-1]["loss"] < body["trajectory"][0]["loss"], method


@pytest.mark.parametrize(("patch", "status", "needle"), [
    ({"method": "newton"}, 422, "'random_search', 'random_local_search'"),
    ({"steps": 100_000}, 413, "the limit is 10,000"),
    ({"steps": -1}, 422, "greater than or equal to 0"),
    ({"learning_rate": 0}, 422, "greater than 0"),
    ({"optimize": ["nope"]}, 422, "'nope' is not an input"),
    ({"expression": "3x^2+"}, 422, "ParseError"),
    ({"values": {}}, 422, "no value given for the input 'x'"),
    ({"lr": 0.1}, 422, "extra_forbidden"),
])
def test_optimize_bad_requests(client: AppClient, patch: dict[str, Any], status: int,
                               needle: str) -> None:
    response = client.post("/api/optimize", json={**SEED, **patch})
    assert response.status_code == status
    assert needle in response.text


def test_optimize_refuses_nan_tokens(client: AppClient) -> None:
    raw = b'{"expression": "x^2", "values": {"x": 1}, "learning_rate": NaN}'
    response = client.post("/api/optimize", content=raw,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_gradcheck_smooth_and_kinked(client: AppClient) -> None:
    smooth = client.post("/api/gradcheck", json={
        "expression": "sigmoid(w0*x0 + w1*x1 + w2)",
        "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}, "wires": True})
    assert smooth.status_code == 200
    body = strict(smooth.text)
    assert body["verdict"] == "excellent"
    assert all(i["max_centered_error"] < 1e-7 for i in body["inputs"])
    assert body["evaluations"] == {"analytic": 1, "backward_passes": 1,
                                   "forward_difference": 6, "centered_difference": 10}
    assert body["wires"] and all(w["error"] < 1e-7 for w in body["wires"])

    kinked = strict(client.post("/api/gradcheck", json={
        "expression": "relu(x)", "values": {"x": 1e-7}}).text)
    assert kinked["kinks"][0]["op"] == "relu"
    assert any("kink" in w for w in kinked["warnings"])


def test_gradcheck_options_and_limits(client: AppClient) -> None:
    body = client.post("/api/gradcheck", json={"expression": "x*y", "values": {"x": 1, "y": 2},
                                               "h": 1e-3, "inputs": ["y"]}).json()
    assert body["h"] == 1e-3
    assert [i["name"] for i in body["inputs"]] == ["y"]
    assert client.post("/api/gradcheck", json={"expression": "x", "values": {"x": 1},
                                               "h": 0}).status_code == 422
    big = client.post("/api/gradcheck", json={"expression": "sum(x)",
                                              "values": {"x": [1.0] * 3000}})
    assert big.status_code == 413
    assert "limit" in big.json()["detail"]["message"]


def test_gradcheck_non_finite_results_are_strict_json(client: AppClient) -> None:
    response = client.post("/api/gradcheck", json={"expression": "log(x)", "values": {"x": 0}})
    assert response.status_code == 200
    strict(response.text)


def test_classifier_trains_on_blobs_and_continues(client: AppClient) -> None:
    request = {"dataset": "blobs", "points": 150, "seed": 3, "loss": "svm", "steps": 40,
               "batch_size": 32, "learning_rate": 0.5, "grid": 20}
    first = client.post("/api/classifier", json=request)
    assert first.status_code == 200
    body = strict(first.text)
    assert body["accuracy"] >= 0.95
    assert len(body["loss_curve"]) == 40
    assert len(body["points"]["X"]) == 150 and len(body["points"]["y"]) == 150
    assert len(body["grid"]["classes"]) == 20 and len(body["grid"]["classes"][0]) == 20
    assert set(sum(body["grid"]["classes"], [])) == {0, 1, 2}
    assert "svm_loss" in body["expression"]

    again = client.post("/api/classifier", json=request).json()
    assert again["W"] == body["W"]  # reproducible with its seed

    more = client.post("/api/classifier", json={**request, "W": body["W"], "b": body["b"],
                                                "start_step": 40, "include_data": False})
    assert more.status_code == 200
    assert "points" not in more.json()
    assert more.json()["loss_curve"][0]["step"] == 40


@pytest.mark.parametrize(("patch", "status"), [
    ({"dataset": "moons"}, 422),
    ({"points": 10**6}, 413),
    ({"batch_size": 10**6}, 413),
    ({"grid": 10**4}, 413),
    ({"steps": 10**6}, 413),
    ({"W": [[1, 2]]}, 422),
    ({"W": [[1, 2, 3], [4, 5, "x"]]}, 422),
    ({"model": "deep"}, 422),
    ({"model": "two_layer", "hidden": 0}, 422),
    ({"model": "two_layer", "hidden": 10**6}, 413),
    ({"model": "two_layer", "params": {"W": [[1, 2, 3], [4, 5, 6]]}}, 422),
    ({"params": {"W": [[1, 2, 3]]}}, 422),
    ({"params": [1, 2]}, 422),
])
def test_classifier_bad_requests(client: AppClient, patch: dict[str, Any], status: int) -> None:
    response = client.post("/api/classifier", json={"steps": 1, **patch})
    assert response.status_code == status, response.text


def test_classifier_two_layer_on_the_spiral_by_name(client: AppClient) -> None:
    request = {"dataset": "spiral", "model": "two_layer", "hidden": 20, "steps": 300,
               "learning_rate": 1.0, "grid": 10, "include_data": False}
    body = strict(client.post("/api/classifier", json=request).text)
    assert body["model"] == "two_layer" and body["hidden"] == 20
    assert body["W"] is None and body["b"] is None
    shapes = {name: list(np.shape(value)) for name, value in body["params"].items()}
    assert shapes == {"W1": [2, 20], "b1": [20], "W2": [20, 3], "b2": [3]}
    assert "relu(X @ W1 + b1)" in body["expression"]
    # Continued by name, the same full-batch run goes on where it stopped.
    more = strict(client.post("/api/classifier", json={
        **request, "params": body["params"], "start_step": 300, "steps": 1}).text)
    assert more["loss_curve"][0] == {"step": 300, "loss": body["loss"]}
    linear = strict(client.post("/api/classifier", json={
        **request, "model": "linear"}).text)
    assert linear["hidden"] is None and list(linear["params"]) == ["W", "b"]
    assert linear["params"]["W"] == linear["W"]


def test_optimize_reports_roles_and_a_loss_without_minimum(client: AppClient) -> None:
    values = {"X": [[1, 2], [3, 4], [5, 6]], "W": [[1, 0], [0, 1]], "b": [0, 0],
              "y": [0, 1, 1], "reg": 0.1}
    body = strict(client.post("/api/optimize", json={
        "expression": "softmax_loss(X@W + b, y) + reg * sum(W*W)", "values": values,
        "steps": 0}).text)
    assert body["optimize"] == ["W", "b"]
    assert {r["name"]: r["role"] for r in body["roles"]} == {
        "X": "examples", "W": "parameter", "b": "parameter", "y": "labels",
        "reg": "hyperparameter"}
    assert body["unbounded"] is False and body["unbounded_evidence"] is None
    falling = strict(client.post("/api/optimize", json={
        "expression": "(x+y)z", "values": {"x": -2, "y": 5, "z": -4}, "steps": 30}).text)
    assert falling["unbounded"] is True
    assert falling["unbounded_evidence"]["loss_to"] == falling["trajectory"][-1]["loss"]


def test_a_training_run_has_its_own_budget_in_the_worker_pool() -> None:
    # Longer than an ordinary request's budget, a training run is not killed: the
    # classifier's row allows training_seconds more, and its loop stops itself there,
    # answering what it has.
    settings = Settings(request_cpu_seconds=0.5, training_seconds=1.0, compute_processes=1)
    assert HANDLERS["/api/classifier"].budget(settings) == 1.5
    assert HANDLERS["/api/graph"].budget(settings) == 0.5
    body = {"dataset": "spiral", "model": "two_layer", "steps": 10_000, "grid": 0,
            "include_data": False}
    with app_client(request_cpu_seconds=0.5, training_seconds=1.0,
                    compute_processes=1) as client:
        response = client.post("/api/classifier", json=body)
    assert response.status_code == 200, response.text  # not the 413 of an outlived budget
    answer = response.json()
    assert answer["stopped_early"] is True and 0 < answer["end_step"] < 10_000


def test_a_long_optimization_answers_its_trajectory_before_the_hard_budget() -> None:
    # The run stops itself at 80% of the request's budget, so the worker pool's hard stop
    # at 100% never turns a long run into a 413: the client gets the path so far.
    long = " + ".join(f"{i % 7 + 1}*x*x" for i in range(300))
    with app_client(request_cpu_seconds=0.5, compute_processes=1) as client:
        response = client.post("/api/optimize", json={
            "expression": long, "values": {"x": 1}, "steps": 10_000, "learning_rate": 1e-6})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stopped_early"] is True
    assert 0 < body["trajectory"][-1]["step"] < 10_000
    assert any("0.4 s" in w for w in body["warnings"])


def test_the_gradient_check_gives_each_element_its_verdict(client: AppClient) -> None:
    body = strict(client.post("/api/gradcheck", json={
        "expression": "sum(relu(w))", "values": {"w": [1.0, 0.0, -1.0]}, "wires": True}).text)
    check = body["inputs"][0]
    assert check["centered_verdicts"][0] == "excellent"
    assert check["centered_verdicts"][1] in ("suspicious", "wrong")  # relu's kink at 0
    assert len(check["forward_verdicts"]) == 3
    assert all(wire["verdict"] in ("excellent", "acceptable", "suspicious", "wrong")
               for wire in body["wires"])


def test_meta_lists_the_classifier_models_and_limits(client: AppClient) -> None:
    meta = client.get("/api/meta").json()
    assert meta["models"] == ["linear", "two_layer"]
    assert meta["limits"]["max_hidden_units"] == 1_000
    assert meta["limits"]["max_optimize_steps"] == 10_000


@pytest.mark.parametrize("path", ["/api/gradcheck", "/api/optimize", "/api/classifier"])
def test_lab_errors_speak_the_requested_language(client: AppClient, path: str) -> None:
    body = {"expression": "3x^2+", "values": {}} if path != "/api/classifier" else {
        "W": [[1.0, 2.0]]}
    english = client.post(path, json=body).json()["detail"]
    chinese = client.post(path, json={**body, "lang": "zh-CN"}).json()["detail"]
    assert english["code"] == chinese["code"]
    assert english["message"] != chinese["message"]
    assert all(ord(c) < 128 for c in english["message"].replace("×", ""))
    assert client.post(path, json={**body, "lang": "fr"}).status_code == 422


def test_the_optimizer_says_why_it_cannot_move_in_chinese(client: AppClient) -> None:
    for body, words in [({**SEED, "optimize": []}, "请至少选择一个输入"),
                        ({"expression": "x * 2", "values": {"x": [1, 2]}}, "sum(...)")]:
        detail = client.post("/api/optimize", json={**body, "lang": "zh-CN"}).json()["detail"]
        assert words in detail["message"], detail


def test_limits_follow_the_apps_settings() -> None:
    with app_client(max_optimize_steps=3) as small:
        response = small.post("/api/optimize", json={**SEED, "steps": 4})
    assert response.status_code == 413
    assert "the limit is 3" in response.json()["detail"]["message"]


def test_the_lab_is_in_the_openapi_document(client: AppClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/gradcheck", "/api/optimize", "/api/classifier"):
        assert "post" in paths[path]
