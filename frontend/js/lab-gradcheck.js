/**
 * The lab's gradient check: analytic gradients against forward and centered differences,
 * as a table and, optionally, as estimates drawn under the circuit's wires.
 * @module lab-gradcheck
 */

import { decodeNumber, decodeValue, formatNumber } from "./format.js";
import { getLang, t } from "./i18n.js";
import { fetchGradcheck } from "./lab-api.js";
import { notesBox } from "./lab-notes.js";
import { button, errorText, labelled, numberInput, say, section, statusLine, worded } from "./lab-widgets.js";
import { htmlElement, svgElement } from "./svg.js";

/** Rows of the table per input; the rest are counted. */
const MAX_ROWS = 40;

/**
 * Build the section.
 * @param {HTMLElement} root
 * @param {() => {expression: string, values: object, expand: boolean}} currentRequest
 * @returns {{circuitChanged: () => void, relabel: () => void}}
 */
export function mountGradcheck(root, currentRequest) {
  const box = section(root, "lab.gradcheck", "gradcheck");
  box.appendChild(worded("p", "lab.gradcheck_hint", { class: "lab__hint" }));
  const row = box.appendChild(htmlElement("div", { class: "lab__row" }));
  const h = labelled(row, "lab.h", numberInput("1e-5", "gradcheck-h", { step: "any", min: "0" }));
  const run = button(row, "lab.check", "gradcheck-run");
  const wiresLabel = box.appendChild(htmlElement("label", { class: "check" }));
  const wires = /** @type {HTMLInputElement} */ (wiresLabel.appendChild(htmlElement("input", { type: "checkbox", "data-testid": "gradcheck-wires" })));
  wiresLabel.appendChild(worded("span", "lab.wires"));
  const out = statusLine(box, "gradcheck-status");
  const notes = notesBox(box, "gradcheck-notes");
  const tableWrap = box.appendChild(htmlElement("div", { class: "lab__table-wrap" }));
  let last = null;
  /** The request and language `last` answered: a language switch re-asks for its words. */
  let asked = { request: "", lang: "" };
  let timer = 0;

  async function runCheck() {
    say(out, [["lab.checking"]]);
    notes.clear();
    try {
      const step = Number(h.value);
      const request = currentRequest();
      asked = { request: JSON.stringify(request), lang: getLang() };
      last = await fetchGradcheck({ ...request, h: step > 0 ? step : 1e-5, wires: true });
      renderTable(tableWrap, last);
      const e = last.evaluations;
      say(out, [["lab.verdict", { verdict: t(`lab.verdict_${last.verdict}`) }], ["lab.check_cost", { analytic: e.analytic, backward: e.backward_passes, forward: e.forward_difference, centered: e.centered_difference }]]);
      out.dataset.verdict = last.verdict;
      notes.show([last]);
      decorateWires();
    } catch (error) {
      last = null;
      tableWrap.replaceChildren();
      say(out, [["lab.check_failed", { message: errorText(error) }]]);
    }
  }

  function decorateWires() {
    for (const old of document.querySelectorAll(".lab-estimate")) old.remove();
    if (!wires.checked || !last) return;
    for (const wire of last.wires) {
      const label = document.querySelector(`[data-edge="${CSS.escape(wire.edge)}"]`);
      const grad = label?.querySelector(".wire__grad");
      if (!label || !grad) continue;
      const error = decodeNumber(wire.error);
      const x = grad.getAttribute("x") ?? "0";
      const y = Number(grad.getAttribute("y") ?? 0) + 13;
      const verdict = wire.verdict;
      const text = svgElement("text", { class: `lab-estimate lab-estimate--${verdict}`, x, y, "data-lab-edge": wire.edge }, `≈${formatNumber(decodeNumber(wire.centered))}`);
      text.appendChild(svgElement("title", {}, t("lab.estimate_title", { value: formatNumber(decodeNumber(wire.centered)), error: formatNumber(error), verdict: t(`lab.verdict_${verdict}`) })));
      label.appendChild(text);
    }
  }

  run.addEventListener("click", runCheck);
  wires.addEventListener("change", () => (wires.checked && !last ? runCheck() : decorateWires()));
  return {
    circuitChanged() {
      if (last && JSON.stringify(currentRequest()) === asked.request) {
        // The same circuit drawn again (the language switched): its check stands, its
        // warnings (the server's words) are asked for again in the new language; its wire
        // estimates go on the new drawing.
        decorateWires();
        if (asked.lang !== getLang()) {
          clearTimeout(timer);
          timer = setTimeout(runCheck, 250);
        }
        return;
      }
      // New numbers on the circuit: an old check no longer describes them.
      last = null;
      notes.clear();
      decorateWires();
      if (wires.checked) {
        clearTimeout(timer);
        timer = setTimeout(runCheck, 250);
      }
    },
    relabel() {
      if (last) renderTable(tableWrap, last);
      decorateWires();
    },
  };
}

function renderTable(wrap, result) {
  const table = htmlElement("table", { class: "lab__table", "data-testid": "gradcheck-table" });
  const head = table.appendChild(htmlElement("thead")).appendChild(htmlElement("tr"));
  for (const key of ["lab.col_input", "lab.col_analytic", "lab.col_centered", "lab.col_forward", "lab.col_error_c", "lab.col_error_f"]) {
    head.appendChild(htmlElement("th", { scope: "col" }, t(key)));
  }
  const body = table.appendChild(htmlElement("tbody"));
  for (const input of result.inputs) {
    const cells = flatten(input);
    for (const cell of cells.slice(0, MAX_ROWS)) {
      const tr = body.appendChild(htmlElement("tr", { "data-input": input.name }));
      tr.appendChild(htmlElement("th", { scope: "row" }, cell.label));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.analytic)));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.centered)));
      tr.appendChild(htmlElement("td", {}, formatNumber(cell.forward)));
      // The server's verdict (the CS231n thresholds live there) is the colour, the cell's
      // title and its data-verdict: not colour alone.
      const verdict = cell.centeredVerdict;
      tr.appendChild(htmlElement("td", { class: `lab-verdict lab-verdict--${verdict}`, "data-verdict": verdict, title: t("lab.verdict_title_c", { verdict: t(`lab.verdict_${verdict}`) }) }, `${formatNumber(cell.centeredError)}${verdict === "excellent" ? "" : " ⚠"}`));
      const forwardVerdict = cell.forwardVerdict;
      tr.appendChild(htmlElement("td", { class: `lab-verdict lab-verdict--${forwardVerdict}`, title: t("lab.verdict_title_f", { verdict: t(`lab.verdict_${forwardVerdict}`) }) }, formatNumber(cell.forwardError)));
    }
    if (cells.length > MAX_ROWS) body.appendChild(htmlElement("tr")).appendChild(htmlElement("td", { colspan: "6" }, t("lab.more_rows", { count: cells.length - MAX_ROWS, name: input.name })));
  }
  wrap.replaceChildren(table);
}

/** One row per element of an input (x, W[0,1], …). */
function flatten(input) {
  const keys = ["analytic", "centered", "forward", "centered_error", "forward_error"];
  const flat = Object.fromEntries(keys.map((k) => [k, [decodeValue(input[k])].flat(Infinity)]));
  const centeredVerdicts = [input.centered_verdicts].flat(Infinity);
  const forwardVerdicts = [input.forward_verdicts].flat(Infinity);
  const shape = input.shape ?? [];
  return flat.analytic.map((_, i) => ({
    label: shape.length ? `${input.name}[${unravel(i, shape).join(",")}]` : input.name,
    analytic: flat.analytic[i],
    centered: flat.centered[i],
    forward: flat.forward[i],
    centeredError: flat.centered_error[i],
    forwardError: flat.forward_error[i],
    centeredVerdict: centeredVerdicts[i],
    forwardVerdict: forwardVerdicts[i],
  }));
}

function unravel(index, shape) {
  const out = [];
  for (let d = shape.length - 1; d >= 0; d -= 1) {
    out.unshift(index % shape[d]);
    index = Math.floor(index / shape[d]);
  }
  return out;
}
