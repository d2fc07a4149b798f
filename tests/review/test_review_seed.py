"""Review regressions: a seed_grad of the wrong shape ignored for a constant output."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_seed_grad_of_the_wrong_shape_is_refused_for_a_constant_output(
        client: TestClient) -> None:
    response = client.post("/api/graph", json={"expression": "3", "values": {},
                                               "seed_grad": [1, 2]})
    assert response.status_code == 422, response.text
    assert "seed_grad" in response.json()["detail"]["message"]
