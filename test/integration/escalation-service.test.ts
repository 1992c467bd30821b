import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEscalationService, type EscalationService } from '../../src/escalation/escalation-service.js';
import { type OncallConfig, parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import {
  escalationIdOf,
  outboxRowsOf,
  type ServiceDb,
  serviceDb,
  timelineKinds,
} from '../helpers/service-deps.js';

const MIN = 60_000;
/** A Wednesday: the primary rotation (from 2026-01-05) has U0BOB on call. */
const START = '2026-03-04T10:00:00.000Z';

/**
 * Level 1: whoever is on call in `primary`; level 2: U0CAROL. Two passes, and an acknowledged
 * incident pages again after 30 minutes. `solo` pages U0CAROL once.
 */
const ONCALL = oncallFixture({
  levels: [
    ['schedule:primary', '5m'],
    ['user:U0CAROL', '10m'],
  ],
  repeat: 1,
  ackTimeout: '30m',
  policies: { solo: { levels: [['user:U0CAROL', '5m']], repeat: 0 } },
  services: { search: { policy: 'solo' } },
}).replaceAll('{bob}', 'U0BOB');

let db: ServiceDb;
let oncall: OncallConfig;
let escalation: EscalationService;
let number = 0;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  oncall = parseOncallConfig(ONCALL);
  escalation = createEscalationService({ ...db, oncall });
});
afterAll(async () => {
  await db?.pool.end();
});

/** An open incident (only the row paging needs), at START. */
async function incident(): Promise<number> {
  db.clock.set(START);
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO incidents (number, title, severity, status, reporter_id, declared_at)
     VALUES ($1, 'Payments failing', 'SEV1', 'investigating', 'U0ALICE', $2) RETURNING id`,
    [++number, db.clock.now()],
  );
  db.enqueued.clear();
  return Number(rows[0]!.id);
}

const escalationOf = async (id: number) =>
  (
    await db.rows<{
      state: string;
      epoch: number;
      step: number;
      loop: number;
      acknowledged_by: string | null;
    }>('SELECT state, epoch, step, loop, acknowledged_by FROM escalations WHERE incident_id = $1', [id])
  )[0];
const pagedTargets = async (id: number) =>
  (
    await db.rows<{ target: string; epoch: number; step: number; loop: number }>(
      'SELECT target, epoch, step, loop FROM pages WHERE incident_id = $1 ORDER BY id',
      [id],
    )
  ).map((p) => `${p.target} e${p.epoch} s${p.step} l${p.loop}`);
const taken = () => db.enqueued.take().map((r) => `${r.name} ${r.jobId}`);

describe('starting', () => {
  it('snapshots the policy: a later change of oncall.yaml does not change who this incident pages', async () => {
    const id = await incident();
    expect(await escalation.start(id, { service: null })).toBe(true);
    expect(taken()).toEqual(
      expect.arrayContaining([
        `escalation.step esc-${await escalationIdOf(db, id)}-e0-s0-l0`,
        `incident.refresh refresh-inc-${id}`,
      ]),
    );
    expect(await escalation.start(id, { service: null })).toBe(false);

    // The file is reloaded with another default policy; a fresh engine (no cache) fires the timer.
    const changed = parseOncallConfig(
      oncallFixture({ levels: [['user:U0DAVE', '5m']] }).replaceAll('{bob}', 'U0BOB'),
    );
    const reloaded = createEscalationService({ ...db, oncall: changed });
    expect(
      await reloaded.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('paged');
    expect(await pagedTargets(id)).toEqual(['U0BOB e0 s0 l0']);
    expect(await escalationOf(id)).toMatchObject({ state: 'triggered', step: 1, loop: 0 });
  });

  it("uses the service's policy", async () => {
    const id = await incident();
    await escalation.start(id, { service: 'search' });
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('paged');
    expect(await pagedTargets(id)).toEqual(['U0CAROL e0 s0 l0']);
  });
});

describe('step timers', () => {
  it('page the level, enqueue its DM and the next timer at escalate_after', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    db.enqueued.clear();
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('paged');
    const [page] = await db.rows<{ id: string }>('SELECT id FROM pages WHERE incident_id = $1', [id]);
    const requests = db.enqueued.take();
    expect(requests.map((r) => `${r.name} ${r.jobId}`)).toEqual(
      expect.arrayContaining([
        `page.send page-${page?.id}`,
        `escalation.step esc-${await escalationIdOf(db, id)}-e0-s1-l0`,
      ]),
    );
    expect(requests.find((r) => r.name === 'escalation.step')?.dueAt).toEqual(
      new Date(Date.parse(START) + 5 * MIN),
    );
    expect(await timelineKinds(db, id)).toEqual(['escalation.started', 'escalation.paged']);
  });

  it('with a stale position or epoch are no-ops (a duplicated or late job)', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 });
    db.enqueued.clear();
    // The same timer again, and one of an epoch that never was.
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('stale');
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 3, step: 1, loop: 0 }),
    ).toBe('stale');
    expect(await pagedTargets(id)).toEqual(['U0BOB e0 s0 l0']);
    expect(taken()).toEqual([]);
  });

  it('skip a level with nobody on call and page the next one at once', async () => {
    // Before the rotation's first shift (2026-01-05 09:00) nobody is on call in `primary`.
    const id = await incident();
    db.clock.set('2026-01-01T12:00:00.000Z');
    await escalation.start(id, { service: null });
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('paged');
    expect(await pagedTargets(id)).toEqual(['U0CAROL e0 s1 l0']);
    expect(await timelineKinds(db, id)).toEqual([
      'escalation.started',
      'escalation.level_skipped',
      'escalation.paged',
    ]);
    // Level 2 paged: the next timer is pass 2's first level.
    expect(await escalationOf(id)).toMatchObject({ step: 0, loop: 1 });
  });

  it('exhaust the policy after its passes: announced once, with the card refreshed', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    const positions = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    for (const [step, loop] of positions) {
      expect(
        await escalation.fireStep({
          escalationId: await escalationIdOf(db, id),
          epoch: 0,
          step: step!,
          loop: loop!,
        }),
      ).toBe('paged');
    }
    expect(await pagedTargets(id)).toEqual([
      'U0BOB e0 s0 l0',
      'U0CAROL e0 s1 l0',
      'U0BOB e0 s0 l1',
      'U0CAROL e0 s1 l1',
    ]);
    db.enqueued.clear();
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 2, loop: 1 }),
    ).toBe('exhausted');
    expect(await escalationOf(id)).toMatchObject({ state: 'exhausted' });
    const [exhausted] = await db.rows<{ details: unknown }>(
      `SELECT details FROM timeline_events WHERE incident_id = $1 AND kind = 'escalation.exhausted'`,
      [id],
    );
    expect(exhausted?.details).toEqual({ passes: 2 });
    const escalationId = await escalationIdOf(db, id);
    expect((await outboxRowsOf(db, id)).map((r) => r.key)).toContain(`exhausted-esc-${escalationId}-e0-l1`);
    expect(taken()).toContain(`escalation.exhausted exhausted-esc-${escalationId}-e0-l1`);
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 2, loop: 1 }),
    ).toBe('stale');
  });
});

describe('acknowledging', () => {
  it('records who, bumps the epoch (old timers stop), announces it and arms the ack timeout', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 });
    db.clock.advance(2 * MIN);
    db.enqueued.clear();
    const acked = await escalation.acknowledge(id, 'U0BOB');
    expect(acked).toMatchObject({ ok: true, escalation: { state: 'acknowledged', epoch: 1 } });
    expect(await escalationOf(id)).toMatchObject({
      state: 'acknowledged',
      epoch: 1,
      acknowledged_by: 'U0BOB',
    });
    expect((await outboxRowsOf(db, id)).map((r) => r.key)).toContain(
      `acked-esc-${await escalationIdOf(db, id)}-e1`,
    );
    const timeout = db.enqueued.take().find((r) => r.name === 'escalation.ack_timeout');
    expect(timeout).toMatchObject({
      jobId: `ackto-${await escalationIdOf(db, id)}-e1`,
      dueAt: new Date(db.clock.now().getTime() + 30 * MIN),
    });

    // Level 2's timer (epoch 0) fires after the ack: nobody else is paged.
    db.clock.advance(5 * MIN);
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 1, loop: 0 }),
    ).toBe('stale');
    expect(await pagedTargets(id)).toEqual(['U0BOB e0 s0 l0']);

    const second = await escalation.acknowledge(id, 'U0CAROL');
    expect(second).toMatchObject({ ok: false, reason: 'already_acknowledged', by: 'U0BOB' });
    expect(await escalation.acknowledge(await incident(), 'U0BOB')).toEqual({
      ok: false,
      reason: 'not_paging',
      state: null,
    });
  });

  it('times out: acknowledged but unresolved pages again from level 1, once per epoch', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 });
    await escalation.acknowledge(id, 'U0BOB');
    db.clock.advance(30 * MIN);
    db.enqueued.clear();
    expect(await escalation.fireAckTimeout({ escalationId: await escalationIdOf(db, id), epoch: 1 })).toBe(
      true,
    );
    expect(await escalationOf(id)).toMatchObject({ state: 'triggered', epoch: 2, step: 0, loop: 0 });
    // The card stops showing the acknowledgement: paging again is refreshed like any other change.
    expect(taken()).toEqual([
      `incident.refresh refresh-inc-${id}`,
      `escalation.step esc-${await escalationIdOf(db, id)}-e2-s0-l0`,
    ]);
    expect(await escalation.fireAckTimeout({ escalationId: await escalationIdOf(db, id), epoch: 1 })).toBe(
      false,
    );
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 2, step: 0, loop: 0 }),
    ).toBe('paged');
    expect(await pagedTargets(id)).toEqual(['U0BOB e0 s0 l0', 'U0BOB e2 s0 l0']);
  });
});

describe('escalate now', () => {
  it('pages the next level at once, only if the escalation is still where the person saw it', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 });
    db.enqueued.clear();
    const escalated = await escalation.escalateNow(id, 'U0ALICE', 0);
    expect(escalated).toMatchObject({ epoch: 1, step: 1, loop: 0 });
    expect(taken()).toEqual(
      expect.arrayContaining([
        `escalation.step esc-${await escalationIdOf(db, id)}-e1-s1-l0`,
        `incident.refresh refresh-inc-${id}`,
      ]),
    );
    // A second click on the same (now old) button: nothing.
    expect(await escalation.escalateNow(id, 'U0BOB', 0)).toBeNull();
    expect(taken()).toEqual([]);
    expect(await escalationOf(id)).toMatchObject({ epoch: 1, step: 1 });
    const [event] = await db.rows<{ details: unknown; actor_id: string }>(
      `SELECT details, actor_id FROM timeline_events WHERE incident_id = $1 AND kind = 'escalation.escalated'`,
      [id],
    );
    expect(event).toEqual({ details: { by: 'U0ALICE', reason: 'escalate_now' }, actor_id: 'U0ALICE' });
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 1, step: 1, loop: 0 }),
    ).toBe('paged');
    expect(await pagedTargets(id)).toEqual(['U0BOB e0 s0 l0', 'U0CAROL e1 s1 l0']);
  });
});

describe('stopping', () => {
  it('resolves the escalation: no timer of any epoch pages afterwards, and nobody can acknowledge', async () => {
    const id = await incident();
    await escalation.start(id, { service: null });
    expect(await escalation.stop(id, 'resolved')).toBe(true);
    expect(await escalationOf(id)).toMatchObject({ state: 'resolved' });
    expect(
      await escalation.fireStep({ escalationId: await escalationIdOf(db, id), epoch: 0, step: 0, loop: 0 }),
    ).toBe('stale');
    expect(await escalation.escalateNow(id, 'U0ALICE', null)).toBeNull();
    expect(await escalation.acknowledge(id, 'U0BOB')).toMatchObject({ ok: false, reason: 'not_paging' });
    expect(await pagedTargets(id)).toEqual([]);
    expect(await escalation.stop(id, 'resolved')).toBe(false);
  });
});
