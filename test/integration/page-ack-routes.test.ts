import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlertService } from '../../src/alerts/alert-service.js';
import { createAlertPaging } from '../../src/escalation/alert-paging.js';
import { recordCallStatus } from '../../src/escalation/call-status.js';
import { createEscalationService, type EscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createPageAck, pageAckUrl } from '../../src/escalation/page-ack.js';
import { createMetrics } from '../../src/http/metrics.js';
import { pageAckRoutes } from '../../src/http/page-ack-routes.js';
import { createHttpServer, listen } from '../../src/http/server.js';
import { createEmailSender } from '../../src/notify/email-sender.js';
import { linkKeys } from '../../src/postmortem/signed-links.js';
import { insertAlertGroup, startAlertGroup } from '../helpers/alert-fixture.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { pagedIncident } from '../helpers/paged-incident.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';
import { startSmtpFake } from '../helpers/smtp-fake.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';

const START = '2026-03-04T10:00:00.000Z';
const BOT_NUMBER = '+15550001111';
const BOB_PHONE = '+15551230001';
const ONCALL = `${oncallFixture({ levels: [['user:U0BOB', '5m']] }).replaceAll('{bob}', 'U0BOB')}
people:
  U0BOB:
    phone: "${BOB_PHONE}"
    notify: [{ via: slack }, { via: sms, after: 1m }]
`;
const KEYS = linkKeys(['a-link-signing-key-of-at-least-32-chars']);

let db: ServiceDb;
let escalation: EscalationService;
let twilio: TwilioFake;
let base: string;
let close: () => void;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  const oncall = parseOncallConfig(ONCALL);
  escalation = createEscalationService({ ...db, oncall });
  twilio = await startTwilioFake();
  const server = createHttpServer({
    slackListener: null,
    routes: {},
    metrics: createMetrics(),
    logger: db.logger,
    inbound: pageAckRoutes({
      clock: db.clock,
      linkKeys: KEYS,
      pageAck: createPageAck({ pool: db.pool, escalation }),
      people: oncall.people,
      twilio: { authToken: twilio.authToken, from: BOT_NUMBER },
      baseUrl: () => base,
      callStatus: (report) => recordCallStatus(db.pool, { ...report, at: db.clock.now() }),
    }),
  });
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  close = () => server.close();
});
afterAll(async () => {
  close?.();
  await twilio?.close();
  await db?.pool.end();
});

const pagedBob = () => pagedIncident(db, escalation, START);

const stateOf = async (incidentId: number) =>
  (
    await db.rows<{ state: string; acknowledged_by: string | null }>(
      'SELECT state, acknowledged_by FROM escalations WHERE incident_id = $1',
      [incidentId],
    )
  )[0];

describe('acknowledge from anywhere: the signed link', () => {
  it('GET shows a confirmation form and acknowledges nothing; POST acknowledges as the person paged', async () => {
    const { incidentId, pageId } = await pagedBob();
    const link = pageAckUrl(base, KEYS, pageId, db.clock.now());
    expect(link).toMatch(new RegExp(`^${base}/pages/${pageId}/ack\\?expires=\\d+&sig=[0-9a-f]{64}$`));
    const shown = await fetch(link);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('private, no-store');
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(shown.headers.get('content-security-policy')).toContain('sandbox allow-forms');
    const page = await shown.text();
    expect(page).toContain('<form method="post"');
    expect(page).toContain(`action="/pages/${pageId}/ack?expires=`);
    expect(await stateOf(incidentId)).toEqual({ state: 'triggered', acknowledged_by: null });

    const posted = await fetch(link, { method: 'POST' });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Acknowledged. Thank you.');
    expect(await stateOf(incidentId)).toEqual({ state: 'acknowledged', acknowledged_by: 'U0BOB' });
    expect(await (await fetch(link, { method: 'POST' })).text()).toContain('already acknowledged');
  });

  it('refuses a tampered, foreign-key or expired link', async () => {
    const { incidentId, pageId } = await pagedBob();
    const link = pageAckUrl(base, KEYS, pageId, db.clock.now());
    const tampered = link.replace(`/pages/${pageId}/`, `/pages/${pageId + 1000}/`);
    expect((await fetch(tampered, { method: 'POST' })).status).toBe(403);
    const foreign = pageAckUrl(
      base,
      linkKeys(['another-key-another-key-another-key!']),
      pageId,
      db.clock.now(),
    );
    expect((await fetch(foreign, { method: 'POST' })).status).toBe(403);
    db.clock.advance(25 * 3_600_000);
    const expired = await fetch(link, { method: 'POST' });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
    expect((await stateOf(incidentId))!.state).toBe('triggered');
  });
});

describe('the ack link in a page email, as a mail client shows it', () => {
  it('is in the text and HTML parts, and the HTML link acknowledges after its form is submitted', async () => {
    const smtp = await startSmtpFake();
    try {
      const { incidentId, pageId } = await pagedBob();
      const sender = createEmailSender(
        { url: smtp.url, from: 'pager@acme.test' },
        { tls: { rejectUnauthorized: false } },
      );
      const ackUrl = pageAckUrl(base, KEYS, pageId, db.clock.now());
      const outcome = await sender.send('bob@acme.test', {
        pageId,
        severity: 'SEV1',
        title: 'SEV1 Payments failing',
        body: 'You are paged.',
        ackUrl,
      });
      expect(outcome.ok).toBe(true);
      const { mail } = smtp.received.at(-1)!;
      expect(mail.text).toContain(ackUrl);
      const href = /href="([^"]+)"/.exec(String(mail.html))![1]!.replaceAll('&amp;', '&');
      expect(href).toBe(ackUrl);
      expect((await fetch(href)).status).toBe(200);
      expect((await stateOf(incidentId))!.state).toBe('triggered');
      expect((await fetch(href, { method: 'POST' })).status).toBe(200);
      expect((await stateOf(incidentId))!.state).toBe('acknowledged');
    } finally {
      await smtp.close();
    }
  });
});

describe('Twilio webhooks', () => {
  it('an SMS reply ACK acknowledges the sender’s latest open page', async () => {
    const { incidentId } = await pagedBob();
    const answer = await twilio.postSigned(`${base}/integrations/twilio/sms`, {
      From: BOB_PHONE,
      To: BOT_NUMBER,
      Body: ' ack ',
      MessageSid: 'SM1',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/xml');
    expect(await answer.text()).toContain('<Message>Acknowledged. Thank you.</Message>');
    expect(await stateOf(incidentId)).toEqual({ state: 'acknowledged', acknowledged_by: 'U0BOB' });
  });

  it('pressing 1 on the page call acknowledges', async () => {
    const { incidentId } = await pagedBob();
    const answer = await twilio.postSigned(`${base}/integrations/twilio/voice`, {
      From: BOT_NUMBER,
      To: BOB_PHONE,
      Digits: '1',
      CallSid: 'CA1',
    });
    expect(await answer.text()).toContain('<Say>Acknowledged. Thank you.</Say>');
    expect((await stateOf(incidentId))!.state).toBe('acknowledged');
  });

  it('refuses a tampered body or a signature made with another token (403), and acknowledges nothing', async () => {
    const { incidentId } = await pagedBob();
    const url = `${base}/integrations/twilio/sms`;
    const wrongKey = await twilio.postSigned(
      url,
      { From: BOB_PHONE, To: BOT_NUMBER, Body: 'ACK' },
      'not-the-auth-token',
    );
    expect(wrongKey.status).toBe(403);
    const fields = { From: BOB_PHONE, To: BOT_NUMBER, Body: 'hello' };
    const { twilioSignature } = await import('../../src/notify/twilio-signature.js');
    const tampered = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(twilio.authToken, url, fields),
      },
      body: new URLSearchParams({ ...fields, Body: 'ACK' }),
    });
    expect(tampered.status).toBe(403);
    const unsigned = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, Body: 'ACK' }),
    });
    expect(unsigned.status).toBe(403);
    expect((await stateOf(incidentId))!.state).toBe('triggered');
  });

  it('an unknown number or another word acknowledges nothing', async () => {
    const { incidentId } = await pagedBob();
    const url = `${base}/integrations/twilio/sms`;
    expect(
      await (await twilio.postSigned(url, { From: '+15550009999', To: BOT_NUMBER, Body: 'ACK' })).text(),
    ).toContain('No open page for you.');
    expect(
      await (await twilio.postSigned(url, { From: BOB_PHONE, To: BOT_NUMBER, Body: 'ok' })).text(),
    ).toContain('Reply ACK');
    expect((await stateOf(incidentId))!.state).toBe('triggered');
  });
});

describe('acknowledge from anywhere: an alert page', () => {
  it("acknowledges the alert group through intake, so its alerts say who, and stops the group's escalation", async () => {
    const paging = createAlertPaging({ escalation, outbox: db.outbox });
    const alerts = createAlertService({ ...db, paging, groupWindowMs: 120_000 });
    const groupId = await insertAlertGroup(db.pool, { service: 'checkout', alerts: 2 });
    expect(await startAlertGroup(db.pool, paging, { id: groupId, service: 'checkout' })).toBe(true);
    const [esc] = await db.rows<{ id: string }>('SELECT id FROM escalations WHERE alert_group_id = $1', [
      groupId,
    ]);
    expect(await escalation.fireStep({ escalationId: Number(esc!.id), epoch: 0, step: 0, loop: 0 })).toBe(
      'paged',
    );
    const [page] = await db.rows<{ id: string }>('SELECT id FROM pages WHERE alert_group_id = $1', [groupId]);

    const pageAck = createPageAck({ pool: db.pool, escalation, alerts });
    expect(await pageAck.acknowledgePage(Number(page!.id), 'link')).toBe('acknowledged');
    expect(
      await db.rows('SELECT status, acknowledged_by FROM alerts WHERE alert_group_id = $1 ORDER BY id', [
        groupId,
      ]),
    ).toEqual([
      { status: 'acknowledged', acknowledged_by: 'U0BOB' },
      { status: 'acknowledged', acknowledged_by: 'U0BOB' },
    ]);
    expect(await db.rows('SELECT state FROM escalations WHERE alert_group_id = $1', [groupId])).toEqual([
      { state: 'acknowledged' },
    ]);
    // A second press (the link opened twice) changes nothing.
    expect(await pageAck.acknowledgePage(Number(page!.id), 'link')).toBe('not_paging');
    // Without intake wired, an alert page cannot be acknowledged from a link.
    expect(await createPageAck({ pool: db.pool, escalation }).acknowledgePage(Number(page!.id), 'link')).toBe(
      'no_page',
    );
  });
});
