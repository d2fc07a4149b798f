import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { cellColor, heatmapRows, largestMagnitude, summary } from "../../frontend/js/heatmap.js";

describe("heatmapRows", () => {
  it("draws vectors as one row and matrices up to 8×8", () => {
    assert.deepEqual(heatmapRows([1, 2, 3]), [[1, 2, 3]]);
    assert.deepEqual(heatmapRows([[1, 2], [3, 4]]), [[1, 2], [3, 4]]);
    assert.equal(heatmapRows(Array(9).fill(1)), null);
    assert.equal(heatmapRows([[Array(9).fill(1)]]), null);
    assert.equal(heatmapRows(3), null);
    assert.equal(heatmapRows([[[1]]]), null, "three dimensions: a summary");
  });
});

describe("cellColor", () => {
  it("is white at 0, orange at +largest, purple at -largest, dark when not finite", () => {
    assert.equal(cellColor(0, 2), "#f7f7f7");
    assert.equal(cellColor(2, 2), "#e66101");
    assert.equal(cellColor(-2, 2), "#5e3c99");
    assert.equal(cellColor(Number.NaN, 2), "#24292f");
    assert.equal(cellColor(5, 0), "#f7f7f7");
  });
  it("matches the export's colours (backend/circuitgrad/export.py: cell_color)", () => {
    // cell_color(1, 4) in Python: a quarter of the way from white to orange.
    assert.equal(cellColor(1, 4), "#f3d2ba");
  });
});

describe("largestMagnitude and summary", () => {
  it("scale by the largest finite magnitude; summarize min, max, mean", () => {
    assert.equal(largestMagnitude([[1, -3], [Number.POSITIVE_INFINITY, 2]]), 3);
    assert.deepEqual(summary([[1, 2], [3, 6]]), { count: 4, min: 1, max: 6, mean: 3 });
  });
});
