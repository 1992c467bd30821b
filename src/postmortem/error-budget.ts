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
  return { allowedMs, consumedFraction: allowedMs > 0 ? durationMs / allowedMs : Number.POSITIVE_INFINITY };
}
