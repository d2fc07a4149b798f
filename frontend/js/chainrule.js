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
const LOCAL_GAP = 7;
const TAG_GAP = 4;
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
      const label = drawn.wires.get(id)?.value;
      mark(label, "chain-operand");
      box(layer, label, "chain-box chain-box--operand", { "data-testid": "chain-operand", "data-wire": id });
    }
    const results = parts.output ? [gate?.stub?.value] : parts.results.map((id) => drawn.wires.get(id)?.value);
    for (const label of results) {
      mark(label, "chain-result");
      box(layer, label, "chain-box chain-box--result", { "data-testid": "chain-result" });
    }
    return;
  }
  if (parts.upstream) {
    const at = parts.upstream.at;
    const wire = at === "wire" ? drawn.wires.get(parts.upstream.wire ?? "") : null;
    const label = at === "output" ? gate?.stub?.grad : at === "sum" ? gate?.gradSum : wire?.grad;
    const group = box(layer, label, "chain-box chain-box--upstream", { "data-testid": "chain-upstream", "data-value": parts.upstream.text });
    if (group && label) {
      const tag = group.appendChild(svgElement("text", { class: "chain-tag chain-tag--upstream", y: label.getAttribute("y") ?? 0 }, t("lesson.upstream")));
      place(tag, label.getBBox(), wire?.group ?? gate?.stub?.group ?? null, PAD_X + TAG_GAP);
    }
  }
  for (const local of parts.locals) {
    const wire = drawn.wires.get(local.wire);
    if (!wire) continue;
    mark(wire.grad, "chain-product");
    underline(layer, wire.grad);
    if (local.local === null) continue;
    // On the row of the wire's gradient (the rows above and below hold other wires' labels),
    // beside it: toward the gate where there is room, else toward the source.
    const group = layer.appendChild(
      svgElement("g", { class: "chain-local", "data-testid": "chain-local", "data-wire": local.wire, "data-value": local.local }),
    );
    const text = group.appendChild(
      svgElement("text", { class: "chain-local__text", y: wire.grad.getAttribute("y") ?? 0 }, t("lesson.local", { value: local.local })),
    );
    const anchor = wire.grad.textContent ? wire.grad.getBBox() : { x: Number(wire.grad.getAttribute("x")), y: 0, width: 0, height: 0 };
    place(text, anchor, wire.group, LOCAL_GAP);
    group.insertBefore(rect(text.getBBox(), "chain-box chain-box--local"), text);
  }
}

/**
 * Put `text` on its row beside `anchor`: after it if the wire (`line`) leaves room before it
 * ends, else before it.
 */
function place(text, anchor, line, gap) {
  text.setAttribute("x", String(anchor.x + anchor.width + gap));
  const path = line?.querySelector?.(".wire__line");
  if (!path || typeof path.getTotalLength !== "function") return;
  const width = text.getBBox().width;
  const start = path.getPointAtLength(0).x;
  const end = path.getPointAtLength(path.getTotalLength()).x;
  const roomAfter = end - (anchor.x + anchor.width + gap);
  const roomBefore = anchor.x - gap - start;
  if (roomAfter < width + PAD_X && roomBefore > roomAfter) {
    text.setAttribute("x", String(anchor.x - gap - width));
  }
}

/** A line under a label: SVG text draws no CSS text-decoration in every browser. */
function underline(layer, label) {
  if (!label.textContent) return;
  const area = label.getBBox();
  const y = area.y + area.height + 0.5;
  layer.appendChild(svgElement("line", { class: "chain-underline", x1: area.x, y1: y, x2: area.x + area.width, y2: y }));
}

/** A box around a label (when it shows anything); returns its group. */
function box(layer, label, className, attributes) {
  if (!label || !label.textContent) return null;
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
