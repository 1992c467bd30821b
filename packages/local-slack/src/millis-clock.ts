/** Anything with `now(): Date`, such as an app's injectable clock. */
export interface DateClock {
  now(): Date;
}

/** The local Slack takes either epoch-millisecond functions (as tests like) or a `{ now(): Date }` clock. */
export type ClockLike = (() => number) | DateClock;

export function toMillisClock(clock: ClockLike | undefined): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock === 'function') return clock;
  return () => clock.now().getTime();
}
