import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  activeAt,
  buildSchedule,
  changedBetween,
  clampPosition,
  isShown,
  progressAt,
  sameStructure,
} from "../../frontend/js/stepper.js";

// (x+y)*z as the API numbers it: n0 x, n1 y, n2 +, n3 z, n4 *.
const nodes = ["n0", "n1", "n2", "n3", "n4"];
const edges = [
  { id: "e0", source: "n0", target: "n2" },
  { id: "e1", source: "n1", target: "n2" },
  { id: "e2", source: "n2", target: "n4" },
  { id: "e3", source: "n3", target: "n4" },
];
const steps = [
  ...nodes.map((node) => ({ phase: "forward", node, text: `forward ${node}` })),
  ...[...nodes].reverse().map((node) => ({ phase: "backward", node, text: `backward ${node}` })),
];
const schedule = buildSchedule(steps, edges);

describe("buildSchedule", () => {
  it("reveals values in topological order and gradients in reverse", () => {
    assert.equal(schedule.count, 10);
    assert.equal(schedule.forwardCount, 5);
    assert.equal(schedule.valueAt.get("n0"), 1);
    assert.equal(schedule.valueAt.get("n4"), 5);
    assert.equal(schedule.gradAt.get("n4"), 6);
    assert.equal(schedule.gradAt.get("n0"), 10);
  });

  it("shows a wire's value with its source and its gradient with its target's backward step", () => {
    assert.equal(schedule.edgeValueAt.get("e2"), 3); // when + computes
    assert.equal(schedule.edgeGradAt.get("e2"), 6); // when * sends gradients back
    assert.equal(schedule.edgeGradAt.get("e0"), 8); // when + sends gradients back
    assert.equal(isShown(schedule.edgeGradAt, "e0", 7), false);
    assert.equal(isShown(schedule.edgeGradAt, "e0", 8), true);
  });
});

describe("activeAt", () => {
  it("is empty before the first step", () => {
    assert.deepEqual(activeAt(schedule, 0), { step: null, node: null, edges: [], phase: "start" });
  });

  it("lights the gate and its wires", () => {
    const active = activeAt(schedule, 3);
    assert.equal(active.node, "n2");
    assert.equal(active.phase, "forward");
    assert.deepEqual(active.edges.sort(), ["e0", "e1", "e2"]);
    assert.equal(activeAt(schedule, 6).phase, "backward");
    assert.equal(activeAt(schedule, 6).step.text, "backward n4");
  });
});

describe("changedBetween", () => {
  it("touches only what the steps between reveal, both ways", () => {
    const forward = changedBetween(schedule, 2, 3);
    assert.deepEqual([...forward.nodes], ["n2"]);
    assert.deepEqual([...forward.edges], ["e2"]);
    const back = changedBetween(schedule, 10, 0);
    assert.equal(back.nodes.size, 5);
    assert.equal(back.edges.size, 4);
    assert.equal(changedBetween(schedule, 4, 4).nodes.size, 0);
  });
});

describe("positions and progress", () => {
  it("clamps", () => {
    assert.equal(clampPosition(-1, 10), 0);
    assert.equal(clampPosition(99, 10), 10);
    assert.equal(clampPosition(NaN, 10), 0);
    assert.equal(clampPosition(3.7, 10), 3);
  });

  it("says which pass and how far into it", () => {
    assert.deepEqual(progressAt(schedule, 0), { fraction: 0, split: 0.5, pass: "start", index: 0, total: 10 });
    assert.equal(progressAt(schedule, 5).pass, "forward");
    assert.equal(progressAt(schedule, 5).index, 5);
    assert.equal(progressAt(schedule, 6).pass, "backward");
    assert.equal(progressAt(schedule, 6).index, 1);
    assert.equal(progressAt(schedule, 6).total, 5);
    assert.equal(progressAt(schedule, 10).fraction, 1);
    assert.equal(progressAt(schedule, 0).split, 0.5);
  });
});

describe("sameStructure", () => {
  const a = { nodes: nodes.map((id) => ({ id, op: "add" })), edges };
  it("holds when only values differ", () => {
    const b = { nodes: nodes.map((id) => ({ id, op: "add", value: 3 })), edges: edges.map((e) => ({ ...e, value: 1 })) };
    assert.equal(sameStructure(a, b), true);
  });
  it("fails when a gate or a wire changes", () => {
    assert.equal(sameStructure(a, { ...a, nodes: a.nodes.map((n, i) => (i === 2 ? { ...n, op: "mul" } : n)) }), false);
    assert.equal(sameStructure(a, { ...a, edges: edges.slice(1) }), false);
    assert.equal(sameStructure(null, a), false);
  });
});
