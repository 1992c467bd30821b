import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageMessage, sendWithRetry } from '../../src/escalation/delivery-port.js';
import { createEmailSender } from '../../src/notify/email-sender.js';
import { createPushSender } from '../../src/notify/push-sender.js';
import { createTwilioSenders } from '../../src/notify/twilio-sender.js';
import { startPushReceiver } from '../helpers/push-receiver.js';
import { startSmtpFake } from '../helpers/smtp-fake.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';

const message: PageMessage = {
  pageId: 7,
  severity: 'SEV1',
  title: 'SEV1 #42 Checkout is down <fast>',
  body: 'Service: checkout\nPaged by: escalation policy default, level 1',
  ackUrl: 'https://bot.example/pages/7/ack?expires=1&sig=abc',
};
const noWait = { backoffMs: 1, sleep: async () => {} };

describe('email through a real SMTP server (STARTTLS, auth)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpFake>>;
  beforeAll(async () => {
    smtp = await startSmtpFake();
  });
  afterAll(() => smtp.close());
  const sender = () =>
    createEmailSender({ url: smtp.url, from: 'pager@acme.test' }, { tls: { rejectUnauthorized: false } });

  it('delivers text and HTML parts with the ack link, over TLS, authenticated', async () => {
    const outcome = await sender().send('bob@acme.test', message);
    expect(outcome).toEqual({ ok: true, receipt: expect.stringMatching(/^<.+@.+>$/) });
    const got = smtp.received.at(-1)!;
    expect(got.secure).toBe(true);
    expect(got.user).toBe('pager');
    expect(got.mail.subject).toBe('[SEV1] SEV1 #42 Checkout is down <fast>');
    expect(got.mail.from?.text).toBe('pager@acme.test');
    expect(got.mail.messageId).toBe(outcome.ok ? outcome.receipt : '');
    expect(got.mail.text).toContain(`Acknowledge: ${message.ackUrl}`);
    expect(got.mail.html).toContain('href="https://bot.example/pages/7/ack?expires=1&amp;sig=abc"');
    expect(got.mail.html).toContain('&lt;fast&gt;');
  });

  it('a rejected address (5xx) fails once, not retried; a 4xx is retried', async () => {
    smtp.reject('gone@acme.test', 550);
    const before = smtp.received.length;
    const bounced = await sendWithRetry(sender(), 'gone@acme.test', message, noWait);
    expect(bounced).toMatchObject({ ok: false, retryable: false, attempts: 1 });
    expect(bounced.ok ? '' : bounced.error).toContain('gone@acme.test unavailable');
    smtp.reject('busy@acme.test', 450);
    expect(await sendWithRetry(sender(), 'busy@acme.test', message, noWait)).toMatchObject({
      ok: false,
      retryable: true,
      attempts: 3,
    });
    expect(smtp.received.length).toBe(before);
  });

  it('a wrong password is reported without the password', async () => {
    const wrong = createEmailSender(
      { url: smtp.url.replace('smtp-secret-pass', 'not-the-pass'), from: 'pager@acme.test' },
      { tls: { rejectUnauthorized: false } },
    );
    const outcome = await wrong.send('bob@acme.test', message);
    expect(outcome.ok).toBe(false);
    expect(JSON.stringify(outcome)).not.toContain('not-the-pass');
  });
});

describe('SMS and voice through the Twilio REST API', () => {
  let twilio: TwilioFake;
  beforeAll(async () => {
    twilio = await startTwilioFake();
  });
  afterAll(() => twilio.close());
  const senders = () =>
    createTwilioSenders(
      {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+15550001111',
        apiUrl: twilio.url,
      },
      'https://bot.example',
    );

  it('texts with the ack link and returns the message SID', async () => {
    const outcome = await senders().sms.send('+15551230001', message);
    expect(outcome).toEqual({ ok: true, receipt: expect.stringMatching(/^SM\d{32}$/) });
    const sms = twilio.sent.at(-1)!;
    expect(sms.resource).toBe('Messages');
    expect(sms.fields).toMatchObject({ To: '+15551230001', From: '+15550001111' });
    expect(sms.fields.Body).toContain('Reply ACK to acknowledge');
    expect(sms.fields.Body).toContain(message.ackUrl);
  });

  it('calls with TwiML that reads the page and gathers one digit to the voice webhook', async () => {
    const outcome = await senders().voice.send('+15551230001', message);
    expect(outcome).toEqual({ ok: true, receipt: expect.stringMatching(/^CA\d{32}$/) });
    const twiml = twilio.sent.at(-1)!.fields.Twiml!;
    expect(twiml).toContain(
      '<Gather numDigits="1" action="https://bot.example/integrations/twilio/voice" method="POST">',
    );
    expect(twiml).toContain('Checkout is down &lt;fast&gt;');
    expect(twiml).toContain('Press 1 to acknowledge.');
  });

  it('asks for the call’s final status; a test message offers nothing to acknowledge', async () => {
    const test = { ...message, pageId: null, ackUrl: null };
    await senders().voice.send('+15551230001', test);
    const call = twilio.sent.at(-1)!.fields;
    expect(call).toMatchObject({
      StatusCallback: 'https://bot.example/integrations/twilio/voice/status',
      StatusCallbackMethod: 'POST',
    });
    expect(call.Twiml).not.toContain('<Gather');
    await senders().sms.send('+15551230001', test);
    expect(twilio.sent.at(-1)!.fields.Body).not.toContain('ACK');
  });

  it('an invalid or unsubscribed number fails at once, not retried', async () => {
    twilio.refuse('+15559990000', 21211);
    twilio.refuse('+15559990001', 21610);
    const before = twilio.requests;
    expect(await sendWithRetry(senders().sms, '+15559990000', message, noWait)).toEqual({
      ok: false,
      retryable: false,
      error: 'invalid number (Twilio 21211)',
      attempts: 1,
    });
    expect(await sendWithRetry(senders().sms, '+15559990001', message, noWait)).toMatchObject({
      ok: false,
      retryable: false,
      error: 'unsubscribed (the number replied STOP) (Twilio 21610)',
    });
    expect(twilio.requests - before).toBe(2);
  });

  it('a 5xx or 429 is retried with backoff until it passes', async () => {
    twilio.failNext(503);
    twilio.failNext(429);
    const waits: number[] = [];
    const outcome = await sendWithRetry(senders().voice, '+15551230001', message, {
      backoffMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(outcome).toMatchObject({ ok: true, attempts: 3 });
    expect(waits).toEqual([100, 200]);
  });

  it('wrong credentials are a permanent failure', async () => {
    const wrong = createTwilioSenders(
      {
        accountSid: twilio.accountSid,
        authToken: 'wrong-token-wrong-token',
        from: '+15550001111',
        apiUrl: twilio.url,
      },
      'https://bot.example',
    );
    expect(await wrong.sms.send('+15551230001', message)).toMatchObject({ ok: false, retryable: false });
  });
});

describe('push to an ntfy-compatible server', () => {
  let push: Awaited<ReturnType<typeof startPushReceiver>>;
  beforeAll(async () => {
    push = await startPushReceiver();
  });
  afterAll(() => push.close());

  it('posts to the topic with Title, Priority, Click and an Actions button to the ack link', async () => {
    const outcome = await createPushSender(push.url).send('bob-pages', {
      ...message,
      title: 'SEV1 #42 Café down',
    });
    expect(outcome).toEqual({ ok: true, receipt: 'msg1' });
    const got = push.received[0]!;
    expect(got.topic).toBe('bob-pages');
    expect(got.headers.title).toBe(`=?UTF-8?B?${Buffer.from('SEV1 #42 Café down').toString('base64')}?=`);
    expect(got.headers.priority).toBe('urgent');
    expect(got.headers.click).toBe(message.ackUrl);
    expect(got.headers.actions).toBe(`view, Acknowledge, ${message.ackUrl}`);
    expect(got.body).toBe(message.body);
  });

  it('a 4xx is not retried; a 5xx is', async () => {
    push.failNext(400);
    expect(await sendWithRetry(createPushSender(push.url), 't', message, noWait)).toMatchObject({
      ok: false,
      retryable: false,
      attempts: 1,
    });
    push.failNext(502, 2);
    expect(await sendWithRetry(createPushSender(push.url), 't', message, noWait)).toMatchObject({
      ok: true,
      attempts: 3,
    });
  });

  it('an unreachable server is retryable', async () => {
    const outcome = await createPushSender('http://127.0.0.1:1').send('t', message);
    expect(outcome).toMatchObject({ ok: false, retryable: true });
  });
});
