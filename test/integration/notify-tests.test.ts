import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNotifyTests, type NotifyTests } from '../../src/escalation/notify-tests.js';
import type { NotifyTest } from '../../src/escalation/notify-tests-repo.js';
import type { Person } from '../../src/escalation/people.js';
import { createEmailSender } from '../../src/notify/email-sender.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';
import { startSmtpFake } from '../helpers/smtp-fake.js';

/**
 * The test-notification service on real Postgres and a real SMTP server: a job that runs again (a
 * retry, a re-enqueued outbox row) never sends twice, and one that finds a send interrupted by a
 * dead worker records it rather than risk a second message. The Slack side is a recording port.
 */

const BOB: Person = {
  key: 'U0BOB',
  phone: undefined,
  pushTopic: undefined,
  email: 'bob@acme.test',
  notify: [{ via: 'email', afterMs: 0 }],
  quietHours: undefined,
};

let db: ServiceDb;
let smtp: Awaited<ReturnType<typeof startSmtpFake>>;
let tests: NotifyTests;
const reports: NotifyTest[] = [];

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), '2026-12-02T12:00:00Z');
  smtp = await startSmtpFake();
  tests = createNotifyTests({
    pool: db.pool,
    clock: db.clock,
    outbox: db.outbox,
    people: { U0BOB: BOB },
    configured: new Set(['slack', 'email']),
    senders: {
      email: createEmailSender(
        { url: smtp.url, from: 'pager@acme.test' },
        { tls: { rejectUnauthorized: false } },
      ),
    },
    reporter: {
      report: async (test) => void reports.push(test),
      reportCall: async () => {},
    },
  });
});
afterAll(async () => {
  await smtp?.close();
  await db?.pool.end();
});

const testId = async () =>
  Number((await db.rows<{ id: string }>('SELECT max(id) AS id FROM notification_tests'))[0]!.id);

describe('test notifications', () => {
  it('a job run again sends nothing again and reports once', async () => {
    const bob = { id: 'U0BOB', email: null };
    expect(
      await tests.request({ clicker: bob, owner: 'U0BOB', channel: 'email', nonce: 'nonce-aaaa' }),
    ).toEqual({
      kind: 'queued',
      channel: 'email',
      target: 'bob@acme.test',
    });
    const id = await testId();
    expect(db.enqueued.requests.at(-1)).toMatchObject({ name: 'notify.test', jobId: `notify-test-${id}` });
    await tests.run(id, false);
    await tests.run(id, true);
    expect(smtp.received).toHaveLength(1);
    expect(reports.map((r) => [r.id, r.status])).toEqual([[id, 'sent']]);
  });

  it('waits for a live send, and records one its dead worker left as interrupted, never sending it', async () => {
    db.clock.advance(120_000);
    const bob = { id: 'U0BOB', email: null };
    await tests.request({ clicker: bob, owner: 'U0BOB', channel: 'email', nonce: 'nonce-bbbb' });
    const id = await testId();
    await db.rows('UPDATE notification_tests SET claimed_at = $2 WHERE id = $1', [id, db.clock.now()]);
    await expect(tests.run(id, true)).rejects.toThrow('being sent by another run');
    db.clock.advance(3 * 60_000);
    await tests.run(id, true);
    expect(smtp.received).toHaveLength(1);
    expect(reports.at(-1)).toMatchObject({
      id,
      status: 'failed',
      error: 'interrupted while sending; it may still arrive',
    });
  });
});
