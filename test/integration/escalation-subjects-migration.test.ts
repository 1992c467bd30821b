import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listMigrations, runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { escalationAckTimeoutJob } from '../../src/jobs/escalation-ack-timeout.js';
import { escalationStepJob } from '../../src/jobs/escalation-step.js';
import { createDatabase } from '../helpers/postgres-server.js';

let pool: Pool;
let before: string;
beforeAll(async () => {
  pool = createPool(await createDatabase(inject('postgresAdminUrl')));
  // The schema before 0013: escalations keyed by their incident.
  before = await mkdtemp(join(tmpdir(), 'migrations-0012-'));
  for (const file of (await listMigrations()).filter((f) => f.version <= 12))
    await copyFile(file.path, join(before, file.name));
  await runMigrations(pool, undefined, before);
});
afterAll(async () => {
  await pool?.end();
  if (before) await rm(before, { recursive: true, force: true });
});

const one = async <T>(sql: string, params: unknown[] = []) =>
  (await pool.query<T & object>(sql, params)).rows[0]!;

describe('migration 0013: escalations page a subject, an incident or an alert group', () => {
  it('keeps each escalation under its incident’s id, names it on its pages, and reads queued timers', async () => {
    const incidents: number[] = [];
    for (const n of [1, 2, 3]) {
      const { id } = await one<{ id: number }>(
        `INSERT INTO incidents (number, title, severity, reporter_id, declared_at)
         VALUES ($1, 'Checkout down', 'SEV1', 'U1', now()) RETURNING id`,
        [n],
      );
      incidents.push(id);
    }
    // Incidents 2 and 3 page; 2 has sent a page.
    for (const id of incidents.slice(1)) {
      await pool.query(
        `INSERT INTO escalations (incident_id, policy_name, policy, state, epoch, started_at)
         VALUES ($1, 'default', '{}', 'triggered', 1, now())`,
        [id],
      );
    }
    await pool.query(
      `INSERT INTO pages (incident_id, epoch, step, loop, target, via, status) VALUES ($1, 1, 0, 0, 'U2', 'user', 'sent')`,
      [incidents[1]],
    );

    const later = (await listMigrations()).map((f) => f.version).filter((v) => v >= 13);
    expect(await runMigrations(pool)).toEqual(later);

    const escalations = await pool.query<{ id: number; incident_id: number }>(
      'SELECT id, incident_id FROM escalations ORDER BY id',
    );
    expect(escalations.rows).toEqual(incidents.slice(1).map((id) => ({ id, incident_id: id })));
    expect(await one('SELECT escalation_id, incident_id FROM pages')).toEqual({
      escalation_id: incidents[1],
      incident_id: incidents[1],
    });
    // A new escalation takes an id no existing one has.
    const { id: fresh } = await one<{ id: number }>(
      `INSERT INTO escalations (incident_id, policy_name, policy, state, started_at)
       VALUES ($1, 'default', '{}', 'triggered', now()) RETURNING id`,
      [incidents[0]],
    );
    expect(fresh).toBeGreaterThan(Math.max(...incidents));
    // A timer queued before the migration names the incident: it is its escalation's.
    expect(escalationStepJob.payload.parse({ incidentId: incidents[1], epoch: 1, step: 1, loop: 0 })).toEqual(
      {
        escalationId: incidents[1],
        epoch: 1,
        step: 1,
        loop: 0,
      },
    );
    expect(escalationAckTimeoutJob.payload.parse({ incidentId: 4, epoch: 2 })).toEqual({
      escalationId: 4,
      epoch: 2,
    });
  });

  it('lets an escalation page exactly one subject, once', async () => {
    const insert = (incidentId: number | null, groupId: number | null) =>
      pool.query(
        `INSERT INTO escalations (incident_id, alert_group_id, policy_name, policy, state, started_at)
         VALUES ($1, $2, 'default', '{}', 'triggered', now())`,
        [incidentId, groupId],
      );
    await expect(insert(null, null)).rejects.toThrow(/escalations_one_subject/);
    const { id: group } = await one<{ id: number }>(
      `INSERT INTO alert_groups (service, source, title, severity, opened_at)
       VALUES ('checkout', 'webhook', 'Down', 'SEV2', now()) RETURNING id`,
    );
    const { id: incident } = await one<{ id: number }>(
      'SELECT max(incident_id)::bigint AS id FROM escalations',
    );
    await expect(insert(incident, group)).rejects.toThrow(/escalations_one_subject/);
    await insert(null, group);
    await expect(insert(null, group)).rejects.toThrow(/escalations_alert_group_id_key/);
    await expect(insert(incident, null)).rejects.toThrow(/escalations_incident_team_key/);
  });
});
