// Pure helpers of the lab's plots (frontend/js/lab-plot.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { linearScale, lossRange, rowRuns, toPoints } from "../../frontend/js/lab-plot.js";

test("linearScale maps the domain onto the range, flipped when asked", () => {
  const y = linearScale(0, 10, 100, 0);
  assert.equal(y(0), 100);
  assert.equal(y(10), 0);
  assert.equal(y(5), 50);
  assert.equal(linearScale(3, 3, 0, 10)(3), 0); // an empty domain does not divide by zero
});

test("lossRange ignores a diverging run, so it flies off the top", () => {
  const calm = { points: [{ loss: 24 }, { loss: -3 }], divergedAt: null };
  const wild = { points: [{ loss: 24 }, { loss: 672 }], divergedAt: 1 };
  const [low, high] = lossRange([calm, wild]);
  assert.ok(low < -3 && high > 24 && high < 100);
});

test("lossRange copes with only diverged runs, flat runs and non-finite losses", () => {
  assert.deepEqual(lossRange([]), [0, 1]);
  const [low, high] = lossRange([{ points: [{ loss: 5 }, { loss: Infinity }], divergedAt: 1 }]);
  assert.ok(low < 5 && high > 5);
  const flat = lossRange([{ points: [{ loss: 2 }, { loss: 2 }], divergedAt: null }]);
  assert.ok(flat[0] < 2 && flat[1] > 2);
});

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
