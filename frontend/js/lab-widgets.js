/**
 * Building blocks of the lab's sections: labelled fields, buttons, selects and status lines
 * whose words come from the `lab.*` catalog and follow the page's language.
 *
 * Static words carry `data-i18n` (i18n.js's translateStatic refills them). Words with
 * numbers in them are written with `say`, which keeps the keys and parameters on the
 * element (`data-lab-say`), so `resay` can word them again in another language.
 * @module lab-widgets
 */

import { t } from "./i18n.js";
import { htmlElement } from "./svg.js";

/**
 * @typedef {[string, Record<string, string | number>?]} Phrase  a catalog key and its parameters
 */

/**
 * Set an element's text to phrases joined by " · ", remembering them for `resay`.
 * @param {HTMLElement} element
 * @param {Phrase[]} phrases
 */
export function say(element, phrases) {
  element.dataset.labSay = JSON.stringify(phrases);
  element.textContent = phrases.map(([key, params]) => t(key, params)).join(" · ");
}

/**
 * Word again every `say` text under `root` (after the language changed).
 * @param {ParentNode} root
 */
export function resay(root) {
  for (const element of root.querySelectorAll("[data-lab-say]")) {
    say(/** @type {HTMLElement} */ (element), JSON.parse(/** @type {HTMLElement} */ (element).dataset.labSay ?? "[]"));
  }
}

/**
 * An element whose text is the catalog's words for `key` (refilled on a language change).
 * @param {string} tag
 * @param {string} key
 * @param {Record<string, string>} [attributes]
 */
export function worded(tag, key, attributes = {}) {
  return htmlElement(tag, { ...attributes, "data-i18n": key }, t(key));
}

/**
 * A fieldset with a legend, appended to `root`.
 * @param {HTMLElement} root
 * @param {string} legendKey
 * @param {string} testid
 */
export function section(root, legendKey, testid) {
  const box = root.appendChild(htmlElement("fieldset", { class: "panel lab__section", "data-testid": testid }));
  box.appendChild(worded("legend", legendKey));
  return box;
}

/**
 * A control with its label above it.
 * @template {HTMLElement} C
 * @param {HTMLElement} parent
 * @param {string} key
 * @param {C} control
 * @returns {C}
 */
export function labelled(parent, key, control) {
  const label = parent.appendChild(htmlElement("label", { class: "lab__field" }));
  label.appendChild(worded("span", key, { class: "lab__label" }));
  label.appendChild(control);
  return control;
}

/**
 * A button with translated words.
 * @param {HTMLElement} parent
 * @param {string} key
 * @param {string} testid
 */
export function button(parent, key, testid) {
  return /** @type {HTMLButtonElement} */ (parent.appendChild(worded("button", key, { type: "button", "data-testid": testid })));
}

/**
 * A select whose options are [value, words] pairs: a `lab.*` catalog key, or text that
 * reads the same in every language (a number).
 * @param {Array<[string, string]>} options
 * @param {string} testid
 */
export function select(options, testid) {
  const element = /** @type {HTMLSelectElement} */ (htmlElement("select", { "data-testid": testid }));
  for (const [value, words] of options) {
    element.appendChild(words.startsWith("lab.") ? worded("option", words, { value }) : htmlElement("option", { value }, words));
  }
  return element;
}

/**
 * Fill a select with the names the server lists (GET /api/meta), each worded by the catalog
 * key `prefix + name` where there is one, else shown as it is; the choice is kept if it is
 * still offered.
 * @param {HTMLSelectElement} element
 * @param {string[]} names
 * @param {string} prefix
 * @param {Array<[string, string]>} [first]  options before the listed ones: [value, key]
 */
export function fillSelect(element, names, prefix, first = []) {
  const chosen = element.value;
  element.replaceChildren();
  for (const [value, key] of first) element.appendChild(worded("option", key, { value }));
  for (const name of names) {
    const key = `${prefix}${name}`;
    element.appendChild(t(key) === key ? htmlElement("option", { value: name }, name) : worded("option", key, { value: name }));
  }
  if ([...element.options].some((option) => option.value === chosen)) element.value = chosen;
}

/**
 * A number field.
 * @param {number | string} value
 * @param {string} testid
 * @param {Record<string, string>} [attributes]
 */
export function numberInput(value, testid, attributes = {}) {
  return /** @type {HTMLInputElement} */ (htmlElement("input", { type: "number", value: String(value), "data-testid": testid, class: "lab__narrow", ...attributes }));
}

/**
 * A status line that screen readers announce.
 * @param {HTMLElement} parent
 * @param {string} testid
 */
export function statusLine(parent, testid) {
  return parent.appendChild(htmlElement("p", { class: "lab__status", "data-testid": testid, role: "status", "aria-live": "polite" }));
}

/**
 * The words of a failed request: the server's message (already in the page's language
 * where the server speaks it), else the error's own.
 * @param {any} error
 * @returns {string}
 */
export function errorText(error) {
  return String(error?.detail?.message ?? error?.message ?? error);
}

/** A promise that resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
