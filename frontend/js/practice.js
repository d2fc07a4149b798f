/**
 * Practice mode, the pure part: which numbers the learner works out at each step, whether an
 * answer is right, which hint comes next, what the diagram may show meanwhile, and the summary
 * of what went wrong. No DOM, no state: the quiz is a value, each answer makes a new one.
 *
 * What is asked: at a gate's forward step its value; at a gate's backward step the gradient
 * of each input wire that carries one; where a value fans out, first the sum at its backward
 * step. Inputs, constants, the seed and tensors are given, not asked (a tensor's numbers stay
 * on show: practice asks for scalars only).
 * @module practice
 */

import { formatNumber } from "./format.js";

/** The wrong answers after which the answer is shown: one hint, another, then the answer. */
export const REVEAL_AFTER = 3;
/** A right answer may be off by this fraction of the answer: room for numbers carried over
 * rounded from earlier steps (1 / 1.368 = 0.7310 for 0.7311); it covers half a unit of the
 * page's fourth significant digit. */
export const RELATIVE_TOLERANCE = 1e-3;
/** Below this, a number is 0 (round-off of exact cancellations). */
const ZERO = 1e-12;
const NEVER = Number.POSITIVE_INFINITY;

/**
 * @typedef {"value" | "grad" | "sum"} Kind
 * @typedef {{id: string, step: number, kind: Kind, node: string, edge: string | null,
 *   expected: number, op: string, words: Record<string, any>}} Question
 * @typedef {{wrong: number, state: "open" | "right" | "revealed", last: string}} Status
 * @typedef {{key: string, questions: Question[], status: Status[]}} Quiz
 */

/**
 * The questions of a decoded /api/graph answer, in step order (within a step: the fan-out's
 * sum, then the input wires in port order).
 * @param {{steps: any[], nodeById: Map<string, any>, edgeById: Map<string, any>}} result
 * @returns {Question[]}
 */
export function questionsOf(result) {
  /** @type {Question[]} */
  const questions = [];
  result.steps.forEach((step, index) => {
    const node = result.nodeById.get(step.node);
    const words = step.words;
    if (!node || !words) return;
    const ask = (kind, edge, expected, said) => {
      questions.push({ id: `${index}:${kind}:${edge ?? node.id}`, step: index, kind, node: node.id, edge, expected, op: node.op, words: said });
    };
    if (step.phase === "forward") {
      // A scalar computed from tensors (sum(W)) is not asked: its operands are heatmaps.
      const operands = Object.values(step.operands ?? {});
      if (isScalar(node.value) && operands.every((value) => value !== null)) ask("value", null, node.value, words);
      return;
    }
    if (words.fanout && isScalar(node.grad)) ask("sum", null, node.grad, { f: words.f, ...words.fanout });
    for (const id of Object.keys(step.locals ?? {})) {
      const edge = result.edgeById.get(id);
      const wire = words.wires?.[id];
      if (edge && wire && isScalar(edge.grad) && step.locals[id] !== null) {
        ask("grad", id, edge.grad, { f: words.f, gate: words.gate, pattern: words.pattern, pattern_name: words.pattern_name, ...wire });
      }
    }
  });
  return questions;
}

/**
 * A fresh quiz for a result: every question open.
 * @param {Parameters<typeof questionsOf>[0]} result
 * @returns {Quiz}
 */
export function newQuiz(result) {
  const questions = questionsOf(result);
  return {
    key: questions.map((q) => `${q.id}=${q.expected}`).join(";"),
    questions,
    status: questions.map(() => ({ wrong: 0, state: "open", last: "" })),
  };
}

/**
 * The quiz for a new answer of the server: the old one's progress where the questions and
 * their answers are the same (the words may be in another language), else a fresh quiz.
 * @param {Quiz | null} quiz
 * @param {Parameters<typeof questionsOf>[0]} result
 * @returns {Quiz}
 */
export function keepQuiz(quiz, result) {
  const fresh = newQuiz(result);
  return quiz && quiz.key === fresh.key ? { ...fresh, status: quiz.status } : fresh;
}

/**
 * Read a typed answer: a decimal number (with an exponent), a fraction `a/b`, NaN or ∞.
 * Full-width digits and the typographic minus are read too (a Chinese keyboard types them).
 * @param {string} text
 * @returns {{value: number, digits: number} | null}  `digits`: the significant digits
 *   typed (Infinity for a fraction: it is exact); null when it is not a number
 */
export function parseAnswer(text) {
  const plain = String(text)
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[\u2212\u2012\u2013\uFF0D]/g, "-")
    .replace(/\uFF0B/g, "+")
    .replace(/[\uFF0E\u3002]/g, ".")
    .replace(/[\uFF0F\u2044]/g, "/")
    .replace(/\s+/g, "")
    .toLowerCase();
  const special = /^([+-]?)(nan|inf|infinity|∞)$/.exec(plain);
  if (special) {
    if (special[2] === "nan") return { value: Number.NaN, digits: Infinity };
    return { value: special[1] === "-" ? -Infinity : Infinity, digits: Infinity };
  }
  const number = "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?";
  const fraction = new RegExp(`^(${number})/(${number})$`).exec(plain);
  if (fraction) {
    const denominator = Number(fraction[2]);
    if (denominator === 0) return null;
    return { value: Number(fraction[1]) / denominator, digits: Infinity };
  }
  if (!new RegExp(`^${number}$`).test(plain)) return null;
  return { value: Number(plain), digits: significantDigits(plain) };
}

/**
 * How many significant digits a decimal was written with: "0.20" has 2, "-0.001" 1, "40" 1.
 * @param {string} text
 * @returns {number}
 */
export function significantDigits(text) {
  const mantissa = text.replace(/^[+-]/, "").split("e")[0];
  const pointed = mantissa.includes(".");
  let digits = mantissa.replace(".", "").replace(/^0+/, "");
  if (!pointed) digits = digits.replace(/0+$/, "");
  return Math.max(digits.length, 1);
}

/**
 * Whether a typed answer is right. It is when it reads as the digits the page shows
 * (formatNumber), when it is within RELATIVE_TOLERANCE of the answer, or when it is the answer
 * rounded to the learner's own digits, given at least two (0.73 for 0.7311, -0.20 for
 * -0.1966, as the CS231n notes write them).
 * @param {string} text
 * @param {number} expected
 * @returns {"right" | "wrong" | "unreadable"}
 */
export function checkAnswer(text, expected) {
  const parsed = parseAnswer(text);
  if (!parsed) return "unreadable";
  return isRight(parsed.value, parsed.digits, expected) ? "right" : "wrong";
}

function isRight(value, digits, expected) {
  if (Number.isNaN(expected)) return Number.isNaN(value);
  if (!Number.isFinite(expected) || !Number.isFinite(value)) return value === expected;
  if (formatNumber(value) === formatNumber(expected)) return true;
  const off = Math.abs(value - expected);
  if (off <= ZERO || off <= RELATIVE_TOLERANCE * Math.abs(expected)) return true;
  if (digits >= 2 && digits <= 100) return expected.toPrecision(digits) === value.toPrecision(digits);
  return false;
}

/**
 * Answer question `index`: a new quiz, and what became of the answer.
 * @param {Quiz} quiz
 * @param {number} index
 * @param {string} text
 * @returns {{quiz: Quiz, verdict: "right" | "wrong" | "revealed" | "unreadable" | "closed"}}
 */
export function submitAnswer(quiz, index, text) {
  const status = quiz.status[index];
  if (!status || status.state !== "open") return { quiz, verdict: "closed" };
  const verdict = checkAnswer(text, quiz.questions[index].expected);
  if (verdict === "unreadable") return { quiz, verdict };
  if (verdict === "right") return { quiz: withStatus(quiz, index, { ...status, state: "right" }), verdict };
  const wrong = status.wrong + 1;
  const state = wrong >= REVEAL_AFTER ? "revealed" : "open";
  return { quiz: withStatus(quiz, index, { wrong, state, last: String(text).trim() }), verdict: state === "open" ? "wrong" : "revealed" };
}

/**
 * Give up on question `index`: its answer is shown.
 * @param {Quiz} quiz
 * @param {number} index
 * @returns {Quiz}
 */
export function revealAnswer(quiz, index) {
  const status = quiz.status[index];
  if (!status || status.state !== "open") return quiz;
  return withStatus(quiz, index, { ...status, state: "revealed" });
}

/**
 * The hints a question's status has earned: 0, 1 (the rule in words) or 2 (with numbers).
 * @param {Status} status
 * @returns {number}
 */
export function hintsEarned(status) {
  return Math.min(status.wrong, REVEAL_AFTER - 1);
}

/**
 * The indexes of a step's questions.
 * @param {Quiz} quiz
 * @param {number} step  index into the steps (position − 1)
 * @returns {number[]}
 */
export function questionsAt(quiz, step) {
  const found = [];
  quiz.questions.forEach((question, index) => {
    if (question.step === step) found.push(index);
  });
  return found;
}

/**
 * The first open question of a step, or -1.
 * @param {Quiz} quiz
 * @param {number} step
 * @returns {number}
 */
export function openQuestionAt(quiz, step) {
  return questionsAt(quiz, step).find((index) => quiz.status[index].state === "open") ?? -1;
}

/**
 * The furthest position the learner may step to: the first step with an open question
 * (where the question is asked), or the end.
 * @param {Quiz} quiz
 * @param {number} count  the number of steps
 * @returns {number}
 */
export function reachable(quiz, count) {
  const index = quiz.status.findIndex((status) => status.state === "open");
  return index < 0 ? count : Math.min(count, quiz.questions[index].step + 1);
}

/**
 * The schedule the diagram follows in practice: a number still asked for never shows (its
 * value, its wires' values, its gradient or its sum), and `limit` is the furthest position.
 * `changesAt` is the plain schedule's, so stepping still redraws what a position touches.
 * @param {import("./stepper.js").Schedule & {base?: any}} schedule
 * @param {Quiz} quiz
 * @returns {import("./stepper.js").Schedule & {base: any, limit: number}}
 */
export function maskSchedule(schedule, quiz) {
  const base = schedule.base ?? schedule;
  const valueAt = new Map(base.valueAt);
  const gradAt = new Map(base.gradAt);
  const edgeValueAt = new Map(base.edgeValueAt);
  const edgeGradAt = new Map(base.edgeGradAt);
  quiz.questions.forEach((question, index) => {
    if (quiz.status[index].state !== "open") return;
    if (question.kind === "value") {
      valueAt.set(question.node, NEVER);
      for (const edge of base.outgoing.get(question.node) ?? []) edgeValueAt.set(edge, NEVER);
    } else if (question.kind === "sum") {
      gradAt.set(question.node, NEVER);
    } else if (question.edge) {
      edgeGradAt.set(question.edge, NEVER);
    }
  });
  return { ...base, valueAt, gradAt, edgeValueAt, edgeGradAt, base, limit: reachable(quiz, base.count) };
}

/**
 * The nodes whose value is still asked for (the code panel blanks their `# = value`).
 * @param {Quiz | null} quiz
 * @returns {Set<string>}
 */
export function hiddenValues(quiz) {
  const hidden = new Set();
  quiz?.questions.forEach((question, index) => {
    if (question.kind === "value" && quiz.status[index].state === "open") hidden.add(question.node);
  });
  return hidden;
}

/**
 * @typedef {{rule: string, kind: Kind, name: string | null, gate: string | null,
 *   pattern: string | null, misses: Question[]}} RuleMissed
 * @typedef {{total: number, right: number, helped: number, revealed: number, open: number,
 *   rules: RuleMissed[]}} Summary
 */

/**
 * What went well and what to reread: the counts, and the rules of the questions answered
 * wrong at least once (or given up on), most missed first. A rule is the gate's pattern
 * where its row names one ("mul swaps", "max routes"), a fan-out's sum ("fan-out sums"), or
 * else the gate's local gradient or forward value.
 * @param {Quiz} quiz
 * @returns {Summary}
 */
export function summarize(quiz) {
  const counts = { total: quiz.questions.length, right: 0, helped: 0, revealed: 0, open: 0 };
  /** @type {Map<string, RuleMissed>} */
  const rules = new Map();
  quiz.questions.forEach((question, index) => {
    const status = quiz.status[index];
    if (status.state === "open") counts.open += 1;
    else if (status.state === "revealed") counts.revealed += 1;
    else if (status.wrong > 0) counts.helped += 1;
    else counts.right += 1;
    if (status.state === "open" || (status.state === "right" && status.wrong === 0)) return;
    const rule = ruleOf(question);
    const entry = rules.get(rule.rule) ?? { ...rule, misses: [] };
    entry.misses.push(question);
    rules.set(rule.rule, entry);
  });
  const ordered = [...rules.values()].sort((a, b) => b.misses.length - a.misses.length);
  return { ...counts, rules: ordered };
}

/**
 * The rule a question practises.
 * @param {Question} question
 * @returns {{rule: string, kind: Kind, name: string | null, gate: string | null, pattern: string | null}}
 */
export function ruleOf(question) {
  const { kind, op, words } = question;
  if (kind === "sum") return { rule: "fanout", kind, name: words.pattern_name ?? null, gate: null, pattern: words.pattern ?? null };
  if (kind === "value") return { rule: `forward:${op}`, kind, name: null, gate: words.gate ?? op, pattern: null };
  return { rule: `local:${op}`, kind, name: words.pattern_name ?? null, gate: words.gate ?? op, pattern: words.pattern ?? null };
}

/**
 * The answer as the page writes it.
 * @param {Question} question
 * @returns {string}
 */
export function answerText(question) {
  return formatNumber(question.expected);
}

function withStatus(quiz, index, status) {
  const next = quiz.status.slice();
  next[index] = status;
  return { ...quiz, status: next };
}

function isScalar(value) {
  return typeof value === "number";
}

/**
 * The schedule and quiz for a new answer of the server: in practice mode the quiz carries on
 * (or starts afresh when the numbers changed) and the schedule hides what it asks for.
 * @param {{practice: boolean, quiz: Quiz | null}} state
 * @param {Parameters<typeof questionsOf>[0]} result
 * @param {import("./stepper.js").Schedule} schedule
 * @returns {{schedule: import("./stepper.js").Schedule & {limit?: number}, quiz: Quiz | null}}
 */
export function practiceFor(state, result, schedule) {
  if (!state.practice) return { schedule, quiz: null };
  const quiz = keepQuiz(state.quiz, result);
  return { schedule: maskSchedule(schedule, quiz), quiz };
}
