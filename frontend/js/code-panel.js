/**
 * The circuit as staged code (issue: "the circuit as staged code"): the forward and backward
 * pass in Python/numpy as the server writes it, with the lines of the current step
 * highlighted as the stepper moves, and a button that copies the whole program.
 * @module code-panel
 */

import { htmlElement } from "./svg.js";

/** @typedef {{text: string, phase: "setup" | "forward" | "backward", node: string | null, comment?: string}} CodeRow */

/**
 * Indices of the lines that belong to a step. Pure: unit-tested.
 * @param {CodeRow[]} rows
 * @param {{phase: string, node: string} | null} step  the active step, or null before the first
 * @returns {number[]}
 */
export function linesOfStep(rows, step) {
  if (!step) return [];
  const found = [];
  rows.forEach((row, index) => {
    if (row.phase === step.phase && row.node === step.node) found.push(index);
  });
  return found;
}

/**
 * The program as one text (what the copy button copies).
 * @param {CodeRow[]} rows
 * @param {Set<string>} [hidden]  nodes whose value comment is left out (practice mode)
 * @returns {string}
 */
export function codeText(rows, hidden = new Set()) {
  return `${rows.map((row) => (isHidden(row, hidden) ? withoutComment(row) : row.text)).join("\n")}\n`;
}

/**
 * Blank the value comments (`# = 3`) of the nodes in `hidden`, show the others.
 * @param {HTMLElement} box  the `<code>` element drawn by renderCode
 * @param {Set<string>} hidden
 */
export function hideValues(box, hidden) {
  for (const comment of box.querySelectorAll(".code-line__value")) {
    /** @type {HTMLElement} */ (comment).hidden = hidden.has(/** @type {HTMLElement} */ (comment).dataset.node ?? "");
  }
}

function isHidden(row, hidden) {
  return Boolean(row.comment && row.node && hidden.has(row.node) && row.text.endsWith(row.comment));
}

function withoutComment(row) {
  return row.text.slice(0, row.text.length - (row.comment ?? "").length);
}

/**
 * Draw the code, one element per line (replacing what was there).
 * @param {HTMLElement} box  the `<code>` element
 * @param {CodeRow[] | undefined} rows
 */
export function renderCode(box, rows) {
  box.replaceChildren(
    ...(rows ?? []).map((row, index) => {
      const line = htmlElement("span", { class: `code-line code-line--${row.phase}`, "data-line": String(index) });
      // The value a forward line ends with is its own element, so practice mode can blank it.
      const commented = Boolean(row.comment && row.node && row.text.endsWith(row.comment));
      line.append(commented ? withoutComment(row) : row.text);
      if (commented) line.appendChild(htmlElement("span", { class: "code-line__value", "data-node": row.node }, row.comment));
      line.append("\n");
      return line;
    }),
  );
}

/**
 * Mark the lines of the active step and bring the first into view inside the panel.
 * @param {HTMLElement} box  the `<code>` element drawn by renderCode
 * @param {CodeRow[] | undefined} rows
 * @param {{phase: string, node: string} | null} step
 */
export function highlightCode(box, rows, step) {
  for (const line of box.querySelectorAll(".code-line.is-current")) line.classList.remove("is-current");
  const lines = linesOfStep(rows ?? [], step);
  for (const index of lines) box.children[index]?.classList.add("is-current");
  const first = /** @type {HTMLElement | undefined} */ (box.children[lines[0]]);
  const scroller = box.closest("pre");
  if (first && scroller) {
    const top = first.offsetTop - scroller.offsetTop;
    if (top < scroller.scrollTop || top > scroller.scrollTop + scroller.clientHeight - first.offsetHeight) {
      scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
    }
  }
}
