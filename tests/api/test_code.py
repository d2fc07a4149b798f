"""POST /api/graph with "code": true answers the staged code, each line tied to its step."""

from __future__ import annotations

from .conftest import AppClient


def test_the_answer_carries_the_staged_code_when_asked(client: AppClient) -> None:
    body = {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}
    plain = client.post("/api/graph", json=body).json()
    assert "code" not in plain  # only when asked: most requests do not need it
    answer = client.post("/api/graph", json={**body, "code": True}).json()
    rows = answer["code"]
    texts = [row["text"] for row in rows]
    assert texts[0] == "import numpy as np"
    assert "add1 = x + y  # = 3" in texts and "dx = dadd1" in texts
    node_ids = {node["id"] for node in answer["nodes"]}
    steps = {(step["phase"], step["node"]) for step in answer["steps"]}
    for row in rows:
        if row["phase"] == "setup":
            assert row["node"] is None
        else:  # every other line belongs to a step the stepper shows
            assert row["node"] in node_ids and (row["phase"], row["node"]) in steps
    # The line that sends z its gradient belongs to the mul gate's backward step.
    mul = next(node["id"] for node in answer["nodes"] if node["op"] == "mul")
    assert {"text": "dz = add1 * dmul1", "phase": "backward", "node": mul} in rows
