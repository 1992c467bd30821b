import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

// This file stops its own Redis, so it never disturbs the shared one.
let redis: RedisServer;
let h: Harness;
beforeAll(async () => {
  redis = await startRedisServer();
  h = await startHarness({ redisUrl: redis.url });
});
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
});

describe('with Redis down when an incident is declared', () => {
  it('declares at once and builds the channel when Redis is back: the incident is never lost', async () => {
    const port = redis.port;
    await redis.stop();

    const started = Date.now();
    const response = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV1 --title "Queue outage"',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect((response.body as { text: string }).text).toContain('Declared incident #1');
    const [row] = await queryRows(
      h.databaseUrl,
      'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = 1',
    );
    expect(row).toMatchObject({ title: 'Queue outage', channel_id: null });

    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ redis: 'unreachable', postgres: 'ok' });

    // An empty Redis comes back on the same port: the set-up job was never queued, and is not in it.
    redis = await startRedisServer([], { port });
    const done = await waitFor(
      async () => {
        const [r] = await queryRows(
          h.databaseUrl,
          'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = 1',
        );
        return r?.setup_completed_at ? r : null;
      },
      { timeoutMs: 25_000, what: 'the reconciler to finish the set-up' },
    );
    expect(done.channel_name).toBe('inc-1-queue-outage');
    expect(h.fake.listChannels().filter((c) => c.name?.startsWith('inc-1'))).toHaveLength(1);
  });
});
