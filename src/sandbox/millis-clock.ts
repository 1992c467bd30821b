import type { Clock } from '../clock.js';

/** The sandbox takes either epoch-millisecond functions (as tests like) or the app's `Clock`. */
export type ClockLike = (() => number) | Clock;

export function toMillisClock(clock: ClockLike | undefined): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock === 'function') return clock;
  return () => clock.now().getTime();
}
