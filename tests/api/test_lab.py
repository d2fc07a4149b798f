"""The lab's routes through the real app, in its worker processes: /api/gradcheck,
/api/optimize, /api/classifier."""

from __future__ import annotations

from typing import Any

import pytest

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
    ({"steps": 100_000}, 413, "the limit is 5,000"),
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
])
def test_classifier_bad_requests(client: AppClient, patch: dict[str, Any], status: int) -> None:
    response = client.post("/api/classifier", json={"steps": 1, **patch})
    assert response.status_code == status, response.text


def test_limits_follow_the_apps_settings() -> None:
    with app_client(max_optimize_steps=3) as small:
        response = small.post("/api/optimize", json={**SEED, "steps": 4})
    assert response.status_code == 413
    assert "the limit is 3" in response.json()["detail"]["message"]


def test_the_lab_is_in_the_openapi_document(client: AppClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/gradcheck", "/api/optimize", "/api/classifier"):
        assert "post" in paths[path]
