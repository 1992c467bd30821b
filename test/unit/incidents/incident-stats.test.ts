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
});
