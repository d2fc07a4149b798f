/**
 * Formatting numbers, shapes and tensors for the diagram and the panels. Pure: no DOM.
 * @module format
 */

/** What the API sends for a number that is not finite. */
const NONFINITE_STRINGS = new Map([
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
]);

/**
 * Decode one number of an API response: a JSON number, or "NaN" / "Infinity" / "-Infinity".
 * @param {unknown} raw
 * @returns {number}
 */
export function decodeNumber(raw) {
  if (typeof raw === "number") return raw;
  if (typeof raw === "string" && NONFINITE_STRINGS.has(raw)) return NONFINITE_STRINGS.get(raw);
  return NaN;
}

/**
 * Decode a scalar or a nested list of numbers (a tensor), keeping the nesting.
 * `null` stays `null` (a gradient that does not exist, e.g. of a constant).
 * @param {unknown} raw
 * @returns {number | Array<any> | null}
 */
export function decodeValue(raw) {
  if (raw === null || raw === undefined) return null;
  if (Array.isArray(raw)) return raw.map(decodeValue);
  return decodeNumber(raw);
}

/**
 * A short, readable number, written exactly as the server writes it (backend numformat.py;
 * both are tested against tests/shared/number_format.json): 4 significant digits rounded half
 * away from zero, trailing zeros dropped, numbers from 10^4 to 10^6 written whole, exponent
 * notation below 0.001 and from 10^6 up (-1.2e-4, 1.235e7). ASCII minus, so a test can parse it.
 * @param {number} x
 * @returns {string}
 */
export function formatNumber(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (x === 0) return "0"; // also -0
  const sign = x < 0 ? "-" : "";
  const magnitude = Math.abs(x);
  // toExponential rounds the exact binary value, ties away from zero (the server does the same).
  const [mantissa, exponentText] = magnitude.toExponential(3).split("e");
  const exponent = Number(exponentText);
  if (exponent >= 4 && magnitude < 999999.5) return `${sign}${Math.floor(magnitude + 0.5)}`;
  if (exponent < -3 || exponent >= 4) return `${sign}${trimZeros(mantissa)}e${exponent}`;
  const digits = mantissa.replace(".", "");
  const whole = exponent >= 0 ? digits.slice(0, exponent + 1) : "0";
  const fraction = (exponent >= 0 ? digits.slice(exponent + 1) : "0".repeat(-exponent - 1) + digits).replace(/0+$/, "");
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/**
 * A number to be subtracted, in brackets when it is negative (12 − (−4), never 12 − −4), as
 * the server's step texts write substituted numbers.
 * @param {number} x
 * @returns {string}
 */
export function bracketNegative(x) {
  const text = formatNumber(x);
  return x < 0 ? `(${text})` : text;
}

/**
 * The number in full precision, for tooltips.
 * @param {number} x
 * @returns {string}
 */
export function formatFull(x) {
  if (!Number.isFinite(x)) return formatNumber(x);
  return String(x);
}

/**
 * A shape as the page shows it: `[]` is a scalar, `[2, 3]` reads "2×3".
 * @param {number[]} shape
 * @returns {string}
 */
export function formatShape(shape) {
  if (!shape || shape.length === 0) return "scalar";
  return shape.join("×");
}

/**
 * The text a wire shows for a value or a gradient: the number for a scalar, the shape in
 * brackets for a tensor (hovering shows the array), empty when there is none.
 * @param {number | Array<any> | null} value
 * @param {number[]} shape
 * @returns {string}
 */
export function formatWireValue(value, shape) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `[${formatShape(shape && shape.length ? shape : shapeOf(value))}]`;
  return formatNumber(value);
}

/**
 * The shape of a nested list.
 * @param {number | Array<any>} value
 * @returns {number[]}
 */
export function shapeOf(value) {
  const shape = [];
  let cursor = value;
  while (Array.isArray(cursor)) {
    shape.push(cursor.length);
    cursor = cursor[0];
  }
  return shape;
}

/**
 * Whether any entry of a scalar or tensor is not finite.
 * @param {number | Array<any> | null} value
 * @returns {boolean}
 */
export function hasNonFinite(value) {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(hasNonFinite);
  return !Number.isFinite(value);
}

/**
 * A tensor as rows of formatted cells for a small table: a vector is one row, a matrix its rows;
 * at most `maxRows` × `maxCols` cells, with "…" marking what was cut.
 * @param {number | Array<any>} value
 * @param {number} [maxRows]
 * @param {number} [maxCols]
 * @returns {string[][]}
 */
export function tensorRows(value, maxRows = 8, maxCols = 8) {
  if (!Array.isArray(value)) return [[formatNumber(value)]];
  const rows = Array.isArray(value[0]) ? value : [value];
  const cut = (row) => {
    const cells = row.slice(0, maxCols).map((cell) => (Array.isArray(cell) ? `[${formatShape(shapeOf(cell))}]` : formatNumber(cell)));
    if (row.length > maxCols) cells.push("…");
    return cells;
  };
  const out = rows.slice(0, maxRows).map(cut);
  if (rows.length > maxRows) out.push(["…"]);
  return out;
}

function trimZeros(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
