/**
 * The address bar follows the state (coalesced: browsers throttle history.replaceState),
 * so that a link reopens the same view.
 * @module url-sync
 */

import { encodeUrlState, getState, isStale } from "./state.js";

/** Coalesce URL updates. */
const URL_DELAY_MS = 150;

/** The state fields a link restores: a change to any of them rewrites the URL. */
export const URL_FIELDS = ["expression", "values", "expand", "position", "show", "speed", "lab", "code", "practice", "lang"];

/** @returns {() => void} schedule a rewrite of the URL from the current state */
export function createUrlSync() {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const s = getState();
      // An out-of-date circuit cannot be stepped: a link to it opens at the start.
      const next = encodeUrlState(isStale(s) ? { ...s, position: 0 } : s);
      if (next !== location.search) history.replaceState(null, "", next);
    }, URL_DELAY_MS);
  };
}
