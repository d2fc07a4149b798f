/**
 * Live inputs, the pure part: the range a slider spans for a value, the steps of the arrow
 * keys and of a drag, and a coalescer that keeps at most one evaluation in flight while an
 * input moves (the latest value wins). No DOM: unit-tested.
 * @module scrub
 */

/** A slider spans at least −10…10, the CS231n neuron's scale. */
const LEAST_SPAN = 10;
/** Arrow keys move a hundredth of the span (Shift: a tenth); a drag, a thousandth per pixel. */
const KEY_STEPS = 100;
const FINE_STEPS = 1000;
/** Shift multiplies a step by this. */
export const SHIFT_FACTOR = 10;

/**
 * @typedef {{min: number, max: number, key: number, fine: number}} Range
 */

/**
 * The range of a slider for `value`: symmetric around 0, at least ±10, else the next 1, 2 or
 * 5 × 10ⁿ past twice the value (so the value is never at the end); the arrow keys' step and
 * the fine step of a drag (the slider's own step) go with it.
 * @param {number} value
 * @returns {Range}
 */
export function sliderRange(value) {
  const wanted = Number.isFinite(value) ? 2 * Math.abs(value) : 0;
  const span = wanted <= LEAST_SPAN ? LEAST_SPAN : niceAbove(wanted);
  return { min: -span, max: span, key: span / KEY_STEPS, fine: span / FINE_STEPS };
}

/**
 * The smallest 1, 2 or 5 × 10ⁿ at or above `x` (> 0).
 * @param {number} x
 * @returns {number}
 */
export function niceAbove(x) {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * power >= x * (1 - 1e-12)) return roundTo(factor * power, power);
  }
  return 10 * power;
}

/**
 * `value` rounded to a multiple of `step`, without binary noise (0.1 + 0.2 is 0.3).
 * @param {number} value
 * @param {number} step
 * @returns {number}
 */
export function roundTo(value, step) {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step) + 1e-9)));
  return Number((Math.round(value / step) * step).toFixed(decimals)) + 0; // + 0: never -0
}

/**
 * The value after an arrow key: up or right adds a step, down or left takes one (Shift: ×10),
 * landing on the grid of single steps (2.04 goes up to 2.1, 2.3 down ten steps to 1.3).
 * @param {number} value
 * @param {"ArrowUp" | "ArrowRight" | "ArrowDown" | "ArrowLeft" | string} key
 * @param {boolean} shift
 * @param {Range} [range]  the slider's range (kept while the value moves)
 * @returns {number | null}  null for any other key
 */
export function keyValue(value, key, shift, range = sliderRange(value)) {
  const direction = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1 }[key];
  if (!direction) return null;
  const step = range.key * (shift ? SHIFT_FACTOR : 1);
  return roundTo(value + direction * step, range.key);
}

/**
 * The value after dragging `dx` pixels from `start` (right: more; Shift: ×10).
 * @param {number} start
 * @param {number} dx
 * @param {boolean} shift
 * @param {Range} [range]
 * @returns {number}
 */
export function dragValue(start, dx, shift, range = sliderRange(start)) {
  const step = range.fine * (shift ? SHIFT_FACTOR : 1);
  return roundTo(start + dx * step, range.fine);
}

/**
 * Run `task` for the latest request only, one run at a time: a request while a run is in
 * flight marks one more run, however many requests come meanwhile (each run reads the latest
 * state when it starts).
 * @param {() => Promise<unknown>} task
 * @returns {{request: () => Promise<void>, busy: () => boolean, idle: () => Promise<void>}}
 *   `request` and `idle` resolve when no run is left (`idle` asks for none)
 */
export function createCoalescer(task) {
  /** @type {Promise<void> | null} */
  let running = null;
  let again = false;
  const loop = async () => {
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      running = null;
    }
  };
  return {
    request() {
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    busy: () => running !== null,
    idle: () => (running ? running.catch(() => {}) : Promise.resolve()),
  };
}
