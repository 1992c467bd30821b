import { describe, expect, it } from 'vitest';
import { planBatch } from '../../../src/alerts/alert-batch.js';
import type { BatchState } from '../../../src/alerts/alert-repo.js';
import type { AlertEvent } from '../../../src/alerts/alert-types.js';

const NOW = new Date('2026-12-02T14:05:00Z');
const EMPTY: BatchState = { alerts: [], keyedGroups: [], windowGroups: [], held: [] };

function event(fields: Partial<AlertEvent> = {}): AlertEvent {
  return {
    service: 'checkout',
    source: 'webhook',
    action: 'trigger',
    dedupKey: 'k1',
    groupKey: null,
    title: 'Queue backed up',
    severity: 'SEV3',
    labels: {},
    details: {},
    links: [],
    at: NOW,
    actor: 'webhook',
    payload: {},
    ...fields,
  };
}

/** Plans and resolves with ids 100… for groups and 200… for alerts. */
function plan(events: AlertEvent[], state: BatchState = EMPTY) {
  const planned = planBatch(events, state, NOW);
  return planned.resolve({
    groups: planned.groups.map((_, i) => 100 + i),
    alerts: planned.alerts.map((_, i) => 200 + i),
  });
}

describe('planning a batch of alert events', () => {
  it('opens one group for new alerts of a service and joins the rest to it, most severe first', () => {
    const writes = plan([event(), event({ dedupKey: 'k2', severity: 'SEV1' }), event({ dedupKey: 'k1' })]);
    expect(writes.groups).toMatchObject([{ id: 100, service: 'checkout', held: false, groupKey: null }]);
    expect(writes.alerts.map((a) => [a.id, a.dedupKey, a.groupId, a.count])).toEqual([
      [200, 'k1', 100, 2],
      [201, 'k2', 100, 1],
    ]);
    expect(writes.results.map((r) => r.outcome)).toEqual(['opened', 'opened', 'repeated']);
    expect(writes.touches).toEqual([{ id: 100, severity: 'SEV1', actor: null, at: null, urgent: true }]);
  });

  it('counts repeats of an open alert, and lets its group refresh wait', () => {
    const state: BatchState = {
      ...EMPTY,
      alerts: [{ id: 7, service: 'checkout', dedupKey: 'k1', groupId: 3, status: 'firing' }],
    };
    const writes = plan([event(), event()], state);
    expect(writes.alerts).toEqual([]);
    expect(writes.changes).toMatchObject([{ id: 7, repeats: 2, lastSeenAt: NOW, status: 'firing' }]);
    expect(writes.touches).toEqual([{ id: 3, severity: null, actor: null, at: null, urgent: false }]);
    expect(writes.records.map((r) => r.alertId)).toEqual([7, 7]);
  });

  it('joins the window group of its service, or the open group of its Alertmanager groupKey', () => {
    const state: BatchState = {
      ...EMPTY,
      windowGroups: [{ id: 3, service: 'checkout', groupKey: null }],
      keyedGroups: [{ id: 4, service: 'checkout', groupKey: 'g' }],
    };
    const writes = plan([event(), event({ dedupKey: 'f1', groupKey: 'g', source: 'alertmanager' })], state);
    expect(writes.groups).toEqual([]);
    expect(writes.alerts.map((a) => a.groupId)).toEqual([3, 4]);
    expect(writes.touches.map((t) => t.urgent)).toEqual([false, false]);
  });

  it('holds a new group of a service under maintenance', () => {
    expect(plan([event()], { ...EMPTY, held: ['checkout'] }).groups).toMatchObject([{ held: true }]);
  });

  it('acknowledges and resolves by the source, and a trigger after a resolve opens a new alert', () => {
    const state: BatchState = {
      ...EMPTY,
      alerts: [{ id: 7, service: 'checkout', dedupKey: 'k1', groupId: 3, status: 'firing' }],
    };
    const at = new Date('2026-12-02T14:04:00Z');
    const writes = plan(
      [
        event({ action: 'acknowledge', at }),
        event({ action: 'resolve', at }),
        event(),
        event({ action: 'resolve', dedupKey: 'x' }),
      ],
      state,
    );
    expect(writes.changes).toMatchObject([
      {
        id: 7,
        status: 'resolved',
        acknowledgedBy: 'webhook',
        acknowledgedAt: at,
        resolvedBy: 'webhook',
        resolvedAt: at,
      },
    ]);
    expect(writes.alerts).toMatchObject([{ id: 200, dedupKey: 'k1', status: 'firing' }]);
    expect(writes.results.map((r) => [r.outcome, r.alertId])).toEqual([
      ['acknowledged', 7],
      ['resolved', 7],
      ['opened', 200],
      ['ignored', null],
    ]);
    expect(writes.touches.find((t) => t.id === 3)).toEqual({
      id: 3,
      severity: null,
      actor: 'webhook',
      at,
      urgent: true,
    });
  });
});
