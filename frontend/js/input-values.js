/**
 * The learner's input values as data: reading a field's text, the shapes the page sends to
 * POST /api/inputs, choosing each input's value from its answer, the words of a shape hint,
 * and growing or shrinking a tensor by a row or a column. Pure: no DOM, unit-tested.
 * @module input-values
 */

/**
 * @typedef {{name: string, shape: Array<number | null> | null, labels: boolean,
 *   default: number | Array<any>, fits: boolean | null,
 *   hint: {code: string, input: string, suggestion: string, parts: string[], message: string} | null}} InputSpec
 * @typedef {{ok: true, value: number | Array<any>} | {ok: false, code: string, params?: Record<string, string>}} ReadValue
 */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FRACTION = /^[+-]?\d+\s*\/\s*\d+$/;

/**
 * A field's text as a value, or why it is none (an `inputs.*` message key and its params).
 * Accepts what a learner types: `-2`, `−2` (the minus sign), `2.5`, `1e-3`, a list
 * `[[1, 2], [3, 4]]`. Refuses `abc`, `1/3`, `NaN`, and numbers too large for a float64.
 * @param {string} text
 * @returns {ReadValue}
 */
export function readValue(text) {
  const trimmed = text.trim().replace(/[\u2212\u2013]/g, "-");
  if (trimmed === "") return { ok: false, code: "inputs.error_missing" };
  if (trimmed.startsWith("[")) {
    let parsed;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { ok: false, code: "inputs.error_list" };
    }
    return readTree(parsed);
  }
  if (/^[+-]?(nan|inf(inity)?)$/i.test(trimmed)) return { ok: false, code: "inputs.error_not_finite", params: { text: trimmed } };
  if (FRACTION.test(trimmed)) return { ok: false, code: "inputs.error_fraction", params: { text: trimmed, decimal: decimalOf(trimmed) } };
  if (!NUMBER.test(trimmed)) return { ok: false, code: "inputs.error_not_number", params: { text: trimmed } };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, code: "inputs.error_too_large", params: { text: trimmed } };
  return { ok: true, value };
}

/** @returns {ReadValue} */
function readTree(parsed) {
  if (!Array.isArray(parsed)) return { ok: false, code: "inputs.error_list" };
  const shape = shapeOf(parsed);
  let ragged = false;
  let bad = false;
  const visit = (value, depth) => {
    if (depth === shape.length) {
      if (typeof value !== "number" || !Number.isFinite(value)) bad = true;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      ragged = true;
      return;
    }
    for (const item of value) visit(item, depth + 1);
  };
  visit(parsed, 0);
  if (shape.includes(0)) return { ok: false, code: "inputs.error_empty" };
  if (ragged) return { ok: false, code: "inputs.error_ragged" };
  if (bad) return { ok: false, code: "inputs.error_list_numbers" };
  return { ok: true, value: parsed };
}

function decimalOf(fraction) {
  const [top, bottom] = fraction.split("/").map((part) => Number(part.trim()));
  const value = top / bottom;
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : "";
}

/**
 * The shape of a value: `[]` for a number, `[2, 3]` for a 2×3 nested list (read along the
 * first element of each level).
 * @param {unknown} value
 * @returns {number[]}
 */
export function shapeOf(value) {
  const shape = [];
  let level = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/**
 * The shapes of the values the learner has, for POST /api/inputs.
 * @param {string[]} names  the names to report (the others are left out)
 * @param {Record<string, any>} values
 * @returns {Record<string, number[]>}
 */
export function shapesOf(names, values) {
  const shapes = Object.create(null);
  for (const name of names) {
    if (Object.hasOwn(values, name) && values[name] !== undefined) shapes[name] = shapeOf(values[name]);
  }
  return shapes;
}

/**
 * Each input's value from the server's answer: the learner's where it still fits, else the
 * default (which fits with all the kept ones), keeping the learner's numbers in the cells the
 * two shapes share (a vector that must grow keeps its first elements). Labels must be whole
 * numbers, and a misfit's labels are the default's (the class count may have changed).
 * @param {InputSpec[]} inputs
 * @param {Record<string, any>} values
 * @returns {Record<string, any>}
 */
export function chooseValues(inputs, values) {
  const chosen = Object.create(null);
  for (const input of inputs) {
    const mine = Object.hasOwn(values, input.name) ? values[input.name] : undefined;
    if (mine === undefined || (input.labels && !wholeNumbers(mine))) chosen[input.name] = input.default;
    else if (input.fits !== false) chosen[input.name] = mine;
    else chosen[input.name] = input.labels ? input.default : overlay(mine, input.default);
  }
  return chosen;
}

/** `fresh` with `old`'s numbers wherever both have that cell (same rank only). */
export function overlay(old, fresh) {
  if (shapeOf(old).length !== shapeOf(fresh).length) return fresh;
  if (!Array.isArray(fresh)) return old;
  return fresh.map((item, i) => (i < old.length ? overlay(old[i], item) : item));
}

function wholeNumbers(value) {
  return Array.isArray(value) ? value.every(wholeNumbers) : Number.isInteger(value);
}

/**
 * Whether a shape meets a requirement (`null` sizes are free; a `null` requirement is any
 * shape).
 * @param {number[]} shape
 * @param {Array<number | null> | null} required
 */
export function meets(shape, required) {
  if (!required) return true;
  return shape.length === required.length && required.every((size, i) => size === null || size === shape[i]);
}

/**
 * A shape as the wires write it: `[2×3]`, a free size as `?`: `[?×3]`; a scalar is `[]`.
 * @param {Array<number | null>} shape
 */
export function shapeText(shape) {
  return `[${shape.map((size) => (size === null ? "?" : String(size))).join("×")}]`;
}

/**
 * What the hint beside an input says: what the circuit requires of it where it fixes a size
 * (`[?×3]`: three columns, any number of rows), else the value's own shape; the requirement
 * as "needs …" when the value does not meet it. `null` when there is nothing worth saying
 * (a number where any shape would do, or a number is needed).
 * @param {InputSpec | undefined} spec
 * @param {any} value
 * @returns {{key: string, params: Record<string, string>, fits: boolean} | null}
 */
export function shapeHint(spec, value) {
  const shape = shapeOf(value);
  const required = spec?.shape ?? null;
  const fits = meets(shape, required);
  if (fits) {
    const fixes = required !== null && required.some((size) => size !== null);
    if (fixes) return { key: "inputs.shape", params: { shape: shapeText(required) }, fits: true };
    if (shape.length === 0) return null;
    return { key: "inputs.shape", params: { shape: shapeText(shape) }, fits: true };
  }
  if (required === null) return { key: "inputs.needs_other_shape", params: {}, fits: false };
  if (required.length === 0) return { key: "inputs.needs_scalar", params: {}, fits: false };
  return { key: "inputs.needs_shape", params: { shape: shapeText(required) }, fits: false };
}

/**
 * A tensor grown or shrunk by a row or a column (a vector: by an element). New cells copy
 * their neighbour, so a new row of labels is still labels. Returns null when the edit would
 * leave nothing, or the value is not a vector or matrix.
 * @param {Array<any>} value
 * @param {"add-row" | "remove-row" | "add-column" | "remove-column"} edit
 * @returns {Array<any> | null}
 */
export function resize(value, edit) {
  const shape = shapeOf(value);
  if (shape.length === 1) {
    if (edit === "add-column" || edit === "add-row") return [...value, value[value.length - 1]];
    return value.length > 1 ? value.slice(0, -1) : null;
  }
  if (shape.length !== 2) return null;
  switch (edit) {
    case "add-row":
      return [...value.map((row) => [...row]), [...value[value.length - 1]]];
    case "remove-row":
      return value.length > 1 ? value.slice(0, -1).map((row) => [...row]) : null;
    case "add-column":
      return value.map((row) => [...row, row[row.length - 1]]);
    case "remove-column":
      return shape[1] > 1 ? value.map((row) => row.slice(0, -1)) : null;
    default:
      return null;
  }
}

/**
 * A copy of a tensor with one cell changed (`key` "r,c" or "i").
 * @param {Array<any>} value
 * @param {string} key
 * @param {number} number
 */
export function withCell(value, key, number) {
  const copy = JSON.parse(JSON.stringify(value));
  const [a, b] = key.split(",").map(Number);
  if (b === undefined) copy[a] = number;
  else copy[a][b] = number;
  return copy;
}

/**
 * One cell of a tensor (`key` "r,c" or "i").
 * @param {any} value
 * @param {string} key
 */
export function cellOf(value, key) {
  const [a, b] = key.split(",").map(Number);
  return b === undefined ? value?.[a] : value?.[a]?.[b];
}
