import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";

import { bezierPath, labelAnchor, readLayout } from "../../frontend/js/layout.js";

const VIZ = new URL("../../frontend/vendor/viz.js", import.meta.url);

// The shape of the DOT the API sends: ids n0…, edge ids e0…, rankdir=LR, a last wire out.
const DOT = `digraph circuit {
  rankdir=LR
  n0 [label=x shape=plaintext]
  n1 [label=y shape=plaintext]
  n2 [label="+" shape=circle]
  n3 [label=z shape=plaintext]
  n4 [label="*" shape=circle]
  n0 -> n2 [id=e0 label="-2\\n-4"]
  n1 -> n2 [id=e1 label="5\\n-4"]
  n2 -> n4 [id=e2 label="3\\n-4"]
  n3 -> n4 [id=e3 label="-4\\n3"]
  output [label=f shape=plaintext]
  n4 -> output [id=e_out label="-12\\n1"]
}`;

describe("bezierPath and labelAnchor", () => {
  const points = [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 20, y: 0 },
    { x: 30, y: 0 },
  ];
  it("writes one cubic per three points", () => {
    assert.equal(bezierPath(points), "M0,0C10,0 20,0 30,0");
    assert.equal(bezierPath([]), "");
  });
  it("anchors labels on the wire, under the label's x when known", () => {
    assert.deepEqual(labelAnchor(points), { x: 15, y: 0 });
    assert.equal(labelAnchor(points, 26).y, 0);
    assert.ok(Math.abs(labelAnchor(points, 26).x - 26) < 4);
  });
});

describe("readLayout with Graphviz WASM", () => {
  it("lays the circuit out left to right with the API's ids", async () => {
    assert.ok(existsSync(VIZ), "frontend/vendor/viz.js is missing: run `make frontend`");
    const { instance } = await import(VIZ.href);
    const viz = await instance();
    const layout = readLayout(viz.renderJSON(DOT, { yInvert: true }));
    assert.deepEqual([...layout.nodes.keys()].sort(), ["n0", "n1", "n2", "n3", "n4", "output"]);
    assert.deepEqual([...layout.wires.keys()].sort(), ["e0", "e1", "e2", "e3", "e_out"]);
    const x = (id) => layout.nodes.get(id).x;
    assert.ok(x("n0") < x("n2") && x("n2") < x("n4") && x("n4") < x("output"), "inputs left, output right");
    const wire = layout.wires.get("e2");
    assert.equal(wire.source, "n2");
    assert.equal(wire.target, "n4");
    assert.match(wire.path, /^M[\d.]+,[\d.]+C/);
    assert.ok(wire.anchor.x > x("n2") && wire.anchor.x < x("n4"));
    assert.ok(layout.width > 0 && layout.height > 0);
  });
});
