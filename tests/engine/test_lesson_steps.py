"""Every step text of every built-in example, collapsed and expanded, in both languages, says
what the chain rule does with the numbers the page shows on the wires.

The numbers a text must hold are formatted by the page's own formatter
(frontend/js/format.js, run in node), not by the server's: the two must agree digit for digit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from circuitgrad import evaluate
from circuitgrad.api.examples import EXAMPLES
from circuitgrad.lang import LANGUAGES

FORMAT_JS = Path(__file__).parents[2] / "frontend" / "js" / "format.js"

# The page's formatter, fed every value of every answer at once (one node process).
_PAGE_FORMAT = """
import { decodeValue, formatWireValue, shapeOf } from %s;
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const values = JSON.parse(input);
  const texts = values.map((raw) => {
    const value = decodeValue(raw);
    return formatWireValue(value, Array.isArray(value) ? shapeOf(value) : []);
  });
  process.stdout.write(JSON.stringify(texts));
});
"""

CASES = [(example, expand, lang) for example in EXAMPLES for expand in (False, True)
         for lang in LANGUAGES]


def _answers() -> list[dict[str, Any]]:
    return [evaluate(example["expression"], example["values"], expand=expand,
                     lang=lang).to_dict() for example, expand, lang in CASES]


@pytest.fixture(scope="module")
def answers() -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each answer, and a map from every number in it (as JSON) to how the page writes it."""
    node = shutil.which("node")
    assert node is not None, "node is needed (make setup installs the page's tools)"
    made = _answers()
    raw: list[Any] = []
    for answer in made:
        raw += [n["value"] for n in answer["nodes"]] + [n["grad"] for n in answer["nodes"]]
        raw += [e["grad"] for e in answer["edges"]]
        for step in answer["steps"]:
            raw += list(step.get("locals", {}).values())
    raw = [value for value in raw if value is not None]
    script = _PAGE_FORMAT % json.dumps(FORMAT_JS.as_uri())
    done = subprocess.run([node, "--input-type=module", "-e", script],  # noqa: S603
                          input=json.dumps(raw), capture_output=True, text=True, check=True)
    page = dict(zip([json.dumps(v) for v in raw], json.loads(done.stdout), strict=True))
    return [(answer, page) for answer in made]


def _shown(page: dict[str, str], value: Any) -> str:
    return page[json.dumps(value)]


def _bracketed(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _own_references(answer: dict[str, Any]) -> dict[str, str]:
    """Each node's reference as written after ∂f/∂ in its own backward step."""
    refs: dict[str, str] = {}
    f = _output_name(answer)
    for step in answer["steps"]:
        if step["phase"] != "backward" or step["upstream"] is None:
            continue
        text = step["text"]
        if step["node"] == answer["output"]:
            refs[step["node"]] = f
            continue
        # The step opens with the node's own total: "… ∂f/∂REF = …" before any "+=".
        head = text.split("+=")[0]
        match = re.search(rf"∂{re.escape(f)}/∂(.+?) = ", head)
        assert match, text
        refs[step["node"]] = match[1]
    return refs


def _output_name(answer: dict[str, Any]) -> str:
    node = next(n for n in answer["nodes"] if n["id"] == answer["output"])
    return node["name"] or "f"


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{e['id']}-{'expanded' if x else 'collapsed'}-{lang}"
                              for e, x, lang in CASES])
def test_every_step_text(answers: list[tuple[dict[str, Any], dict[str, str]]],
                         index: int) -> None:
    answer, page = answers[index]
    f = _output_name(answer)
    nodes = {n["id"]: n for n in answer["nodes"]}
    edges = {e["id"]: e for e in answer["edges"]}
    refs = _own_references(answer)
    for step in answer["steps"]:
        text = step["text"]
        where = f"{step['phase']} {step['node']}: {text}"
        # No internal id, ever.
        assert not re.search(r"\b[ne]\d+\b", text), where
        # No doubled or operator-glued minus signs, no ∂f/∂-x.
        assert not re.search(r"[-−+×·/^@∂]\s*[-−]", text), where
        # No unbracketed negative base of a power.
        assert not re.search(r"(?<![\w.)\]])-\d[\d.]*(?:e-?\d+)?\s*(?:\^|²)", text), where
        assert step["latex"], where
        node = nodes[step["node"]]
        if step["phase"] == "forward":
            assert _shown(page, node["value"]) in text, where
            for wire, operand in step["operands"].items():
                assert _shown(page, edges[wire]["value"]) in text, where
                if operand is not None:
                    assert operand == edges[wire]["value"], where
            continue
        if step["upstream"] is None:
            assert node["grad"] is None and not step["locals"], where
            continue
        assert step["upstream"] == node["grad"], where
        # Every ∂f/∂ is either this node's own total or a contribution along a wire (+=).
        own = refs[step["node"]]
        totals = text.count(f"∂{f}/∂{own} = ")
        contributions = text.count(" += ")
        assert text.count(f"∂{f}/∂") == totals + contributions, where
        assert totals >= 1 or node["op"] == "input", where
        grad = _shown(page, node["grad"])
        total = re.search(rf"∂{re.escape(f)}/∂{re.escape(own)} = (.*?)(?:\. |。|$)", text + " ")
        assert total, where
        chain = re.sub(r"(?: \(|（)[^()（）]*[)）]$", "", total[1].strip())  # "(the seed)"
        assert chain.split(" = ")[-1] == grad, where
        if "fanout" in step:
            terms = [_shown(page, edges[w]["grad"]) for w in step["fanout"]]
            assert " + ".join([terms[0], *map(_bracketed, terms[1:])]) + f" = {grad}" in text
        # One contribution per wire that carries a gradient, worded with += and ending in
        # the wire's gradient as the page shows it; local × upstream with the numbers in.
        assert contributions == len(step["locals"]), where
        clauses = text.split(" += ")[1:]
        wires = list(step["locals"].items())
        for (wire, local), clause in zip(wires, clauses, strict=True):
            shown = _shown(page, edges[wire]["grad"])
            before = text.split(" += ")[wires.index((wire, local))]
            source_ref = refs.get(edges[wire]["source"])
            if source_ref is not None:
                assert before.endswith(f"∂{f}/∂{source_ref}"), where
            sentence = re.split(r"\. |。", clause + " ")[0]
            assert sentence.endswith(f"= {shown}"), where
            if local is not None:
                factors = f"{_shown(page, local)} × {_bracketed(grad)} = {shown}"
                assert factors in sentence, where


def test_every_example_is_walked() -> None:
    assert len(CASES) == 4 * len(EXAMPLES) and len(LANGUAGES) == 2
