/**
 * Tensors on wires: a matrix up to 8×8 (a vector: one row) is a heatmap, each grid on its own
 * diverging scale; a bigger tensor is summarized by its shape, min, max and mean. The same
 * rules and colours as the server's layout and export (backend/circuitgrad/layout, export.py),
 * which reserved the room. Pure: no DOM; unit-tested.
 * @module heatmap
 */

/** The largest side a heatmap is drawn for, and its cells' size in layout units. */
export const GRID_MAX = 8;
export const CELL = 8;
/** Between a heatmap and its wire. */
export const GRID_PAD = 5;

const NEGATIVE = [94, 60, 153];
const ZERO = [247, 247, 247];
const POSITIVE = [230, 97, 1];
const NONFINITE = "#24292f";

/**
 * A matrix to draw as a heatmap, or null when the value is a number or too big a tensor.
 * @param {any} value  a number or nested arrays
 * @returns {number[][] | null}
 */
export function heatmapRows(value) {
  if (!Array.isArray(value) || value.length === 0) return null;
  if (!Array.isArray(value[0])) return value.length <= GRID_MAX && value.every(isNumber) ? [value.map(Number)] : null;
  if (value.length > GRID_MAX) return null;
  const width = value[0].length;
  if (width === 0 || width > GRID_MAX) return null;
  const ok = value.every((row) => Array.isArray(row) && row.length === width && row.every(isNumber));
  return ok ? value.map((row) => row.map(Number)) : null;
}

/**
 * A cell's colour on the diverging scale reaching its ends at ±largest; inf and NaN dark.
 * @param {number} value
 * @param {number} largest
 * @returns {string}
 */
export function cellColor(value, largest) {
  if (!Number.isFinite(value)) return NONFINITE;
  const share = largest === 0 ? 0 : Math.max(-1, Math.min(1, value / largest));
  const end = share > 0 ? POSITIVE : NEGATIVE;
  const mixed = ZERO.map((z, i) => Math.round(z + (end[i] - z) * Math.abs(share)));
  return `#${mixed.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * The largest |finite number| of a matrix (its scale).
 * @param {number[][]} rows
 * @returns {number}
 */
export function largestMagnitude(rows) {
  let largest = 0;
  for (const row of rows) for (const v of row) if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
  return largest;
}

/**
 * A tensor's min, max and mean (over its finite and non-finite numbers alike, as numpy).
 * @param {any} value  nested arrays of numbers (non-finite ones may be strings: "NaN", "Infinity")
 * @returns {{count: number, min: number, max: number, mean: number}}
 */
export function summary(value) {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const visit = (item) => {
    if (Array.isArray(item)) {
      for (const inner of item) visit(inner);
      return;
    }
    const v = Number(item);
    count += 1;
    sum += v;
    if (v < min || Number.isNaN(v)) min = v;
    if (v > max || Number.isNaN(v)) max = v;
  };
  visit(value);
  return { count, min, max, mean: count ? sum / count : Number.NaN };
}

function isNumber(v) {
  return typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity";
}
