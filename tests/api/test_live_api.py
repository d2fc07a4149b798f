"""What live inputs ask of /api/graph: the numbers without the diagram's layout."""

from __future__ import annotations

from .conftest import SIGMOID, AppClient, strict_json


def test_without_dot_the_answer_is_the_same_but_for_the_layout(client: AppClient) -> None:
    full = strict_json(client.post("/api/graph", json=SIGMOID).text)
    response = client.post("/api/graph", json={**SIGMOID, "dot": False})
    assert response.status_code == 200
    numbers = strict_json(response.text)
    assert "dot" not in numbers and full["dot"].startswith("digraph")
    assert {k: v for k, v in full.items() if k != "dot"} == numbers


def test_dot_must_be_a_boolean(client: AppClient) -> None:
    response = client.post("/api/graph", json={**SIGMOID, "dot": "no"})
    assert response.status_code == 422
    assert strict_json(response.text)["detail"]["errors"][0]["loc"] == ["body", "dot"]


def test_code_rows_carry_the_value_comment(client: AppClient) -> None:
    body = strict_json(client.post("/api/graph", json={**SIGMOID, "code": True}).text)
    commented = [row for row in body["code"] if "comment" in row]
    assert commented and all(row["phase"] == "forward" for row in commented)
    assert all(row["text"].endswith(row["comment"]) for row in commented)
