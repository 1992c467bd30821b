import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';
import { type ProcessStack, startProcessStack } from '../helpers/process-stack.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; Carol, then Alice, are the next levels, each after `delay`.
const oncall = (delay: string) =>
  oncallFixture({
    levels: [
      ['schedule:primary', delay],
      ['user:{carol}', delay],
      ['user:{alice}', delay],
    ],
    fastEscalation: true,
  });

type PageRow = {
  step: number;
  loop: number;
  user_id: string | null;
  target: string;
  status: string;
  created_at: Date;
};
const pagesOf = (url: string) => queryRows<PageRow>(url, 'SELECT * FROM pages ORDER BY id');
const stateOf = async (url: string) =>
  (await queryRows<{ state: string }>(url, 'SELECT state FROM escalations'))[0]?.state;

describe('escalation under faults (own Redis)', () => {
  let redis: RedisServer;
  let h: Harness;
  beforeAll(async () => {
    redis = await startRedisServer();
    h = await startHarness({ redisUrl: redis.url, oncallYaml: oncall('1500ms') });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  /** Alice declares a SEV1, and Bob's first page is written. */
  const declarePaged = async (title: string) => {
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: `create --severity SEV1 --title "${title}"`,
    });
    await waitFor(async () => (await pagesOf(h.databaseUrl)).length === 1);
  };

  it('rebuilds the timers from Postgres after Redis loses everything (FLUSHALL)', async () => {
    await declarePaged('Flushed');
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const pages = await waitFor(
      async () => ((await stateOf(h.databaseUrl)) === 'exhausted' ? pagesOf(h.databaseUrl) : null),
      { timeoutMs: 20_000, what: 'every level to fire after the flush' },
    );
    expect(pages.map((p) => [p.step, p.target])).toEqual([
      [0, h.people.bob],
      [1, h.people.carol],
      [2, h.people.alice],
    ]);
  });

  it('keeps escalation on time while Slack answers chat.postMessage with 429s', async () => {
    await queryRows(
      h.databaseUrl,
      'TRUNCATE pages, escalations, timeline_events, idempotency_keys, incidents CASCADE',
    );
    h.fake.injectFault('chat.postMessage', { rateLimited: { retryAfterSec: 3 } }, 40);
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV1 --title "Storm"',
    });
    const pages = await waitFor(
      async () => {
        const rows = await pagesOf(h.databaseUrl);
        return rows.length === 3 ? rows : null;
      },
      { timeoutMs: 20_000, what: 'all three levels' },
    );
    // Decisions are not held up by the Slack queue: levels are ~1.5 s apart, not 3 s + retries.
    const gaps = [1, 2].map((i) => pages[i]!.created_at.getTime() - pages[i - 1]!.created_at.getTime());
    for (const gap of gaps) expect(gap).toBeLessThan(2900);
    h.fake.clearFaults();
    // …and the DMs still arrive once Slack lets them through.
    await waitFor(async () => (await pagesOf(h.databaseUrl)).every((p) => p.status === 'sent'), {
      timeoutMs: 30_000,
      what: 'every page DM to be sent',
    });
    expect(
      h.fake.messages(h.fake.dmChannelId(h.people.carol)!).filter((m) => m.text.includes('Storm')),
    ).toHaveLength(1);
  });

  it('resumes after Redis drops every client connection', async () => {
    await queryRows(
      h.databaseUrl,
      'TRUNCATE pages, escalations, timeline_events, idempotency_keys, incidents CASCADE',
    );
    await declarePaged('Blip');
    const admin = new Redis(redis.url);
    await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
    admin.disconnect();
    const pages = await waitFor(
      async () => ((await stateOf(h.databaseUrl)) === 'exhausted' ? pagesOf(h.databaseUrl) : null),
      { timeoutMs: 20_000, what: 'the escalation to finish after the blip' },
    );
    expect(pages.map((p) => p.step)).toEqual([0, 1, 2]);
  });
});

describe('a worker killed with SIGKILL mid-escalation (separate processes)', () => {
  let stack: ProcessStack;

  beforeAll(async () => {
    stack = await startProcessStack(inject('postgresAdminUrl'), async (slack) => ({
      ONCALL_CONFIG: await writeOncallFile(oncall('2s'), slack.people),
    }));
    await stack.start('web');
    await stack.start('worker');
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('completes the escalation after a restart with no lost level and no duplicate page', async () => {
    const { slack, databaseUrl, processes } = stack;
    const [web, worker] = processes as [BotProcess, BotProcess];
    const driver = stack.driverFor(web);
    await driver.slashCommand({
      userId: slack.people.alice,
      channelId: slack.fake.getChannel('general')!.id,
      text: 'create --severity SEV1 --title "Worker dies"',
    });
    await waitFor(async () => (await pagesOf(databaseUrl)).length === 1, {
      timeoutMs: 15_000,
      what: 'level 1',
    });
    worker.kill('SIGKILL');
    await worker.exited;
    // While no worker runs, level 2 falls due; a new worker picks everything up.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await stack.start('worker');
    const pages = await waitFor(
      async () => {
        if ((await stateOf(databaseUrl)) !== 'exhausted') return null;
        const rows = await pagesOf(databaseUrl);
        return rows.every((p) => p.status === 'sent') ? rows : null;
      },
      { timeoutMs: 45_000, what: 'the escalation to finish and every page to be sent' },
    );
    expect(pages.map((p) => p.step)).toEqual([0, 1, 2]);
    const dms = [slack.people.bob, slack.people.carol, slack.people.alice].map(
      (u) =>
        slack.fake.messages(slack.fake.dmChannelId(u) ?? '').filter((m) => m.text.includes('Worker dies'))
          .length,
    );
    expect(dms).toEqual([1, 1, 1]);
  }, 90_000);

  it('does not page twice when the worker dies after Slack took the DM but before it was recorded', async () => {
    const { slack, databaseUrl, processes } = stack;
    const driver = stack.driverFor(processes.find((p) => p.role === 'web')!);
    const general = slack.fake.getChannel('general')!.id;
    const declared = await driver.slashCommand({
      userId: slack.people.alice,
      channelId: general,
      text: 'create --severity SEV3 --title "Crash after send"',
    });
    const number = Number(/#(\d+)/.exec((declared.body as { text: string }).text)![1]);
    await waitFor(async () => (await incidentRow(databaseUrl, number))?.setup_completed_at, {
      timeoutMs: 20_000,
    });
    // Slack will post the DM, then answer only after 5 s: the worker is killed in between.
    slack.fake.injectFault('chat.postMessage', { delayResponseMs: 5000 }, 1);
    await driver.slashCommand({
      userId: slack.people.alice,
      channelId: general,
      text: `page <@${slack.people.carol}> #${number}`,
    });
    const dmCount = () =>
      slack.fake
        .messages(slack.fake.dmChannelId(slack.people.carol) ?? '')
        .filter((m) => m.text.includes('Crash after send')).length;
    await waitFor(() => dmCount() === 1, { timeoutMs: 15_000, what: 'the DM to reach Slack' });
    const worker = processes.filter((p) => p.role === 'worker').at(-1)!;
    worker.kill('SIGKILL');
    await worker.exited;
    await stack.start('worker');
    await waitFor(
      async () => {
        const rows = await queryRows<{ status: string }>(
          databaseUrl,
          'SELECT p.status FROM pages p JOIN incidents i ON i.id = p.incident_id WHERE i.number = $1',
          [number],
        );
        return rows.length === 1 && rows[0]!.status === 'sent';
      },
      { timeoutMs: 45_000, what: 'the page to be recorded as sent' },
    );
    expect(dmCount()).toBe(1);
  }, 90_000);
});
