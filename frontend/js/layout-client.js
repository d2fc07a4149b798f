/**
 * Lay out DOT text: in a worker when the browser allows one, else on the main thread.
 * @module layout-client
 */

import { readLayout } from "./layout.js";

/**
 * Start the layout engine (the worker loads Graphviz at once, while the first request runs).
 * @returns {{layout: (dot: string) => Promise<import("./layout.js").Layout>}}
 */
export function createLayoutEngine() {
  const pending = new Map();
  let nextId = 0;
  let worker = null;
  let mainThreadViz = null;

  const onMainThread = async (dot) => {
    mainThreadViz ??= import("../vendor/viz.js").then((module) => module.instance());
    const viz = await mainThreadViz;
    return readLayout(viz.renderJSON(dot, { yInvert: true }));
  };

  try {
    worker = new Worker(new URL("./layout-worker.js", import.meta.url), { type: "module" });
    worker.addEventListener("message", (event) => {
      const request = pending.get(event.data.id);
      if (!request) return;
      pending.delete(event.data.id);
      if (event.data.error) request.reject(new Error(event.data.error));
      else request.resolve(event.data.layout);
    });
    worker.addEventListener("error", (event) => {
      // The worker could not start (say, no module workers): finish its work here instead.
      event.preventDefault();
      worker?.terminate();
      worker = null;
      for (const [id, request] of pending) {
        pending.delete(id);
        onMainThread(request.dot).then(request.resolve, request.reject);
      }
    });
  } catch {
    worker = null;
  }

  return {
    layout(dot) {
      if (!worker) return onMainThread(dot);
      const id = nextId;
      nextId += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, dot });
        worker.postMessage({ id, dot });
      });
    },
  };
}
