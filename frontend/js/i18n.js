/**
 * The page's words in English and 简体中文. Every visible string goes through `t(key)`.
 *
 * Catalogs live one per concern in `messages/<concern>.js` (keys prefixed by the concern:
 * `core.next`, `lab.run`, ...); this module only looks words up and fills `{placeholders}`.
 * The current language is part of the page state (state.js), so it is in the URL as `lang=`.
 * @module i18n
 */

import { getState, update } from "./state.js";
import code from "./messages/code.js";
import lesson from "./messages/lesson.js";
import core from "./messages/core.js";
import diagram from "./messages/diagram.js";
import inputs from "./messages/inputs.js";
import keyboard from "./messages/keyboard.js";
import lab from "./messages/lab.js";
import live from "./messages/live.js";
import practice from "./messages/practice.js";

/** @typedef {"en" | "zh-CN"} Lang */

/** The languages the page speaks, with their own names for the switch. */
export const LANGUAGES = /** @type {const} */ ([
  { code: "en", name: "English" },
  { code: "zh-CN", name: "中文" },
]);

/** Every concern's catalog; a new concern adds its file here. */
export const CATALOGS = [core, code, diagram, lab, inputs, keyboard, lesson, practice, live];

/** @type {Record<string, Record<string, string>>} */
const WORDS = { en: {}, "zh-CN": {} };
for (const catalog of CATALOGS) {
  for (const { code } of LANGUAGES) Object.assign(WORDS[code], catalog[code]);
}

/**
 * The language a first visit reads: the browser's first preference we speak (any Chinese
 * reads 简体中文), else English.
 * @param {readonly string[]} preferences  e.g. `navigator.languages`
 * @returns {Lang}
 */
export function preferredLang(preferences) {
  for (const tag of preferences ?? []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

/**
 * Whether `code` is a language the page speaks.
 * @param {unknown} code
 * @returns {code is Lang}
 */
export function isLang(code) {
  return LANGUAGES.some((lang) => lang.code === code);
}

/** @returns {Lang} the language the page speaks now */
export function getLang() {
  return getState().lang;
}

/**
 * Switch the page's language (subscribers to the state re-render their words).
 * @param {Lang} code
 */
export function setLang(code) {
  if (isLang(code)) update({ lang: code });
}

/**
 * The words for `key` in the current language (English where a translation is missing, the
 * key itself where even that is), with `{name}` placeholders filled from `params`.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @param {Lang} [lang]
 * @returns {string}
 */
export function t(key, params, lang = getLang()) {
  const template = WORDS[lang]?.[key] ?? WORDS.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/**
 * Fill the static page's words: `data-i18n="key"` sets an element's text,
 * `data-i18n-attr="title:key1;aria-label:key2"` its attributes.
 * @param {ParentNode} root
 */
export function translateStatic(root) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(/** @type {HTMLElement} */ (element).dataset.i18n ?? "");
  }
  for (const element of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of (/** @type {HTMLElement} */ (element).dataset.i18nAttr ?? "").split(";")) {
      const [attribute, key] = pair.split(":").map((part) => part.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
}
