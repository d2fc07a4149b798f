/**
 * Hover previews of tensors on the diagram: a small table of the value and the gradient.
 * @module tooltip
 */

import { formatShape, tensorRows } from "./format.js";
import { htmlElement } from "./svg.js";

/**
 * Show what `build()` returns (if anything) in `tooltip` while the pointer is over `target`.
 * @param {Element} target
 * @param {HTMLElement} tooltip
 * @param {() => HTMLElement | null} build
 */
export function attachTooltip(target, tooltip, build) {
  target.addEventListener("pointerenter", (event) => {
    const content = build();
    if (!content) return;
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    placeTooltip(tooltip, event);
  });
  target.addEventListener("pointermove", (event) => placeTooltip(tooltip, event));
  target.addEventListener("pointerleave", () => {
    tooltip.hidden = true;
  });
  // Keyboard focus shows the same numbers, under the focused element.
  target.addEventListener("focus", () => {
    const content = build();
    if (!content) return;
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    const box = target.getBoundingClientRect();
    placeTooltip(tooltip, { clientX: box.left, clientY: box.bottom });
  });
  target.addEventListener("blur", () => {
    tooltip.hidden = true;
  });
}

function placeTooltip(tooltip, event) {
  const host = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0, width: 0 };
  const x = event.clientX - host.left + 14;
  tooltip.style.left = `${Math.min(x, Math.max(0, host.width - tooltip.offsetWidth - 4))}px`;
  tooltip.style.top = `${event.clientY - host.top + 14}px`;
}

/**
 * A wire's preview; only for tensors (scalars show their numbers, and a title gives full precision).
 * @param {any} edge
 * @param {any} result
 * @returns {HTMLElement | null}
 */
export function wireTooltip(edge, result) {
  if (!Array.isArray(edge.value) || !labelText(edge.id, "value")) return null;
  const shape = result.nodeById.get(edge.source)?.shape ?? [];
  const box = htmlElement("div", { class: "tooltip__body" });
  const from = result.nodeById.get(edge.source);
  const to = result.nodeById.get(edge.target);
  const title = `${from?.name ?? from?.symbol ?? edge.source} → ${to?.name ?? to?.symbol ?? edge.target} · ${formatShape(shape)}`;
  box.appendChild(htmlElement("div", { class: "tooltip__title" }, title));
  box.appendChild(tensorTable("value", edge.value, "tooltip__table--value"));
  if (edge.grad !== null && labelText(edge.id, "grad")) box.appendChild(tensorTable("gradient", edge.grad, "tooltip__table--grad"));
  return box;
}

/**
 * A tensor node's value, once computed.
 * @param {any} node
 * @returns {HTMLElement | null}
 */
export function nodeTooltip(node) {
  if (!Array.isArray(node.value)) return null;
  const gate = document.querySelector(`[data-node="${CSS.escape(node.id)}"]`);
  if (!gate?.classList.contains("gate--computed")) return null;
  const box = htmlElement("div", { class: "tooltip__body" });
  box.appendChild(htmlElement("div", { class: "tooltip__title" }, `${node.name ?? node.symbol} · ${formatShape(node.shape)}`));
  box.appendChild(tensorTable("value", node.value, "tooltip__table--value"));
  return box;
}

/** Whether a wire's value / gradient is currently shown (its label has text or a heatmap). */
function labelText(id, which) {
  const label = document.querySelector(`[data-edge="${CSS.escape(id)}"]`);
  const text = label?.querySelector(`.wire__${which}`);
  const grid = label?.querySelector(`.wire__grid--${which === "value" ? "value" : "grad"}`);
  return Boolean(text?.textContent) || Boolean(grid?.childElementCount);
}

/**
 * A tensor's numbers as a table (rows and columns elided past 8, as tensorRows does).
 * @param {string} caption
 * @param {any[]} value
 * @param {string} className
 * @returns {HTMLTableElement}
 */
export function tensorTable(caption, value, className) {
  const table = htmlElement("table", { class: `tooltip__table ${className}` });
  table.appendChild(htmlElement("caption", {}, caption));
  for (const row of tensorRows(value)) {
    const tr = table.appendChild(htmlElement("tr"));
    for (const cell of row) tr.appendChild(htmlElement("td", {}, cell));
  }
  return table;
}
