import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlertPaging } from '../../src/escalation/alert-paging.js';
import { createDeliverySteps, type DeliverySteps } from '../../src/escalation/delivery-steps.js';
import { createEscalationService, type EscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createTwilioSenders } from '../../src/notify/twilio-sender.js';
import { linkKeys } from '../../src/postmortem/signed-links.js';
import { insertAlertGroup, startAlertGroup, stopAlertGroup } from '../helpers/alert-fixture.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { pagedIncident } from '../helpers/paged-incident.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';

// People's quiet hours are read in the file's zone: New York, which springs forward on 2027-03-14.
const ONCALL = `${oncallFixture({ levels: [['user:U0BOB', '5m']], fastEscalation: true })
  .replaceAll('{bob}', 'U0BOB')
  .replace(/^timezone: UTC$/m, 'timezone: America/New_York')}
people:
  U0BOB:
    phone: "+15551230001"
    notify: [{ via: slack }, { via: sms, after: 0s }, { via: voice, after: 90s }]
    quiet_hours: { from: "22:00", to: "07:00", only: [SEV1] }
`;

let db: ServiceDb;
let escalation: EscalationService;
let twilio: TwilioFake;
let steps: DeliverySteps;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), '2027-03-10T12:00:00Z');
  const oncall = parseOncallConfig(ONCALL);
  escalation = createEscalationService({ ...db, oncall });
  twilio = await startTwilioFake();
  const twilioConfig = { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15550001111' };
  steps = createDeliverySteps({
    ...db,
    oncall,
    senders: createTwilioSenders({ ...twilioConfig, apiUrl: twilio.url }, 'https://bot.example'),
    linkKeys: linkKeys(['a-link-signing-key-of-at-least-32-chars']),
    baseUrl: () => 'https://bot.example',
    retry: { backoffMs: 1, sleep: async () => {} },
  });
});
afterAll(async () => {
  await twilio?.close();
  await db?.pool.end();
});

const stepsOf = (pageId: number) =>
  db.rows<{ id: string; step: number; channel: string; status: string; error: string | null; due_at: Date }>(
    'SELECT id, step, channel, status, error, due_at FROM deliveries WHERE page_id = $1 ORDER BY step',
    [pageId],
  );

/** Bob paged at `at` for an incident of `severity`; his SMS step (due at once) sent by the job. */
async function smsAt(at: string, severity: 'SEV1' | 'SEV2', before?: (incidentId: number) => Promise<void>) {
  const { incidentId, pageId } = await pagedIncident(db, escalation, at, severity);
  await before?.(incidentId);
  const [sms] = await stepsOf(pageId);
  return { incidentId, result: await steps.send(Number(sms!.id)) };
}

describe('notification steps planned by the engine and sent by delivery.send', () => {
  it('plans the non-Slack rules with the page, each due `after` the page, and wakes each job then', async () => {
    db.enqueued.clear();
    const { pageId } = await pagedIncident(db, escalation, '2027-03-10T12:00:00Z');
    const rows = await stepsOf(pageId);
    // The Slack rule is the page DM itself (page.send): it plans no row.
    expect(rows.map((r) => [r.step, r.channel, r.status, r.due_at.toISOString()])).toEqual([
      [1, 'sms', 'pending', '2027-03-10T12:00:00.000Z'],
      [2, 'voice', 'pending', '2027-03-10T12:01:30.000Z'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const woken = db.enqueued.take().filter((r) => r.name === 'delivery.send');
    expect(woken.map((r) => [r.data, r.dueAt?.toISOString()])).toEqual(
      rows.map((r) => [{ deliveryId: Number(r.id) }, r.due_at.toISOString()]),
    );
  });

  it('quiet hours hold back SMS outside SEV1, in local time across the DST change, decided when due', async () => {
    // 06:30 in New York on the morning clocks sprang forward (10:30Z): still quiet for a SEV2…
    const quiet = await smsAt('2027-03-14T10:30:00Z', 'SEV2');
    expect(quiet.result.status).toBe('skipped');
    expect(quiet.result.delivery?.error).toMatch(/^quiet hours/);
    const [event] = await db.rows<{ details: Record<string, unknown> }>(
      `SELECT details FROM timeline_events WHERE incident_id = $1 AND kind = 'delivery.failed'`,
      [quiet.incidentId],
    );
    expect(event?.details).toMatchObject({ channel: 'sms', outcome: 'skipped' });
    // …07:30 local (11:30Z; it would be 06:30 at the winter offset) is not.
    expect((await smsAt('2027-03-14T11:30:00Z', 'SEV2')).result.status).toBe('sent');
    // A SEV1 calls through; so does an incident raised to SEV1 before the step fell due.
    expect((await smsAt('2027-03-14T10:30:00Z', 'SEV1')).result.status).toBe('sent');
    const raised = await smsAt('2027-03-14T10:31:00Z', 'SEV2', (id) =>
      db.pool.query(`UPDATE incidents SET severity = 'SEV1' WHERE id = $1`, [id]).then(() => undefined),
    );
    expect(raised.result.status).toBe('sent');
  });

  it('records a failure once: the row, one timeline event and one channel line, however often the job runs', async () => {
    // Bob's number unsubscribes (the last test: the fake cannot take it back).
    twilio.refuse('+15551230001', 21610);
    const { incidentId, pageId } = await pagedIncident(db, escalation, '2027-03-10T15:00:00Z');
    const [sms] = await stepsOf(pageId);
    db.enqueued.clear();
    for (let run = 0; run < 3; run++) await steps.send(Number(sms!.id));
    expect((await stepsOf(pageId))[0]).toMatchObject({ status: 'failed' });
    const events = await db.rows<{ details: Record<string, unknown> }>(
      `SELECT details FROM timeline_events WHERE incident_id = $1 AND kind = 'delivery.failed'`,
      [incidentId],
    );
    expect(events.map((e) => e.details.reason)).toEqual(['unsubscribed (the number replied STOP)']);
    const notes = await db.rows('SELECT key FROM outbox WHERE job = $1 AND key = $2', [
      'delivery.note',
      `delivery-note-${sms!.id}`,
    ]);
    expect(notes).toHaveLength(1);
    // The line waits for the incident's channel (none yet), then says who and why.
    await expect(steps.findNote(Number(sms!.id))).resolves.toMatchObject({
      channelId: null,
      channel: 'sms',
      reason: 'unsubscribed (the number replied STOP)',
    });
  });

  it("an alert group's page: its failure is said in the group's channel once there is one; resolving stops the rest", async () => {
    const paging = createAlertPaging({ escalation, outbox: db.outbox });
    const groupId = await insertAlertGroup(db.pool, { service: 'checkout' });
    await startAlertGroup(db.pool, paging, { id: groupId, service: 'checkout' });
    const [esc] = await db.rows<{ id: string }>('SELECT id FROM escalations WHERE alert_group_id = $1', [
      groupId,
    ]);
    await escalation.fireStep({ escalationId: Number(esc!.id), epoch: 0, step: 0, loop: 0 });
    const [page] = await db.rows<{ id: string }>('SELECT id FROM pages WHERE alert_group_id = $1', [groupId]);
    const [sms, voice] = await stepsOf(Number(page!.id));
    // Bob's number still refuses (the test before): the SMS fails; the row records it.
    expect(await steps.send(Number(sms!.id))).toMatchObject({ status: 'failed' });
    // No message of the group's yet: nowhere to say it. Once posted in the service's channel: there.
    expect(await steps.findNote(Number(sms!.id))).toBeNull();
    await db.pool.query(`UPDATE alert_groups SET channel_id = 'C0ALERTS' WHERE id = $1`, [groupId]);
    expect(await steps.findNote(Number(sms!.id))).toMatchObject({ channelId: 'C0ALERTS', channel: 'sms' });
    await stopAlertGroup(db.pool, paging, groupId, { state: 'resolved', by: 'Alertmanager' });
    expect((await stepsOf(Number(page!.id))).find((r) => r.id === voice!.id)).toMatchObject({
      status: 'skipped',
      error: 'paging stopped (resolved by Alertmanager)',
    });
  });
});
