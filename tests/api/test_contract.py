"""One contract for every route: JSON in (415 otherwise), one error shape out, HEAD wherever
GET, relative redirects, and GET /api/meta from the code's own lists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from circuitgrad.api.handlers import HANDLERS
from circuitgrad.check import VERDICTS, verdict
from circuitgrad.classifier import make_dataset
from circuitgrad.lang import LANGUAGES
from circuitgrad.ops import FUNCTIONS
from circuitgrad.optimize import optimize
from circuitgrad.settings import CLIENT_LIMITS, Settings

from .conftest import AppClient, app_client, strict_json

ERROR_KEYS = {"type", "code", "message", "params", "position", "line", "column"}
# A valid body for each computing route (each row of the handler table).
VALID: dict[str, dict[str, Any]] = {
    "/api/graph": {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}},
    "/api/export": {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}},
    "/api/gradcheck": {"expression": "3x^2+6x", "values": {"x": 2}},
    "/api/optimize": {"expression": "3x^2+6x", "values": {"x": 2}, "steps": 2},
    "/api/classifier": {"steps": 1, "points": 30, "grid": 2},
    "/api/inputs": {"expression": "sum(W@x)", "shapes": {"W": [3, 2]}},
}
ROWS = sorted(HANDLERS)


def error_detail(response: Any) -> dict[str, Any]:
    """The error's detail, checked to have the one shape."""
    assert response.headers["content-type"] == "application/json", response.headers
    detail = strict_json(response.text)["detail"]
    assert isinstance(detail, dict) and ERROR_KEYS <= set(detail), detail
    assert isinstance(detail["params"], dict) and isinstance(detail["code"], str)
    return detail


def test_every_computing_route_has_a_valid_example_here() -> None:
    assert set(VALID) == set(HANDLERS), "a valid body for each row of the table"


@pytest.mark.parametrize("path", ROWS)
def test_a_valid_body_is_answered(client: AppClient, path: str) -> None:
    response = client.post(path, json=VALID[path])
    assert response.status_code == 200, response.text[:300]


@pytest.mark.parametrize("path", ROWS)
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", "application/xml"])
def test_every_post_requires_json(client: AppClient, path: str, content_type: str | None
                                  ) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    # httpx adds no Content-Type to raw content, so None really sends none
    response = client.post(path, content=json.dumps(VALID[path]).encode(), headers=headers)
    assert response.status_code == 415
    detail = error_detail(response)
    assert detail["code"] == "unsupported_media_type"
    assert "application/json" in detail["message"]


@pytest.mark.parametrize("path", ROWS)
def test_json_with_a_charset_is_json(client: AppClient, path: str) -> None:
    response = client.post(path, content=json.dumps(VALID[path]).encode(),
                           headers={"content-type": "Application/JSON; charset=utf-8"})
    assert response.status_code == 200


MALFORMED: list[tuple[str, bytes, str]] = [
    ("not JSON", b"{not json", "invalid_json"),
    ("empty", b"", "invalid_json"),
    ("NaN token", b'{"expression": "x", "values": {"x": NaN}}', "invalid_json"),
    ("not UTF-8", b'{"expression": "\xff"}', "invalid_json"),
    ("a list", b"[1, 2]", "invalid_request"),
    ("wrong type", b'{"expression": 3}', "invalid_request"),
]


@pytest.mark.parametrize("path", ROWS)
@pytest.mark.parametrize(("name", "body", "code"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_every_malformed_body_is_the_same_422(client: AppClient, path: str, name: str,
                                              body: bytes, code: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text[:300]
    detail = error_detail(response)
    assert detail["type"] == "ValidationError" and detail["code"] == code
    assert detail["message"] and detail["errors"][0]["msg"]


def test_a_schema_error_names_the_field(client: AppClient) -> None:
    response = client.post("/api/optimize", json={**VALID["/api/optimize"], "steps": "many"})
    detail = error_detail(response)
    assert detail["params"]["field"] == "steps"
    assert detail["message"].startswith("steps: ")
    assert detail["errors"][0]["loc"] == ["body", "steps"]


def test_a_computation_error_keeps_its_position_in_the_one_shape(client: AppClient) -> None:
    for path in ("/api/graph", "/api/gradcheck", "/api/optimize"):
        response = client.post(path, json={"expression": "x + * y", "values": {"x": 1, "y": 2}})
        assert response.status_code == 422
        detail = error_detail(response)
        assert detail["type"] == "ParseError" and detail["position"] == 4


def test_other_errors_have_the_one_shape_too(client: AppClient) -> None:
    for response, status in ((client.get("/api/nothing"), 404), (client.get("/api/graph"), 405),
                             (client.post("/healthz", json={}), 405)):
        assert response.status_code == status
        error_detail(response)


GETS = ["/healthz", "/api/version", "/api/meta", "/api/examples", "/", "/js/main.js",
        "/openapi.json", "/docs"]


@pytest.mark.parametrize("path", GETS)
def test_head_works_wherever_get_does(client: AppClient, path: str) -> None:
    got = client.get(path)
    head = client.request("HEAD", path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_redirects_are_relative_whatever_the_host_header(client: AppClient) -> None:
    response = client.get("/js", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (301, 302, 307, 308)
    assert response.headers["location"] == "/js/"
    assert "evil" not in response.text


def test_meta_lists_come_from_the_code(client: AppClient) -> None:
    meta = strict_json(client.get("/api/meta").text)
    assert set(meta) >= {"version", "languages", "functions", "constants", "optimizer_methods",
                         "verdicts", "datasets", "losses", "limits"}
    assert meta["languages"] == ["en", "zh-CN"] == list(LANGUAGES)
    assert meta["functions"] == sorted(FUNCTIONS)
    assert {"exp", "sigmoid", "softmax_loss", "svm_loss", "ln"} <= set(meta["functions"])
    assert meta["constants"] == ["e", "pi"]
    assert set(meta["limits"]) == set(CLIENT_LIMITS)
    assert meta["limits"]["max_optimize_steps"] == Settings().max_optimize_steps
    # each list is what the core accepts: every method runs, every dataset is made, and the
    # verdicts are the ones the thresholds give, best first
    for method in meta["optimizer_methods"]:
        assert optimize("x^2", {"x": 1}, method=method, steps=1).method == method
    for dataset in meta["datasets"]:
        assert make_dataset(dataset, 9)[0].shape == (9, 2)
    given = [verdict(0.0)[0], *[verdict(threshold * 1.01)[0] for threshold, _, _ in VERDICTS[::-1]]]
    assert meta["verdicts"] == given


def test_meta_limits_follow_the_settings() -> None:
    with app_client(max_optimize_steps=7) as small:
        assert small.get("/api/meta").json()["limits"]["max_optimize_steps"] == 7


# ---- the page and the headers ------------------------------------------------------------

def test_the_page_is_served_with_its_csp(client: AppClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self';",
                      "connect-src 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in response.headers


def test_only_the_page_assets_are_exposed(client: AppClient) -> None:
    script = client.get("/js/main.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    for private in ("/package.json", "/node_modules/.package-lock.json", "/scripts/",
                    "/js/../package.json", "/%2e%2e/pyproject.toml"):
        assert client.get(private).status_code == 404, private


def test_asset_mime_types_and_placeholder(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "vendor").mkdir()
    (root / "vendor" / "viz.wasm").write_bytes(b"\0asm")
    (root / "vendor" / "viz.mjs").write_text("export {};")
    (root / "index.html").write_text("<!doctype html><title>t</title>")
    with app_client(frontend_dir=str(root)) as client:
        assert client.get("/vendor/viz.wasm").headers["content-type"] == "application/wasm"
        assert client.get("/vendor/viz.mjs").headers["content-type"].startswith(
            "text/javascript")
    (root / "index.html").unlink()
    with app_client(frontend_dir=str(root)) as client:
        page = client.get("/")
        assert page.status_code == 200 and "/docs" in page.text


def test_cors_only_when_configured() -> None:
    with app_client(cors_origins="https://slides.example") as client:
        response = client.get("/healthz", headers={"origin": "https://slides.example"})
        assert response.headers["access-control-allow-origin"] == "https://slides.example"
        other = client.get("/healthz", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


