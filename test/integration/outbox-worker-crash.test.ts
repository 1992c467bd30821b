import { createSlackDriver } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SIGNING_SECRET, startSeededFake } from '../helpers/bot-harness.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { queryRows } from '../helpers/incidents-db.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

describe('a worker killed with SIGKILL after Slack took an effect but before it was marked done', () => {
  let redis: RedisServer;
  let slack: Awaited<ReturnType<typeof startSeededFake>>;
  let databaseUrl: string;
  const procs: BotProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    [redis, slack, databaseUrl] = await Promise.all([
      startRedisServer(),
      startSeededFake(),
      createDatabase(inject('postgresAdminUrl')),
    ]);
    env = {
      SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.fake.apiUrl,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      INCIDENT_ANNOUNCE_CHANNEL: slack.fake.getChannel('incidents')!.id,
    };
    procs.push(await startBotProcess('web', env), await startBotProcess('worker', env));
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await Promise.all([redis?.stop(), slack?.fake.stop()]);
  });

  it('posts the status update once', async () => {
    const [web, worker] = procs as [BotProcess, BotProcess];
    const driver = createSlackDriver({
      fake: slack.fake,
      appUrl: `${web.url}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    const declared = await driver.slashCommand({
      userId: slack.people.alice,
      channelId: slack.fake.getChannel('general')!.id,
      text: 'create --severity SEV3 --title "Crash after post"',
    });
    const number = Number(/#(\d+)/.exec((declared.body as { text: string }).text)![1]);
    const incident = await waitFor(
      async () => {
        const [row] = await queryRows<{
          channel_id: string;
          announce_ts: string | null;
          setup_completed_at: Date | null;
        }>(
          databaseUrl,
          'SELECT channel_id, announce_ts, setup_completed_at FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
          [number],
        );
        return row?.setup_completed_at ? row : null;
      },
      { timeoutMs: 20_000, what: 'the incident channel' },
    );

    // Slack will post the update, then answer only after 5 s: the worker is killed in between.
    slack.fake.injectFault('chat.postMessage', { delayResponseMs: 5000 }, 1);
    const response = await driver.slashCommand({
      userId: slack.people.alice,
      channelId: incident.channel_id,
      text: 'update Rolled the canary back',
    });
    expect(response.status).toBe(200);
    const posted = () =>
      slack.fake.messages(incident.channel_id).filter((m) => m.text.includes('Rolled the canary back'));
    await waitFor(() => posted().length === 1, { timeoutMs: 15_000, what: 'the update to reach Slack' });
    worker.kill('SIGKILL');
    await worker.exited;
    const [row] = await queryRows<{ done_at: Date | null }>(
      databaseUrl,
      "SELECT done_at FROM outbox WHERE job = 'incident.update_posted'",
    );
    expect(row?.done_at).toBeNull();

    procs.push(await startBotProcess('worker', env));
    await waitFor(
      async () => {
        const [r] = await queryRows<{ done_at: Date | null }>(
          databaseUrl,
          "SELECT done_at FROM outbox WHERE job = 'incident.update_posted'",
        );
        return r?.done_at ? r : null;
      },
      { timeoutMs: 60_000, what: 'the restarted worker to finish the update job' },
    );
    expect(posted()).toHaveLength(1);
    // The copy under the announcement is posted too, once.
    const thread = slack.fake
      .replies(env.INCIDENT_ANNOUNCE_CHANNEL!, incident.announce_ts!)
      .filter((m) => m.text.includes('Rolled the canary back'));
    expect(thread).toHaveLength(1);
  }, 120_000);
});
