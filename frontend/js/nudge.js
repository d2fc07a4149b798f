/**
 * The nudge readout, the pure part: the notes' two ways to a gradient side by side. Nudge an
 * input x by h, evaluate the circuit again, and (f(x + h) − f(x)) / h is the numerical
 * gradient (数值梯度); backprop's ∂f/∂x is the analytic gradient (分析梯度). No DOM.
 * @module nudge
 */

import { record } from "./state.js";

/**
 * The scalar inputs of a result that a nudge can move (not class labels, not tensors).
 * @param {{nodes: Array<{op: string, name: string | null, label: string, value: any}>, gradients: Record<string, any>} | null} result
 * @returns {string[]}
 */
export function scalarInputs(result) {
  if (!result) return [];
  return result.nodes
    .filter((node) => node.op === "input" && typeof node.value === "number")
    .map((node) => node.name ?? node.label)
    .filter((name) => Object.hasOwn(result.gradients, name) && typeof result.gradients[name] === "number");
}

/**
 * The values a result was computed at, by input name (read from its input nodes, so they
 * match its value and gradients even while the fields have moved on).
 * @param {{nodes: Array<{op: string, name: string | null, label: string, value: any}>}} result
 * @returns {Record<string, any>}
 */
export function resultValues(result) {
  return record(Object.fromEntries(result.nodes.filter((node) => node.op === "input").map((node) => [node.name ?? node.label, node.value])));
}

/**
 * What the second evaluation is for: the same expression at the same point, one input moved
 * by h. Two readouts with the same key share their numbers.
 * @param {{expression: string, expand: boolean, values: Record<string, any>, input: string, h: number}} at
 * @returns {string}
 */
export function nudgeKey({ expression, expand, values, input, h }) {
  return JSON.stringify([expression, expand, Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), input, h]);
}

/**
 * The values of the second evaluation: `input` moved by h.
 * @param {Record<string, any>} values
 * @param {string} input
 * @param {number} h
 * @returns {Record<string, any>}
 */
export function nudgedValues(values, input, h) {
  return record({ ...values, [input]: values[input] + h });
}

/**
 * The readout's numbers: f's change, the numerical gradient, and its difference from the
 * analytic one. The change is divided by the step actually taken, (x + h) − x, which in
 * floating point may differ from h in its last bits (as the gradient check does).
 * @param {{x: number, h: number, fx: number, fxh: number, analytic: number}} parts
 * @returns {{change: number, step: number, numerical: number, difference: number}}
 */
export function nudgeReadout({ x, h, fx, fxh, analytic }) {
  const step = x + h - x;
  const change = fxh - fx;
  const numerical = change / step;
  return { change, step, numerical, difference: numerical - analytic };
}
