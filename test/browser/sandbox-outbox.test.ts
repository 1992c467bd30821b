import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_TWILIO_ACCOUNT, OUTBOX_TWILIO_FROM } from '@incident-bot/local-slack';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CONTACTS } from '../../src/dev/sandbox-outbox.js';
import type { PageMessage } from '../../src/escalation/delivery-port.js';
import { pageAckUrl } from '../../src/escalation/page-ack.js';
import { createEmailSender } from '../../src/notify/email-sender.js';
import { createPushSender } from '../../src/notify/push-sender.js';
import { createTwilioSenders } from '../../src/notify/twilio-sender.js';
import { linkKeys } from '../../src/postmortem/signed-links.js';
import { actAs, command, eventually, sandboxInBrowser } from '../helpers/sandbox-browser.js';

/**
 * The sandbox's Outbox panel in Debian's Chromium: the sandbox runs local stand-ins for the email,
 * Twilio and push providers, and the page lists what they were sent, live, with the ack links usable.
 * Messages reach them through the bot's real adapters (src/notify/*) and carry a real signed ack link.
 */

const TITLE = 'Checkout is failing for EU customers';
/** Typed by someone, shown by the panel as text: never as markup. */
const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold?</b>';

const env = sandboxInBrowser('incident-bot-outbox-');

/** The URLs the sandbox printed while it started: the bot and the three providers. */
function printedUrls(output: string) {
  const bot = /bot started[^:]*: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  const providers = /providers started[^:]*: (smtp:\/\/\S+) (http:\/\/\S+) (http:\/\/\S+)/.exec(output);
  if (!bot || !providers) throw new Error(`the sandbox did not print its bot and provider URLs:\n${output}`);
  return { bot, smtp: providers[1]!, twilio: providers[2]!, push: providers[3]! };
}

/** Sends Bob's page on every channel through the bot's own adapters, as its delivery steps do. */
async function sendThroughAdapters(urls: ReturnType<typeof printedUrls>, pageId: number) {
  const key = readFileSync(join(env.dataDir, 'link-key'), 'utf8').trim();
  const message: PageMessage = {
    pageId,
    severity: 'SEV1',
    title: `SEV1 #1 ${TITLE}`,
    body: `Paged by the sandbox test. Note: ${HOSTILE}`,
    ackUrl: pageAckUrl(urls.bot, linkKeys([key]), pageId, new Date()),
  };
  const bob = SANDBOX_CONTACTS.bob;
  const twilio = createTwilioSenders(
    { ...FAKE_TWILIO_ACCOUNT, from: OUTBOX_TWILIO_FROM, apiUrl: urls.twilio },
    urls.bot,
  );
  const outcomes = [
    await createEmailSender({ url: urls.smtp, from: 'incident-bot@sandbox.test' }).send(bob.email, message),
    await twilio.sms.send(bob.phone, message),
    await twilio.voice.send(bob.phone, message),
    await createPushSender(urls.push).send(bob.pushTopic, message),
  ];
  expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
}

async function openOutbox(page: Page) {
  await page.getByTestId('outbox-tab').click();
  await eventually(() => page.getByTestId('channel-title').innerText()).toContain('Outbox');
}

describe('the sandbox’s Outbox panel in a real browser', { timeout: 120_000 }, () => {
  it('lists every email, SMS, call and push sent to Bob, live, and acknowledges his page from a link', async () => {
    const urls = printedUrls(env.sandbox!.output());
    const page = await env.open();
    await openOutbox(page);
    await eventually(() => page.getByTestId('outbox-empty').count()).toBe(1);

    // Alice declares a SEV1: Bob, on call, is paged (his Slack DM has the Acknowledge button).
    await actAs(page, /Alice/);
    await page.getByTestId('channel-general').click();
    await command(page, `/incident create --severity SEV1 --title "${TITLE}"`);
    await actAs(page, /Bob/);
    await page.getByTestId('dm-incident-bot').click();
    const ack = page.locator('[data-testid=message] [data-action-id=escalation-ack]');
    await ack.first().waitFor({ timeout: 20_000 });

    // The panel is open while the messages arrive: it updates by itself.
    await openOutbox(page);
    await sendThroughAdapters(urls, 1);
    const entries = page.getByTestId('outbox-entry');
    await eventually(() => entries.count()).toBe(4);
    // Newest first: the push went last.
    const kinds = await Promise.all([0, 1, 2, 3].map((i) => entries.nth(i).getAttribute('data-kind')));
    expect(kinds).toEqual(['push', 'call', 'sms', 'email']);
    const email = entries.and(page.locator('[data-kind=email]'));
    expect(await email.innerText()).toContain(`[SEV1] SEV1 #1 ${TITLE}`);
    expect(await email.innerText()).toContain(SANDBOX_CONTACTS.bob.email);
    const sms = entries.and(page.locator('[data-kind=sms]'));
    expect(await sms.innerText()).toContain(SANDBOX_CONTACTS.bob.phone);
    expect(await sms.innerText()).toContain('Reply ACK to acknowledge');
    const call = entries.and(page.locator('[data-kind=call]'));
    expect(await call.innerText()).toContain('Press 1 to acknowledge.');
    const push = entries.and(page.locator('[data-kind=push]'));
    expect(await push.innerText()).toContain(SANDBOX_CONTACTS.bob.pushTopic);
    expect(await push.innerText()).toContain(`SEV1 #1 ${TITLE}`);

    // Typed text is shown as text: the markup is visible and nothing ran.
    expect(await email.innerText()).toContain(HOSTILE);
    expect(await page.locator('.outbox-entry img, .outbox-entry b').count()).toBe(0);
    expect(await page.locator('body').getAttribute('data-pwned')).toBeNull();
    expect(await page.getByTestId('outbox-tab').innerText()).toContain('(4)');

    // The email's link is the bot's own ack page at PUBLIC_URL: opening it only asks; the form acknowledges.
    const link = email.getByTestId('outbox-link').first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${urls.bot}/pages/1/ack\\?`));
    const [confirmation] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await confirmation.waitForLoadState();
    expect(await confirmation.locator('h1').innerText()).toBe('Acknowledge page 1?');
    await confirmation.getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(() => confirmation.locator('body').innerText()).toContain('Acknowledged. Thank you.');
    await confirmation.close();

    // In the local Slack, Bob's page is acknowledged (by him) and its buttons are gone.
    await page.getByTestId('dm-incident-bot').click();
    await eventually(() => page.getByTestId('message').last().innerText()).toContain('acknowledged by @Bob');
    expect(await ack.count()).toBe(0);
    expect(env.pageErrors).toEqual([]);
    await page.close();
  });
});
