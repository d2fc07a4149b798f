/**
 * A module worker that lays circuits out with Graphviz (WebAssembly), off the main thread, so
 * a 1,000-node layout never freezes the page. Message in: `{id, dot}`; out: `{id, layout}` or
 * `{id, error}`.
 * @module layout-worker
 */

import { instance } from "../vendor/viz.js";
import { readLayout } from "./layout.js";

const vizReady = instance();

self.addEventListener("message", async (event) => {
  const { id, dot } = event.data;
  try {
    const viz = await vizReady;
    self.postMessage({ id, layout: readLayout(viz.renderJSON(dot, { yInvert: true })) });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
});
