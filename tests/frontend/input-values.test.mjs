import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { chooseValues, meets, readValue, resize, shapeHint, shapeOf, shapeText, shapesOf, withCell } from "../../frontend/js/input-values.js";

describe("readValue", () => {
  it("reads numbers as a learner types them", () => {
    assert.deepEqual(readValue(" -2 "), { ok: true, value: -2 });
    assert.deepEqual(readValue("−2.5"), { ok: true, value: -2.5 }); // the minus sign
    assert.deepEqual(readValue(".5"), { ok: true, value: 0.5 });
    assert.deepEqual(readValue("1e-3"), { ok: true, value: 0.001 });
    assert.deepEqual(readValue("[[1, 2], [3, 4]]"), { ok: true, value: [[1, 2], [3, 4]] });
  });

  it("says what is wrong, as a message key with its params", () => {
    assert.equal(readValue("").code, "inputs.error_missing");
    assert.deepEqual(readValue("abc"), { ok: false, code: "inputs.error_not_number", params: { text: "abc" } });
    assert.deepEqual(readValue("1/3"), { ok: false, code: "inputs.error_fraction", params: { text: "1/3", decimal: "0.3333" } });
    assert.equal(readValue("NaN").code, "inputs.error_not_finite");
    assert.equal(readValue("-Infinity").code, "inputs.error_not_finite");
    assert.deepEqual(readValue("1e309"), { ok: false, code: "inputs.error_too_large", params: { text: "1e309" } });
    assert.equal(readValue("[1, 2").code, "inputs.error_list");
    assert.equal(readValue("[[1, 2], [3]]").code, "inputs.error_ragged");
    assert.equal(readValue('[1, "2"]').code, "inputs.error_list_numbers");
    assert.equal(readValue("[1e309]").code, "inputs.error_list_numbers");
    assert.equal(readValue("[]").code, "inputs.error_empty");
    assert.equal(readValue("{}").code, "inputs.error_not_number");
  });
});

describe("shapes", () => {
  it("of values, for the request", () => {
    assert.deepEqual(shapeOf(2), []);
    assert.deepEqual(shapeOf([[1, 2, 3], [4, 5, 6]]), [2, 3]);
    const values = Object.assign(Object.create(null), { W: [[1, 2]], x: 3, toString: [1] });
    assert.deepEqual({ ...shapesOf(["x", "W", "toString", "absent"], values) }, { x: [], W: [1, 2], toString: [1] });
    assert.deepEqual(Object.keys(shapesOf(["x", "W"], values)), ["x", "W"], "in the order asked");
  });

  it("meet a requirement with free sizes", () => {
    assert.ok(meets([2, 3], [null, 3]));
    assert.ok(!meets([3, 2], [null, 3]));
    assert.ok(!meets([3], [null, 3]));
    assert.ok(meets([4, 5], null));
    assert.equal(shapeText([null, 3]), "[?×3]");
    assert.equal(shapeText([]), "[]");
  });
});

describe("chooseValues", () => {
  const spec = (name, fits, def, labels = false) => ({ name, shape: null, labels, default: def, fits, hint: null });

  it("keeps the learner's values where they fit, else takes the default", () => {
    const values = Object.assign(Object.create(null), { W: [[1, 2], [3, 4]], x: [1, 2, 3], old: 5 });
    const chosen = chooseValues([spec("W", true, [[0]]), spec("x", false, [9, 9]), spec("b", null, 0.5)], values);
    assert.deepEqual({ ...chosen }, { W: [[1, 2], [3, 4]], x: [1, 2], b: 0.5 });
  });

  it("keeps the learner's numbers in the cells a misfit shares with its default", () => {
    const values = Object.assign(Object.create(null), { x: [1, 2, 3], W: [[1, 2], [3, 4]], s: 7 });
    const chosen = chooseValues([spec("x", false, [9, 9, 9, 9]), spec("W", false, [[9, 9, 9]]), spec("s", false, [9, 9])], values);
    assert.deepEqual({ ...chosen }, { x: [1, 2, 3, 9], W: [[1, 2, 9]], s: [9, 9] });
  });

  it("never keeps a non-integer as a class label", () => {
    const values = Object.assign(Object.create(null), { y: [0.5, 1] });
    assert.deepEqual({ ...chooseValues([spec("y", true, [0, 1], true)], values) }, { y: [0, 1] });
  });
});

describe("shapeHint", () => {
  const spec = (shape, fits = null) => ({ name: "W", shape, labels: false, default: 0, fits, hint: null });

  it("shows what the circuit fixes, else the value's own shape, and nothing for a number", () => {
    assert.deepEqual(shapeHint(spec([null, 3]), [[1, 2, 3], [4, 5, 6]]), { key: "inputs.shape", params: { shape: "[?×3]" }, fits: true });
    assert.deepEqual(shapeHint(spec([null, null]), [[1, 2, 3], [4, 5, 6]]), { key: "inputs.shape", params: { shape: "[2×3]" }, fits: true });
    assert.deepEqual(shapeHint(spec(null), [1, 2]), { key: "inputs.shape", params: { shape: "[2]" }, fits: true });
    assert.equal(shapeHint(spec(null), 2), null);
    assert.equal(shapeHint(spec([]), 2), null);
  });

  it("says what the circuit needs when the value does not meet it", () => {
    assert.deepEqual(shapeHint(spec([2]), [1, 2, 3]), { key: "inputs.needs_shape", params: { shape: "[2]" }, fits: false });
    assert.deepEqual(shapeHint(spec([]), [1, 2]), { key: "inputs.needs_scalar", params: {}, fits: false });
  });
});

describe("resize", () => {
  it("adds and removes rows and columns, copying the neighbour", () => {
    const m = [[1, 2], [3, 4]];
    assert.deepEqual(resize(m, "add-row"), [[1, 2], [3, 4], [3, 4]]);
    assert.deepEqual(resize(m, "add-column"), [[1, 2, 2], [3, 4, 4]]);
    assert.deepEqual(resize(m, "remove-row"), [[1, 2]]);
    assert.deepEqual(resize(m, "remove-column"), [[1], [3]]);
    assert.deepEqual(m, [[1, 2], [3, 4]], "the original is untouched");
    assert.deepEqual(resize([1, 2], "add-column"), [1, 2, 2]);
    assert.deepEqual(resize([1, 2], "remove-column"), [1]);
  });

  it("never leaves nothing", () => {
    assert.equal(resize([[1, 2]], "remove-row"), null);
    assert.equal(resize([[1], [2]], "remove-column"), null);
    assert.equal(resize([7], "remove-column"), null);
    assert.equal(resize([[[1]]], "add-row"), null);
  });

  it("edits one cell of a copy", () => {
    const m = [[1, 2], [3, 4]];
    assert.deepEqual(withCell(m, "1,0", 9), [[1, 2], [9, 4]]);
    assert.deepEqual(withCell([1, 2], "1", 5), [1, 5]);
    assert.deepEqual(m, [[1, 2], [3, 4]]);
  });
});
