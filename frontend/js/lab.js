/**
 * The optimization lab: gradient check, search methods and gradient descent on the circuit,
 * and the classifier lab. Mounted by main.js with `mountLab({evaluate})`; reads and changes
 * the page through state.js like every other panel. Open, it takes the circuit's place (a
 * tab: see lab.css for why); the editor, with the inputs the optimizer moves, stays beside.
 * @module lab
 */

import { translateStatic } from "./i18n.js";
import { mountClassifier } from "./lab-classifier.js";
import { mountGradcheck } from "./lab-gradcheck.js";
import { mountOptimizer } from "./lab-optimizer.js";
import { resay, worded } from "./lab-widgets.js";
import { getState, subscribe, update } from "./state.js";
import { htmlElement } from "./svg.js";

/**
 * Build the lab panel in `#lab` and wire it to the page.
 * @param {{evaluate: () => Promise<void>, showAll?: () => void, meta: Promise<any>}} page
 *   `evaluate` re-evaluates the circuit with the state's values; `showAll` jumps the stepper
 *   to the end so every number shows; `meta` is GET /api/meta (methods, limits, names)
 */
export function mountLab(page) {
  const root = document.getElementById("lab");
  if (!root) return;
  root.replaceChildren();
  const header = root.appendChild(htmlElement("div", { class: "lab__header" }));
  header.appendChild(worded("h2", "lab.title", { class: "lab__title" }));
  const close = header.appendChild(worded("button", "lab.close", { type: "button", class: "lab__close", "data-testid": "lab-close" }));
  close.addEventListener("click", () => {
    update({ lab: false });
    document.getElementById("lab-toggle")?.focus();
  });
  const grid = root.appendChild(htmlElement("div", { class: "lab__grid" }));
  const check = mountGradcheck(grid, currentRequest);
  const optimizer = mountOptimizer(grid, page, currentRequest, page.meta);
  const classifier = mountClassifier(grid, page.meta);
  // The plots are drawn at their width on the page: draw them again when it changes.
  let width = 0;
  new ResizeObserver(([entry]) => {
    const now = Math.round(entry.contentRect.width);
    if (now === width || now === 0) return;
    width = now;
    optimizer.relabel();
    classifier.relabel();
  }).observe(root);
  subscribe((s, changed) => {
    if (changed.has("result")) {
      check.circuitChanged();
      optimizer.circuitChanged();
    }
    if (changed.has("lang")) {
      translateStatic(root);
      resay(root);
      check.relabel();
      optimizer.relabel();
      classifier.relabel();
    }
  });
}

/** The expression and the values the circuit uses (from the page's state). */
function currentRequest() {
  const s = getState();
  const names = s.result ? s.result.nodes.filter((n) => n.op === "input").map((n) => n.name ?? n.label) : Object.keys(s.values);
  const values = Object.fromEntries(names.filter((n) => Object.hasOwn(s.values, n)).map((n) => [n, s.values[n]]));
  return { expression: s.expression, values, expand: s.expand };
}
