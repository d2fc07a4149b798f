import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";

import { arrowhead, bezierPath, readAttributes, readDot, sampleWire } from "../../frontend/js/layout.js";

// The shape of the DOT the API sends: every position given (Graphviz's nop2), y pointing up.
const DOT = `digraph circuit {
\tgraph [layout=nop2 notranslate=true bb="0,0,300,100" bgcolor=white]
\tnode [fontname=Helvetica fixedsize=true margin=0]
\tn0 [label="x" id=n0 class=input pos="20,70!" width=0.25 height=0.28 shape=plaintext]
\tn1 [label="+" id=n1 class=gate pos="150,50!" width=0.5 height=0.5 shape=ellipse]
\tref_e1 [label="x" id=ref_e1 class=ref pos="20,30!" width=0.3 height=0.25 shape=plaintext]
\toutput [label="f" id=output class=end pos="280,50!" width=0.2 height=0.28 shape=plaintext]
\tn0 -> n1 [id=e0 pos="e,133,54 30,70 60,70 60,70 90,70 100,70 110,54 126,54" label=<<table><tr><td height="14">1</td></tr></table>> lp="75,70"]
\tref_e1 -> n1 [id=e1 pos="e,133,46 31,30 60,30 60,30 90,30 100,30 110,46 126,46" label=<<table><tr><td>2</td></tr></table>> lp="75,30"]
\tn1 -> output [id=e_out pos="e,270,50 168,50 200,50 230,50 263,50" label=<<b>3</b>> lp="220,50"]
}`;

describe("readAttributes", () => {
  it("reads bare, quoted and HTML values", () => {
    const attrs = readAttributes('id=e0 pos="e,1,2 3,4" label=<<table><tr><td a="1">x</td></tr></table>> lp="5,6"');
    assert.equal(attrs.id, "e0");
    assert.equal(attrs.pos, "e,1,2 3,4");
    assert.equal(attrs.label, '<<table><tr><td a="1">x</td></tr></table>>');
    assert.equal(attrs.lp, "5,6");
    assert.equal(readAttributes('label="a \\"b\\""').label, 'a "b"');
  });
});

describe("readDot", () => {
  const layout = readDot(DOT);
  it("reads nodes with y flipped to point down", () => {
    assert.deepEqual([...layout.nodes.keys()], ["n0", "n1", "ref_e1", "output"]);
    const x = layout.nodes.get("n0");
    assert.equal(x.kind, "input");
    assert.deepEqual([x.x, x.y], [20, 30]);
    assert.equal(layout.nodes.get("n1").width, 36);
    assert.equal(layout.width, 300);
    assert.equal(layout.height, 100);
  });
  it("reads wires: path, arrow to the tip, label anchor, stubs", () => {
    const wire = layout.wires.get("e0");
    assert.equal(wire.source, "n0");
    assert.equal(wire.target, "n1");
    assert.equal(wire.path, "M30,30C60,30 60,30 90,30C100,30 110,46 126,46");
    assert.deepEqual(wire.anchor, { x: 75, y: 30 });
    assert.deepEqual(wire.end, { x: 133, y: 46 });
    assert.equal(wire.arrow.length, 3);
    assert.equal(wire.stub, false);
    assert.equal(layout.wires.get("e1").stub, true); // it starts at a stub node
    assert.equal(layout.wires.get("e1").source, "ref_e1");
  });
  it("draws what Graphviz draws from the same DOT", () => {
    // The real `dot` (the one the SVG/PNG export runs; `make setup` installs it) reads the
    // same positions and writes its drawing as JSON.
    const json = JSON.parse(execFileSync("dot", ["-Tjson"], { input: DOT }).toString());
    for (const object of json.objects) {
      const [x, y] = object.pos.split(",").map(Number);
      const node = layout.nodes.get(object.name);
      assert.ok(Math.abs(node.x - x) < 0.01 && Math.abs(node.y - (100 - y)) < 0.01, object.name);
    }
    for (const edge of json.edges) {
      const spline = edge._draw_.find((op) => op.op === "b").points;
      const wire = layout.wires.get(edge.id);
      assert.equal(wire.points.length, spline.length);
      wire.points.forEach((p, i) => assert.ok(Math.abs(p.x - spline[i][0]) < 0.01 && Math.abs(p.y - (100 - spline[i][1])) < 0.01));
    }
  });
});

describe("geometry helpers", () => {
  it("writes one cubic per three points", () => {
    const points = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }, { x: 30, y: 0 }];
    assert.equal(bezierPath(points), "M0,0C10,0 20,0 30,0");
    assert.equal(bezierPath([]), "");
    const samples = sampleWire(points, 3);
    assert.equal(samples.length, 4);
    assert.deepEqual(samples[3], { x: 30, y: 0 });
  });
  it("points an arrowhead from the line's end to the tip", () => {
    const [a, tip, b] = arrowhead({ x: 0, y: 0 }, { x: 6, y: 0 });
    assert.deepEqual(tip, { x: 6, y: 0 });
    assert.equal(a.x, 0);
    assert.equal(Math.abs(a.y), 2.4);
    assert.equal(a.y, -b.y);
  });
});

describe("sameBounds", () => {
  it("compares the graph's bounding boxes", async () => {
    const { sameBounds } = await import("../../frontend/js/layout.js");
    assert.equal(sameBounds(DOT, DOT), true);
    assert.equal(sameBounds(DOT, DOT.replace('bb="0,0,300,100"', 'bb="0,0,310,100"')), false);
    assert.equal(sameBounds(undefined, DOT), false);
  });
});
