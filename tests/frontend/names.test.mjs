import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { guessInputNames } from "../../frontend/js/names.js";

describe("guessInputNames", () => {
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
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => assert.deepEqual(guessInputNames(source), expected));
  }
});
