import { describe, expect, it } from 'vitest';
import { computeStats, doraTier, percentile } from '../../../src/incidents/incident-stats.js';

const MIN = 60_000;
const t0 = new Date('2026-11-01T00:00:00Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

describe('incident stats', () => {
  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 90)).toBe(18);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts by severity and measures time to acknowledge and to resolve', () => {
    const stats = computeStats([
      {
        severity: 'SEV1',
        declaredAt: t0,
        resolvedAt: plus(30 * MIN),
        firstPageAt: plus(1 * MIN),
        firstAckAt: plus(4 * MIN),
      },
      {
        severity: 'SEV1',
        declaredAt: t0,
        resolvedAt: plus(90 * MIN),
        firstPageAt: plus(0),
        firstAckAt: plus(10 * MIN),
      },
      { severity: 'SEV3', declaredAt: t0, resolvedAt: null, firstPageAt: null, firstAckAt: null },
    ]);
    expect(stats.total).toBe(3);
    expect(stats.bySeverity).toEqual({ SEV1: 2, SEV2: 0, SEV3: 1, SEV4: 0 });
    expect(stats.timeToAcknowledge).toEqual({ count: 2, p50: 3 * MIN, p90: 10 * MIN, p95: 10 * MIN });
    expect(stats.timeToResolve).toEqual({ count: 2, p50: 30 * MIN, p90: 90 * MIN, p95: 90 * MIN });
    expect(stats.doraTier).toBe('elite');
  });

  it('puts the p50 time to resolve in the DORA bands', () => {
    expect(doraTier(59 * MIN)).toBe('elite');
    expect(doraTier(60 * MIN)).toBe('high');
    expect(doraTier(23 * 60 * MIN)).toBe('high');
    expect(doraTier(2 * 24 * 60 * MIN)).toBe('medium');
    expect(doraTier(8 * 24 * 60 * MIN)).toBe('low');
    expect(doraTier(null)).toBeNull();
  });

  it('sorts durations before taking percentiles: 90, 10 and 30 minutes have a median of 30', () => {
    const resolvedAfter = (minutes: number) => ({
      severity: 'SEV2' as const,
      declaredAt: t0,
      resolvedAt: plus(minutes * MIN),
      firstPageAt: null,
      firstAckAt: null,
    });
    const stats = computeStats([resolvedAfter(90), resolvedAfter(10), resolvedAfter(30)]);
    expect(stats.timeToResolve).toEqual({ count: 3, p50: 30 * MIN, p90: 90 * MIN, p95: 90 * MIN });
    expect(stats.doraTier).toBe('elite');
  });

  it('measures acknowledgement from the declaration when nobody was paged, and skips unacknowledged ones', () => {
    const stats = computeStats([
      { severity: 'SEV4', declaredAt: t0, resolvedAt: null, firstPageAt: null, firstAckAt: plus(7 * MIN) },
      { severity: 'SEV4', declaredAt: t0, resolvedAt: null, firstPageAt: plus(MIN), firstAckAt: null },
    ]);
    expect(stats.timeToAcknowledge).toEqual({ count: 1, p50: 7 * MIN, p90: 7 * MIN, p95: 7 * MIN });
    expect(stats.timeToResolve).toEqual({ count: 0, p50: null, p90: null, p95: null });
    expect(stats.doraTier).toBeNull();
    expect(stats.bySeverity).toEqual({ SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 2 });
  });

  it('reports nothing measured for no incidents', () => {
    expect(computeStats([])).toEqual({
      total: 0,
      bySeverity: { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0 },
      timeToAcknowledge: { count: 0, p50: null, p90: null, p95: null },
      timeToResolve: { count: 0, p50: null, p90: null, p95: null },
      doraTier: null,
    });
  });

  it('takes the lowest value for the 0th percentile and the only value of one', () => {
    expect(percentile([4, 8], 0)).toBe(4);
    expect(percentile([4, 8], 50)).toBe(4);
    expect(percentile([4, 8], 51)).toBe(8);
    expect(percentile([4, 8], 100)).toBe(8);
    expect(percentile([6], 95)).toBe(6);
  });

  it('puts each DORA band edge in the slower band', () => {
    const HOUR = 60 * MIN;
    expect(doraTier(HOUR - 1)).toBe('elite');
    expect(doraTier(24 * HOUR - 1)).toBe('high');
    expect(doraTier(24 * HOUR)).toBe('medium');
    expect(doraTier(7 * 24 * HOUR - 1)).toBe('medium');
    expect(doraTier(7 * 24 * HOUR)).toBe('low');
  });
});
