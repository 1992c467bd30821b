import { createServer } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxLog, twimlSaid } from '../src/outbox/outbox-log.js';
import { startProviderOutbox } from '../src/outbox/provider-outbox.js';
import { startPushOutbox } from '../src/outbox/push-outbox.js';
import { startSmtpOutbox } from '../src/outbox/smtp-outbox.js';
import { FAKE_TWILIO_ACCOUNT, signTwilioWebhook, startTwilioOutbox } from '../src/outbox/twilio-outbox.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * A plain SMTP conversation, as a mail client without TLS or auth has it; resolves with every reply
 * line the server sent. Each command is sent once the previous reply (or the greeting) arrived.
 */
function smtpConversation(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    const pending = [...commands];
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\r\n');
      buffer = lines.pop()!;
      replies.push(...lines);
      // A reply ends on a line with a space after the code ("250 OK", not "250-PIPELINING").
      if (lines.some((line) => /^\d{3} /.test(line))) {
        const next = pending.shift();
        if (next === undefined) socket.end();
        else socket.write(`${next}\r\n`);
      }
    });
    socket.on('close', () => resolve(replies));
  });
}

async function twilioPost(
  url: string,
  resource: string,
  form: Record<string, string>,
  token = FAKE_TWILIO_ACCOUNT.authToken,
) {
  const response = await fetch(
    `${url}/2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT.accountSid}/${resource}.json`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${FAKE_TWILIO_ACCOUNT.accountSid}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the provider outbox (email, SMS and calls, push on loopback)', () => {
  it('gives the environment an app needs, and lists a plain SMTP message with its subject, recipient and text', async () => {
    const outbox = await startProviderOutbox({ emailFrom: 'pager@sandbox.test' });
    cleanups.push(outbox.close);
    expect(outbox.env).toMatchObject({
      SMTP_URL: `smtp://127.0.0.1:${outbox.smtp.port}`,
      EMAIL_FROM: 'pager@sandbox.test',
      TWILIO_ACCOUNT_SID: FAKE_TWILIO_ACCOUNT.accountSid,
      TWILIO_API_URL: outbox.twilio.url,
      PUSH_URL: outbox.push.url,
    });
    const replies = await smtpConversation(outbox.smtp.port, [
      'EHLO client.test',
      'MAIL FROM:<pager@sandbox.test>',
      'RCPT TO:<bob@example.test>',
      'DATA',
      [
        'From: pager@sandbox.test',
        'To: Bob <bob@example.test>',
        'Subject: [SEV1] Checkout is down',
        'Message-ID: <page-1@sandbox.test>',
        '',
        'Acknowledge: http://127.0.0.1:1/pages/1/ack?sig=x',
        '.',
      ].join('\r\n'),
      'QUIT',
    ]);
    // Nothing to upgrade to and nobody to log in as: plain SMTP on loopback.
    expect(replies.join('\n')).not.toMatch(/STARTTLS|AUTH/);
    expect(replies.some((line) => line.startsWith('250 ') && /queued|OK/i.test(line))).toBe(true);
    expect(outbox.log.list()).toEqual([
      expect.objectContaining({
        kind: 'email',
        id: '<page-1@sandbox.test>',
        to: '"Bob" <bob@example.test>',
        subject: '[SEV1] Checkout is down',
        text: expect.stringContaining('/pages/1/ack?sig=x'),
      }),
    ]);
    expect(outbox.smtp.received[0]!.mail.subject).toBe('[SEV1] Checkout is down');
  });

  it('offers STARTTLS and requires its credentials unless told otherwise', async () => {
    const smtp = await startSmtpOutbox();
    cleanups.push(smtp.close);
    expect(smtp.url).toBe(`smtp://pager:smtp-secret-pass@127.0.0.1:${smtp.port}`);
    const replies = await smtpConversation(smtp.port, ['EHLO client.test', 'QUIT']);
    expect(replies.join('\n')).toContain('STARTTLS');
  });

  it('answers Messages.json and Calls.json as Twilio does, and lists the SMS text and what the call says', async () => {
    const log = createOutboxLog();
    const twilio = await startTwilioOutbox({ log });
    cleanups.push(twilio.close);
    const sms = await twilioPost(twilio.url, 'Messages', {
      To: '+15550100001',
      From: '+15550100000',
      Body: 'Page <1>',
    });
    expect(sms.status).toBe(201);
    expect(sms.body).toMatchObject({
      sid: expect.stringMatching(/^SM\w{32}$/),
      to: '+15550100001',
      status: 'queued',
    });
    const twiml =
      '<?xml version="1.0"?><Response><Gather numDigits="1"><Say>Checkout &amp; cart &lt;down&gt;</Say><Say>Press 1 to acknowledge.</Say></Gather></Response>';
    const call = await twilioPost(twilio.url, 'Calls', {
      To: '+15550100001',
      From: '+15550100000',
      Twiml: twiml,
    });
    expect(call.body.sid).toMatch(/^CA\w{32}$/);
    expect(log.list()).toEqual([
      expect.objectContaining({
        kind: 'call',
        to: '+15550100001',
        said: ['Checkout & cart <down>', 'Press 1 to acknowledge.'],
      }),
      expect.objectContaining({ kind: 'sms', to: '+15550100001', from: '+15550100000', body: 'Page <1>' }),
    ]);
    expect(twilio.sent.map((s) => s.resource)).toEqual(['Messages', 'Calls']);
  });

  it('refuses bad credentials, refused numbers and injected failures with Twilio error codes, listing none', async () => {
    const log = createOutboxLog();
    const twilio = await startTwilioOutbox({ log });
    cleanups.push(twilio.close);
    const form = { To: '+15550100009', From: '+15550100000', Body: 'x' };
    expect(await twilioPost(twilio.url, 'Messages', form, 'wrong-token-0000000000')).toMatchObject({
      status: 401,
      body: { code: 20003 },
    });
    twilio.refuse('+15550100009', 21211);
    expect(await twilioPost(twilio.url, 'Messages', form)).toMatchObject({
      status: 400,
      body: { code: 21211 },
    });
    twilio.failNext(429);
    expect(await twilioPost(twilio.url, 'Calls', { ...form, To: '+15550100001' })).toMatchObject({
      status: 429,
      body: { code: 20429 },
    });
    expect((await fetch(`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`)).status).toBe(
      404,
    );
    expect(twilio.requests).toBe(4);
    expect(log.list()).toEqual([]);
  });

  it('answers an SMS with ACK and a call with the digit 1, as signed webhooks to the app, and says what it replied', async () => {
    const hooks: { path: string; fields: Record<string, string>; signature: string }[] = [];
    const app = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      hooks.push({
        path: req.url ?? '',
        fields: Object.fromEntries(new URLSearchParams(body)),
        signature: String(req.headers['x-twilio-signature']),
      });
      const verb = req.url === '/sms' ? 'Message' : 'Say';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<?xml version="1.0"?><Response><${verb}>Acknowledged &amp; thanks.</${verb}></Response>`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => app.close(() => resolve())));
    const appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
    const twilio = await startTwilioOutbox({ smsWebhookUrl: () => `${appUrl}/sms` });
    cleanups.push(twilio.close);
    const sms = await twilioPost(twilio.url, 'Messages', {
      To: '+15550100001',
      From: '+15550100000',
      Body: 'Page',
    });
    const twiml = `<Response><Gather numDigits="1" action="${appUrl}/voice?a=1&amp;b=2"><Say>Page</Say></Gather></Response>`;
    const call = await twilioPost(twilio.url, 'Calls', {
      To: '+15550100001',
      From: '+15550100000',
      Twiml: twiml,
    });

    expect(await twilio.reply(String(sms.body.sid))).toEqual({ status: 200, said: 'Acknowledged & thanks.' });
    expect(await twilio.reply(String(call.body.sid))).toEqual({
      status: 200,
      said: 'Acknowledged & thanks.',
    });
    expect(hooks.map((h) => h.path)).toEqual(['/sms', '/voice?a=1&b=2']);
    // The reply comes from the person's number to the app's; the pressed digit on the call it made.
    expect(hooks[0]!.fields).toMatchObject({ From: '+15550100001', To: '+15550100000', Body: 'ACK' });
    expect(hooks[1]!.fields).toMatchObject({ CallSid: call.body.sid, To: '+15550100001', Digits: '1' });
    expect(hooks[0]!.signature).toBe(
      signTwilioWebhook(FAKE_TWILIO_ACCOUNT.authToken, `${appUrl}/sms`, hooks[0]!.fields),
    );
    expect(hooks[1]!.signature).toBe(
      signTwilioWebhook(FAKE_TWILIO_ACCOUNT.authToken, `${appUrl}/voice?a=1&b=2`, hooks[1]!.fields),
    );
    await expect(twilio.reply('SM-unknown')).rejects.toThrow(/nothing with sid/);
  });

  it('takes ntfy-style pushes: topic from the path, an encoded Title decoded, the Click link kept', async () => {
    const log = createOutboxLog();
    const push = await startPushOutbox({ log });
    cleanups.push(push.close);
    const response = await fetch(`${push.url}/bob-pages`, {
      method: 'POST',
      headers: {
        title: `=?UTF-8?B?${Buffer.from('SEV1 Café down').toString('base64')}?=`,
        click: 'http://127.0.0.1:1/pages/1/ack?sig=x',
        priority: 'urgent',
      },
      body: 'Checkout is failing',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'msg1', event: 'message', topic: 'bob-pages' });
    expect(log.list()).toEqual([
      expect.objectContaining({
        kind: 'push',
        topic: 'bob-pages',
        title: 'SEV1 Café down',
        body: 'Checkout is failing',
        click: 'http://127.0.0.1:1/pages/1/ack?sig=x',
      }),
    ]);
    push.failNext(502);
    expect((await fetch(`${push.url}/bob-pages`, { method: 'POST', body: 'again' })).status).toBe(502);
    expect(log.list()).toHaveLength(1);
  });

  it('keeps the newest entries, newest first, and says so on every change', () => {
    const log = createOutboxLog({ limit: 2 });
    const seen: string[] = [];
    log.events.on('change', (entry) => seen.push(entry.id));
    for (const id of ['a', 'b', 'c']) log.add({ kind: 'sms', id, to: '+1', from: '+2', body: id });
    expect(log.list().map((entry) => entry.id)).toEqual(['c', 'b']);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(twimlSaid('<Response><Say voice="alice">Hi &quot;Bob&quot;</Say></Response>')).toEqual([
      'Hi "Bob"',
    ]);
  });
});
