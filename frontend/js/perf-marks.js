/**
 * Performance marks that bench/page.py reads: Enter -> drawn, and one step's redraw.
 * @module perf-marks
 */

/**
 * Run after the browser has rendered the next frame; the callback gets the time that frame
 * started (its requestAnimationFrame callback).
 * @param {(frameStart: number) => void} callback
 */
export function afterNextFrame(callback) {
  requestAnimationFrame(() => {
    const frameStart = performance.now();
    setTimeout(() => callback(frameStart), 0);
  });
}

/** Mark the moment Enter was pressed in the editor. */
export function markEnter() {
  performance.clearMarks("cg:enter");
  performance.mark("cg:enter");
}

/**
 * Record the parts of one evaluation: fetching, laying out, drawing.
 * @param {number} started
 * @param {number} fetched
 * @param {number} laidOut
 */
export function measureEvaluation(started, fetched, laidOut) {
  performance.measure("cg:fetch", { start: started, end: fetched });
  performance.measure("cg:layout", { start: fetched, end: laidOut });
  performance.measure("cg:draw", { start: laidOut, end: performance.now() });
}

/** Record how long from Enter (if any) to the drawn circuit, and to the next painted frame. */
export function markDrawn() {
  performance.mark("cg:drawn");
  const hasEnter = performance.getEntriesByName("cg:enter", "mark").length > 0;
  if (hasEnter) performance.measure("cg:enter-to-circuit", "cg:enter", "cg:drawn");
  afterNextFrame(() => {
    performance.mark("cg:painted");
    if (hasEnter) {
      performance.measure("cg:enter-to-paint", "cg:enter", "cg:painted");
      performance.clearMarks("cg:enter");
    }
  });
}

/**
 * Time one step: `work` redraws it; the marks cover the redraw and the frame that shows it.
 * @param {() => void} work
 */
export function measureStep(work) {
  performance.mark("cg:step-start");
  work();
  performance.mark("cg:step-end");
  performance.measure("cg:step", "cg:step-start", "cg:step-end");
  afterNextFrame((frameStart) => {
    performance.mark("cg:step-frame");
    performance.measure("cg:step-to-frame", "cg:step-start", "cg:step-frame");
    // The browser's own work for that frame: style, layout, paint of what the step changed.
    performance.measure("cg:step-render", { start: frameStart, end: performance.now() });
  });
}
