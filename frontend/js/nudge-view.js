/**
 * The nudge readout under the inputs: for one scalar input x and a chosen h, f(x + h) − f(x)
 * from a second evaluation (POST /api/graph at x + h, no layout), divided by h (the numerical
 * gradient, 数值梯度) beside backprop's ∂f/∂x (the analytic gradient, 分析梯度) and their
 * difference. It follows the input being scrubbed. One second evaluation in flight at a time,
 * for the latest point; none while the readout is folded away. In practice mode a number the
 * learner has not yet worked out on the circuit shows as "?".
 * @module nudge-view
 */

import { fetchGraph } from "./api.js";
import { bracketNegative, formatNumber } from "./format.js";
import { t } from "./i18n.js";
import { nudgeKey, nudgeReadout, nudgedValues, resultValues, scalarInputs } from "./nudge.js";
import { createCoalescer } from "./scrub.js";
import { NUDGE_STEPS, getState, isStale, subscribe, update } from "./state.js";
import { isShown } from "./stepper.js";
import { htmlElement } from "./svg.js";

/**
 * @param {HTMLElement} host  an empty element under the inputs
 */
export function mountNudge(host) {
  const ui = build(host);

  /** What the readout is about now, or null when there is nothing to nudge. */
  const planFor = (s) => {
    const result = s.result;
    if (!result || isStale(s)) return null;
    const inputs = scalarInputs(result);
    if (inputs.length === 0 || typeof result.value !== "number") return { inputs, input: null };
    const input = s.nudge.input !== null && inputs.includes(s.nudge.input) ? s.nudge.input : inputs[0];
    const values = resultValues(result);
    const { expression, expand } = result.asked ?? { expression: s.expression, expand: s.expand };
    const key = nudgeKey({ expression, expand, values, input, h: s.nudge.h });
    return { inputs, input, values, key, expression, expand };
  };

  const second = createCoalescer(async () => {
    const s = getState();
    const plan = planFor(s);
    if (!plan?.key || !ui.details.open || s.nudged?.key === plan.key) return;
    const body = { expression: plan.expression, values: nudgedValues(plan.values, plan.input, s.nudge.h), expand: plan.expand, lang: s.lang, dot: false };
    try {
      const answer = await fetchGraph(body);
      update({ nudged: { key: plan.key, value: answer.value } });
    } catch (error) {
      update({ nudged: { key: plan.key, error: error?.message ?? String(error) } });
    }
  });

  const refresh = () => {
    const s = getState();
    const plan = planFor(s);
    render(ui, s, plan);
    if (plan?.key && ui.details.open && s.nudged?.key !== plan.key) second.request().catch(() => {});
  };

  ui.input.addEventListener("change", () => update({ nudge: { ...getState().nudge, input: ui.input.value } }));
  ui.h.addEventListener("change", () => update({ nudge: { ...getState().nudge, h: Number(ui.h.value) } }));
  ui.details.addEventListener("toggle", refresh);
  subscribe((s, changed) => {
    if (["result", "nudge", "nudged", "lang", "position", "schedule", "practice", "error", "fieldErrors"].some((key) => changed.has(key))) refresh();
  });
  refresh();
}

function build(host) {
  const el = (tag, attributes, text) => htmlElement(tag, attributes, text);
  const details = el("details", { class: "nudge__box", open: "" });
  const summary = details.appendChild(el("summary", { class: "nudge__title" }));
  const controls = details.appendChild(el("div", { class: "nudge__controls" }));
  const inputLabel = controls.appendChild(el("label", { class: "nudge__control" }));
  const inputWord = inputLabel.appendChild(el("span"));
  const input = /** @type {HTMLSelectElement} */ (inputLabel.appendChild(el("select", { "data-testid": "nudge-input" })));
  const hLabel = controls.appendChild(el("label", { class: "nudge__control" }));
  const hWord = hLabel.appendChild(el("span"));
  const h = /** @type {HTMLSelectElement} */ (hLabel.appendChild(el("select", { "data-testid": "nudge-h" })));
  for (const step of NUDGE_STEPS) h.appendChild(el("option", { value: String(step) }, formatNumber(step)));
  const body = details.appendChild(el("div", { class: "nudge__body" }));
  const line = (testid) => {
    const p = body.appendChild(el("p", { class: "nudge__line", "data-testid": testid }));
    const name = p.appendChild(el("span", { class: "nudge__name" }));
    p.append(" ");
    const value = p.appendChild(el("span", { class: "nudge__value", "data-part": "value" }));
    return { name, how: null, value };
  };
  const change = line("nudge-change");
  // The two gradients side by side: the comparison the readout is for.
  const pair = body.appendChild(el("div", { class: "nudge__pair" }));
  const card = (testid, kind) => {
    const box = pair.appendChild(el("div", { class: `nudge__card nudge__card--${kind}`, "data-testid": testid }));
    const name = box.appendChild(el("span", { class: "nudge__name" }));
    const how = box.appendChild(el("span", { class: "nudge__how" }));
    const value = box.appendChild(el("span", { class: "nudge__value", "data-part": "value" }));
    return { name, how, value };
  };
  const numerical = card("nudge-numerical", "numerical");
  const analytic = card("nudge-analytic", "analytic");
  const difference = line("nudge-difference");
  const note = details.appendChild(el("p", { class: "nudge__note", role: "status" }));
  host.replaceChildren(details);
  return { host, details, summary, inputWord, input, hWord, h, body, change, numerical, analytic, difference, note };
}

function render(ui, s, plan) {
  ui.host.hidden = !plan || plan.inputs.length === 0;
  if (ui.host.hidden) return;
  ui.summary.textContent = t("live.nudge_title");
  ui.inputWord.textContent = t("live.nudge_input");
  ui.hWord.textContent = t("live.nudge_h");
  ui.h.value = String(s.nudge.h);
  if (ui.input.dataset.names !== plan.inputs.join("\n")) {
    ui.input.dataset.names = plan.inputs.join("\n");
    ui.input.replaceChildren(...plan.inputs.map((name) => htmlElement("option", { value: name }, name)));
  }
  if (!plan.input) {
    ui.body.hidden = true;
    ui.note.textContent = t("live.tensor_output");
    return;
  }
  ui.input.value = plan.input;
  ui.body.hidden = false;
  const x = plan.input;
  const f = s.result.outputName ?? "f";
  ui.change.name.textContent = `${t("live.change", { x })} =`;
  ui.numerical.name.textContent = t("live.numerical");
  ui.numerical.how.textContent = t("live.numerical_how", { x });
  ui.analytic.name.textContent = t("live.analytic");
  ui.analytic.how.textContent = t("live.analytic_how", { f, x });
  ui.difference.name.textContent = `${t("live.difference")}:`;

  // Practice mode: f and the gradients show once the learner has worked them out.
  const inputNode = s.result.nodes.find((node) => node.op === "input" && (node.name ?? node.label) === x);
  const practising = s.practice && s.schedule;
  const fShown = !practising || isShown(s.schedule.valueAt, s.result.output, s.position);
  const gradShown = !practising || (inputNode !== undefined && isShown(s.schedule.gradAt, inputNode.id, s.position));
  const analytic = s.result.gradients[x];
  const nudged = s.nudged?.key === plan.key ? s.nudged : null;
  const readout = nudged && "value" in nudged && typeof nudged.value === "number"
    ? nudgeReadout({ x: plan.values[x], h: s.nudge.h, fx: s.result.value, fxh: nudged.value, analytic })
    : null;
  const shown = (ok, text) => (ok ? text : t("live.hidden"));
  const wait = t("live.pending");
  put(ui.change.value, fShown, readout ? `${formatNumber(nudged.value)} − ${bracketNegative(s.result.value)} = ${formatNumber(readout.change)}` : wait);
  put(ui.numerical.value, gradShown, readout ? formatNumber(readout.numerical) : wait);
  put(ui.analytic.value, gradShown, formatNumber(analytic));
  put(ui.difference.value, gradShown, readout ? formatNumber(readout.difference) : wait);
  ui.note.textContent = nudged && "error" in nudged ? t("live.failed", { reason: nudged.error }) : t("live.explain", { x });

  function put(cell, ok, text) {
    cell.textContent = shown(ok, text);
    cell.title = ok ? "" : t("live.hidden_title");
    cell.classList.toggle("is-hidden", !ok);
  }
}
