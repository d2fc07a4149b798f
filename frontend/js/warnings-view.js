/**
 * The warnings list under the editor (unused values, non-finite results…).
 * @module warnings-view
 */

import { htmlElement } from "./svg.js";

/**
 * @param {HTMLElement} list
 * @param {Array<string | object>} warnings
 */
export function renderWarnings(list, warnings) {
  list.replaceChildren(...warnings.map((text) => htmlElement("li", {}, typeof text === "string" ? text : JSON.stringify(text))));
  list.hidden = warnings.length === 0;
}
