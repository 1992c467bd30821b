/** Time comes from here so tests can fix it; nothing else calls `Date.now()` in domain code. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
