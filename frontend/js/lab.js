/**
 * The optimization lab panel: gradient check, search methods and gradient descent on the
 * circuit, and the linear-classifier lab. Mounted by main.js with `mountLab({evaluate})`;
 * reads and changes the page through state.js like every other panel.
 * @module lab
 */

import { decodeNumber, decodeValue, formatNumber } from "./format.js";
import { fetchClassifier, fetchGradcheck, fetchOptimize } from "./lab-api.js";
import { drawClassifier, drawLossPlot, toPoints } from "./lab-plot.js";
import { getState, subscribe, update } from "./state.js";
import { htmlElement, svgElement } from "./svg.js";

const METHODS = [
  ["gradient_descent", "Gradient descent"],
  ["momentum", "Momentum (μ 0.9)"],
  ["adam", "Adam"],
  ["random_local_search", "Random local search"],
  ["random_search", "Random search"],
];
/** The learning-rate slider moves log10(rate) between these. */
const LR_LOG_RANGE = [-3, 0.5];
/** Learning rates overlaid by "Compare rates", the lesson's crawl / converge / blow up. */
const COMPARE_RATES = [0.01, 0.05, 0.1, 0.3, 1];
/** Milliseconds between two steps of a playing trajectory. */
const PLAY_DELAY_MS = 150;
/** Classifier steps asked for in one request, so long runs show progress and can stop. */
const CHUNK_STEPS = 25;

/**
 * Build the lab panel in `#lab` and wire it to the page.
 * @param {{evaluate: () => Promise<void>, showAll?: () => void}} page  re-evaluates the circuit
 *   with the state's values; `showAll` jumps the stepper to the end so every number shows
 */
export function mountLab(page) {
  const root = document.getElementById("lab");
  if (!root) return;
  root.replaceChildren();
  root.appendChild(htmlElement("h2", { class: "lab__title" }, "Optimization lab"));
  const check = mountGradcheck(root);
  mountOptimizer(root, page);
  mountClassifier(root);
  subscribe((s, changed) => {
    if (changed.has("result")) check.circuitChanged();
  });
}

/** The expression and the values the circuit uses (from the page's state). */
function currentRequest() {
  const s = getState();
  const names = s.result ? s.result.nodes.filter((n) => n.op === "input").map((n) => n.name ?? n.label) : Object.keys(s.values);
  const values = Object.fromEntries(names.filter((n) => n in s.values).map((n) => [n, s.values[n]]));
  return { expression: s.expression, values, expand: s.expand };
}

function fieldset(root, legend, testid) {
  const box = root.appendChild(htmlElement("fieldset", { class: "panel lab__section", "data-testid": testid }));
  box.appendChild(htmlElement("legend", {}, legend));
  return box;
}

function labelled(parent, text, control) {
  const label = parent.appendChild(htmlElement("label", { class: "lab__field" }));
  label.appendChild(htmlElement("span", { class: "lab__label" }, text));
  label.appendChild(control);
  return control;
}

function button(parent, text, testid, extra = {}) {
  return parent.appendChild(htmlElement("button", { type: "button", "data-testid": testid, ...extra }, text));
}

function select(options, testid) {
  const element = htmlElement("select", { "data-testid": testid });
  for (const [value, text] of options) element.appendChild(htmlElement("option", { value }, text));
  return element;
}

function numberInput(value, testid, attributes = {}) {
  return htmlElement("input", { type: "number", value: String(value), "data-testid": testid, ...attributes });
}

function status(parent, testid) {
  return parent.appendChild(htmlElement("p", { class: "lab__status", "data-testid": testid, role: "status", "aria-live": "polite" }));
}

function message(error) {
  return error?.detail?.message ?? error?.message ?? String(error);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ gradient check

function mountGradcheck(root) {
  const box = fieldset(root, "Gradient check", "gradcheck");
  const row = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const h = labelled(row, "h", numberInput("1e-5", "gradcheck-h", { step: "any", min: "0", class: "lab__narrow" }));
  const run = button(row, "Check gradients", "gradcheck-run");
  const wiresLabel = box.appendChild(htmlElement("label", { class: "check" }));
  const wires = wiresLabel.appendChild(htmlElement("input", { type: "checkbox", "data-testid": "gradcheck-wires" }));
  wiresLabel.append(" Show centered estimates on the wires, colored by relative error");
  const out = status(box, "gradcheck-status");
  const tableWrap = box.appendChild(htmlElement("div", { class: "lab__table-wrap" }));
  const notes = box.appendChild(htmlElement("ul", { class: "lab__warnings" }));
  let last = null;
  let timer = 0;

  async function runCheck() {
    out.textContent = "Checking…";
    try {
      const h_ = Number(h.value);
      last = await fetchGradcheck({ ...currentRequest(), h: h_ > 0 ? h_ : 1e-5, wires: true });
      renderTable(tableWrap, last);
      const e = last.evaluations;
      out.textContent = `Verdict: ${last.verdict}. Cost in forward evaluations: analytic ${e.analytic} (+${e.backward_passes} backward), forward differences ${e.forward_difference}, centered ${e.centered_difference}.`;
      notes.replaceChildren(...last.warnings.map((w) => htmlElement("li", {}, w)));
      decorateWires();
    } catch (error) {
      last = null;
      tableWrap.replaceChildren();
      out.textContent = `Check failed: ${message(error)}`;
    }
  }

  function decorateWires() {
    for (const old of document.querySelectorAll(".lab-estimate")) old.remove();
    if (!wires.checked || !last) return;
    for (const wire of last.wires) {
      const label = document.querySelector(`[data-edge="${CSS.escape(wire.edge)}"]`);
      const grad = label?.querySelector(".wire__grad");
      if (!grad) continue;
      const error = decodeNumber(wire.error);
      const x = grad.getAttribute("x") ?? "0";
      const y = Number(grad.getAttribute("y") ?? 0) + 13;
      const text = svgElement("text", { class: `lab-estimate lab-estimate--${errorClass(error)}`, x, y, "data-lab-edge": wire.edge }, `≈${formatNumber(decodeNumber(wire.centered))}`);
      const title = svgElement("title", {}, `centered difference ${decodeNumber(wire.centered)}; relative error ${formatNumber(error)}`);
      text.appendChild(title);
      label.appendChild(text);
    }
  }

  run.addEventListener("click", runCheck);
  wires.addEventListener("change", () => (wires.checked && !last ? runCheck() : decorateWires()));
  return {
    circuitChanged() {
      // New numbers on the circuit: an old check no longer describes them.
      last = null;
      decorateWires();
      if (wires.checked) {
        clearTimeout(timer);
        timer = setTimeout(runCheck, 250);
      }
    },
  };
}

function errorClass(error) {
  if (!Number.isFinite(error) || error > 1e-2) return "wrong";
  if (error > 1e-4) return "suspicious";
  if (error > 1e-7) return "acceptable";
  return "excellent";
}

function renderTable(wrap, result) {
  const table = htmlElement("table", { class: "lab__table", "data-testid": "gradcheck-table" });
  const head = table.appendChild(htmlElement("thead")).appendChild(htmlElement("tr"));
  for (const title of ["input", "analytic", "centered", "forward", "err. c", "err. f"]) {
    head.appendChild(htmlElement("th", { scope: "col" }, title));
  }
  const body = table.appendChild(htmlElement("tbody"));
  for (const input of result.inputs) {
    const cells = flatten(input);
    for (const cell of cells.slice(0, 40)) {
      const tr = body.appendChild(htmlElement("tr", { "data-input": input.name }));
      tr.appendChild(htmlElement("th", { scope: "row" }, cell.label));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.analytic)));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.centered)));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.forward)));
      // The verdict is the color, the cell's title and its data-verdict (not color alone).
      const verdict = errorClass(cell.centeredError);
      tr.appendChild(htmlElement("td", { class: `lab-verdict lab-verdict--${verdict}`, "data-verdict": verdict, title: `centered difference: ${verdict}` }, `${formatNumber(cell.centeredError)}${verdict === "excellent" ? "" : " ⚠"}`));
      tr.appendChild(htmlElement("td", { class: `lab-verdict lab-verdict--${errorClass(cell.forwardError)}`, title: "forward difference" }, formatNumber(cell.forwardError)));
    }
    if (cells.length > 40) body.appendChild(htmlElement("tr")).appendChild(htmlElement("td", { colspan: "6" }, `… ${cells.length - 40} more elements of ${input.name}`));
  }
  wrap.replaceChildren(table);
}

/** One row per element of an input (x, W[0,1], …). */
function flatten(input) {
  const keys = ["analytic", "centered", "forward", "centered_error", "forward_error"];
  const flat = Object.fromEntries(keys.map((k) => [k, [decodeValue(input[k])].flat(Infinity)]));
  const shape = input.shape ?? [];
  return flat.analytic.map((_, i) => ({
    label: shape.length ? `${input.name}[${unravel(i, shape).join(",")}]` : input.name,
    analytic: flat.analytic[i],
    centered: flat.centered[i],
    forward: flat.forward[i],
    centeredError: flat.centered_error[i],
    forwardError: flat.forward_error[i],
  }));
}

function unravel(index, shape) {
  const out = [];
  for (let d = shape.length - 1; d >= 0; d -= 1) {
    out.unshift(index % shape[d]);
    index = Math.floor(index / shape[d]);
  }
  return out;
}

// ------------------------------------------------------------------ optimizer

function mountOptimizer(root, page) {
  const box = fieldset(root, "Minimise the circuit's output", "optimizer");
  const method = labelled(box, "Method", select(METHODS, "opt-method"));
  const lrRow = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const lr = labelled(lrRow, "Learning rate", htmlElement("input", { type: "range", min: String(LR_LOG_RANGE[0]), max: String(LR_LOG_RANGE[1]), step: "0.01", value: "-1", "data-testid": "opt-lr" }));
  const lrText = lrRow.appendChild(htmlElement("output", { class: "lab__value", "data-testid": "opt-lr-value" }));
  const row = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const steps = labelled(row, "Steps", numberInput(30, "opt-steps", { min: "1", max: "5000", class: "lab__narrow" }));
  const stepSize = labelled(row, "Step size", numberInput(0.5, "opt-step-size", { step: "any", min: "0", class: "lab__narrow" }));
  const seed = labelled(row, "Seed", numberInput(0, "opt-seed", { min: "0", class: "lab__narrow" }));
  const buttons = box.appendChild(htmlElement("div", { class: "buttons" }));
  const runButton = button(buttons, "▶ Run", "opt-run");
  const stepButton = button(buttons, "Step", "opt-step");
  const stopButton = button(buttons, "■ Stop", "opt-stop");
  const compareButton = button(buttons, "Compare rates", "opt-compare");
  const resetButton = button(buttons, "Back to start", "opt-reset");
  const out = status(box, "opt-status");
  const plot = box.appendChild(svgElement("svg", { class: "lab-plot", "data-testid": "loss-plot", role: "img", "aria-label": "Loss against step" }));

  drawLossPlot(plot, []);
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

  /** @type {{run: any, index: number, start: Record<string, any>} | null} */
  let session = null;
  let playing = false;
  let stopRequested = false;

  async function fetchRun(learningRate) {
    const request = currentRequest();
    return fetchOptimize({
      ...request,
      method: method.value,
      learning_rate: learningRate,
      steps: Math.max(1, Math.min(5000, Math.round(Number(steps.value) || 30))),
      step_size: Number(stepSize.value) > 0 ? Number(stepSize.value) : 0.5,
      seed: Math.max(0, Math.round(Number(seed.value) || 0)),
    });
  }

  async function ensureSession() {
    if (session) return session;
    const start = { ...currentRequest().values };
    const run = await fetchRun(rate());
    session = { run, index: 0, start };
    return session;
  }

  function plotSession(index) {
    const run = session.run;
    const shown = run.trajectory.slice(0, index + 1);
    drawLossPlot(plot, [{ label: `lr ${rate()}`, points: toPoints(shown), divergedAt: index >= run.trajectory.length - 1 ? run.diverged_at : null, index: 0 }], { maxStep: run.trajectory[run.trajectory.length - 1].step });
  }

  /** Put trajectory entry `index` on the circuit: its values into the inputs, then redraw. */
  async function showEntry(index) {
    const run = session.run;
    const entry = run.trajectory[index];
    session.index = index;
    plotSession(index);
    const values = Object.fromEntries(Object.entries(entry.values).map(([k, v]) => [k, decodeValue(v)]));
    const finite = Object.values(values).every((v) => [v].flat(Infinity).every(Number.isFinite));
    const described = Object.entries(values).slice(0, 3).map(([k, v]) => `${k} = ${typeof v === "number" ? formatNumber(v) : "[…]"}`).join(", ");
    let text = `Step ${entry.step} of ${run.trajectory[run.trajectory.length - 1].step} · loss ${formatNumber(decodeNumber(entry.loss))} · ${described} · ${entry.evaluations} forward evaluations`;
    if (run.diverged_at !== null && index === run.trajectory.length - 1) text += ` · diverged at step ${run.diverged_at}: the learning rate is too large`;
    out.textContent = text;
    if (finite) {
      update({ values: { ...getState().values, ...values } });
      await page.evaluate();
      page.showAll?.();
    }
  }

  async function play() {
    if (playing) return;
    playing = true;
    stopRequested = false;
    out.textContent = "Optimizing…";
    try {
      await ensureSession();
      for (let i = session.index + 1; i < session.run.trajectory.length; i += 1) {
        if (stopRequested) break;
        await showEntry(i);
        await sleep(PLAY_DELAY_MS);
      }
      if (session.run.trajectory.length === 1) await showEntry(0);
    } catch (error) {
      out.textContent = `Optimization failed: ${message(error)}`;
    } finally {
      playing = false;
      root.dataset.optimizer = "done";
    }
  }

  async function stepOnce() {
    try {
      await ensureSession();
      if (session.index + 1 < session.run.trajectory.length) await showEntry(session.index + 1);
      else out.textContent = `${out.textContent} · no more steps`;
    } catch (error) {
      out.textContent = `Optimization failed: ${message(error)}`;
    }
  }

  async function compare() {
    out.textContent = "Running each learning rate…";
    try {
      const runs = await Promise.all(COMPARE_RATES.map((r) => fetchRun(r)));
      const series = runs.map((run, i) => ({ label: `lr ${COMPARE_RATES[i]}`, points: toPoints(run.trajectory), divergedAt: run.diverged_at, index: i }));
      drawLossPlot(plot, series, { maxStep: Math.max(...runs.map((r) => r.trajectory[r.trajectory.length - 1].step)) });
      const diverged = runs.map((r, i) => (r.diverged_at !== null ? COMPARE_RATES[i] : null)).filter((r) => r !== null);
      out.textContent = diverged.length ? `Diverged: lr ${diverged.join(", ")}. The others crawl or converge.` : "No learning rate diverged.";
    } catch (error) {
      out.textContent = `Comparison failed: ${message(error)}`;
    }
  }

  async function reset() {
    stopRequested = true;
    if (!session) return;
    const start = session.start;
    session = null;
    drawLossPlot(plot, []);
    out.textContent = "Back at the starting values.";
    update({ values: { ...getState().values, ...start } });
    await page.evaluate();
  }

  // A new method, rate or step count is a new run from where the circuit is now.
  for (const control of [method, lr, steps, stepSize, seed]) control.addEventListener("change", () => (session = null));
  runButton.addEventListener("click", () => {
    if (session && session.index >= session.run.trajectory.length - 1) session = null;
    play();
  });
  stepButton.addEventListener("click", stepOnce);
  stopButton.addEventListener("click", () => (stopRequested = true));
  compareButton.addEventListener("click", compare);
  resetButton.addEventListener("click", reset);
  // Editing the expression by hand also starts afresh.
  subscribe((s, changed) => {
    if (changed.has("expression")) session = null;
  });
}

// ------------------------------------------------------------------ classifier

function mountClassifier(root) {
  const box = fieldset(root, "Linear classifier", "classifier");
  box.appendChild(htmlElement("p", { class: "lab__hint" }, "scores = X@W + b; loss = data loss + λ·sum(W*W); mini-batch SGD through the same circuit engine."));
  const row1 = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const dataset = labelled(row1, "Data", select([["blobs", "Blobs"], ["spiral", "Spiral"]], "clf-dataset"));
  const loss = labelled(row1, "Loss", select([["softmax", "Softmax"], ["svm", "SVM"]], "clf-loss"));
  const batch = labelled(row1, "Batch", select([["", "Full"], ["1", "1"], ["32", "32"], ["64", "64"], ["128", "128"], ["256", "256"]], "clf-batch"));
  const row2 = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const lr = labelled(row2, "Learning rate", numberInput(1, "clf-lr", { step: "any", min: "0", class: "lab__narrow" }));
  const reg = labelled(row2, "λ", numberInput(0.001, "clf-reg", { step: "any", min: "0", class: "lab__narrow" }));
  const steps = labelled(row2, "Steps", numberInput(200, "clf-steps", { min: "1", max: "5000", class: "lab__narrow" }));
  const seed = labelled(row2, "Seed", numberInput(0, "clf-seed", { min: "0", class: "lab__narrow" }));
  const buttons = box.appendChild(htmlElement("div", { class: "buttons" }));
  const train = button(buttons, "▶ Train", "clf-train");
  const stop = button(buttons, "■ Stop", "clf-stop");
  const progress = box.appendChild(htmlElement("progress", { max: "1", value: "0", class: "lab__progress", "data-testid": "clf-progress" }));
  const out = status(box, "clf-status");
  const picture = box.appendChild(svgElement("svg", { class: "lab-plot lab-plot--square", "data-testid": "clf-plot", role: "img", "aria-label": "Data points over the decision regions" }));
  const curve = box.appendChild(svgElement("svg", { class: "lab-plot", "data-testid": "clf-loss", role: "img", "aria-label": "Training loss against step" }));
  drawLossPlot(curve, []);
  let controller = null;

  async function run() {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const total = Math.max(1, Math.min(5000, Math.round(Number(steps.value) || 200)));
    const base = {
      dataset: dataset.value,
      loss: loss.value,
      points: 300,
      seed: Math.max(0, Math.round(Number(seed.value) || 0)),
      reg: Math.max(0, Number(reg.value) || 0),
      learning_rate: Number(lr.value) > 0 ? Number(lr.value) : 1,
      batch_size: batch.value ? Number(batch.value) : null,
      grid: 60,
    };
    let points = null;
    let W = null;
    let b = null;
    const losses = [];
    progress.max = total;
    progress.value = 0;
    train.disabled = true;
    try {
      for (let done = 0; done < total; ) {
        if (mine.signal.aborted) break;
        const chunk = Math.min(CHUNK_STEPS, total - done);
        const answer = await fetchClassifier({ ...base, steps: chunk, start_step: done, W, b, include_data: points === null }, mine.signal);
        points = points ?? answer.points;
        ({ W, b } = answer);
        losses.push(...answer.loss_curve);
        done += answer.loss_curve.length;
        progress.value = done;
        drawClassifier(picture, points, answer.grid);
        drawLossPlot(curve, [{ label: "batch loss", points: toPoints(losses), divergedAt: answer.diverged_at, index: 1 }], { maxStep: total });
        out.textContent = `Step ${done} of ${total} · training accuracy ${(answer.accuracy * 100).toFixed(1)}% · loss ${formatNumber(decodeNumber(answer.loss))}`;
        if (answer.diverged_at !== null) {
          out.textContent += ` · diverged at step ${answer.diverged_at}`;
          break;
        }
        if (answer.loss_curve.length < chunk) break; // the server's time budget ran out
      }
      if (mine.signal.aborted) out.textContent += " · stopped";
    } catch (error) {
      if (error?.name !== "AbortError") out.textContent = `Training failed: ${message(error)}`;
      else out.textContent += " · stopped";
    } finally {
      train.disabled = false;
      if (controller === mine) controller = null;
    }
  }

  train.addEventListener("click", run);
  stop.addEventListener("click", () => controller?.abort());
}
