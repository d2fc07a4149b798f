import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { decodeGraph } from "../../frontend/js/api.js";
import { chainParts, stepTensors, summaryItems } from "../../frontend/js/chain-parts.js";

// The answer of /api/graph for (x+y)*z at x = -2, y = 5, z = -4, cut to what the parts read.
const ANSWER = decodeGraph({
  value: -12,
  gradients: { x: -4, y: -4, z: 3 },
  output: "n4",
  nodes: [
    { id: "n0", op: "input", name: "x", label: "x", value: -2, grad: -4, shape: [] },
    { id: "n1", op: "input", name: "y", label: "y", value: 5, grad: -4, shape: [] },
    { id: "n2", op: "add", name: null, label: "+", value: 3, grad: -4, shape: [] },
    { id: "n3", op: "input", name: "z", label: "z", value: -4, grad: 3, shape: [] },
    { id: "n4", op: "mul", name: null, label: "*", value: -12, grad: 1, shape: [] },
  ],
  edges: [
    { id: "e0", source: "n0", target: "n2", value: -2, grad: -4 },
    { id: "e1", source: "n1", target: "n2", value: 5, grad: -4 },
    { id: "e2", source: "n2", target: "n4", value: 3, grad: -4 },
    { id: "e3", source: "n3", target: "n4", value: -4, grad: 3 },
  ],
  steps: [],
});

describe("chainParts", () => {
  it("puts the seed on the output and a local gradient on each input wire", () => {
    const parts = chainParts({ phase: "backward", node: "n4", upstream: 1, locals: { e2: -4, e3: 3 } }, ANSWER);
    assert.deepEqual(parts, {
      phase: "backward",
      node: "n4",
      gate: true,
      upstream: { text: "1", at: "output", wire: null },
      locals: [
        { wire: "e2", local: "-4", product: "-4" },
        { wire: "e3", local: "3", product: "3" },
      ],
    });
  });

  it("reads the upstream gradient off the one wire leaving a gate", () => {
    const parts = chainParts({ phase: "backward", node: "n2", upstream: -4, locals: { e0: 1, e1: 1 } }, ANSWER);
    assert.deepEqual(parts?.phase === "backward" && parts.upstream, { text: "-4", at: "wire", wire: "e2" });
  });

  it("highlights a forward step's operands and result", () => {
    assert.deepEqual(chainParts({ phase: "forward", node: "n2" }, ANSWER), {
      phase: "forward",
      node: "n2",
      operands: ["e0", "e1"],
      results: ["e2"],
      output: false,
    });
  });

  it("draws nothing where no gradient flows, and nothing without a step", () => {
    assert.deepEqual(chainParts({ phase: "backward", node: "n3", upstream: null, locals: {} }, ANSWER)?.upstream, null);
    assert.equal(chainParts(null, ANSWER), null);
  });

  it("formats a non-finite local as the page does", () => {
    const parts = chainParts({ phase: "backward", node: "n2", upstream: -4, locals: { e0: "Infinity", e1: null } }, ANSWER);
    assert.deepEqual(parts?.phase === "backward" && parts.locals.map((l) => l.local), ["∞", null]);
  });
});

describe("tensors of a step and the Done line", () => {
  const TENSORS = decodeGraph({
    value: 8,
    gradients: { W: [[2, -1, 4], [2, -1, 4]], x: [4, -2, -0.5] },
    output: "n3",
    nodes: [
      { id: "n0", op: "input", name: "W", value: [[1, -2, 0.5], [3, 0, -1]], grad: [[2, -1, 4], [2, -1, 4]], shape: [2, 3] },
      { id: "n1", op: "input", name: "x", value: [2, -1, 4], grad: [4, -2, -0.5], shape: [3] },
      { id: "n2", op: "matmul", name: null, label: "@", value: [6, 2], grad: [1, 1], shape: [2] },
      { id: "n3", op: "sum", name: null, label: "sum", value: 8, grad: 1, shape: [] },
    ],
    edges: [
      { id: "e0", source: "n0", target: "n2", value: [[1, -2, 0.5], [3, 0, -1]], grad: [[2, -1, 4], [2, -1, 4]] },
      { id: "e1", source: "n1", target: "n2", value: [2, -1, 4], grad: [4, -2, -0.5] },
      { id: "e2", source: "n2", target: "n3", value: [6, 2], grad: [1, 1] },
    ],
    steps: [],
  });

  it("lists a step's tensors, named as the diagram names them", () => {
    assert.deepEqual(stepTensors({ phase: "forward", node: "n2" }, TENSORS).map((t) => `${t.label}:${t.kind}`), ["W:value", "x:value", "@:value"]);
    assert.deepEqual(stepTensors({ phase: "backward", node: "n2" }, TENSORS).map((t) => `${t.label}:${t.kind}`), ["@:grad", "W:grad", "x:grad"]);
    assert.deepEqual(stepTensors({ phase: "backward", node: "n3" }, TENSORS).map((t) => t.label), ["@"]);
  });

  it("writes tensor gradients as shapes, with their values at hand", () => {
    const summary = summaryItems(TENSORS);
    assert.equal(summary.out, "f");
    assert.deepEqual(summary.value, { text: "8", tensor: null });
    assert.deepEqual(summary.items.map((item) => [item.name, item.text]), [["W", "[2×3]"], ["x", "[3]"]]);
    assert.deepEqual(summary.items[0].tensor, [[2, -1, 4], [2, -1, 4]]);
  });
});
