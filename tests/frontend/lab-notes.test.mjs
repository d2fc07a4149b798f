import assert from "node:assert/strict";
import { test } from "node:test";

import { collectNotices } from "../../frontend/js/lab-notes.js";

test("the notices of several answers: each message once, in order of first appearance", () => {
  const kink = { code: "kink_crossed", params: { op: "relu" }, message: "the kink of relu …" };
  const unused = { code: "unused_value", params: { name: "z" }, message: "z is unused" };
  const got = collectNotices([{ notices: [kink] }, { notices: [unused, kink] }, { notices: [] }]);
  assert.deepEqual(got, [{ code: "kink_crossed", message: kink.message }, { code: "unused_value", message: unused.message }]);
});

test("an answer without notices gives its warnings; none gives nothing", () => {
  assert.deepEqual(collectNotices([{ warnings: ["old words"] }, {}, null]), [{ code: "", message: "old words" }]);
  assert.deepEqual(collectNotices([]), []);
});
