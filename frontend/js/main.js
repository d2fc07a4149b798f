/**
 * Wiring only: finds the page's elements and connects the state, the API, the layout
 * engine, the diagram, the views and the controllers. Each concern lives in its own module.
 * @module main
 */

import { fetchExamples, fetchMeta } from "./api.js";
import { codeText, highlightCode, renderCode } from "./code-panel.js";
import { createDiagram } from "./diagram.js";
import { renderError } from "./error-view.js";
import { createEvaluator } from "./evaluation.js";
import { renderExamples, renderLesson } from "./examples-view.js";
import { LANGUAGES, isLang, preferredLang, setLang, t, translateStatic } from "./i18n.js";
import { bindGateFocus } from "./gate-focus.js";
import { errorText, renderInputs } from "./inputs-view.js";
import { mountLab } from "./lab.js";
import { bindLabToggle, renderLab } from "./lab-toggle.js";
import { createLayoutEngine } from "./layout-client.js";
import { mountLive } from "./live-view.js";
import { guessInputNames, reservedNames } from "./names.js";
import { mountNudge } from "./nudge-view.js";
import { markEnter } from "./perf-marks.js";
import { createPlayback } from "./playback.js";
import { hiddenValues } from "./practice.js";
import { mountPractice } from "./practice-view.js";
import { bindShareExport } from "./share-export.js";
import { SPEEDS, decodeUrlState, getState, isStale, subscribe, update } from "./state.js";
import { activeAt } from "./stepper.js";
import { renderPreview } from "./step-panel.js";
import { bindStepKeys, renderStepper } from "./stepper-view.js";
import { htmlElement } from "./svg.js";
import { URL_FIELDS, createUrlSync } from "./url-sync.js";
import { renderWarnings } from "./warnings-view.js";

/** Wait this long after the last keystroke before re-evaluating. */
const TYPING_DELAY_MS = 350;

const byId = (id) => /** @type {any} */ (document.getElementById(id));

/** The page's elements, found once. */
function findElements() {
  return {
    app: byId("app"),
    expression: byId("expression"),
    error: byId("error"),
    preview: byId("expression-preview"),
    inputs: byId("inputs"),
    examples: byId("examples"),
    lesson: byId("lesson"),
    expand: byId("expand"),
    lang: byId("lang"),
    svg: /** @type {SVGSVGElement} */ (document.querySelector('[data-testid="diagram"]')),
    wrap: /** @type {HTMLElement} */ (document.querySelector(".diagram-wrap")),
    tooltip: byId("tooltip"),
    stale: byId("stale"),
    busy: byId("busy"),
    notice: byId("notice"),
    warnings: byId("warnings"),
    speed: byId("speed"),
    labToggle: byId("lab-toggle"),
    lab: byId("lab"),
    copyLink: byId("copy-link"),
    exportButtons: /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll("[data-export]")),
    showRadios: /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="show"]')),
    zoom: { in: byId("zoom-in"), out: byId("zoom-out"), fit: byId("zoom-fit") },
    code: { panel: byId("code-panel"), lines: byId("code"), copy: byId("code-copy"), status: byId("code-status") },
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
}

function start() {
  const ui = findElements();
  const diagram = createDiagram(ui.svg, ui.tooltip);
  // Reads the positions the server's layout wrote into the DOT.
  const layoutEngine = createLayoutEngine();
  // The lists the page shares with the server; until they come, no name is reserved.
  const meta = fetchMeta();
  let reserved = new Set();
  const { evaluate } = createEvaluator({ diagram, layoutEngine, svg: ui.svg, busy: ui.busy });
  const playback = createPlayback(diagram);
  const scheduleUrl = createUrlSync();
  let typingTimer = 0;
  const evaluateNow = (options) => {
    clearTimeout(typingTimer);
    return evaluate(options);
  };
  const evaluateSoon = () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => evaluate(), TYPING_DELAY_MS);
  };
  /** The built-in examples in the page's language, once loaded. */
  let examples = [];
  // The inputs as the server listed them; before its first answer, a guess from the text.
  const inputNames = (s) => (s.inputs.length || s.result ? s.inputs.map((input) => input.name) : guessInputNames(s.expression, reserved));
  const notice = (text) => {
    ui.notice.textContent = text;
  };

  const edited = (name, value) => ({
    values: { ...getState().values, [name]: value },
    edited: [name, ...getState().edited.filter((other) => other !== name)],
  });
  // Live inputs: sliders beside scalar fields, dragging an input's name on the diagram.
  const live = mountLive({ svg: ui.svg, evaluate: (options) => evaluateNow(options) });
  /** @type {import("./inputs-view.js").InputHandlers} */
  const inputHandlers = {
    onRow: live.onRow,
    onInput(name, value) {
      update(edited(name, value));
      evaluateSoon();
    },
    onCommit(name, value) {
      update(edited(name, value));
      evaluateNow();
    },
    onInvalid(name, error) {
      const errors = { ...getState().fieldErrors };
      if (error) errors[name] = error;
      else delete errors[name];
      update({ fieldErrors: errors });
      if (error) playback.stop();
    },
    onApplyHint(name, suggestion) {
      // `w0x0` -> `w0*x0` wherever the name stands alone in the expression.
      const pattern = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, "g");
      const expression = getState().expression.replace(pattern, suggestion);
      ui.expression.value = expression;
      update({ expression });
      evaluateNow();
    },
  };
  const renderInputsNow = (s) => {
    renderInputs(ui.inputs, {
      names: inputNames(s),
      specs: Object.fromEntries(s.inputs.map((input) => [input.name, input])),
      values: s.values,
      errors: s.fieldErrors,
      lang: s.lang,
    }, inputHandlers);
  };

  // ------------------------------------------------------------ rendering from the state

  subscribe((s, changed) => {
    ui.app.dataset.status = s.status;
    if (changed.has("lang")) renderLanguage(s.lang);
    const stale = isStale(s);
    if (changed.has("error")) {
      renderError(ui.error, s.error, s.error?.source ?? s.expression);
      ui.expression.toggleAttribute("aria-invalid", Boolean(s.error));
    }
    if (["error", "fieldErrors", "result", "lang"].some((key) => changed.has(key))) renderStale(s, stale);
    if (["result", "values", "inputs", "fieldErrors", "lang"].some((key) => changed.has(key)) || (!s.result && changed.has("error"))) {
      renderInputsNow(s);
    }
    if (changed.has("lab")) renderLab(ui, s.lab);
    if (changed.has("result")) {
      // A hint about an input (w0x0: did you mean w0*x0?) shows beside that input instead.
      const besideInputs = new Set((s.result?.hints ?? []).map((hint) => hint.message));
      renderWarnings(ui.warnings, (s.result?.warnings ?? []).filter((text) => !besideInputs.has(text)));
    }
    if (changed.has("result")) renderPreview(ui.preview, s.result);
    if (["position", "schedule", "playing", "result", "lang", "error", "fieldErrors"].some((key) => changed.has(key))) {
      // An out-of-date circuit is not steppable: the stepper is off until it is redrawn.
      renderStepper(ui.stepper, stale ? null : s.schedule, s.position, s.playing, s.result);
      ui.svg.dataset.position = String(s.position);
    }
    if (changed.has("result") || changed.has("code")) renderCode(ui.code.lines, s.code ? s.result?.code : undefined);
    if (["result", "code", "position", "schedule"].some((key) => changed.has(key)) && s.code && s.schedule) {
      highlightCode(ui.code.lines, s.result?.code, activeAt(s.schedule, s.position).step ?? null);
    }
    if (changed.has("show")) ui.svg.dataset.show = s.show;
    // (An out-of-date circuit's link has no step: going stale rewrites the URL too.)
    if ([...URL_FIELDS, "error", "fieldErrors"].some((key) => changed.has(key))) scheduleUrl();
  });

  /** The note over an out-of-date circuit: what to fix before it can be stepped again. */
  function renderStale(s, stale) {
    ui.wrap.classList.toggle("is-stale", stale && Boolean(s.result));
    ui.stepper.explanation.classList.toggle("is-stale", stale);
    const [name, error] = Object.entries(s.fieldErrors)[0] ?? [];
    ui.stale.hidden = !stale || !s.result;
    ui.stale.textContent = name ? `${t("inputs.stale_value", { name })} ${errorText(name, error)}` : t("inputs.stale_expression");
    if (stale && s.playing) playback.stop();
  }

  /** Words in a new language: the static page, the speed menu, the examples, the steps. */
  let shownLang = "";
  function renderLanguage(lang) {
    if (lang === shownLang) return;
    shownLang = lang;
    document.documentElement.lang = lang;
    translateStatic(document);
    ui.lang.value = lang;
    for (const option of ui.speed.options) option.textContent = t("core.speed_option", { speed: option.value });
    loadExamples();
  }

  // ------------------------------------------------------------ the learner's input

  ui.expression.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      markEnter();
      update({ expression: ui.expression.value });
      evaluateNow().then(() => {
        const s = getState();
        if (document.activeElement !== ui.expression) return;
        if (s.error) {
          // After Enter (not while typing), put the text caret where the error is.
          if (Number.isInteger(s.error.position)) ui.expression.setSelectionRange(s.error.position, s.error.position);
        } else if (!isStale(s) && s.result) {
          // Enter means "show me": the stepping keys (← → Space Home End) now step the
          // circuit, whose box takes the focus; Escape or a click brings the editor back.
          ui.svg.focus({ preventScroll: true });
        }
      });
    }
  });
  ui.expression.addEventListener("input", () => {
    update({ expression: ui.expression.value });
    evaluateSoon();
  });
  ui.expand.addEventListener("change", () => {
    update({ expand: ui.expand.checked });
    evaluateNow();
  });
  for (const radio of ui.showRadios) radio.addEventListener("change", () => update({ show: radio.value }));

  for (const { code, name } of LANGUAGES) ui.lang.appendChild(htmlElement("option", { value: code, lang: code }, name));
  ui.lang.addEventListener("change", () => {
    setLang(ui.lang.value);
    evaluateNow(); // the step texts and messages come from the server in the new language
  });

  for (const speed of SPEEDS) ui.speed.appendChild(htmlElement("option", { value: String(speed) }, t("core.speed_option", { speed })));
  ui.speed.addEventListener("change", () => {
    update({ speed: Number(ui.speed.value) });
    playback.speedChanged();
  });

  // Stepping does nothing while the circuit on show is out of date.
  const actions = Object.fromEntries(Object.entries(playback.actions).map(([key, action]) => [key, () => {
    if (!isStale(getState())) action();
  }]));
  ui.stepper.first.addEventListener("click", actions.first);
  ui.stepper.prev.addEventListener("click", actions.prev);
  ui.stepper.next.addEventListener("click", actions.next);
  ui.stepper.last.addEventListener("click", actions.last);
  ui.stepper.play.addEventListener("click", actions.toggle);
  bindStepKeys(/** @type {any} */ (actions));
  bindGateFocus(ui.svg, ui.tooltip, { onLeave: () => ui.expression.focus() });
  mountNudge(byId("nudge"));
  mountPractice({
    toggle: byId("practice-switch"),
    panel: byId("practice"),
    explanation: ui.stepper.explanation,
    code: ui.code.lines,
    next: ui.stepper.next,
    stage: byId("stage"),
    svg: ui.svg,
    app: ui.app,
    diagram,
    actions,
    stop: playback.stop,
  });

  ui.zoom.in.addEventListener("click", () => diagram.zoomBy(1.25));
  ui.zoom.out.addEventListener("click", () => diagram.zoomBy(1 / 1.25));
  ui.zoom.fit.addEventListener("click", () => diagram.fit(true));

  ui.examples.addEventListener("change", () => {
    const example = examples.find((item) => item.id === ui.examples.value);
    if (!example) return;
    playback.stop();
    ui.expression.value = example.expression;
    ui.expand.checked = Boolean(example.expand);
    renderLesson(ui.lesson, example);
    update({ expression: example.expression, values: { ...example.values }, expand: Boolean(example.expand), edited: [], fieldErrors: {} });
    evaluateNow({ position: 0 });
  });

  /** (Re)load the examples in the page's language; the chosen one keeps its lesson shown. */
  function loadExamples() {
    const lang = getState().lang;
    fetchExamples(lang)
      .then((list) => {
        if (getState().lang !== lang) return; // the language changed again meanwhile
        examples = list;
        renderExamples(ui.examples, list);
        if (!ui.lesson.hidden) renderLesson(ui.lesson, list.find((item) => item.id === ui.examples.value));
        renderInputsNow(getState());
      })
      .catch(() => notice(t("core.examples_failed")));
  }

  ui.code.panel.addEventListener("toggle", () => {
    update({ code: ui.code.panel.open });
    // The code comes with the circuit only when asked for: ask now if this answer has none.
    if (ui.code.panel.open && getState().result && !getState().result.code) {
      ui.code.status.textContent = t("code.loading");
      evaluateNow().then(() => {
        ui.code.status.textContent = "";
      });
    }
  });
  ui.code.copy.addEventListener("click", async () => {
    try {
      const s = getState(); // practice mode copies no value it still asks for
      await navigator.clipboard.writeText(codeText(s.result?.code ?? [], s.practice ? hiddenValues(s.quiz) : undefined));
      ui.code.status.textContent = t("code.copied");
    } catch {
      ui.code.status.textContent = t("code.copy_failed");
    }
  });

  bindShareExport({ copyLink: ui.copyLink, exportButtons: ui.exportButtons, notice });
  bindLabToggle(ui);

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
  const lang = isLang(fromUrl.lang) ? fromUrl.lang : preferredLang(navigator.languages);
  update({ ...fromUrl, lang, position: 0 });
  const s = getState();
  renderLanguage(s.lang);
  ui.expression.value = s.expression;
  ui.expand.checked = s.expand;
  ui.code.panel.open = s.code;
  ui.speed.value = String(s.speed);
  renderLab(ui, s.lab);
  ui.svg.dataset.show = s.show;
  for (const radio of ui.showRadios) radio.checked = radio.value === s.show;
  renderStepper(ui.stepper, null, 0, false, null);
  mountLab({ evaluate: () => evaluateNow(), showAll: actions.last, meta });
  // The first circuit waits for the reserved names, so that `exp` never gets a value field.
  meta
    .then((answer) => {
      reserved = reservedNames(answer);
    })
    .catch(() => {}) // the server judges the names anyway: its answer lists the real inputs
    .finally(() => evaluateNow({ position: fromUrl.position ?? 0 }));
}

start();
