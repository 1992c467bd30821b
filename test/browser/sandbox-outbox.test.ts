import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CONTACTS } from '../../src/dev/sandbox-outbox.js';
import { actAs, command, eventually, sandboxInBrowser } from '../helpers/sandbox-browser.js';

/**
 * The sandbox's Outbox panel in Debian's Chromium: the sandbox runs local stand-ins for the email,
 * Twilio and push providers, the bot pages Bob along his rules through its real adapters, and the page
 * lists what the providers got, live, with the signed ack links usable.
 */

/** Typed into the declare form: the panel must show it as text, never as markup. */
const TITLE = 'Checkout <img src=x onerror="document.body.dataset.pwned=1"> is <b>down</b>';

const SHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));
const env = sandboxInBrowser('incident-bot-outbox-');

/** Where the bot listens (its PUBLIC_URL in the sandbox), as the sandbox printed it. */
function printedBotUrl(output: string): string {
  const bot = /bot started[^:]*: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  if (!bot) throw new Error(`the sandbox did not print the bot's URL:\n${output}`);
  return bot;
}

async function openOutbox(page: Page) {
  await page.getByTestId('outbox-tab').click();
  await eventually(() => page.getByTestId('channel-title').innerText()).toContain('Outbox');
}

async function declareSev1(page: Page, title: string) {
  await page.getByTestId('channel-general').click();
  await command(page, '/incident create');
  const modal = page.getByTestId('modal');
  await eventually(() => modal.getByTestId('modal-title').textContent()).toBe('Declare an incident');
  await modal.getByLabel('Title').fill(title);
  await modal.getByLabel('Severity').selectOption('SEV1');
  await page.getByTestId('modal-submit').click();
  await modal.waitFor({ state: 'detached' });
}

describe('the sandbox’s Outbox panel in a real browser', { timeout: 150_000 }, () => {
  it('shows Bob paged by email, push, SMS and call, live, and acknowledges his page from a link', async () => {
    const bot = printedBotUrl(env.sandbox!.output());
    const page = await env.open();
    // The greeting in #general points the newcomer at the Outbox, which is empty so far.
    await page.getByTestId('channel-general').click();
    const greeting = page.getByTestId('message').filter({ hasText: 'Welcome to the incident-bot sandbox' });
    await eventually(() => greeting.innerText()).toContain('under 📮 Outbox in the sidebar');
    await openOutbox(page);
    await eventually(() => page.getByTestId('outbox-empty').count()).toBe(1);

    // Alice declares a SEV1: Bob, on call, is paged (his Slack DM has the Acknowledge button) and his
    // rules go on: email at once, push after 5 s, SMS after 10 s, a call after 15 s.
    await actAs(page, /Alice/);
    await declareSev1(page, TITLE);
    await actAs(page, /Bob/);
    await page.getByTestId('dm-incident-bot').click();
    const ack = page.locator('[data-testid=message] [data-action-id=escalation-ack]');
    await ack.first().waitFor({ timeout: 20_000 });

    // The panel is open while the sequence runs: it updates by itself, newest first.
    await openOutbox(page);
    const entries = page.getByTestId('outbox-entry');
    await eventually(() => entries.count()).toBeGreaterThan(0);
    await expect.poll(() => entries.count(), { timeout: 60_000, interval: 200 }).toBe(4);
    const kinds = await Promise.all([0, 1, 2, 3].map((i) => entries.nth(i).getAttribute('data-kind')));
    expect(kinds).toEqual(['call', 'sms', 'push', 'email']);
    const entry = (kind: string) => entries.and(page.locator(`[data-kind=${kind}]`));
    const bob = SANDBOX_CONTACTS.bob;
    const email = await entry('email').innerText();
    expect(email).toContain(`[SEV1] SEV1 Incident #1: ${TITLE}`);
    expect(email).toContain(bob.email);
    expect(email).toMatch(/Acknowledge: http:\/\/127\.0\.0\.1:\d+\/pages\/\d+\/ack\?/);
    const sms = await entry('sms').innerText();
    expect(sms).toContain(bob.phone);
    expect(sms).toContain('Reply ACK to acknowledge');
    const call = await entry('call').innerText();
    expect(call).toContain(bob.phone);
    expect(call).toContain('Press 1 to acknowledge.');
    const push = await entry('push').innerText();
    expect(push).toContain(bob.pushTopic);
    expect(push).toContain(`SEV1 Incident #1: ${TITLE}`);
    expect(await page.getByTestId('outbox-tab').innerText()).toContain('(4)');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'outbox-panel.png') });

    // The typed title is shown as text: the markup is visible and nothing ran.
    expect(await page.locator('.outbox-entry img, .outbox-entry b').count()).toBe(0);
    expect(await page.locator('body').getAttribute('data-pwned')).toBeNull();

    // The email's link is the bot's own ack page at PUBLIC_URL: opening it only asks; the form acknowledges.
    const link = entry('email').getByTestId('outbox-link').first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${bot}/pages/\\d+/ack\\?expires=\\d+&sig=`));
    const [confirmation] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await confirmation.waitForLoadState();
    expect(await confirmation.locator('h1').innerText()).toMatch(/^Acknowledge page \d+\?$/);
    await confirmation.getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(() => confirmation.locator('body').innerText()).toContain('Acknowledged. Thank you.');
    await confirmation.close();

    // Answering the call and pressing 1 reaches the bot as Twilio's signed webhook: nothing is open now.
    await entry('call').getByTestId('outbox-reply').click();
    await page.getByTestId('toast').filter({ hasText: 'The bot answered: No open page for you.' }).waitFor();

    // In the local Slack, Bob's page is acknowledged (by him) and its buttons are gone.
    await page.getByTestId('dm-incident-bot').click();
    await eventually(() => page.getByTestId('message').last().innerText()).toContain('acknowledged by @Bob');
    expect(await ack.count()).toBe(0);
    expect(env.pageErrors).toEqual([]);
    await page.close();
  });

  it('acknowledges a page by replying ACK to its SMS from the panel', async () => {
    const page = await env.open();
    await actAs(page, /Alice/);
    await declareSev1(page, 'Search results are stale');
    await openOutbox(page);
    const sms = page.getByTestId('outbox-entry').and(page.locator('[data-kind=sms]')).filter({
      hasText: 'Incident #2: Search results are stale',
    });
    await sms.waitFor({ timeout: 60_000 });
    await sms.getByTestId('outbox-reply').click();
    await page
      .getByTestId('toast')
      .filter({ hasText: 'The bot answered: Acknowledged. Thank you.' })
      .waitFor();
    await actAs(page, /Bob/);
    await page.getByTestId('dm-incident-bot').click();
    const second = page.getByTestId('message').filter({ hasText: 'Search results are stale' });
    await eventually(() => second.last().innerText()).toContain('acknowledged by @Bob');
    expect(env.pageErrors).toEqual([]);
    await page.close();
  });
});
