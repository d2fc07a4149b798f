/**
 * The circuit: an SVG drawn from Graphviz's layout, then updated step by step.
 *
 * Drawing happens once per circuit; a step only touches the wires and gates whose visibility
 * changed (see stepper.changedBetween), so a 1,000-node circuit steps within a frame.
 * @module diagram
 */

import { drawChainRule } from "./chainrule.js";
import { formatFull, formatWireValue } from "./format.js";
import { heatmapRows } from "./heatmap.js";
import { t } from "./i18n.js";
import { clamp, installPanZoom } from "./panzoom.js";
import { activeAt, changedBetween, isShown } from "./stepper.js";
import { htmlElement, svgElement } from "./svg.js";
import { attachTooltip, nodeTooltip, wireTooltip } from "./tooltip.js";
import { createSide, setSide, sideHeight } from "./wire-label.js";

/** Room around the drawing, and the length of the wire leaving the output. */
const PAD = 16;
const OUTPUT_STUB = 64;
/** Baseline of a named intermediate's name, above its wire's value (the row the server's layout
 * reserved: one LABEL_ROW = 14 above the value's). */
const NAME_ABOVE = 18;
/** The most a small circuit is magnified when fitted to the view. */
const MAX_FIT_SCALE = 1.75;
/** Fitted below this scale, a wire's numbers are too small to read (under 7 px)... */
const MIN_FIT_SCALE = 0.6;
/** ...so show part of the circuit at this scale instead (11 px labels). */
const READABLE_SCALE = 1;
const ZOOM_LIMITS = { min: 0.02, max: 8 };
/** Stepping, the least magnification: labels are 11 layout units, so at least 11 px high. */
const STEP_SCALE = 1;

/**
 * @typedef {import("./layout.js").Layout} Layout
 * @typedef {import("./stepper.js").Schedule} Schedule
 */

/**
 * Make the diagram controller for an `<svg data-testid="diagram">` inside a positioned container.
 * @param {SVGSVGElement} svg
 * @param {HTMLElement} tooltip  an absolutely positioned element for array previews
 */
export function createDiagram(svg, tooltip) {
  /** Everything drawn for the current circuit; replaced by `draw`. */
  let drawn = null;
  let view = { x: 0, y: 0, width: 100, height: 100 };
  let userMoved = false;

  const setView = (next) => {
    view = next;
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.width} ${view.height}`);
  };

  /**
   * Fit the circuit to the view, never magnified more than MAX_FIT_SCALE. Unless `whole`, a
   * circuit too big to read at that size is shown at a readable scale around `focus` (a node
   * id: the active gate, or the first input), and the learner pans or presses the fit button.
   * @param {boolean} [whole]
   * @param {string | null} [focus]
   */
  const fit = (whole = false, focus = null) => {
    if (!drawn) return;
    const { x, y, width, height } = drawn.bounds;
    const box = svg.getBoundingClientRect();
    const boxWidth = box.width || width;
    const boxHeight = box.height || height;
    let scale = Math.min(MAX_FIT_SCALE, boxWidth / width, boxHeight / height);
    const readable = !whole && scale < MIN_FIT_SCALE;
    if (readable) scale = READABLE_SCALE;
    const w = boxWidth / scale;
    const h = boxHeight / scale;
    let left = x - (w - width) / 2;
    let top = y - (h - height) / 2;
    if (readable) {
      const target = drawn.boxes.get(focus ?? "") ?? drawn.boxes.values().next().value ?? { x: x + width / 2, y: y + height / 2 };
      // Keep the focus in view, but do not leave empty space beyond the drawing's edges.
      left = w < width ? clamp(target.x - w / 2, x, x + width - w) : left;
      top = h < height ? clamp(target.y - h / 2, y, y + height - h) : top;
    }
    setView({ x: left, y: top, width: w, height: h });
    userMoved = false;
  };

  /**
   * Zoom by a factor around a point in SVG coordinates (the view's centre by default).
   * @param {number} factor  > 1 zooms in
   * @param {{x: number, y: number}} [around]
   */
  const zoomBy = (factor, around) => {
    const center = around ?? { x: view.x + view.width / 2, y: view.y + view.height / 2 };
    const full = drawn ? Math.max(drawn.bounds.width, drawn.bounds.height) : view.width;
    const scale = full / (view.width / factor);
    if (scale < ZOOM_LIMITS.min || scale > ZOOM_LIMITS.max * 40) return;
    setView({
      x: center.x - (center.x - view.x) / factor,
      y: center.y - (center.y - view.y) / factor,
      width: view.width / factor,
      height: view.height / factor,
    });
    userMoved = true;
  };

  installPanZoom(svg, () => view, setView, zoomBy, () => {
    userMoved = true;
  });

  return {
    /**
     * Draw a new circuit (replacing the old one) at a step position.
     * @param {Layout} layout
     * @param {any} result  decoded /api/graph response
     * @param {Schedule} schedule
     * @param {number} position
     * @param {{keepView?: boolean}} [options]
     */
    draw(layout, result, schedule, position, options = {}) {
      drawn = buildSvg(svg, layout, result, schedule, tooltip);
      if (!options.keepView || !userMoved) fit(false, activeAt(schedule, position).node ?? result.nodes[0]?.id);
      refreshAll(drawn, result, schedule, position);
      markActive(drawn, schedule, position);
    },

    /**
     * New numbers for the same circuit (only the values changed): rewrite every shown label.
     * @param {any} result
     * @param {Schedule} schedule
     * @param {number} position
     */
    refresh(result, schedule, position) {
      if (!drawn) return;
      drawn.result = result;
      refreshAll(drawn, result, schedule, position);
      markActive(drawn, schedule, position);
    },

    /**
     * Move from one step position to another, touching only what changes.
     * @param {Schedule} schedule
     * @param {number} from
     * @param {number} to
     */
    step(schedule, from, to) {
      if (!drawn) return;
      const { nodes, edges } = changedBetween(schedule, from, to);
      for (const id of nodes) refreshNode(drawn, id, schedule, to);
      for (const id of edges) refreshWire(drawn, id, schedule, to);
      markActive(drawn, schedule, to);
      // Keep the active gate on screen, its numbers readable (a no-op while the whole circuit
      // is in view at a readable size).
      const active = activeAt(schedule, to).node;
      // One step at a time reads numbers; a jump (first, last) shows the whole circuit.
      if (!userMoved && Math.abs(to - from) === 1) zoomToRead(drawn, active, svg, () => view, setView);
      revealNode(drawn, active, () => view, setView);
    },

    fit,
    zoomBy,

    /** @returns {boolean} whether a circuit is drawn */
    hasDrawing() {
      return drawn !== null;
    },
  };
}

/** Build every element for a circuit; returns the lookups a step needs. */
function buildSvg(svg, layout, result, schedule, tooltip) {
  svg.replaceChildren();
  tooltip.hidden = true; // its target may be gone without a pointerleave
  const wiresLayer = svg.appendChild(svgElement("g", { class: "layer layer--wires" }));
  const gatesLayer = svg.appendChild(svgElement("g", { class: "layer layer--gates" }));
  const labelsLayer = svg.appendChild(svgElement("g", { class: "layer layer--labels" }));
  const wires = new Map();
  const gates = new Map();

  for (const edge of result.edges) {
    const shape = layout.wires.get(edge.id);
    if (!shape) continue;
    const group = wiresLayer.appendChild(
      svgElement("g", { class: "wire", "data-wire": edge.id, "data-source": edge.source, "data-target": edge.target }),
    );
    group.appendChild(svgElement("path", { class: "wire__line", d: shape.path }));
    if (shape.arrow.length) {
      group.appendChild(svgElement("polygon", { class: "wire__arrow", points: shape.arrow.map((p) => `${p.x},${p.y}`).join(" ") }));
    }
    if (shape.stub) group.appendChild(svgElement("circle", { class: "wire__stub", cx: shape.start.x, cy: shape.start.y, r: 2.4 }));
    const label = labelsLayer.appendChild(
      svgElement("g", { class: "wire__label", "data-edge": edge.id, "data-source": edge.source, "data-target": edge.target }),
    );
    const name = wireName(result.nodeById.get(edge.source));
    if (name) {
      const rise = Math.max(sideHeight(edge.value), edge.grad === null ? 0 : sideHeight(edge.grad));
      label.appendChild(svgElement("text", { class: "wire__name", x: shape.anchor.x, y: shape.anchor.y - rise - NAME_ABOVE + 14 }, name));
    }
    const value = createSide(label, shape.anchor, "value");
    const grad = createSide(label, shape.anchor, "grad");
    const title = label.appendChild(svgElement("title"));
    wires.set(edge.id, { group, label, value, grad, title, edge });
    if (Array.isArray(edge.value)) makeFocusable(label, edge, result);
    attachTooltip(label, tooltip, () => wireTooltip(result.edgeById.get(edge.id) ?? edge, result));
  }

  const outgoingCount = new Map();
  for (const edge of result.edges) outgoingCount.set(edge.source, (outgoingCount.get(edge.source) ?? 0) + 1);

  const hasEndLabel = [...layout.wires.values()].some(
    (wire) => wire.source === result.output && !result.edgeById.has(wire.id),
  );
  let bounds = { x: -PAD, y: -PAD, width: layout.width + 2 * PAD, height: layout.height + 2 * PAD };
  for (const node of result.nodes) {
    const box = layout.nodes.get(node.id);
    if (!box) continue;
    // The output's name is written at the end of its wire, not above its gate.
    const named = node.id === result.output && hasEndLabel;
    const gate = drawGate(gatesLayer, node, box, (outgoingCount.get(node.id) ?? 0) > 1, named);
    gates.set(node.id, gate);
    attachTooltip(gate.group, tooltip, () => nodeTooltip(result.nodeById.get(node.id) ?? node));
  }
  for (const box of layout.nodes.values()) {
    if (box.kind === "ref") drawStub(gatesLayer, box, stubSource(layout, box.id));
  }
  // The DOT may end with a last wire from the output to a plain end point (named after the
  // output); it carries the output's own value and gradient. Without one, draw a short stub.
  const outputGate = gates.get(result.output);
  const outputBox = layout.nodes.get(result.output);
  const outputWire = [...layout.wires.values()].find(
    (wire) => wire.source === result.output && !result.edgeById.has(wire.id),
  );
  if (outputGate && outputWire) {
    outputGate.stub = drawOutputWire(wiresLayer, labelsLayer, result.output, outputWire);
    const end = layout.nodes.get(outputWire.target);
    if (end) {
      gatesLayer.appendChild(
        svgElement("text", { class: "gate__end", x: end.x - end.width / 2 + 2, y: end.y, "dominant-baseline": "central" }, end.label),
      );
    }
  } else if (outputGate && outputBox) {
    outputGate.stub = drawOutputStub(wiresLayer, labelsLayer, result.output, outputBox);
    bounds = { ...bounds, width: Math.max(bounds.width, outputBox.x + outputBox.width / 2 + OUTPUT_STUB + 2 * PAD) };
  }
  svg.dataset.nodes = String(result.nodes.length);
  showHeatLegend(svg, result.edges.some((edge) => heatmapRows(edge.value) !== null));
  // The chain rule of the active step is drawn over everything else (chainrule.js).
  const chainLayer = svg.appendChild(svgElement("g", { class: "layer layer--chain" }));
  return { wires, gates, bounds, result, active: [], boxes: layout.nodes, chainLayer, chainMarked: [] };
}

function drawGate(layer, node, box, fansOut, isOutput) {
  const kind = node.op === "input" ? "input" : node.op === "const" || node.op === "constant" ? "const" : "op";
  const group = layer.appendChild(
    svgElement("g", {
      class: `gate gate--${kind}`,
      "data-node": node.id,
      "data-op": node.op,
      transform: `translate(${box.x},${box.y})`,
    }),
  );
  if (node.name) group.setAttribute("data-name", node.name);
  const rx = box.width / 2;
  const ry = box.height / 2;
  if (kind === "op") {
    group.appendChild(svgElement("ellipse", { class: "gate__shape", rx, ry }));
    group.appendChild(svgElement("text", { class: "gate__symbol", y: 0, "dominant-baseline": "central" }, String(node.symbol)));
  } else if (kind === "input") {
    // The name sits just left of where its wire starts, as in the CS231n notes.
    group.appendChild(
      svgElement("text", { class: "gate__input", x: rx - 3, "dominant-baseline": "central" }, String(node.name ?? node.symbol)),
    );
  } else {
    group.appendChild(svgElement("text", { class: "gate__const", x: rx - 3, "dominant-baseline": "central" }, String(node.symbol)));
  }
  // A fan-out's wires each carry their own gradient; the node shows their sum, on the line the
  // layout reserved under it (a name: right-aligned under the name, like the name).
  const gradSum = fansOut
    ? group.appendChild(
        svgElement("text", {
          class: `gate__gradsum${kind === "op" ? "" : " gate__gradsum--end"}`,
          x: kind === "op" ? 0 : rx - 3,
          y: ry + 12,
          "data-gradsum": node.id,
        }),
      )
    : null;
  return { group, gradSum, kind, stub: null };
}

/** A tensor wire's label takes keyboard focus, which shows its numbers (see tooltip.js). */
function makeFocusable(label, edge, result) {
  const from = result.nodeById.get(edge.source);
  const to = result.nodeById.get(edge.target);
  label.setAttribute("tabindex", "0");
  label.setAttribute("role", "img");
  label.setAttribute("aria-label", t("diagram.tensor_wire", { from: from?.name ?? from?.symbol ?? edge.source, to: to?.name ?? to?.symbol ?? edge.target }));
}

/**
 * The heatmaps' colour key, beside the circuit while any wire is a heatmap: purple negative,
 * white 0, orange positive, each grid on its own scale.
 */
function showHeatLegend(svg, shown) {
  const host = svg.parentElement;
  if (!host) return;
  let legend = host.querySelector(".heat-legend");
  if (!legend && shown) {
    legend = htmlElement("div", { class: "heat-legend" });
    legend.append(
      htmlElement("span", { class: "heat-legend__title", "data-i18n": "diagram.legend_title" }, t("diagram.legend_title")),
      htmlElement("span", { class: "heat-legend__end", "data-i18n": "diagram.legend_negative" }, t("diagram.legend_negative")),
      htmlElement("span", { class: "heat-legend__bar", "aria-hidden": "true" }),
      htmlElement("span", { class: "heat-legend__end", "data-i18n": "diagram.legend_positive" }, t("diagram.legend_positive")),
    );
    host.appendChild(legend);
  }
  if (legend) legend.hidden = !shown;
}

/** The name a wire carries: a named intermediate's (q in q = x + y); inputs and constants show
 * theirs at the wire's start instead. Mirrors the server layout's _wire_names. */
function wireName(node) {
  if (!node || node.op === "input" || node.op === "const" || node.op === "constant") return null;
  return node.name ?? null;
}

/** The node a stub stands for: the source of the wire that starts at it. */
function stubSource(layout, stubId) {
  for (const wire of layout.wires.values()) if (wire.source === stubId) return wire;
  return null;
}

/**
 * A stub: a shared value's name beside one of the many gates it feeds, instead of a wire all
 * the way from the value (its wire starts with a small ring, the mark of a stub).
 */
function drawStub(layer, box, wire) {
  const group = layer.appendChild(
    svgElement("g", { class: "gate gate--ref", "data-stub": box.id, transform: `translate(${box.x},${box.y})` }),
  );
  if (wire) group.setAttribute("data-stub-wire", wire.id);
  group.appendChild(svgElement("text", { class: "gate__ref", x: box.width / 2 - 7, "dominant-baseline": "central" }, box.label));
  return group;
}

/** The output's wire as laid out. */
function drawOutputWire(wiresLayer, labelsLayer, outputId, shape) {
  const group = wiresLayer.appendChild(svgElement("g", { class: "wire wire--output", "data-wire": shape.id }));
  group.appendChild(svgElement("path", { class: "wire__line", d: shape.path }));
  if (shape.arrow.length) {
    group.appendChild(svgElement("polygon", { class: "wire__arrow", points: shape.arrow.map((p) => `${p.x},${p.y}`).join(" ") }));
  }
  return outputLabel(group, labelsLayer, outputId, shape.anchor);
}

/** A short wire drawn to the right of the output when the layout has none. */
function drawOutputStub(wiresLayer, labelsLayer, outputId, box) {
  const x1 = box.x + box.width / 2;
  const x2 = x1 + OUTPUT_STUB;
  const group = wiresLayer.appendChild(svgElement("g", { class: "wire wire--output", "data-wire": "output" }));
  group.appendChild(svgElement("path", { class: "wire__line", d: `M${x1},${box.y}L${x2 - 8},${box.y}` }));
  group.appendChild(
    svgElement("polygon", { class: "wire__arrow", points: `${x2 - 9},${box.y - 4} ${x2},${box.y} ${x2 - 9},${box.y + 4}` }),
  );
  return outputLabel(group, labelsLayer, outputId, { x: (x1 + x2) / 2, y: box.y });
}

function outputLabel(group, labelsLayer, outputId, anchor) {
  const label = labelsLayer.appendChild(svgElement("g", { class: "wire__label", "data-output": outputId }));
  const value = createSide(label, anchor, "value", { "data-testid": "output-value" });
  const grad = createSide(label, anchor, "grad", { "data-testid": "output-grad" });
  return { group, label, value, grad };
}

function refreshAll(drawn, result, schedule, position) {
  for (const id of drawn.gates.keys()) refreshNode(drawn, id, schedule, position);
  for (const id of drawn.wires.keys()) refreshWire(drawn, id, schedule, position);
}

function refreshNode(drawn, id, schedule, position) {
  const gate = drawn.gates.get(id);
  const node = drawn.result.nodeById.get(id);
  if (!gate || !node) return;
  const valueShown = isShown(schedule.valueAt, id, position);
  const gradShown = isShown(schedule.gradAt, id, position) && node.grad !== null;
  gate.group.classList.toggle("gate--computed", valueShown);
  gate.group.classList.toggle("gate--nonfinite", valueShown && (node.nonfinite || drawn.result.nonfiniteNodes.has(id)));
  if (gate.gradSum) gate.gradSum.textContent = gradShown ? `∑ ${formatWireValue(node.grad, node.shape)}` : "";
  if (gate.stub) {
    setSide(gate.stub.value, valueShown ? node.value : null, node.shape);
    setSide(gate.stub.grad, gradShown ? node.grad : null, node.shape);
  }
}

function refreshWire(drawn, id, schedule, position) {
  const wire = drawn.wires.get(id);
  const edge = drawn.result.edgeById.get(id);
  if (!wire || !edge) return;
  const shape = drawn.result.nodeById.get(edge.source)?.shape ?? [];
  const valueShown = isShown(schedule.edgeValueAt, id, position);
  const gradShown = isShown(schedule.edgeGradAt, id, position) && edge.grad !== null;
  setSide(wire.value, valueShown ? edge.value : null, shape);
  setSide(wire.grad, gradShown ? edge.grad : null, shape);
  wire.group.classList.toggle("wire--computed", valueShown);
  wire.title.textContent = wireTitle(edge, valueShown, gradShown);
}

function wireTitle(edge, valueShown, gradShown) {
  const parts = [];
  if (valueShown && !Array.isArray(edge.value)) parts.push(`value ${formatFull(edge.value)}`);
  if (gradShown && edge.grad !== null && !Array.isArray(edge.grad)) parts.push(`gradient ${formatFull(edge.grad)}`);
  return parts.join("\n");
}

function markActive(drawn, schedule, position) {
  for (const element of drawn.active) element.classList.remove("gate--active", "wire--active", "is-backward");
  drawn.active = [];
  const { node, edges, phase } = activeAt(schedule, position);
  const backward = phase === "backward";
  const gate = node ? drawn.gates.get(node) : null;
  if (gate) {
    gate.group.classList.add("gate--active");
    gate.group.classList.toggle("is-backward", backward);
    drawn.active.push(gate.group);
    if (gate.stub) {
      gate.stub.group.classList.add("wire--active");
      gate.stub.group.classList.toggle("is-backward", backward);
      drawn.active.push(gate.stub.group);
    }
  }
  for (const id of edges) {
    const wire = drawn.wires.get(id);
    if (!wire) continue;
    wire.group.classList.add("wire--active");
    wire.group.classList.toggle("is-backward", backward);
    drawn.active.push(wire.group);
  }
  drawChainRule(drawn, schedule, position);
}

/**
 * While stepping, magnify so a wire's numbers (11 layout units) are at least STEP_SCALE × 11 px
 * high, centred on the active gate: an overview of a big circuit is fine to look at, not to
 * read the numbers of one gate.
 */
function zoomToRead(drawn, id, svg, getView, setView) {
  const box = id ? drawn.boxes.get(id) : null;
  if (!box) return;
  const screen = svg.getBoundingClientRect();
  const view = getView();
  if (!screen.width || screen.width / view.width >= STEP_SCALE - 1e-6) return;
  const width = screen.width / STEP_SCALE;
  const height = screen.height / STEP_SCALE;
  setView({ x: box.x - width / 2, y: box.y - height / 2, width, height });
}

/** When only part of the circuit is in view, bring the active gate into it. */
function revealNode(drawn, id, getView, setView) {
  const gate = id ? drawn.gates.get(id) : null;
  if (!gate) return;
  const match = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(gate.group.getAttribute("transform") ?? "");
  if (!match) return;
  const x = Number(match[1]);
  const y = Number(match[2]);
  const view = getView();
  const b = drawn.bounds;
  // The whole circuit in view: nothing to reveal (an input on the drawing's edge is already seen).
  const slack = 0.5;
  const whole = view.x <= b.x + slack && view.y <= b.y + slack
    && view.x + view.width >= b.x + b.width - slack && view.y + view.height >= b.y + b.height - slack;
  if (whole) return;
  const margin = Math.min(view.width, view.height) * 0.1;
  const inside = x > view.x + margin && x < view.x + view.width - margin && y > view.y + margin && y < view.y + view.height - margin;
  if (inside) return;
  // Centre the gate, but never leave empty space beyond the drawing's edges where it could be
  // drawing instead (a view larger than the drawing keeps the whole drawing in it).
  const within = (centre, size, start, length) => {
    const end = start + length - size;
    return clamp(centre - size / 2, Math.min(start, end), Math.max(start, end));
  };
  const left = within(x, view.width, b.x, b.width);
  const top = within(y, view.height, b.y, b.height);
  if (left !== view.x || top !== view.y) setView({ ...view, x: left, y: top });
}
