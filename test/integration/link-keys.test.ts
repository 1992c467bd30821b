import type { SlackFake } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { linkKeys, signPostmortemPath } from '../../src/postmortem/signed-links.js';
import {
  type Harness,
  type People,
  SIGNING_SECRET,
  startHarness,
  startSeededFake,
} from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { waitFor } from '../helpers/wait-for.js';

const OLD_KEY = 'old-link-key-0123456789abcdefghijklmnop';
const NEW_KEY = 'new-link-key-0123456789abcdefghijklmnop';
const DRAFT = '# Postmortem: <script>alert(1)</script>\n';

let slack: { fake: SlackFake; people: People };
let databaseUrl: string;
let incidentId: number;
const running: Harness[] = [];

const start = async (env: Record<string, string> = {}) => {
  const h = await startHarness({ slack, databaseUrl, env, role: 'web' });
  running.push(h);
  return h;
};
const stop = async (h: Harness) => {
  running.splice(running.indexOf(h), 1);
  await h.bot.stop();
};
const storedKey = async () =>
  (await queryRows<{ value: string }>(databaseUrl, 'SELECT value FROM bot_secrets'))!.map((r) => r.value);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
const get = (h: Harness, keys: string[], expiresAt = inDays(7)) =>
  fetch(`${h.bot.url}${signPostmortemPath(linkKeys(keys), incidentId, expiresAt)}`);

beforeAll(async () => {
  slack = await startSeededFake();
  databaseUrl = await createDatabase(inject('postgresAdminUrl'));
});
afterAll(async () => {
  for (const h of [...running]) await h.bot.stop();
  await slack?.fake.stop();
});

describe('postmortem link keys', () => {
  it('generates one key in Postgres when LINK_SIGNING_KEYS is unset: two instances starting at once agree, and it survives a restart', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const keys = await storedKey();
    expect(keys).toHaveLength(1);
    const [key] = keys as [string];
    expect(key.length).toBeGreaterThanOrEqual(40);
    expect(key).not.toContain(SIGNING_SECRET);

    const declared = await a!.driver.slashCommand({
      userId: slack.people.alice,
      channelId: a!.generalId,
      text: 'create --title "Links survive restarts"',
    });
    expect((declared.body as { text: string }).text).toMatch(/#\d+/);
    incidentId = (await waitFor(() => queryRows<{ id: number }>(databaseUrl, 'SELECT id FROM incidents')))[0]!
      .id;
    await queryRows(databaseUrl, 'INSERT INTO postmortems (incident_id, markdown) VALUES ($1, $2)', [
      incidentId,
      DRAFT,
    ]);
    for (const h of [a!, b!]) {
      const served = await get(h, [key]);
      expect(served.status).toBe(200);
      expect(await served.text()).toBe(DRAFT);
    }
    // Never the Slack signing secret: a link signed with it is refused.
    expect((await get(a!, [SIGNING_SECRET])).status).toBe(403);

    await stop(a!);
    await stop(b!);
    const restarted = await start();
    expect(await storedKey()).toEqual([key]);
    expect((await get(restarted, [key])).status).toBe(200);
    await stop(restarted);
  });

  it('rotates with LINK_SIGNING_KEYS: links signed with the old key still open, new links are signed with the new one', async () => {
    const h = await start({ LINK_SIGNING_KEYS: `${NEW_KEY}, ${OLD_KEY}` });
    expect((await get(h, [OLD_KEY])).status).toBe(200);
    expect((await get(h, [NEW_KEY])).status).toBe(200);
    // The generated key is not used once keys are configured.
    expect((await get(h, await storedKey())).status).toBe(403);
    await stop(h);
    const dropped = await start({ LINK_SIGNING_KEYS: NEW_KEY });
    expect((await get(dropped, [OLD_KEY])).status).toBe(403);
    expect((await get(dropped, [NEW_KEY])).status).toBe(200);
  });

  it('refuses a correctly signed link whose expiry is beyond the 7-day lifetime, and an expired one', async () => {
    const h = running.at(-1)!;
    expect((await get(h, [NEW_KEY], inDays(6.9))).status).toBe(200);
    const tooFar = await get(h, [NEW_KEY], inDays(30));
    expect(tooFar.status).toBe(403);
    expect(await tooFar.text()).toContain('not valid');
    const expired = await get(h, [NEW_KEY], inDays(-0.01));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
  });

  it('answers with nosniff, no caching, a sandboxing CSP and no referrer, served or refused', async () => {
    const h = running.at(-1)!;
    for (const response of [await get(h, [NEW_KEY]), await get(h, [OLD_KEY])]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('content-security-policy')).toBe('sandbox');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
