// Pure helpers of the lab's plots (frontend/js/lab-plot.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { rowRuns, toPoints } from "../../frontend/js/lab-plot.js";

test("rowRuns merges equal neighbours of a decision-grid row", () => {
  assert.deepEqual(rowRuns([0, 0, 1, 1, 1, 2]), [
    { start: 0, length: 2, cls: 0 },
    { start: 2, length: 3, cls: 1 },
    { start: 5, length: 1, cls: 2 },
  ]);
  assert.deepEqual(rowRuns([]), []);
});

test("toPoints decodes the API's non-finite strings", () => {
  assert.deepEqual(toPoints([{ step: 0, loss: 1.5 }, { step: 1, loss: "Infinity" }]), [
    { step: 0, loss: 1.5 },
    { step: 1, loss: Infinity },
  ]);
});
