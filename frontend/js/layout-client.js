/**
 * The page's layout engine: the server already laid the circuit out and wrote every position
 * into the DOT, so "laying out" is reading them (a few milliseconds for 2,000 nodes, where
 * running Graphviz in the page took seconds). Kept behind the same small interface, so the
 * page neither knows nor cares where positions come from.
 * @module layout-client
 */

import { readDot } from "./layout.js";

const abandoned = () => new DOMException("the layout is no longer wanted", "AbortError");

/**
 * @returns {{layout: (dot: string, signal?: AbortSignal) => Promise<import("./layout.js").Layout>}}
 */
export function createLayoutEngine() {
  return {
    layout(dot, signal) {
      if (signal?.aborted) return Promise.reject(abandoned());
      try {
        return Promise.resolve(readDot(dot));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
