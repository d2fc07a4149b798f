/**
 * Zoom (wheel, around the pointer) and pan (drag) for the diagram, by moving its viewBox.
 * @module panzoom
 */

/**
 * Keep a number inside [low, high].
 * @param {number} value
 * @param {number} low
 * @param {number} high
 * @returns {number}
 */
export function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

/**
 * Wheel zooms around the pointer; a drag pans.
 * @param {SVGSVGElement} svg
 * @param {() => {x: number, y: number, width: number, height: number}} getView
 * @param {(view: {x: number, y: number, width: number, height: number}) => void} setView
 * @param {(factor: number, around?: {x: number, y: number}) => void} zoomBy
 * @param {() => void} onMove  called when the learner moved the view
 */
export function installPanZoom(svg, getView, setView, zoomBy, onMove) {
  const toSvgPoint = (clientX, clientY) => {
    const matrix = svg.getScreenCTM();
    if (!matrix) return undefined;
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  };
  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      zoomBy(event.deltaY < 0 ? 1.15 : 1 / 1.15, toSvgPoint(event.clientX, event.clientY));
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, view: getView(), id: event.pointerId };
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const box = svg.getBoundingClientRect();
    const scale = Math.max(drag.view.width / (box.width || 1), drag.view.height / (box.height || 1));
    const dx = (event.clientX - drag.x) * scale;
    const dy = (event.clientY - drag.y) * scale;
    if (Math.abs(dx) + Math.abs(dy) < 2 * scale) return;
    if (!svg.hasPointerCapture(event.pointerId)) svg.setPointerCapture(event.pointerId);
    svg.classList.add("is-panning");
    setView({ ...drag.view, x: drag.view.x - dx, y: drag.view.y - dy });
    onMove();
  });
  const stop = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    drag = null;
    svg.classList.remove("is-panning");
  };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
}
