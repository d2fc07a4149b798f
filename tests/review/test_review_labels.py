"""Review regressions: constant labels truncated or 500, huge input labels wrapped."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from circuitgrad import CircuitError, evaluate


@pytest.mark.parametrize("label", ["1.5", "pi", "1e300", "-1e300", "2^70"])
def test_constant_labels_must_be_class_indices(client: TestClient, label: str) -> None:
    # svm_loss(x, 1.5) read the label as 1 and pi as 3; 1e300 answered 500.
    body = {"expression": f"svm_loss(x, {label})", "values": {"x": [1, 2, 3, 4]}}
    response = client.post("/api/graph", json=body)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("label", [1e300, -1e300, 2.0 ** 63, [0, 1e19]])
def test_huge_input_labels_are_refused_by_name(label: Any) -> None:
    # Cast to int64 these wrapped around to -9223372036854775808.
    with pytest.raises(CircuitError) as caught:
        evaluate("svm_loss(s, y)", {"s": [[1, 2], [3, 4]] if isinstance(label, list)
                                    else [1, 2], "y": label})
    assert "922337" not in caught.value.message


def test_constant_whole_labels_still_work() -> None:
    result = evaluate("svm_loss(s, 1)", {"s": [1, 2]})
    assert result.value == 0.0
    assert evaluate("softmax_loss(s, 0)", {"s": [0, 0]}).value == pytest.approx(0.6931471805599453)
