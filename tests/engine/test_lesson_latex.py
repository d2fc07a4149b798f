"""Every step's LaTeX typesets: KaTeX (the page's typesetter, from npm) parses each line of
every built-in example and of circuits that use every primitive, in both languages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from circuitgrad import evaluate
from circuitgrad.api.examples import EXAMPLES
from circuitgrad.lang import LANGUAGES
from circuitgrad.ops import REGISTRY

KATEX = Path(__file__).parents[2] / "frontend" / "node_modules" / "katex" / "dist" / "katex.mjs"

# Circuits that between them use every primitive, on scalars and on tensors.
EVERY_OP = [
    ("x^y + log(y) / sqrt(x) - tanh(x*y) + abs(y - x) + relu(-x)", {"x": 1.3, "y": 0.7}),
    ("max(x, y) * min(y, 2) + sin(x) * cos(y) + 1/x - exp(-y)", {"x": 0.4, "y": 0.4}),
    ("q = x\nsigmoid(q) + pow(q, 3)", {"x": -2}),
    ("sum(softmax(W @ x)) + mean(W.T) + dot(x, x) + sum(transpose(W))",
     {"W": [[1.0, 2.0], [0.5, -1.0]], "x": [0.3, -0.2]}),
    ("svm_loss(s, y) + softmax_loss(s, y)", {"s": [[1.0, 2.0, 0.5]], "y": [1]}),
]

_CHECK = """
import katex from %s;
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const failures = [];
  for (const latex of JSON.parse(input)) {
    try {
      katex.renderToString(latex, { displayMode: true, throwOnError: true, strict: "error" });
    } catch (error) {
      failures.push(`${error.message} in ${latex}`);
    }
  }
  process.stdout.write(JSON.stringify(failures));
});
"""


def test_every_latex_line_typesets() -> None:
    node = shutil.which("node")
    assert node is not None and KATEX.is_file(), "make setup installs node and katex"
    lines: set[str] = set()
    ops: set[str] = set()
    cases = [(e["expression"], e["values"]) for e in EXAMPLES] + EVERY_OP
    for text, values in cases:
        for expand in (False, True):
            for lang in LANGUAGES:
                result = evaluate(text, values, expand=expand, lang=lang)
                lines.update(step["latex"] for step in result.steps)
                lines.add(result.to_dict()["latex"])
                ops.update(node["op"] for node in result.nodes)
    assert set(REGISTRY) <= ops, set(REGISTRY) - ops
    done = subprocess.run([node, "--input-type=module", "-e",  # noqa: S603
                           _CHECK % json.dumps(KATEX.as_uri())],
                          input=json.dumps(sorted(lines)), capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == []
