/**
 * The lab's SVG plots: loss against step (several runs overlaid) and the classifier's points
 * over its decision regions. The scale helpers are pure; the draw functions build SVG with
 * `createElementNS` and `textContent` only.
 * @module lab-plot
 */

import { decodeNumber, formatNumber } from "./format.js";
import { svgElement } from "./svg.js";

const PLOT = { width: 360, height: 200, left: 46, right: 10, top: 18, bottom: 28 };

/**
 * A linear map from [d0, d1] to [r0, r1].
 * @param {number} d0 @param {number} d1 @param {number} r0 @param {number} r1
 * @returns {(x: number) => number}
 */
export function linearScale(d0, d1, r0, r1) {
  const span = d1 - d0 || 1;
  return (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

/**
 * The y range to draw: the finite losses of the runs that did not diverge (so a diverging
 * run flies off the top instead of squashing the others flat), padded by 5%.
 * @param {Array<{points: Array<{loss: number}>, divergedAt: number | null}>} series
 * @returns {[number, number]}
 */
export function lossRange(series) {
  const calm = series.filter((s) => s.divergedAt === null);
  const pool = (calm.length ? calm : series.map((s) => ({ points: s.points.slice(0, 1) })))
    .flatMap((s) => s.points.map((p) => p.loss))
    .filter(Number.isFinite);
  if (!pool.length) return [0, 1];
  let low = Math.min(...pool);
  let high = Math.max(...pool);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const pad = (high - low) * 0.05;
  return [low - pad, high + pad];
}

/**
 * Draw loss-versus-step curves; the last point of each is marked.
 * @param {SVGSVGElement} svg
 * @param {Array<{label: string, points: Array<{step: number, loss: number}>, divergedAt: number | null, index: number}>} series
 * @param {{maxStep?: number}} [options]
 */
export function drawLossPlot(svg, series, options = {}) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${PLOT.width} ${PLOT.height}`);
  const maxStep = Math.max(1, options.maxStep ?? 0, ...series.flatMap((s) => s.points.map((p) => p.step)));
  const [low, high] = lossRange(series);
  const x = linearScale(0, maxStep, PLOT.left, PLOT.width - PLOT.right);
  const y = linearScale(low, high, PLOT.height - PLOT.bottom, PLOT.top);
  const clipId = `lab-clip-${svg.dataset.testid ?? "plot"}`;
  const clip = svg.appendChild(svgElement("clipPath", { id: clipId }));
  clip.appendChild(svgElement("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.width - PLOT.left - PLOT.right, height: PLOT.height - PLOT.top - PLOT.bottom }));
  drawAxes(svg, x, y, maxStep, low, high);
  for (const s of series) {
    const finite = s.points.filter((p) => Number.isFinite(p.loss));
    const d = finite.map((p, i) => `${i ? "L" : "M"}${x(p.step).toFixed(1)},${clampY(y(p.loss)).toFixed(1)}`).join("");
    const group = svg.appendChild(svgElement("g", { class: `lab-series lab-series--${s.index % 5}`, "data-series": s.label }));
    if (d) group.appendChild(svgElement("path", { class: "lab-series__line", d, "clip-path": `url(#${clipId})` }));
    const last = finite[finite.length - 1];
    if (last) {
      const flying = y(last.loss) < PLOT.top;
      const cy = flying ? PLOT.top : clampY(y(last.loss));
      group.appendChild(svgElement("circle", { class: "lab-series__dot", cx: x(last.step), cy, r: 3.5 }));
      if (s.divergedAt !== null) {
        group.appendChild(svgElement("text", { class: "lab-series__note", x: Math.min(x(last.step) + 5, PLOT.width - 90), y: Math.max(cy + 12, PLOT.top + 12) }, `↑ diverged (step ${s.divergedAt})`));
      }
    }
  }
  if (series.length > 1) {
    const legend = svg.appendChild(svgElement("g", { class: "lab-legend" }));
    series.forEach((s, i) => {
      const item = legend.appendChild(svgElement("g", { class: `lab-series lab-series--${s.index % 5}` }));
      const lx = PLOT.width - PLOT.right - 92;
      const ly = PLOT.top + 10 + i * 13;
      item.appendChild(svgElement("line", { class: "lab-series__line", x1: lx, y1: ly - 4, x2: lx + 14, y2: ly - 4 }));
      item.appendChild(svgElement("text", { class: "lab-legend__text", x: lx + 18, y: ly }, s.label));
    });
  }
}

/** Keep a point inside the plot area (off-range points sit on its edge). */
function clampY(value) {
  return Math.max(PLOT.top - 30, Math.min(PLOT.height - PLOT.bottom + 30, value));
}

function drawAxes(svg, x, y, maxStep, low, high) {
  const axes = svg.appendChild(svgElement("g", { class: "lab-axes" }));
  const bottom = PLOT.height - PLOT.bottom;
  axes.appendChild(svgElement("line", { x1: PLOT.left, y1: bottom, x2: PLOT.width - PLOT.right, y2: bottom }));
  axes.appendChild(svgElement("line", { x1: PLOT.left, y1: PLOT.top, x2: PLOT.left, y2: bottom }));
  for (const t of [0, 0.5, 1]) {
    const step = Math.round(t * maxStep);
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: x(step), y: bottom + 14, "text-anchor": "middle" }, String(step)));
    const loss = low + t * (high - low);
    axes.appendChild(svgElement("text", { class: "lab-axes__tick", x: PLOT.left - 4, y: y(loss) + 4, "text-anchor": "end" }, formatNumber(loss)));
  }
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: PLOT.width / 2, y: PLOT.height - 2, "text-anchor": "middle" }, "step"));
  axes.appendChild(svgElement("text", { class: "lab-axes__label", x: PLOT.left + 4, y: 11, "text-anchor": "start" }, "loss"));
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
 * The classifier's decision regions (from the predicted-class grid) under its data points.
 * @param {SVGSVGElement} svg
 * @param {{X: number[][], y: number[]}} points
 * @param {{x: [number, number], y: [number, number], size: number, classes: number[][]} | null} grid
 */
export function drawClassifier(svg, points, grid) {
  const size = 300;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  const xs = points.X.map((p) => p[0]);
  const ys = points.X.map((p) => p[1]);
  const xr = grid ? grid.x : [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  const yr = grid ? grid.y : [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5];
  const sx = linearScale(xr[0], xr[1], 0, size);
  const sy = linearScale(yr[0], yr[1], size, 0);
  if (grid) {
    const regions = svg.appendChild(svgElement("g", { class: "lab-regions", "data-testid": "clf-regions" }));
    const cell = size / grid.size;
    grid.classes.forEach((row, r) => {
      for (const run of rowRuns(row)) {
        regions.appendChild(svgElement("rect", {
          class: `lab-region lab-region--${run.cls}`,
          x: (run.start * cell).toFixed(2), y: (size - (r + 1) * cell).toFixed(2),
          width: (run.length * cell + 0.5).toFixed(2), height: (cell + 0.5).toFixed(2),
        }));
      }
    });
  }
  const dots = svg.appendChild(svgElement("g", { class: "lab-points" }));
  points.X.forEach((p, i) => {
    dots.appendChild(svgElement("circle", { class: `lab-point lab-point--${points.y[i]}`, cx: sx(p[0]).toFixed(1), cy: sy(p[1]).toFixed(1), r: 3 }));
  });
}

/**
 * Trajectory entries as plot points (losses decoded, "NaN"/"Infinity" included).
 * @param {Array<{step: number, loss: number | string}>} entries
 */
export function toPoints(entries) {
  return entries.map((e) => ({ step: e.step, loss: decodeNumber(e.loss) }));
}
