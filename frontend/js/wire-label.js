/**
 * One side of a wire's label: the value above the wire or the gradient below it. A number is
 * one line of text; a matrix up to 8×8 (a vector: one row) a heatmap; a bigger tensor its shape
 * and, nearer the wire, its min, max and mean. The server's layout reserved the room
 * (backend/circuitgrad/layout: side_size), with the same rules (heatmap.js).
 * @module wire-label
 */

import { formatNumber, formatWireValue, hasNonFinite } from "./format.js";
import { CELL, GRID_PAD, cellColor, heatmapRows, largestMagnitude, summary } from "./heatmap.js";
import { t } from "./i18n.js";
import { svgElement } from "./svg.js";

/** One line of a label (the layout's LABEL_ROW), and the baselines next to the wire. */
const LINE = 14;
const ABOVE = 4;
const BELOW = 11.5;

/**
 * @typedef {{label: Element, text: SVGTextElement, extra: SVGTextElement | null,
 *   grid: SVGGElement | null, anchor: {x: number, y: number}, above: boolean}} Side
 */

/**
 * Make one side of a label inside `label` (a `data-edge` group); its `text` is the hook tests
 * read (`.wire__value` / `.wire__grad`).
 * @param {Element} label
 * @param {{x: number, y: number}} anchor  the label's centre, on the wire
 * @param {"value" | "grad"} which
 * @param {Record<string, string>} [attributes]
 * @returns {Side}
 */
export function createSide(label, anchor, which, attributes = {}) {
  const above = which === "value";
  const text = /** @type {SVGTextElement} */ (label.appendChild(
    svgElement("text", { class: `wire__${which}`, x: anchor.x, y: baseline(anchor, above, 0), ...attributes }),
  ));
  return { label, text, extra: null, grid: null, anchor, above };
}

/**
 * Show `value` (null: nothing) on this side.
 * @param {Side} side
 * @param {any} value
 * @param {number[]} shape
 */
export function setSide(side, value, shape) {
  const rows = value === null || value === undefined ? null : heatmapRows(value);
  side.text.classList.toggle("is-nonfinite", hasNonFinite(value));
  if (rows) {
    side.text.textContent = "";
    setExtra(side, "");
    drawGrid(side, rows);
    return;
  }
  side.grid?.replaceChildren();
  const tensor = Array.isArray(value);
  side.text.textContent = formatWireValue(value, shape);
  // Two lines: the shape away from the wire, the summary next to it.
  side.text.setAttribute("y", String(baseline(side.anchor, side.above, tensor ? 1 : 0)));
  if (tensor) {
    const s = summary(value);
    setExtra(side, t("diagram.summary", { min: formatNumber(s.min), max: formatNumber(s.max), mean: formatNumber(s.mean) }));
  } else {
    setExtra(side, "");
  }
}

/**
 * How far one side of a label reaches from its wire (the server's layout: side_size).
 * @param {any} value
 * @returns {number}
 */
export function sideHeight(value) {
  const rows = heatmapRows(value);
  if (rows) return rows.length * CELL + GRID_PAD;
  return Array.isArray(value) ? 2 * LINE : LINE;
}

/**
 * Whether this side shows anything (a text or a heatmap).
 * @param {Side} side
 * @returns {boolean}
 */
export function isShowing(side) {
  return Boolean(side.text.textContent) || Boolean(side.grid?.childElementCount);
}

function baseline(anchor, above, linesAway) {
  return above ? anchor.y - ABOVE - linesAway * LINE : anchor.y + BELOW + linesAway * LINE;
}

function setExtra(side, text) {
  if (!text && !side.extra) return;
  if (!side.extra) {
    side.extra = /** @type {SVGTextElement} */ (side.label.appendChild(
      svgElement("text", { class: `${side.text.getAttribute("class")} wire__summary`, x: side.anchor.x }),
    ));
    // The summary is the line next to the wire; the shape moved one line away.
    side.extra.setAttribute("y", String(side.above ? side.anchor.y - ABOVE : side.anchor.y + BELOW));
    side.extra.classList.remove("is-nonfinite");
  }
  side.extra.textContent = text;
}

function drawGrid(side, rows) {
  if (!side.grid) {
    side.grid = /** @type {SVGGElement} */ (side.label.appendChild(
      svgElement("g", { class: `wire__grid wire__grid--${side.above ? "value" : "grad"}` }),
    ));
  }
  const cols = rows[0].length;
  const x0 = side.anchor.x - (cols * CELL) / 2;
  const y0 = side.above ? side.anchor.y - GRID_PAD - rows.length * CELL : side.anchor.y + GRID_PAD;
  const largest = largestMagnitude(rows);
  const cells = [];
  rows.forEach((row, i) => {
    row.forEach((v, j) => {
      cells.push(svgElement("rect", { class: "wire__cell", x: x0 + j * CELL, y: y0 + i * CELL, width: CELL, height: CELL, fill: cellColor(v, largest) }));
    });
  });
  cells.push(svgElement("rect", { class: "wire__grid-frame", x: x0, y: y0, width: cols * CELL, height: rows.length * CELL }));
  side.grid.replaceChildren(...cells);
}
