/**
 * The page's one mutable state, and its mirror in the URL (so a link reopens the same view).
 *
 * Everything else is derived from it: the diagram, the panels, the enabled buttons.
 * `encodeUrlState` / `decodeUrlState` are pure and unit-tested.
 * @module state
 */

/** @typedef {"both" | "values" | "gradients"} ShowMode */

/**
 * @typedef {{
 *   expression: string,
 *   values: Record<string, number | Array<any>>,
 *   expand: boolean,
 *   position: number,
 *   show: ShowMode,
 *   playing: boolean,
 *   speed: number,
 *   lab: boolean,
 *   code: boolean,
 *   practice: boolean,
 *   quiz: import("./practice.js").Quiz | null,
 *   nudge: {input: string | null, h: number},
 *   nudged: {key: string, value: number} | {key: string, error: string} | null,
 *   lang: "en" | "zh-CN",
 *   result: any,
 *   schedule: any,
 *   layout: any,
 *   error: any,
 *   status: "idle" | "loading" | "ready" | "error",
 *   inputs: Array<import("./input-values.js").InputSpec>,
 *   fieldErrors: Record<string, import("./inputs-view.js").FieldError>,
 *   edited: string[],
 * }} State
 */

/** What a first visit shows: the CS231n notes' first circuit. */
export const DEFAULT_EXPRESSION = "(x+y)*z";
/** @type {Record<string, number>} */
export const DEFAULT_VALUES = { x: -2, y: 5, z: -4 };
/** Playback speeds, in steps per second. */
export const SPEEDS = [0.5, 1, 2, 4, 8];
/** The speed a first visit plays at (left out of links). */
export const DEFAULT_SPEED = 2;
const SHOW_MODES = ["both", "values", "gradients"];
/** The steps h the nudge readout offers (f(x + h) − f(x), divided by h), and its first. */
export const NUDGE_STEPS = [0.1, 0.01, 0.001, 1e-5];
export const DEFAULT_NUDGE_STEP = 0.01;
/** The languages a link may ask for (i18n.js has their words). */
const LANG_CODES = ["en", "zh-CN"];

/** @type {State} */
const state = {
  expression: DEFAULT_EXPRESSION,
  values: record(DEFAULT_VALUES),
  expand: false,
  position: 0,
  show: "both",
  playing: false,
  speed: DEFAULT_SPEED,
  lab: false,
  code: false,
  // Practice mode: the learner works out each number; `quiz` holds the questions and answers.
  practice: false,
  quiz: null,
  // Live inputs: the input the nudge readout follows (null: the first scalar input), its h,
  // and the second evaluation at x + h (keyed by what it was computed for).
  nudge: { input: null, h: DEFAULT_NUDGE_STEP },
  nudged: null,
  lang: "en",
  result: null,
  schedule: null,
  layout: null,
  error: null,
  status: "idle",
  inputs: [], // the expression's inputs as POST /api/inputs answered (shapes, defaults, hints)
  fieldErrors: record({}), // input name -> what is wrong with the text in its field
  edited: [], // input names, the one the learner edited last first
};

/** @type {Set<(state: State, changed: Set<string>) => void>} */
const listeners = new Set();

/**
 * The current state (read-only by convention: change it with `update`).
 * @returns {Readonly<State>}
 */
export function getState() {
  return state;
}

/**
 * Change some fields and tell every subscriber which ones changed.
 * @param {Partial<State>} patch
 */
export function update(patch) {
  // Input names are the learner's: keep them in a prototype-free object, so that an input
  // called `toString` or `constructor` is just a name.
  if (patch.values) patch = { ...patch, values: record(patch.values) };
  if (patch.fieldErrors) patch = { ...patch, fieldErrors: record(patch.fieldErrors) };
  const changed = new Set();
  for (const [key, value] of Object.entries(patch)) {
    if (state[key] !== value) {
      state[key] = value;
      changed.add(key);
    }
  }
  if (changed.size === 0) return;
  for (const listener of listeners) listener(state, changed);
}

/**
 * Whether the circuit on show is out of date: the expression does not parse, or a value
 * cannot be read. Then it is not steppable and no step goes into the URL.
 * @param {Readonly<State>} s
 */
export function isStale(s) {
  return Boolean(s.error) || Object.keys(s.fieldErrors).length > 0;
}

/**
 * A copy of `entries` with no prototype: looking up any name finds only what was put there.
 * @template T
 * @param {Record<string, T>} entries
 * @returns {Record<string, T>}
 */
export function record(entries) {
  return Object.assign(Object.create(null), entries);
}

/**
 * Call `listener(state, changedKeys)` after every update.
 * @param {(state: State, changed: Set<string>) => void} listener
 * @returns {() => void} unsubscribe
 */
export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * @typedef {{expression: string, values: Record<string, any>, expand: boolean, position: number,
 *   show: ShowMode, speed?: number, lab?: boolean, code?: boolean, practice?: boolean,
 *   lang?: "en" | "zh-CN"}} UrlState
 */

/**
 * The query string that holds what a shared link must restore. Defaults (step 0, both, speed 2,
 * the lab closed) are left out.
 * @param {UrlState} s
 * @returns {string} e.g. `?expr=(x%2By)*z&values=...&step=3`
 */
export function encodeUrlState(s) {
  const params = new URLSearchParams();
  params.set("expr", s.expression);
  params.set("values", JSON.stringify(s.values));
  if (s.expand) params.set("expand", "1");
  if (s.position > 0) params.set("step", String(s.position));
  if (s.show !== "both") params.set("show", s.show);
  if (s.speed !== undefined && s.speed !== DEFAULT_SPEED) params.set("speed", String(s.speed));
  if (s.lab) params.set("lab", "1");
  if (s.code) params.set("code", "1");
  if (s.practice) params.set("practice", "1");
  if (s.lang) params.set("lang", s.lang);
  return `?${params.toString()}`;
}

/**
 * Read a query string back; fields that are absent or unreadable are left out, so the caller
 * keeps its defaults for them.
 * @param {string} search  `location.search`
 * @returns {Partial<UrlState>}
 */
export function decodeUrlState(search) {
  const params = new URLSearchParams(search);
  /** @type {ReturnType<typeof decodeUrlState>} */
  const out = {};
  const expression = params.get("expr");
  if (expression !== null) out.expression = expression;
  const values = params.get("values");
  if (values !== null) {
    try {
      const parsed = JSON.parse(values);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        // Only numbers and lists of numbers are values; anything else in a hand-made link is
        // dropped, and that input starts from the default like a new one.
        out.values = record(Object.fromEntries(Object.entries(parsed).filter(([, value]) => isValue(value))));
      }
    } catch {
      // A hand-edited link with broken JSON: keep the default values.
    }
  }
  if (params.has("expand")) out.expand = params.get("expand") === "1";
  const step = Number.parseInt(params.get("step") ?? "", 10);
  if (Number.isFinite(step) && step >= 0) out.position = step;
  const show = params.get("show");
  if (show !== null && SHOW_MODES.includes(show)) out.show = /** @type {ShowMode} */ (show);
  const speed = Number(params.get("speed") ?? Number.NaN);
  if (SPEEDS.includes(speed)) out.speed = speed;
  if (params.has("lab")) out.lab = params.get("lab") === "1";
  if (params.has("code")) out.code = params.get("code") === "1";
  if (params.has("practice")) out.practice = params.get("practice") === "1";
  const lang = params.get("lang");
  if (lang !== null && LANG_CODES.includes(lang)) out.lang = /** @type {"en" | "zh-CN"} */ (lang);
  return out;
}

function isValue(value) {
  if (Array.isArray(value)) return value.length > 0 && value.every(isValue);
  return typeof value === "number";
}
