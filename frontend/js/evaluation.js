/**
 * Evaluating the expression: ask the API which inputs it needs (POST /api/inputs: shapes and
 * defaults, the learner's values kept where they fit), then for the circuit, lay it out
 * (reusing the layout when only the numbers changed) and draw it.
 *
 * Nothing is drawn from numbers the page cannot read: while a field holds a bad value, or the
 * expression does not parse, the last circuit stays as it was, marked out of date, and the
 * stepper is off (main.js).
 * @module evaluation
 */

import { ApiError, fetchGraph, fetchInputs } from "./api.js";
import { t } from "./i18n.js";
import { chooseValues, shapesOf } from "./input-values.js";
import { sameBounds } from "./layout.js";
import { markDrawn, measureEvaluation } from "./perf-marks.js";
import { practiceFor } from "./practice.js";
import { getState, record, update } from "./state.js";
import { buildSchedule, clampPosition, sameStructure } from "./stepper.js";

/** How many answers of POST /api/inputs are remembered (one per expression and shapes). */
const INPUTS_REMEMBERED = 32;

/**
 * The evaluator of the page's expression.
 * @param {{
 *   diagram: ReturnType<typeof import("./diagram.js").createDiagram>,
 *   layoutEngine: {layout: (dot: string, signal: AbortSignal) => Promise<any>},
 *   svg: SVGSVGElement,
 *   busy: HTMLElement,
 * }} parts
 */
export function createEvaluator({ diagram, layoutEngine, svg, busy }) {
  let inflight = null; // the request whose answer we still want
  let revision = 0;
  /** Answers of POST /api/inputs by request: editing a value's number asks nothing new. */
  const remembered = new Map();

  async function inputsFor(body, signal) {
    const key = JSON.stringify(body);
    const known = remembered.get(key);
    if (known) return known;
    const answer = await fetchInputs(body, signal);
    remembered.set(key, answer);
    if (remembered.size > INPUTS_REMEMBERED) remembered.delete(remembered.keys().next().value);
    return answer;
  }

  /**
   * Ask the API for the inputs and the circuit of the current expression and draw it.
   * @param {{position?: number, numbersOnly?: boolean}} [options]  a step to show (from a
   *   link or an example); `numbersOnly`: only values changed (an input scrubbed), so keep the
   *   drawing as it is and ask for no layout
   */
  async function evaluate(options = {}) {
    const s = getState();
    const expression = s.expression;
    inflight?.abort();
    inflight = null;
    if (!expression.trim()) {
      update({ error: { type: "ParseError", message: t("core.empty_expression"), position: null, source: "" }, status: "error" });
      return;
    }
    const controller = new AbortController();
    inflight = controller;
    update({ status: "loading" });
    try {
      const started = performance.now();
      // The value just edited first, so that its new shape wins over the others'.
      const order = [...s.edited, ...Object.keys(s.values).filter((name) => !s.edited.includes(name))];
      const shapes = shapesOf(order, s.values);
      let { inputs } = await inputsFor({ expression, shapes, lang: s.lang }, controller.signal);
      if (controller.signal.aborted) return;
      // A name that now holds a loss's labels but held a number before (`y` of (x+y)*z, then
      // svm_loss(X@W + b, y)) brings no shape or value along: its old number would make the
      // scores a single example, and is no class index of them anyway.
      const wasLabels = new Set(s.inputs.filter((input) => input.labels).map((input) => input.name));
      const recast = inputs.filter((input) => input.labels && !wasLabels.has(input.name) && Object.hasOwn(shapes, input.name));
      const mine = { ...getState().values };
      if (recast.length > 0) {
        for (const { name } of recast) {
          delete shapes[name];
          delete mine[name];
        }
        ({ inputs } = await inputsFor({ expression, shapes, lang: s.lang }, controller.signal));
        if (controller.signal.aborted) return;
      }
      const latest = getState().values;
      for (const name of Object.keys(mine)) if (Object.hasOwn(latest, name)) mine[name] = latest[name];
      const values = chooseValues(inputs, mine);
      // What the learner typed wrong still stands for this circuit's inputs; what the server
      // refused last time is asked again.
      const names = new Set(inputs.map((input) => input.name));
      const unread = Object.entries(getState().fieldErrors).filter(([name, error]) => names.has(name) && "key" in error);
      update({ inputs, values: { ...getState().values, ...values }, fieldErrors: Object.fromEntries(unread) });
      if (unread.length > 0) {
        update({ status: "error", playing: false }); // nothing is drawn from the old numbers
        return;
      }
      const body = { expression, values, expand: s.expand, lang: s.lang, code: s.code };
      // While an input is scrubbed, the drawing stays: the server need not lay it out.
      const numbersOnly = Boolean(options.numbersOnly && s.result && s.layout);
      if (numbersOnly) body.dot = false;
      const result = await fetchGraph(body, controller.signal);
      const fetched = performance.now();
      // Same circuit, new numbers: keep the layout, so nothing moves while the learner edits
      // values (and a big circuit is not laid out again for each keystroke).
      const current = getState();
      if (numbersOnly) result.dot = current.result?.dot ?? ""; // the layout it keeps
      // (A number wider than its label column widens the column: then the positions moved.)
      const kept = sameStructure(current.result, result) && (numbersOnly || sameBounds(current.result.dot, result.dot));
      let layout = kept && current.layout ? current.layout : null;
      if (!layout && numbersOnly) {
        // Not the circuit drawn (the expression changed meanwhile): ask again, with a layout.
        if (inflight === controller) inflight = null;
        return evaluate({ position: options.position });
      }
      if (!layout) {
        busy.hidden = result.nodes.length < 200;
        layout = await layoutEngine.layout(result.dot, controller.signal);
      }
      if (controller.signal.aborted) return;
      const laidOut = performance.now();
      show(result, layout, body, options.position, values);
      measureEvaluation(started, fetched, laidOut);
    } catch (error) {
      if (controller.signal.aborted || error?.name === "AbortError") return;
      if (error instanceof ApiError && error.detail.input && Object.hasOwn(getState().values, error.detail.input)) {
        // A value the server refused: said at its field, not at the expression.
        update({ fieldErrors: { ...getState().fieldErrors, [error.detail.input]: { message: error.detail.message } }, error: null, status: "error" });
        return;
      }
      let detail;
      if (error instanceof ApiError) detail = error.detail;
      else if (error instanceof TypeError) detail = { type: "NetworkError", message: t("core.network_error", { reason: error.message }), position: null };
      else detail = { type: "LayoutError", message: t("core.layout_error", { reason: error?.message ?? error }), position: null };
      update({ error: { ...detail, source: expression }, status: "error", playing: false });
    } finally {
      if (inflight === controller) {
        inflight = null;
        busy.hidden = true;
      }
    }
  }

  /**
   * Draw an answer. `sent` are the values the request carried: a value the learner changed
   * since (typing on while the answer was on its way) is kept, not overwritten.
   */
  function show(result, layout, body, wantedPosition, sent) {
    const before = getState();
    // What this answer was computed for (the expression may have changed since): the nudge
    // readout evaluates the same circuit again.
    result.asked = { expression: body.expression, expand: body.expand };
    // In practice mode the schedule hides the numbers still asked for, up to `limit`.
    const { schedule, quiz } = practiceFor(before, result, buildSchedule(result.steps, result.edges));
    const kept = sameStructure(before.result, result);
    const position = clampPosition(wantedPosition ?? (kept ? before.position : 0), schedule.limit ?? schedule.count);
    if (kept && before.layout === layout && diagram.hasDrawing()) {
      diagram.refresh(result, schedule, position);
    } else {
      diagram.draw(layout, result, schedule, position, { keepView: kept });
    }
    // The circuit's inputs keep their values; the others are forgotten.
    const names = result.nodes.filter((node) => node.op === "input").map((node) => node.name ?? node.label);
    const latest = before.values;
    const values = record(Object.fromEntries(names.map((name) => [
      name,
      Object.hasOwn(latest, name) && latest[name] !== sent[name] ? latest[name] : body.values[name],
    ])));
    revision += 1;
    svg.dataset.revision = String(revision);
    update({ result, schedule, quiz, layout, values, position, error: null, status: "ready" });
    markDrawn();
  }

  return { evaluate };
}
