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
    for (const id of parts.operands) {
      const label = wireOf(id)?.value;
      mark(label, "chain-operand");
      box(layer, label, "chain-box chain-box--operand", { "data-testid": "chain-operand", "data-wire": id });
    }
    const results = parts.output ? [shown(gate?.stub?.value)] : parts.results.map((id) => wireOf(id)?.value);
    for (const label of results) {
      mark(label, "chain-result");
      box(layer, label, "chain-box chain-box--result", { "data-testid": "chain-result" });
    }
    return;
  }
  if (parts.upstream) {
    const at = parts.upstream.at;
    const wire = at === "wire" ? wireOf(parts.upstream.wire ?? "") : null;
    const label = at === "output" ? shown(gate?.stub?.grad) : at === "sum" ? gate?.gradSum : wire?.grad;
    const group = box(layer, label, "chain-box chain-box--upstream", { "data-testid": "chain-upstream", "data-value": parts.upstream.text });
    if (group && label) {
      const area = label.getBBox();
      // On the label's baseline (a heatmap has none: near its foot).
      const y = label.getAttribute("y") ?? String(area.y + area.height - 2);
      const tag = group.appendChild(svgElement("text", { class: "chain-tag chain-tag--upstream", y }, t("lesson.upstream")));
      place(tag, area, wire?.group ?? gate?.stub?.group ?? null, PAD_X + TAG_GAP);
    }
  }
  const ends = new Map();
  for (const local of parts.locals) {
    const end = wireEnd(wireOf(local.wire)?.group);
    if (end) ends.set(local.wire, end);
  }
  const topmost = Math.min(...[...ends.values()].map((end) => end.y));
  for (const local of parts.locals) {
    const wire = wireOf(local.wire);
    if (!wire || !wire.grad) continue;
    mark(wire.grad, "chain-product");
    underline(layer, wire.grad);
    if (local.local === null) continue;
    // At the gate's end of the wire, where it enters: above the top input, below the others,
    // clear of the labels, which sit mid-wire.
    const group = layer.appendChild(
      svgElement("g", { class: "chain-local", "data-testid": "chain-local", "data-wire": local.wire, "data-value": local.local }),
    );
    const end = ends.get(local.wire) ?? { x: Number(wire.grad.getAttribute("x")), y: Number(wire.grad.getAttribute("y")) };
    const above = end.y <= topmost;
    const text = group.appendChild(
      svgElement(
        "text",
        { class: "chain-local__text", x: end.x - END_GAP, y: above ? end.y - ABOVE_END : end.y + BELOW_END, "text-anchor": "end" },
        t("lesson.local", { value: local.local }),
      ),
    );
    // Clear of the wire's own numbers: moved further up (or down) past any it covers.
    for (const label of [wire.grad, wire.value]) {
      if (!visible(label)) continue;
      const covered = label.getBBox();
      const box = text.getBBox();
      if (!overlaps(box, covered)) continue;
      const shift = above ? covered.y - (box.y + box.height) - 2 * PAD_Y : covered.y + covered.height - box.y + 2 * PAD_Y;
      text.setAttribute("y", String(Number(text.getAttribute("y")) + shift));
    }
    const area = text.getBBox();
    group.insertBefore(rect(area, "chain-box chain-box--local"), text);
    // A leader from the box to where the wire enters the gate: which wire it belongs to.
    const corner = { x: area.x + area.width + PAD_X, y: above ? area.y + area.height + PAD_Y : area.y - PAD_Y };
    group.insertBefore(svgElement("line", { class: "chain-leader", x1: corner.x, y1: corner.y, x2: end.x, y2: end.y }), group.firstChild);
  }
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

/**
 * Put `text` beside `anchor` on its row, where the wire (`line`) leaves room between its ends:
 * after it (toward the gate), else before it; on a wire too short for either, under it.
 */
function place(text, anchor, line, gap) {
  text.setAttribute("x", String(anchor.x + anchor.width + gap));
  const path = line?.querySelector?.(".wire__line");
  if (!path || typeof path.getTotalLength !== "function") return;
  const width = text.getBBox().width + PAD_X;
  const start = path.getPointAtLength(0).x;
  const end = path.getPointAtLength(path.getTotalLength()).x;
  if (end - (anchor.x + anchor.width + gap) >= width) return;
  if (anchor.x - gap - start >= width) {
    text.setAttribute("x", String(anchor.x - gap - width + PAD_X));
    return;
  }
  text.setAttribute("x", String(anchor.x + anchor.width / 2 - (width - PAD_X) / 2));
  text.setAttribute("y", String(Number(text.getAttribute("y")) + BELOW));
}

/** A line under a label: SVG text draws no CSS text-decoration in every browser. */
function underline(layer, label) {
  if (!visible(label)) return;
  const area = label.getBBox();
  const y = area.y + area.height + 0.5;
  layer.appendChild(svgElement("line", { class: "chain-underline", x1: area.x, y1: y, x2: area.x + area.width, y2: y }));
}

/** A box around a label (when it shows anything); returns its group. */
function box(layer, label, className, attributes) {
  if (!visible(label)) return null;
  const group = layer.appendChild(svgElement("g", attributes));
  group.appendChild(rect(label.getBBox(), className));
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
