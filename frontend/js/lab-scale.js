/**
 * The lab plots' arithmetic, DOM-free: rounded ("nice") ticks, linear and logarithmic axes
 * (symmetric-log where losses cross zero), when a log axis reads better, where a label fits
 * inside the plot, and the borders between a decision grid's classes.
 * @module lab-scale
 */

/** A log axis is chosen by itself when the losses' sizes span this factor (two decades). */
export const LOG_SPAN = 100;

/**
 * The round step (1, 2 or 5 × 10^k) that cuts `span` into about `count` pieces.
 * @param {number} span
 * @param {number} count
 * @returns {number}
 */
export function niceStep(span, count) {
  const raw = Math.abs(span) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Ticks at round numbers covering [low, high]; the domain grows to the outer ticks.
 * @param {number} low
 * @param {number} high
 * @param {number} [count]  about how many intervals
 * @param {{integer?: boolean}} [options]  integer: steps of at least 1 (an axis of steps)
 * @returns {{low: number, high: number, ticks: number[]}}
 */
export function niceTicks(low, high, count = 5, options = {}) {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { low: 0, high: 1, ticks: [0, 1] };
  if (low > high) [low, high] = [high, low];
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  let step = niceStep(high - low, count);
  if (options.integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const ticks = [];
  // Multiplying integers by the step (not adding steps) keeps 0.3 from reading 0.30000000000000004.
  for (let i = first; i <= last; i += 1) ticks.push(Number((i * step).toPrecision(12)));
  return { low: ticks[0], high: ticks[ticks.length - 1], ticks };
}

/**
 * Whether a log axis shows these losses better: their sizes span two decades or more
 * (measured from the 10th percentile, so one loss that passes through 0 does not count).
 * @param {number[]} values
 * @returns {boolean}
 */
export function prefersLog(values) {
  const sizes = positiveSizes(values);
  if (sizes.length < 2) return false;
  return sizes[sizes.length - 1] >= LOG_SPAN * sizes[Math.floor(0.1 * (sizes.length - 1))];
}

/** The nonzero finite |values|, sorted. */
function positiveSizes(values) {
  return values
    .filter(Number.isFinite)
    .map(Math.abs)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
}

/**
 * @typedef {{kind: "linear" | "log", low: number, high: number, ticks: number[],
 *   map: (v: number) => number}} Scale
 */

/**
 * An axis for `values` drawn from pixel r0 (low) to r1 (high). "log" is log10 where every
 * value is positive, else symmetric-log: sign(v)·log10(1 + |v|/c), linear near zero, with c
 * a power of ten near the smaller sizes.
 * @param {"linear" | "log"} kind
 * @param {number[]} values
 * @param {number} r0
 * @param {number} r1
 * @param {number} [count]
 * @returns {Scale}
 */
export function makeScale(kind, values, r0, r1, count = 5) {
  const finite = values.filter(Number.isFinite);
  let low = finite.length ? Math.min(...finite) : 0;
  let high = finite.length ? Math.max(...finite) : 1;
  if (kind === "linear" || !positiveSizes(finite).length) {
    const nice = niceTicks(low, high, count);
    const map = linear(nice.low, nice.high, r0, r1);
    return { kind: "linear", low: nice.low, high: nice.high, ticks: nice.ticks, map };
  }
  const sizes = positiveSizes(finite);
  const small = sizes[Math.floor(0.1 * (sizes.length - 1))];
  const c = low > 0 ? 0 : 10 ** Math.floor(Math.log10(Math.max(small, sizes[sizes.length - 1] * 1e-6)));
  const forward = c === 0 ? Math.log10 : (v) => Math.sign(v) * Math.log10(1 + Math.abs(v) / c);
  if (low === high) {
    low = c === 0 ? low / 2 : low - 1;
    high = c === 0 ? high * 2 : high + 1;
  }
  const [t0, t1] = [forward(low), forward(high)];
  const pad = (t1 - t0) * 0.04;
  const place = linear(t0 - pad, t1 + pad, r0, r1);
  const ticks = c === 0 ? logTicks(low, high) : symlogTicks(low, high, c);
  return { kind: "log", low, high, ticks, map: (v) => place(forward(v)) };
}

function linear(d0, d1, r0, r1) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Powers of ten within [low, high] (low > 0), every few decades when they are many; with
 * 2 and 5 between them when the range spans less than two decades. */
export function logTicks(low, high) {
  const first = Math.ceil(Math.log10(low) - 1e-9);
  const last = Math.floor(Math.log10(high) + 1e-9);
  const every = Math.max(1, Math.ceil((last - first + 1) / 6));
  const ticks = [];
  for (let k = first; k <= last; k += every) ticks.push(Number((10 ** k).toPrecision(12)));
  if (last - first < 2) {
    for (let k = first - 1; k <= last; k += 1) {
      for (const m of [2, 5]) {
        const v = Number((m * 10 ** k).toPrecision(12));
        if (v >= low && v <= high) ticks.push(v);
      }
    }
    ticks.sort((a, b) => a - b);
  }
  return ticks;
}

/** 0 and ±c·10^k within [low, high], every few decades when they are many. */
export function symlogTicks(low, high, c) {
  const top = Math.max(Math.abs(low), Math.abs(high));
  const decades = Math.max(0, Math.floor(Math.log10(top / c) + 1e-9));
  const every = Math.max(1, Math.ceil((decades + 1) / 4));
  const ticks = low <= 0 && high >= 0 ? [0] : [];
  for (let k = 0; k <= decades; k += every) {
    const v = Number((c * 10 ** k).toPrecision(12));
    if (v <= high) ticks.push(v);
    if (-v >= low) ticks.push(-v);
  }
  return ticks.sort((a, b) => a - b);
}

/**
 * Where a label of about `width`×`height` pixels next to the point (x, y) stays inside the
 * box: to the right and above the point, or flipped to its left / below it at an edge.
 * @param {number} x
 * @param {number} y
 * @param {number} width
 * @param {number} height
 * @param {{left: number, right: number, top: number, bottom: number}} box
 * @returns {{x: number, y: number, anchor: "start" | "end"}}
 */
export function placeLabel(x, y, width, height, box) {
  const gap = 6;
  const right = x + gap + width <= box.right;
  const lx = right ? x + gap : Math.max(box.left + width, x - gap);
  let ly = y - gap; // baseline above the point
  if (ly - height < box.top) ly = Math.min(box.bottom - 2, y + gap + height);
  return { x: lx, y: ly, anchor: right ? "start" : "end" };
}

/**
 * The borders between classes on a decision grid, as segments in cell units: (x, y) is
 * from the grid's bottom-left corner, row r of `classes` covering y from r to r + 1.
 * @param {number[][]} classes
 * @returns {Array<[number, number, number, number]>}  [x1, y1, x2, y2]
 */
export function gridBorders(classes) {
  const segments = [];
  for (let r = 0; r < classes.length; r += 1) {
    const row = classes[r];
    for (let c = 0; c < row.length; c += 1) {
      if (c + 1 < row.length && row[c + 1] !== row[c]) segments.push([c + 1, r, c + 1, r + 1]);
      if (r + 1 < classes.length && classes[r + 1][c] !== row[c]) segments.push([c, r + 1, c + 1, r + 1]);
    }
  }
  return segments;
}

/**
 * How many steps to ask for next so a request takes about `targetMs`: scaled by the last
 * request's pace, within [min, max].
 * @param {number} lastSteps
 * @param {number} elapsedMs
 * @param {{targetMs?: number, min?: number, max?: number}} [options]
 * @returns {number}
 */
export function nextChunk(lastSteps, elapsedMs, options = {}) {
  const { targetMs = 400, min = 25, max = 2000 } = options;
  if (!(elapsedMs > 0) || !(lastSteps > 0)) return min;
  const steps = Math.round((lastSteps * targetMs) / elapsedMs);
  // Grow at most 4× at a time: one fast chunk (a warm cache) should not promise too much.
  return Math.max(min, Math.min(max, lastSteps * 4, steps));
}
