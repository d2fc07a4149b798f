/**
 * The circuit by keyboard: the diagram is one stop in the Tab order; there ↓ and ↑ visit its
 * gates in node order (inputs first), and a focused gate shows what the current step has
 * computed of it (its value and, once the backward pass has reached it, its gradient; a
 * tensor as a table) beside it and in its accessible name. ← → Space Home End keep stepping
 * (stepper-view.js), so a learner can watch one gate while stepping. Escape goes back out:
 * from a gate to the diagram, from the diagram to the expression.
 *
 * A hook on the drawing, not part of it: it reads the gates by their `data-node` attribute
 * after diagram.js has drawn them.
 * @module gate-focus
 */

import { formatNumber, formatShape, shapeOf } from "./format.js";
import { t } from "./i18n.js";
import { getState, subscribe } from "./state.js";
import { isShown } from "./stepper.js";
import { htmlElement } from "./svg.js";
import { tensorTable } from "./tooltip.js";

const GATES = "[data-node]";

/**
 * @param {SVGSVGElement} svg  the drawing (focusable: tabindex 0)
 * @param {HTMLElement} tooltip  the hover preview's box, reused for the focused gate
 * @param {{onLeave: () => void}} hooks  Escape on the diagram itself
 */
export function bindGateFocus(svg, tooltip, { onLeave }) {
  const gates = () => /** @type {SVGGElement[]} */ ([...svg.querySelectorAll(GATES)]);
  const focused = () => {
    const active = document.activeElement;
    return active instanceof SVGGElement && active.matches(GATES) && svg.contains(active) ? active : null;
  };

  const visit = (gate) => {
    gate.setAttribute("tabindex", "-1");
    gate.setAttribute("role", "img");
    describe(gate);
    gate.focus({ preventScroll: false });
  };

  svg.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const all = gates();
    const current = focused();
    const index = current ? all.indexOf(current) : -1;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (all.length === 0) return;
      event.preventDefault();
      let next;
      if (index === -1) {
        // From the diagram itself: the gate of the current step, else the first (or last).
        next = /** @type {SVGGElement | null} */ (svg.querySelector(".gate--active")) ?? (event.key === "ArrowDown" ? all[0] : all[all.length - 1]);
      } else {
        next = all[Math.max(0, Math.min(all.length - 1, index + (event.key === "ArrowDown" ? 1 : -1)))];
      }
      visit(next);
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (current) svg.focus();
      else onLeave();
    }
  });

  svg.addEventListener("focusin", (event) => {
    const gate = /** @type {Element} */ (event.target).closest?.(GATES);
    if (gate && svg.contains(gate)) showFor(/** @type {SVGGElement} */ (gate));
  });
  svg.addEventListener("focusout", () => {
    if (tooltip.dataset.by === "focus") {
      tooltip.hidden = true;
      delete tooltip.dataset.by;
    }
  });
  // Stepping on while a gate has focus: what it shows follows the step.
  subscribe((s, changed) => {
    const gate = focused();
    if (gate && (changed.has("position") || changed.has("result") || changed.has("lang"))) {
      describe(gate);
      showFor(gate);
    }
  });

  function showFor(gate) {
    const content = gateCard(gate.dataset.node ?? "");
    if (!content) return;
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    tooltip.dataset.by = "focus";
    const host = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0, width: 0 };
    const box = gate.getBoundingClientRect();
    const left = box.right - host.left + 8;
    tooltip.style.left = `${Math.max(0, Math.min(left, host.width - tooltip.offsetWidth - 4))}px`;
    tooltip.style.top = `${box.bottom - host.top + 8}px`;
  }
}

/**
 * What the current step has computed of a node: its value, and its gradient once the
 * backward pass has reached it (undefined: not yet).
 * @param {string} id
 */
function shownOf(id) {
  const { result, schedule, position } = getState();
  const node = result?.nodeById.get(id);
  if (!node || !schedule) return null;
  const value = isShown(schedule.valueAt, id, position) ? node.value : undefined;
  const grad = isShown(schedule.gradAt, id, position) && node.grad !== null ? node.grad : undefined;
  return { node, value, grad, who: node.name ?? node.symbol };
}

const words = (value) => (Array.isArray(value) ? t("keyboard.tensor", { shape: formatShape(shapeOf(value)) }) : formatNumber(value));

/** The gate's accessible name: who it is and what it shows now. */
function describe(gate) {
  const shown = shownOf(gate.dataset.node ?? "");
  if (!shown) return;
  const { who, value, grad } = shown;
  let label;
  if (value === undefined) label = t("keyboard.gate_pending", { who });
  else if (grad === undefined) label = t("keyboard.gate_value", { who, value: words(value) });
  else label = t("keyboard.gate_both", { who, value: words(value), grad: words(grad) });
  gate.setAttribute("aria-label", label);
}

/** The card beside a focused gate: a number, or a tensor as a table, for value and gradient. */
function gateCard(id) {
  const shown = shownOf(id);
  if (!shown) return null;
  const { node, value, grad, who } = shown;
  const box = htmlElement("div", { class: "tooltip__body", "data-testid": "gate-card" });
  const title = Array.isArray(node.value) ? `${who} · [${formatShape(node.shape)}]` : who;
  box.appendChild(htmlElement("div", { class: "tooltip__title" }, title));
  if (value === undefined) {
    box.appendChild(htmlElement("p", { class: "tooltip__note" }, t("keyboard.pending")));
    return box;
  }
  box.appendChild(part(t("keyboard.value"), value, "tooltip__table--value"));
  if (grad !== undefined) box.appendChild(part(t("keyboard.gradient"), grad, "tooltip__table--grad"));
  return box;
}

function part(caption, value, className) {
  if (!Array.isArray(value)) {
    return htmlElement("p", { class: `tooltip__number ${className}` }, `${caption} ${formatNumber(value)}`);
  }
  return tensorTable(caption, value, className);
}
