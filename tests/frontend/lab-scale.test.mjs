// The lab plots' arithmetic (frontend/js/lab-scale.js): ticks, scales, label placement.
import assert from "node:assert/strict";
import { test } from "node:test";

import { gridBorders, logTicks, makeScale, nextChunk, niceStep, niceTicks, placeLabel, prefersLog, symlogTicks } from "../../frontend/js/lab-scale.js";

test("niceStep picks 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(27, 5), 10);
  assert.equal(niceStep(0.9, 4), 0.5);
  assert.equal(niceStep(648, 5), 200);
  assert.equal(niceStep(0, 5), 1);
});

test("niceTicks rounds the issue's 22.9..25.1 and -4.35..25.35 axes", () => {
  assert.deepEqual(niceTicks(22.9, 25.1, 4), { low: 22, high: 26, ticks: [22, 23, 24, 25, 26] });
  const wide = niceTicks(-4.35, 25.35, 5);
  assert.deepEqual(wide.ticks, [-10, 0, 10, 20, 30]);
  // No 0.30000000000000004.
  assert.ok(niceTicks(0.1, 0.7, 6).ticks.every((v) => String(v).length <= 4));
});

test("niceTicks of steps are whole numbers and include the last step", () => {
  const { ticks, high } = niceTicks(0, 3, 5, { integer: true });
  assert.ok(ticks.every(Number.isInteger));
  assert.ok(high >= 3);
  assert.deepEqual(niceTicks(0, 10000, 5, { integer: true }).ticks, [0, 2000, 4000, 6000, 8000, 10000]);
});

test("niceTicks survives flat and non-finite ranges", () => {
  const flat = niceTicks(2, 2);
  assert.ok(flat.low < 2 && flat.high > 2);
  assert.deepEqual(niceTicks(0, Infinity), { low: 0, high: 1, ticks: [0, 1] });
});

test("prefersLog when the sizes span two decades, not for one loss crossing zero", () => {
  assert.equal(prefersLog([24, 672]), false); // lr 1 alone: 28x
  const compare = [24, 10, 5, 2, 0.5, -1.5, -2.5, -2.9, -3, -3, -3, -3, 672];
  assert.equal(prefersLog(compare), true);
  assert.equal(prefersLog([24, 1.32, -2.31, -2.86, -2.98, -3]), false); // lr 0.1
  assert.equal(prefersLog([1.1, 0.5, 0.1, 0.01, 0.005]), true);
  assert.equal(prefersLog([5, NaN, Infinity]), false);
});

test("a log scale of positive losses has decades; with negatives, symmetric-log", () => {
  const positive = makeScale("log", [1, 10, 1000], 200, 0);
  assert.equal(positive.kind, "log");
  assert.deepEqual(positive.ticks, [1, 10, 100, 1000]);
  assert.ok(positive.map(1) > positive.map(10) && positive.map(10) > positive.map(1000));
  // Equal decades take equal room.
  assert.ok(Math.abs((positive.map(1) - positive.map(10)) - (positive.map(100) - positive.map(1000))) < 1e-9);
  const mixed = makeScale("log", [-3, 24, 672], 200, 0);
  assert.ok(mixed.ticks.includes(0) && mixed.ticks.includes(-1) && mixed.ticks.includes(100));
  const ys = [-3, 0, 24, 672].map(mixed.map);
  assert.ok(ys.every((y, i) => i === 0 || y < ys[i - 1]), "monotone");
  assert.ok(ys.every((y) => y >= 0 && y <= 200), "inside the range");
});

test("a linear scale maps its nice domain onto the pixels", () => {
  const y = makeScale("linear", [24, 672], 200, 0);
  assert.equal(y.kind, "linear");
  assert.equal(y.map(y.low), 200);
  assert.equal(y.map(y.high), 0);
  assert.ok(y.low <= 24 && y.high >= 672);
});

test("log ticks thin out over many decades and fill in over few", () => {
  assert.ok(logTicks(1, 1e12).length <= 7);
  assert.deepEqual(logTicks(3, 60), [5, 10, 20, 50]);
  assert.deepEqual(symlogTicks(-3, 672, 1), [-1, 0, 1, 10, 100]);
});

test("placeLabel keeps a label inside the box, flipping at the edges", () => {
  const box = { left: 40, right: 470, top: 14, bottom: 212 };
  const middle = placeLabel(200, 100, 120, 11, box);
  assert.deepEqual(middle, { x: 206, y: 94, anchor: "start" });
  const corner = placeLabel(470, 14, 150, 11, box); // the cut-off "↑ diverged (step"
  assert.equal(corner.anchor, "end");
  assert.ok(corner.x - 150 >= box.left && corner.x <= box.right);
  assert.ok(corner.y - 11 >= box.top && corner.y <= box.bottom);
});

test("gridBorders draws a segment wherever neighbouring cells differ", () => {
  assert.deepEqual(gridBorders([[0, 0], [0, 0]]), []);
  assert.deepEqual(gridBorders([[0, 1], [0, 1]]), [[1, 0, 1, 1], [1, 1, 1, 2]]);
  assert.deepEqual(gridBorders([[2, 2], [1, 1]]), [[0, 1, 1, 1], [1, 1, 2, 1]]);
});

test("nextChunk follows the server's pace within bounds", () => {
  assert.equal(nextChunk(50, 100), 200); // 4x at most at a time
  assert.equal(nextChunk(100, 400), 100);
  assert.equal(nextChunk(1000, 100), 2000);
  assert.equal(nextChunk(50, 2000), 25);
  assert.equal(nextChunk(0, 0), 25);
});
