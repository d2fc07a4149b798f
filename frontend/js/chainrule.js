/**
 * The chain rule drawn on the circuit, over the diagram (called from diagram.js after each
 * step): in a backward step the upstream gradient arriving at the gate is boxed on its output
 * wire (solid box, "upstream"), each input wire gets its local gradient (dashed box, "local"),
 * and the products, the wires' gradients, are underlined; a forward step boxes its operands
 * (dashed) and its result (solid). Words and box styles say it too: colour is never the only cue.
 * @module chainrule
 */

import { chainParts } from "./chain-parts.js";
import { t } from "./i18n.js";
import { activeAt } from "./stepper.js";
import { svgElement } from "./svg.js";

/** Room around a boxed label, and where a local gradient sits under a wire's gradient. */
const PAD_X = 3;
const PAD_Y = 1.5;
const TAG_GAP = 4;
const BELOW = 12.5;
const END_GAP = 6;
const ABOVE_END = 6;
const BELOW_END = 15;
const MARKS = ["chain-operand", "chain-result", "chain-product"];

/**
 * @typedef {{
 *   result: any,
 *   wires: Map<string, {value: SVGTextElement, grad: SVGTextElement}>,
 *   gates: Map<string, {gradSum: SVGTextElement | null, stub: {value: SVGTextElement, grad: SVGTextElement} | null}>,
 *   chainLayer: SVGGElement,
 *   chainMarked: Element[],
 * }} Drawn
 */

/**
 * Draw the chain rule of the step at `position`, replacing the previous step's.
 * @param {Drawn} drawn
 * @param {import("./stepper.js").Schedule} schedule
 * @param {number} position
 */
export function drawChainRule(drawn, schedule, position) {
  drawChain(drawn, schedule, position, (id) => {
    const wire = drawn.wires.get(id);
    return wire ? { group: wire.group, value: shown(wire.value), grad: shown(wire.grad) } : null;
  });
}

/**
 * What a label side draws: its heatmap when it shows one, else its text (diagram.js keeps
 * sides as {text, grid}; a gate's gradient sum is a plain text element).
 * @param {any} side
 * @returns {SVGGraphicsElement | null}
 */
function shown(side) {
  if (!side) return null;
  if (!("text" in side) || side instanceof Element) return side;
  return side.grid?.childElementCount ? side.grid : side.text;
}

// NOTE: reading a box (getBBox, a path's points) right after a change to the drawing makes the
// browser lay out the whole circuit again, about a millisecond at 1,000 nodes. So each step
// writes its marks, then reads every box it needs, then writes every new element, then reads
// the new texts' boxes once, then writes where they go: two layouts per step, not twenty.
function drawChain(drawn, schedule, position, wireOf) {
  for (const element of drawn.chainMarked) element.classList.remove(...MARKS);
  drawn.chainMarked.length = 0;
  const layer = drawn.chainLayer;
  layer.replaceChildren();
  const parts = chainParts(activeAt(schedule, position).step, drawn.result);
  if (!parts) return;
  const mark = (element, name) => {
    if (!element) return;
    element.classList.add(name);
    drawn.chainMarked.push(element);
  };
  const gate = drawn.gates.get(parts.node);
  if (parts.phase === "forward") {
    const operands = parts.operands.map((id) => ({ id, label: wireOf(id)?.value }));
    const results = parts.output ? [shown(gate?.stub?.value)] : parts.results.map((id) => wireOf(id)?.value);
    for (const { label } of operands) mark(label, "chain-operand");
    for (const label of results) mark(label, "chain-result");
    const boxes = measure([...operands.map(({ label }) => label), ...results]); // one layout
    for (const { id, label } of operands) {
      box(layer, boxes, label, "chain-box chain-box--operand", { "data-testid": "chain-operand", "data-wire": id });
    }
    for (const label of results) box(layer, boxes, label, "chain-box chain-box--result", { "data-testid": "chain-result" });
    return;
  }
  // ---- backward: marks first (writes) ----
  const upstream = parts.upstream ? upstreamLabel(parts.upstream, gate, wireOf) : null;
  const locals = parts.locals
    .map((local) => ({ local, wire: wireOf(local.wire) }))
    .filter(({ wire }) => wire && wire.grad);
  for (const { wire } of locals) mark(wire.grad, "chain-product");
  // ---- every box and wire end this step needs, read together (one layout) ----
  const boxes = measure([upstream?.label, ...locals.flatMap(({ wire }) => [wire.grad, wire.value])]);
  const ends = new Map();
  for (const { local, wire } of locals) {
    const end = wireEnd(wire.group);
    if (end) ends.set(local.wire, end);
  }
  const tagLine = upstream?.line ? lineEnds(upstream.line) : null;
  const topmost = Math.min(...[...ends.values()].map((end) => end.y));
  // ---- new elements (writes) ----
  let tag = null;
  let crowd = [];
  if (upstream) {
    const group = box(layer, boxes, upstream.label, "chain-box chain-box--upstream", { "data-testid": "chain-upstream", "data-value": parts.upstream.text });
    const area = boxes.get(upstream.label);
    if (group && area) {
      // On the label's baseline (a heatmap has none: near its foot).
      const y = upstream.label.getAttribute("y") ?? String(area.y + area.height - 2);
      const text = group.appendChild(svgElement("text", { class: "chain-tag chain-tag--upstream", y, x: area.x + area.width + PAD_X + TAG_GAP }, t("lesson.upstream")));
      tag = { text, area };
      // Other wires' numbers near it, found by their written positions (no layout read):
      // where the tag cannot stay on its row, it goes under or over its label, clear of these.
      crowd = labelsNear(drawn.wires, area, new Set([upstream.label]));
      tag.value = upstream.value;
    }
  }
  const placed = [];
  for (const { local, wire } of locals) {
    underline(layer, boxes, wire.grad);
    if (local.local === null) continue;
    // At the gate's end of the wire, where it enters: above the top input, below the others,
    // clear of the labels, which sit mid-wire.
    const group = layer.appendChild(
      svgElement("g", { class: "chain-local", "data-testid": "chain-local", "data-wire": local.wire, "data-value": local.local }),
    );
    const end = ends.get(local.wire) ?? { x: Number(wire.grad.getAttribute("x")), y: Number(wire.grad.getAttribute("y")) };
    const above = end.y <= topmost;
    const y = above ? end.y - ABOVE_END : end.y + BELOW_END;
    const text = group.appendChild(
      svgElement("text", { class: "chain-local__text", x: end.x - END_GAP, y, "text-anchor": "end" }, t("lesson.local", { value: local.local })),
    );
    placed.push({ group, text, end, above, y, covers: [wire.grad, wire.value] });
  }
  // ---- the new texts' boxes, read together (one more layout) ----
  const texts = measure([tag?.text, ...placed.map(({ text }) => text), ...crowd]);
  // ---- where they go (writes) ----
  if (tag) {
    const others = crowd.map((label) => texts.get(label)).filter(Boolean);
    const value = tag.value ? texts.get(tag.value) : undefined;
    place(tag.text, texts.get(tag.text), tag.area, tagLine, PAD_X + TAG_GAP, others, value);
  }
  for (const { group, text, end, above, y, covers } of placed) {
    const own = texts.get(text);
    if (!own) continue;
    // (A DOMRect's fields are getters, which spreading would not copy.)
    const area = { x: own.x, y: own.y, width: own.width, height: own.height };
    // Clear of the wire's own numbers: moved further up (or down) past any it covers.
    let shift = 0;
    for (const label of covers) {
      const covered = boxes.get(label);
      if (!covered || !visible(label)) continue;
      const moved = { ...area, y: area.y + shift };
      if (!overlaps(moved, covered)) continue;
      shift += above ? covered.y - (moved.y + moved.height) - 2 * PAD_Y : covered.y + covered.height - moved.y + 2 * PAD_Y;
    }
    if (shift) text.setAttribute("y", String(y + shift));
    area.y += shift;
    group.insertBefore(rect(area, "chain-box chain-box--local"), text);
    // A leader from the box to where the wire enters the gate: which wire it belongs to.
    const corner = { x: area.x + area.width + PAD_X, y: above ? area.y + area.height + PAD_Y : area.y - PAD_Y };
    group.insertBefore(svgElement("line", { class: "chain-leader", x1: corner.x, y1: corner.y, x2: end.x, y2: end.y }), group.firstChild);
  }
}

/** Where a backward step's upstream gradient shows: its label, and the wire it sits on. */
function upstreamLabel(upstream, gate, wireOf) {
  const at = upstream.at;
  const wire = at === "wire" ? wireOf(upstream.wire ?? "") : null;
  const label = at === "output" ? shown(gate?.stub?.grad) : at === "sum" ? gate?.gradSum : wire?.grad;
  if (!label) return null;
  const value = at === "output" ? shown(gate?.stub?.value) : at === "wire" ? wire?.value : null;
  return { label, value: visible(value) ? value : null, line: wire?.group ?? gate?.stub?.group ?? null };
}

/**
 * The boxes of the labels that show anything, read in one go.
 * @param {Array<SVGGraphicsElement | null | undefined>} labels
 * @returns {Map<SVGGraphicsElement, DOMRect>}
 */
function measure(labels) {
  const boxes = new Map();
  for (const label of labels) if (label && !boxes.has(label) && visible(label)) boxes.set(label, label.getBBox());
  return boxes;
}

/** Whether a label shows anything: text, or a heatmap's cells. */
function visible(label) {
  return Boolean(label && (label.textContent || label.childElementCount));
}

function overlaps(a, b) {
  return a.x - PAD_X < b.x + b.width && b.x < a.x + a.width + PAD_X && a.y - PAD_Y < b.y + b.height && b.y < a.y + a.height + PAD_Y;
}

/** Where a wire ends (at its gate), or null if it has no line. */
function wireEnd(group) {
  const path = group?.querySelector?.(".wire__line");
  if (!path || typeof path.getTotalLength !== "function") return null;
  return path.getPointAtLength(path.getTotalLength());
}

/** A wire's first and last x, or null if it has no line. */
function lineEnds(group) {
  const path = group?.querySelector?.(".wire__line");
  if (!path || typeof path.getTotalLength !== "function") return null;
  return { start: path.getPointAtLength(0).x, end: path.getPointAtLength(path.getTotalLength()).x };
}

/**
 * Put `text` (its box `own`) beside `anchor` on its row, where the wire (`line`: its ends)
 * leaves room between its ends: after it (toward the gate), else before it; on a wire too
 * short for either, under it, or over the wire's value (its box `value`) when under it would
 * cover one of the `others` (the boxes of nearby labels, that value's among them).
 */
function place(text, own, anchor, line, gap, others = [], value = undefined) {
  if (!line || !own) return;
  const width = own.width + PAD_X;
  if (line.end - (anchor.x + anchor.width + gap) >= width) return;
  if (anchor.x - gap - line.start >= width) {
    text.setAttribute("x", String(anchor.x - gap - width + PAD_X));
    return;
  }
  const x = anchor.x + anchor.width / 2 - (width - PAD_X) / 2;
  const baseline = Number(text.getAttribute("y"));
  // Over the wire's value (when it has none showing: about a label's height over the wire).
  const top = value ? value.y : anchor.y - anchor.height - 2 * PAD_Y;
  const over = top - 2 * PAD_Y - (own.y + own.height);
  const clash = (dy) => others.some((box) => overlaps({ x, y: own.y + dy, width: own.width, height: own.height }, box));
  const dy = [BELOW, over].find((candidate) => !clash(candidate)) ?? BELOW;
  text.setAttribute("x", String(x));
  text.setAttribute("y", String(baseline + dy));
}

/** How far around a tag's anchor other labels can reach it (drawing units). */
const NEAR_X = 90;
const NEAR_Y = 45;

/**
 * The labels of other wires written near `area` (judged by their x/y attributes, so that
 * finding them costs no layout), excluding `skip`.
 * @param {Map<string, {value: any, grad: any}>} wires
 * @param {{x: number, y: number, width: number, height: number}} area
 * @param {Set<Element>} skip
 * @returns {SVGGraphicsElement[]}
 */
function labelsNear(wires, area, skip) {
  const cx = area.x + area.width / 2;
  const cy = area.y + area.height / 2;
  const near = [];
  for (const wire of wires.values()) {
    for (const side of [wire.value, wire.grad]) {
      const label = shown(side);
      if (!label || skip.has(label) || !visible(label)) continue;
      const x = Number(label.getAttribute("x"));
      const y = Number(label.getAttribute("y"));
      if (Math.abs(x - cx) < NEAR_X && Math.abs(y - cy) < NEAR_Y) near.push(label);
    }
  }
  return near;
}

/** A line under a label: SVG text draws no CSS text-decoration in every browser. */
function underline(layer, boxes, label) {
  const area = boxes.get(label);
  if (!area) return;
  const y = area.y + area.height + 0.5;
  layer.appendChild(svgElement("line", { class: "chain-underline", x1: area.x, y1: y, x2: area.x + area.width, y2: y }));
}

/** A box around a label (when it shows anything: it was measured); returns its group. */
function box(layer, boxes, label, className, attributes) {
  const area = boxes.get(label);
  if (!area) return null;
  const group = layer.appendChild(svgElement("g", attributes));
  group.appendChild(rect(area, className));
  return group;
}

function rect(area, className) {
  return svgElement("rect", {
    class: className,
    x: area.x - PAD_X,
    y: area.y - PAD_Y,
    width: area.width + 2 * PAD_X,
    height: area.height + 2 * PAD_Y,
    rx: 3,
  });
}
