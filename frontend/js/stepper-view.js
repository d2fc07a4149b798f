/**
 * The stepper's buttons, progress bar and explanation, and the stepping keys.
 * @module stepper-view
 */

import { t } from "./i18n.js";
import { renderExplanation } from "./step-panel.js";
import { progressAt } from "./stepper.js";
import { htmlElement } from "./svg.js";

/**
 * Buttons, progress bar and explanation for a step position.
 * @param {{prev: HTMLButtonElement, next: HTMLButtonElement, first: HTMLButtonElement, last: HTMLButtonElement, play: HTMLButtonElement, progress: HTMLElement, fill: HTMLElement, split: HTMLElement, label: HTMLElement, explanation: HTMLElement}} ui
 * @param {import("./stepper.js").Schedule | null} schedule
 * @param {number} position
 * @param {boolean} playing
 * @param {any} result
 */
export function renderStepper(ui, schedule, position, playing, result) {
  const count = schedule?.count ?? 0;
  const end = schedule?.limit ?? count; // in practice: the step whose question is open
  ui.first.disabled = !schedule || position <= 0;
  ui.prev.disabled = !schedule || position <= 0;
  ui.next.disabled = !schedule || position >= end;
  ui.last.disabled = !schedule || position >= end;
  ui.play.disabled = !schedule || count === 0;
  ui.play.textContent = t(playing ? "core.pause" : "core.play");
  ui.play.setAttribute("aria-pressed", String(playing));
  ui.play.setAttribute("aria-label", t(playing ? "core.pause_label" : "core.play_label"));
  if (!schedule) {
    ui.label.textContent = "";
    ui.fill.style.width = "0%";
    return;
  }
  const progress = progressAt(schedule, position);
  ui.fill.style.width = `${(progress.fraction * 100).toFixed(2)}%`;
  ui.fill.classList.toggle("is-backward", position > schedule.forwardCount);
  ui.split.style.left = `${(progress.split * 100).toFixed(2)}%`;
  ui.progress.setAttribute("aria-valuemax", String(count));
  ui.progress.setAttribute("aria-valuenow", String(position));
  const label =
    progress.pass === "start"
      ? t("core.progress_start", { count: progress.total })
      : t(`core.progress_${progress.pass}`, { index: progress.index, total: progress.total });
  ui.progress.setAttribute("aria-valuetext", label);
  ui.label.textContent = label;
  renderExplanation(ui.explanation, schedule, position, result);
}

/**
 * Step with the keyboard: ← → Space Home End, unless the learner is typing in a field.
 * @param {{prev: () => void, next: () => void, toggle: () => void, first: () => void, last: () => void}} actions
 */
export function bindStepKeys(actions) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest?.("input, textarea, select, [contenteditable='true']")) return;
    const onButton = target.closest?.("button");
    const action = {
      ArrowRight: actions.next,
      ArrowLeft: actions.prev,
      " ": onButton ? null : actions.toggle, // Space on a focused button presses that button
      Home: actions.first,
      End: actions.last,
    }[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
