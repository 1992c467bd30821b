import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_PREFIX } from '../../src/jobs/queues.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows, waitForEscalationState } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { type RedisCluster, startRedisCluster } from '../helpers/redis-cluster.js';
import { waitFor } from '../helpers/wait-for.js';

// Level 1 waits long enough for a failover to happen inside it; level 3 never comes in the test.
const ONCALL = oncallFixture({
  levels: [
    ['schedule:primary', '12s'],
    ['user:{carol}', '10m'],
    ['user:{alice}', '10m'],
  ],
  autoPage: ['SEV1'],
  fastEscalation: true,
});

let cluster: RedisCluster;
let h: Harness;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await cluster?.stop();
});

interface PageRow {
  step: number;
  user_id: string;
}

async function declare(title: string): Promise<{ id: number; number: number }> {
  await h.driver.slashCommand({
    userId: h.people.alice,
    channelId: h.generalId,
    text: `create --severity SEV1 --title "${title}"`,
  });
  return waitFor(
    async () =>
      (
        await queryRows<{ id: number; number: number }>(
          h.databaseUrl,
          'SELECT id, number FROM incidents WHERE title = $1',
          [title],
        )
      )[0],
    { timeoutMs: 30_000, what: `incident "${title}"` },
  );
}

const pages = (incidentId: number) =>
  queryRows<PageRow>(h.databaseUrl, 'SELECT step, user_id FROM pages WHERE incident_id = $1 ORDER BY id', [
    incidentId,
  ]);

/** `step` counts levels from 0, as the pages table does. */
const pagedAt = (incidentId: number, step: number) =>
  waitFor(async () => ((await pages(incidentId)).some((p) => p.step === step) ? true : null), {
    timeoutMs: 60_000,
    what: `incident ${incidentId} paged at level ${step + 1}`,
  });

describe('on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  it('refuses to start a worker when any node, replicas included, may evict keys', async () => {
    const replica = cluster.nodes.at(-1)!.port;
    await cluster.cli(replica, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const started = startHarness({ env: { REDIS_CLUSTER_NODES: cluster.seeds }, queuePrefix: '{refused}' });
      // Stop it if it started after all, so its workers take no jobs from the next test.
      started.then(
        (wrong) => wrong.stop(),
        () => {},
      );
      await expect(started).rejects.toThrow(
        new RegExp(`"allkeys-lru" on cluster node 127\\.0\\.0\\.1:${replica}.*noeviction`),
      );
    } finally {
      await cluster.cli(replica, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
  }, 60_000);

  it('declares, pages, escalates and acknowledges, and keeps escalating through a master failover', async () => {
    h = await startHarness({
      oncallYaml: ONCALL,
      env: { REDIS_CLUSTER_NODES: cluster.seeds },
      // The production prefix: every queue key hashes to the slot of {incident-bot}.
      queuePrefix: DEFAULT_QUEUE_PREFIX,
    });
    const { bob, carol } = h.people;

    // declare → page → escalate → ack, all through the cluster.
    const first = await declare('Cluster checkout errors');
    await pagedAt(first.id, 1);
    const carolDm = await waitFor(
      () =>
        h.fake
          .messages(h.fake.dmChannelId(carol) ?? '')
          .find((m) => m.text.includes(`incident #${first.number} `) && m.text.includes('You are paged')),
      { timeoutMs: 30_000, what: "carol's page" },
    );
    await h.driver.clickButton({
      userId: carol,
      channelId: h.fake.dmChannelId(carol)!,
      messageTs: carolDm.ts,
      actionId: 'escalation-ack',
    });
    await waitForEscalationState(h.databaseUrl, first.id, 'acknowledged', {
      timeoutMs: 30_000,
      what: 'the acknowledgement',
    });
    expect((await pages(first.id)).map((p) => [p.step, p.user_id])).toEqual([
      [0, bob],
      [1, carol],
    ]);

    // A second incident is paged at level 1; then the master holding the queues' slot dies.
    const second = await declare('Cluster failover');
    await pagedAt(second.id, 0);
    const survivor = cluster.nodes[0]!.port;
    const master = await cluster.masterFor(DEFAULT_QUEUE_PREFIX, survivor);
    const ask = cluster.nodes.find((node) => node.port !== master)!.port;
    process.kill(cluster.nodes.find((node) => node.port === master)!.pid, 'SIGKILL');
    const promoted = await waitFor(
      async () => {
        const now = await cluster.masterFor(DEFAULT_QUEUE_PREFIX, ask).catch(() => null);
        return now && now !== master ? now : null;
      },
      { timeoutMs: 60_000, what: 'a replica to take over the failed master' },
    );
    expect(promoted).not.toBe(master);
    const promotedAt = new Date();

    // Level 2 still fires, once; nothing is lost and nothing is paged twice.
    await pagedAt(second.id, 1);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await pages(second.id)).map((p) => [p.step, p.user_id])).toEqual([
      [0, bob],
      [1, carol],
    ]);
    // …and it fired after the failover (level 1 waits 12 s, the failover takes a few).
    const [level2] = await queryRows<{ created_at: Date }>(
      h.databaseUrl,
      'SELECT created_at FROM pages WHERE incident_id = $1 AND step = 1',
      [second.id],
    );
    expect(level2!.created_at.getTime()).toBeGreaterThan(promotedAt.getTime());
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
  }, 180_000);
});
