/**
 * The lab's classifier: a linear model and a two-layer network trained by mini-batch
 * gradient descent through the circuit engine, their decision regions side by side on the
 * same data, and their loss curves on one plot. Long runs come in chunks sized to the
 * server's pace, so the regions grow while the learner watches, and Stop stops.
 * @module lab-classifier
 */

import { decodeNumber, formatNumber } from "./format.js";
import { t } from "./i18n.js";
import { fetchClassifier } from "./lab-api.js";
import { notesBox } from "./lab-notes.js";
import { classMarker, drawLossPlot, drawRegions, renderSeriesLegend, toPoints } from "./lab-plot.js";
import { nextChunk } from "./lab-scale.js";
import { button, errorText, fillSelect, labelled, numberInput, say, section, select, statusLine, worded } from "./lab-widgets.js";
import { htmlElement, svgElement } from "./svg.js";

/** The models, in the order their pictures stand (GET /api/meta lists what the server has). */
export const MODELS = ["linear", "two_layer"];
/** Limits until GET /api/meta tells the server's. */
const LIMITS = { max_optimize_steps: 1000, max_hidden_units: 100 };
/** Cells per side of the decision-region grid. */
const GRID = 60;
/** Steps of a first chunk; later ones follow the server's pace (lab-scale.js nextChunk). */
const FIRST_CHUNK = 50;

/**
 * Build the section.
 * @param {HTMLElement} root
 * @param {Promise<any>} meta  GET /api/meta: data sets, losses, models, limits
 * @returns {{relabel: () => void}}
 */
export function mountClassifier(root, meta) {
  const box = section(root, "lab.classifier", "classifier");
  box.classList.add("lab__section--wide");
  box.appendChild(worded("p", "lab.classifier_hint", { class: "lab__hint" }));
  const row1 = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const dataset = labelled(row1, "lab.data", select([["blobs", "lab.data_blobs"]], "clf-dataset"));
  const loss = labelled(row1, "lab.loss", select([["softmax", "lab.loss_softmax"]], "clf-loss"));
  const batch = labelled(row1, "lab.batch", select([["", "lab.batch_full"], ...["1", "32", "64", "128", "256"].map((n) => [n, n])], "clf-batch"));
  const model = labelled(row1, "lab.model", select([["both", "lab.model_both"], ...MODELS.map((name) => [name, `lab.model_${name}`])], "clf-model"));
  const row2 = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const hidden = labelled(row2, "lab.hidden", numberInput(100, "clf-hidden", { min: "1" }));
  const lr = labelled(row2, "lab.learning_rate", numberInput(1, "clf-lr", { step: "any", min: "0" }));
  const reg = labelled(row2, "lab.reg", numberInput(0.001, "clf-reg", { step: "any", min: "0" }));
  const steps = labelled(row2, "lab.steps", numberInput(200, "clf-steps", { min: "1" }));
  const seed = labelled(row2, "lab.seed", numberInput(0, "clf-seed", { min: "0" }));
  const buttons = box.appendChild(htmlElement("div", { class: "buttons" }));
  const trainButton = button(buttons, "lab.train", "clf-train");
  const stopButton = button(buttons, "lab.stop", "clf-stop");
  const progress = /** @type {HTMLProgressElement} */ (box.appendChild(htmlElement("progress", { max: "1", value: "0", class: "lab__progress", "data-testid": "clf-progress" })));
  const out = statusLine(box, "clf-status");
  const notes = notesBox(box, "clf-notes");

  const pair = box.appendChild(htmlElement("div", { class: "lab__pair" }));
  /** @type {Record<string, {figure: HTMLElement, caption: HTMLElement, accuracy: HTMLElement, svg: SVGSVGElement}>} */
  const views = {};
  for (const name of MODELS) {
    const figure = pair.appendChild(htmlElement("figure", { class: "lab__figure lab__model", "data-model": name }));
    const caption = figure.appendChild(htmlElement("figcaption", { class: "lab__caption" }));
    const accuracy = figure.appendChild(htmlElement("p", { class: "lab__accuracy", "data-testid": `clf-accuracy-${name}`, "aria-live": "polite" }));
    const svg = /** @type {SVGSVGElement} */ (figure.appendChild(svgElement("svg", { class: "lab-plot lab-plot--square", "data-testid": `clf-plot-${name}`, role: "img" })));
    views[name] = { figure, caption, accuracy, svg };
  }
  const classLegend = box.appendChild(htmlElement("ul", { class: "lab-legend lab-legend--classes", "data-testid": "clf-legend" }));
  const scaleRow = box.appendChild(htmlElement("div", { class: "lab__row lab__row--end" }));
  const scale = labelled(scaleRow, "lab.y_axis", select([["auto", "lab.scale_auto"], ["linear", "lab.scale_linear"], ["log", "lab.scale_log"]], "clf-scale"));
  const lossFigure = box.appendChild(htmlElement("figure", { class: "lab__figure" }));
  const curve = /** @type {SVGSVGElement} */ (lossFigure.appendChild(svgElement("svg", { class: "lab-plot", "data-testid": "clf-loss-plot", role: "img" })));
  const lossLegend = lossFigure.appendChild(htmlElement("ul", { class: "lab-legend", "data-testid": "clf-loss-legend" }));

  /**
   * Each model's run on the data set `data` (dataset, points, seed): the points, its latest
   * answer and its losses so far.
   * @type {{data: string, points: any, runs: Record<string, {answer: any, losses: any[], total: number, hidden: number} | undefined>}}
   */
  let picture = { data: "", points: null, runs: {} };
  let controller = /** @type {AbortController | null} */ (null);

  let limits = LIMITS;
  meta
    .then((answer) => {
      fillSelect(dataset, answer.datasets, "lab.data_");
      fillSelect(loss, answer.losses, "lab.loss_");
      limits = answer.limits;
      steps.max = String(limits.max_optimize_steps);
      hidden.max = String(limits.max_hidden_units);
    })
    .catch(() => {}); // the first choices still train; the server checks every request

  const syncModel = () => (hidden.disabled = model.value === "linear");
  model.addEventListener("change", syncModel);
  syncModel();

  function render() {
    for (const name of MODELS) {
      const view = views[name];
      const run = picture.runs[name];
      view.caption.textContent = name === "linear" ? t("lab.caption_linear") : t("lab.caption_two_layer", { hidden: run?.hidden ?? Number(hidden.value) });
      view.svg.setAttribute("aria-label", t("lab.regions_label", { model: view.caption.textContent }));
      if (picture.points) drawRegions(view.svg, picture.points, run?.answer.grid ?? null, { xLabel: t("lab.axis_x1"), yLabel: t("lab.axis_x2") });
      else view.svg.replaceChildren();
      say(view.accuracy, accuracyPhrases(run));
      view.accuracy.dataset.state = !run ? "empty" : run.answer.diverged_at !== null ? "diverged" : "trained";
      if (run) view.accuracy.dataset.accuracy = String(run.answer.accuracy);
      else delete view.accuracy.dataset.accuracy;
    }
    renderClassLegend(classLegend);
    const series = MODELS.filter((name) => picture.runs[name]).map((name) => {
      const run = picture.runs[name];
      const diverged = run.answer.diverged_at;
      return { label: t(`lab.model_${name}`), points: toPoints(run.losses), index: MODELS.indexOf(name), note: diverged !== null ? t("lab.note_diverged", { step: diverged }) : undefined };
    });
    // The steps asked for; a run that diverged ends the axis where it did, so that its blow-up
    // is a curve and not a spike against the axis.
    const ends = MODELS.map((name) => picture.runs[name]).filter(Boolean).map((run) => (run.answer.diverged_at !== null ? run.answer.diverged_at : run.total));
    const maxStep = Math.max(1, ...ends);
    const kind = drawLossPlot(curve, series, { maxStep, scale: /** @type {any} */ (scale.value), xLabel: t("lab.axis_step"), yLabel: t("lab.axis_batch_loss"), logLabel: t("lab.axis_log"), emptyText: t("lab.train_empty") });
    curve.setAttribute("aria-label", t("lab.training_loss_label"));
    scale.options[0].textContent = t("lab.scale_auto_is", { kind: t(`lab.scale_${kind}`) });
    renderSeriesLegend(lossLegend, series);
  }

  async function train() {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const total = Math.max(1, Math.min(limits.max_optimize_steps, Math.round(Number(steps.value) || 200)));
    const width = Math.max(1, Math.min(limits.max_hidden_units, Math.round(Number(hidden.value) || 100)));
    const base = {
      dataset: dataset.value,
      loss: loss.value,
      points: 300,
      seed: Math.max(0, Math.round(Number(seed.value) || 0)),
      reg: Math.max(0, Number(reg.value) || 0),
      learning_rate: Number(lr.value) > 0 ? Number(lr.value) : 1,
      batch_size: batch.value ? Number(batch.value) : null,
      grid: GRID,
    };
    const data = JSON.stringify([base.dataset, base.points, base.seed]);
    if (data !== picture.data) picture = { data, points: null, runs: {} };
    const chosen = model.value === "both" ? MODELS : [model.value];
    /** Per model: its next request's parameters, steps done, chunk size, whether it is over. */
    const work = chosen.map((name) => ({ name, params: null, done: 0, chunk: FIRST_CHUNK, over: false }));
    for (const name of chosen) picture.runs[name] = undefined;
    progress.max = total * chosen.length;
    progress.value = 0;
    trainButton.disabled = true;
    say(out, [["lab.training"]]);
    notes.clear();
    /** Every answer of this run, whose warnings show under it. */
    const answers = [];
    render();
    try {
      // Round-robin, a chunk at a time, so both pictures grow together.
      while (work.some((w) => !w.over) && !mine.signal.aborted) {
        for (const w of work.filter((item) => !item.over)) {
          const steps_ = Math.min(w.chunk, total - w.done);
          const began = performance.now();
          const answer = await fetchClassifier({ ...base, model: w.name, hidden: width, steps: steps_, start_step: w.done, params: w.params, include_data: picture.points === null }, mine.signal);
          w.chunk = nextChunk(steps_, performance.now() - began);
          picture.points = picture.points ?? answer.points;
          w.params = answer.params;
          answers.push(answer);
          notes.show(answers);
          const run = picture.runs[w.name] ?? { answer, losses: [], total, hidden: width };
          run.answer = answer;
          run.losses.push(...answer.loss_curve);
          picture.runs[w.name] = run;
          w.done += answer.loss_curve.length;
          w.over = w.done >= total || answer.diverged_at !== null || answer.loss_curve.length === 0;
          progress.value = work.reduce((sum, item) => sum + (item.over ? total : item.done), 0);
          render();
        }
      }
      say(out, [[mine.signal.aborted ? "lab.stopped" : "lab.trained"]]);
    } catch (error) {
      say(out, error?.name === "AbortError" ? [["lab.stopped"]] : [["lab.training_failed", { message: errorText(error) }]]);
    } finally {
      trainButton.disabled = false;
      if (controller === mine) controller = null;
      box.dataset.state = "idle";
    }
  }

  function accuracyPhrases(run) {
    if (!run) return [["lab.not_trained"]];
    const answer = run.answer;
    if (answer.diverged_at !== null) return [["lab.clf_diverged", { step: answer.diverged_at }]];
    const done = run.losses.length;
    return [["lab.step_of", { step: done, last: run.total }], ["lab.accuracy", { accuracy: (answer.accuracy * 100).toFixed(1) }], ["lab.loss_is", { loss: formatNumber(decodeNumber(answer.loss)) }]];
  }

  trainButton.addEventListener("click", () => {
    box.dataset.state = "training";
    train();
  });
  stopButton.addEventListener("click", () => controller?.abort());
  scale.addEventListener("change", render);
  hidden.addEventListener("change", render);
  render();
  return { relabel: render };
}

/** The classes' key: each class's marker (shape and colour) and the decision border. */
function renderClassLegend(list) {
  list.replaceChildren();
  for (const cls of [0, 1, 2]) {
    const li = list.appendChild(htmlElement("li"));
    const swatch = li.appendChild(svgElement("svg", { class: "lab-legend__swatch lab-legend__swatch--marker", viewBox: "0 0 12 12", "aria-hidden": "true" }));
    swatch.appendChild(classMarker(cls, 6, 6, 4.2));
    li.appendChild(document.createTextNode(t("lab.class_n", { n: cls })));
  }
  const li = list.appendChild(htmlElement("li"));
  const swatch = li.appendChild(svgElement("svg", { class: "lab-legend__swatch", viewBox: "0 0 28 10", "aria-hidden": "true" }));
  swatch.appendChild(svgElement("line", { class: "lab-border", x1: 1, y1: 5, x2: 27, y2: 5 }));
  li.appendChild(document.createTextNode(t("lab.border")));
}
