/**
 * The error under the expression box: the message, then the offending line with a caret.
 * @module error-view
 */

import { t } from "./i18n.js";
import { htmlElement } from "./svg.js";

/**
 * Show (or hide, for null) an error about `source`.
 * @param {HTMLElement} box
 * @param {import("./api.js").PageError | null} error
 * @param {string} source  the expression the error is about
 */
export function renderError(box, error, source) {
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  box.appendChild(htmlElement("p", { class: "error__message" }, error.message));
  if (error.position === null || error.position === undefined) return;
  const position = Math.max(0, Math.min(error.position, source.length));
  const lineStart = source.lastIndexOf("\n", position - 1) + 1;
  const lineEnd = source.indexOf("\n", position);
  const line = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = position - lineStart;
  const where = t("core.error_at", { line: error.line ?? 1, column: error.column ?? column + 1 });
  const pre = box.appendChild(htmlElement("pre", { class: "error__source", "aria-label": where }));
  pre.appendChild(document.createTextNode(`${line}\n`));
  pre.appendChild(htmlElement("span", { class: "error__caret", "data-testid": "error-caret" }, `${" ".repeat(column)}^`));
}
