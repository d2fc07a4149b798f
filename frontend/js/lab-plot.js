/**
 * The lab's SVG plots: loss against step (several runs overlaid, linear or log axis) and a
 * classifier's points over its decision regions. Axes carry labels and rounded ticks; every
 * label is placed inside the drawing. SVG is built with `createElementNS` and `textContent`
 * only; the arithmetic lives in lab-scale.js.
 * @module lab-plot
 */

import { decodeNumber, formatNumber } from "./format.js";
import { gridBorders, makeScale, niceTicks, placeLabel, prefersLog } from "./lab-scale.js";
import { htmlElement, svgElement } from "./svg.js";

const LOSS = { width: 480, right: 14, top: 14, bottom: 38 };
const REGION = { size: 240, left: 40, top: 10, right: 10, bottom: 38 };
/** Font size of the plots' words, in viewBox units; a character is about 0.6 of it wide. */
const FONT = 11;
const CHAR = FONT * 0.6;
/** Series with at most this many points also get a marker on each point. */
const MARKED_POINTS = 40;
/** Series styles: a colour and a dash pattern each (lab.css), so no two rely on colour alone. */
export const SERIES_STYLES = 5;
/** Markers of the classes: a second cue besides colour. */
export const CLASS_SHAPES = ["circle", "triangle", "square"];

/**
 * The drawing's width in viewBox units: its width on the page, so that the words in it are
 * the size of the text around it on a phone and on a desktop alike (`fallback` while it is
 * not laid out, e.g. in a closed tab).
 * @param {SVGSVGElement} svg
 * @param {number} fallback
 * @param {[number, number]} bounds
 */
function pageWidth(svg, fallback, [low, high]) {
  const width = Math.round(svg.getBoundingClientRect().width);
  return width > 0 ? Math.max(low, Math.min(high, width)) : fallback;
}

/**
 * @typedef {{label: string, points: Array<{step: number, loss: number}>, index: number,
 *   divergedAt?: number | null, upTo?: number, note?: string}} Series
 *   `upTo`: draw only the first upTo + 1 points (a run being played), though the axes fit
 *   them all; `note`: the words by the run's end (divergence, no minimum).
 */

/**
 * Draw loss-versus-step curves.
 * @param {SVGSVGElement} svg
 * @param {Series[]} series
 * @param {{maxStep?: number, scale?: "auto" | "linear" | "log", xLabel: string,
 *   yLabel: string, logLabel?: string, emptyText?: string}} options  `emptyText`: what to
 *   write in a plot with no series yet
 * @returns {"linear" | "log"} the y axis drawn (what "auto" chose)
 */
export function drawLossPlot(svg, series, options) {
  const width = pageWidth(svg, LOSS.width, [260, 600]);
  const height = Math.round(Math.max(190, Math.min(280, width * 0.52)));
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const losses = series.flatMap((s) => s.points.map((p) => p.loss));
  const kind = options.scale === "linear" || options.scale === "log" ? options.scale : prefersLog(losses) ? "log" : "linear";
  const bottom = height - LOSS.bottom;
  const y = makeScale(kind, losses.length ? losses : [0, 1], bottom, LOSS.top);
  const yLabels = y.ticks.map(formatNumber);
  // Room for the rotated axis title (about 20 units), then the longest tick label.
  const left = 22 + Math.max(...yLabels.map((text) => text.length), 1) * CHAR + 8;
  const maxStep = Math.max(1, options.maxStep ?? 0, ...series.flatMap((s) => s.points.map((p) => p.step)));
  const xTicks = niceTicks(0, maxStep, 5, { integer: true });
  // Room on the right for half the last step's label, which is centred on its tick.
  const right = width - Math.max(LOSS.right, (String(xTicks.high).length * CHAR) / 2 + 4);
  const x = (step) => left + (step / xTicks.high) * (right - left);
  const box = { left, right, top: LOSS.top, bottom };

  const axes = svg.appendChild(svgElement("g", { class: "lab-axes" }));
  for (const [i, tick] of y.ticks.entries()) {
    const py = y.map(tick);
    axes.appendChild(svgElement("line", { class: "lab-axes__grid", x1: left, y1: py, x2: box.right, y2: py }));
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: left - 5, y: py + FONT / 3, "text-anchor": "end" }, yLabels[i]));
  }
  for (const tick of xTicks.ticks) {
    axes.appendChild(svgElement("line", { x1: x(tick), y1: bottom, x2: x(tick), y2: bottom + 4 }));
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: x(tick), y: bottom + 15, "text-anchor": "middle" }, String(tick)));
  }
  axes.appendChild(svgElement("line", { x1: left, y1: bottom, x2: box.right, y2: bottom }));
  axes.appendChild(svgElement("line", { x1: left, y1: LOSS.top, x2: left, y2: bottom }));
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: (left + box.right) / 2, y: height - 6, "text-anchor": "middle" }, options.xLabel));
  const yTitle = kind === "log" && options.logLabel ? `${options.yLabel} (${options.logLabel})` : options.yLabel;
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: 12, y: (LOSS.top + bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(LOSS.top + bottom) / 2})` }, yTitle));
  svg.dataset.scale = kind;

  for (const s of series) drawSeries(svg, s, x, y, box);
  if (!series.length && options.emptyText) {
    svg.appendChild(svgElement("text", { class: "lab-plot__empty", x: (left + right) / 2, y: (LOSS.top + bottom) / 2, "text-anchor": "middle" }, options.emptyText));
  }
  return kind;
}

function drawSeries(svg, s, x, y, box) {
  const shown = s.points.slice(0, (s.upTo ?? s.points.length - 1) + 1);
  const finite = shown.filter((p) => Number.isFinite(p.loss));
  const group = svg.appendChild(svgElement("g", { class: `lab-series lab-series--${s.index % SERIES_STYLES}`, "data-series": s.label }));
  const clampY = (v) => Math.max(box.top, Math.min(box.bottom, y.map(v)));
  if (finite.length) {
    const d = finite.map((p, i) => `${i ? "L" : "M"}${x(p.step).toFixed(1)},${clampY(p.loss).toFixed(1)}`).join("");
    group.appendChild(svgElement("path", { class: "lab-series__line", d }));
    if (s.points.length <= MARKED_POINTS) {
      for (const p of finite) group.appendChild(svgElement("circle", { class: "lab-series__point", cx: x(p.step).toFixed(1), cy: clampY(p.loss).toFixed(1), r: 2.5 }));
    }
  }
  const end = shown[shown.length - 1];
  if (!end || !s.note || shown.length < s.points.length) return;
  // The run's end: a marker at its last point (at the top edge when the loss is not finite),
  // and the note beside it, inside the plot.
  const px = x(end.step);
  const py = Number.isFinite(end.loss) ? clampY(end.loss) : box.top;
  group.appendChild(svgElement("circle", { class: "lab-series__end", cx: px.toFixed(1), cy: py.toFixed(1), r: 5, "data-step": String(end.step) }));
  const spot = placeLabel(px, py, s.note.length * CHAR, FONT, box);
  group.appendChild(svgElement("text", { class: "lab-series__note", x: spot.x.toFixed(1), y: spot.y.toFixed(1), "text-anchor": spot.anchor }, s.note));
}

/**
 * The legend of a plot's series (or classes): a swatch drawn like the series, and its name.
 * @param {HTMLElement} list  a <ul>
 * @param {Array<{label: string, index: number}>} items
 */
export function renderSeriesLegend(list, items) {
  list.replaceChildren();
  list.hidden = items.length < 2;
  for (const item of items) {
    const li = list.appendChild(htmlElement("li", { class: `lab-series lab-series--${item.index % SERIES_STYLES}` }));
    const swatch = li.appendChild(svgElement("svg", { class: "lab-legend__swatch", viewBox: "0 0 28 10", "aria-hidden": "true" }));
    swatch.appendChild(svgElement("line", { class: "lab-series__line", x1: 1, y1: 5, x2: 27, y2: 5 }));
    li.appendChild(document.createTextNode(item.label));
  }
}

/**
 * A class's marker centred on (x, y): circle, triangle or square by class.
 * @param {number} cls
 * @param {number} x
 * @param {number} y
 * @param {number} r
 * @param {Record<string, string>} [attributes]
 * @returns {SVGElement}
 */
export function classMarker(cls, x, y, r, attributes = {}) {
  const shape = CLASS_SHAPES[cls % CLASS_SHAPES.length];
  const attrs = { class: `lab-point lab-point--${cls % 3}`, "data-class": String(cls), ...attributes };
  if (shape === "circle") return svgElement("circle", { ...attrs, cx: x.toFixed(1), cy: y.toFixed(1), r });
  if (shape === "square") {
    const s = r * 0.9;
    return svgElement("rect", { ...attrs, x: (x - s).toFixed(1), y: (y - s).toFixed(1), width: (2 * s).toFixed(1), height: (2 * s).toFixed(1) });
  }
  const h = r * 1.2;
  const points = [[x, y - h], [x - h, y + h * 0.8], [x + h, y + h * 0.8]].map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" ");
  return svgElement("polygon", { ...attrs, points });
}

/**
 * Runs of equal class along one grid row, so a 50×50 grid is a few hundred rectangles.
 * @param {number[]} row
 * @returns {Array<{start: number, length: number, cls: number}>}
 */
export function rowRuns(row) {
  const runs = [];
  for (let i = 0; i < row.length; i += 1) {
    const last = runs[runs.length - 1];
    if (last && last.cls === row[i]) last.length += 1;
    else runs.push({ start: i, length: 1, cls: row[i] });
  }
  return runs;
}

/**
 * A classifier's decision regions (from the predicted-class grid), the borders between
 * them, and the data points as class-shaped markers, on axes x₁ and x₂.
 * @param {SVGSVGElement} svg
 * @param {{X: number[][], y: number[]}} points
 * @param {{x: [number, number], y: [number, number], size: number, classes: number[][]} | null} grid
 * @param {{xLabel: string, yLabel: string}} labels
 */
export function drawRegions(svg, points, grid, labels) {
  const { left, top, right, bottom } = REGION;
  const size = pageWidth(svg, REGION.size + left + right, [220, 420]) - left - right;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${left + size + right} ${top + size + bottom}`);
  const xs = points.X.map((p) => p[0]);
  const ys = points.X.map((p) => p[1]);
  const xr = grid ? grid.x : [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  const yr = grid ? grid.y : [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5];
  const sx = (v) => left + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * size;
  const sy = (v) => top + size - ((v - yr[0]) / (yr[1] - yr[0] || 1)) * size;
  if (grid) {
    const regions = svg.appendChild(svgElement("g", { class: "lab-regions", "data-testid": "clf-regions" }));
    const cell = size / grid.size;
    grid.classes.forEach((row, r) => {
      for (const run of rowRuns(row)) {
        regions.appendChild(svgElement("rect", {
          class: `lab-region lab-region--${run.cls % 3}`,
          x: (left + run.start * cell).toFixed(2), y: (top + size - (r + 1) * cell).toFixed(2),
          width: (run.length * cell + 0.5).toFixed(2), height: (cell + 0.5).toFixed(2),
        }));
      }
    });
    const d = gridBorders(grid.classes).map(([x1, y1, x2, y2]) => `M${(left + x1 * cell).toFixed(1)},${(top + size - y1 * cell).toFixed(1)}L${(left + x2 * cell).toFixed(1)},${(top + size - y2 * cell).toFixed(1)}`).join("");
    if (d) svg.appendChild(svgElement("path", { class: "lab-border", d }));
  }
  drawRegionAxes(svg, size, xr, yr, sx, sy, labels);
  const dots = svg.appendChild(svgElement("g", { class: "lab-points" }));
  points.X.forEach((p, i) => dots.appendChild(classMarker(points.y[i], sx(p[0]), sy(p[1]), 2.8)));
}

function drawRegionAxes(svg, size, xr, yr, sx, sy, labels) {
  const { left, top } = REGION;
  const bottom = top + size;
  const axes = svg.appendChild(svgElement("g", { class: "lab-axes" }));
  axes.appendChild(svgElement("rect", { class: "lab-axes__frame", x: left, y: top, width: size, height: size }));
  for (const tick of niceTicks(xr[0], xr[1], 4).ticks.filter((v) => v >= xr[0] && v <= xr[1])) {
    axes.appendChild(svgElement("line", { x1: sx(tick), y1: bottom, x2: sx(tick), y2: bottom + 4 }));
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: sx(tick), y: bottom + 15, "text-anchor": "middle" }, formatNumber(tick)));
  }
  for (const tick of niceTicks(yr[0], yr[1], 4).ticks.filter((v) => v >= yr[0] && v <= yr[1])) {
    axes.appendChild(svgElement("line", { x1: left - 4, y1: sy(tick), x2: left, y2: sy(tick) }));
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: left - 6, y: sy(tick) + FONT / 3, "text-anchor": "end" }, formatNumber(tick)));
  }
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: left + size / 2, y: bottom + 32, "text-anchor": "middle" }, labels.xLabel));
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: 10, y: top + size / 2, "text-anchor": "middle", transform: `rotate(-90 10 ${top + size / 2})` }, labels.yLabel));
}

/**
 * Trajectory entries as plot points (losses decoded, "NaN"/"Infinity" included).
 * @param {Array<{step: number, loss: number | string}>} entries
 */
export function toPoints(entries) {
  return entries.map((e) => ({ step: e.step, loss: decodeNumber(e.loss) }));
}
