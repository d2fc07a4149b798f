import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { decodeGraph } from "../../frontend/js/api.js";
import {
  REVEAL_AFTER,
  checkAnswer,
  hiddenValues,
  hintsEarned,
  keepQuiz,
  maskSchedule,
  newQuiz,
  openQuestionAt,
  parseAnswer,
  questionsAt,
  reachable,
  revealAnswer,
  significantDigits,
  submitAnswer,
  summarize,
} from "../../frontend/js/practice.js";
import { buildSchedule, isShown } from "../../frontend/js/stepper.js";

// x*y + x at x = 3, y = -2, shaped as /api/graph answers it: x fans out to two gates.
const MUL_WORDS = { f: "f", gate: "multiply", pattern: "mul swaps: each input's local gradient is the other input's value", pattern_name: "mul swaps" };
const payload = {
  value: -3,
  gradients: { x: -1, y: 3 },
  output: "n3",
  nodes: [
    { id: "n0", op: "input", label: "x", name: "x", inputs: [], value: 3, grad: -1, shape: [] },
    { id: "n1", op: "input", label: "y", name: "y", inputs: [], value: -2, grad: 3, shape: [] },
    { id: "n2", op: "mul", label: "*", inputs: ["n0", "n1"], value: -6, grad: 1, shape: [] },
    { id: "n3", op: "add", label: "+", inputs: ["n2", "n0"], value: -3, grad: 1, shape: [] },
  ],
  edges: [
    { id: "e0", source: "n0", target: "n2", value: 3, grad: -2 },
    { id: "e1", source: "n1", target: "n2", value: -2, grad: 3 },
    { id: "e2", source: "n2", target: "n3", value: -6, grad: 1 },
    { id: "e3", source: "n0", target: "n3", value: 3, grad: 1 },
  ],
  steps: [
    { phase: "forward", node: "n0", text: "input x = 3" },
    { phase: "forward", node: "n1", text: "input y = -2" },
    { phase: "forward", node: "n2", text: "multiply gate: x × y = 3 × (-2) = -6", words: { gate: "multiply", name: null, formula: "x × y", numbers: "3 × (-2)" } },
    { phase: "forward", node: "n3", text: "add gate: …", words: { gate: "add", name: null, formula: "x × y + x", numbers: "-6 + 3" } },
    {
      phase: "backward", node: "n3", text: "…", upstream: 1, locals: { e2: 1, e3: 1 },
      words: { f: "f", gate: "add", pattern: "add distributes: every input receives the upstream gradient unchanged", pattern_name: "add distributes", wires: {
        e2: { input: "x × y", of: "(x × y)", local: "1", local_numbers: "1", product: "1 × 1" },
        e3: { input: "x", of: "x", local: "1", local_numbers: "1", product: "1 × 1" },
      } },
    },
    {
      phase: "backward", node: "n2", text: "…", upstream: 1, locals: { e0: -2, e1: 3 },
      words: { ...MUL_WORDS, wires: {
        e0: { input: "x", of: "x", local: "y", local_numbers: "y = -2", product: "-2 × 1" },
        e1: { input: "y", of: "y", local: "x", local_numbers: "x = 3", product: "3 × 1" },
      } },
    },
    { phase: "backward", node: "n1", text: "input y: ∂f/∂y = 3", upstream: 3, locals: {}, words: { f: "f" } },
    {
      phase: "backward", node: "n0", text: "…", upstream: -1, fanout: ["e0", "e3"], locals: {},
      words: { f: "f", fanout: { node: "x", of: "x", count: 2, terms: "-2 + 1", pattern: "fan-out sums: …", pattern_name: "fan-out sums" } },
    },
  ],
  warnings: [],
};
const result = decodeGraph(payload);
const schedule = buildSchedule(result.steps, result.edges);

/** Answer every question of a quiz right, in order. */
function answerAll(quiz) {
  let q = quiz;
  q.questions.forEach((question, index) => {
    q = submitAnswer(q, index, String(question.expected)).quiz;
  });
  return q;
}

describe("questionsOf / newQuiz", () => {
  it("asks each gate's value, each wire's gradient and a fan-out's sum, in step order", () => {
    const quiz = newQuiz(result);
    const asked = quiz.questions.map((q) => [q.step, q.kind, q.edge ?? q.node, q.expected]);
    assert.deepEqual(asked, [
      [2, "value", "n2", -6],
      [3, "value", "n3", -3],
      [4, "grad", "e2", 1],
      [4, "grad", "e3", 1],
      [5, "grad", "e0", -2],
      [5, "grad", "e1", 3],
      [7, "sum", "n0", -1],
    ]);
    assert.ok(quiz.status.every((s) => s.state === "open" && s.wrong === 0));
    // A wire's words carry its gate's pattern, for the hints and the summary.
    assert.equal(quiz.questions[4].words.pattern_name, "mul swaps");
    assert.equal(quiz.questions[4].words.local, "y");
  });

  it("asks no scalar made from tensors, and no wire whose local gradient is a Jacobian", () => {
    const fromTensors = decodeGraph({
      ...payload,
      steps: payload.steps.map((step, i) => {
        if (i === 2) return { ...step, operands: { e0: null, e1: -2 } };
        if (i === 5) return { ...step, locals: { e0: null, e1: 3 } };
        return step;
      }),
    });
    const asked = newQuiz(fromTensors).questions.map((q) => q.edge ?? q.node);
    assert.ok(!asked.includes("n2") && !asked.includes("e0") && asked.includes("e1"));
  });

  it("leaves tensors on show: no question where a value or gradient is a list", () => {
    const tensor = decodeGraph({
      ...payload,
      nodes: payload.nodes.map((n) => (n.id === "n2" ? { ...n, value: [1, 2], grad: [1, 1] } : n)),
      edges: payload.edges.map((e) => (e.source === "n2" ? { ...e, value: [1, 2], grad: [1, 1] } : e)),
    });
    const kinds = newQuiz(tensor).questions.map((q) => q.edge ?? q.node);
    assert.ok(!kinds.includes("n2") && !kinds.includes("e2"));
  });

  it("keeps the learner's progress when only the words changed, not when the numbers did", () => {
    const quiz = submitAnswer(newQuiz(result), 0, "-6").quiz;
    const reworded = decodeGraph({ ...payload, steps: payload.steps.map((s) => ({ ...s, text: `中文 ${s.text}` })) });
    assert.equal(keepQuiz(quiz, reworded).status[0].state, "right");
    const renumbered = decodeGraph({ ...payload, nodes: payload.nodes.map((n) => (n.id === "n2" ? { ...n, value: -7 } : n)) });
    assert.equal(keepQuiz(quiz, renumbered).status[0].state, "open");
    assert.equal(keepQuiz(null, result).status[0].state, "open");
  });
});

describe("checkAnswer", () => {
  it("accepts the digits the page shows, and the same number written otherwise", () => {
    for (const text of ["-0.1966", "-0.19661", "-.1966", "−0.1966", "－０．１９６６", " -0.1966 "]) {
      assert.equal(checkAnswer(text, -0.19661193324148188), "right", text);
    }
    assert.equal(checkAnswer("-0.20", -0.2), "right");
    assert.equal(checkAnswer("-2e-1", -0.2), "right");
    assert.equal(checkAnswer("6", 6), "right");
    assert.equal(checkAnswer("0", -0), "right");
  });

  it("accepts numbers carried over rounded (0.1%), and the answer to the learner's own digits", () => {
    assert.equal(checkAnswer("0.7310", 0.7310585786300049), "right"); // 1 / 1.368
    assert.equal(checkAnswer("0.73", 0.7310585786300049), "right"); // as the notes write it
    assert.equal(checkAnswer("-0.20", -0.19661193324148188), "right");
    assert.equal(checkAnswer("-0.53", -0.534446645388523), "right");
  });

  it("refuses what is off by more than the shown digits allow", () => {
    assert.equal(checkAnswer("0.72", 0.7310585786300049), "wrong");
    assert.equal(checkAnswer("0.7", 0.7310585786300049), "wrong"); // one digit is too coarse
    assert.equal(checkAnswer("0.2", -0.19661193324148188), "wrong"); // the sign counts
    assert.equal(checkAnswer("-0.2", -0.19661193324148188), "wrong");
    assert.equal(checkAnswer("6.01", 6), "wrong");
    assert.equal(checkAnswer("0.001", 0), "wrong");
    assert.equal(checkAnswer("40", 41), "wrong");
  });

  it("reads fractions exactly, and NaN and ∞", () => {
    assert.equal(checkAnswer("1/3", 0.3333333333333333), "right");
    assert.equal(checkAnswer("-1/2", -0.5), "right");
    assert.equal(checkAnswer("1/3", 0.34), "wrong");
    assert.equal(checkAnswer("inf", Infinity), "right");
    assert.equal(checkAnswer("-∞", -Infinity), "right");
    assert.equal(checkAnswer("NaN", Number.NaN), "right");
    assert.equal(checkAnswer("1e308", Infinity), "wrong");
  });

  it("says so when the text is not a number at all", () => {
    for (const text of ["", "abc", "1/0", "1,5", "--2", "2x", "1/2/3"]) assert.equal(checkAnswer(text, 1), "unreadable", text);
    assert.equal(parseAnswer("1/0"), null);
  });

  it("counts significant digits as written", () => {
    assert.equal(significantDigits("0.20"), 2);
    assert.equal(significantDigits("-0.001"), 1);
    assert.equal(significantDigits("40"), 1);
    assert.equal(significantDigits("40."), 2);
    assert.equal(significantDigits("1.50e-3"), 3);
    assert.equal(significantDigits("0"), 1);
  });
});

describe("submitAnswer: hints, then the answer", () => {
  it("earns hint 1, hint 2, then shows the answer on the third wrong answer", () => {
    let quiz = newQuiz(result);
    const seen = [];
    for (let attempt = 1; attempt <= REVEAL_AFTER; attempt += 1) {
      const outcome = submitAnswer(quiz, 4, "5");
      quiz = outcome.quiz;
      seen.push([outcome.verdict, hintsEarned(quiz.status[4]), quiz.status[4].state]);
    }
    assert.deepEqual(seen, [
      ["wrong", 1, "open"],
      ["wrong", 2, "open"],
      ["revealed", 2, "revealed"],
    ]);
    assert.equal(quiz.status[4].last, "5");
    assert.equal(submitAnswer(quiz, 4, "-2").verdict, "closed");
  });

  it("does not count a text that is not a number", () => {
    const { quiz, verdict } = submitAnswer(newQuiz(result), 0, "six");
    assert.equal(verdict, "unreadable");
    assert.equal(quiz.status[0].wrong, 0);
  });

  it("reveals on request, and a right answer after hints still closes the question", () => {
    let quiz = submitAnswer(newQuiz(result), 0, "6").quiz; // a sign slip
    quiz = submitAnswer(quiz, 0, "-6").quiz;
    assert.deepEqual(quiz.status[0], { wrong: 1, state: "right", last: "6" });
    quiz = revealAnswer(quiz, 1);
    assert.equal(quiz.status[1].state, "revealed");
    assert.equal(revealAnswer(quiz, 1), quiz);
  });
});

describe("stepping and what the diagram shows", () => {
  it("stops at the first open question and moves on once it is answered", () => {
    let quiz = newQuiz(result);
    assert.equal(reachable(quiz, schedule.count), 3); // the mul gate's forward step
    assert.deepEqual(questionsAt(quiz, 4), [2, 3]);
    assert.equal(openQuestionAt(quiz, 2), 0);
    assert.equal(openQuestionAt(quiz, 0), -1); // an input: nothing to ask
    quiz = submitAnswer(quiz, 0, "-6").quiz;
    assert.equal(reachable(quiz, schedule.count), 4);
    assert.equal(reachable(answerAll(quiz), schedule.count), schedule.count);
  });

  it("hides each number asked for until it is answered", () => {
    let quiz = newQuiz(result);
    let masked = maskSchedule(schedule, quiz);
    const end = schedule.count;
    assert.ok(!isShown(masked.valueAt, "n2", end));
    assert.ok(!isShown(masked.edgeValueAt, "e2", end)); // the mul gate's value on its wire
    assert.ok(isShown(masked.edgeValueAt, "e0", end)); // inputs are given
    assert.ok(!isShown(masked.edgeGradAt, "e0", end));
    assert.ok(!isShown(masked.gradAt, "n0", end)); // the fan-out's sum
    assert.ok(isShown(masked.gradAt, "n1", end)); // a single wire's gradient is no new number
    assert.equal(masked.limit, 3);
    assert.deepEqual([...hiddenValues(quiz)].sort(), ["n2", "n3"]);
    quiz = submitAnswer(quiz, 0, "-6").quiz;
    masked = maskSchedule(masked, quiz); // masking a masked schedule starts from its base
    assert.ok(isShown(masked.valueAt, "n2", 3) && isShown(masked.edgeValueAt, "e2", 3));
    assert.ok(!isShown(masked.valueAt, "n2", 2)); // and stepping back still hides it
    assert.equal(masked.base, schedule);
    assert.deepEqual([...hiddenValues(quiz)], ["n3"]);
    const done = maskSchedule(schedule, answerAll(quiz));
    for (const key of ["valueAt", "gradAt", "edgeValueAt", "edgeGradAt"]) assert.deepEqual(done[key], schedule[key]);
  });
});

describe("summarize", () => {
  it("names the rules that went wrong, most missed first, and counts the rest", () => {
    let quiz = newQuiz(result);
    const answers = ["-6", "-3", "1", "1", "2", "-3", "1"]; // both mul wires swapped wrongly, the sum off
    answers.forEach((text, index) => {
      quiz = submitAnswer(quiz, index, text).quiz;
    });
    quiz = submitAnswer(quiz, 4, "-2").quiz; // right after a hint
    quiz = revealAnswer(quiz, 5);
    quiz = submitAnswer(quiz, 6, "-1").quiz;
    const summary = summarize(quiz);
    assert.deepEqual(
      { total: summary.total, right: summary.right, helped: summary.helped, revealed: summary.revealed, open: summary.open },
      { total: 7, right: 4, helped: 2, revealed: 1, open: 0 },
    );
    assert.deepEqual(summary.rules.map((r) => [r.rule, r.name, r.misses.length]), [
      ["local:mul", "mul swaps", 2],
      ["fanout", "fan-out sums", 1],
    ]);
    assert.ok(summary.rules[0].pattern.startsWith("mul swaps"));
  });

  it("has nothing to reread when every answer was right first time", () => {
    const summary = summarize(answerAll(newQuiz(result)));
    assert.equal(summary.right, summary.total);
    assert.deepEqual(summary.rules, []);
  });

  it("names a forward slip by its gate", () => {
    const quiz = revealAnswer(newQuiz(result), 0);
    assert.deepEqual(summarize(quiz).rules.map((r) => [r.rule, r.gate]), [["forward:mul", "multiply"]]);
  });
});

describe("the words of practice mode", async () => {
  const { setLang } = await import("../../frontend/js/i18n.js");
  const { allHints, hintTexts, markText, questionText, ruleDetail, ruleText, whereText } = await import("../../frontend/js/practice-words.js");
  const quiz = newQuiz(result);

  it("asks with a question mark and answers with the page's digits", () => {
    setLang("en");
    assert.equal(questionText(quiz.questions[0]), "multiply gate: x × y = ?");
    assert.equal(questionText(quiz.questions[0], true), "multiply gate: x × y = -6");
    assert.equal(questionText(quiz.questions[4]), "multiply gate, the wire from x: ∂f/∂x += ?");
    assert.equal(questionText(quiz.questions[6], true), "x feeds 2 wires: ∂f/∂x = -1");
  });

  it("gives the rule in words first, then local × upstream with the numbers", () => {
    setLang("en");
    const wire = quiz.questions[4];
    const [first, second] = allHints(wire);
    assert.ok(first.includes("mul swaps") && first.includes("local gradient y"), first);
    assert.ok(!/\d/.test(first.replace("Hint 1", "")), "the first hint has no numbers");
    assert.equal(second, "Hint 2: local gradient y = -2; local × upstream = -2 × 1.");
    assert.deepEqual(allHints(quiz.questions[6]), ["Hint 1: fan-out sums: ….", "Hint 2: ∂f/∂x = -2 + 1."]);
    assert.deepEqual(allHints(quiz.questions[0]), [
      "Hint 1: the multiply gate computes x × y; put in the values on its input wires.",
      "Hint 2: x × y = 3 × (-2).",
    ]);
    let q = quiz;
    assert.deepEqual(hintTexts(wire, q.status[4]), []);
    q = submitAnswer(q, 4, "2").quiz;
    assert.deepEqual(hintTexts(wire, q.status[4]), [first]);
    q = submitAnswer(q, 4, "3").quiz;
    assert.deepEqual(hintTexts(wire, q.status[4]), [first, second]);
  });

  it("speaks 简体中文 with the notes' terms", () => {
    setLang("zh-CN");
    assert.equal(questionText(quiz.questions[0]), "multiply门：x × y = ?"); // the server sends 乘法 in zh-CN
    assert.ok(allHints(quiz.questions[4])[1].includes("局部梯度 × 上游梯度"));
    assert.equal(markText({ wrong: 0, state: "right", last: "" }), "✓ 正确");
    setLang("en");
  });

  it("names a missed rule by its pattern, or by the gate", () => {
    setLang("en");
    const rules = summarize(revealAnswer(revealAnswer(quiz, 0), 4)).rules;
    assert.deepEqual(rules.map(ruleText), ["the multiply gate's forward value", "mul swaps"]);
    assert.deepEqual(rules.map((rule) => rule.misses.map(whereText)), [["x × y"], ["x"]]);
    assert.deepEqual(rules.map(ruleDetail), ["the multiply gate computes x × y", MUL_WORDS.pattern]);
    assert.equal(markText({ wrong: 2, state: "right", last: "" }), "✓ right after a hint");
    assert.equal(markText({ wrong: 1, state: "revealed", last: "" }), "shown");
  });
});
