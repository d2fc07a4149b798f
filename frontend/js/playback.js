/**
 * Moving through the steps: one at a time, jumps, and playing at the chosen speed.
 * @module playback
 */

import { measureStep } from "./perf-marks.js";
import { getState, update } from "./state.js";
import { clampPosition } from "./stepper.js";

/**
 * @typedef {{next: () => void, prev: () => void, first: () => void, last: () => void,
 *   toggle: () => void}} StepActions
 */

/**
 * The stepping controller for a diagram.
 * @param {{step: (schedule: any, from: number, to: number) => void}} diagram
 */
export function createPlayback(diagram) {
  let timer = 0;

  /** Show step `target` (clamped to the schedule, and in practice to the open question). */
  function goTo(target) {
    const s = getState();
    if (!s.schedule) return;
    const to = clampPosition(target, s.schedule.limit ?? s.schedule.count);
    if (to === s.position) return;
    measureStep(() => {
      diagram.step(s.schedule, s.position, to);
      update({ position: to });
    });
  }

  function stop() {
    clearTimeout(timer);
    update({ playing: false });
  }

  function tick() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const s = getState();
      if (!s.playing || !s.schedule) return;
      goTo(s.position + 1);
      const end = getState().schedule?.limit ?? s.schedule.count;
      if (getState().position >= end) stop();
      else tick();
    }, 1000 / getState().speed);
  }

  function play() {
    const s = getState();
    if (!s.schedule || s.schedule.count === 0) return;
    if (s.position >= s.schedule.count) goTo(0);
    if (s.position >= (s.schedule.limit ?? s.schedule.count)) return; // practice: answer first
    update({ playing: true });
    tick();
  }

  const jump = (target) => {
    stop();
    goTo(target);
  };

  /** @type {StepActions} */
  const actions = {
    next: () => jump(getState().position + 1),
    prev: () => jump(getState().position - 1),
    first: () => jump(0),
    last: () => jump(Number.MAX_SAFE_INTEGER),
    toggle: () => (getState().playing ? stop() : play()),
  };

  return {
    actions,
    stop,
    /** The speed changed: the next tick follows it. */
    speedChanged() {
      if (getState().playing) tick();
    },
  };
}
