/**
 * The top bar's lab button: the lab opens beside (or, on a phone, below) the circuit, and
 * closed it leaves the circuit the whole width.
 * @module lab-toggle
 */

import { getState, update } from "./state.js";

/**
 * Show the lab open or closed.
 * @param {{lab: HTMLElement, labToggle: HTMLElement}} ui
 * @param {boolean} open
 */
export function renderLab(ui, open) {
  ui.lab.hidden = !open;
  ui.labToggle.setAttribute("aria-expanded", String(open));
}

/**
 * Wire the toggle button.
 * @param {{lab: HTMLElement, labToggle: HTMLElement}} ui
 */
export function bindLabToggle(ui) {
  ui.labToggle.addEventListener("click", () => {
    const open = !getState().lab;
    update({ lab: open });
    // On a phone the lab opens below the circuit, out of sight: bring it into view.
    if (open && matchMedia("(max-width: 760px)").matches) ui.lab.scrollIntoView({ block: "start" });
  });
}
