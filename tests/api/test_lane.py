"""The computing routes' lane (api/lane.py) answers exactly what FastAPI's routes answer.

The same app is asked twice: once at its own paths, where the lane answers a POST to a
handler-table row, and once mounted under a root path, where the lane steps aside and
FastAPI's router reaches the route's endpoint in app.py. Status, headers and body must be the
same, for answers computed on the event loop and in a worker, and for every kind of refusal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import SIGMOID, AppClient, app_client

TENSOR = {"expression": "sum(W@x)", "values": {"W": [[1, 2], [3, 4]], "x": [1, -1]}}
JSON = {"content-type": "application/json"}

REQUESTS: list[tuple[str, dict[str, str], bytes]] = [
    ("/api/graph", JSON, json.dumps(SIGMOID).encode()),
    ("/api/graph", JSON, json.dumps({**SIGMOID, "lang": "zh-CN", "code": True}).encode()),
    ("/api/graph", JSON, json.dumps({**SIGMOID, "dot": False}).encode()),
    ("/api/graph", JSON, json.dumps(TENSOR).encode()),  # not small: a worker answers
    ("/api/graph", {"accept-language": "zh-CN"}, json.dumps(SIGMOID).encode()),  # 415
    ("/api/graph", {"content-type": "text/plain"}, b"x"),  # 415
    ("/api/graph", JSON, b'{"expression": '),  # 422: not JSON
    ("/api/graph", JSON, b'{"expression": 3}'),  # 422: schema
    ("/api/graph", JSON, b'{"expression": "(x+y", "values": {}}'),  # 422: position
    ("/api/graph", JSON, b'{"expression": "x", "values": {"x": NaN}}'),  # 422: NaN token
    ("/api/export?format=dot", JSON, json.dumps(SIGMOID).encode()),
    ("/api/export?format=svg&format=dot", JSON, json.dumps(SIGMOID).encode()),  # last wins
    ("/api/export?format=gif", JSON, json.dumps(SIGMOID).encode()),  # 422: query
    ("/api/inputs", JSON, b'{"expression": "W@x + b"}'),
    ("/api/gradcheck", JSON, json.dumps(SIGMOID).encode()),
]


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[AppClient, httpx.AsyncClient]]:
    """The lane's client, and a client of the same app under a root path (the router's)."""
    with app_client() as lane:
        routed = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=lane.app, root_path="/mounted"),
            base_url="http://testserver", timeout=60)
        try:
            yield lane, routed
        finally:
            lane.portal.call(routed.aclose)


def _routed(both: tuple[AppClient, httpx.AsyncClient], method: str, url: str,
            **kwargs: Any) -> httpx.Response:
    lane, routed = both
    response: httpx.Response = lane.portal.call(
        lambda: routed.request(method, "/mounted" + url, **kwargs))
    return response


@pytest.mark.parametrize(("url", "headers", "body"), REQUESTS)
def test_the_lane_answers_as_the_route_does(both: tuple[AppClient, httpx.AsyncClient],
                                            url: str, headers: dict[str, str],
                                            body: bytes) -> None:
    lane, _ = both
    by_lane = lane.post(url, headers=headers, content=body)
    by_route = _routed(both, "POST", url, headers=headers, content=body)
    assert by_lane.status_code == by_route.status_code
    assert by_lane.headers.multi_items() == by_route.headers.multi_items()
    assert by_lane.content == by_route.content


def test_the_lane_leaves_other_methods_and_paths_to_the_router(
        both: tuple[AppClient, httpx.AsyncClient]) -> None:
    lane, _ = both
    assert lane.get("/api/graph").status_code == 405
    assert lane.get("/api/graph").json()["detail"]["code"] == "method_not_allowed"
    assert lane.post("/api/nothing", headers=JSON, content=b"{}").status_code == 404
    # the mounted app's own paths are the router's too, and answer as at the root
    assert _routed(both, "POST", "/api/graph", headers=JSON,
                   content=json.dumps(SIGMOID).encode()).json()["value"] == pytest.approx(
        0.7311, abs=1e-4)
