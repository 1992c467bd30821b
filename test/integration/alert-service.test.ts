import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createAlertService } from '../../src/alerts/alert-service.js';
import type { AlertEvent, AlertPaging } from '../../src/alerts/alert-types.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';

const START = '2026-12-02T14:00:00.000Z';
const WINDOW_MS = 2 * 60_000;

/** The paging port as a recording fake: which groups intake started and stopped paging. */
const pagingCalls: string[] = [];
const fakePaging: AlertPaging = {
  startGroup: async (_tx, group) => {
    pagingCalls.push(`start ${group.id} ${group.service}`);
    return null;
  },
  stopGroup: async (_tx, groupId, how) => {
    pagingCalls.push(`stop ${groupId} ${how.state} by ${how.by}`);
    return null;
  },
};

let db: ServiceDb;
let service: ReturnType<typeof createAlertService>;
let serial = 0;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  service = createAlertService({
    pool: db.pool,
    clock: db.clock,
    outbox: db.outbox,
    paging: fakePaging,
    groupWindowMs: WINDOW_MS,
  });
});
afterAll(async () => {
  await db?.pool.end();
});
beforeEach(() => {
  pagingCalls.length = 0;
  db.clock.advance(60 * 60_000);
});

/** A fresh service name per test, so tests do not see each other's groups. */
const freshService = () => `svc-${++serial}`;

function event(svc: string, fields: Partial<AlertEvent> = {}): AlertEvent {
  return {
    service: svc,
    source: 'pagerduty',
    action: 'trigger',
    dedupKey: 'disk-full',
    groupKey: null,
    title: 'Disk full on db1',
    severity: 'SEV2',
    labels: { source: 'db1' },
    details: {},
    links: [],
    at: db.clock.now(),
    actor: 'PagerDuty Events API',
    payload: { note: 'as received' },
    ...fields,
  };
}

const alertsOf = (svc: string) =>
  db.rows<{
    id: number;
    dedup_key: string;
    status: string;
    count: number;
    alert_group_id: number;
    resolved_by: string | null;
  }>(
    'SELECT id, dedup_key, status, count, alert_group_id, resolved_by FROM alerts WHERE service = $1 ORDER BY id',
    [svc],
  );
const groupsOf = (svc: string) =>
  db.rows<{
    id: number;
    state: string;
    held: boolean;
    severity: string;
    resolved_by: string | null;
    acknowledged_by: string | null;
  }>(
    'SELECT id, state, held, severity, resolved_by, acknowledged_by FROM alert_groups WHERE service = $1 ORDER BY id',
    [svc],
  );

describe('alert intake', () => {
  it('keeps one open alert per dedup key: a repeat counts, pages nobody, and is recorded', async () => {
    const svc = freshService();
    const [first] = await service.ingest([event(svc)]);
    const [second] = await service.ingest([event(svc)]);
    expect([first?.outcome, second?.outcome]).toEqual(['opened', 'repeated']);
    expect(second?.alertId).toBe(first?.alertId);
    expect(await alertsOf(svc)).toMatchObject([{ count: 2, status: 'firing' }]);
    const [group] = await groupsOf(svc);
    expect(pagingCalls).toEqual([`start ${group!.id} ${svc}`]);
    const events = await db.rows(
      'SELECT alert_id, action, actor, payload FROM alert_events WHERE service = $1',
      [svc],
    );
    expect(events).toEqual([
      {
        alert_id: first!.alertId,
        action: 'trigger',
        actor: 'PagerDuty Events API',
        payload: { note: 'as received' },
      },
      {
        alert_id: first!.alertId,
        action: 'trigger',
        actor: 'PagerDuty Events API',
        payload: { note: 'as received' },
      },
    ]);
  });

  it('resolve from the source resolves the alert and its group and stops paging; a new trigger opens a new alert', async () => {
    const svc = freshService();
    await service.ingest([event(svc)]);
    const [resolved] = await service.ingest([event(svc, { action: 'resolve' })]);
    expect(resolved?.outcome).toBe('resolved');
    const [group] = await groupsOf(svc);
    expect(group).toMatchObject({ state: 'resolved', resolved_by: 'PagerDuty Events API' });
    expect(pagingCalls).toEqual([
      `start ${group!.id} ${svc}`,
      `stop ${group!.id} resolved by PagerDuty Events API`,
    ]);

    const [again] = await service.ingest([event(svc)]);
    expect(again?.outcome).toBe('opened');
    expect((await alertsOf(svc)).map((a) => a.status)).toEqual(['resolved', 'firing']);
    expect(await groupsOf(svc)).toHaveLength(2);
  });

  it('acknowledge from the source acknowledges the group once every alert in it is acknowledged', async () => {
    const svc = freshService();
    await service.ingest([event(svc, { dedupKey: 'a' }), event(svc, { dedupKey: 'b' })]);
    const [group] = await groupsOf(svc);
    await service.ingest([event(svc, { dedupKey: 'a', action: 'acknowledge' })]);
    expect((await groupsOf(svc))[0]?.state).toBe('firing');
    await service.ingest([event(svc, { dedupKey: 'b', action: 'acknowledge' })]);
    expect((await groupsOf(svc))[0]).toMatchObject({
      state: 'acknowledged',
      acknowledged_by: 'PagerDuty Events API',
    });
    expect(pagingCalls).toEqual([
      `start ${group!.id} ${svc}`,
      `stop ${group!.id} acknowledged by PagerDuty Events API`,
    ]);
  });

  it('accepts acknowledge and resolve of an unknown dedup key, records them, and changes nothing', async () => {
    const svc = freshService();
    const results = await service.ingest([
      event(svc, { action: 'acknowledge', dedupKey: 'nope' }),
      event(svc, { action: 'resolve', dedupKey: 'nope' }),
    ]);
    expect(results).toEqual([
      { alertId: null, dedupKey: 'nope', outcome: 'ignored' },
      { alertId: null, dedupKey: 'nope', outcome: 'ignored' },
    ]);
    expect(await alertsOf(svc)).toEqual([]);
    expect(await db.rows('SELECT alert_id, action FROM alert_events WHERE service = $1', [svc])).toEqual([
      { alert_id: null, action: 'acknowledge' },
      { alert_id: null, action: 'resolve' },
    ]);
    expect(pagingCalls).toEqual([]);
  });

  it('groups a storm of 30 distinct alerts arriving at once into one group and one page', async () => {
    const svc = freshService();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        service.ingest([event(svc, { dedupKey: `k${i}`, severity: i === 17 ? 'SEV1' : 'SEV3' })]),
      ),
    );
    const alerts = await alertsOf(svc);
    expect(alerts).toHaveLength(30);
    const groups = await groupsOf(svc);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.severity).toBe('SEV1');
    expect(new Set(alerts.map((a) => a.alert_group_id))).toEqual(new Set([groups[0]!.id]));
    expect(pagingCalls).toEqual([`start ${groups[0]!.id} ${svc}`]);
  });

  it('makes one alert of identical triggers sent at the same moment', async () => {
    const svc = freshService();
    const results = await Promise.all(Array.from({ length: 12 }, () => service.ingest([event(svc)])));
    expect(results.flat().filter((r) => r.outcome === 'opened')).toHaveLength(1);
    expect(await alertsOf(svc)).toMatchObject([{ count: 12 }]);
    expect(pagingCalls).toHaveLength(1);
  });

  it('opens a new group once the group window has passed, and never joins an acknowledged page', async () => {
    const svc = freshService();
    await service.ingest([event(svc, { dedupKey: 'a' })]);
    db.clock.advance(WINDOW_MS + 1000);
    await service.ingest([event(svc, { dedupKey: 'b' })]);
    await service.ingest([event(svc, { dedupKey: 'b', action: 'acknowledge' })]);
    await service.ingest([event(svc, { dedupKey: 'c' })]);
    const groups = await groupsOf(svc);
    expect(groups.map((g) => g.state)).toEqual(['firing', 'acknowledged', 'firing']);
    expect(pagingCalls.filter((c) => c.startsWith('start'))).toHaveLength(3);
  });

  it('keeps Alertmanager alerts in the group of their groupKey, outside the group window too', async () => {
    const svc = freshService();
    const am = (dedupKey: string, fields: Partial<AlertEvent> = {}) =>
      event(svc, {
        source: 'alertmanager',
        actor: 'Alertmanager',
        groupKey: '{}:{alertname="X"}',
        dedupKey,
        ...fields,
      });
    await service.ingest([am('f1'), am('f2')]);
    db.clock.advance(10 * WINDOW_MS);
    await service.ingest([am('f1'), am('f3')]);
    const [group, ...others] = await groupsOf(svc);
    expect(others).toEqual([]);
    expect((await alertsOf(svc)).map((a) => [a.dedup_key, a.count, a.alert_group_id])).toEqual([
      ['f1', 2, group!.id],
      ['f2', 1, group!.id],
      ['f3', 1, group!.id],
    ]);
    const resolvedAt = new Date('2026-12-02T20:05:00Z');
    await service.ingest(['f1', 'f2'].map((f) => am(f, { action: 'resolve', at: resolvedAt })));
    expect((await groupsOf(svc))[0]?.state).toBe('firing');
    await service.ingest([am('f3', { action: 'resolve', at: resolvedAt })]);
    const [row] = await db.rows<{ state: string; resolved_by: string; resolved_at: Date }>(
      'SELECT state, resolved_by, resolved_at FROM alert_groups WHERE id = $1',
      [group!.id],
    );
    expect(row).toEqual({ state: 'resolved', resolved_by: 'Alertmanager', resolved_at: resolvedAt });
  });

  it('records alerts without paging while a maintenance window is in force, in a held group', async () => {
    const svc = freshService();
    const now = db.clock.now();
    await db.rows(
      `INSERT INTO maintenance_windows (service, starts_at, ends_at, created_by) VALUES ($1, $2, $3, 'U1')`,
      [svc, new Date(now.getTime() - 60_000), new Date(now.getTime() + 3_600_000)],
    );
    await service.ingest([event(svc, { dedupKey: 'a' })]);
    await service.ingest([event(svc, { dedupKey: 'b' })]);
    expect(await groupsOf(svc)).toMatchObject([{ held: true, state: 'firing' }]);
    expect(pagingCalls).toEqual([]);
  });

  it('applies a batch in arrival order: trigger, resolve and trigger again are two alerts', async () => {
    const svc = freshService();
    const results = await service.ingest([event(svc), event(svc, { action: 'resolve' }), event(svc)]);
    expect(results.map((r) => r.outcome)).toEqual(['opened', 'resolved', 'opened']);
    expect((await alertsOf(svc)).map((a) => a.status)).toEqual(['resolved', 'firing']);
  });

  it('emits the group refresh effect for every group a change touches', async () => {
    const svc = freshService();
    const [opened] = await service.ingest([event(svc)]);
    const [alert] = await alertsOf(svc);
    const rows = await db.rows<{ job: string; payload: unknown }>(
      `SELECT job, payload FROM outbox WHERE key = $1`,
      [`refresh-alert-group-${alert!.alert_group_id}`],
    );
    expect(opened?.outcome).toBe('opened');
    expect(rows).toEqual([{ job: 'alert-group.refresh', payload: { groupId: alert!.alert_group_id } }]);
  });
});

describe('repeats of an open alert (counted without the service lock)', () => {
  it('counts repeats in one batch with their events and a deferred refresh; after a resolve from Slack a trigger opens a new alert', async () => {
    const svc = freshService();
    const [opened] = await service.ingest([event(svc)]);
    const repeats = await Promise.all([1, 2, 3].map(() => service.ingest([event(svc)])));
    expect(repeats.flat()).toEqual(
      [1, 2, 3].map(() => ({ alertId: opened!.alertId, dedupKey: 'disk-full', outcome: 'repeated' })),
    );
    const [alert] = await alertsOf(svc);
    expect(alert).toMatchObject({ count: 4, status: 'firing' });
    const triggers = await db.rows(
      `SELECT alert_id FROM alert_events WHERE service = $1 AND action = 'trigger'`,
      [svc],
    );
    expect(triggers).toHaveLength(4);
    expect(
      await db.rows('SELECT key FROM outbox WHERE key = $1', [
        `refresh-alert-group-${alert!.alert_group_id}`,
      ]),
    ).toHaveLength(1);

    expect(await service.resolveGroup(alert!.alert_group_id, 'U0BOB')).toBe(true);
    const [again] = await service.ingest([event(svc)]);
    expect(again?.outcome).toBe('opened');
    expect((await alertsOf(svc)).map((a) => [a.status, a.count])).toEqual([
      ['resolved', 4],
      ['firing', 1],
    ]);
  });
});

describe('alert actions from Slack', () => {
  it('acknowledges a firing group as the person who clicked, once', async () => {
    const svc = freshService();
    await service.ingest([event(svc, { dedupKey: 'a' }), event(svc, { dedupKey: 'b' })]);
    const [group] = await groupsOf(svc);
    pagingCalls.length = 0;
    expect(await service.acknowledgeGroup(group!.id, 'U0BOB')).toBe(true);
    expect(await service.acknowledgeGroup(group!.id, 'U0CAROL')).toBe(false);
    expect((await groupsOf(svc))[0]).toMatchObject({ state: 'acknowledged', acknowledged_by: 'U0BOB' });
    expect((await alertsOf(svc)).map((a) => a.status)).toEqual(['acknowledged', 'acknowledged']);
    expect(pagingCalls).toEqual([`stop ${group!.id} acknowledged by U0BOB`]);
  });

  it('resolves every open alert of a group, recorded with who did it; a second resolve is refused', async () => {
    const svc = freshService();
    await service.ingest([event(svc, { dedupKey: 'a' }), event(svc, { dedupKey: 'b' })]);
    const [group] = await groupsOf(svc);
    pagingCalls.length = 0;
    expect(await service.resolveGroup(group!.id, 'U0BOB')).toBe(true);
    expect(await service.resolveGroup(group!.id, 'U0BOB')).toBe(false);
    expect(await service.resolveGroup(999_999, 'U0BOB')).toBe(false);
    expect((await alertsOf(svc)).map((a) => [a.status, a.resolved_by])).toEqual([
      ['resolved', 'U0BOB'],
      ['resolved', 'U0BOB'],
    ]);
    expect((await groupsOf(svc))[0]).toMatchObject({ state: 'resolved', resolved_by: 'U0BOB' });
    expect(pagingCalls).toEqual([`stop ${group!.id} resolved by U0BOB`]);
    const actions = await db.rows(
      `SELECT action, actor FROM alert_events WHERE service = $1 AND action = 'resolve' ORDER BY id`,
      [svc],
    );
    expect(actions).toEqual([
      { action: 'resolve', actor: 'U0BOB' },
      { action: 'resolve', actor: 'U0BOB' },
    ]);
  });
});
