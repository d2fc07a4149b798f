import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { codeText, linesOfStep } from "../../frontend/js/code-panel.js";

const rows = [
  { text: "import numpy as np", phase: "setup", node: null },
  { text: "x = 3.0", phase: "forward", node: "n0" },
  { text: "mul1 = x * x  # = 9", phase: "forward", node: "n1", comment: "  # = 9" },
  { text: "dmul1 = 1.0", phase: "backward", node: "n1" },
  { text: "dx = x * dmul1", phase: "backward", node: "n1" },
  { text: "dx += x * dmul1", phase: "backward", node: "n1" },
];

describe("the staged code panel", () => {
  it("finds every line of a step, and none before the first step", () => {
    assert.deepEqual(linesOfStep(rows, { phase: "backward", node: "n1" }), [3, 4, 5]);
    assert.deepEqual(linesOfStep(rows, { phase: "forward", node: "n1" }), [2]);
    assert.deepEqual(linesOfStep(rows, null), []);
    assert.deepEqual(linesOfStep(rows, { phase: "forward", node: "n9" }), []);
  });

  it("copies the whole program as text", () => {
    assert.equal(codeText(rows.slice(0, 2)), "import numpy as np\nx = 3.0\n");
  });

  it("leaves out the values practice mode still asks for", () => {
    assert.equal(codeText(rows.slice(2, 3)), "mul1 = x * x  # = 9\n");
    assert.equal(codeText(rows.slice(2, 3), new Set(["n1"])), "mul1 = x * x\n");
    assert.equal(codeText(rows.slice(2, 3), new Set(["n0"])), "mul1 = x * x  # = 9\n");
  });
});
