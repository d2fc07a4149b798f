/**
 * Practice mode on the page: the switch, the question under the stepper with its answer box,
 * the hints as they are earned, the answers so far, and the summary at the end. While a step's
 * question is open its numbers stay hidden everywhere: the diagram follows a masked schedule
 * (practice.js), the explanation shows only its title, the code panel blanks its `# = value`.
 *
 * Keyboard: Enter checks; after a step's last answer the focus goes to Next (Enter or → goes
 * on), and arriving at a question puts the focus in its box. Escape leaves the box, so the
 * stepping keys work again.
 * @module practice-view
 */

import { hideValues } from "./code-panel.js";
import { t } from "./i18n.js";
import {
  hiddenValues,
  maskSchedule,
  newQuiz,
  openQuestionAt,
  questionsAt,
  revealAnswer,
  submitAnswer,
  summarize,
} from "./practice.js";
import { hintTexts, markText, questionText, ruleDetail, ruleText, whereText } from "./practice-words.js";
import { getState, subscribe, update } from "./state.js";
import { htmlElement } from "./svg.js";

/**
 * Wire practice mode into the page.
 * @param {{
 *   toggle: HTMLInputElement, panel: HTMLElement, explanation: HTMLElement, code: HTMLElement,
 *   next: HTMLButtonElement, stage: HTMLElement, svg: SVGSVGElement, app: HTMLElement,
 *   diagram: {refresh: (result: any, schedule: any, position: number) => void},
 *   actions: {last: () => void}, stop: () => void,
 * }} parts
 */
export function mountPractice({ toggle, panel, explanation, code, next, stage, svg, app, diagram, actions, stop }) {
  const ui = buildPanel(panel);

  /** Switch practice on (a fresh quiz from the first step) or off (every number back). */
  function setPractice(on) {
    stop();
    const s = getState();
    if (!s.result || !s.schedule) {
      update({ practice: on, quiz: null }); // the next answer of the server starts the quiz
      return;
    }
    const base = s.schedule.base ?? s.schedule;
    if (on) {
      const quiz = newQuiz(s.result);
      const schedule = maskSchedule(base, quiz);
      update({ practice: true, quiz, schedule, position: 0 });
      diagram.refresh(s.result, schedule, 0);
    } else {
      update({ practice: false, quiz: null, schedule: base });
      diagram.refresh(s.result, base, s.position);
    }
  }

  /** A new state of the quiz: the diagram shows what is now answered. */
  function apply(quiz) {
    const s = getState();
    const schedule = maskSchedule(s.schedule, quiz);
    update({ quiz, schedule });
    diagram.refresh(s.result, schedule, s.position);
  }

  /** Where the focus goes once an answer is in: the next question, Next, or the summary.
   * (The answer itself shows, and is read out, in the list of the step's answers.) */
  function moveOn() {
    const s = getState();
    if (openQuestionAt(s.quiz, s.position - 1) >= 0) {
      ui.input.focus();
      return;
    }
    if (!next.disabled) next.focus();
    else if (s.position >= s.schedule.count) ui.summary.focus();
    else stage.focus();
  }

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const s = getState();
    const index = s.quiz ? openQuestionAt(s.quiz, s.position - 1) : -1;
    // An empty box checks nothing (the Enter that pressed Next may land here as focus moves).
    if (index < 0 || !ui.input.value.trim()) return;
    const { quiz, verdict } = submitAnswer(s.quiz, index, ui.input.value);
    if (verdict === "unreadable") {
      ui.feedback.textContent = t("practice.unreadable", { typed: ui.input.value.trim() });
      ui.input.select();
      return;
    }
    apply(quiz);
    if (verdict === "wrong") ui.input.select();
    else moveOn();
  });
  ui.reveal.addEventListener("click", () => {
    const s = getState();
    const index = s.quiz ? openQuestionAt(s.quiz, s.position - 1) : -1;
    if (index < 0) return;
    apply(revealAnswer(s.quiz, index));
    moveOn();
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stage.focus(); // the stepping keys work again
  });
  ui.start.addEventListener("click", () => actions.last()); // to the first question
  ui.again.addEventListener("click", () => {
    setPractice(true);
    ui.start.focus();
  });
  toggle.addEventListener("change", () => setPractice(toggle.checked));

  subscribe((s, changed) => {
    // (The stepper redraws the explanation on these too: the pending note goes back in.)
    if (!["practice", "quiz", "position", "schedule", "result", "lang", "playing"].some((key) => changed.has(key))) return;
    render(ui, s, { toggle, explanation, code, diagramSvg: svg, app });
    // Arriving at a question while stepping: the box takes the focus (not while typing elsewhere).
    if (changed.has("position") && !ui.form.hidden && isStepping(document.activeElement)) ui.input.focus();
  });
  render(ui, getState(), { toggle, explanation, code, diagramSvg: svg, app });
}

/** Whether the focus is where a learner steps from (not an editor field). */
function isStepping(element) {
  if (!element || element === document.body) return true;
  return Boolean(element.closest?.("#stage")) && !element.closest?.(".code-panel");
}

function buildPanel(panel) {
  const el = (tag, attributes, text) => htmlElement(tag, attributes, text);
  const progress = el("p", { class: "practice__progress", "data-testid": "practice-progress" });
  const intro = el("div", { class: "practice__intro" });
  const introText = intro.appendChild(el("p", { class: "practice__text" }));
  const introNote = intro.appendChild(el("p", { class: "practice__note" }));
  const start = intro.appendChild(el("button", { type: "button", class: "practice__start", "data-testid": "practice-start" }));
  const answered = el("ul", { class: "practice__answered", "data-testid": "practice-answered", "aria-live": "polite" });
  const form = el("form", { class: "practice__ask", "data-testid": "practice-ask", novalidate: "" });
  const prompt = form.appendChild(el("label", { class: "practice__prompt", for: "practice-answer", "data-testid": "practice-prompt" }));
  const row = form.appendChild(el("div", { class: "practice__row" }));
  const input = /** @type {HTMLInputElement} */ (row.appendChild(el("input", {
    id: "practice-answer",
    type: "text",
    class: "practice__input",
    "data-testid": "practice-answer",
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    enterkeyhint: "done",
  })));
  const check = row.appendChild(el("button", { type: "submit", "data-testid": "practice-check" }));
  const reveal = row.appendChild(el("button", { type: "button", class: "practice__reveal", "data-testid": "practice-show" }));
  const hints = form.appendChild(el("ol", { class: "practice__hints", "data-testid": "practice-hints" }));
  const feedback = el("p", { class: "practice__feedback", "data-testid": "practice-feedback", role: "status", "aria-live": "polite" });
  const summary = el("div", { class: "practice__summary", "data-testid": "practice-summary", tabindex: "-1" });
  const summaryHead = summary.appendChild(el("div", { class: "practice__head" }));
  const summaryTitle = summaryHead.appendChild(el("h3", { class: "practice__title" }));
  const again = summaryHead.appendChild(el("button", { type: "button", "data-testid": "practice-again" }));
  const summaryBody = summary.appendChild(el("div"));
  panel.replaceChildren(progress, intro, answered, form, feedback, summary);
  return { progress, intro, introText, introNote, start, answered, form, prompt, input, check, reveal, hints, feedback, summary, summaryTitle, summaryBody, again };
}

/** Show the state of practice: everything here is derived from the state alone. */
function render(ui, s, { toggle, explanation, code, diagramSvg, app }) {
  toggle.checked = s.practice;
  const quiz = s.practice ? s.quiz : null;
  const schedule = s.schedule;
  const step = s.position - 1;
  const current = quiz && step >= 0 ? openQuestionAt(quiz, step) : -1;
  explanation.classList.toggle("is-pending", current >= 0);
  // The chain rule drawn on the circuit shows the step's local gradients: not while asked.
  diagramSvg?.classList.toggle("is-practice-pending", current >= 0);
  explanation.querySelector(".explanation__pending")?.remove();
  if (current >= 0) explanation.appendChild(htmlElement("p", { class: "explanation__pending" }, t("practice.pending")));
  hideValues(code, quiz ? hiddenValues(quiz) : new Set());
  // An example's lesson may state its answers ("here 0.7311 × 0.2689"): away until done.
  app?.classList.toggle("is-practising", Boolean(quiz) && quiz.status.some((status) => status.state === "open"));
  const panel = ui.progress.parentElement;
  panel.hidden = !quiz || !schedule;
  if (!quiz || !schedule) return;

  const summary = summarize(quiz);
  ui.progress.textContent = t("practice.progress", { done: summary.total - summary.open, total: summary.total });
  ui.progress.hidden = summary.total === 0;
  const atStart = s.position <= 0;
  const atEnd = s.position >= schedule.count;
  ui.intro.hidden = !atStart;
  ui.introText.textContent = t("practice.intro");
  // The note on tensors only where the circuit has some (a scalar circuit needs no excuse).
  const tensors = s.result?.edges?.some((edge) => Array.isArray(edge.value)) ?? false;
  ui.introNote.textContent = summary.total ? (tensors ? t("practice.intro_tensors") : "") : t("practice.none");
  ui.introNote.hidden = !ui.introNote.textContent;
  ui.start.textContent = t("practice.start");
  ui.start.hidden = summary.total === 0;
  ui.check.textContent = t("practice.check");
  ui.reveal.textContent = t("practice.show");
  ui.input.placeholder = t("practice.answer_placeholder");
  ui.input.setAttribute("aria-describedby", "practice-hints-list");
  ui.hints.id = "practice-hints-list";

  const here = step >= 0 ? questionsAt(quiz, step) : [];
  ui.answered.replaceChildren(
    ...here
      .filter((index) => quiz.status[index].state !== "open")
      .map((index) => answeredItem(quiz.questions[index], quiz.status[index])),
  );
  ui.form.hidden = current < 0;
  if (current >= 0) {
    const question = quiz.questions[current];
    const status = quiz.status[current];
    ui.prompt.textContent = questionText(question);
    if (ui.input.dataset.question !== question.id) {
      ui.input.dataset.question = question.id;
      ui.input.value = "";
    }
    ui.hints.replaceChildren(
      ...hintTexts(question, status).map((hint, k) => htmlElement("li", { "data-testid": `practice-hint-${k + 1}` }, hint)),
    );
    ui.feedback.textContent = status.wrong ? t("practice.wrong", { typed: status.last }) : "";
  } else {
    ui.hints.replaceChildren();
    ui.feedback.textContent = atStart || atEnd ? "" : t(here.length ? "practice.then_next" : "practice.nothing");
  }
  ui.summary.hidden = !atEnd;
  if (atEnd) renderSummary(ui, summary);
}

function answeredItem(question, status) {
  const item = htmlElement("li", { class: `practice__done practice__done--${status.state}` });
  item.append(questionText(question, true), " ");
  item.appendChild(htmlElement("span", { class: "practice__mark" }, markText(status)));
  return item;
}

function renderSummary(ui, summary) {
  ui.summaryTitle.textContent = t("practice.done");
  const parts = [htmlElement("p", { "data-testid": "practice-score" }, t("practice.score", summary))];
  if (summary.rules.length === 0) {
    parts.push(htmlElement("p", {}, t(summary.total ? "practice.perfect" : "practice.none")));
  } else {
    parts.push(htmlElement("p", {}, t("practice.reread")));
    const list = htmlElement("ul", { class: "practice__rules", "data-testid": "practice-rules" });
    for (const rule of summary.rules) {
      const item = list.appendChild(htmlElement("li", { "data-rule": rule.rule }));
      item.appendChild(htmlElement("strong", {}, ruleText(rule)));
      const where = [...new Set(rule.misses.map(whereText))].join(", ");
      item.append(` — ${t("practice.missed_at", { where })}`);
      item.appendChild(htmlElement("span", { class: "practice__pattern" }, ruleDetail(rule)));
    }
    parts.push(list);
  }
  ui.summaryBody.replaceChildren(...parts);
  ui.again.textContent = t("practice.again");
}
