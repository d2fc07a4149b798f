/**
 * The top bar's lab button: open, the lab takes the circuit's place (a tab, see lab.css);
 * closed, the circuit has it back, at its full size.
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
    // On a phone the page may be scrolled past where the lab opens: bring it into view.
    if (open && matchMedia("(max-width: 760px)").matches) ui.lab.scrollIntoView({ block: "start" });
  });
}
