import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { listMigrations, runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createIncidentSetupStore } from '../../src/incidents/incident-setup-store.js';
import {
  findSlackPresence,
  markSetupFinished,
  recordSetupStep,
} from '../../src/incidents/slack-presence-repo.js';
import { createDatabase } from '../helpers/postgres-server.js';

let pool: Pool;
let beforePresence: string;
beforeAll(async () => {
  pool = createPool(await createDatabase(inject('postgresAdminUrl')));
  // The schema as it was before 0009: migrations 0001–0008 only.
  beforePresence = await mkdtemp(join(tmpdir(), 'migrations-0008-'));
  for (const file of (await listMigrations()).filter((f) => f.version <= 8))
    await copyFile(file.path, join(beforePresence, file.name));
  await runMigrations(pool, undefined, beforePresence);
});
afterAll(async () => {
  await pool?.end();
  if (beforePresence) await rm(beforePresence, { recursive: true, force: true });
});

let nextNumber = 1;
async function insertIncident(extra: Record<string, unknown> = {}): Promise<number> {
  const columns = ['number', 'title', 'severity', 'reporter_id', 'declared_at', ...Object.keys(extra)];
  const values = [nextNumber++, 'Checkout down', 'SEV1', 'U1', new Date(), ...Object.values(extra)];
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO incidents (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     RETURNING id`,
    values,
  );
  return Number(rows[0]!.id);
}

describe('migration 0009: Slack presentation state leaves the incident record', () => {
  it("moves each incident's message refs and set-up progress, and keeps its channel on the incident", async () => {
    const completedAt = new Date('2026-12-01T10:00:00Z');
    const done = await insertIncident({
      channel_id: 'C100',
      channel_name: 'inc-1-checkout-down',
      headline_ts: '1700000000.000100',
      announce_channel_id: 'C900',
      announce_ts: '1700000001.000200',
      setup_steps: ['channel', 'invite', 'topic', 'headline'],
      setup_completed_at: completedAt,
    });
    const pending = await insertIncident();

    // 0009 and every migration after it (more are added over time).
    const later = (await listMigrations()).map((f) => f.version).filter((v) => v >= 9);
    expect(await runMigrations(pool)).toEqual(later);
    expect(later.slice(0, 2)).toEqual([9, 10]);

    expect(await findSlackPresence(pool, done)).toEqual({
      incidentId: done,
      headlineTs: '1700000000.000100',
      announceChannelId: 'C900',
      announceTs: '1700000001.000200',
      setupSteps: ['channel', 'invite', 'topic', 'headline'],
      setupCompletedAt: completedAt,
      setupFailedAt: null,
    });
    expect(await findSlackPresence(pool, pending)).toMatchObject({
      headlineTs: null,
      setupSteps: [],
      setupCompletedAt: null,
    });
    const { rows: columns } = await pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'incidents'",
    );
    const names = columns.map((c) => c.column_name);
    expect(names).toEqual(expect.arrayContaining(['channel_id', 'channel_name']));
    for (const moved of [
      'headline_ts',
      'announce_channel_id',
      'announce_ts',
      'setup_steps',
      'setup_completed_at',
    ])
      expect(names).not.toContain(moved);
    const { rows } = await pool.query('SELECT channel_id, channel_name FROM incidents WHERE id = $1', [done]);
    expect(rows[0]).toEqual({ channel_id: 'C100', channel_name: 'inc-1-checkout-down' });
  });
});

describe('the presence repo (after 0009)', () => {
  beforeAll(async () => {
    await runMigrations(pool);
  });

  it('records each set-up step once, keeping message refs a later step does not repeat', async () => {
    const id = await insertIncident();
    expect(await findSlackPresence(pool, id)).toMatchObject({
      incidentId: id,
      setupSteps: [],
      headlineTs: null,
    });
    await recordSetupStep(pool, id, 'headline', { headlineTs: '1.1' });
    await recordSetupStep(pool, id, 'headline');
    await recordSetupStep(pool, id, 'announce', { announceChannelId: 'C9', announceTs: '2.2' });
    expect(await findSlackPresence(pool, id)).toMatchObject({
      setupSteps: ['headline', 'announce'],
      headlineTs: '1.1',
      announceChannelId: 'C9',
      announceTs: '2.2',
    });
  });

  it('keeps the first finish time: a repeated completion does not move it', async () => {
    const id = await insertIncident();
    await markSetupFinished(pool, id, 'completed');
    const first = (await findSlackPresence(pool, id)).setupCompletedAt;
    expect(first).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await markSetupFinished(pool, id, 'completed');
    expect((await findSlackPresence(pool, id)).setupCompletedAt).toEqual(first);
    expect((await findSlackPresence(pool, id)).setupFailedAt).toBeNull();
  });

  it('the set-up store claims the channel for the incident, records the step and the timeline event together', async () => {
    const store = createIncidentSetupStore({ pool, clock: systemClock });
    const id = await insertIncident();
    expect(await store.isChannelClaimed('C555')).toBe(false);
    await store.recordChannel(id, 'C555', 'inc-x-checkout');
    const loaded = await store.load(id);
    expect(loaded?.incident).toMatchObject({ channelId: 'C555', channelName: 'inc-x-checkout' });
    expect(loaded?.presence.setupSteps).toEqual(['channel']);
    expect(await store.isChannelClaimed('C555')).toBe(true);
    const { rows } = await pool.query('SELECT kind FROM timeline_events WHERE incident_id = $1', [id]);
    expect(rows).toEqual([{ kind: 'incident.channel_created' }]);
    expect(await store.load(999_999)).toBeNull();
  });
});
