import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { startPushReceiver } from '../helpers/push-receiver.js';
import { startSmtpFake } from '../helpers/smtp-fake.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';
import { waitFor } from '../helpers/wait-for.js';

// Each test pages its own people (by service), so one test's calls never count in another's throttle.
const BOB_PHONE = '+15551230001';
const CAROL_PHONE = '+15551230002';
const ALICE_PHONE = '+15551230003';
const DAVE_PHONE = '+15550000000';
const ERIN_PHONE = '+15551230005';
const ONCALL = `${oncallFixture({
  levels: [['user:{bob}', '60s']],
  policies: {
    pair: {
      levels: [
        ['user:{alice}', '300ms'],
        ['user:{carol}', '60s'],
      ],
    },
    dave: { levels: [['user:dave@acme.test', '60s']] },
    erin: { levels: [['user:erin@acme.test', '60s']] },
    frank: { levels: [['user:frank@acme.test', '60s']] },
  },
  services: {
    pair: { policy: 'pair' },
    dave: { policy: 'dave' },
    erin: { policy: 'erin' },
    frank: { policy: 'frank' },
  },
  autoPage: ['SEV1', 'SEV2'],
  fastEscalation: true,
})}
people:
  "{bob}":
    phone: "${BOB_PHONE}"
    push_topic: bob-pages
    email: bob@acme.test
    notify:
      - { via: slack, after: 0s }
      - { via: push, after: 0s }
      - { via: email, after: 1s }
      - { via: sms, after: 2s }
      - { via: voice, after: 3s }
  "{alice}":
    phone: "${ALICE_PHONE}"
    notify: [{ via: sms, after: 0s }, { via: voice, after: 6s }]
  "{carol}":
    phone: "${CAROL_PHONE}"
    push_topic: carol-pages
    notify: [{ via: push, after: 0s }, { via: sms, after: 6s }]
  dave@acme.test:
    phone: "${DAVE_PHONE}"
    notify: [{ via: sms, after: 0s }, { via: push, after: 0s }]
    push_topic: dave-pages
  frank@acme.test:
    phone: "+15551230006"
    push_topic: frank-pages
    notify: [{ via: push, after: 0s }, { via: voice, after: 6s }]
  erin@acme.test:
    phone: "${ERIN_PHONE}"
    notify:
      - { via: voice, after: 0s }
      - { via: voice, after: 1s }
      - { via: voice, after: 2s }
      - { via: voice, after: 3s }
      - { via: sms, after: 4s }
`;

let h: Harness;
let twilio: TwilioFake;
let smtp: Awaited<ReturnType<typeof startSmtpFake>>;
let push: Awaited<ReturnType<typeof startPushReceiver>>;

beforeAll(async () => {
  [twilio, smtp, push] = await Promise.all([startTwilioFake(), startSmtpFake(), startPushReceiver()]);
  twilio.refuse(DAVE_PHONE, 21211);
  h = await startHarness({
    oncallYaml: ONCALL,
    emailTls: { rejectUnauthorized: false },
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'pager@acme.test',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15550001111',
      TWILIO_API_URL: twilio.url,
      PUSH_URL: push.url,
    },
  });
});
afterAll(async () => {
  await h?.stop();
  await Promise.all([twilio?.close(), smtp?.close(), push?.close()]);
});

/** Declares a SEV1 (it pages at once) for `service` (its policy), returns the incident's id. */
async function declare(title: string, service?: string): Promise<number> {
  const response = await h.driver.slashCommand({
    userId: h.people.alice,
    channelId: h.generalId,
    text: `create --severity SEV1 --title "${title}"${service ? ` --service ${service}` : ''}`,
  });
  const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
  const [row] = await queryRows<{ id: number }>(h.databaseUrl, 'SELECT id FROM incidents WHERE number = $1', [
    number,
  ]);
  return row!.id;
}

interface Row {
  page_id: string;
  person: string;
  step: number;
  channel: string;
  status: string;
  error: string | null;
  receipt: string | null;
  due_at: Date;
  sent_at: Date | null;
  paged_at: Date;
}
const deliveries = (incidentId: number) =>
  queryRows<Row>(
    h.databaseUrl,
    `SELECT d.page_id, d.person, d.step, d.channel, d.status, d.error, d.receipt, d.due_at, d.sent_at,
       p.created_at AS paged_at
     FROM deliveries d JOIN pages p ON p.id = d.page_id WHERE p.incident_id = $1 ORDER BY d.page_id, d.step`,
    [incidentId],
  );
const timeline = (incidentId: number) =>
  queryRows<{ kind: string; details: Record<string, unknown> }>(
    h.databaseUrl,
    'SELECT kind, details FROM timeline_events WHERE incident_id = $1 ORDER BY id',
    [incidentId],
  );
/** The incident's `count` steps once none is pending. */
const settledSteps = (incidentId: number, count: number): Promise<Row[]> =>
  waitFor(
    async () => {
      const all = await deliveries(incidentId);
      return all.length === count && all.every((r) => r.status !== 'pending') ? all : null;
    },
    { timeoutMs: 20_000, what: `${count} settled steps` },
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notification steps driven by the escalation engine', () => {
  it('delivers a 4-step sequence in order, each about its `after` past the page, once', async () => {
    const id = await declare('Checkout is down');
    const rows = await settledSteps(id, 4);
    expect(rows.map((r) => [r.step, r.channel, r.status])).toEqual([
      [1, 'push', 'sent'],
      [2, 'email', 'sent'],
      [3, 'sms', 'sent'],
      [4, 'voice', 'sent'],
    ]);
    // Each step is due its `after` past the moment the level paged (one base for all four)…
    const afterMs = [0, 1000, 2000, 3000];
    const bases = rows.map((row, i) => row.due_at.getTime() - afterMs[i]!);
    expect(new Set(bases).size).toBe(1);
    expect(Math.abs(bases[0]! - rows[0]!.paged_at.getTime())).toBeLessThan(5000);
    // …and sent then: never early, late only by queueing on a loaded machine (generous bound).
    for (const row of rows) {
      expect(row.sent_at!.getTime()).toBeGreaterThanOrEqual(row.due_at.getTime());
      expect(row.sent_at!.getTime() - row.due_at.getTime()).toBeLessThan(8000);
    }
    // (sent_at is when the provider answered: an SMTP exchange may end after the next step's SMS.)
    // One message per step at each provider, and its receipt recorded on the row.
    expect(push.received.filter((m) => m.topic === 'bob-pages')).toHaveLength(1);
    const mails = smtp.received.filter((m) => m.mail.subject?.includes('Checkout is down'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.mail.text).toContain('/ack?');
    const toBob = twilio.sent.filter((m) => m.fields.To === BOB_PHONE);
    expect(toBob.map((m) => m.resource)).toEqual(['Messages', 'Calls']);
    expect(rows.find((r) => r.channel === 'sms')!.receipt).toBe(toBob[0]!.sid);
    // The timeline says which channel reached Bob.
    const reached = (await timeline(id)).filter((e) => e.kind === 'delivery.sent');
    // (In the order the providers answered: a slow SMTP exchange may end after the next step's SMS.)
    expect(reached.map((e) => e.details.channel).sort()).toEqual(['email', 'push', 'sms', 'voice']);
    expect(reached[0]!.details.person).toBe(h.people.bob);
  });

  it('an SMS reply mid-sequence acknowledges and stops every pending step, for everyone paged', async () => {
    const before = twilio.sent.length;
    const id = await declare('Payments failing', 'pair');
    // Alice's first step (an SMS at 0s) arrives; Carol is paged at level 2 (0.3 s) with her push.
    await waitFor(() => twilio.sent.find((m) => m.fields.To === ALICE_PHONE), { what: 'the SMS to Alice' });
    await waitFor(async () => (await deliveries(id)).some((r) => r.person === h.people.carol));
    const reply = await twilio.postSigned(`${h.bot.url}/integrations/twilio/sms`, {
      From: ALICE_PHONE,
      To: '+15550001111',
      Body: 'ACK',
    });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toContain('cknowledged');
    // The ack's transaction stopped the rest: Alice's call, Carol's SMS.
    const stopped = (await deliveries(id)).filter((r) => r.status === 'skipped');
    expect(stopped.map((r) => [r.person, r.channel])).toEqual([
      [h.people.alice, 'voice'],
      [h.people.carol, 'sms'],
    ]);
    expect(stopped[0]!.error).toBe(`acknowledged by ${h.people.alice} (sms)`);
    // Past their due time, nothing more went out.
    await sleep(7000);
    expect(twilio.sent.slice(before).map((m) => m.fields.To)).toEqual([ALICE_PHONE]);
    expect((await deliveries(id)).filter((r) => r.status === 'pending')).toEqual([]);
    const ack = (await timeline(id)).find((e) => e.kind === 'escalation.acknowledged');
    expect(ack?.details).toEqual({ by: h.people.alice, via: 'sms' });
  });

  it('the signed link (POST) acknowledges and stops the steps still to come', async () => {
    const id = await declare('Search is slow', 'frank');
    const pushed = await waitFor(() => push.received.find((m) => m.topic === 'frank-pages'), {
      what: "Frank's push",
    });
    const link = String(pushed.headers.click);
    expect(link).toMatch(/\/pages\/\d+\/ack\?/);
    // A link preview (GET) acknowledges nothing; the form's POST does.
    expect((await fetch(link)).status).toBe(200);
    expect((await deliveries(id)).filter((r) => r.status === 'skipped')).toEqual([]);
    const posted = await fetch(link, { method: 'POST' });
    expect(posted.status).toBe(200);
    const rows = await deliveries(id);
    // Frank's call (6 s) was still to come: stopped, and it never rings.
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['push', 'sent'],
      ['voice', 'skipped'],
    ]);
    await sleep(6500);
    expect((await deliveries(id)).map((r) => r.status)).toEqual(['sent', 'skipped']);
    expect(twilio.sent.filter((m) => m.fields.To === '+15551230006')).toEqual([]);
    const ack = (await timeline(id)).find((e) => e.kind === 'escalation.acknowledged');
    expect(ack?.details).toEqual({ by: 'frank@acme.test', via: 'link' });
  });

  it('an invalid number is recorded on the step, the timeline and in the incident channel; the next rule continues', async () => {
    const id = await declare('Login <!here> broken', 'dave');
    const rows = await settledSteps(id, 2);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['sms', 'failed'],
      ['push', 'sent'],
    ]);
    expect(rows[0]!.error).toContain('21211');
    const failed = (await timeline(id)).find((e) => e.kind === 'delivery.failed');
    expect(failed?.details).toMatchObject({ channel: 'sms', outcome: 'failed', reason: 'invalid number' });
    const [incident] = await queryRows<{ channel_id: string }>(
      h.databaseUrl,
      'SELECT channel_id FROM incidents WHERE id = $1',
      [id],
    );
    const line = await waitFor(
      () => h.fake.messages(incident!.channel_id).find((m) => m.text.includes('Could not reach')),
      { what: 'the failure line in the incident channel' },
    );
    expect(line.text).toBe(':warning: Could not reach dave@acme.test by sms: invalid number');
  });

  it('throttles the 4th call in 15 minutes to one number, and the next rule still goes out', async () => {
    const id = await declare('Disk full', 'erin');
    const rows = await settledSteps(id, 5);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ['voice', 'sent'],
      ['voice', 'sent'],
      ['voice', 'sent'],
      ['voice', 'throttled'],
      ['sms', 'sent'],
    ]);
    const toErin = twilio.sent.filter((m) => m.fields.To === ERIN_PHONE).map((m) => m.resource);
    expect(toErin).toEqual(['Calls', 'Calls', 'Calls', 'Messages']);
    const failed = (await timeline(id)).filter((e) => e.kind === 'delivery.failed');
    expect(failed.map((e) => e.details.outcome)).toEqual(['throttled']);
  });
});
