/**
 * Lay out DOT text: in a worker when the browser allows one, else on the main thread.
 * @module layout-client
 */

import { readLayout } from "./layout.js";

const abandoned = () => new DOMException("the layout is no longer wanted", "AbortError");

/**
 * Start the layout engine (the worker loads Graphviz at once, while the first request runs).
 * @returns {{layout: (dot: string, signal?: AbortSignal) => Promise<import("./layout.js").Layout>}}
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

  const startWorker = () => {
    let started;
    try {
      started = new Worker(new URL("./layout-worker.js", import.meta.url), { type: "module" });
    } catch {
      return null;
    }
    started.addEventListener("message", (event) => {
      const request = pending.get(event.data.id);
      if (!request) return;
      pending.delete(event.data.id);
      if (event.data.error) request.reject(new Error(event.data.error));
      else request.resolve(event.data.layout);
    });
    started.addEventListener("error", (event) => {
      // The worker could not start (say, no module workers): finish its work here instead.
      event.preventDefault();
      started.terminate();
      if (worker === started) worker = null;
      for (const [id, request] of pending) {
        pending.delete(id);
        onMainThread(request.dot).then(request.resolve, request.reject);
      }
    });
    return started;
  };

  /**
   * Drop a layout nobody waits for any more. Graphviz cannot be interrupted and some circuits
   * take it minutes (a variable fanned out to a hundred gates), while the worker lays out one
   * circuit at a time: so stop that worker and hand any other waiting layouts to a fresh one.
   */
  const abandon = (id) => {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    request.reject(abandoned());
    worker?.terminate();
    worker = startWorker();
    for (const [otherId, other] of pending) {
      if (worker) {
        worker.postMessage({ id: otherId, dot: other.dot });
      } else {
        pending.delete(otherId);
        onMainThread(other.dot).then(other.resolve, other.reject);
      }
    }
  };

  worker = startWorker();

  return {
    layout(dot, signal) {
      if (signal?.aborted) return Promise.reject(abandoned());
      if (!worker) return onMainThread(dot);
      const id = nextId;
      nextId += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, dot });
        worker.postMessage({ id, dot });
        signal?.addEventListener("abort", () => abandon(id), { once: true });
      });
    },
  };
}
