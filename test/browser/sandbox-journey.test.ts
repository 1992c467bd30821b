import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs, command, eventually, sandboxInBrowser } from '../helpers/sandbox-browser.js';
import { startSandboxProcess } from '../helpers/sandbox-process.js';

/**
 * The sandbox as a newcomer meets it: `npm start` without Slack credentials (its own embedded Postgres
 * and redis-server, data in a folder), driven in Debian's Chromium through the page it serves. Every
 * click reaches the bot as a signed request; nothing here talks to the bot or the database directly.
 * Screenshots go to test-output/browser/.
 */

const SHOTS = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));
const TITLE = 'Checkout is failing for EU customers';

const env = sandboxInBrowser('incident-bot-sandbox-');
let shot = 0;

async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** Script errors on the page fail the test that caused them. */
const { pageErrors } = env;
const openPage = (url: string) => env.open(url);

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});

describe('the sandbox in a real browser', { timeout: 120_000 }, () => {
  it('declares, pages, acknowledges, updates, resolves and closes with a postmortem', async () => {
    const page = await openPage(env.sandbox!.url);
    await actAs(page, /Alice/);
    await page.getByTestId('channel-general').click();
    // A fresh sandbox greets the newcomer with the two commands to try first.
    const greeting = page.getByTestId('message').filter({ hasText: 'Welcome to the incident-bot sandbox' });
    await eventually(() => greeting.innerText()).toContain(
      '/incident create --severity SEV2 --title "API Latency Spike"',
    );
    expect(await greeting.innerText()).toContain('/incident oncall');

    // Declare from the composer through the modal; an empty title is refused with a field error.
    await command(page, '/incident create');
    const modal = page.getByTestId('modal');
    await eventually(() => modal.getByTestId('modal-title').textContent()).toBe('Declare an incident');
    await modal.getByLabel('Title').fill('   ');
    await page.getByTestId('modal-submit').click();
    await eventually(() => modal.getByTestId('field-error').first().textContent()).toMatch(/title/i);
    await modal.getByLabel('Title').fill(TITLE);
    await modal.getByLabel('Severity').selectOption('SEV1');
    await modal.getByLabel(/Summary/).fill('Payments return 502 since 14:05');
    await screenshot(page, 'declare-modal');
    await page.getByTestId('modal-submit').click();
    await modal.waitFor({ state: 'detached' });

    // The channel appears with its pinned headline.
    const channelLink = page.locator('[data-testid^="channel-inc-1-"]');
    await channelLink.waitFor();
    expect(await channelLink.getAttribute('data-testid')).toBe(
      'channel-inc-1-checkout-is-failing-for-eu-customers',
    );
    await channelLink.click();
    const headline = page
      .locator('[data-testid=message][data-pinned=true]')
      .filter({ hasText: 'Incident #1:' });
    await eventually(() => headline.innerText()).toContain(`Incident #1: ${TITLE}`);
    expect(await headline.innerText()).toMatch(/SEV1[\s\S]*Investigating/);
    await eventually(() => page.getByTestId('channel-topic').innerText()).toContain('Commander: @Alice');
    await screenshot(page, 'incident-channel');

    // The on-call engineer has a page in their DMs and acknowledges it there.
    await actAs(page, /Bob/);
    await page.getByTestId('dm-incident-bot').click();
    const ack = page.locator('[data-testid=message] [data-action-id=escalation-ack]');
    await ack.first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('message').last().innerText()).toContain(TITLE);
    await screenshot(page, 'page-dm');
    await ack.first().click();
    await eventually(() => page.getByTestId('message').last().innerText()).toContain('acknowledged by @Bob');
    expect(await ack.count()).toBe(0);

    // The headline shows who acknowledged; Bob was brought into the channel.
    await channelLink.click();
    await eventually(() => headline.innerText()).toMatch(/Acknowledged by\s+@Bob \(on call\)/);
    expect(await channelLink.getAttribute('title')).not.toContain('not joined');
    await screenshot(page, 'acknowledged');

    // Post an update from the card's button.
    await headline.locator('[data-action-id=headline-update]').click();
    await eventually(() => modal.getByTestId('modal-title').textContent()).toBe('Post an update');
    await modal.getByLabel(/What changed/).fill('Rolled back payments-api to v1.2.3; error rate falling.');
    await page.getByTestId('modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await eventually(() => page.getByTestId('message').last().innerText()).toContain(
      'Rolled back payments-api to v1.2.3',
    );
    await eventually(() => headline.innerText()).toContain('Latest update');

    // Evidence goes on the timeline: a pinned message, and one added with the message shortcut.
    await command(page, 'LB logs: 502s from payments-api since 14:03');
    const evidence = page.getByTestId('message').filter({ hasText: 'LB logs: 502s' });
    await evidence.waitFor();
    await evidence.hover();
    await evidence.getByTestId('msg-pin').click();
    await eventually(() => evidence.getAttribute('data-pinned')).toBe('true');
    await command(page, 'Payments provider confirms an EU config change at 14:01');
    const confirmation = page.getByTestId('message').filter({ hasText: 'provider confirms' });
    await confirmation.waitFor();
    await confirmation.hover();
    await confirmation.getByTestId('shortcut-timeline-add').click();
    const ephemeral = page.getByTestId('ephemeral');
    await eventually(() => ephemeral.last().innerText()).toContain('Added to the timeline');
    await command(page, '/incident timeline');
    await eventually(() => ephemeral.last().innerText()).toMatch(
      /LB logs: 502s[\s\S]*provider confirms|provider confirms[\s\S]*LB logs: 502s/,
    );

    // Resolve, through Slack's confirmation dialog.
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await headline.locator('[data-action-id=headline-resolve]').click();
    await eventually(() => headline.innerText()).toMatch(/Status\s+Resolved/);
    expect(dialogs[0]).toContain('Resolve this incident?');
    expect(await headline.innerText()).toMatch(/Acknowledged by\s+@Bob \(on call\)/);
    await screenshot(page, 'resolved');

    // Close from the resolved card: the close form, then the postmortem draft in the channel.
    await headline.locator('[data-action-id=headline-close]').click();
    await eventually(() => modal.getByTestId('modal-title').textContent()).toBe('Close the incident');
    await modal.getByLabel(/Resolution/).fill('Rolled back payments-api to v1.2.3');
    await modal.getByLabel(/Root cause/).fill('A config change disabled the EU payment provider');
    await page.getByTestId('modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const file = page.getByTestId('file-link');
    await file.first().waitFor({ timeout: 20_000 });
    expect(await file.first().innerText()).toMatch(/postmortem/i);
    await eventually(() => headline.innerText()).toMatch(/Status\s+Closed/);
    await screenshot(page, 'postmortem-posted');

    // The file opens, and it is the draft of this incident.
    const [opened] = await Promise.all([page.context().waitForEvent('page'), file.first().click()]);
    await opened.waitForLoadState();
    const markdown = await opened.locator('body').innerText();
    expect(markdown).toContain(TITLE);
    expect(markdown).toContain('A config change disabled the EU payment provider');
    expect(markdown).toMatch(/acknowledged/i);
    await opened.close();

    // No block the bot sent was left unrendered on the way.
    expect(await page.getByTestId('unsupported').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps its incidents across a restart, and shows the other journeys', async () => {
    expect(await env.sandbox!.stop()).toBe(0);
    env.sandbox = await startSandboxProcess(env.dataDir);
    const page = await openPage(env.sandbox.url);
    await actAs(page, /Alice/);

    // Incident #1 and its channel survived; the next one is #2.
    const first = page.locator('[data-testid^="channel-inc-1-"]');
    await first.click();
    const headline = page
      .locator('[data-testid=message][data-pinned=true]')
      .filter({ hasText: 'Incident #1:' });
    await eventually(() => headline.innerText()).toMatch(/Incident #1[\s\S]*Status\s+Closed/);
    expect(await page.getByTestId('file-link').count()).toBeGreaterThan(0);

    await command(page, '/incident timeline');
    const ephemeral = page.getByTestId('ephemeral');
    await eventually(() => ephemeral.last().innerText()).toMatch(/acknowledged/i);

    await page.getByTestId('channel-general').click();
    await command(page, '/incident create --severity SEV3 --title "Search results are stale"');
    const second = page.locator('[data-testid^="channel-inc-2-"]');
    await second.waitFor({ timeout: 15_000 });
    expect(await second.getAttribute('data-testid')).toBe('channel-inc-2-search-results-are-stale');

    // A :pushpin: reaction from someone outside the channel also puts a message on the timeline.
    await second.click();
    await command(page, 'Cache hit rate dropped to 12%');
    const clue = page.getByTestId('message').filter({ hasText: 'Cache hit rate' });
    await clue.waitFor();
    await actAs(page, /Carol/);
    await clue.hover();
    await clue.getByTestId('react-pushpin').click();
    await eventually(() => clue.getByTestId('reaction').innerText()).toBe('📌 1');
    await command(page, '/incident timeline');
    await eventually(() => ephemeral.last().innerText()).toContain('Cache hit rate dropped to 12%');
    await actAs(page, /Alice/);

    // Typed @mentions reach the bot escaped, as Slack's client sends them.
    await command(page, '/incident role scribe @carol');
    const card2 = page.locator('[data-testid=message][data-pinned=true]').filter({ hasText: 'Incident #2:' });
    await eventually(() => card2.innerText()).toMatch(/Scribe\s+@Carol/);

    await command(page, '/incident oncall');
    await eventually(() => ephemeral.last().innerText()).toContain('Bob');
    await command(page, '/incident list');
    await eventually(() => ephemeral.last().innerText()).toContain('Search results are stale');

    // "Send a test alert" in the sidebar posts to the bot's own webhook: Bob is paged for it in his
    // DMs and `/incident alerts` lists it; "Resolve the test alert" takes it off the list.
    await actAs(page, /Bob/);
    await page.getByTestId('tool-test-alert-firing').click();
    await page.getByTestId('dm-incident-bot').click();
    const alertPage = page
      .getByTestId('message')
      .filter({ hasText: 'Test alert: checkout error rate above 5%' });
    await eventually(() => alertPage.count()).toBeGreaterThan(0);
    await screenshot(page, 'test-alert-page');
    await page.getByTestId('channel-general').click();
    await command(page, '/incident alerts');
    await eventually(() => ephemeral.last().innerText()).toContain(
      'Test alert: checkout error rate above 5%',
    );
    await page.getByTestId('tool-test-alert-resolved').click();
    await page.getByTestId('toast').filter({ hasText: 'Resolve the test alert: done' }).waitFor();
    await command(page, '/incident alerts');
    await eventually(() => ephemeral.last().innerText()).toContain('No open alerts.');
    // The page says so, and #alerts (the service's alerts.channel) shows the alert, resolved.
    await page.getByTestId('dm-incident-bot').click();
    await eventually(() => alertPage.last().innerText()).toMatch(/resolved/i);
    await page.getByTestId('channel-alerts').click();
    const posted = page
      .getByTestId('message')
      .filter({ hasText: 'Test alert: checkout error rate above 5%' });
    await eventually(() => posted.last().innerText()).toMatch(/resolved/i);
    await actAs(page, /Alice/);

    // App Home lists the open incident.
    await page.getByTestId('home-tab').click();
    await eventually(() => page.getByTestId('home-view').innerText()).toContain('Search results are stale');
    await screenshot(page, 'app-home-after-restart');
    expect(await page.getByTestId('unsupported').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
