"""POST /api/graph and /api/export, and the GET routes beside them, field for field against
the API contract."""

from __future__ import annotations

import json
import math

import pytest

from circuitgrad import __version__

from .conftest import SIGMOID, AppClient, strict_json

CS231N = {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}


def test_healthz(client: AppClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_version(client: AppClient) -> None:
    body = client.get("/api/version").json()
    assert body["version"] == __version__ and body["name"] == "circuitgrad"
    assert isinstance(body["graphviz"], bool)


def test_examples_are_listed_and_each_evaluates(client: AppClient) -> None:
    examples = client.get("/api/examples").json()
    ids = [example["id"] for example in examples]
    assert len(ids) == len(set(ids)) >= 12
    for example in examples:
        assert {"id", "title", "lesson", "expression", "values", "expand"} <= set(example)
        body = {key: example[key] for key in ("expression", "values", "expand")}
        response = client.post("/api/graph", json=body)
        assert response.status_code == 200, (example["id"], response.text)
        assert response.json()["warnings"] == [], example["id"]
    by_id = {example["id"]: example for example in examples}
    assert by_id["matmul-sum"]["hints"] == {"W": [2, 3], "x": [3]}
    assert by_id["sigmoid-neuron-expanded"]["expand"] is True


def test_graph_contract_on_the_cs231n_circuit(client: AppClient) -> None:
    response = client.post("/api/graph", json=CS231N)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = strict_json(response.text)
    assert body["value"] == -12.0
    assert body["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    nodes = {node["id"]: node for node in body["nodes"]}
    assert body["output"] in nodes
    order = [node["id"] for node in body["nodes"]]
    for node in body["nodes"]:  # topological: inputs come before their users
        assert all(order.index(j) < order.index(node["id"]) for j in node["inputs"])
        assert node["shape"] == []
    assert nodes["n0"] == {**nodes["n0"], "op": "input", "label": "x", "inputs": [],
                           "value": -2.0, "grad": -4.0}
    for edge in body["edges"]:
        assert edge["source"] in nodes and edge["target"] in nodes
        assert edge["value"] == nodes[edge["source"]]["value"]
    steps = body["steps"]
    assert [s["phase"] for s in steps] == ["forward"] * len(order) + ["backward"] * len(order)
    assert [s["node"] for s in steps] == order + order[::-1]
    assert all(step["text"] for step in steps)
    assert body["warnings"] == []
    assert body["dot"].startswith("digraph") and 'id="n0"' not in body["dot"][:8]


def test_fan_out_wire_gradients_sum_to_the_node_gradient(client: AppClient) -> None:
    body = client.post("/api/graph", json={"expression": "x*x + x", "values": {"x": 3}}).json()
    assert body["gradients"] == {"x": 7.0}
    x = next(node for node in body["nodes"] if node["label"] == "x")
    wires = [edge["grad"] for edge in body["edges"] if edge["source"] == x["id"]]
    assert len(wires) == 3 and math.isclose(sum(wires), x["grad"])


def test_sigmoid_neuron_collapsed_and_expanded(client: AppClient) -> None:
    collapsed = client.post("/api/graph", json=SIGMOID).json()
    expanded = client.post("/api/graph", json={**SIGMOID, "expand": True}).json()
    assert math.isclose(collapsed["value"], 0.7311, abs_tol=1e-4)
    assert len(expanded["nodes"]) > len(collapsed["nodes"])
    for name, grad in collapsed["gradients"].items():
        assert math.isclose(grad, expanded["gradients"][name], rel_tol=1e-12)
    assert math.isclose(collapsed["gradients"]["w0"], -0.1966, abs_tol=1e-4)


def test_seed_grad_scales_every_gradient(client: AppClient) -> None:
    body = client.post("/api/graph", json={**CS231N, "seed_grad": 2}).json()
    assert body["gradients"] == {"x": -8.0, "y": -8.0, "z": 6.0}


def test_tensors_go_through_a_worker_with_the_same_answer(client: AppClient) -> None:
    body = {"expression": "sum(W@x)", "values": {"W": [[1, 2], [3, 4]], "x": [1, -1]}}
    answer = client.post("/api/graph", json=body).json()
    assert answer["value"] == -2.0
    assert answer["gradients"] == {"W": [[1.0, -1.0], [1.0, -1.0]], "x": [4.0, 6.0]}
    shapes = {node["label"]: node["shape"] for node in answer["nodes"]}
    assert shapes["W"] == [2, 2] and shapes["x"] == [2]
    # a long scalar program also goes to a worker: same numbers as inline
    long = {"expression": " + ".join(["x*y"] * 60), "values": {"x": 2, "y": 3}}
    assert client.post("/api/graph", json=long).json()["gradients"] == {"x": 180.0, "y": 120.0}


def test_labels_are_class_indices_without_gradient(client: AppClient) -> None:
    body = {"expression": "svm_loss(s, y)", "values": {"s": [[1, 2, 3], [3, 2, 1]], "y": [2, 0]}}
    answer = client.post("/api/graph", json=body).json()
    assert set(answer["gradients"]) == {"s"}


def test_non_finite_numbers_are_strings_in_strict_json(client: AppClient) -> None:
    response = client.post("/api/graph", json={"expression": "log(x)", "values": {"x": 0}})
    assert response.status_code == 200
    body = strict_json(response.text)
    assert body["value"] == "-Infinity" and body["gradients"] == {"x": "Infinity"}
    assert any("not finite" in warning for warning in body["warnings"])
    tensor = {"expression": "sum(log(v))", "values": {"v": [0, 1]}}
    body = strict_json(client.post("/api/graph", json=tensor).text)
    assert body["value"] == "-Infinity" and body["gradients"]["v"] == ["Infinity", 1.0]
    nan = {"expression": "x - x", "values": {"x": 1e308}}
    body = strict_json(client.post("/api/graph", json={"expression": "0*x^9^9",
                                                       "values": {"x": 2}}).text)
    assert body["value"] == "NaN"
    assert client.post("/api/graph", json=nan).status_code == 200


def test_unused_values_are_named_in_warnings(client: AppClient) -> None:
    body = client.post("/api/graph", json={"expression": "x", "values": {"x": 1, "q": 2}}).json()
    assert any("'q'" in warning for warning in body["warnings"])


@pytest.mark.parametrize("fmt,media", [("dot", "text/vnd.graphviz"), ("svg", "image/svg+xml"),
                                       ("png", "image/png")])
def test_export(client: AppClient, fmt: str, media: str) -> None:
    response = client.post(f"/api/export?format={fmt}", json=CS231N)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert f'filename="circuit.{fmt}"' in response.headers["content-disposition"]
    if fmt == "png":
        assert response.content.startswith(b"\x89PNG")
    else:
        assert "12" in response.text and "digraph" not in response.text[:0]


def test_export_without_graphviz_is_503_saying_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from circuitgrad import export
    from circuitgrad.api.handlers import HANDLERS, answer
    from circuitgrad.api.schemas import ExportQuery, GraphRequest
    from circuitgrad.settings import Settings

    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    row, body = HANDLERS["/api/export"], GraphRequest.model_validate(CS231N)
    outcome = answer(row, body, ExportQuery(format="svg"), Settings())
    assert outcome.status == 503
    assert "apt-get install graphviz" in json.loads(outcome.body)["detail"]["message"]
    assert answer(row, body, ExportQuery(format="dot"), Settings()).status == 200


def test_export_format_is_validated(client: AppClient) -> None:
    response = client.post("/api/export?format=bmp", json=CS231N)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["errors"][0]["loc"] == ["query", "format"]
    assert detail["message"].startswith("format: ")


def test_a_syntax_error_has_a_position(client: AppClient) -> None:
    response = client.post("/api/graph", json={"expression": "x + * y", "values": {}})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["type"] == "ParseError" and detail["position"] == 4
    assert {"message", "line", "column"} <= set(detail)


@pytest.mark.parametrize("body,culprit", [
    ({"expression": "x*y", "values": {"x": 1}}, "'y'"),
    ({"expression": "W@v", "values": {"W": [[1, 2]], "v": [1, 2, 3]}}, "W is a 1×2 matrix"),
    ({"expression": "max(x)", "values": {"x": 1}}, "max"),
    ({"expression": "sigmoud(x)", "values": {"x": 1}}, "sigmoud"),
])
def test_engine_errors_name_the_culprit(client: AppClient, body: dict[str, object],
                                        culprit: str) -> None:
    response = client.post("/api/graph", json=body)
    assert response.status_code == 422
    assert culprit in response.json()["detail"]["message"]


def test_validation_errors_are_the_one_error_shape_listing_every_problem(
        client: AppClient) -> None:
    response = client.post("/api/graph", json={"values": {}})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["type"] == "ValidationError" and detail["code"] == "invalid_request"
    assert detail["message"] == "expression: Field required"
    assert detail["params"] == {"field": "expression", "reason": "Field required"}
    issue = detail["errors"][0]
    assert issue["loc"] == ["body", "expression"] and issue["type"] == "missing"


def test_a_limit_is_413(client: AppClient) -> None:
    response = client.post("/api/graph", json={"expression": "+".join(["x"] * 60_000),
                                               "values": {"x": 1}})
    assert response.status_code == 413
    assert response.json()["detail"]["type"] == "LimitError"


def test_a_body_that_is_not_json_is_415(client: AppClient) -> None:
    response = client.post("/api/graph", content=b"x=1", headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_unknown_paths_and_methods_are_json_4xx(client: AppClient) -> None:
    missing = client.get("/api/nothing")
    assert missing.status_code == 404
    assert missing.json()["detail"]["type"] == "NotFound"
    assert missing.json()["detail"]["code"] == "not_found"
    assert client.get("/api/graph").status_code == 405


def test_openapi_and_docs(client: AppClient) -> None:
    document = client.get("/openapi.json").json()
    assert {"/api/graph", "/api/export", "/api/examples", "/healthz", "/api/version"} <= set(
        document["paths"])
    assert {"GraphRequest", "InputValue", "OutputValue", "ErrorResponse"} <= set(
        document["components"]["schemas"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.headers[
        "content-security-policy"]


def test_seed_grad_of_the_wrong_shape_is_refused_for_a_constant_output(
        client: AppClient) -> None:
    # it was silently ignored when the output is a constant
    response = client.post("/api/graph", json={"expression": "3", "values": {},
                                               "seed_grad": [1, 2]})
    assert response.status_code == 422, response.text
    assert "seed_grad" in response.json()["detail"]["message"]
