/**
 * Graphviz's JSON layout (viz.js `renderJSON` with `yInvert: true`) turned into what the
 * diagram draws: node boxes, wire paths, arrowheads and the point where each wire's numbers go.
 * Pure: no DOM; unit-tested with a canned layout.
 * @module layout
 */

/** Graphviz measures node sizes in inches, coordinates in points. */
const POINTS_PER_INCH = 72;

/**
 * @typedef {{x: number, y: number}} Point
 * @typedef {{id: string, x: number, y: number, width: number, height: number, shape: string, label: string}} NodeBox
 * @typedef {{id: string, source: string, target: string, path: string, arrow: Point[], anchor: Point, start: Point, end: Point}} WireShape
 * @typedef {{width: number, height: number, nodes: Map<string, NodeBox>, wires: Map<string, WireShape>}} Layout
 */

/**
 * Read the layout. Nodes are keyed by their DOT name (the API's ids `n0…`), wires by their `id`
 * attribute (`e0…`), falling back to their order.
 * @param {any} json  viz.js renderJSON output, laid out with yInvert
 * @returns {Layout}
 */
export function readLayout(json) {
  const [x0, y0, x1, y1] = String(json.bb ?? "0,0,0,0").split(",").map(Number);
  const objects = json.objects ?? [];
  const nodes = new Map();
  for (const object of objects) {
    if (object.nodes || object.subgraphs || !object.pos) continue; // clusters, not nodes
    const [x, y] = object.pos.split(",").map(Number);
    nodes.set(object.name, {
      id: object.name,
      x,
      y,
      width: Number(object.width ?? 0.5) * POINTS_PER_INCH,
      height: Number(object.height ?? 0.5) * POINTS_PER_INCH,
      shape: object.shape ?? "ellipse",
      label: typeof object.label === "string" ? object.label : object.name,
    });
  }
  const wires = new Map();
  (json.edges ?? []).forEach((edge, index) => {
    const id = edge.id ?? `e${index}`;
    const bezier = findOp(edge._draw_, "b")?.points ?? [];
    const points = bezier.map(([x, y]) => ({ x, y }));
    const arrow = (findOp(edge._hdraw_, "P")?.points ?? []).map(([x, y]) => ({ x, y }));
    const tip = arrow.length ? farthestFrom(arrow, points[points.length - 1]) : points[points.length - 1];
    wires.set(id, {
      id,
      source: objects[edge.tail]?.name,
      target: objects[edge.head]?.name,
      path: bezierPath(points),
      arrow,
      anchor: labelAnchor(points, edge.lp ? Number(String(edge.lp).split(",")[0]) : undefined),
      start: points[0] ?? { x: 0, y: 0 },
      end: tip ?? { x: 0, y: 0 },
    });
  });
  return { width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), nodes, wires };
}

/**
 * SVG path data for a Graphviz B-spline: a start point then cubic segments of three points.
 * @param {Point[]} points
 * @returns {string}
 */
export function bezierPath(points) {
  if (points.length === 0) return "";
  const fmt = (p) => `${round(p.x)},${round(p.y)}`;
  let d = `M${fmt(points[0])}`;
  for (let i = 1; i + 2 < points.length; i += 3) {
    d += `C${fmt(points[i])} ${fmt(points[i + 1])} ${fmt(points[i + 2])}`;
  }
  return d;
}

/**
 * Where a wire's value and gradient go: the value just above the wire, the gradient just below.
 * Graphviz reserved room for the wire's label at `labelX` (its label's centre), so the point of
 * the wire below that is used; without one, the middle of the wire's flattest stretch.
 * @param {Point[]} points  the spline's control points
 * @param {number} [labelX]
 * @returns {Point}
 */
export function labelAnchor(points, labelX) {
  if (points.length === 0) return { x: 0, y: 0 };
  if (points.length < 4) return points[0];
  const samples = [];
  for (let i = 0; i + 3 < points.length; i += 3) {
    const [p0, p1, p2, p3] = points.slice(i, i + 4);
    for (let k = 0; k <= 8; k += 1) samples.push(cubic(p0, p1, p2, p3, k / 8));
  }
  if (labelX !== undefined && Number.isFinite(labelX)) {
    let nearest = samples[0];
    for (const sample of samples) if (Math.abs(sample.x - labelX) < Math.abs(nearest.x - labelX)) nearest = sample;
    return { x: round(nearest.x), y: round(nearest.y) };
  }
  // Score each sample by how horizontal the wire is around it, favouring the middle.
  let best = samples[Math.floor(samples.length / 2)];
  let bestScore = -Infinity;
  for (let i = 1; i < samples.length - 1; i += 1) {
    const dx = samples[i + 1].x - samples[i - 1].x;
    const dy = samples[i + 1].y - samples[i - 1].y;
    const flatness = Math.abs(dx) / (Math.hypot(dx, dy) || 1);
    const centrality = 1 - Math.abs(i / (samples.length - 1) - 0.5);
    const score = flatness + 0.6 * centrality;
    if (score > bestScore) {
      bestScore = score;
      best = samples[i];
    }
  }
  return { x: round(best.x), y: round(best.y) };
}

function cubic(p0, p1, p2, p3, t) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

function findOp(ops, name) {
  return (ops ?? []).find((op) => op.op === name);
}

function farthestFrom(points, from) {
  if (!from) return points[0];
  let best = points[0];
  let bestDistance = -1;
  for (const p of points) {
    const distance = Math.hypot(p.x - from.x, p.y - from.y);
    if (distance > bestDistance) {
      bestDistance = distance;
      best = p;
    }
  }
  return best;
}

function round(x) {
  return Math.round(x * 100) / 100;
}
