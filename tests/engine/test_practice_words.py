"""The parts a client words questions and hints from (practice mode): each step's `words`
say the same as its text, name no internal id, and hold the numbers the wires show."""

from __future__ import annotations

import re
from typing import Any

import pytest

from circuitgrad import evaluate
from circuitgrad.api.examples import EXAMPLES
from circuitgrad.lang import LANGUAGES
from circuitgrad.numformat import format_number
from circuitgrad.staged import code_rows

NEURON = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
INTERNAL_ID = re.compile(r"\b[ne]\d+\b")


def _bracketed(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _strings(words: Any) -> list[str]:
    if isinstance(words, dict):
        return [text for value in words.values() for text in _strings(value)]
    return [words] if isinstance(words, str) else []


def test_the_neuron_words_its_gates_forward_and_backward() -> None:
    answer = evaluate(NEURON, NEURON_VALUES).to_dict()
    steps = {(s["phase"], s["node"]): s for s in answer["steps"]}
    mul = steps[("forward", "n2")]["words"]
    assert mul == {"gate": "multiply", "name": None, "formula": "w0 × x0",
                   "numbers": "2 × (-1)"}
    back = steps[("backward", "n2")]["words"]
    assert back["gate"] == "multiply" and back["pattern_name"] == "mul swaps"
    assert back["pattern"].startswith("mul swaps: ")
    assert back["wires"]["e0"] == {"input": "w0", "of": "w0", "local": "x0",
                                   "local_numbers": "x0 = -1", "product": "-1 × 0.1966"}
    recip = steps[("backward", "n13")]["words"]["wires"]["e12"]
    assert recip["local_numbers"] == "-1/(1 + exp(…))² = -1/1.368² = -0.5344"
    assert recip["product"] == "-0.5344 × 1"
    # Inputs and constants are given: no parts to ask about.
    assert "words" not in steps[("forward", "n0")]


def test_a_fan_out_words_its_sum_and_its_pattern_in_both_languages() -> None:
    for lang, name in (("en", "fan-out sums"), ("zh-CN", "分支求和")):
        answer = evaluate("x*x + x", {"x": 3}, lang=lang).to_dict()
        step = next(s for s in answer["steps"] if s["phase"] == "backward" and s["node"] == "n0")
        fanout = step["words"]["fanout"]
        assert fanout["count"] == 3 and fanout["terms"] == "3 + 3 + 1"
        assert fanout["pattern_name"] == name and fanout["pattern"].startswith(name)


def test_ties_and_branches_word_the_case_taken() -> None:
    answer = evaluate("max(x, y)", {"x": 2, "y": -1}).to_dict()
    wires = answer["steps"][-3]["words"]["wires"]
    assert wires["e0"]["local_numbers"] == "here 2 > -1, so it is 1"
    assert wires["e1"]["product"] == "0 × 1"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_has_words_that_match_its_numbers(example: dict[str, Any], expand: bool,
                                                        lang: str) -> None:
    answer = evaluate(example["expression"], example["values"], expand=expand,
                      lang=lang).to_dict()
    nodes = {n["id"]: n for n in answer["nodes"]}
    edges = {e["id"]: e for e in answer["edges"]}
    for step in answer["steps"]:
        words = step.get("words")
        node = nodes[step["node"]]
        for text in _strings(words):
            assert not INTERNAL_ID.search(text), (step["node"], text)
        if step["phase"] == "forward":
            assert (words is None) == (node["op"] in ("input", "const")), step
            continue
        if step.get("upstream") is None:
            continue
        assert words is not None and words["f"]
        if "fanout" in step:
            terms = [format_number(edges[w]["grad"]) for w in step["fanout"]]
            if all(isinstance(edges[w]["grad"], float) for w in step["fanout"]):
                expected = " + ".join([terms[0], *map(_bracketed, terms[1:])])
                assert words["fanout"]["terms"] == expected
            assert words["fanout"]["count"] == len(step["fanout"])
        if node["op"] == "input":
            continue
        assert set(words["wires"]) == set(step["locals"])
        for wire, local in step["locals"].items():
            said = words["wires"][wire]
            if local is None:
                assert said["product"] is None
                continue
            upstream = format_number(step["upstream"])
            assert said["product"] == f"{format_number(local)} × {_bracketed(upstream)}"
            assert said["product"] in step["text"] and said["local"] in step["text"]
            assert isinstance(edges[wire]["grad"], float)


def test_code_rows_mark_the_value_comment() -> None:
    rows = code_rows(evaluate("x*x + x", {"x": 3}))
    commented = [row for row in rows if "comment" in row]
    assert [row["text"] for row in commented] == ["mul1 = x * x  # = 9", "add1 = mul1 + x  # = 12"]
    assert all(row["text"].endswith(row["comment"]) for row in commented)
    assert all("# =" not in row["text"] for row in rows if "comment" not in row)
