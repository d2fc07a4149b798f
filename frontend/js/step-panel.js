/**
 * The explanation under the stepper: the active step's title, its words, its chain-rule line
 * typeset with KaTeX, the full values of the tensors it involves (a click away), and at the
 * end the Done line with tensor gradients compact and expandable.
 * @module step-panel
 */

import { stepTensors, summaryItems } from "./chain-parts.js";
import { formatShape, shapeOf, tensorRows } from "./format.js";
import { t } from "./i18n.js";
import { activeAt } from "./stepper.js";
import { htmlElement } from "./svg.js";
import { typeset } from "./typeset.js";

/** A tensor's values are listed in full up to this many rows and columns. */
const FULL_ROWS = 64;
const FULL_COLS = 32;

/**
 * Render the explanation of the step at `position`.
 * @param {HTMLElement} box
 * @param {import("./stepper.js").Schedule} schedule
 * @param {number} position
 * @param {any} result  the decoded /api/graph answer
 */
export function renderExplanation(box, schedule, position, result) {
  const { step, phase } = activeAt(schedule, position);
  box.replaceChildren();
  box.dataset.phase = phase;
  if (!step) {
    box.appendChild(htmlElement("p", { class: "explanation__phase" }, t("core.ready")));
    box.appendChild(htmlElement("p", { class: "explanation__text" }, t("core.ready_text")));
    return;
  }
  const node = result?.nodeById.get(step.node);
  const who = node ? node.name ?? node.symbol : step.node;
  const title = t(phase === "forward" ? "core.phase_forward" : "core.phase_backward", { who });
  box.appendChild(htmlElement("p", { class: "explanation__phase" }, title));
  if (step.latex) {
    const math = box.appendChild(
      htmlElement("div", { class: "explanation__math", "data-testid": "explanation-math", role: "math", "aria-label": t("lesson.chain_rule") }),
    );
    typeset(math, step.latex, { display: true });
  }
  box.appendChild(htmlElement("p", { class: "explanation__text", "data-testid": "explanation-text" }, step.text));
  if (result) {
    const tensors = stepTensors(step, result);
    if (tensors.length) box.appendChild(tensorDetails(tensors));
  }
  if (position === schedule.count && result) box.appendChild(summary(result));
}

function tensorDetails(tensors) {
  const details = htmlElement("details", { class: "explanation__values", "data-testid": "step-values" });
  details.appendChild(htmlElement("summary", {}, t("lesson.full_values")));
  for (const tensor of tensors) {
    const shape = `[${formatShape(shapeOf(tensor.value))}]`;
    const caption = t(tensor.kind === "value" ? "lesson.tensor_value" : "lesson.tensor_grad", { name: tensor.label, shape });
    details.appendChild(table(tensor.value, caption, tensor.kind));
  }
  return details;
}

function table(value, caption, kind) {
  const element = htmlElement("table", { class: `values-table values-table--${kind}` });
  element.appendChild(htmlElement("caption", {}, caption));
  for (const row of tensorRows(value, FULL_ROWS, FULL_COLS)) {
    const tr = element.appendChild(htmlElement("tr"));
    for (const cell of row) tr.appendChild(htmlElement("td", {}, cell));
  }
  return element;
}

/** Done: the output's value and every gradient; a tensor opens to show its values. */
function summary(result) {
  const { out, items, value } = summaryItems(result);
  const line = htmlElement("div", { class: "explanation__summary", "data-testid": "summary" });
  line.appendChild(document.createTextNode(t("core.done", { out, value: value.tensor ? "" : value.text })));
  if (value.tensor) line.appendChild(expandable(value.text, value.tensor, "value"));
  for (const item of items) {
    line.appendChild(document.createTextNode(" · "));
    const what = `∂${out}/∂${item.name}`;
    if (item.tensor) line.appendChild(expandable(`${what} ${item.text}`, item.tensor, "grad"));
    else line.appendChild(document.createTextNode(`${what} = ${item.text}`));
  }
  return line;
}

function expandable(label, tensor, kind) {
  const details = htmlElement("details", { class: "summary-tensor" });
  details.appendChild(htmlElement("summary", { title: t("lesson.summary_tensor", { what: label }) }, label));
  details.appendChild(table(tensor, label, kind));
  return details;
}

/**
 * The expression as a typeset formula under the editor (the server writes its LaTeX: one
 * line per named statement), or nothing while there is no circuit.
 * @param {HTMLElement} element
 * @param {any} result
 */
export function renderPreview(element, result) {
  const latex = result?.latex ?? "";
  element.hidden = !latex;
  if (element.dataset.latex === latex) return;
  element.replaceChildren();
  typeset(element, latex, { display: true });
}
