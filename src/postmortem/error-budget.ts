/**
 * Error budget arithmetic (Google SRE book): an SLO of `target`% over `window` allows
 * (1 − target/100) × window of downtime; an outage of `duration` consumes duration ÷ allowed of it.
 */
export interface ErrorBudget {
  allowedMs: number;
  consumedFraction: number;
}

export function errorBudget(slo: { target: number; windowMs: number }, durationMs: number): ErrorBudget {
  const allowedMs = ((100 - slo.target) / 100) * slo.windowMs;
  // A 100% SLO has no budget: any downtime consumes all of it (Infinity), none consumes nothing.
  if (allowedMs <= 0) return { allowedMs, consumedFraction: durationMs > 0 ? Number.POSITIVE_INFINITY : 0 };
  return { allowedMs, consumedFraction: durationMs / allowedMs };
}
