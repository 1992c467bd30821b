import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { type Harness, type People, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Handoffs are durable timers (issue #14): the real bot (HTTP, Postgres, Redis, BullMQ workers) on a
 * clock shifted to just before a 09:00 Berlin handoff. One bot runs ten minutes before it and stops;
 * a second one, started on the same database and Redis seconds before the handoff, switches the user
 * group on time, once, and an override typed in Slack moves it at once.
 */

/** Thursday 3 December 2026, 09:00 in Berlin: Carol hands over to Bob. */
const HANDOFF = Date.parse('2026-12-03T08:00:00.000Z');
/** How long before the handoff the second bot starts (the first ran ten minutes before it). */
const LEAD_MS = 15_000;

let slack: { fake: Harness['fake']; people: People };
let team: string;
let offset: number;
const clock: Clock = { now: () => new Date(Date.now() + offset) };
let bot: Harness | undefined;

const groupMembers = () => slack.fake.usergroups().find((g) => g.handle === 'primary-oncall')?.users ?? [];
const dms = (userId: string) =>
  slack.fake.messages(slack.fake.dmChannelId(userId) ?? 'none').map((m) => m.text ?? '');

beforeAll(async () => {
  slack = await startSeededFake();
  team = slack.fake.addChannel({ name: 'primary-team', members: [slack.people.alice] }).id;
  offset = HANDOFF - 10 * 60_000 - Date.now();
});

afterAll(async () => {
  await bot?.stop();
  await slack.fake.stop();
});

describe('a restart just before a handoff', () => {
  it('still switches the user group at the handoff, once, with the DM and the channel message', async () => {
    const oncallYaml = oncallFixture({
      participants: ['{bob}', '{carol}'],
      admins: ['{alice}'],
      primary: {
        timezone: 'Europe/Berlin',
        rotation: { length: 'daily', handoff: '09:00', start: '2026-12-01' },
        slack_usergroup: 'primary-oncall',
        channel: team,
      },
      levels: [['schedule:primary', '5m']],
      autoPage: [],
    });
    const first = await startHarness({ slack, oncallYaml, clock });
    // Start-up: the group is created with whoever is on call now.
    await waitFor(() => (groupMembers().length === 1 ? true : null), {
      what: 'the start-up sync',
      timeoutMs: 30_000,
    });
    expect(groupMembers()).toEqual([slack.people.carol]);
    await first.stop();
    // Down for a while: the next bot starts shortly before the handoff.
    offset = HANDOFF - LEAD_MS - Date.now();

    bot = await startHarness({
      slack,
      oncallYaml,
      clock,
      databaseUrl: first.databaseUrl,
      queuePrefix: first.queuePrefix,
    });
    await waitFor(() => (groupMembers()[0] === slack.people.bob ? true : null), {
      what: 'the user group to follow the handoff',
      timeoutMs: 60_000,
    });
    const updates = slack.fake.calls('usergroups.users.update').filter((c) => c.ok);
    expect(updates).toHaveLength(2);
    const switched = updates[1]!;
    expect(switched.args.users).toBe(slack.people.bob);
    // On time: not before 09:00 (the fake Slack runs on real time, the bot `offset` ahead of it).
    expect(switched.at + offset).toBeGreaterThanOrEqual(HANDOFF);
    expect(switched.at + offset).toBeLessThan(HANDOFF + 60_000);

    await waitFor(() => (slack.fake.messages(team).length > 0 ? true : null), {
      what: 'the handoff message',
    });
    expect(slack.fake.messages(team).map((m) => m.text)).toEqual([
      `:arrows_counterclockwise: *primary* on call: <@${slack.people.carol}> → <@${slack.people.bob}>, no incidents in the last day.`,
    ]);
    await waitFor(() => (dms(slack.people.bob).length > 0 ? true : null), { what: "Bob's shift DM" });
    expect(dms(slack.people.bob)).toEqual([
      ':pager: You are on call for *primary* until Fri 4 Dec 09:00 Europe/Berlin; escalation: primary.',
    ]);
  });

  it('an override typed in Slack moves the group at once, and its cancel moves it back', async () => {
    const h = bot!;
    const placed = await h.driver.slashCommand({
      userId: slack.people.bob,
      channelId: h.generalId,
      text: `oncall override <@${slack.people.carol}> 1h --schedule primary`,
    });
    const id = Number(/override (\d+)/.exec((placed.body as { text: string }).text)![1]);
    await waitFor(() => (groupMembers()[0] === slack.people.carol ? true : null), {
      what: 'the group to follow the override',
    });
    await waitFor(() => (dms(slack.people.carol).some((t) => t.startsWith(':pager:')) ? true : null), {
      what: "Carol's shift DM for the override",
    });
    await h.driver.slashCommand({
      userId: slack.people.bob,
      channelId: h.generalId,
      text: `oncall override cancel ${id}`,
    });
    await waitFor(() => (groupMembers()[0] === slack.people.bob ? true : null), {
      what: 'the group back to Bob',
    });
    expect(slack.fake.calls('usergroups.users.update').filter((c) => c.ok)).toHaveLength(4);
  });
});
