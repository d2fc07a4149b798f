"""An unnamed output is called f, as in the notes, unless the learner already called something
f: then the steps, the preview, the diagram's end label and the answer agree on another name,
so that "∂f/∂f" never means two things."""

from __future__ import annotations

import re

import pytest

from circuitgrad import evaluate
from circuitgrad.export import dot_source


def _end_label(dot: str) -> str:
    match = re.search(r'\boutput \[label="([^"]+)"', dot)
    assert match, "the drawing ends in a labelled output"
    return match.group(1)


@pytest.mark.parametrize(("text", "values", "name"), [
    ("(x+y)*z", {"x": -2, "y": 5, "z": -4}, "f"),
    ("f*2", {"f": 3}, "out"),
    ("f*out + 1", {"f": 3, "out": 2}, "F"),
    ("q = x + y; q * 2", {"x": 1, "y": 2}, "f"),
    ("f = x * 2; f + 1", {"x": 1}, "out"),
])
def test_the_output_is_called_by_a_name_nothing_else_has(text: str, values: dict[str, float],
                                                          name: str) -> None:
    result = evaluate(text, values)
    answer = result.to_dict()
    assert answer["output_name"] == name
    assert _end_label(dot_source(result)) == name
    backward = [step["text"] for step in answer["steps"] if step["phase"] == "backward"]
    assert backward[0].startswith(f"Start: ∂{name}/∂{name} = 1")
    assert all(f"∂{name}/∂" in text for text in backward if "∂" in text)
    preview = answer["latex"].replace(r"\mathit{", "").replace("}", "")
    assert preview.startswith(f"{name} = ") or f" {name} &= " in preview, preview


def test_a_named_output_keeps_its_own_name() -> None:
    answer = evaluate("x = a * 2; y = x + 1", {"a": 1}).to_dict()
    assert answer["output_name"] == "y"


def test_in_chinese_too() -> None:
    steps = evaluate("f*2", {"f": 3}, lang="zh-CN").to_dict()["steps"]
    assert any("∂out/∂f" in step["text"] for step in steps)
