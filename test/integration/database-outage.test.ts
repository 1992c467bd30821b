import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { createDatabase, type PostgresServer, startPostgresServer } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';

// This file stops its own Postgres server, so it never disturbs the shared one.
let postgres: PostgresServer;
let h: Harness;
beforeAll(async () => {
  postgres = await startPostgresServer();
  h = await startHarness({ databaseUrl: await createDatabase(postgres.url()) });
});
afterAll(async () => {
  await h?.stop();
  await postgres?.destroy();
});

const text = (body: unknown) => (body as { text: string }).text;

describe('with Postgres stopped', () => {
  it('tells the user to try again, creates nothing anywhere, and works again once Postgres is back', async () => {
    const { alice } = h.people;
    const pid = postgres.pid;
    await postgres.stop();
    expect(() => process.kill(pid!, 0)).toThrow();

    const started = Date.now();
    const inline = await h.driver.slashCommand({
      userId: alice,
      channelId: h.generalId,
      text: 'create --severity SEV1 --title "Database down"',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(inline.status).toBe(200);
    expect(text(inline.body)).toContain(
      'not reachable right now, so nothing was created or changed. Please try again',
    );

    // The modal opens (it needs no database); submitting keeps it open with the same advice.
    await h.driver.slashCommand({ userId: alice, channelId: h.generalId, text: 'create' });
    const view = await waitFor(() =>
      h.fake.openViews(alice).find((v) => v.view.callback_id === 'incident-declare'),
    );
    const submitted = await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: {
        title: { 'title-input': 'Database down (modal)' },
        severity: { 'severity-select': 'SEV1' },
        commander: { 'commander-select': alice },
      },
    });
    expect(submitted.outcome).toBe('errors');
    expect(JSON.stringify(submitted.body)).toContain('Please try again');
    expect(h.fake.getView(view.view.id)!.status).toBe('open');

    const list = await h.driver.slashCommand({ userId: alice, channelId: h.generalId, text: 'list' });
    expect(text(list.body)).toContain('Please try again');

    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ postgres: 'unreachable', redis: 'ok' });

    await postgres.start();
    expect(await queryRows(h.databaseUrl, 'SELECT count(*)::int AS n FROM incidents')).toEqual([{ n: 0 }]);
    expect(await queryRows(h.databaseUrl, 'SELECT count(*)::int AS n FROM idempotency_keys')).toEqual([
      { n: 0 },
    ]);
    expect(h.fake.listChannels().filter((c) => c.name?.startsWith('inc-'))).toEqual([]);
    expect(h.fake.calls('conversations.create')).toEqual([]);

    // The same modal, submitted again, now declares.
    const retried = await waitFor(async () => {
      const r = await h.driver.submitView({
        userId: alice,
        viewId: view.view.id,
        values: {
          title: { 'title-input': 'Database down (modal)' },
          severity: { 'severity-select': 'SEV1' },
          commander: { 'commander-select': alice },
        },
      });
      return r.outcome === 'closed' ? r : null;
    });
    expect(retried.status).toBe(200);
    const row = await waitFor(async () => {
      const [r] = await queryRows(
        h.databaseUrl,
        'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = 1',
      );
      return r?.setup_completed_at ? r : null;
    });
    expect(row.title).toBe('Database down (modal)');
    expect(h.fake.getChannel(row.channel_id as string)?.name).toBe('inc-1-database-down-modal');
  });
});
