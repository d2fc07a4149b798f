/**
 * Talking to the circuitgrad API: requests, decoding responses, normalising errors.
 * `decodeGraph` and `normalizeError` are pure and unit-tested.
 * @module api
 */

import { decodeValue } from "./format.js";
import { getLang } from "./i18n.js";

/**
 * A JSON request's headers. Accept-Language words the refusals the server makes before it
 * reads the body's own `lang` (busy, too large, too slow) in the page's language.
 * @returns {Record<string, string>}
 */
function jsonHeaders() {
  return { "Content-Type": "application/json", "Accept-Language": getLang() };
}

/**
 * POST `body` as JSON to `path`; the response and its JSON body (null when it has none).
 * @param {string} path
 * @param {object} body
 * @param {AbortSignal} [signal]
 * @returns {Promise<{response: Response, payload: any}>}
 */
export async function postJson(path, body, signal) {
  const response = await fetch(path, { method: "POST", headers: jsonHeaders(), body: JSON.stringify(body), signal });
  return { response, payload: await readJson(response) };
}

/**
 * @typedef {{type: string, message: string, position: number | null, line: number | null, column: number | null,
 *   code?: string, params?: Record<string, any>, input?: string | null}} PageError
 * @typedef {{expression: string, values: Record<string, any>, expand?: boolean}} GraphRequest
 */

/** Thrown by the request helpers; carries the normalised error. */
export class ApiError extends Error {
  /**
   * @param {PageError} detail
   * @param {number} status
   */
  constructor(detail, status) {
    super(detail.message);
    this.detail = detail;
    this.status = status;
  }
}

/**
 * POST /api/graph: build the circuit, run forward and backward.
 * @param {GraphRequest} body
 * @param {AbortSignal} [signal]
 * @returns {Promise<ReturnType<typeof decodeGraph>>}
 */
export async function fetchGraph(body, signal) {
  const { response, payload } = await postJson("/api/graph", body, signal);
  if (!response.ok) throw new ApiError(normalizeError(response.status, payload), response.status);
  return decodeGraph(payload);
}

/**
 * POST /api/inputs: the inputs an expression needs (in order), the shape the circuit needs of
 * each, whether it holds labels, a default value, and whether the given shapes still fit.
 * @param {{expression: string, shapes?: Record<string, number[]>, lang?: string}} body
 * @param {AbortSignal} [signal]
 * @returns {Promise<{inputs: Array<import("./input-values.js").InputSpec>}>}
 */
export async function fetchInputs(body, signal) {
  const { response, payload } = await postJson("/api/inputs", body, signal);
  // (A body cut short, say by an abort while it was read, is no answer: never "no inputs".)
  signal?.throwIfAborted();
  if (!response.ok || !Array.isArray(payload?.inputs)) {
    throw new ApiError(normalizeError(response.status, payload), response.status);
  }
  return { inputs: payload.inputs };
}

/**
 * GET /api/examples, with titles and lessons in `lang`.
 * @param {string} [lang]
 * @returns {Promise<Array<{id: string, title: string, lesson: string, expression: string, values: Record<string, any>, expand: boolean}>>}
 */
export async function fetchExamples(lang = "en") {
  const response = await fetch(`/api/examples?lang=${encodeURIComponent(lang)}`);
  const payload = await readJson(response);
  if (!response.ok) throw new ApiError(normalizeError(response.status, payload), response.status);
  return Array.isArray(payload) ? payload : [];
}

/**
 * GET /api/meta: the lists the page shares with the server (function names, optimizer
 * methods, verdicts, limits, languages), so that it keeps no copies of its own.
 * @returns {Promise<{functions: string[], constants: string[], optimizer_methods: string[], verdicts: string[], datasets: string[], losses: string[], languages: string[], limits: Record<string, number>}>}
 */
export async function fetchMeta() {
  const response = await fetch("/api/meta");
  const payload = await readJson(response);
  if (!response.ok || !payload || typeof payload !== "object") {
    throw new ApiError(normalizeError(response.status, payload), response.status);
  }
  return payload;
}

/**
 * POST /api/export?format=…: the diagram as a file.
 * @param {"svg" | "png" | "dot"} format
 * @param {GraphRequest} body
 * @returns {Promise<Blob>}
 */
export async function fetchExport(format, body) {
  const response = await fetch(`/api/export?format=${encodeURIComponent(format)}`, {
    method: "POST",
    headers: jsonHeaders(),
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const payload = await readJson(response);
    throw new ApiError(normalizeError(response.status, payload), response.status);
  }
  return response.blob();
}

/**
 * Turn any error body into one shape: our `{detail: {type, message, position, …}}`,
 * FastAPI's validation list `{detail: [{loc, msg, type}]}`, a bare string, or nothing.
 * @param {number} status
 * @param {unknown} payload
 * @returns {PageError}
 */
export function normalizeError(status, payload) {
  const blank = { type: "Error", message: `The server answered ${status}.`, position: null, line: null, column: null };
  if (!payload || typeof payload !== "object") return blank;
  const detail = /** @type {any} */ (payload).detail;
  if (typeof detail === "string") return { ...blank, message: detail };
  if (Array.isArray(detail)) {
    const messages = detail.map((item) => {
      const where = Array.isArray(item?.loc) ? item.loc.filter((part) => part !== "body").join(".") : "";
      return where ? `${where}: ${item?.msg ?? "invalid"}` : String(item?.msg ?? "invalid");
    });
    return { ...blank, type: "ValidationError", message: messages.join("; ") || blank.message };
  }
  if (detail && typeof detail === "object") {
    return {
      type: typeof detail.type === "string" ? detail.type : "Error",
      message: typeof detail.message === "string" ? detail.message : blank.message,
      position: Number.isInteger(detail.position) ? detail.position : null,
      line: Number.isInteger(detail.line) ? detail.line : null,
      column: Number.isInteger(detail.column) ? detail.column : null,
      code: typeof detail.code === "string" ? detail.code : undefined,
      params: detail.params && typeof detail.params === "object" ? detail.params : undefined,
      input: typeof detail.input === "string" ? detail.input : null,
    };
  }
  return blank;
}

/**
 * Decode a /api/graph response: non-finite strings become numbers, and lookups by id are added.
 * @param {any} payload
 */
export function decodeGraph(payload) {
  const nodes = (payload.nodes ?? []).map((node) => ({
    ...node,
    value: decodeValue(node.value),
    grad: decodeValue(node.grad),
    shape: node.shape ?? [],
    symbol: node.symbol ?? node.label ?? node.op,
    name: node.name ?? null,
    nonfinite: Boolean(node.nonfinite),
  }));
  const edges = (payload.edges ?? []).map((edge, index) => ({
    ...edge,
    id: edge.id ?? `e${index}`,
    value: decodeValue(edge.value),
    grad: decodeValue(edge.grad),
    port: edge.port ?? 0,
  }));
  return {
    value: decodeValue(payload.value),
    gradients: Object.fromEntries(
      Object.entries(payload.gradients ?? {}).map(([name, grad]) => [name, decodeValue(grad)]),
    ),
    output: payload.output,
    // What the steps and the diagram call the output: its own name, else f (or, when an input
    // is already called f, a name nothing uses), as the server chose it.
    outputName: typeof payload.output_name === "string" ? payload.output_name : "f",
    nodes,
    edges,
    nodeById: new Map(nodes.map((node) => [node.id, node])),
    edgeById: new Map(edges.map((edge) => [edge.id, edge])),
    steps: payload.steps ?? [],
    dot: payload.dot ?? "",
    latex: typeof payload.latex === "string" ? payload.latex : "",
    warnings: payload.warnings ?? [],
    hints: Array.isArray(payload.hints) ? payload.hints : [],
    code: Array.isArray(payload.code) ? payload.code : undefined,
    nonfiniteNodes: new Set(payload.nonfinite_nodes ?? nodes.filter((n) => n.nonfinite).map((n) => n.id)),
  };
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
