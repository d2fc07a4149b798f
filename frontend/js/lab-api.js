/**
 * Talking to the lab's endpoints: POST /api/gradcheck, /api/optimize, /api/classifier.
 * @module lab-api
 */

import { ApiError, normalizeError, postJson } from "./api.js";
import { getLang } from "./i18n.js";

/**
 * POST a JSON body and return the decoded JSON answer, or throw an ApiError.
 * @param {string} path
 * @param {object} body
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>}
 */
async function post(path, body, signal) {
  // Error messages come back in the page's language.
  const { response, payload } = await postJson(path, { ...body, lang: getLang() }, signal);
  if (!response.ok) throw new ApiError(normalizeError(response.status, payload), response.status);
  return payload;
}

/**
 * Numerical against analytic gradients.
 * @param {{expression: string, values: object, h?: number, wires?: boolean, expand?: boolean}} body
 * @param {AbortSignal} [signal]
 */
export const fetchGradcheck = (body, signal) => post("/api/gradcheck", body, signal);

/**
 * A trajectory of one search method or gradient descent.
 * @param {{expression: string, values: object, method: string, learning_rate: number, steps: number, step_size?: number, seed?: number}} body
 * @param {AbortSignal} [signal]
 */
export const fetchOptimize = (body, signal) => post("/api/optimize", body, signal);

/**
 * A chunk of mini-batch SGD for the linear classifier.
 * @param {object} body
 * @param {AbortSignal} [signal]
 */
export const fetchClassifier = (body, signal) => post("/api/classifier", body, signal);
