/**
 * The lab's optimizer: search methods and gradient descent moving the circuit's chosen
 * inputs (its parameters by default, never its data), played step by step on the circuit,
 * with the loss plotted; several learning rates compared on one plot.
 * @module lab-optimizer
 */

import { decodeNumber, decodeValue, formatNumber, shapeOf } from "./format.js";
import { t } from "./i18n.js";
import { fetchOptimize } from "./lab-api.js";
import { notesBox } from "./lab-notes.js";
import { drawLossPlot, renderSeriesLegend, toPoints } from "./lab-plot.js";
import { button, errorText, fillSelect, labelled, numberInput, say, section, select, sleep, statusLine, worded } from "./lab-widgets.js";
import { getState, subscribe, update } from "./state.js";
import { htmlElement, svgElement } from "./svg.js";

/** The method a first visit runs (the others come from GET /api/meta). */
const DEFAULT_METHOD = "gradient_descent";
/** The learning-rate slider moves log10(rate) between these. */
const LR_LOG_RANGE = [-3, 0.5];
/** Learning rates overlaid by "Compare rates": the lesson's crawl / converge / blow up. */
export const COMPARE_RATES = [0.01, 0.05, 0.1, 0.3, 1];
/** Milliseconds between two steps of a playing trajectory. */
const PLAY_DELAY_MS = 150;
/** At most this many steps in one run, until GET /api/meta tells the server's limit. */
const MAX_STEPS = 1000;

/**
 * Build the section.
 * @param {HTMLElement} root
 * @param {{evaluate: () => Promise<void>, showAll?: () => void}} page
 * @param {() => {expression: string, values: object, expand: boolean}} currentRequest
 * @param {Promise<any>} meta  GET /api/meta: the methods and the step limit
 * @returns {{circuitChanged: () => void, relabel: () => void}}
 */
export function mountOptimizer(root, page, currentRequest, meta) {
  const box = section(root, "lab.optimizer", "optimizer");
  box.appendChild(worded("p", "lab.optimizer_hint", { class: "lab__hint" }));
  const picker = box.appendChild(htmlElement("div", { class: "lab__params", "data-testid": "opt-params", role: "group" }));
  const method = labelled(box, "lab.method", select([[DEFAULT_METHOD, `lab.method_${DEFAULT_METHOD}`]], "opt-method"));
  const lrRow = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const lr = labelled(lrRow, "lab.learning_rate", /** @type {HTMLInputElement} */ (htmlElement("input", { type: "range", min: String(LR_LOG_RANGE[0]), max: String(LR_LOG_RANGE[1]), step: "0.01", value: "-1", "data-testid": "opt-lr" })));
  const lrText = lrRow.appendChild(htmlElement("output", { class: "lab__value", "data-testid": "opt-lr-value" }));
  const row = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const steps = labelled(row, "lab.steps", numberInput(30, "opt-steps", { min: "1", max: String(MAX_STEPS) }));
  const stepSize = labelled(row, "lab.step_size", numberInput(0.5, "opt-step-size", { step: "any", min: "0" }));
  const seed = labelled(row, "lab.seed", numberInput(0, "opt-seed", { min: "0" }));
  const buttons = box.appendChild(htmlElement("div", { class: "buttons" }));
  const runButton = button(buttons, "lab.run", "opt-run");
  const stepButton = button(buttons, "lab.step", "opt-step");
  const stopButton = button(buttons, "lab.stop", "opt-stop");
  const compareButton = button(buttons, "lab.compare", "opt-compare");
  const resetButton = button(buttons, "lab.reset", "opt-reset");
  const out = statusLine(box, "opt-status");
  // How a finished run ended, when it ran away: on a line of its own, in the warning colour.
  const verdict = box.appendChild(htmlElement("p", { class: "lab__verdict", "data-testid": "opt-verdict", "aria-live": "polite" }));
  const notes = notesBox(box, "opt-notes");
  const scaleRow = box.appendChild(htmlElement("div", { class: "lab__row lab__row--end" }));
  const scale = labelled(scaleRow, "lab.y_axis", select([["auto", "lab.scale_auto"], ["linear", "lab.scale_linear"], ["log", "lab.scale_log"]], "opt-scale"));
  const figure = box.appendChild(htmlElement("figure", { class: "lab__figure" }));
  const plot = figure.appendChild(svgElement("svg", { class: "lab-plot", "data-testid": "loss-plot", role: "img" }));
  const legend = figure.appendChild(htmlElement("ul", { class: "lab-legend", "data-testid": "opt-legend" }));

  /** Which inputs move: the roles the server gave for this circuit, and the learner's picks. */
  let roles = { signature: "", list: /** @type {Array<{name: string, role: string}>} */ ([]), chosen: new Set(), defaults: /** @type {string[]} */ ([]) };
  /** @type {{run: any, index: number, start: Record<string, any>, rate: number} | null} */
  let session = null;
  /** What the plot shows: one session, or compared runs. */
  let shown = /** @type {{kind: "none"} | {kind: "session"} | {kind: "compare", runs: any[]}} */ ({ kind: "none" });
  let playing = false;
  let stopRequested = false;

  const rate = () => Number((10 ** Number(lr.value)).toPrecision(2));
  const showRate = () => (lrText.textContent = String(rate()));
  showRate();
  lr.addEventListener("input", showRate);
  const syncMethod = () => {
    const random = method.value.startsWith("random");
    lr.disabled = random;
    stepSize.disabled = !random;
  };
  method.addEventListener("change", syncMethod);
  syncMethod();
  let maxSteps = MAX_STEPS;
  meta
    .then((answer) => {
      fillSelect(method, answer.optimizer_methods, "lab.method_");
      maxSteps = answer.limits.max_optimize_steps;
      steps.max = String(maxSteps);
      syncMethod();
    })
    .catch(() => {}); // the first method still runs; the server checks every request

  // ---------------------------------------------------------------- which inputs move

  /** The request's expression and the shapes of its values: roles depend on nothing else. */
  function signature(request) {
    const shapes = Object.entries(request.values).map(([name, value]) => [name, shapeOf(value)]);
    return JSON.stringify([request.expression, request.expand, shapes]);
  }

  async function refreshRoles() {
    const request = currentRequest();
    const wanted = signature(request);
    if (!getState().lab || !getState().result || wanted === roles.signature) return;
    roles = { signature: wanted, list: [], chosen: new Set(), defaults: [] };
    delete picker.dataset.error;
    try {
      const answer = await fetchOptimize({ ...request, steps: 0 });
      if (roles.signature !== wanted) return; // the circuit changed meanwhile
      roles = { signature: wanted, list: answer.roles, chosen: new Set(answer.optimize), defaults: answer.optimize };
    } catch (error) {
      if (roles.signature !== wanted) return;
      picker.dataset.error = errorText(error);
    }
    renderPicker();
  }

  function renderPicker() {
    picker.replaceChildren(worded("span", "lab.move", { class: "lab__label" }));
    for (const { name, role } of roles.list) {
      const label = picker.appendChild(htmlElement("label", { class: `check lab__param lab__param--${role}`, title: t(`lab.role_${role}_title`) }));
      const box_ = /** @type {HTMLInputElement} */ (label.appendChild(htmlElement("input", { type: "checkbox", "data-testid": `opt-param-${name}`, "data-role": role })));
      box_.checked = roles.chosen.has(name);
      box_.disabled = role === "labels";
      box_.addEventListener("change", () => {
        if (box_.checked) roles.chosen.add(name);
        else roles.chosen.delete(name);
        session = null;
      });
      label.appendChild(htmlElement("code", {}, name));
      label.appendChild(htmlElement("span", { class: "lab__tag" }, t(`lab.role_${role}`)));
    }
    if (!roles.list.length && picker.dataset.error) picker.appendChild(htmlElement("span", { class: "lab__hint" }, picker.dataset.error));
  }

  // ---------------------------------------------------------------- runs

  async function fetchRun(learningRate) {
    return fetchOptimize({
      ...currentRequest(),
      method: method.value,
      learning_rate: learningRate,
      steps: Math.max(1, Math.min(maxSteps, Math.round(Number(steps.value) || 30))),
      step_size: Number(stepSize.value) > 0 ? Number(stepSize.value) : 0.5,
      seed: Math.max(0, Math.round(Number(seed.value) || 0)),
      // The server's own choice is left to the server, so that its warnings about it (no
      // input is a parameter: the data move) reach the learner.
      optimize: roles.list.length && !sameNames(roles.chosen, roles.defaults) ? [...roles.chosen] : undefined,
    });
  }

  async function ensureSession() {
    if (session) return session;
    const start = { ...currentRequest().values };
    const learningRate = rate();
    notes.clear();
    const run = await fetchRun(learningRate);
    session = { run, index: 0, start, rate: learningRate };
    notes.show([run]);
    shown = { kind: "session" };
    return session;
  }

  /** The words by a run's end on the plot, if it ran away. */
  function endNote(run) {
    if (run.unbounded_evidence?.reason === "minus_infinity") return t("lab.note_minus_infinity", { step: run.diverged_at });
    if (run.diverged_at !== null) return t("lab.note_diverged", { step: run.diverged_at });
    if (run.unbounded) return t("lab.note_unbounded");
    return undefined;
  }

  function redraw() {
    let series = [];
    let maxStep = 1;
    if (shown.kind === "session" && session) {
      const run = session.run;
      series = [{ label: t("lab.lr_label", { rate: session.rate }), points: toPoints(run.trajectory), upTo: session.index, index: 0, note: endNote(run) }];
      maxStep = run.trajectory[run.trajectory.length - 1].step;
    } else if (shown.kind === "compare") {
      series = shown.runs.map((run, i) => ({ label: t("lab.lr_label", { rate: COMPARE_RATES[i] }), points: toPoints(run.trajectory), index: i, note: endNote(run) }));
      maxStep = Math.max(...shown.runs.map((r) => r.trajectory[r.trajectory.length - 1].step));
    }
    const kind = drawLossPlot(plot, series, { maxStep, scale: /** @type {any} */ (scale.value), xLabel: t("lab.axis_step"), yLabel: t("lab.axis_loss"), logLabel: t("lab.axis_log"), emptyText: t("lab.plot_empty") });
    plot.setAttribute("aria-label", t("lab.loss_plot_label"));
    scale.options[0].textContent = t("lab.scale_auto_is", { kind: t(`lab.scale_${kind}`) });
    renderSeriesLegend(legend, series);
  }

  /**
   * Put trajectory entry `index` on the circuit: its values into the inputs (in view beside
   * the lab), then the circuit redrawn, which `settle` may leave to the run's end: the circuit
   * is behind the lab's tab while a run plays.
   */
  async function showEntry(index, settle = true) {
    const run = session.run;
    const entry = run.trajectory[index];
    const last = run.trajectory.length - 1;
    session.index = index;
    redraw();
    const values = Object.fromEntries(Object.entries(entry.values).map(([k, v]) => [k, decodeValue(v)]));
    const finite = Object.values(values).every((v) => [v].flat(Infinity).every(Number.isFinite));
    /** @type {import("./lab-widgets.js").Phrase[]} */
    const phrases = [["lab.step_of", { step: entry.step, last: run.trajectory[last].step }], ["lab.loss_is", { loss: formatNumber(decodeNumber(entry.loss)) }]];
    for (const [name, value] of Object.entries(values).slice(0, 3)) {
      phrases.push(["lab.value_is", { name, value: typeof value === "number" ? formatNumber(value) : `[${shapeOf(value).join("×")}]` }]);
    }
    phrases.push(["lab.evaluations", { count: entry.evaluations }]);
    say(out, phrases);
    say(verdict, index === last ? endPhrases(run) : []);
    out.dataset.outcome = index === last ? outcome(run) : "running";
    if (finite) update({ values: { ...getState().values, ...values } });
    if (settle) await settleCircuit();
  }

  /** Evaluate the circuit at the values the inputs hold now, every number shown. */
  async function settleCircuit() {
    await page.evaluate();
    page.showAll?.();
  }

  async function play() {
    if (playing) return;
    playing = true;
    stopRequested = false;
    say(out, [["lab.optimizing"]]);
    say(verdict, []);
    try {
      await ensureSession();
      const last = session.run.trajectory.length - 1;
      for (let i = session.index + 1; i <= last; i += 1) {
        if (stopRequested) {
          await settleCircuit();
          break;
        }
        await showEntry(i, i === last || !getState().lab);
        await sleep(PLAY_DELAY_MS);
      }
      if (last === 0) await showEntry(0);
    } catch (error) {
      say(out, [["lab.optimize_failed", { message: errorText(error) }]]);
    } finally {
      playing = false;
      (box.closest(".lab") ?? box).setAttribute("data-optimizer", "done");
    }
  }

  async function stepOnce() {
    try {
      await ensureSession();
      if (session.index + 1 < session.run.trajectory.length) await showEntry(session.index + 1);
      else say(out, [...JSON.parse(out.dataset.labSay ?? "[]"), ["lab.no_more_steps"]]);
    } catch (error) {
      say(out, [["lab.optimize_failed", { message: errorText(error) }]]);
    }
  }

  async function compare() {
    say(out, [["lab.comparing"]]);
    say(verdict, []);
    notes.clear();
    try {
      const runs = await Promise.all(COMPARE_RATES.map((r) => fetchRun(r)));
      shown = { kind: "compare", runs };
      notes.show(runs);
      redraw();
      const diverged = runs.map((r, i) => (r.diverged_at !== null && !r.unbounded ? COMPARE_RATES[i] : null)).filter((r) => r !== null);
      if (runs.every((r) => r.unbounded)) say(out, [["lab.compare_unbounded"]]);
      else if (diverged.length) say(out, [["lab.compare_diverged", { rates: diverged.join(", ") }]]);
      else say(out, [["lab.compare_none"]]);
      out.dataset.outcome = "compared";
    } catch (error) {
      say(out, [["lab.compare_failed", { message: errorText(error) }]]);
    }
  }

  async function reset() {
    stopRequested = true;
    if (!session) return;
    const start = session.start;
    session = null;
    shown = { kind: "none" };
    redraw();
    say(out, [["lab.back_at_start"]]);
    say(verdict, []);
    notes.clear();
    update({ values: { ...getState().values, ...start } });
    await page.evaluate();
  }

  // A new method, rate or step count is a new run from where the circuit is now.
  for (const control of [method, lr, steps, stepSize, seed]) control.addEventListener("change", () => (session = null));
  scale.addEventListener("change", redraw);
  runButton.addEventListener("click", () => {
    if (session && session.index >= session.run.trajectory.length - 1) session = null;
    play();
  });
  stepButton.addEventListener("click", stepOnce);
  stopButton.addEventListener("click", () => (stopRequested = true));
  compareButton.addEventListener("click", compare);
  resetButton.addEventListener("click", reset);
  subscribe((s, changed) => {
    // Editing the expression by hand starts afresh; opening the lab asks for the roles.
    if (changed.has("expression")) session = null;
    if (changed.has("lab") && s.lab) refreshRoles();
  });
  redraw();
  return {
    circuitChanged: refreshRoles,
    relabel() {
      redraw();
      renderPicker();
    },
  };
}

/** What a finished run shows, for the page and its tests: diverged, unbounded or done. */
function outcome(run) {
  if (run.unbounded) return "unbounded";
  return run.diverged_at !== null ? "diverged" : "done";
}

/**
 * The status words for a run that ran away.
 * @returns {import("./lab-widgets.js").Phrase[]}
 */
function endPhrases(run) {
  const evidence = run.unbounded_evidence;
  if (evidence?.reason === "minus_infinity") return [["lab.minus_infinity", { step: evidence.to_step }]];
  if (run.diverged_at !== null) return [["lab.diverged", { step: run.diverged_at }]];
  if (evidence) {
    return [["lab.unbounded", {
      from: formatNumber(decodeNumber(evidence.loss_from)), a: evidence.from_step,
      to: formatNumber(decodeNumber(evidence.loss_to)), b: evidence.to_step,
    }]];
  }
  return [];
}

/**
 * Whether a set of input names holds exactly these names.
 * @param {Set<string>} chosen
 * @param {string[]} names
 */
function sameNames(chosen, names) {
  return chosen.size === names.length && names.every((name) => chosen.has(name));
}
