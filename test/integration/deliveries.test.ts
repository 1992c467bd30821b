import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDeliverOne } from '../../src/escalation/deliver-one.js';
import { insertDelivery, listDeliveries } from '../../src/escalation/deliveries-repo.js';
import type { PageMessage } from '../../src/escalation/delivery-port.js';
import { createEscalationService, type EscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createTwilioSenders } from '../../src/notify/twilio-sender.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { pagedIncident } from '../helpers/paged-incident.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';

const START = '2026-03-04T10:00:00.000Z';
const ONCALL = oncallFixture({ levels: [['user:U0BOB', '5m']] }).replaceAll('{bob}', 'U0BOB');

let db: ServiceDb;
let escalation: EscalationService;
let twilio: TwilioFake;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  escalation = createEscalationService({ ...db, oncall: parseOncallConfig(ONCALL) });
  twilio = await startTwilioFake();
});
afterAll(async () => {
  await twilio?.close();
  await db?.pool.end();
});

/** A SEV1 incident paging U0BOB at level 1: the page's id. */
const pagedBob = () => pagedIncident(db, escalation, START);

const deliverOne = (options: { compose?: (pageId: number) => Promise<PageMessage> } = {}) =>
  createDeliverOne({
    pool: db.pool,
    clock: db.clock,
    senders: createTwilioSenders(
      {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+15550001111',
        apiUrl: twilio.url,
      },
      'https://bot.example',
    ),
    compose: async (pageId): Promise<PageMessage> => ({
      pageId,
      severity: 'SEV1',
      title: 'SEV1 Payments failing',
      body: 'You are paged.',
      ackUrl: `https://bot.example/pages/${pageId}/ack`,
    }),
    retry: { backoffMs: 1, sleep: async () => {} },
    ...options,
  });

const plan = (pageId: number, step: number, channel: 'sms' | 'voice', target = '+15551230001') =>
  insertDelivery(db.pool, { pageId, person: 'U0BOB', step, channel, target, dueAt: db.clock.now() });

describe('deliveries: one row per step, delivered once', () => {
  it('planning a step twice keeps one row; delivering it twice sends once', async () => {
    const { pageId } = await pagedBob();
    const first = await plan(pageId, 0, 'sms');
    const again = await plan(pageId, 0, 'sms');
    expect(again.id).toBe(first.id);
    const before = twilio.sent.length;
    const deliver = deliverOne();
    const [a, b] = await Promise.all([deliver(first.id), deliver(first.id)]);
    expect([a.sentNow, b.sentNow].sort()).toEqual([false, true]);
    expect(await deliver(first.id)).toMatchObject({ status: 'sent', sentNow: false });
    expect(twilio.sent.length - before).toBe(1);
    const [row] = await listDeliveries(db.pool, pageId);
    expect(row).toMatchObject({
      status: 'sent',
      channel: 'sms',
      receipt: twilio.sent.at(-1)!.sid,
      attempts: 1,
    });
    expect(row!.sentAt).toEqual(db.clock.now());
  });

  it('records an invalid number as failed with the reason, not retried', async () => {
    const { pageId } = await pagedBob();
    twilio.refuse('+15559990000', 21211);
    const row = await plan(pageId, 0, 'sms', '+15559990000');
    expect(await deliverOne()(row.id)).toMatchObject({
      status: 'failed',
      delivery: { error: 'invalid number (Twilio 21211)', attempts: 1 },
    });
  });

  it('skips a step once the page is acknowledged (from any channel)', async () => {
    const { incidentId, pageId } = await pagedBob();
    const row = await plan(pageId, 0, 'voice');
    await escalation.acknowledge(incidentId, 'U0BOB', 'sms');
    // The ack's own transaction stops the pending step…
    expect((await listDeliveries(db.pool, pageId))[0]).toMatchObject({
      status: 'skipped',
      error: 'acknowledged by U0BOB (sms)',
    });
    // …and a step the ack did not see (planned after it) is skipped when due: the page is closed.
    const late = await plan(pageId, 1, 'sms');
    const before = twilio.sent.length;
    expect(await deliverOne()(row.id)).toMatchObject({ status: 'skipped' });
    expect(await deliverOne()(late.id)).toMatchObject({
      status: 'skipped',
      delivery: { error: 'page no longer open' },
    });
    expect(twilio.sent.length).toBe(before);
  });

  it('throttles a fourth call to one number within 15 minutes, and records it', async () => {
    const number = '+15557770000';
    const deliver = deliverOne();
    const statuses: string[] = [];
    for (let call = 0; call < 4; call++) {
      const { pageId } = await pagedBob();
      db.clock.set(new Date(new Date(START).getTime() + call * 60_000));
      statuses.push((await deliver((await plan(pageId, 0, 'voice', number)).id)).status);
    }
    expect(statuses).toEqual(['sent', 'sent', 'sent', 'throttled']);
    const { pageId } = await pagedBob();
    db.clock.set(new Date(new Date(START).getTime() + 16 * 60_000));
    expect((await deliver((await plan(pageId, 0, 'voice', number)).id)).status).toBe('sent');
  });

  it('a channel whose provider is not configured fails visibly, never silently', async () => {
    const { pageId } = await pagedBob();
    const row = await insertDelivery(db.pool, {
      pageId,
      person: 'U0BOB',
      step: 0,
      channel: 'email',
      target: 'bob@acme.test',
      dueAt: db.clock.now(),
    });
    expect(await deliverOne()(row.id)).toMatchObject({
      status: 'failed',
      delivery: { error: 'email is not configured' },
    });
  });

  it('a step that failed before anything was sent is given back, so the retry sends it at once', async () => {
    const { pageId } = await pagedBob();
    const row = await plan(pageId, 0, 'sms', '+15557770001');
    const broken = deliverOne({ compose: () => Promise.reject(new Error('database hiccup')) });
    await expect(broken(row.id)).rejects.toThrow('database hiccup');
    expect((await listDeliveries(db.pool, pageId))[0]).toMatchObject({ status: 'pending' });
    // Without the release, this would wait out the 2-minute claim lease.
    expect(await deliverOne()(row.id)).toMatchObject({ status: 'sent' });
  });
});
