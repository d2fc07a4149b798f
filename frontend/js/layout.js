/**
 * The circuit's layout, read from the DOT the API sends. The server lays the circuit out once
 * (backend/circuitgrad/layout) and writes every position into the DOT for Graphviz's `nop2`
 * (draw as given); the export's `dot` draws exactly those positions, and so does the page, which
 * reads them here instead of running Graphviz. Pure: no DOM; unit-tested against Graphviz
 * (WebAssembly) reading the same DOT.
 * @module layout
 */

/** Graphviz measures node sizes in inches, coordinates in points (the page's pixels at 100 %). */
const POINTS_PER_INCH = 72;
/** Arrowheads as Graphviz draws them at arrowsize 0.6: 6 long, 2.4 either side of the wire. */
const ARROW_HALF_WIDTH = 2.4;

/**
 * @typedef {{x: number, y: number}} Point
 * @typedef {{id: string, kind: string, x: number, y: number, width: number, height: number, shape: string, label: string}} NodeBox
 * @typedef {{id: string, source: string, target: string, path: string, points: Point[], arrow: Point[], anchor: Point, start: Point, end: Point, stub: boolean}} WireShape
 * @typedef {{width: number, height: number, nodes: Map<string, NodeBox>, wires: Map<string, WireShape>}} Layout
 */

/**
 * Read the positions the server wrote into its DOT (one statement per line, as
 * backend/circuitgrad/export.py writes them). y grows downwards, as in SVG.
 * @param {string} dot
 * @returns {Layout}
 */
export function readDot(dot) {
  const lines = dot.split("\n");
  let height = 0;
  let width = 0;
  const nodes = new Map();
  const wires = new Map();
  const flip = (text) => {
    const [x, y] = text.split(",").map(Number);
    return { x, y: height - y };
  };
  for (const line of lines) {
    const match = /^\s*("(?:[^"\\]|\\.)*"|[^\s[]+)(?:\s*->\s*("(?:[^"\\]|\\.)*"|[^\s[]+))?\s*\[(.*)\]\s*;?\s*$/.exec(line);
    if (!match) continue;
    const [, first, second, body] = match;
    const attrs = readAttributes(body);
    if (first === "graph" && !second) {
      [, , width, height] = String(attrs.bb ?? "0,0,0,0").split(",").map(Number);
      continue;
    }
    if (first === "node" || first === "edge") continue;
    if (!second) {
      if (!attrs.pos) continue;
      const { x, y } = flip(attrs.pos.replace("!", ""));
      const id = unquote(first);
      nodes.set(id, {
        id,
        kind: attrs.class ?? "",
        x,
        y,
        width: Number(attrs.width ?? 0.5) * POINTS_PER_INCH,
        height: Number(attrs.height ?? 0.5) * POINTS_PER_INCH,
        shape: attrs.shape ?? "ellipse",
        label: attrs.label ?? id,
      });
      continue;
    }
    if (!attrs.pos) continue;
    const id = attrs.id ?? `e${wires.size}`;
    let tip = null;
    const points = [];
    for (const token of attrs.pos.trim().split(/\s+/)) {
      if (token.startsWith("e,")) tip = flip(token.slice(2));
      else if (!token.startsWith("s,")) points.push(flip(token));
    }
    const source = unquote(first);
    const last = points[points.length - 1] ?? { x: 0, y: 0 };
    wires.set(id, {
      id,
      source,
      target: unquote(second),
      path: bezierPath(points),
      points,
      arrow: tip ? arrowhead(last, tip) : [],
      anchor: attrs.lp ? flip(attrs.lp) : (points[0] ?? { x: 0, y: 0 }),
      start: points[0] ?? { x: 0, y: 0 },
      end: tip ?? last,
      // A wire from a stub (a shared value's name beside its gate) starts with a ring.
      stub: nodes.get(source)?.kind === "ref",
    });
  }
  return { width, height, nodes, wires };
}

/**
 * Whether two DOTs of the same circuit have the same bounding box: the server's positions
 * depend on the numbers only where a number is wider than its label column, and then the
 * drawing grows.
 * @param {string | undefined} a
 * @param {string | undefined} b
 * @returns {boolean}
 */
export function sameBounds(a, b) {
  const bounds = (dot) => /\bbb="([^"]*)"/.exec(dot ?? "")?.[1] ?? null;
  const first = bounds(a);
  return first !== null && first === bounds(b);
}

/**
 * A statement's attributes: `key=value`, `key="quoted"` or `key=<html label>`.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function readAttributes(text) {
  const out = Object.create(null);
  let i = 0;
  while (i < text.length) {
    while (text[i] === " " || text[i] === ",") i += 1;
    const eq = text.indexOf("=", i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    let j = eq + 1;
    let value;
    if (text[j] === '"') {
      let k = j + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === "\\" ? 2 : 1;
      value = unquote(text.slice(j, k + 1));
      j = k + 1;
    } else if (text[j] === "<") {
      let depth = 0;
      let k = j;
      do {
        if (text[k] === "<") depth += 1;
        else if (text[k] === ">") depth -= 1;
        k += 1;
      } while (depth > 0 && k < text.length);
      value = text.slice(j, k);
      j = k;
    } else {
      let k = j;
      while (k < text.length && text[k] !== " ") k += 1;
      value = text.slice(j, k);
      j = k;
    }
    out[key] = value;
    i = j;
  }
  return out;
}

function unquote(text) {
  if (!text.startsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/g, "$1");
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
 * The arrowhead from the end of a wire's line to its tip.
 * @param {Point} base
 * @param {Point} tip
 * @returns {Point[]}
 */
export function arrowhead(base, tip) {
  const dx = tip.x - base.x;
  const dy = tip.y - base.y;
  const length = Math.hypot(dx, dy) || 1;
  const nx = (-dy / length) * ARROW_HALF_WIDTH;
  const ny = (dx / length) * ARROW_HALF_WIDTH;
  return [
    { x: round(base.x + nx), y: round(base.y + ny) },
    { x: round(tip.x), y: round(tip.y) },
    { x: round(base.x - nx), y: round(base.y - ny) },
  ];
}

/**
 * Points along a wire, for hit tests and measurements: each cubic sampled `steps` times.
 * @param {Point[]} points  Bézier control points (start, then three per segment)
 * @param {number} [steps]
 * @returns {Point[]}
 */
export function sampleWire(points, steps = 8) {
  if (points.length === 0) return [];
  const out = [points[0]];
  for (let i = 0; i + 3 < points.length; i += 3) {
    const [p0, p1, p2, p3] = points.slice(i, i + 4);
    for (let k = 1; k <= steps; k += 1) out.push(cubic(p0, p1, p2, p3, k / steps));
  }
  return out;
}

function cubic(p0, p1, p2, p3, t) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

function round(x) {
  return Math.round(x * 100) / 100;
}
