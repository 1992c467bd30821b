import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { declareSetUp } from '../helpers/declare-set-up.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Nobody is paged automatically: the test pages Bob by hand while a card refresh is rate limited.
const ONCALL = oncallFixture({ levels: [['schedule:primary', '5m']], autoPage: [] });
const RETRY_AFTER_SEC = 8;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
});
afterAll(async () => {
  await h?.stop();
});

const say = async (channelId: string, text: string) => {
  const response = await h.driver.slashCommand({ userId: h.people.alice, channelId, text });
  expect(response.status).toBe(200);
  return (response.body as { text: string }).text;
};

describe('a rate limit on a cosmetic Slack call', () => {
  it('has the fake answer 429 as Slack does: HTTP 429, Retry-After, ok:false ratelimited', async () => {
    h.fake.injectFault('chat.update', { rateLimited: { retryAfterSec: RETRY_AFTER_SEC } }, 1);
    const response = await fetch(`${h.fake.apiUrl}chat.update`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-sandbox-token', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: h.generalId, ts: '1.000001', text: 'x' }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SEC));
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('does not hold a page DM: the page arrives while the card refresh waits out Retry-After, and the card is updated after', async () => {
    const incident = await declareSetUp(h, '--severity SEV3 --title "Rate limited card"');
    const headlineUpdates = () =>
      h.fake.calls('chat.update').filter((c) => c.args.ts === incident.headline_ts);
    expect(headlineUpdates()).toHaveLength(0);

    // A status change refreshes the card; its chat.update is answered 429 with Retry-After: 8.
    h.fake.injectFault('chat.update', { rateLimited: { retryAfterSec: RETRY_AFTER_SEC } }, 1);
    expect(await say(incident.channel_id, 'status identified')).toContain('now *identified*');
    const limited = await waitFor(() => headlineUpdates().find((c) => c.status === 429), {
      timeoutMs: 15_000,
      what: 'the rate-limited card refresh',
    });

    // While the bot's main Slack client waits out the 429, Bob is paged.
    const pagedAt = Date.now();
    expect(await say(incident.channel_id, `page <@${h.people.bob}|bob>`)).toContain(
      `Paging <@${h.people.bob}>`,
    );
    await waitFor(
      () =>
        h.fake
          .messages(h.fake.dmChannelId(h.people.bob) ?? 'none')
          .find((m) => m.text.includes('Rate limited card')),
      { timeoutMs: 20_000, what: "Bob's page DM" },
    );
    const dmAfterMs = Date.now() - pagedAt;
    const pageDm = h.fake
      .calls('chat.postMessage')
      .find((c) => c.args.channel === h.people.bob && c.status === 200);
    // The DM went out well before the Retry-After elapsed, and before the card's retry.
    expect(dmAfterMs).toBeLessThan(5000);
    expect(pageDm!.at - limited.at).toBeLessThan(RETRY_AFTER_SEC * 1000 - 1000);
    expect(headlineUpdates().filter((c) => c.at < pageDm!.at && c.status === 200)).toHaveLength(0);

    // The card is still updated once Retry-After has passed, and shows the new status.
    const retried = await waitFor(() => headlineUpdates().find((c) => c.status === 200), {
      timeoutMs: 30_000,
      what: 'the card refresh after Retry-After',
    });
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_SEC * 1000 - 500);
    const card = h.fake.getMessage(incident.channel_id, incident.headline_ts)!;
    expect(JSON.stringify(card.blocks)).toContain('Identified');
  });
});
