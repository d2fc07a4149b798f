import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { decodeGraph, normalizeError } from "../../frontend/js/api.js";

describe("normalizeError", () => {
  it("keeps our error shape, its code, params and the input it is about", () => {
    const detail = { type: "ParseError", message: "never closed", position: 0, line: 1, column: 1, code: "unclosed_paren", params: {}, input: null };
    assert.deepEqual(normalizeError(400, { detail }), detail);
    const value = { ...detail, type: "InputError", code: "value_not_number", params: { name: "x" }, input: "x" };
    assert.equal(normalizeError(422, { detail: value }).input, "x");
  });

  it("reads FastAPI's validation list", () => {
    const payload = { detail: [{ loc: ["body", "values", "x"], msg: "Input should be a valid number", type: "float_type" }] };
    const error = normalizeError(422, payload);
    assert.equal(error.type, "ValidationError");
    assert.equal(error.message, "values.x: Input should be a valid number");
    assert.equal(error.position, null);
  });

  it("copes with a string, junk, or nothing", () => {
    assert.equal(normalizeError(413, { detail: "too large" }).message, "too large");
    assert.equal(normalizeError(500, null).message, "The server answered 500.");
    assert.equal(normalizeError(400, { detail: { message: 3 } }).message, "The server answered 400.");
  });
});

describe("decodeGraph", () => {
  it("decodes non-finite numbers, null gradients and adds lookups", () => {
    const graph = decodeGraph({
      value: "Infinity",
      gradients: { x: "NaN" },
      output: "n1",
      nodes: [
        { id: "n0", op: "const", label: "0", value: 0, grad: null, shape: [] },
        { id: "n1", op: "recip", label: "1/x", symbol: "1/x", value: "Infinity", grad: 1, shape: [], nonfinite: true },
      ],
      edges: [{ id: "e0", source: "n0", target: "n1", value: 0, grad: null, port: 0 }],
      steps: [],
      nonfinite_nodes: ["n1"],
      dot: "digraph {}",
    });
    assert.equal(graph.value, Infinity);
    assert.ok(Number.isNaN(graph.gradients.x));
    assert.equal(graph.nodeById.get("n0").grad, null);
    assert.equal(graph.nodeById.get("n0").symbol, "0");
    assert.equal(graph.edgeById.get("e0").grad, null);
    assert.ok(graph.nonfiniteNodes.has("n1"));
    assert.deepEqual(graph.warnings, []);
  });
});
