/**
 * The Inputs panel: a field per input of the circuit (a grid of cells for a small tensor),
 * with the shape an example expects of it.
 * @module inputs-view
 */

import { shapeOf, parseValueText, valueToText } from "./format.js";
import { t } from "./i18n.js";
import { htmlElement } from "./svg.js";

/** Tensors up to this many elements (and at most 2-D) get a grid of cells. */
const GRID_LIMIT = 64;

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
  // Names are the learner's: `toString` or `constructor` must not find Object's members.
  const valueOf = (name) => (Object.hasOwn(values, name) ? values[name] : undefined);
  const hintOf = (name) => (Object.hasOwn(hints, name) ? hints[name] : undefined);
  const signature = names.map((name) => `${name}:${shapeOf(valueOf(name)).join("x")}:${hintOf(name)?.join("x") ?? ""}`).join(",");
  if (container.dataset.signature === signature) {
    for (const field of container.querySelectorAll("[data-input]")) {
      if (field === document.activeElement) continue;
      const name = field.dataset.input;
      const cell = field.dataset.cell;
      field.value = cell ? valueToText(readCell(valueOf(name), cell)) : valueToText(valueOf(name));
      field.removeAttribute("aria-invalid");
    }
    return;
  }
  container.dataset.signature = signature;
  container.replaceChildren();
  if (names.length === 0) {
    container.appendChild(htmlElement("p", { class: "hint" }, t("core.no_inputs")));
    return;
  }
  for (const name of names) container.appendChild(inputRow(name, valueOf(name), handlers, hintOf(name)));
}

/**
 * The label of a dimension hint: "[2×3]", or "expects [2×3]" when the value has another shape.
 * @param {number[]} hint
 * @param {any} value
 * @returns {{text: string, matches: boolean}}
 */
export function hintText(hint, value) {
  const want = hint.length ? `[${hint.join("×")}]` : t("core.hint_scalar"); // as the wires write shapes
  const matches = shapeOf(value).join("×") === hint.join("×");
  return { text: matches ? want : t("core.hint_expects", { shape: want }), matches };
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
      title: t(matches ? "core.hint_has_shape" : "core.hint_should_have", { name, shape: hint.join("×") }),
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
