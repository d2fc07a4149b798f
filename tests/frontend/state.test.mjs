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
  lang: "zh-CN",
};

/** The decoded state with its values as a plain object, for deepEqual. */
const plain = (decoded) => ({ ...decoded, values: { ...decoded.values } });

describe("URL state", () => {
  it("round-trips expression, values, expand, step, display mode, speed, the lab and the language", () => {
    const search = encodeUrlState(sample);
    assert.ok(search.startsWith("?"));
    assert.deepEqual(plain(decodeUrlState(search)), sample);
  });

  it("keeps the learner's names apart from JavaScript's own members", () => {
    const decoded = decodeUrlState(`?values=${encodeURIComponent('{"toString": 2, "x": {"toString": 1}, "y": [1, "a"]}')}`);
    assert.equal(Object.getPrototypeOf(decoded.values), null);
    assert.deepEqual({ ...decoded.values }, { toString: 2 }); // x and y are not numbers: dropped
    assert.equal(decodeUrlState("?values=%7B%7D").values.constructor, undefined);
    assert.equal(decodeUrlState("?lang=fr").lang, undefined);
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

  it("keeps practice mode in the link as practice=1, and leaves it out when off", () => {
    const on = new URLSearchParams(encodeUrlState({ ...sample, practice: true }));
    assert.equal(on.get("practice"), "1");
    assert.equal(decodeUrlState(`?${on}`).practice, true);
    assert.equal(new URLSearchParams(encodeUrlState({ ...sample, practice: false })).has("practice"), false);
    assert.deepEqual(decodeUrlState("?practice=0"), { practice: false });
  });

  it("ignores what it cannot read instead of failing", () => {
    assert.deepEqual(decodeUrlState("?values=%7Bnot-json&step=-3&show=rainbow&speed=3"), {});
    assert.deepEqual(decodeUrlState("?speed=&speed=fast"), {});
    assert.deepEqual(decodeUrlState("?values=%5B1%2C2%5D"), {});
    assert.deepEqual(decodeUrlState(""), {});
  });
});

describe("the store", () => {
  it("keeps values in a prototype-free object, whoever updates them", () => {
    update({ values: { valueOf: 3 } });
    assert.equal(Object.getPrototypeOf(getState().values), null);
    assert.equal(getState().values.toString, undefined);
    assert.equal(getState().values.valueOf, 3);
  });

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
