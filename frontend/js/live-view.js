/**
 * Live inputs on the page: a slider beside each scalar input's field, the arrow keys on the
 * slider and the field (Shift: ten times as far), and an input's name on the diagram dragged
 * left or right. Values and gradients follow as the input moves: each move asks for the
 * numbers only (no layout: the drawing stays), at most one request in flight, the latest
 * value winning (scrub.js). When the move ends, one ordinary evaluation lays the circuit out
 * again if its labels grew.
 *
 * Performance marks for bench/page.py: `cg:scrub-input` per value, `cg:scrub` from a value
 * to its numbers drawn, `cg:scrub-to-frame` to the frame that shows them.
 * @module live-view
 */

import { formatNumber } from "./format.js";
import { t } from "./i18n.js";
import { afterNextFrame } from "./perf-marks.js";
import { createCoalescer, dragValue, keyValue, sliderRange } from "./scrub.js";
import { getState, subscribe, update } from "./state.js";
import { htmlElement, svgElement } from "./svg.js";

/** After the arrow keys stop this long, the circuit is laid out again if it needs to be. */
const SETTLE_MS = 400;
/** A press on an input's name moves less than this (pixels) before it counts as a drag. */
const DRAG_THRESHOLD = 3;

/**
 * @param {{svg: SVGSVGElement, evaluate: (options?: {numbersOnly?: boolean}) => Promise<unknown>}} parts
 * @returns {{onRow: (row: HTMLElement, name: string, value: any) => void}}  the Inputs
 *   panel's hook for each row it builds
 */
export function mountLive({ svg, evaluate }) {
  let lastInput = 0; // when the latest value was set: the start of what a round measures
  let settleTimer = 0;
  let drag = null; // {id, x, name, start, range, moved, gate} while an input's name is dragged

  const rounds = createCoalescer(async () => {
    const sentAt = lastInput;
    await evaluate({ numbersOnly: true });
    performance.measure("cg:scrub", { start: sentAt, end: performance.now() });
    afterNextFrame(() => performance.measure("cg:scrub-to-frame", { start: sentAt, end: performance.now() }));
  });

  /** Set an input to `value` while it moves; the numbers follow. */
  function scrub(name, value) {
    const s = getState();
    if (!Number.isFinite(value) || s.values[name] === value) return;
    const fieldErrors = { ...s.fieldErrors };
    delete fieldErrors[name]; // a value set by a slider is a good one
    update({
      values: { ...s.values, [name]: value },
      edited: [name, ...s.edited.filter((other) => other !== name)],
      fieldErrors,
      nudge: { ...s.nudge, input: name }, // the nudge readout follows the input that moves
    });
    lastInput = performance.now();
    performance.mark("cg:scrub-input");
    rounds.request();
  }

  /** The move ended: once the numbers are in, lay out again if the labels grew. */
  function settle() {
    clearTimeout(settleTimer);
    rounds.idle().then(() => evaluate());
  }

  const settleSoon = () => {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(settle, SETTLE_MS);
  };

  /** Arrow keys on a slider or a field: one step (Shift: ten). */
  function stepByKey(event, name, range) {
    const value = getState().values[name];
    if (typeof value !== "number" || event.altKey || event.ctrlKey || event.metaKey) return;
    const next = keyValue(value, event.key, event.shiftKey, range());
    if (next === null) return;
    event.preventDefault();
    scrub(name, next);
    settleSoon();
    // The Inputs panel leaves the focused field alone: that is this one, if a field.
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.type === "text") target.value = String(next);
  }

  function onRow(row, name, value) {
    if (typeof value !== "number") return;
    const range = sliderRange(value);
    const slider = /** @type {HTMLInputElement} */ (htmlElement("input", {
      type: "range",
      class: "input-row__slider",
      "data-slider": name,
      "data-testid": `slider-${name}`,
      "aria-label": t("live.slider", { name }),
      title: t("live.scrub_title", { name }),
    }));
    setRange(slider, range, value);
    const rangeOf = () => readRange(slider);
    slider.addEventListener("input", () => scrub(name, Number(slider.value)));
    slider.addEventListener("change", settle);
    slider.addEventListener("keydown", (event) => {
      if (event.key.startsWith("Arrow")) stepByKey(event, name, rangeOf);
    });
    const field = row.querySelector(".input-row__field");
    field?.addEventListener("keydown", (event) => {
      // Up and Down step the number; Left and Right still move the caret.
      if ((event.key === "ArrowUp" || event.key === "ArrowDown") && field.getAttribute("aria-invalid") === null) {
        stepByKey(event, name, rangeOf);
      }
    });
    row.classList.add("input-row--live");
    row.appendChild(slider);
  }

  // The sliders follow the values (typed, dragged on the diagram, set by an example).
  subscribe((s, changed) => {
    if (changed.has("values")) {
      for (const slider of document.querySelectorAll("[data-slider]")) syncSlider(/** @type {HTMLInputElement} */ (slider), s.values);
    }
    if (changed.has("result") || changed.has("lang")) markDraggable(svg, s);
  });

  // Dragging an input's name on the diagram (before the pan handler sees the press).
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    const gate = /** @type {SVGGElement | null} */ (/** @type {Element} */ (event.target).closest?.(".gate--scrub"));
    const name = gate?.dataset.name;
    const value = name === undefined ? undefined : getState().values[name];
    if (!gate || name === undefined || typeof value !== "number") return;
    event.stopPropagation();
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    drag = { id: event.pointerId, x: event.clientX, name, start: value, range: sliderRange(value), moved: false, gate };
    gate.classList.add("is-scrubbing");
  }, { capture: true });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    event.stopPropagation();
    const dx = event.clientX - drag.x;
    if (!drag.moved && Math.abs(dx) < DRAG_THRESHOLD) return;
    drag.moved = true;
    scrub(drag.name, dragValue(drag.start, dx, event.shiftKey, drag.range));
  }, { capture: true });
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    event.stopPropagation();
    const { moved, name, gate } = drag;
    gate.classList.remove("is-scrubbing");
    drag = null;
    if (moved) settle();
    else /** @type {HTMLElement | null} */ (document.querySelector(`[data-slider="${CSS.escape(name)}"]`))?.focus(); // a click: its slider
  };
  svg.addEventListener("pointerup", endDrag, { capture: true });
  svg.addEventListener("pointercancel", endDrag, { capture: true });

  return { onRow };
}

function setRange(slider, range, value) {
  slider.min = String(range.min);
  slider.max = String(range.max);
  slider.step = String(range.fine);
  slider.dataset.key = String(range.key);
  slider.value = String(value);
  slider.setAttribute("aria-valuetext", formatNumber(value));
}

function readRange(slider) {
  return { min: Number(slider.min), max: Number(slider.max), key: Number(slider.dataset.key), fine: Number(slider.step) };
}

function syncSlider(slider, values) {
  const name = slider.dataset.slider ?? "";
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  if (typeof value !== "number") return;
  slider.setAttribute("aria-valuetext", formatNumber(value));
  if (slider === document.activeElement) return; // the learner is moving it
  const range = readRange(slider);
  if (value < range.min || value > range.max) setRange(slider, sliderRange(value), value);
  else slider.value = String(value);
}

/** Scalar inputs' names on the diagram can be dragged: a cursor and a tooltip say so. */
function markDraggable(svg, s) {
  for (const gate of svg.querySelectorAll('[data-op="input"]')) {
    const name = /** @type {SVGGElement} */ (gate).dataset.name ?? "";
    const scalar = typeof (Object.hasOwn(s.values, name) ? s.values[name] : undefined) === "number";
    gate.classList.toggle("gate--scrub", scalar);
    let title = gate.querySelector(":scope > title.gate__drag");
    if (scalar && !title) title = gate.appendChild(svgElement("title", { class: "gate__drag" }));
    if (title) title.textContent = scalar ? t("live.drag_title", { name }) : "";
  }
}
