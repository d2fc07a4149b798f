/**
 * What a step shows of the chain rule, worked out from its parts (the API's `upstream`,
 * `locals`, `operands`): which label holds the upstream gradient, the local gradient of each
 * input wire, where the products land; and the tensors a step involves. Pure: no DOM.
 * @module chain-parts
 */

import { decodeNumber, decodeValue, formatNumber, formatWireValue, shapeOf } from "./format.js";

/**
 * @typedef {{wire: string, local: string | null, product: string}} LocalPart
 * @typedef {{
 *   phase: "forward",
 *   node: string,
 *   operands: string[],
 *   results: string[],
 *   output: boolean,
 * } | {
 *   phase: "backward",
 *   node: string,
 *   upstream: {text: string, at: "output" | "sum" | "wire" | "none", wire: string | null} | null,
 *   locals: LocalPart[],
 *   gate: boolean,
 * }} ChainParts
 */

/**
 * The chain rule of one step.
 * @param {{phase: string, node: string, upstream?: unknown, locals?: Record<string, unknown>} | null | undefined} step
 * @param {{output: string, edges: Array<{id: string, source: string, target: string, grad: any}>, nodeById: Map<string, any>}} result
 * @returns {ChainParts | null}
 */
export function chainParts(step, result) {
  if (!step) return null;
  const node = result.nodeById.get(step.node);
  if (!node) return null;
  const incoming = result.edges.filter((edge) => edge.target === step.node);
  const outgoing = result.edges.filter((edge) => edge.source === step.node);
  const output = step.node === result.output;
  if (step.phase === "forward") {
    return { phase: "forward", node: step.node, operands: incoming.map((edge) => edge.id), results: outgoing.map((edge) => edge.id), output };
  }
  const gate = node.op !== "input" && node.op !== "const";
  if (step.upstream === null || step.upstream === undefined) return { phase: "backward", node: step.node, upstream: null, locals: [], gate };
  const upstreamValue = decodeValue(step.upstream);
  const at = output ? "output" : outgoing.length > 1 ? "sum" : outgoing.length === 1 ? "wire" : "none";
  const upstream = {
    text: formatWireValue(upstreamValue, Array.isArray(upstreamValue) ? shapeOf(upstreamValue) : []),
    at,
    wire: at === "wire" ? outgoing[0].id : null,
  };
  const edgeById = new Map(result.edges.map((edge) => [edge.id, edge]));
  const locals = Object.entries(step.locals ?? {}).map(([wire, local]) => {
    const grad = edgeById.get(wire)?.grad ?? null;
    return {
      wire,
      local: local === null || local === undefined ? null : formatNumber(decodeNumber(local)),
      product: formatWireValue(grad, Array.isArray(grad) ? shapeOf(grad) : []),
    };
  });
  return { phase: "backward", node: step.node, upstream, locals, gate };
}

/**
 * The tensors a step involves, for the "full values" under the explanation: a forward step's
 * operands and result, a backward step's upstream gradient and each wire's contribution.
 * @param {{phase: string, node: string} | null | undefined} step
 * @param {{edges: Array<any>, nodeById: Map<string, any>}} result
 * @returns {Array<{label: string, kind: "value" | "grad", value: Array<any>}>} labels are node names or symbols
 */
export function stepTensors(step, result) {
  if (!step) return [];
  const node = result.nodeById.get(step.node);
  if (!node) return [];
  const name = (id) => {
    const other = result.nodeById.get(id);
    return other ? String(other.name ?? other.symbol) : id;
  };
  const out = [];
  if (step.phase === "forward") {
    for (const edge of result.edges) {
      if (edge.target === step.node && Array.isArray(edge.value)) out.push({ label: name(edge.source), kind: "value", value: edge.value });
    }
    if (Array.isArray(node.value)) out.push({ label: name(step.node), kind: "value", value: node.value });
    return out;
  }
  if (Array.isArray(node.grad)) out.push({ label: name(step.node), kind: "grad", value: node.grad });
  for (const edge of result.edges) {
    if (edge.target === step.node && Array.isArray(edge.grad)) out.push({ label: name(edge.source), kind: "grad", value: edge.grad });
  }
  return out;
}

/**
 * The Done line's items: the output's value and each input's gradient, a scalar as its number,
 * a tensor as its shape (the page shows its values on demand).
 * @param {{value: any, gradients: Record<string, any>, output: string, outputName?: string, nodeById: Map<string, any>}} result
 * @returns {{out: string, items: Array<{name: string, text: string, tensor: Array<any> | null}>, value: {text: string, tensor: Array<any> | null}}}
 */
export function summaryItems(result) {
  const out = String(result.outputName ?? "f");
  const describe = (value) =>
    Array.isArray(value) ? { text: formatWireValue(value, shapeOf(value)), tensor: value } : { text: formatWireValue(value, []), tensor: null };
  const items = Object.entries(result.gradients).map(([name, grad]) => ({ name, ...describe(grad) }));
  return { out, items, value: describe(result.value) };
}
