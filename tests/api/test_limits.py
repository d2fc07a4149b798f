"""Every limit of a request, each from the settings, each answered with a 4xx that names it:
body size and time, answer size, echoed names, the time budget, worker memory, the queue;
and the last resort when the code itself fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import app_client


def test_body_limit_with_and_without_content_length() -> None:
    with app_client(max_body_bytes=1_000) as client:
        big = b'{"expression": "' + b"x+" * 1_000 + b'x", "values": {"x": 1}}'
        assert client.post("/api/graph", content=big).status_code == 413

        async def chunks() -> AsyncIterator[bytes]:
            yield big[:600]
            yield big[600:]

        response = client.post("/api/graph", content=chunks())  # chunked: no length
        assert response.status_code == 413
        assert response.json()["detail"]["type"] == "LimitError"
        assert client.get("/healthz").status_code == 200


def test_the_time_budget_kills_a_slow_computation_and_the_server_goes_on() -> None:
    # 40,000 gates take seconds; the worker is killed a second past the 0.05 s budget
    slow = {"expression": "x" + "+x" * 40_000, "values": {"x": 1}}
    with app_client(request_cpu_seconds=0.05, compute_processes=1) as client:
        response = client.post("/api/graph", json=slow)
        assert response.status_code == 413
        detail = response.json()["detail"]
        assert detail["code"] == "time_budget" and "0.05 s budget" in detail["message"]
        assert client.get("/healthz").status_code == 200
        small = {"expression": "sum(W)", "values": {"W": [[1, 2]]}}
        assert client.post("/api/graph", json=small).status_code == 200  # a new worker


def test_an_export_past_the_budget_is_a_413() -> None:
    # the layout (about half a second here for its 1,300 gates) or Graphviz (which gets what
    # is left of the budget) runs out of a tenth of a second
    from .test_pool import SLOW_LAYOUT, SLOW_VALUES

    with app_client(request_cpu_seconds=0.1) as client:
        response = client.post("/api/export?format=svg",
                               json={"expression": SLOW_LAYOUT, "values": SLOW_VALUES})
        assert response.status_code == 413
        assert response.json()["detail"]["code"] == "time_budget"


def test_the_response_size_limit() -> None:
    with app_client(max_response_elements=50) as client:
        body = {"expression": "sum(a + b)", "values": {"a": [[1]] * 10, "b": [[1] * 10]}}
        response = client.post("/api/graph", json=body)
        assert response.status_code == 413 and "numbers" in response.json()["detail"]["message"]


def test_too_many_waiting_computations_is_429() -> None:
    with app_client(max_pending_computations=0) as client:
        response = client.post("/api/graph", json={"expression": "sum(W)",
                                                   "values": {"W": [1, 2]}})
        assert response.status_code == 429 and response.headers["retry-after"]


def test_a_bug_becomes_a_logged_json_500_without_traceback(
        caplog: pytest.LogCaptureFixture) -> None:
    from circuitgrad.api import create_app
    from circuitgrad.settings import Settings

    app = create_app(Settings())

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    with app_client(app, raise_app_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json()["detail"]["type"] == "InternalError"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any("unhandled error" in record.message for record in caplog.records)


def test_a_body_that_trickles_in_too_slowly_is_a_408() -> None:
    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"expression": '
        await asyncio.sleep(1.0)
        yield b'"x", "values": {"x": 1}}'

    with app_client(body_timeout_seconds=0.3) as client:
        response = client.post("/api/graph", content=trickle(),
                               headers={"content-type": "application/json"})
        assert response.status_code == 408
        assert response.json()["detail"]["code"] == "body_timeout"
        assert response.headers["connection"] == "close"


# ---- the size of an answer ------------------------------------------------------------------

def test_a_chain_of_minus_signs_does_not_make_megabytes_of_answer() -> None:
    # 50 KB of them answered 39 MB of JSON (every gate's row, steps and DOT line); 5,000 make
    # about 9 MB today, over a 4 MB limit.
    body = {"expression": "-" * 5_000 + "x", "values": {"x": 1}}
    with app_client(max_response_bytes=4_000_000) as client:
        response = client.post("/api/graph", json=body)
    assert response.status_code == 413, len(response.content)
    detail = response.json()["detail"]
    assert detail["code"] == "response_bytes"
    assert "CIRCUITGRAD_MAX_RESPONSE_BYTES" in detail["message"]
    assert detail["params"]["limit"] == 4_000_000 < detail["params"]["bytes"]


def test_a_foreseeable_answer_is_refused_before_it_is_built() -> None:
    # 100,000-element tensors: at least 1.2 MB of numbers, known before building the JSON.
    body = {"expression": "sum(a*2)", "values": {"a": [1.5] * 100_000}}
    with app_client(max_response_bytes=1_000_000) as client:
        detail = client.post("/api/graph", json=body).json()["detail"]
    assert detail["code"] == "response_bytes" and "at least" in detail["message"]


@pytest.mark.parametrize(("path", "body"), [
    ("/api/optimize", {"expression": "sum(a*a)", "values": {"a": [0.5] * 2_000}, "steps": 20}),
    ("/api/export?format=dot", {"expression": "+".join(["x"] * 500), "values": {"x": 1}}),
])
def test_the_byte_limit_holds_for_other_routes_too(path: str, body: dict[str, object]) -> None:
    with app_client(max_response_bytes=20_000) as client:
        response = client.post(path, json=body)
    assert response.status_code == 413, response.text[:200]
    assert response.json()["detail"]["code"] == "response_bytes"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["x", "-x", "x*y", "exp(x)", "sum(v)", "max(x, y)", "v*x",
                                 "q", "sigmoid(x)", "sum(W@v)", "x^2", "(x+y)/2"]),
                min_size=1, max_size=8), st.booleans())
def test_the_foreseen_size_never_exceeds_the_real_one(terms: list[str], expand: bool) -> None:
    from circuitgrad import evaluate
    from circuitgrad.api.encoding import json_bytes
    from circuitgrad.api.handlers import foreseen_bytes
    from circuitgrad.export import dot_source

    source = "q = x*y\n" + "f = " + " + ".join(f"sum({term})" for term in terms)
    values = {"x": 0.5, "y": -2.0, "v": [1.0, 2.0, 3.0], "W": [[1, 0, 2], [0, 1, 1]]}
    result = evaluate(source, values, expand=expand)
    body = result.to_dict()
    body["dot"] = dot_source(result)
    assert foreseen_bytes(result) <= len(json_bytes(body))


# ---- echoed names ---------------------------------------------------------------------------

def test_unused_names_echoed_in_warnings_are_capped() -> None:
    values = {"x": 1, **{f"unused{i}": 1 for i in range(5_000)}}
    with app_client(max_warning_names=3) as client:
        warnings = client.post("/api/graph", json={"expression": "x", "values": values}
                               ).json()["warnings"]
    assert len(warnings) == 4
    assert all("unused" in warning for warning in warnings[:3])
    assert warnings[3].startswith("and 4,997 more values")
