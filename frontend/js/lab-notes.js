/**
 * A run's warnings under its result (the gradient check's, the optimizer's, the
 * classifier's): the server's sentences, worded in the language the page asked in.
 *
 * The server words every warning from its catalog (`notices`: code, params, message); the
 * page shows the messages as they came, each marked with the language it was asked in, and
 * wipes them when the next run starts.
 * @module lab-notes
 */

import { getLang } from "./i18n.js";
import { worded } from "./lab-widgets.js";
import { htmlElement } from "./svg.js";

/**
 * The notices of one or more answers, each message once, in order of first appearance.
 * Older answers without `notices` give their `warnings` (sentences only).
 * @param {Array<{notices?: Array<{code: string, params: object, message: string}>, warnings?: string[]}>} answers
 * @returns {Array<{code: string, message: string}>}
 */
export function collectNotices(answers) {
  const seen = new Set();
  const out = [];
  for (const answer of answers) {
    const notices = answer?.notices ?? (answer?.warnings ?? []).map((message) => ({ code: "", message }));
    for (const { code, message } of notices) {
      if (seen.has(message)) continue;
      seen.add(message);
      out.push({ code, message });
    }
  }
  return out;
}

/**
 * A box of warnings appended to `parent`, hidden while it has none. It is a status region:
 * a screen reader announces new warnings.
 * @param {HTMLElement} parent
 * @param {string} testid  e.g. "gradcheck-notes"
 * @returns {{show: (answers: any[], lang?: string) => void, clear: () => void}}
 */
export function notesBox(parent, testid) {
  const box = parent.appendChild(htmlElement("div", { class: "lab__notes", "data-testid": testid, role: "status", "aria-live": "polite" }));
  box.hidden = true;
  box.appendChild(worded("p", "lab.notes_title", { class: "lab__notes-title" }));
  const list = box.appendChild(htmlElement("ul", { class: "lab__warnings" }));
  return {
    show(answers, lang = getLang()) {
      const notices = collectNotices(answers);
      list.replaceChildren(...notices.map(({ code, message }) => htmlElement("li", { "data-code": code, lang }, message)));
      box.hidden = notices.length === 0;
    },
    clear() {
      list.replaceChildren();
      box.hidden = true;
    },
  };
}
