import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRedisServer } from '@incident-bot/local-slack';
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { declareSetUp, type SetUpIncident } from '../helpers/declare-set-up.js';
import { freePort } from '../helpers/free-port.js';
import { queryRows, waitForEscalationState } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; nobody else is paged for 30 s, so the one page DM is Bob's.
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '30s']],
  autoPage: ['SEV1'],
  fastEscalation: true,
});

/** A Redis whose data survives a stop (saved on SIGTERM) unless the restart is asked to start empty. */
async function ownRedis() {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'outbox-redis-'));
  let server = await spawnRedisServer({ port, dir, args: ['--appendonly', 'no'] });
  return {
    url: server.url,
    /** SIGTERM: with Redis's default save points, it writes its data to disk before it exits. */
    stop: () => server.stop(),
    async start({ empty }: { empty: boolean }) {
      if (empty) await rm(join(dir, 'dump.rdb'), { force: true });
      server = await spawnRedisServer({ port, dir, args: ['--appendonly', 'no'] });
    },
    async dispose() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe.each([
  { variant: 'comes back with its data', empty: false },
  { variant: 'comes back empty', empty: true },
])('every effect asked for while Redis is down happens once when Redis $variant', ({ empty }) => {
  it('posts the update, refreshes the card, edits the page DM and uploads the postmortem, each once', async () => {
    const redis = await ownRedis();
    cleanups.push(() => redis.dispose());
    const h: Harness = await startHarness({ redisUrl: redis.url, oncallYaml: ONCALL });
    cleanups.push(() => h.stop());

    const incident = (await declareSetUp(h, '--severity SEV1 --title "Queue outage"')) as SetUpIncident & {
      announce_ts: string;
    };
    const { number } = incident;
    const bobDm = h.fake.dmChannelId(h.people.bob) ?? '';
    const page = await waitFor(
      () =>
        h.fake.messages(h.fake.dmChannelId(h.people.bob) ?? '').find((m) => m.text.includes('Queue outage')),
      { timeoutMs: 20_000, what: "Bob's page" },
    );

    await redis.stop();
    const say = async (text: string, userId = h.people.alice) => {
      const response = await h.driver.slashCommand({ userId, channelId: incident.channel_id, text });
      expect(response.status).toBe(200);
      return (response.body as { text?: string }).text ?? '';
    };
    expect(await say('update Failing over to the replica')).toMatch(/update/i);
    expect(await say('status identified')).toContain('now *identified*');
    const ack = await h.driver.clickButton({
      userId: h.people.bob,
      channelId: h.fake.dmChannelId(h.people.bob)!,
      messageTs: page.ts,
      actionId: 'escalation-ack',
    });
    expect(ack.status).toBe(200);
    // The click is answered at once and handled after: wait for the ack to commit before closing,
    // or a busy machine could close first and leave nothing to acknowledge.
    await waitForEscalationState(h.databaseUrl, incident.id, 'acknowledged', {
      timeoutMs: 20_000,
      what: "Bob's acknowledgement",
    });
    await say('close --resolution "Rolled back to v1.2.3"');
    // Accepted while Redis is down: every effect is a row of the outbox, none done yet.
    const pending = await queryRows<{ job: string }>(
      h.databaseUrl,
      'SELECT job FROM outbox WHERE done_at IS NULL ORDER BY job',
    );
    expect(pending.map((r) => r.job)).toEqual(
      expect.arrayContaining([
        'escalation.acknowledged',
        'incident.refresh',
        'incident.update_posted',
        'postmortem.publish',
      ]),
    );

    await redis.start({ empty });
    const updates = () =>
      h.fake.messages(incident.channel_id).filter((m) => m.text.includes('Failing over to the replica'));
    const uploads = () => h.fake.files().filter((f) => f.name === `incident-${number}-postmortem.md`);
    await waitFor(
      async () => {
        const open = await queryRows(h.databaseUrl, 'SELECT key FROM outbox WHERE done_at IS NULL');
        return open.length === 0 && updates().length > 0 && uploads().length > 0;
      },
      { timeoutMs: 30_000, what: 'every outbox row to be done' },
    );
    // Give the reconciler several more periods: nothing happens twice.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(updates()).toHaveLength(1);
    expect(
      h.fake.replies(h.announceId, incident.announce_ts).filter((m) => m.text.includes('Failing over')),
    ).toHaveLength(1);
    expect(uploads()).toHaveLength(1);
    expect(h.fake.getMessage(incident.channel_id, incident.headline_ts)!.text).toBe(
      `Incident #${number} (SEV1, closed): Queue outage`,
    );
    expect(h.fake.getMessage(bobDm, page.ts)!.text).toBe(
      `Incident #${number} was acknowledged by <@${h.people.bob}>`,
    );
    expect(
      h.fake.messages(incident.channel_id).filter((m) => m.text.includes('acknowledged the page')),
    ).toHaveLength(1);
  }, 90_000);
});
