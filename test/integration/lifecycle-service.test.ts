import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createIncidentService, type IncidentService } from '../../src/incidents/incident-service.js';
import type { Incident, Severity } from '../../src/incidents/incident-types.js';
import {
  createLifecycleService,
  type LifecyclePaging,
  type LifecycleService,
} from '../../src/incidents/lifecycle-service.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import {
  escalationIdOf,
  outboxRowsOf,
  type ServiceDb,
  serviceDb,
  timelineKinds,
} from '../helpers/service-deps.js';

const MIN = 60_000;
const START = '2026-03-04T10:00:00.000Z';
const REMINDERS: Record<Severity, number | null> = {
  SEV1: 15 * MIN,
  SEV2: 30 * MIN,
  SEV3: 60 * MIN,
  SEV4: null,
};
const ARCHIVE_AFTER = 24 * 60 * MIN;

/** The paging port as a recording fake: what the lifecycle asked of the paging engine. */
const pagingCalls: string[] = [];
const fakePaging: LifecyclePaging = {
  autoPage: ['SEV1'],
  stop: async (id, reason) => pagingCalls.push(`stop ${id} ${reason}`),
  start: async (id, { service }) => pagingCalls.push(`start ${id} ${service}`),
};

let db: ServiceDb;
let lifecycle: LifecycleService;
let incidents: IncidentService;
let declared = 0;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  lifecycle = createLifecycleService({
    pool: db.pool,
    clock: db.clock,
    logger: db.logger,
    outbox: db.outbox,
    reminders: REMINDERS,
    paging: fakePaging,
    archiveAfterMs: ARCHIVE_AFTER,
  });
  incidents = createIncidentService({
    pool: db.pool,
    clock: db.clock,
    logger: db.logger,
    outbox: db.outbox,
    armReminder: (tx, incident) => lifecycle.armReminderInTransaction(tx, incident),
  });
});
afterAll(async () => {
  await db?.pool.end();
});

async function declare(severity: Severity = 'SEV2', service: string | null = null): Promise<Incident> {
  db.clock.set(START);
  const { incident } = await incidents.declare(
    {
      title: `Checkout errors ${++declared}`,
      severity,
      summary: null,
      service,
      isPrivate: false,
      reporterId: 'U0ALICE',
      commanderId: 'U0ALICE',
      originChannelId: null,
    },
    { idempotencyKey: `declare-${declared}-${Math.random()}` },
  );
  db.enqueued.clear();
  pagingCalls.length = 0;
  return incident;
}

const jobIds = () => db.enqueued.take().map((r) => r.jobId);

describe('declaring', () => {
  it('writes the incident, its declared event and its set-up row once per idempotency key, and arms the first reminder', async () => {
    db.clock.set(START);
    const input = {
      title: 'Search down',
      severity: 'SEV2' as const,
      summary: null,
      service: null,
      isPrivate: false,
      reporterId: 'U0ALICE',
      commanderId: null,
      originChannelId: null,
    };
    const first = await incidents.declare(input, { idempotencyKey: 'retry-me' });
    const again = await incidents.declare(input, { idempotencyKey: 'retry-me' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, incident: { id: first.incident.id } });
    const id = first.incident.id;
    expect(first.incident.reminderDueAt).toEqual(new Date(Date.parse(START) + 30 * MIN));
    expect(await timelineKinds(db, id)).toEqual(['incident.declared']);
    expect((await outboxRowsOf(db, id)).map((r) => r.key)).toEqual([`setup-inc-${id}`]);
    expect(jobIds()).toEqual(expect.arrayContaining([`setup-inc-${id}`, `remind-${id}-e1`]));
    expect(await db.rows('SELECT id FROM incidents WHERE title = $1', ['Search down'])).toHaveLength(1);
  });
});

describe('status changes', () => {
  it('commit the status, the timeline event and the card refresh together, then hand the refresh to the queue', async () => {
    const incident = await declare();
    db.clock.advance(5 * MIN);
    const updated = await lifecycle.setStatus(incident.id, 'identified', 'U0BOB');
    expect(updated.status).toBe('identified');
    const [row] = await db.rows<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [
      incident.id,
    ]);
    expect(row?.status).toBe('identified');
    const events = await db.rows<{ kind: string; actor_id: string; details: unknown; occurred_at: Date }>(
      'SELECT kind, actor_id, details, occurred_at FROM timeline_events WHERE incident_id = $1 ORDER BY id',
      [incident.id],
    );
    expect(events.at(-1)).toEqual({
      kind: 'incident.status_changed',
      actor_id: 'U0BOB',
      details: { from: 'investigating', to: 'identified' },
      occurred_at: new Date(Date.parse(START) + 5 * MIN),
    });
    expect((await outboxRowsOf(db, incident.id)).map((r) => r.key)).toContain(`refresh-inc-${incident.id}`);
    expect(jobIds()).toContain(`refresh-inc-${incident.id}`);
  });

  it('leave nothing behind when the transaction fails: no status, no event, no outbox row, nothing queued', async () => {
    const incident = await declare();
    const before = await outboxRowsOf(db, incident.id);
    // A real failure at the last statement of the transaction (the outbox insert), after the
    // incident row and its event were written.
    await db.pool.query(`
      CREATE OR REPLACE FUNCTION refuse_outbox() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'outbox refused for the test'; END $$ LANGUAGE plpgsql`);
    await db.pool.query(
      `CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW
       WHEN ((NEW.payload->>'incidentId')::bigint = ${incident.id}) EXECUTE FUNCTION refuse_outbox()`,
    );
    try {
      await expect(lifecycle.setStatus(incident.id, 'monitoring', 'U0BOB')).rejects.toThrow();
    } finally {
      await db.pool.query('DROP TRIGGER refuse_outbox ON outbox');
    }
    expect((await lifecycle.get(incident.id)).status).toBe('investigating');
    expect(await timelineKinds(db, incident.id)).toEqual(['incident.declared']);
    expect(await outboxRowsOf(db, incident.id)).toEqual(before);
    expect(jobIds()).toEqual([]);
  });

  it('refuse the status an incident already has, with a message that says so', async () => {
    const incident = await declare();
    await expect(lifecycle.setStatus(incident.id, 'investigating', 'U0BOB')).rejects.toMatchObject({
      userMessage: `Incident #${incident.number} is already investigating.`,
    });
    expect(await timelineKinds(db, incident.id)).toEqual(['incident.declared']);
  });

  it('resolve stops paging and the reminder; reopen re-arms the reminder from the reopen time', async () => {
    const incident = await declare();
    db.clock.advance(10 * MIN);
    const resolved = await lifecycle.setStatus(incident.id, 'resolved', 'U0BOB');
    expect(resolved).toMatchObject({ status: 'resolved', reminderDueAt: null });
    expect(resolved.resolvedAt).toEqual(db.clock.now());
    expect(pagingCalls).toEqual([`stop ${incident.id} resolved`]);
    expect(jobIds().filter((id) => id.startsWith('remind-'))).toEqual([]);

    db.clock.advance(20 * MIN);
    const reopened = await lifecycle.reopen(incident.id, 'U0CAROL');
    expect(reopened).toMatchObject({ status: 'investigating', resolvedAt: null, closedAt: null });
    expect(reopened.reminderDueAt).toEqual(new Date(db.clock.now().getTime() + 30 * MIN));
    expect(reopened.reminderEpoch).toBeGreaterThan(resolved.reminderEpoch);
    expect(jobIds()).toContain(`remind-${incident.id}-e${reopened.reminderEpoch}`);
    expect(await timelineKinds(db, incident.id)).toEqual([
      'incident.declared',
      'incident.status_changed',
      'incident.reopened',
    ]);
    await expect(lifecycle.reopen(incident.id, 'U0CAROL')).rejects.toMatchObject({
      userMessage: `Incident #${incident.number} is still open (investigating).`,
    });
  });
});

describe('severity', () => {
  it('raised to an auto-paged level starts paging; to another level it does not', async () => {
    const incident = await declare('SEV3', 'checkout');
    await lifecycle.setSeverity(incident.id, 'SEV2', 'U0BOB');
    expect(pagingCalls).toEqual([]);
    const raised = await lifecycle.setSeverity(incident.id, 'SEV1', 'U0BOB');
    expect(raised.severity).toBe('SEV1');
    expect(pagingCalls).toEqual([`start ${incident.id} checkout`]);
    // The reminder follows the new cadence, counted from the declare (no update yet).
    expect(raised.reminderDueAt).toEqual(new Date(Date.parse(START) + 15 * MIN));
  });
});

describe('closing', () => {
  it('stores the resolution and writes the postmortem row now and the archive row a day later', async () => {
    const incident = await declare();
    db.clock.advance(45 * MIN);
    const closedAt = db.clock.now();
    const closed = await lifecycle.close(incident.id, { resolution: 'Rolled back 4.2.1' }, 'U0ALICE');
    expect(closed).toMatchObject({ status: 'closed', closedAt, resolvedAt: closedAt, reminderDueAt: null });
    const [narrative] = await db.rows<{ resolution: string }>(
      'SELECT resolution FROM incidents WHERE id = $1',
      [incident.id],
    );
    expect(narrative?.resolution).toBe('Rolled back 4.2.1');
    const rows = await outboxRowsOf(db, incident.id);
    const postmortem = rows.find((r) => r.job === 'postmortem.publish');
    const archive = rows.find((r) => r.job === 'incident.archive');
    expect(postmortem).toMatchObject({
      key: `postmortem-${incident.id}-${closedAt.getTime()}`,
      run_at: closedAt,
    });
    expect(archive).toMatchObject({
      key: `archive-${incident.id}-${closedAt.getTime()}`,
      run_at: new Date(closedAt.getTime() + ARCHIVE_AFTER),
    });
    const archiveJob = db.enqueued.take().find((r) => r.name === 'incident.archive');
    expect(archiveJob?.dueAt).toEqual(new Date(closedAt.getTime() + ARCHIVE_AFTER));
    expect(pagingCalls).toEqual([`stop ${incident.id} closed`]);
    await expect(lifecycle.postUpdate(incident.id, 'late', 'U0BOB')).rejects.toMatchObject({
      userMessage: expect.stringContaining('is closed'),
    });
  });
});

describe('update reminders', () => {
  it('an update posts through the outbox and pushes the reminder back; a snooze moves it', async () => {
    const incident = await declare();
    db.clock.advance(20 * MIN);
    const updated = await lifecycle.postUpdate(incident.id, 'Rolling back', 'U0BOB');
    expect(updated.reminderDueAt).toEqual(new Date(db.clock.now().getTime() + 30 * MIN));
    const [event] = await db.rows<{ id: string }>(
      `SELECT id FROM timeline_events WHERE incident_id = $1 AND kind = 'incident.update_posted'`,
      [incident.id],
    );
    expect((await outboxRowsOf(db, incident.id)).map((r) => r.key)).toContain(`update-${event?.id}`);
    expect(jobIds()).toEqual(
      expect.arrayContaining([`update-${event?.id}`, `remind-${incident.id}-e${updated.reminderEpoch}`]),
    );

    const snoozed = await lifecycle.snoozeReminder(incident.id, 90, 'U0ALICE');
    expect(snoozed.reminderDueAt).toEqual(new Date(db.clock.now().getTime() + 90 * MIN));
    expect(await timelineKinds(db, incident.id)).toContain('reminder.snoozed');
  });

  it('a wake-up nudges only when due and current, and re-arms for the next period', async () => {
    const incident = await declare();
    const armed = await lifecycle.get(incident.id);
    // Too early: nothing.
    expect(await lifecycle.fireReminder(incident.id, armed.reminderEpoch)).toBe(false);
    db.clock.advance(30 * MIN);
    // A wake-up of an older arming (an update came since): nothing.
    expect(await lifecycle.fireReminder(incident.id, armed.reminderEpoch - 1)).toBe(false);
    expect(await timelineKinds(db, incident.id)).not.toContain('reminder.sent');

    expect(await lifecycle.fireReminder(incident.id, armed.reminderEpoch)).toBe(true);
    const after = await lifecycle.get(incident.id);
    expect(after.reminderDueAt).toEqual(new Date(db.clock.now().getTime() + 30 * MIN));
    const [sent] = await db.rows<{ id: string; details: unknown }>(
      `SELECT id, details FROM timeline_events WHERE incident_id = $1 AND kind = 'reminder.sent'`,
      [incident.id],
    );
    expect(sent?.details).toEqual({ to: 'U0ALICE', overdueMinutes: 30 });
    expect((await outboxRowsOf(db, incident.id)).map((r) => r.key)).toContain(`reminder-${sent?.id}`);
    expect(jobIds()).toContain(`remind-${incident.id}-e${after.reminderEpoch}`);
  });
});

describe('with the paging engine behind the port', () => {
  const engine = () => {
    const oncall = parseOncallConfig(
      oncallFixture({
        levels: [['schedule:primary', '5m']],
        policies: { payments: { levels: [['user:U0CAROL', '5m']] } },
        services: { checkout: { policy: 'payments' } },
        autoPage: ['SEV1'],
      }).replaceAll('{bob}', 'U0BOB'),
    );
    return { oncall, escalation: createEscalationService({ ...db, oncall }) };
  };

  it('declaring at SEV1 starts paging in the declare transaction, once however often it is retried', async () => {
    const { oncall, escalation } = engine();
    const paging = { autoPage: oncall.paging.autoPage, startInTransaction: escalation.startInTransaction };
    const declaring = createIncidentService({ ...db, paging });
    const input = {
      title: 'Card payments failing',
      severity: 'SEV1' as const,
      summary: null,
      service: 'checkout',
      isPrivate: false,
      reporterId: 'U0ALICE',
      commanderId: null,
      originChannelId: null,
    };
    db.enqueued.clear();
    const { incident } = await declaring.declare(input, { idempotencyKey: 'sev1-twice' });
    await declaring.declare(input, { idempotencyKey: 'sev1-twice' });
    expect(
      await db.rows('SELECT policy_name FROM escalations WHERE incident_id = $1', [incident.id]),
    ).toEqual([{ policy_name: 'payments' }]);
    expect(await timelineKinds(db, incident.id)).toEqual(['incident.declared', 'escalation.started']);
    expect(jobIds().filter((id) => id.startsWith('esc-'))).toEqual([
      `esc-${await escalationIdOf(db, incident.id)}-e0-s0-l0`,
    ]);
  });

  it('raising to SEV1 pages the policy of the service; resolving stops it', async () => {
    const { escalation } = engine();
    const paged = createLifecycleService({
      pool: db.pool,
      clock: db.clock,
      logger: db.logger,
      outbox: db.outbox,
      reminders: REMINDERS,
      paging: escalation,
    });
    const incident = await declare('SEV2', 'checkout');
    await paged.setSeverity(incident.id, 'SEV1', 'U0BOB');
    const [started] = await db.rows<{ policy_name: string; state: string }>(
      'SELECT policy_name, state FROM escalations WHERE incident_id = $1',
      [incident.id],
    );
    expect(started).toEqual({ policy_name: 'payments', state: 'triggered' });
    expect(jobIds()).toContain(`esc-${await escalationIdOf(db, incident.id)}-e0-s0-l0`);

    await paged.setStatus(incident.id, 'resolved', 'U0BOB');
    const [stopped] = await db.rows<{ state: string }>(
      'SELECT state FROM escalations WHERE incident_id = $1',
      [incident.id],
    );
    expect(stopped?.state).toBe('resolved');
    expect(
      await escalation.fireStep({
        escalationId: await escalationIdOf(db, incident.id),
        epoch: 0,
        step: 0,
        loop: 0,
      }),
    ).toBe('stale');
    expect(await db.rows('SELECT id FROM pages WHERE incident_id = $1', [incident.id])).toEqual([]);
  });
});
