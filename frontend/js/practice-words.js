/**
 * Practice mode in words: a question, its hints and the rules of the summary, from the parts
 * the server sends with each step (the op table's words) and the catalog messages/practice.js.
 * No DOM: unit-tested.
 * @module practice-words
 */

import { t } from "./i18n.js";
import { answerText, hintsEarned } from "./practice.js";

/**
 * The question, with "?" where the answer goes, or with the answer once it is known.
 * @param {import("./practice.js").Question} question
 * @param {boolean} [answered]
 * @returns {string}
 */
export function questionText(question, answered = false) {
  const w = question.words;
  const answer = answered ? answerText(question) : "?";
  if (question.kind === "value") {
    const key = w.name ? "practice.ask_value_named" : "practice.ask_value";
    return t(key, { gate: w.gate, name: w.name ?? "", formula: w.formula, answer });
  }
  if (question.kind === "sum") return t("practice.ask_sum", { node: w.node, count: w.count, f: w.f, of: w.of, answer });
  return t("practice.ask_grad", { gate: w.gate, input: w.input, f: w.f, of: w.of, answer });
}

/**
 * The hints a question has earned so far, in order: first the rule in words, then the rule
 * with the numbers in.
 * @param {import("./practice.js").Question} question
 * @param {import("./practice.js").Status} status
 * @returns {string[]}
 */
export function hintTexts(question, status) {
  return allHints(question).slice(0, hintsEarned(status));
}

/**
 * Both hints of a question.
 * @param {import("./practice.js").Question} question
 * @returns {[string, string]}
 */
export function allHints(question) {
  const w = question.words;
  if (question.kind === "value") {
    return [t("practice.hint_value_1", { gate: w.gate, formula: w.formula }), t("practice.hint_value_2", { formula: w.formula, numbers: w.numbers })];
  }
  if (question.kind === "sum") {
    return [t("practice.hint_sum_1", { pattern: w.pattern }), t("practice.hint_sum_2", { f: w.f, of: w.of, terms: w.terms })];
  }
  const first = w.pattern
    ? t("practice.hint_grad_1", { pattern: w.pattern, local: w.local })
    : t("practice.hint_grad_1_plain", { gate: w.gate, input: w.input, local: w.local });
  return [first, t("practice.hint_grad_2", { local_numbers: w.local_numbers, product: w.product })];
}

/**
 * How a closed question went, in a word or three.
 * @param {import("./practice.js").Status} status
 * @returns {string}
 */
export function markText(status) {
  if (status.state === "revealed") return t("practice.mark_revealed");
  return t(status.wrong > 0 ? "practice.mark_helped" : "practice.mark_right");
}

/**
 * A rule of the summary: its pattern's name ("mul swaps", "fan-out sums"), else the gate's
 * local gradient or forward value.
 * @param {import("./practice.js").RuleMissed} rule
 * @returns {string}
 */
export function ruleText(rule) {
  if (rule.name) return rule.name;
  return t(rule.kind === "value" ? "practice.rule_forward" : "practice.rule_local", { gate: rule.gate ?? "" });
}

/**
 * What to reread about a rule: its pattern where the op's row names one, else the rule itself
 * as the first question missed was asked it (the gate's formula, or its local gradient).
 * @param {import("./practice.js").RuleMissed} rule
 * @returns {string}
 */
export function ruleDetail(rule) {
  if (rule.pattern) return rule.pattern;
  const w = rule.misses[0]?.words ?? {};
  if (rule.kind === "value") return t("practice.computes", { gate: w.gate, formula: w.formula });
  return t("practice.local_is", { gate: w.gate, input: w.input, local: w.local });
}

/**
 * Where a question was asked, as the diagram names it: the wire's input, the gate's formula,
 * the fanned-out value.
 * @param {import("./practice.js").Question} question
 * @returns {string}
 */
export function whereText(question) {
  const w = question.words;
  if (question.kind === "value") return w.name ?? w.formula;
  if (question.kind === "sum") return w.node;
  return w.input;
}
