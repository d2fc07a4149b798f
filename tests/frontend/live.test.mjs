import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { nudgeKey, nudgeReadout, nudgedValues, resultValues, scalarInputs } from "../../frontend/js/nudge.js";
import { createCoalescer, dragValue, keyValue, niceAbove, roundTo, sliderRange } from "../../frontend/js/scrub.js";

describe("sliderRange", () => {
  it("spans −10…10 for the notes' numbers, stepping 0.1 by key and 0.01 by drag", () => {
    for (const value of [0, 2, -3, 5, -5]) assert.deepEqual(sliderRange(value), { min: -10, max: 10, key: 0.1, fine: 0.01 });
    assert.equal(sliderRange(10).max, 20); // a value is never at the slider's end
  });

  it("grows to the next 1, 2 or 5 × 10ⁿ past twice a larger value", () => {
    assert.equal(sliderRange(37).max, 100);
    assert.equal(sliderRange(-60).max, 200);
    assert.equal(sliderRange(250).max, 500);
    assert.equal(sliderRange(250).key, 5);
    assert.equal(sliderRange(Number.NaN).max, 10);
  });

  it("finds nice numbers", () => {
    assert.deepEqual([1, 1.5, 2, 3, 7, 10, 11, 0.03].map(niceAbove), [1, 2, 2, 5, 10, 10, 20, 0.05]);
  });
});

describe("keys and drags", () => {
  it("steps by a key, ten for Shift, landing on the grid without binary noise", () => {
    assert.equal(keyValue(2, "ArrowUp", false), 2.1);
    assert.equal(keyValue(2, "ArrowRight", true), 3);
    assert.equal(keyValue(0.2, "ArrowDown", false), 0.1);
    assert.equal(keyValue(0.1, "ArrowLeft", false), 0);
    assert.equal(Object.is(keyValue(0.1, "ArrowLeft", false), -0), false);
    assert.equal(keyValue(2.04, "ArrowUp", false), 2.1); // back onto the grid
    assert.equal(keyValue(2.3, "ArrowLeft", true), 1.3); // Shift keeps the single steps' grid
    assert.equal(keyValue(2, "Enter", false), null);
    // Past the slider's end the range it was given still sets the step.
    assert.equal(keyValue(10, "ArrowUp", true, sliderRange(5)), 11);
  });

  it("drags a hundredth per pixel, ten times that with Shift", () => {
    assert.equal(dragValue(2, 30, false), 2.3);
    assert.equal(dragValue(2, -30, true), -1);
    assert.equal(dragValue(-1, 7, false), -0.93);
  });

  it("rounds to a step", () => {
    assert.equal(roundTo(0.1 + 0.2, 0.01), 0.3);
    assert.equal(roundTo(123.456, 5), 125);
    assert.equal(roundTo(-0.004, 0.01), 0);
  });
});

describe("createCoalescer", () => {
  it("keeps one run in flight, and runs once more for any number of requests meanwhile", async () => {
    const gates = [];
    let runs = 0;
    const coalescer = createCoalescer(() => {
      runs += 1;
      return new Promise((resolve) => gates.push(resolve));
    });
    const first = coalescer.request();
    assert.equal(runs, 1);
    for (let i = 0; i < 5; i += 1) coalescer.request();
    assert.equal(runs, 1, "no second run while the first is in flight");
    assert.ok(coalescer.busy());
    gates.shift()();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(runs, 2, "one more run for the five requests");
    gates.shift()();
    await first;
    assert.equal(runs, 2);
    assert.ok(!coalescer.busy());
    const next = coalescer.request();
    assert.equal(runs, 3);
    gates.shift()();
    await next;
  });

  it("recovers from a failed run", async () => {
    let runs = 0;
    const coalescer = createCoalescer(async () => {
      runs += 1;
      if (runs === 1) throw new Error("network");
    });
    await assert.rejects(coalescer.request());
    await coalescer.request();
    assert.equal(runs, 2);
  });
});

describe("the nudge readout", () => {
  const result = {
    nodes: [
      { op: "input", name: "x", label: "x", value: 3 },
      { op: "input", name: "W", label: "W", value: [[1, 2]] },
      { op: "input", name: "y", label: "y", value: 1 },
      { op: "mul", name: null, label: "*", value: 9 },
    ],
    gradients: { x: 6, W: [[1, 1]] }, // y holds labels: no gradient
  };

  it("offers the scalar inputs that have a gradient", () => {
    assert.deepEqual(scalarInputs(result), ["x"]);
    assert.deepEqual(scalarInputs(null), []);
  });

  it("reads the point a result was computed at, and moves one input by h", () => {
    const values = resultValues(result);
    assert.equal(Object.getPrototypeOf(values), null);
    assert.deepEqual({ ...nudgedValues(values, "x", 0.01) }, { x: 3.01, W: [[1, 2]], y: 1 });
  });

  it("keys a nudge by what it computes, whatever the order of the values", () => {
    const a = nudgeKey({ expression: "x*x", expand: false, values: { x: 3, y: 1 }, input: "x", h: 0.01 });
    const b = nudgeKey({ expression: "x*x", expand: false, values: { y: 1, x: 3 }, input: "x", h: 0.01 });
    assert.equal(a, b);
    assert.notEqual(a, nudgeKey({ expression: "x*x", expand: false, values: { x: 3, y: 1 }, input: "x", h: 0.001 }));
  });

  it("divides f's change by the step and compares it with the analytic gradient", () => {
    // f = x², at x = 3: f(3.01) − f(3) = 0.0601, / 0.01 = 6.01 against 6.
    const readout = nudgeReadout({ x: 3, h: 0.01, fx: 9, fxh: 3.01 * 3.01, analytic: 6 });
    assert.ok(Math.abs(readout.change - 0.0601) < 1e-12);
    assert.ok(Math.abs(readout.numerical - 6.01) < 1e-9);
    assert.ok(Math.abs(readout.difference - 0.01) < 1e-9);
    assert.equal(readout.step, 3 + 0.01 - 3);
  });
});
