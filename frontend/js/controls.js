/**
 * The panels and buttons around the diagram: rendering them from the state, and turning the
 * learner's clicks and keys into callbacks. No state of its own.
 * @module controls
 */

import { formatNumber, parseValueText, shapeOf, valueToText } from "./format.js";
import { activeAt, progressAt } from "./stepper.js";
import { htmlElement } from "./svg.js";

/** Tensors up to this many elements (and at most 2-D) get a grid of cells. */
const GRID_LIMIT = 64;

/**
 * Show an error under the expression box: the message, then the offending line with a caret.
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
  const where = error.line ? `line ${error.line}, column ${error.column ?? column + 1}` : `at ${position}`;
  const pre = box.appendChild(htmlElement("pre", { class: "error__source", "aria-label": `Error ${where}` }));
  pre.appendChild(document.createTextNode(`${line}\n`));
  pre.appendChild(htmlElement("span", { class: "error__caret", "data-testid": "error-caret" }, `${" ".repeat(column)}^`));
}

/**
 * (Re)build the input fields when the set of inputs or their shapes changed; otherwise only
 * refresh the fields the learner is not typing in.
 * @param {HTMLElement} container
 * @param {string[]} names
 * @param {Record<string, any>} values
 * @param {{onInput: (name: string, value: any) => void, onCommit: (name: string, value: any) => void}} handlers
 * @param {Record<string, number[]>} [hints]  the shape an example expects of each tensor input
 */
export function renderInputs(container, names, values, handlers, hints = {}) {
  const signature = names.map((name) => `${name}:${shapeOf(values[name]).join("x")}:${hints[name]?.join("x") ?? ""}`).join(",");
  if (container.dataset.signature === signature) {
    for (const field of container.querySelectorAll("[data-input]")) {
      if (field === document.activeElement) continue;
      const name = field.dataset.input;
      const cell = field.dataset.cell;
      field.value = cell ? valueToText(readCell(values[name], cell)) : valueToText(values[name]);
      field.removeAttribute("aria-invalid");
    }
    return;
  }
  container.dataset.signature = signature;
  container.replaceChildren();
  if (names.length === 0) {
    container.appendChild(htmlElement("p", { class: "hint" }, "This expression has no inputs."));
    return;
  }
  for (const name of names) container.appendChild(inputRow(name, values[name], handlers, hints[name]));
}

/**
 * The label of a dimension hint: "[2×3]", or "expects [2×3]" when the value has another shape.
 * @param {number[]} hint
 * @param {any} value
 * @returns {{text: string, matches: boolean}}
 */
export function hintText(hint, value) {
  const want = hint.length ? `[${hint.join("×")}]` : "scalar"; // as the wires write shapes
  const matches = shapeOf(value).join("×") === hint.join("×");
  return { text: matches ? want : `expects ${want}`, matches };
}

function inputRow(name, value, handlers, hint) {
  const row = htmlElement("div", { class: "input-row" });
  const id = `value-${name}`;
  const label = row.appendChild(htmlElement("label", { for: id, class: "input-row__name" }, name));
  if (Array.isArray(hint)) {
    const { text, matches } = hintText(hint, value);
    label.append(" ");
    label.appendChild(htmlElement("span", {
      class: `input-row__shape${matches ? "" : " input-row__shape--mismatch"}`,
      "data-testid": `hint-${name}`,
      title: matches ? `${name} has shape ${text}` : `${name} should have shape ${hint.join("×")} in this example`,
    }, text));
  }
  const field = row.appendChild(
    htmlElement("input", {
      id,
      type: "text",
      class: "input-row__field",
      inputmode: Array.isArray(value) ? "text" : "decimal",
      autocomplete: "off",
      spellcheck: "false",
      "data-testid": id,
      "data-input": name,
    }),
  );
  field.value = value === undefined ? "" : valueToText(value);
  const read = () => {
    const parsed = parseValueText(field.value);
    field.toggleAttribute("aria-invalid", !parsed.ok);
    field.title = parsed.ok ? "" : parsed.message;
    return parsed;
  };
  field.addEventListener("input", () => {
    const parsed = read();
    if (parsed.ok) handlers.onInput(name, parsed.value);
  });
  const commit = () => {
    const parsed = read();
    if (parsed.ok) handlers.onCommit(name, parsed.value);
  };
  field.addEventListener("change", commit);
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    }
  });
  const shape = shapeOf(value);
  const size = shape.reduce((a, b) => a * b, 1);
  if (Array.isArray(value) && shape.length <= 2 && size <= GRID_LIMIT) {
    row.appendChild(tensorGrid(name, value, shape, handlers));
  }
  return row;
}

function tensorGrid(name, value, shape, handlers) {
  const rows = shape.length === 2 ? shape[0] : 1;
  const cols = shape.length === 2 ? shape[1] : shape[0];
  const grid = htmlElement("div", { class: "tensor-grid", role: "group", "aria-label": `${name}, ${shape.join("×")}` });
  grid.style.gridTemplateColumns = `repeat(${cols}, minmax(3.2em, 1fr))`;
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      const key = shape.length === 2 ? `${r},${c}` : `${c}`;
      const cell = grid.appendChild(
        htmlElement("input", {
          type: "text",
          inputmode: "decimal",
          class: "tensor-grid__cell",
          "aria-label": `${name}[${key}]`,
          "data-input": name,
          "data-cell": key,
        }),
      );
      cell.value = valueToText(readCell(value, key));
      const update = (commit) => {
        const parsed = parseValueText(cell.value);
        cell.toggleAttribute("aria-invalid", !parsed.ok || Array.isArray(parsed.value));
        if (!parsed.ok || Array.isArray(parsed.value)) return;
        const whole = grid.closest(".input-row").querySelector(".input-row__field");
        const current = JSON.parse(whole.value);
        writeCell(current, key, parsed.value);
        whole.value = valueToText(current);
        (commit ? handlers.onCommit : handlers.onInput)(name, current);
      };
      cell.addEventListener("input", () => update(false));
      cell.addEventListener("change", () => update(true));
    }
  }
  return grid;
}

function readCell(value, key) {
  const [a, b] = key.split(",").map(Number);
  return b === undefined ? value?.[a] : value?.[a]?.[b];
}

function writeCell(value, key, number) {
  const [a, b] = key.split(",").map(Number);
  if (b === undefined) value[a] = number;
  else value[a][b] = number;
}

/**
 * Fill the examples menu.
 * @param {HTMLSelectElement} select
 * @param {Array<{id: string, title: string}>} examples
 */
export function renderExamples(select, examples) {
  const first = select.options[0];
  select.replaceChildren(first);
  for (const example of examples) select.appendChild(htmlElement("option", { value: example.id }, example.title));
}

/**
 * Buttons, progress bar and explanation for a step position.
 * @param {{prev: HTMLButtonElement, next: HTMLButtonElement, first: HTMLButtonElement, last: HTMLButtonElement, play: HTMLButtonElement, progress: HTMLElement, fill: HTMLElement, split: HTMLElement, label: HTMLElement, explanation: HTMLElement}} ui
 * @param {import("./stepper.js").Schedule | null} schedule
 * @param {number} position
 * @param {boolean} playing
 * @param {any} result
 */
export function renderStepper(ui, schedule, position, playing, result) {
  const count = schedule?.count ?? 0;
  ui.first.disabled = !schedule || position <= 0;
  ui.prev.disabled = !schedule || position <= 0;
  ui.next.disabled = !schedule || position >= count;
  ui.last.disabled = !schedule || position >= count;
  ui.play.disabled = !schedule || count === 0;
  ui.play.textContent = playing ? "⏸ Pause" : "▶ Play";
  ui.play.setAttribute("aria-pressed", String(playing));
  ui.play.setAttribute("aria-label", playing ? "Pause (Space)" : "Play (Space)");
  if (!schedule) {
    ui.label.textContent = "";
    ui.fill.style.width = "0%";
    return;
  }
  const progress = progressAt(schedule, position);
  ui.fill.style.width = `${(progress.fraction * 100).toFixed(2)}%`;
  ui.fill.classList.toggle("is-backward", position > schedule.forwardCount);
  ui.split.style.left = `${(progress.split * 100).toFixed(2)}%`;
  ui.progress.setAttribute("aria-valuemax", String(count));
  ui.progress.setAttribute("aria-valuenow", String(position));
  ui.progress.setAttribute("aria-valuetext", progress.label);
  ui.label.textContent = progress.label;
  renderExplanation(ui.explanation, schedule, position, result);
}

function renderExplanation(box, schedule, position, result) {
  const { step, phase } = activeAt(schedule, position);
  box.replaceChildren();
  box.dataset.phase = phase;
  if (!step) {
    box.appendChild(htmlElement("p", { class: "explanation__phase" }, "Ready"));
    box.appendChild(
      htmlElement(
        "p",
        { class: "explanation__text" },
        `Press Next (→) or Play (Space): the forward pass computes each gate's value from left to right, ` +
          `then the backward pass sends gradients from the output back to the inputs.`,
      ),
    );
    return;
  }
  const node = result?.nodeById.get(step.node);
  const who = node ? node.name ?? node.symbol : step.node;
  const title = phase === "forward" ? `Forward · ${who}` : `Backward · ${who}`;
  box.appendChild(htmlElement("p", { class: "explanation__phase" }, title));
  box.appendChild(htmlElement("p", { class: "explanation__text", "data-testid": "explanation-text" }, step.text));
  if (position === schedule.count && result) {
    // The output's own name when it has one (`q = x*y` ends in q), as the step texts say.
    const out = result.nodeById.get(result.output)?.name ?? "f";
    const summary = Object.entries(result.gradients)
      .map(([name, grad]) => `∂${out}/∂${name} = ${Array.isArray(grad) ? "[…]" : formatNumber(grad)}`)
      .join(" · ");
    const value = Array.isArray(result.value) ? "[…]" : formatNumber(result.value);
    box.appendChild(htmlElement("p", { class: "explanation__summary" }, `Done: ${out} = ${value}${summary ? ` · ${summary}` : ""}`));
  }
}

/**
 * Step with the keyboard: ← → Space Home End, unless the learner is typing in a field.
 * @param {{prev: () => void, next: () => void, toggle: () => void, first: () => void, last: () => void}} actions
 */
export function bindStepKeys(actions) {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest?.("input, textarea, select, [contenteditable='true']")) return;
    const onButton = target.closest?.("button");
    const action = {
      ArrowRight: actions.next,
      ArrowLeft: actions.prev,
      " ": onButton ? null : actions.toggle, // Space on a focused button presses that button
      Home: actions.first,
      End: actions.last,
    }[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}

/**
 * Offer a file for download.
 * @param {Blob} blob
 * @param {string} filename
 */
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = htmlElement("a", { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The warnings list (unused values, non-finite results…).
 * @param {HTMLElement} list
 * @param {string[]} warnings
 */
export function renderWarnings(list, warnings) {
  list.replaceChildren(...warnings.map((text) => htmlElement("li", {}, typeof text === "string" ? text : JSON.stringify(text))));
  list.hidden = warnings.length === 0;
}
