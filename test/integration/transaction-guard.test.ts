import { createSlackFake, type SlackFake } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, type Pool, withTransaction } from '../../src/db/pool.js';
import { createMetrics, type Metrics } from '../../src/http/metrics.js';
import { createMeteredFetch, SlackCallInTransactionError } from '../../src/slack/metered-fetch.js';
import { createDatabase } from '../helpers/postgres-server.js';

let pool: Pool;
let fake: SlackFake;
let metrics: Metrics;
let slackFetch: typeof fetch;
beforeAll(async () => {
  pool = createPool(await createDatabase(inject('postgresAdminUrl')));
  fake = createSlackFake();
  await fake.start();
  metrics = createMetrics();
  slackFetch = createMeteredFetch(metrics, globalThis.fetch, (error) => {
    throw error;
  });
});
afterAll(async () => {
  await pool?.end();
  await fake?.stop();
});

const authTest = () =>
  slackFetch(`${fake.apiUrl}auth.test`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-sandbox-token' },
  });
const ok = async (response: Response | Promise<Response>) =>
  ((await (await response).json()) as { ok: boolean }).ok;
const inTransaction = async () =>
  (await metrics.slackCallsInTransaction.get()).values.find((v) => v.labels.method === 'auth.test')?.value ??
  0;

describe('no Slack call while a database transaction is open', () => {
  it('refuses a Slack call made inside withTransaction, rolls the transaction back and counts it', async () => {
    await pool.query('CREATE TABLE guarded (n int)');
    const attempt = withTransaction(pool, async (tx) => {
      await tx.query('INSERT INTO guarded VALUES (1)');
      await authTest();
    });
    await expect(attempt).rejects.toBeInstanceOf(SlackCallInTransactionError);
    await expect(attempt).rejects.toThrow(/auth\.test was called while a database transaction was open/);
    expect(await inTransaction()).toBe(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM guarded')).rows[0].n).toBe(0);
    expect(fake.calls('auth.test')).toHaveLength(0);
  });

  it('lets the same call through before and after the transaction, and from work it left running', async () => {
    expect(await ok(authTest())).toBe(true);
    let later: Promise<Response> | null = null;
    await withTransaction(pool, async (tx) => {
      await tx.query('SELECT 1');
      // Started inside, runs after commit: by then no transaction is open.
      later = new Promise((resolve) => setTimeout(resolve, 50)).then(authTest);
    });
    expect(await ok(later!)).toBe(true);
    expect(await ok(authTest())).toBe(true);
    expect(await inTransaction()).toBe(1);
    expect(fake.calls('auth.test')).toHaveLength(3);
  });
});
