/**
 * Evaluating the expression: ask the API for the circuit, lay it out (reusing the layout
 * when only the numbers changed) and draw it.
 * @module evaluation
 */

import { ApiError, fetchGraph } from "./api.js";
import { t } from "./i18n.js";
import { sameBounds } from "./layout.js";
import { guessInputNames } from "./names.js";
import { markDrawn, measureEvaluation } from "./perf-marks.js";
import { getState, update } from "./state.js";
import { buildSchedule, clampPosition, sameStructure } from "./stepper.js";

/** A new variable starts at this value until the learner types one. */
export const NEW_INPUT_VALUE = 1;

/**
 * The evaluator of the page's expression.
 * @param {{
 *   diagram: ReturnType<typeof import("./diagram.js").createDiagram>,
 *   layoutEngine: {layout: (dot: string, signal: AbortSignal) => Promise<any>},
 *   svg: SVGSVGElement,
 *   busy: HTMLElement,
 *   reserved: () => Set<string>,
 * }} parts  `reserved`: the language's reserved names, once GET /api/meta has answered
 */
export function createEvaluator({ diagram, layoutEngine, svg, busy, reserved }) {
  let inflight = null; // the request whose answer we still want
  let revision = 0;

  /**
   * Ask the API for the circuit of the current expression and draw it.
   * @param {{position?: number}} [options]  a step to show (from a link or an example)
   */
  async function evaluate(options = {}) {
    const s = getState();
    const expression = s.expression;
    if (!expression.trim()) {
      update({ error: { type: "ParseError", message: t("core.empty_expression"), position: null, source: "" }, status: "error" });
      return;
    }
    const values = {};
    for (const name of guessInputNames(expression, reserved())) values[name] = s.values[name] ?? NEW_INPUT_VALUE;
    const body = { expression, values, expand: s.expand, lang: s.lang, code: s.code };
    inflight?.abort();
    const controller = new AbortController();
    inflight = controller;
    update({ status: "loading" });
    try {
      const started = performance.now();
      const result = await fetchGraph(body, controller.signal);
      const fetched = performance.now();
      // Same circuit, new numbers: keep the layout, so nothing moves while the learner edits
      // values (and a big circuit is not laid out again for each keystroke).
      const current = getState();
      // (A number wider than its label column widens the column: then the positions moved.)
      const kept = sameStructure(current.result, result) && sameBounds(current.result.dot, result.dot);
      let layout = kept && current.layout ? current.layout : null;
      if (!layout) {
        busy.hidden = result.nodes.length < 200;
        layout = await layoutEngine.layout(result.dot, controller.signal);
      }
      if (controller.signal.aborted) return;
      const laidOut = performance.now();
      show(result, layout, body, options.position);
      measureEvaluation(started, fetched, laidOut);
    } catch (error) {
      if (controller.signal.aborted || error?.name === "AbortError") return;
      let detail;
      if (error instanceof ApiError) detail = error.detail;
      else if (error instanceof TypeError) detail = { type: "NetworkError", message: t("core.network_error", { reason: error.message }), position: null };
      else detail = { type: "LayoutError", message: t("core.layout_error", { reason: error?.message ?? error }), position: null };
      update({ error: { ...detail, source: expression }, status: "error" });
    } finally {
      if (inflight === controller) {
        inflight = null;
        busy.hidden = true;
      }
    }
  }

  function show(result, layout, body, wantedPosition) {
    const before = getState();
    const schedule = buildSchedule(result.steps, result.edges);
    const kept = sameStructure(before.result, result);
    const position = clampPosition(wantedPosition ?? (kept ? before.position : 0), schedule.count);
    if (kept && before.layout === layout && diagram.hasDrawing()) {
      diagram.refresh(result, schedule, position);
    } else {
      diagram.draw(layout, result, schedule, position, { keepView: kept });
    }
    const inputNames = result.nodes.filter((node) => node.op === "input").map((node) => node.name ?? node.label);
    const values = Object.fromEntries(inputNames.map((name) => [name, body.values[name] ?? before.values[name] ?? NEW_INPUT_VALUE]));
    revision += 1;
    svg.dataset.revision = String(revision);
    update({ result, schedule, layout, values, position, error: null, status: "ready" });
    markDrawn();
  }

  return { evaluate };
}
