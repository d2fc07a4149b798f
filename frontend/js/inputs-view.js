/**
 * The Inputs panel, built from the server's answer to POST /api/inputs: a number field per
 * scalar, a field and an editable grid (add or remove a row or a column) per small tensor,
 * beside each input the shape the circuit needs of it, a hint where its name looks like a
 * slip (`w0x0`), and, in words, what is wrong with a value the learner typed.
 * @module inputs-view
 */

import { t } from "./i18n.js";
import { cellOf, readValue, resize, shapeHint, shapeOf, shapeText, withCell } from "./input-values.js";
import { htmlElement } from "./svg.js";

/** Tensors up to this many elements (and at most 2-D) get a grid of cells. */
const GRID_LIMIT = 64;

/**
 * @typedef {import("./input-values.js").InputSpec} InputSpec
 * @typedef {{key: string, params?: Record<string, string>} | {message: string}} FieldError
 * @typedef {{
 *   onInput: (name: string, value: any) => void,
 *   onCommit: (name: string, value: any) => void,
 *   onInvalid: (name: string, error: FieldError | null) => void,
 *   onApplyHint: (name: string, suggestion: string) => void,
 *   onRow?: (row: HTMLElement, name: string, value: any) => void,
 * }} InputHandlers  `onRow`: a row was built (live inputs add their slider there)
 */

/**
 * (Re)build the fields when the inputs, their shapes or what the circuit needs of them
 * changed; otherwise refresh the values of the fields the learner is not typing in, and the
 * error under each.
 * @param {HTMLElement} container
 * @param {{names: string[], specs: Record<string, InputSpec>, values: Record<string, any>,
 *   errors: Record<string, FieldError>, lang: string}} model
 * @param {InputHandlers} handlers
 */
export function renderInputs(container, model, handlers) {
  const { names, specs, values, errors } = model;
  // Names are the learner's: `toString` or `constructor` must not find Object's members.
  const valueOf = (name) => (Object.hasOwn(values, name) ? values[name] : undefined);
  const specOf = (name) => (Object.hasOwn(specs, name) ? specs[name] : undefined);
  const signature = JSON.stringify([model.lang, names.map((name) => {
    const spec = specOf(name);
    return [name, shapeOf(valueOf(name)), spec?.shape, spec?.labels, spec?.hint?.message];
  })]);
  if (container.dataset.signature !== signature) {
    container.dataset.signature = signature;
    // The learner may be typing in a field as an answer arrives: that field comes back
    // focused, with their text and caret, in the new panel.
    const typing = typingIn(container);
    container.replaceChildren();
    if (names.length === 0) container.appendChild(htmlElement("p", { class: "hint" }, t("inputs.none")));
    for (const name of names) container.appendChild(inputRow(name, valueOf(name), specOf(name), handlers));
    if (typing) restoreTyping(container, typing);
  } else {
    for (const field of container.querySelectorAll("[data-input]")) {
      if (field === document.activeElement || field.getAttribute("aria-invalid") !== null) continue;
      const name = field.dataset.input;
      const cell = field.dataset.cell;
      field.value = textOf(cell ? cellOf(valueOf(name), cell) : valueOf(name));
    }
  }
  for (const row of container.querySelectorAll(".input-row")) {
    const name = /** @type {HTMLElement} */ (row).dataset.name ?? "";
    showError(row, name, Object.hasOwn(errors, name) ? errors[name] : null);
  }
}

/** The field the learner is typing in, if it is in `container`: where, what, and the caret. */
function typingIn(container) {
  const field = /** @type {HTMLInputElement | null} */ (document.activeElement);
  if (!field || !container.contains(field) || !field.dataset?.input) return null;
  return { input: field.dataset.input, cell: field.dataset.cell ?? null, text: field.value, start: field.selectionStart, end: field.selectionEnd };
}

function restoreTyping(container, typing) {
  for (const field of container.querySelectorAll("[data-input]")) {
    const input = /** @type {HTMLInputElement} */ (field);
    if (input.dataset.input !== typing.input || (input.dataset.cell ?? null) !== typing.cell) continue;
    input.value = typing.text;
    input.focus({ preventScroll: true });
    input.setSelectionRange(typing.start, typing.end);
    return;
  }
}

/**
 * The words of a field's error: a page-side reading error, or the server's message.
 * @param {string} name
 * @param {FieldError} error
 */
export function errorText(name, error) {
  return "message" in error ? error.message : t(error.key, { name, ...(error.params ?? {}) });
}

function showError(row, name, error) {
  const box = row.querySelector(".input-row__error");
  const field = row.querySelector(".input-row__field");
  box.hidden = !error;
  box.textContent = error ? errorText(name, error) : "";
  if (error) field.setAttribute("aria-invalid", "true");
  else field.removeAttribute("aria-invalid");
}

function textOf(value) {
  if (value === undefined) return "";
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/** Whether `shape` is drawn as a grid of cells. */
function hasGrid(shape) {
  return shape.length >= 1 && shape.length <= 2 && shape.reduce((a, b) => a * b, 1) <= GRID_LIMIT;
}

function inputRow(name, value, spec, handlers) {
  const id = `value-${name}`;
  const row = htmlElement("div", { class: "input-row", "data-name": name });
  const head = row.appendChild(htmlElement("div", { class: "input-row__head" }));
  head.appendChild(htmlElement("label", { for: id, class: "input-row__name" }, name));
  const hint = shapeHint(spec, value);
  if (hint) {
    head.appendChild(htmlElement("span", {
      class: `input-row__shape${hint.fits ? "" : " input-row__shape--mismatch"}`,
      id: `${id}-shape`,
      "data-testid": `hint-${name}`,
      title: shapeTitle(name, value, spec, hint.fits),
    }, t(hint.key, hint.params)));
  }
  if (spec?.labels) {
    head.appendChild(htmlElement("span", { class: "input-row__badge", title: t("inputs.labels_title", { name }) }, t("inputs.labels")));
  }
  const described = [`${id}-error`, hint ? `${id}-shape` : "", spec?.hint ? `${id}-suggestion` : ""].filter(Boolean).join(" ");
  const shape = shapeOf(value);
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
      "aria-describedby": described,
    }),
  );
  field.value = textOf(value);
  const read = (commit) => {
    const parsed = readValue(field.value);
    if (!parsed.ok) {
      handlers.onInvalid(name, { key: parsed.code, params: parsed.params });
      return;
    }
    handlers.onInvalid(name, null);
    (commit ? handlers.onCommit : handlers.onInput)(name, parsed.value);
  };
  field.addEventListener("input", () => read(false));
  field.addEventListener("change", () => read(true));
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      read(true);
    }
  });
  if (Array.isArray(value) && hasGrid(shape)) {
    row.appendChild(tensorGrid(name, value, shape, handlers));
    row.appendChild(gridButtons(name, value, shape, handlers));
  }
  if (spec?.hint) row.appendChild(suggestion(name, spec.hint, `${id}-suggestion`, handlers));
  row.appendChild(htmlElement("p", { class: "input-row__error", id: `${id}-error`, "data-testid": `value-error-${name}`, hidden: "" }));
  handlers.onRow?.(row, name, value);
  return row;
}

function shapeTitle(name, value, spec, fits) {
  const required = spec?.shape;
  const words = required === null || required === undefined
    ? t("inputs.required_any")
    : required.length === 0 ? t("inputs.required_scalar") : t("inputs.required_shape", { shape: shapeText(required) });
  const shape = Array.isArray(value) ? shapeText(shapeOf(value)) : t("inputs.scalar");
  return t(fits ? "inputs.shape_title" : "inputs.needs_title", { name, shape, required: words });
}

function suggestion(name, hint, id, handlers) {
  const box = htmlElement("p", { class: "input-row__suggestion", id, "data-testid": `suggestion-${name}` }, hint.message);
  box.append(" ");
  const button = box.appendChild(htmlElement("button", {
    type: "button",
    class: "input-row__apply",
    "aria-label": t("inputs.apply_hint_label", { name, suggestion: hint.suggestion }),
  }, t("inputs.apply_hint", { suggestion: hint.suggestion })));
  button.addEventListener("click", () => handlers.onApplyHint(name, hint.suggestion));
  return box;
}

function tensorGrid(name, value, shape, handlers) {
  const rows = shape.length === 2 ? shape[0] : 1;
  const cols = shape.length === 2 ? shape[1] : shape[0];
  const grid = htmlElement("div", { class: "tensor-grid", role: "group", "aria-label": t("inputs.grid", { name, shape: shapeText(shape) }) });
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
      cell.value = textOf(cellOf(value, key));
      const edit = (commit) => {
        const parsed = readValue(cell.value);
        const ok = parsed.ok && !Array.isArray(parsed.value);
        if (!ok) {
          cell.setAttribute("aria-invalid", "true");
          handlers.onInvalid(name, parsed.ok ? { key: "inputs.error_not_number", params: { text: cell.value } } : { key: parsed.code, params: parsed.params });
          return;
        }
        cell.removeAttribute("aria-invalid");
        const whole = /** @type {HTMLInputElement} */ (grid.closest(".input-row")?.querySelector(".input-row__field"));
        const current = readValue(whole.value);
        const base = current.ok && Array.isArray(current.value) ? current.value : value;
        const next = withCell(base, key, /** @type {number} */ (parsed.value));
        whole.value = textOf(next);
        handlers.onInvalid(name, null);
        (commit ? handlers.onCommit : handlers.onInput)(name, next);
      };
      cell.addEventListener("input", () => edit(false));
      cell.addEventListener("change", () => edit(true));
    }
  }
  return grid;
}

function gridButtons(name, value, shape, handlers) {
  const bar = htmlElement("div", { class: "tensor-grid__buttons" });
  const edits = shape.length === 2
    ? [["add-row", "add_row"], ["remove-row", "remove_row"], ["add-column", "add_column"], ["remove-column", "remove_column"]]
    : [["add-column", "add_element"], ["remove-column", "remove_element"]];
  for (const [edit, words] of edits) {
    const next = resize(value, /** @type {any} */ (edit));
    const button = bar.appendChild(htmlElement("button", {
      type: "button",
      class: "tensor-grid__button",
      "data-testid": `${edit}-${name}`,
      "aria-label": t(`inputs.${words}_label`, { name }),
    }, t(`inputs.${words}`)));
    button.disabled = next === null;
    button.addEventListener("click", () => {
      if (next !== null) handlers.onCommit(name, next);
    });
  }
  return bar;
}
