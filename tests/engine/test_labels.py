"""Class labels: a constant label must be a class index; input labels are whole numbers far
from int64's wrap-around."""

from __future__ import annotations

from typing import Any

import pytest

from circuitgrad import CircuitError, evaluate


@pytest.mark.parametrize("label", ["1.5", "pi", "1e300", "-1e300", "2^70"])
def test_a_constant_label_must_be_a_class_index(label: str) -> None:
    # svm_loss(x, 1.5) read the label as 1 and pi as 3; 1e300 answered 500
    with pytest.raises(CircuitError):
        evaluate(f"svm_loss(x, {label})", {"x": [1, 2, 3, 4]})


@pytest.mark.parametrize("label", [1e300, -1e300, 2.0 ** 63, [0, 1e19]])
def test_huge_input_labels_are_refused_by_name(label: Any) -> None:
    # cast to int64 these wrapped around to -9223372036854775808
    with pytest.raises(CircuitError) as caught:
        evaluate("svm_loss(s, y)", {"s": [[1, 2], [3, 4]] if isinstance(label, list)
                                    else [1, 2], "y": label})
    assert "922337" not in caught.value.message
    assert "'y'" in caught.value.message


def test_constant_whole_labels_still_work() -> None:
    assert evaluate("svm_loss(s, 1)", {"s": [1, 2]}).value == 0.0
    assert evaluate("softmax_loss(s, 0)", {"s": [0, 0]}).value == pytest.approx(0.6931471805599453)
