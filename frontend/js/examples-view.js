/**
 * The examples menu and the chosen example's one-line lesson.
 * @module examples-view
 */

import { t } from "./i18n.js";
import { htmlElement } from "./svg.js";

/**
 * Fill the examples menu, keeping the choice.
 * @param {HTMLSelectElement} select
 * @param {Array<{id: string, title: string}>} examples
 */
export function renderExamples(select, examples) {
  const chosen = select.value;
  select.replaceChildren(htmlElement("option", { value: "" }, t("core.choose_example")));
  for (const example of examples) select.appendChild(htmlElement("option", { value: example.id }, example.title));
  select.value = examples.some((example) => example.id === chosen) ? chosen : "";
}

/**
 * The lesson line of an example (hidden when there is none).
 * @param {HTMLElement} box
 * @param {{lesson?: string} | undefined} example
 */
export function renderLesson(box, example) {
  box.textContent = example?.lesson ?? "";
  box.hidden = !example?.lesson;
}
