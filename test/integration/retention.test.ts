import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionJob } from '../../src/jobs/retention.js';
import { createRetentionSweep } from '../../src/jobs/retention-sweep.js';
import { createLogger } from '../../src/logger.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { RETENTION_DAYS: '30', DATABASE_STATEMENT_TIMEOUT_MS: '500' } });
});
afterAll(async () => {
  await h?.stop();
});

const keysOf = async (sql: string) =>
  (await queryRows<{ key: string }>(h.databaseUrl, sql)).map((r) => r.key);

describe('retention', () => {
  it('deletes processed Slack event ids, idempotency keys, raw alert events, handoff actions and test notifications older than RETENTION_DAYS, and keeps newer ones', async () => {
    await queryRows(
      h.databaseUrl,
      `INSERT INTO processed_slack_events (event_id, received_at)
       SELECT 'Ev-old-' || i, now() - interval '20 days' FROM generate_series(1, 7) i
       UNION ALL SELECT 'Ev-new', now() - interval '14 days'`,
    );
    await queryRows(
      h.databaseUrl,
      `INSERT INTO idempotency_keys (key, created_at) VALUES
       ('command-old', now() - interval '16 days'), ('command-new', now() - interval '1 day')`,
    );
    await queryRows(
      h.databaseUrl,
      `INSERT INTO alert_events (service, source, action, actor, received_at, payload)
       SELECT 'retention-test', 'webhook', 'trigger', 'webhook', now() - interval '16 days' - i * interval '1 minute', '{}'::jsonb
       FROM generate_series(1, 4) i
       UNION ALL SELECT 'retention-test', 'webhook', 'resolve', 'webhook', now() - interval '2 days', '{}'`,
    );
    await queryRows(
      h.databaseUrl,
      `INSERT INTO handoff_actions (schedule, handoff_at, action, done_at) VALUES
       ('primary', now() - interval '16 days', 'usergroup', now() - interval '16 days'),
       ('primary', now() - interval '1 day', 'usergroup', now() - interval '1 day')`,
    );
    await queryRows(
      h.databaseUrl,
      `INSERT INTO notification_tests (user_id, nonce, person, channel, target, requested_at) VALUES
       ('U0BOB', 'old-nonce-1', 'U0BOB', 'sms', '+15551230001', now() - interval '16 days'),
       ('U0BOB', 'new-nonce-1', 'U0BOB', 'sms', '+15551230001', now() - interval '1 day')`,
    );
    // Run as if 15 days from now (the bot's own hourly sweep, running now, deletes none of these),
    // in small batches, so the sweep has to loop.
    const sweep = createRetentionSweep({
      pool: h.bot.pool,
      clock: { now: () => new Date(Date.now() + 15 * 86_400_000) },
      logger: createLogger({ level: 'silent' }),
      retentionDays: 30,
      batch: 3,
    });
    expect(await sweep.run()).toEqual({
      processedSlackEvents: 7,
      idempotencyKeys: 1,
      alertEvents: 4,
      handoffActions: 1,
      notificationTests: 1,
    });
    expect(await keysOf('SELECT event_id AS key FROM processed_slack_events')).toEqual(['Ev-new']);
    expect(await keysOf("SELECT key FROM idempotency_keys WHERE key LIKE 'command-%'")).toEqual([
      'command-new',
    ]);
    expect(await keysOf("SELECT action AS key FROM alert_events WHERE service = 'retention-test'")).toEqual([
      'resolve',
    ]);
    expect(await keysOf('SELECT nonce AS key FROM notification_tests')).toEqual(['new-nonce-1']);
    expect(await sweep.run()).toEqual({
      processedSlackEvents: 0,
      idempotencyKeys: 0,
      alertEvents: 0,
      handoffActions: 0,
      notificationTests: 0,
    });
  });

  it('runs as a scheduled job of the catalogue on the timers queue', async () => {
    const scheduler = await h.bot.queues.timers.getJobScheduler(retentionJob.key({}));
    expect(scheduler).toMatchObject({ name: retentionJob.name, every: 3_600_000 });
  });

  it('cancels a statement that runs longer than DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    expect((await h.bot.pool.query('SHOW statement_timeout')).rows[0]).toEqual({
      statement_timeout: '500ms',
    });
    await expect(h.bot.pool.query('SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
  });
});
