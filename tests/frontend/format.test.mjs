import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import {
  bracketNegative,
  decodeNumber,
  decodeValue,
  formatNumber,
  formatShape,
  formatWireValue,
  hasNonFinite,
  shapeOf,
  tensorRows,
} from "../../frontend/js/format.js";

describe("formatNumber", () => {
  // The same cases the server's formatter is tested against: one rule, digit for digit.
  const shared = JSON.parse(readFileSync(new URL("../shared/number_format.json", import.meta.url), "utf8"));
  for (const [input, expected] of shared.cases) {
    it(`${input} -> ${expected}`, () => assert.equal(formatNumber(decodeNumber(input)), expected));
  }

  it("keeps an ASCII minus so a test can parse what the diagram shows", () => {
    assert.equal(Number(formatNumber(-0.25)), -0.25);
  });
});

describe("bracketNegative", () => {
  it("brackets a negative subtrahend, and only that", () => {
    assert.equal(bracketNegative(-12), "(-12)");
    assert.equal(bracketNegative(12), "12");
    assert.equal(bracketNegative(0), "0");
  });
});

describe("decoding API numbers", () => {
  it("reads the strings the API sends for non-finite numbers", () => {
    assert.ok(Number.isNaN(decodeNumber("NaN")));
    assert.equal(decodeNumber("Infinity"), Infinity);
    assert.equal(decodeNumber("-Infinity"), -Infinity);
    assert.equal(decodeNumber(2.5), 2.5);
  });

  it("keeps nesting and null", () => {
    assert.deepEqual(decodeValue([[1, "Infinity"], [3, 4]]), [[1, Infinity], [3, 4]]);
    assert.equal(decodeValue(null), null);
  });
});

describe("shapes and tensors", () => {
  it("formats shapes", () => {
    assert.equal(formatShape([]), "scalar");
    assert.equal(formatShape([2, 3]), "2×3");
    assert.deepEqual(shapeOf([[1, 2, 3], [4, 5, 6]]), [2, 3]);
    assert.deepEqual(shapeOf(7), []);
  });

  it("shows a tensor wire as its shape and a scalar as its number", () => {
    assert.equal(formatWireValue([[1, 2], [3, 4]], [2, 2]), "[2×2]");
    assert.equal(formatWireValue([1, 2, 3], []), "[3]");
    assert.equal(formatWireValue(-4, []), "-4");
    assert.equal(formatWireValue(null, []), "");
  });

  it("finds non-finite entries", () => {
    assert.equal(hasNonFinite([[1, 2], [NaN, 3]]), true);
    assert.equal(hasNonFinite([1, 2]), false);
    assert.equal(hasNonFinite(null), false);
  });

  it("cuts big tensors for the preview table", () => {
    const big = Array.from({ length: 10 }, (_, r) => Array.from({ length: 10 }, (_, c) => r * 10 + c));
    const rows = tensorRows(big, 3, 2);
    assert.deepEqual(rows, [["0", "1", "…"], ["10", "11", "…"], ["20", "21", "…"], ["…"]]);
    assert.deepEqual(tensorRows([1.5, 2]), [["1.5", "2"]]);
  });
});
