import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioSenders } from '../../src/notify/twilio-sender.js';
import { ActionId } from '../../src/slack/ids.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { postButtons, TEST_BUTTONS } from '../helpers/outsider.js';
import { startPushReceiver } from '../helpers/push-receiver.js';
import { startSmtpFake } from '../helpers/smtp-fake.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * `/incident oncall me` and App Home over signed HTTP through the local Slack: the rules shown, a
 * Send test per channel delivered by the real SMTP server, the Twilio fake and the push receiver,
 * its outcome by DM; refusals, double clicks and the throttle; Twilio's call-status webhook.
 */

const BOT_NUMBER = '+15550001111';
const BOB_PHONE = '+15551230001';
const CAROL_PHONE = '+15559990000';
const MARK = 'Test notification from incident-bot';
const ONCALL = `${oncallFixture({ levels: [['user:{bob}', '1h']], autoPage: ['SEV1'] })}
people:
  "{bob}":
    phone: "${BOB_PHONE}"
    push_topic: bob-pages
    email: bob@acme.test
    notify:
      - { via: slack, after: 0m }
      - { via: push, after: 1m }
      - { via: sms, after: 3m }
      - { via: voice, after: 5m }
      - { via: email, after: 0m }
    quiet_hours: { from: "22:00", to: "07:00", only: [SEV1] }
  carol@acme.test:
    phone: "${CAROL_PHONE}"
    notify: [{ via: sms, after: 0m }, { via: email, after: 2m }]
`;

let h: Harness;
let smtp: Awaited<ReturnType<typeof startSmtpFake>>;
let twilio: TwilioFake;
let push: Awaited<ReturnType<typeof startPushReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpFake();
  twilio = await startTwilioFake();
  push = await startPushReceiver();
  twilio.refuse(CAROL_PHONE, 21211);
  h = await startHarness({
    oncallYaml: ONCALL,
    emailTls: { rejectUnauthorized: false },
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'pager@acme.test',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: BOT_NUMBER,
      TWILIO_API_URL: twilio.url,
      PUSH_URL: push.url,
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await Promise.all([smtp?.close(), twilio?.close(), push?.close()]);
});

interface Shown {
  ts: string;
  text: string;
  buttons: { actionId: string; value: string }[];
}

/** Runs `/incident oncall me` as `userId` and returns the ephemeral answer with its buttons. */
async function oncallMe(userId: string): Promise<Shown> {
  const before = h.fake.ephemerals(h.generalId).length;
  await h.driver.slashCommand({ userId, channelId: h.generalId, text: 'oncall me' });
  const shown = await waitFor(
    () =>
      h.fake
        .ephemerals(h.generalId)
        .slice(before)
        .find((e) => e.user === userId),
    { what: 'the oncall me answer' },
  );
  const buttons = (shown.blocks ?? []).flatMap((block) => {
    const accessory = (block as { accessory?: { action_id: string; value: string } }).accessory;
    return accessory ? [{ actionId: accessory.action_id, value: accessory.value }] : [];
  });
  return { ts: shown.message_ts, text: JSON.stringify(shown.blocks), buttons };
}

/** Clicks a button of an ephemeral `oncall me` answer; returns what the clicker is told at once. */
async function press(userId: string, ts: string, actionId: string): Promise<string> {
  const clicked = await h.driver.clickButton({ userId, channelId: h.generalId, messageTs: ts, actionId });
  expect(clicked.status).toBe(200);
  const answer = await waitFor(() => h.fake.responses(clicked.responseUrl)[0], { what: 'the click answer' });
  return (answer.body as { text: string }).text;
}

/** The bot's DMs to `userId` that contain `text`. */
const dmsTo = (userId: string, text: string) => {
  const dm = h.fake.dmChannelId(userId);
  return dm ? h.fake.messages(dm).filter((m) => m.text.includes(text)) : [];
};
const waitForDm = (userId: string, text: string) =>
  waitFor(() => dmsTo(userId, text)[0], { what: `a DM saying "${text}"` });

describe('/incident oncall me', () => {
  it('shows Bob his rules, targets masked, quiet hours, the providers and a Send test per channel', async () => {
    const shown = await oncallMe(h.people.bob);
    for (const line of [
      '1. Slack DM, at once',
      '2. push to bo•••, after 1m',
      '3. SMS to +1 ••• ••• 0001, after 3m',
      '4. voice call to +1 ••• ••• 0001, after 5m',
      '5. email to b•••@acme.test, at once',
      'Quiet hours 22:00–07:00: no SMS or calls except for SEV1.',
      'Configured on this bot: Slack DM, push, SMS, voice call, email.',
    ])
      expect(shown.text).toContain(line);
    expect(shown.text).not.toContain(BOB_PHONE);
    expect(shown.buttons.map((b) => b.actionId)).toEqual([
      ActionId.testSlack,
      ActionId.testPush,
      ActionId.testSms,
      ActionId.testVoice,
      ActionId.testEmail,
    ]);
    for (const button of shown.buttons) expect(button.value).toMatch(new RegExp(`^${h.people.bob}:`));
  });

  it('tells someone without a people entry that they get Slack DMs only, and how to add rules', async () => {
    const shown = await oncallMe(h.people.alice);
    expect(shown.text).toContain('Slack DM only');
    expect(shown.text).toContain('people:');
    expect(shown.buttons).toEqual([]);
  });

  it('sends a marked test on each channel and DMs the outcome', async () => {
    const { ts } = await oncallMe(h.people.bob);
    expect(await press(h.people.bob, ts, ActionId.testEmail)).toContain(
      'Sending a test email to b•••@acme.test',
    );
    expect(await press(h.people.bob, ts, ActionId.testSms)).toContain('Sending a test SMS');
    expect(await press(h.people.bob, ts, ActionId.testVoice)).toContain('Sending a test voice call');
    expect(await press(h.people.bob, ts, ActionId.testSlack)).toContain('Sending a test Slack DM');

    await waitForDm(h.people.bob, 'email sent to b•••@acme.test');
    const { mail } = smtp.received.find((m) => m.mail.subject?.includes(MARK))!;
    expect(mail.to).toMatchObject({ text: 'bob@acme.test' });
    expect(mail.text).toContain('Nothing is wrong');
    expect(mail.text).not.toContain('Acknowledge');
    expect(String(mail.html)).not.toContain('href');

    await waitForDm(h.people.bob, 'SMS sent to +1 ••• ••• 0001');
    const sms = twilio.sent.find((s) => s.resource === 'Messages')!;
    expect(sms.fields).toMatchObject({ To: BOB_PHONE, From: BOT_NUMBER });
    expect(sms.fields.Body).toContain(MARK);
    expect(sms.fields.Body).not.toContain('ACK');

    await waitForDm(h.people.bob, 'voice call sent to +1 ••• ••• 0001');
    const call = twilio.sent.find((s) => s.resource === 'Calls')!;
    expect(call.fields.Twiml).toContain(MARK);
    expect(call.fields.Twiml).not.toContain('<Gather');
    expect(call.fields.StatusCallback).toBe(`${h.bot.url}/integrations/twilio/voice/status`);

    await waitForDm(h.people.bob, 'Test notification from incident-bot: Slack DMs reach you');
    const rows = await queryRows<{ channel: string; status: string }>(
      h.databaseUrl,
      'SELECT channel, status FROM notification_tests WHERE user_id = $1 ORDER BY channel',
      [h.people.bob],
    );
    expect(rows).toEqual(['email', 'slack', 'sms', 'voice'].map((channel) => ({ channel, status: 'sent' })));
  });

  it('finds Carol by her profile email and tells her when her number is refused', async () => {
    const shown = await oncallMe(h.people.carol);
    expect(shown.text).toContain('SMS to +1 ••• ••• 0000, at once');
    const before = twilio.requests;
    expect(await press(h.people.carol, shown.ts, ActionId.testSms)).toContain('Sending a test SMS');
    const dm = await waitForDm(h.people.carol, 'failed');
    expect(dm.text).toBe(
      ':x: Test notification: SMS to +1 ••• ••• 0000 failed: invalid number (Twilio 21211)',
    );
    // Not retried: an invalid number stays invalid.
    expect(twilio.requests - before).toBe(1);
  });

  it('sends one test for a double click, and a second within the minute is refused', async () => {
    const mailsToCarol = () =>
      smtp.received.filter((m) => m.mail.to && JSON.stringify(m.mail.to).includes('carol@'));
    const { ts } = await oncallMe(h.people.carol);
    const answers = await Promise.all([
      press(h.people.carol, ts, ActionId.testEmail),
      press(h.people.carol, ts, ActionId.testEmail),
    ]);
    expect(answers.filter((a) => a.includes('Sending a test email'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already on its way'))).toHaveLength(1);
    await waitForDm(h.people.carol, 'email sent to c•••@acme.test');

    const again = await oncallMe(h.people.carol);
    expect(await press(h.people.carol, again.ts, ActionId.testEmail)).toMatch(
      /^:hourglass: Wait (?:\d+s|1m) before another test email: tests go at most once a minute per channel/,
    );
    // Whatever was queued has been sent by now (the outcome DM came after the send).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsToCarol()).toHaveLength(1);
  });

  it('refuses a forged button naming Bob exactly as one naming nobody, and sends nothing', async () => {
    const sentBefore = [smtp.received.length, twilio.requests, push.requests];
    const bobs = postButtons(h, h.people.alice, h.people.bob, TEST_BUTTONS);
    const nobodys = postButtons(h, h.people.alice, 'U0NOBODY00', TEST_BUTTONS);
    const answerTo = async (ts: string, actionId: string) => {
      const clicked = await h.driver.clickButton({
        userId: h.people.alice,
        channelId: h.generalId,
        messageTs: ts,
        actionId,
      });
      return (
        (await waitFor(() => h.fake.responses(clicked.responseUrl)[0])).body as {
          text: string;
        }
      ).text;
    };
    for (const actionId of Object.keys(TEST_BUTTONS)) {
      const refused = await answerTo(bobs, actionId);
      expect(refused, actionId).toBe(await answerTo(nobodys, actionId));
      expect(refused, actionId).toContain('There is no such notification rule of yours to test.');
    }
    expect(
      await queryRows(h.databaseUrl, 'SELECT * FROM notification_tests WHERE user_id = $1', [h.people.alice]),
    ).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([smtp.received.length, twilio.requests, push.requests]).toEqual(sentBefore);
  });
});

describe('App Home', () => {
  it('shows the same rules with the same Send test buttons, answered by DM', async () => {
    await h.driver.event({
      event: { type: 'app_home_opened', user: h.people.bob, channel: 'D0000000', tab: 'home' },
    });
    const home = await waitFor(() => {
      const view = h.fake.homeView(h.people.bob);
      return view && JSON.stringify(view.view.blocks).includes('Your notification rules') ? view : null;
    });
    const text = JSON.stringify(home.view.blocks);
    expect(text).toContain('3. SMS to +1 ••• ••• 0001, after 3m');
    expect(text).toContain(ActionId.testPush);
    const clicked = await h.driver.clickViewButton({
      userId: h.people.bob,
      viewId: home.view.id!,
      actionId: ActionId.testPush,
    });
    expect(clicked.status).toBe(200);
    await waitForDm(h.people.bob, 'Sending a test push to bo•••');
    await waitForDm(h.people.bob, 'push sent to bo•••');
    const pushed = push.received.find((p) => p.topic === 'bob-pages')!;
    expect(pushed.headers.title).toBe(MARK);
    expect(pushed.headers.click).toBeUndefined();
  });
});

describe('Twilio call-status webhook', () => {
  it('403 with a bad signature; busy, no-answer… fail the voice step, completed unanswered is recorded', async () => {
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV1 --title "Ledger down"',
    });
    const page = await waitFor(
      async () =>
        (await queryRows<{ id: string }>(h.databaseUrl, "SELECT id FROM pages WHERE status = 'sent'"))[0],
      { what: "Bob's page" },
    );
    // Two calls placed as the bot places them (StatusCallback to the bot), each the receipt of a voice
    // step. Steps 10 and 11: Bob's own rules already planned steps 1–4 of this page.
    const voice = createTwilioSenders(
      { accountSid: twilio.accountSid, authToken: twilio.authToken, from: BOT_NUMBER, apiUrl: twilio.url },
      h.bot.url,
    ).voice;
    const message = {
      pageId: Number(page.id),
      severity: 'SEV1' as const,
      title: 'Ledger down',
      body: 'x',
      ackUrl: 'https://x',
    };
    const sids: string[] = [];
    for (const step of [10, 11]) {
      const placed = await voice.send(BOB_PHONE, message);
      if (!placed.ok) throw new Error(placed.error);
      sids.push(placed.receipt);
      await queryRows(
        h.databaseUrl,
        `INSERT INTO deliveries (page_id, person, step, channel, target, status, receipt, due_at, sent_at)
         VALUES ($1, $2, $3, 'voice', $4, 'sent', $5, now(), now())`,
        [page.id, h.people.bob, step, BOB_PHONE, placed.receipt],
      );
    }
    const steps = () =>
      queryRows<{ status: string; error: string | null; call_status: string | null }>(
        h.databaseUrl,
        'SELECT status, error, call_status FROM deliveries WHERE page_id = $1 AND step >= 10 ORDER BY step',
        [page.id],
      );

    expect((await twilio.callStatus(sids[0]!, 'busy', 'not-the-auth-token')).status).toBe(403);
    expect((await steps())[0]).toEqual({ status: 'sent', error: null, call_status: null });

    expect((await twilio.callStatus(sids[0]!, 'no-answer')).status).toBe(200);
    expect((await twilio.callStatus(sids[1]!, 'completed')).status).toBe(200);
    expect(await steps()).toEqual([
      { status: 'failed', error: 'call not answered', call_status: 'no-answer' },
      { status: 'sent', error: 'answered, not acknowledged', call_status: 'completed' },
    ]);
    // Twilio retries a webhook: the first report stands.
    expect((await twilio.callStatus(sids[1]!, 'failed')).status).toBe(200);
    expect((await steps())[1]).toMatchObject({ status: 'sent', call_status: 'completed' });
  });
});

describe('Twilio call-status webhook, on a test call', () => {
  it('tells the person how their test call ended, once', async () => {
    const call = twilio.sent.find((s) => s.resource === 'Calls' && s.fields.Twiml?.includes(MARK))!;
    expect((await twilio.callStatus(call.sid, 'no-answer')).status).toBe(200);
    await waitForDm(h.people.bob, 'Test call to +1 ••• ••• 0001: call not answered.');
    expect((await twilio.callStatus(call.sid, 'no-answer')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(dmsTo(h.people.bob, 'Test call to')).toHaveLength(1);
    const [row] = await queryRows<{ call_status: string }>(
      h.databaseUrl,
      "SELECT call_status FROM notification_tests WHERE channel = 'voice'",
    );
    expect(row).toEqual({ call_status: 'no-answer' });
  });
});
