/**
 * Wiring only: connects the state, the API, the layout engine, the diagram and the controls.
 * @module main
 */

import { ApiError, fetchExamples, fetchExport, fetchGraph } from "./api.js";
import {
  bindStepKeys,
  downloadBlob,
  renderError,
  renderExamples,
  renderInputs,
  renderStepper,
  renderWarnings,
} from "./controls.js";
import { createDiagram } from "./diagram.js";
import { mountLab } from "./lab.js";
import { createLayoutEngine } from "./layout-client.js";
import { guessInputNames } from "./names.js";
import { SPEEDS, decodeUrlState, encodeUrlState, getState, subscribe, update } from "./state.js";
import { buildSchedule, clampPosition, sameStructure } from "./stepper.js";

/** Wait this long after the last keystroke before re-evaluating. */
const TYPING_DELAY_MS = 350;
/** A new variable starts at this value until the learner types one. */
const NEW_INPUT_VALUE = 1;
/** Coalesce URL updates (browsers throttle history.replaceState). */
const URL_DELAY_MS = 150;

const byId = (id) => /** @type {any} */ (document.getElementById(id));

function start() {
  const ui = {
    app: byId("app"),
    expression: byId("expression"),
    error: byId("error"),
    inputs: byId("inputs"),
    examples: byId("examples"),
    lesson: byId("lesson"),
    expand: byId("expand"),
    svg: document.querySelector('[data-testid="diagram"]'),
    wrap: document.querySelector(".diagram-wrap"),
    tooltip: byId("tooltip"),
    busy: byId("busy"),
    notice: byId("notice"),
    warnings: byId("warnings"),
    speed: byId("speed"),
    labToggle: byId("lab-toggle"),
    lab: byId("lab"),
    stepper: {
      first: byId("first"),
      prev: byId("prev"),
      play: byId("play"),
      next: byId("next"),
      last: byId("last"),
      progress: byId("progress"),
      fill: byId("progress-fill"),
      split: byId("progress-split"),
      label: byId("progress-label"),
      explanation: byId("explanation"),
    },
  };
  const diagram = createDiagram(ui.svg, ui.tooltip);
  // Graphviz compiled to WebAssembly, in a worker; it loads while the first request is in flight.
  const layoutEngine = createLayoutEngine();
  const timers = { typing: 0, url: 0, play: 0 };
  let inflight = null; // the request whose answer we still want
  let revision = 0;
  /** The built-in examples, once loaded (their dimension hints label the inputs). */
  let examples = [];
  /** The shapes the chosen example expects of its tensor inputs, by name. */
  const hintsFor = (expression) => examples.find((item) => item.expression === expression.trim())?.hints ?? {};

  // ------------------------------------------------------------ evaluating

  /**
   * Ask the API for the circuit of the current expression and draw it.
   * @param {{position?: number}} [options]  a step to show (from a link or an example)
   */
  async function evaluate(options = {}) {
    clearTimeout(timers.typing);
    const s = getState();
    const expression = s.expression;
    if (!expression.trim()) {
      update({ error: { type: "ParseError", message: "Type an expression, e.g. (x+y)*z", position: null, source: "" }, status: "error" });
      return;
    }
    const values = {};
    for (const name of guessInputNames(expression)) values[name] = s.values[name] ?? NEW_INPUT_VALUE;
    const body = { expression, values, expand: s.expand };
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
      let layout = sameStructure(current.result, result) && current.layout ? current.layout : null;
      if (!layout) {
        ui.busy.hidden = result.nodes.length < 200;
        layout = await layoutEngine.layout(result.dot, controller.signal);
      }
      if (controller.signal.aborted) return;
      const laidOut = performance.now();
      show(result, layout, body, options.position);
      // The parts of Enter -> drawn, for bench/page.py.
      performance.measure("cg:fetch", { start: started, end: fetched });
      performance.measure("cg:layout", { start: fetched, end: laidOut });
      performance.measure("cg:draw", { start: laidOut, end: performance.now() });
    } catch (error) {
      if (controller.signal.aborted || error?.name === "AbortError") return;
      let detail;
      if (error instanceof ApiError) detail = error.detail;
      else if (error instanceof TypeError) detail = { type: "NetworkError", message: `Could not reach the server (${error.message}).`, position: null };
      else detail = { type: "LayoutError", message: `Could not lay the circuit out: ${error?.message ?? error}`, position: null };
      update({ error: { ...detail, source: expression }, status: "error" });
    } finally {
      if (inflight === controller) {
        inflight = null;
        ui.busy.hidden = true;
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
    ui.svg.dataset.revision = String(revision);
    update({ result, schedule, layout, values, position, error: null, status: "ready" });
    markDrawn();
  }

  // ------------------------------------------------------------ stepping

  function goTo(target) {
    const s = getState();
    if (!s.schedule) return;
    const to = clampPosition(target, s.schedule.count);
    if (to === s.position) return;
    performance.mark("cg:step-start");
    diagram.step(s.schedule, s.position, to);
    update({ position: to });
    performance.mark("cg:step-end");
    performance.measure("cg:step", "cg:step-start", "cg:step-end");
    afterNextFrame((frameStart) => {
      performance.mark("cg:step-frame");
      performance.measure("cg:step-to-frame", "cg:step-start", "cg:step-frame");
      // The browser's own work for that frame: style, layout, paint of what the step changed.
      performance.measure("cg:step-render", { start: frameStart, end: performance.now() });
    });
  }

  const stepBy = (delta) => {
    stopPlaying();
    goTo(getState().position + delta);
  };
  const actions = {
    next: () => stepBy(1),
    prev: () => stepBy(-1),
    first: () => {
      stopPlaying();
      goTo(0);
    },
    last: () => {
      stopPlaying();
      goTo(Number.MAX_SAFE_INTEGER);
    },
    toggle: () => (getState().playing ? stopPlaying() : startPlaying()),
  };

  function startPlaying() {
    const s = getState();
    if (!s.schedule || s.schedule.count === 0) return;
    if (s.position >= s.schedule.count) goTo(0);
    update({ playing: true });
    scheduleTick();
  }

  function scheduleTick() {
    clearTimeout(timers.play);
    timers.play = setTimeout(() => {
      const s = getState();
      if (!s.playing || !s.schedule) return;
      goTo(s.position + 1);
      if (getState().position >= s.schedule.count) stopPlaying();
      else scheduleTick();
    }, 1000 / getState().speed);
  }

  function stopPlaying() {
    clearTimeout(timers.play);
    update({ playing: false });
  }

  // ------------------------------------------------------------ rendering from the state

  subscribe((s, changed) => {
    ui.app.dataset.status = s.status;
    if (changed.has("error")) {
      renderError(ui.error, s.error, s.error?.source ?? s.expression);
      ui.wrap.classList.toggle("is-stale", Boolean(s.error));
      ui.expression.toggleAttribute("aria-invalid", Boolean(s.error));
    }
    if (changed.has("result") || changed.has("values") || (!s.result && changed.has("error"))) {
      // The circuit's inputs; before there is one (say, a first expression with an error), a guess.
      const names = s.result
        ? s.result.nodes.filter((n) => n.op === "input").map((n) => n.name ?? n.label)
        : guessInputNames(s.expression);
      renderInputs(ui.inputs, names, s.values, inputHandlers, hintsFor(s.expression));
    }
    if (changed.has("lab")) renderLab(s.lab);
    if (changed.has("result")) renderWarnings(ui.warnings, s.result?.warnings ?? []);
    if (["position", "schedule", "playing", "result"].some((key) => changed.has(key))) {
      renderStepper(ui.stepper, s.schedule, s.position, s.playing, s.result);
      ui.svg.dataset.position = String(s.position);
    }
    if (changed.has("show")) ui.svg.dataset.show = s.show;
    if (["expression", "values", "expand", "position", "show", "speed", "lab"].some((key) => changed.has(key))) scheduleUrl();
  });

  function scheduleUrl() {
    clearTimeout(timers.url);
    timers.url = setTimeout(() => {
      const next = encodeUrlState(getState());
      if (next !== location.search) history.replaceState(null, "", next);
    }, URL_DELAY_MS);
  }

  const inputHandlers = {
    onInput(name, value) {
      update({ values: { ...getState().values, [name]: value } });
      clearTimeout(timers.typing);
      timers.typing = setTimeout(() => evaluate(), TYPING_DELAY_MS);
    },
    onCommit(name, value) {
      update({ values: { ...getState().values, [name]: value } });
      evaluate();
    },
  };

  // ------------------------------------------------------------ the learner's input

  ui.expression.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      performance.clearMarks("cg:enter");
      performance.mark("cg:enter");
      update({ expression: ui.expression.value });
      evaluate().then(() => {
        // After Enter (not while typing), put the text caret where the error is.
        const { error } = getState();
        if (error && Number.isInteger(error.position) && document.activeElement === ui.expression) {
          ui.expression.setSelectionRange(error.position, error.position);
        }
      });
    }
  });
  ui.expression.addEventListener("input", () => {
    update({ expression: ui.expression.value });
    clearTimeout(timers.typing);
    timers.typing = setTimeout(() => evaluate(), TYPING_DELAY_MS);
  });

  ui.expand.addEventListener("change", () => {
    update({ expand: ui.expand.checked });
    evaluate();
  });
  for (const radio of document.querySelectorAll('input[name="show"]')) {
    radio.addEventListener("change", () => update({ show: radio.value }));
  }

  for (const speed of SPEEDS) {
    const option = ui.speed.appendChild(document.createElement("option"));
    option.value = String(speed);
    option.textContent = `${speed}×/s`;
  }
  ui.speed.addEventListener("change", () => {
    update({ speed: Number(ui.speed.value) });
    if (getState().playing) scheduleTick();
  });

  ui.stepper.first.addEventListener("click", actions.first);
  ui.stepper.prev.addEventListener("click", actions.prev);
  ui.stepper.next.addEventListener("click", actions.next);
  ui.stepper.last.addEventListener("click", actions.last);
  ui.stepper.play.addEventListener("click", actions.toggle);
  bindStepKeys(actions);

  byId("zoom-in").addEventListener("click", () => diagram.zoomBy(1.25));
  byId("zoom-out").addEventListener("click", () => diagram.zoomBy(1 / 1.25));
  byId("zoom-fit").addEventListener("click", () => diagram.fit(true));

  ui.examples.addEventListener("change", () => {
    const example = examples.find((item) => item.id === ui.examples.value);
    if (!example) return;
    stopPlaying();
    ui.expression.value = example.expression;
    ui.expand.checked = Boolean(example.expand);
    ui.lesson.textContent = example.lesson ?? "";
    ui.lesson.hidden = !example.lesson;
    update({ expression: example.expression, values: { ...example.values }, expand: Boolean(example.expand) });
    evaluate({ position: 0 });
  });
  fetchExamples()
    .then((list) => {
      examples = list;
      renderExamples(ui.examples, list);
      const s = getState();
      if (s.result) renderInputs(ui.inputs, s.result.nodes.filter((n) => n.op === "input").map((n) => n.name ?? n.label), s.values, inputHandlers, hintsFor(s.expression));
    })
    .catch(() => notice("The examples could not be loaded."));

  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      const format = button.dataset.export;
      const s = getState();
      const body = { expression: s.expression, values: s.values, expand: s.expand };
      try {
        downloadBlob(await fetchExport(format, body), `circuit.${format}`);
        notice(`Downloaded circuit.${format}`);
      } catch (error) {
        notice(`Export failed: ${error?.message ?? error}`);
      }
    });
  }
  byId("copy-link").addEventListener("click", async () => {
    history.replaceState(null, "", encodeUrlState(getState()));
    try {
      await navigator.clipboard.writeText(location.href);
      notice("Link copied: it reopens this expression, these values and this step.");
    } catch {
      notice("Copy the address bar to share this view.");
    }
  });

  function notice(text) {
    ui.notice.textContent = text;
  }

  // ------------------------------------------------------------ the optimization lab

  /** Open or close the lab; closed, the circuit has the whole width. */
  function renderLab(open) {
    ui.lab.hidden = !open;
    ui.labToggle.setAttribute("aria-expanded", String(open));
  }
  ui.labToggle.addEventListener("click", () => {
    const open = !getState().lab;
    update({ lab: open });
    // On a phone the lab opens below the circuit, out of sight: bring it into view.
    if (open && matchMedia("(max-width: 760px)").matches) ui.lab.scrollIntoView({ block: "start" });
  });

  // The circuit's box changes with the window and when the lab opens or closes: fit it again.
  let fittedSize = "";
  new ResizeObserver(([entry]) => {
    const size = `${Math.round(entry.contentRect.width)}x${Math.round(entry.contentRect.height)}`;
    if (size === fittedSize) return;
    fittedSize = size;
    if (diagram.hasDrawing()) diagram.fit(false, getState().result?.nodes[0]?.id);
  }).observe(ui.wrap);

  // ------------------------------------------------------------ first load

  const fromUrl = decodeUrlState(location.search);
  update({ ...fromUrl, position: 0 });
  const s = getState();
  ui.expression.value = s.expression;
  ui.expand.checked = s.expand;
  ui.speed.value = String(s.speed);
  renderLab(s.lab);
  ui.svg.dataset.show = s.show;
  for (const radio of document.querySelectorAll('input[name="show"]')) radio.checked = radio.value === s.show;
  renderStepper(ui.stepper, null, 0, false, null);
  mountLab({ evaluate: () => evaluate(), showAll: actions.last });
  evaluate({ position: fromUrl.position ?? 0 });
}

/** Record how long from Enter (if any) to the drawn circuit, and to the next painted frame. */
function markDrawn() {
  performance.mark("cg:drawn");
  const hasEnter = performance.getEntriesByName("cg:enter", "mark").length > 0;
  if (hasEnter) performance.measure("cg:enter-to-circuit", "cg:enter", "cg:drawn");
  afterNextFrame(() => {
    performance.mark("cg:painted");
    if (hasEnter) {
      performance.measure("cg:enter-to-paint", "cg:enter", "cg:painted");
      performance.clearMarks("cg:enter");
    }
  });
}

/**
 * Run after the browser has rendered the next frame; the callback gets the time that frame
 * started (its requestAnimationFrame callback).
 * @param {(frameStart: number) => void} callback
 */
function afterNextFrame(callback) {
  requestAnimationFrame(() => {
    const frameStart = performance.now();
    setTimeout(() => callback(frameStart), 0);
  });
}

start();
