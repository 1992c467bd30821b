import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOncallConfig, type Schedule } from '../../src/escalation/oncall-config.js';
import { whoIsOnCall } from '../../src/escalation/schedule.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { parseIcs } from '../helpers/ical.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue #14, items 3 and 6 over the real bot: `/incident oncall calendar` DMs links, the links serve
 * the schedules as iCalendar (read back by ical.js), reset revokes them, and `/incident oncall --at`
 * reads the time in the asker's Slack zone. `primary` is Bob (by id) and Carol (by email) taking
 * weeks in turn, in UTC from Monday 2026-01-05 09:00, with the user group @primary-oncall;
 * `secondary` is Alice alone.
 */

const PUBLIC_URL = 'https://oncall.example.test/bot/';
const ONCALL = oncallFixture({
  participants: ['{bob}', 'carol@acme.test'],
  primary: { slack_usergroup: 'primary-oncall' },
  schedules: { secondary: { participants: ['{alice}'] } },
  levels: [['schedule:primary', '1h']],
});

let h: Harness;
let primary: Schedule;

beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL, env: { PUBLIC_URL } });
  primary = parseOncallConfig(ONCALL.replaceAll('{bob}', h.people.bob).replaceAll('{alice}', h.people.alice))
    .schedules.primary!;
});
afterAll(async () => {
  await h?.stop();
});

async function run(userId: string, text: string): Promise<string> {
  const response = await h.driver.slashCommand({ userId, channelId: h.generalId, text });
  return (response.body as { text: string }).text;
}

/** The feed links of the newest calendar DM `userId` got, in the order shown (personal first). */
async function linksFor(userId: string): Promise<{ personal: string; primary: string; secondary: string }> {
  const dmMessages = () => {
    const dm = h.fake.dmChannelId(userId);
    return dm ? h.fake.messages(dm) : [];
  };
  const before = dmMessages().length;
  expect(await run(userId, 'oncall calendar')).toBe(
    ':calendar: I sent you your calendar links in a direct message.',
  );
  const dm = await waitFor(
    () =>
      dmMessages()
        .slice(before)
        .find((m) => m.text.includes('.ics')),
    { what: 'the calendar DM' },
  );
  const urls = [...dm.text.matchAll(/<(https:[^>|]+\.ics)>/g)].map((m) => m[1]!);
  expect(urls).toHaveLength(3);
  expect(dm.text).toMatch(/\*primary\*: <https:/);
  return { personal: urls[0]!, primary: urls[1]!, secondary: urls[2]! };
}

/** GET a link handed out under PUBLIC_URL from the bot itself (as the reverse proxy would). */
const get = (link: string) => fetch(link.replace(PUBLIC_URL.replace(/\/$/, ''), h.bot.url));

async function feed(link: string) {
  const response = await get(link);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  return parseIcs(await response.text());
}

describe('/incident oncall calendar', () => {
  it('DMs links under PUBLIC_URL: a personal feed of the asker’s own shifts, and one feed per schedule', async () => {
    const links = await linksFor(h.people.bob);
    for (const link of Object.values(links))
      expect(link).toMatch(
        /^https:\/\/oncall\.example\.test\/bot\/oncall\/calendar\/[A-Za-z0-9_-]{43}\.ics$/,
      );

    const mine = await feed(links.personal);
    expect(mine.properties['x-wr-calname']).toBe('On call: my shifts');
    // Bob has every other week of primary, a year ahead: 26 or 27 of them, each the resolver's.
    expect(mine.events.length).toBeGreaterThanOrEqual(26);
    expect(mine.events.length).toBeLessThanOrEqual(28);
    for (const event of mine.events) {
      expect(event.summary).toBe('On call: primary');
      expect(whoIsOnCall(primary, event.start)?.user).toBe(h.people.bob);
      expect(event.end.getTime() - event.start.getTime()).toBeLessThanOrEqual(7 * 86_400_000);
    }

    // The schedule's feed names both people by their Slack names, Carol found by her email.
    const everyone = await feed(links.primary);
    expect(everyone.properties['x-wr-calname']).toBe('On call: primary');
    expect(new Set(everyone.events.map((e) => e.summary))).toEqual(
      new Set(['primary: bob', 'primary: carol']),
    );
    for (const event of everyone.events.slice(0, 10))
      expect(event.summary).toBe(
        whoIsOnCall(primary, event.start)?.user === h.people.bob ? 'primary: bob' : 'primary: carol',
      );
    // The same shift has the same UID in both feeds, and again on the next fetch.
    const again = await feed(links.primary);
    expect(again.events.map((e) => e.uid)).toEqual(everyone.events.map((e) => e.uid));
    expect(everyone.events.map((e) => e.uid)).toEqual(expect.arrayContaining(mine.events.map((e) => e.uid)));
  });

  it('shows an override taken in Slack, in the schedule’s feed and in the covering person’s own', async () => {
    const answer = await run(h.people.bob, `oncall override <@${h.people.carol}> 2h --schedule primary`);
    expect(answer).toContain('is on call for *primary*');
    const carolLinks = await linksFor(h.people.carol);
    const expectOverride = (events: { summary: string; start: Date; end: Date }[], summary: string) => {
      const override = events.find((e) => e.summary === summary);
      expect(override, summary).toBeDefined();
      expect(override!.end.getTime() - override!.start.getTime()).toBeGreaterThan(119 * 60_000);
      expect(override!.start.getTime()).toBeLessThanOrEqual(Date.now());
    };
    expectOverride((await feed(carolLinks.primary)).events, 'primary: carol (override)');
    // Carol's own feed: matched by her Slack id for the override, by her email for the rota.
    const hers = (await feed(carolLinks.personal)).events;
    expectOverride(hers, 'On call: primary (override)');
    expect(hers.filter((e) => e.summary === 'On call: primary').length).toBeGreaterThanOrEqual(25);
  });

  it('stores only a hash of each token', async () => {
    const links = await linksFor(h.people.alice);
    const token = /\/([A-Za-z0-9_-]{43})\.ics$/.exec(links.personal)![1]!;
    const rows = await queryRows<{ row: string; sha: Buffer }>(
      h.databaseUrl,
      'SELECT t::text AS row, token_sha256 AS sha FROM calendar_feed_tokens t WHERE owner_id = $1',
      [h.people.alice],
    );
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row.row).not.toContain(token);
    expect(rows.map((r) => r.sha.toString('hex'))).toContain(
      createHash('sha256').update(token).digest('hex'),
    );
  });

  it('answers an unknown, a malformed and a revoked link alike with 404, and gives working links again after reset', async () => {
    const links = await linksFor(h.people.alice);
    const carol = await linksFor(h.people.carol);
    const unknown = await get(`${PUBLIC_URL}oncall/calendar/${'A'.repeat(43)}.ics`);
    const malformed = await get(`${PUBLIC_URL}oncall/calendar/nope.ics`);
    const body = 'not found\n';
    expect([unknown.status, await unknown.text()]).toEqual([404, body]);
    expect([malformed.status, await malformed.text()]).toEqual([404, body]);
    const posted = await fetch(links.personal.replace(PUBLIC_URL.replace(/\/$/, ''), h.bot.url), {
      method: 'POST',
    });
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);

    // Alice had two sets of links (this test's and the previous one's): all six go.
    expect(await run(h.people.alice, 'oncall calendar reset')).toBe(
      ':wastebasket: Revoked your 6 calendar links: calendars subscribed to them stop updating. `/incident oncall calendar` sends you new ones.',
    );
    for (const link of Object.values(links)) {
      const revoked = await get(link);
      expect([revoked.status, revoked.headers.get('content-type'), await revoked.text()]).toEqual([
        404,
        unknown.headers.get('content-type'),
        body,
      ]);
    }
    expect(await run(h.people.alice, 'oncall calendar reset')).toBe(
      'You have no calendar links to revoke. `/incident oncall calendar` sends you some.',
    );
    // Someone else's links are untouched; Alice's new ones work, and show her secondary weeks.
    expect((await get(carol.personal)).status).toBe(200);
    // Requests are counted under the route's prefix: no token among the metrics' labels.
    const { values } = await h.bot.metrics.httpRequests.get();
    const routes = new Set(values.map((v) => String(v.labels.route)));
    expect(routes).toContain('/oncall/calendar/');
    expect([...routes].filter((r) => r.includes('.ics'))).toEqual([]);
    const fresh = await feed((await linksFor(h.people.alice)).personal);
    expect(fresh.events.length).toBeGreaterThan(50);
    expect(new Set(fresh.events.map((e) => e.summary))).toEqual(new Set(['On call: secondary']));
  });
});

describe('/incident oncall --schedule --at', () => {
  // Monday 2027-01-04 09:00 UTC: Bob takes over from Carol (turn 52 of primary).
  const at = '--schedule primary --at "2027-01-04 09:30"';

  it('reads the time in the asker’s own Slack time zone', async () => {
    // Alice is in London (UTC in winter): 09:30 is after the handoff.
    const alice = await run(h.people.alice, `oncall ${at}`);
    expect(alice).toContain('(2027-01-04 09:30 Europe/London)');
    // The schedule's user group handle, as text that pings nobody.
    expect(alice).toContain(`*primary* (\`@primary-oncall\`) — then: <@${h.people.bob}> from `);
    expect(alice).toContain('· next: carol@acme.test from ');
    expect(alice).not.toContain('*secondary*');
    // Carol is in Kolkata (UTC+05:30): her 09:30 is 04:00 UTC, still Carol's week.
    const carol = await run(h.people.carol, `oncall ${at}`);
    expect(carol).toContain('(2027-01-04 09:30 Asia/Kolkata)');
    expect(carol).toContain('*primary* (`@primary-oncall`) — then: carol@acme.test from ');
    expect(carol).toContain(`· next: <@${h.people.bob}> from <!date^${Date.UTC(2027, 0, 4, 9) / 1000}^`);
  });

  it('refuses a time in the past, a date that does not exist and an unknown schedule', async () => {
    expect(await run(h.people.alice, 'oncall --at "2020-01-01 10:00"')).toBe(
      '2020-01-01 10:00 (Europe/London) is in the past: `--at` tells who will be on call. `/incident oncall` tells who is now.',
    );
    expect(await run(h.people.alice, 'oncall --at "2027-02-30 10:00"')).toContain(
      '`--at` takes a date and a 24-hour time that exist, like `"2026-12-24 09:00"` (in quotes; got "2027-02-30 10:00").',
    );
    expect(await run(h.people.alice, 'oncall --schedule nosuch')).toBe(
      'There is no schedule called "nosuch". Schedules: primary, secondary.',
    );
    // Without flags: every schedule, now.
    const now = await run(h.people.alice, 'oncall');
    expect(now).toContain('*primary* (`@primary-oncall`) — now: ');
    expect(now).toContain(`*secondary* — now: <@${h.people.alice}> until `);
  });
});
