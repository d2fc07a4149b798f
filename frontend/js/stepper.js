/**
 * What the diagram shows at each position of the step list. Pure: no DOM, no state.
 *
 * Positions run from 0 (nothing computed yet) to `count` (every step done). Position p means
 * steps[0..p-1] are done and steps[p-1] is the active one. The API sends one forward step per
 * node in topological order, then one backward step per node in reverse order.
 *
 * - A node's value appears at its forward step; so does the value on each wire leaving it.
 * - A node's gradient appears at its backward step; at that step the gate also sends the
 *   gradient back along each wire entering it (local gradient × upstream gradient).
 * @module stepper
 */

/**
 * @typedef {{phase: "forward" | "backward", node: string, text: string}} Step
 * @typedef {{id: string, source: string, target: string}} EdgeRef
 * @typedef {{
 *   count: number,
 *   forwardCount: number,
 *   valueAt: Map<string, number>,
 *   gradAt: Map<string, number>,
 *   edgeValueAt: Map<string, number>,
 *   edgeGradAt: Map<string, number>,
 *   changesAt: Array<{nodes: string[], edges: string[]}>,
 *   incoming: Map<string, string[]>,
 *   outgoing: Map<string, string[]>,
 *   steps: Step[],
 * }} Schedule
 */

/** Never revealed (e.g. a node no step mentions). */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * Work out, once per result, at which position each value and gradient appears.
 * @param {Step[]} steps
 * @param {EdgeRef[]} edges
 * @returns {Schedule}
 */
export function buildSchedule(steps, edges) {
  const valueAt = new Map();
  const gradAt = new Map();
  steps.forEach((step, index) => {
    const table = step.phase === "forward" ? valueAt : gradAt;
    if (!table.has(step.node)) table.set(step.node, index + 1);
  });
  const changesAt = Array.from({ length: steps.length + 1 }, () => ({ nodes: [], edges: [] }));
  for (const [node, position] of valueAt) changesAt[position].nodes.push(node);
  for (const [node, position] of gradAt) changesAt[position].nodes.push(node);

  const edgeValueAt = new Map();
  const edgeGradAt = new Map();
  const incoming = new Map();
  const outgoing = new Map();
  for (const edge of edges) {
    const shownAt = valueAt.get(edge.source) ?? NEVER;
    const gradShownAt = gradAt.get(edge.target) ?? NEVER;
    edgeValueAt.set(edge.id, shownAt);
    edgeGradAt.set(edge.id, gradShownAt);
    if (shownAt !== NEVER) changesAt[shownAt].edges.push(edge.id);
    if (gradShownAt !== NEVER) changesAt[gradShownAt].edges.push(edge.id);
    push(incoming, edge.target, edge.id);
    push(outgoing, edge.source, edge.id);
  }
  const forwardCount = steps.filter((step) => step.phase === "forward").length;
  return {
    count: steps.length,
    forwardCount,
    valueAt,
    gradAt,
    edgeValueAt,
    edgeGradAt,
    changesAt,
    incoming,
    outgoing,
    steps,
  };
}

/**
 * Keep a position inside [0, count]; anything unreadable becomes 0.
 * @param {number} position
 * @param {number} count
 * @returns {number}
 */
export function clampPosition(position, count) {
  if (!Number.isFinite(position)) return 0;
  return Math.min(Math.max(Math.trunc(position), 0), count);
}

/**
 * Whether a node's (or wire's) value / gradient is visible at a position.
 * @param {Map<string, number>} table  one of the schedule's `…At` maps
 * @param {string} id
 * @param {number} position
 * @returns {boolean}
 */
export function isShown(table, id, position) {
  return (table.get(id) ?? NEVER) <= position;
}

/**
 * The node and wires to highlight at a position, and the explanation to show.
 * Forward: the gate, the wires feeding it and the wires carrying its value away.
 * Backward: the gate, and the wires it sends gradients back along (and the ones it got it from).
 * @param {Schedule} schedule
 * @param {number} position
 * @returns {{step: Step | null, node: string | null, edges: string[], phase: "start" | "forward" | "backward" | "done"}}
 */
export function activeAt(schedule, position) {
  if (position <= 0 || position > schedule.count) {
    return { step: null, node: null, edges: [], phase: position <= 0 ? "start" : "done" };
  }
  const step = schedule.steps[position - 1];
  const edges = [
    ...(schedule.incoming.get(step.node) ?? []),
    ...(schedule.outgoing.get(step.node) ?? []),
  ];
  return { step, node: step.node, edges, phase: step.phase };
}

/**
 * The node and wire ids whose visibility differs between two positions: all a redraw touches.
 * @param {Schedule} schedule
 * @param {number} from
 * @param {number} to
 * @returns {{nodes: Set<string>, edges: Set<string>}}
 */
export function changedBetween(schedule, from, to) {
  const nodes = new Set();
  const edges = new Set();
  const low = Math.min(from, to);
  const high = Math.max(from, to);
  for (let position = low + 1; position <= high; position += 1) {
    const change = schedule.changesAt[position];
    if (!change) continue;
    change.nodes.forEach((id) => nodes.add(id));
    change.edges.forEach((id) => edges.add(id));
  }
  return { nodes, edges };
}

/**
 * Progress through the passes, for the progress bar and its label: which pass, and how far
 * into it (`index` of `total`; at the start, `total` is every step).
 * @param {Schedule} schedule
 * @param {number} position
 * @returns {{fraction: number, split: number, pass: "start" | "forward" | "backward", index: number, total: number}}
 */
export function progressAt(schedule, position) {
  const { count, forwardCount } = schedule;
  const fraction = count === 0 ? 0 : position / count;
  const split = count === 0 ? 0.5 : forwardCount / count;
  if (position <= 0) return { fraction, split, pass: "start", index: 0, total: count };
  if (position <= forwardCount) return { fraction, split, pass: "forward", index: position, total: forwardCount };
  return { fraction, split, pass: "backward", index: position - forwardCount, total: count - forwardCount };
}

/**
 * Whether two results have the same circuit (same ids, ops and wires), so a step position
 * stays meaningful when only the values changed.
 * @param {{nodes: Array<{id: string, op: string}>, edges: EdgeRef[]} | null} a
 * @param {{nodes: Array<{id: string, op: string}>, edges: EdgeRef[]} | null} b
 * @returns {boolean}
 */
export function sameStructure(a, b) {
  if (!a || !b) return false;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const nodesMatch = a.nodes.every((node, i) => node.id === b.nodes[i].id && node.op === b.nodes[i].op);
  const edgesMatch = a.edges.every(
    (edge, i) => edge.id === b.edges[i].id && edge.source === b.edges[i].source && edge.target === b.edges[i].target,
  );
  return nodesMatch && edgesMatch;
}

function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
