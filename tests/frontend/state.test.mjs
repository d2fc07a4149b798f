import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { decodeUrlState, encodeUrlState, getState, subscribe, update } from "../../frontend/js/state.js";

const sample = {
  expression: "q = x + y\nf = q * z",
  values: { x: -2, y: 5, z: -4, W: [[1, 2], [3, 4]] },
  expand: true,
  position: 7,
  show: "gradients",
  speed: 0.5,
  lab: true,
};

describe("URL state", () => {
  it("round-trips expression, values, expand, step, display mode, speed and the lab", () => {
    const search = encodeUrlState(sample);
    assert.ok(search.startsWith("?"));
    assert.deepEqual(decodeUrlState(search), sample);
  });

  it("survives characters that mean something in URLs", () => {
    const state = { ...sample, expression: "a & b # c + d = e ? f / 100%", expand: false, position: 0, show: "both" };
    const decoded = decodeUrlState(encodeUrlState(state));
    assert.equal(decoded.expression, state.expression);
  });

  it("leaves defaults out of the link", () => {
    const search = encodeUrlState({ ...sample, expand: false, position: 0, show: "both", speed: 2, lab: false });
    const params = new URLSearchParams(search);
    assert.equal(params.has("expand"), false);
    assert.equal(params.has("step"), false);
    assert.equal(params.has("show"), false);
    assert.equal(params.has("speed"), false);
    assert.equal(params.has("lab"), false);
  });

  it("keeps the play speed and the open lab in the link", () => {
    const params = new URLSearchParams(encodeUrlState({ ...sample, speed: 8, lab: true }));
    assert.equal(params.get("speed"), "8");
    assert.equal(params.get("lab"), "1");
    assert.deepEqual(decodeUrlState("?lab=0"), { lab: false });
    // A link from before these fields existed still reads.
    assert.deepEqual(decodeUrlState("?expr=a*b"), { expression: "a*b" });
  });

  it("ignores what it cannot read instead of failing", () => {
    assert.deepEqual(decodeUrlState("?values=%7Bnot-json&step=-3&show=rainbow&speed=3"), {});
    assert.deepEqual(decodeUrlState("?speed=&speed=fast"), {});
    assert.deepEqual(decodeUrlState("?values=%5B1%2C2%5D"), {});
    assert.deepEqual(decodeUrlState(""), {});
  });
});

describe("the store", () => {
  it("notifies subscribers with the changed keys only", () => {
    const seen = [];
    const unsubscribe = subscribe((_state, changed) => seen.push([...changed]));
    update({ position: getState().position + 1, show: getState().show });
    update({ position: getState().position });
    unsubscribe();
    update({ position: 0 });
    assert.deepEqual(seen, [["position"]]);
  });
});
