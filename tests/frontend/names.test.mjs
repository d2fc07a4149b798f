import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { guessInputNames, reservedNames } from "../../frontend/js/names.js";

// What GET /api/meta answers in part (tests/api checks the server's full lists).
const META = {
  functions: ["exp", "softmax_loss", "sum", "pow", "transpose"],
  constants: ["e", "pi"],
  optimizer_methods: ["adam"],
};

describe("reservedNames", () => {
  it("holds the functions and the constants, nothing else", () =>
    assert.deepEqual([...reservedNames(META)].sort(), ["e", "exp", "pi", "pow", "softmax_loss", "sum", "transpose"]));
  it("is empty without an answer", () => assert.equal(reservedNames(null).size, 0));
});

describe("guessInputNames", () => {
  const reserved = reservedNames(META);
  const cases = [
    ["(x+y)*z", ["x", "y", "z"]],
    ["1/(1+exp(-(w0*x0+w1*x1+w2)))", ["w0", "x0", "w1", "x1", "w2"]],
    ["q = x + y\nf = q * z", ["x", "y", "z"]],
    ["q = x + y; q * z", ["x", "y", "z"]],
    ["2e-1*x + 2exp(y) # z is only in a comment", ["x", "y"]],
    ["W.T @ X + b", ["W", "X", "b"]],
    ["softmax_loss(X @ W, labels)", ["X", "W", "labels"]],
    ["2pi x + e^t", ["x", "t"]],
    ["x * x + x", ["x"]],
    ["", []],
    ["toString * constructor", ["toString", "constructor"]],
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => assert.deepEqual(guessInputNames(source, reserved), expected));
  }
});
