import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertOncallFixture, checkIn } from '../helpers/alert-services.js';
import { type Harness, type People, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The alert timers (heartbeat misses, maintenance ends) over the real stack, with the web and worker
 * roles apart (one Postgres, one Redis, one queue prefix) so the worker can be stopped and started
 * again before a timer falls due. `nightly-backup` is due 2 s + 1 s after a check-in; `hourly-sync`
 * is declared but never checks in. `billing` has no alerts channel: maintenance is told by DM.
 */
const KEY = 'billing-alert-key-0123456789abcdef012345';
let web: Harness;
let worker: Harness | null = null;
let slack: Awaited<ReturnType<typeof startSeededFake>>;
let shared: { databaseUrl: string; redisUrl: string; queuePrefix: string; oncallYaml: string };

const startWorker = async () => {
  worker = await startHarness({ ...shared, role: 'worker', slack });
};

beforeAll(async () => {
  slack = await startSeededFake();
  shared = {
    databaseUrl: await createDatabase(inject('postgresAdminUrl')),
    redisUrl: inject('redisUrl'),
    queuePrefix: `{hb-${Math.random().toString(36).slice(2, 10)}}`,
    oncallYaml: alertOncallFixture(
      {
        levels: [['schedule:primary', '1h']],
        fastEscalation: true,
        services: { billing: { policy: 'default' } },
      },
      {
        billing: {
          alertKey: KEY,
          heartbeats: {
            'nightly-backup': { interval: '2s', grace: '1s' },
            'hourly-sync': { interval: '1s', grace: '0s' },
          },
        },
      },
    ),
  };
  web = await startHarness({ ...shared, role: 'web', slack });
  await startWorker();
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await web?.stop();
  await slack?.fake.stop();
});

interface AlertRow {
  id: number;
  status: string;
  count: number;
  title: string;
  first_seen_at: Date;
}
const heartbeatAlerts = (name: string) =>
  queryRows<AlertRow>(
    shared.databaseUrl,
    "SELECT id, status, count, title, first_seen_at FROM alerts WHERE service = 'billing' AND dedup_key = $1 ORDER BY id",
    [`heartbeat:${name}`],
  );
const triggers = async (name: string) =>
  (
    await queryRows<{ n: number }>(
      shared.databaseUrl,
      `SELECT count(*)::int AS n FROM alert_events e JOIN alerts a ON a.id = e.alert_id
       WHERE a.dedup_key = $1 AND e.action = 'trigger'`,
      [`heartbeat:${name}`],
    )
  )[0]!.n;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bobsDms = (people: People) => {
  const dm = slack.fake.dmChannelId(people.bob);
  return dm ? slack.fake.messages(dm).map((m) => JSON.stringify(m)) : [];
};

describe('heartbeats', () => {
  it('answers a check-in for a heartbeat the service does not declare with 404', async () => {
    expect(await checkIn(web, KEY, 'nosuch')).toBe(404);
    expect(await queryRows(shared.databaseUrl, 'SELECT * FROM heartbeats')).toEqual([]);
  });

  it('is armed by its first check-in, raises one alert when missed, and the next check-in resolves it', async () => {
    expect(await checkIn(web, KEY, 'nightly-backup')).toBe(200);
    const [armed] = await queryRows<{ epoch: number; due_at: Date; last_checkin_at: Date }>(
      shared.databaseUrl,
      "SELECT epoch, due_at, last_checkin_at FROM heartbeats WHERE name = 'nightly-backup'",
    );
    expect(armed!.due_at.getTime() - armed!.last_checkin_at.getTime()).toBe(3000);

    const [missed] = await waitFor(
      async () => {
        const rows = await heartbeatAlerts('nightly-backup');
        return rows.length > 0 ? rows : null;
      },
      { what: 'the missed heartbeat alert', timeoutMs: 15_000 },
    );
    expect(missed).toMatchObject({ title: 'Heartbeat nightly-backup missed', status: 'firing', count: 1 });
    expect(missed!.first_seen_at.getTime()).toBeGreaterThanOrEqual(armed!.due_at.getTime() - 1000);
    await waitFor(() => bobsDms(web.people).some((m) => m.includes('Heartbeat nightly-backup missed')), {
      what: 'Bob paged for the missed heartbeat',
    });
    // Missed once is one alert: the timer, its retries and the reconciler (every 300 ms) raise nothing more.
    await pause(2000);
    expect(await heartbeatAlerts('nightly-backup')).toHaveLength(1);
    expect((await heartbeatAlerts('nightly-backup'))[0]!.count).toBe(1);
    expect(await triggers('nightly-backup')).toBe(1);

    expect(await checkIn(web, KEY, 'nightly-backup')).toBe(200);
    expect((await heartbeatAlerts('nightly-backup')).map((a) => a.status)).toEqual(['resolved']);
    // A heartbeat never checked in is not armed: nothing is raised for it.
    expect(await heartbeatAlerts('hourly-sync')).toEqual([]);
  }, 40_000);

  it('raises the miss once when the worker is stopped between the check-in and the miss', async () => {
    const before = (await heartbeatAlerts('nightly-backup')).length;
    expect(await checkIn(web, KEY, 'nightly-backup')).toBe(200);
    await worker!.stop();
    worker = null;
    // The miss falls due while no worker runs.
    await pause(4000);
    expect(await heartbeatAlerts('nightly-backup')).toHaveLength(before);
    await startWorker();
    // The delayed job and the reconciler both find it due: one alert, raised once.
    await waitFor(async () => (await heartbeatAlerts('nightly-backup')).length === before + 1, {
      what: 'the miss raised by the new worker',
      timeoutMs: 20_000,
    });
    await pause(2000);
    const after = await heartbeatAlerts('nightly-backup');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ status: 'firing', count: 1 });
    expect(await triggers('nightly-backup')).toBe(2);

    // A worker killed after intake committed the alert but before its own transaction recorded the
    // miss: the heartbeat looks due again, and the reconciler's run finds the alert already raised.
    await queryRows(
      shared.databaseUrl,
      "UPDATE heartbeats SET due_at = last_checkin_at + interval '3 seconds' WHERE name = 'nightly-backup'",
    );
    await waitFor(
      async () =>
        (
          await queryRows(
            shared.databaseUrl,
            "SELECT 1 FROM heartbeats WHERE due_at = 'infinity' AND name = 'nightly-backup'",
          )
        ).length === 1,
      { what: 'the miss recorded again' },
    );
    expect(await heartbeatAlerts('nightly-backup')).toHaveLength(before + 1);
    expect(await triggers('nightly-backup')).toBe(2);
  }, 60_000);
});

describe('a maintenance window ending while no worker runs', () => {
  it('ends once when a worker is back, and tells whoever started it by DM', async () => {
    const started = await web.driver.slashCommand({
      userId: web.people.bob,
      channelId: web.generalId,
      text: 'maintenance billing 2s',
    });
    expect((started.body as { text: string }).text).toContain('Started maintenance of *billing*');
    const bobsDm = () => slack.fake.dmChannelId(web.people.bob);
    const told = (match: RegExp) => {
      const dm = bobsDm();
      return dm ? slack.fake.messages(dm).filter((m) => match.test(m.text)) : [];
    };
    await waitFor(() => told(/started maintenance of \*billing\*/).length === 1, { what: 'the start by DM' });
    await worker!.stop();
    worker = null;
    await pause(3500);
    const open = () =>
      queryRows(
        shared.databaseUrl,
        "SELECT 1 FROM maintenance_windows WHERE service = 'billing' AND ended_at IS NULL",
      );
    expect(await open()).toHaveLength(1);
    await startWorker();
    await waitFor(async () => (await open()).length === 0, { what: 'the window ended by the new worker' });
    await waitFor(() => told(/Maintenance of \*billing\* is over/).length === 1, { what: 'the end by DM' });
    await pause(1500);
    expect(told(/Maintenance of \*billing\* is over/)).toHaveLength(1);
  }, 40_000);
});
