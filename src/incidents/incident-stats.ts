import { SEVERITIES, type Severity } from './incident-types.js';

/** One incident's times, as `listIncidentTimes` (incident-stats-repo.ts) reads them. */
export interface IncidentTimes {
  severity: Severity;
  declaredAt: Date;
  resolvedAt: Date | null;
  firstPageAt: Date | null;
  firstAckAt: Date | null;
}

export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
}

export interface IncidentStats {
  total: number;
  bySeverity: Record<Severity, number>;
  /** First page → first acknowledgement, ms (incidents that were paged and acknowledged). */
  timeToAcknowledge: Percentiles;
  /** Declared → resolved, ms (resolved incidents). */
  timeToResolve: Percentiles;
  /** Where the p50 time to resolve falls (DORA's time-to-restore bands). */
  doraTier: DoraTier | null;
}

const HOUR = 3_600_000;

/** Nearest-rank percentile: the smallest value with at least p% of values at or below it. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
  };
}

export function doraTier(p50TimeToResolveMs: number | null): DoraTier | null {
  if (p50TimeToResolveMs === null) return null;
  if (p50TimeToResolveMs < HOUR) return 'elite';
  if (p50TimeToResolveMs < 24 * HOUR) return 'high';
  if (p50TimeToResolveMs < 7 * 24 * HOUR) return 'medium';
  return 'low';
}

/** Counts and response times over a set of incidents. Pure. */
export function computeStats(incidents: IncidentTimes[]): IncidentStats {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const i of incidents) bySeverity[i.severity]++;
  const tta = incidents
    .filter((i) => i.firstAckAt)
    .map((i) => i.firstAckAt!.getTime() - (i.firstPageAt ?? i.declaredAt).getTime());
  const ttr = incidents
    .filter((i) => i.resolvedAt)
    .map((i) => i.resolvedAt!.getTime() - i.declaredAt.getTime());
  const timeToResolve = percentiles(ttr);
  return {
    total: incidents.length,
    bySeverity,
    timeToAcknowledge: percentiles(tta),
    timeToResolve,
    doraTier: doraTier(timeToResolve.p50),
  };
}
