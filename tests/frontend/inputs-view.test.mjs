import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { hintText } from "../../frontend/js/inputs-view.js";

describe("dimension hints", () => {
  it("write the shape as the wires do", () => {
    assert.deepEqual(hintText([2, 3], [[1, 2, 3], [4, 5, 6]]), { text: "[2×3]", matches: true });
    assert.deepEqual(hintText([3], [1, 2, 3]), { text: "[3]", matches: true });
  });

  it("say what is expected when the value has another shape", () => {
    assert.deepEqual(hintText([2, 3], [[1, 2], [3, 4]]), { text: "expects [2×3]", matches: false });
    assert.deepEqual(hintText([3], 1), { text: "expects [3]", matches: false });
  });
});
