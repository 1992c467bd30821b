import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOncallConfig, type Schedule } from '../../src/escalation/oncall-config.js';
import { withOverrides } from '../../src/escalation/overrides-repo.js';
import { nextShifts, whoIsOnCall } from '../../src/escalation/schedule.js';
import { overridesRetentionJob } from '../../src/jobs/overrides-retention.js';
import { ActionId } from '../../src/slack/ids.js';
import { type Harness, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { COVER_BUTTONS, click, postButtons } from '../helpers/outsider.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue #14, item 4: cover requests, over the real bot. `primary` (Bob, Carol by email, Dave) has no
 * team channel, so requests go by DM; `teamed` (Bob, Carol, Erin) posts in #team-oncall. Both rotate
 * weekly in step, so Bob is on call on both in the same weeks. Alice is the admin; Oscar is in no
 * schedule. The bot's clock runs ten minutes behind, so the expiry test can move it past a start.
 */
const clock = { offsetMs: -10 * 60_000, now: () => new Date(Date.now() + clock.offsetMs) };
let h: Harness;
let dave: string;
let erin: string;
let oscar: string;
let teamChannel: string;
let schedules: Record<string, Schedule>;
/** A shift of Bob's that starts at least a day from now (on both schedules). */
let bobShift: { start: Date; end: Date };

const HOUR = 3_600_000;
const BOB_ZONE = 'America/New_York';

beforeAll(async () => {
  const slack = await startSeededFake();
  dave = slack.fake.addUser({ name: 'dave', realName: 'Dave', email: 'dave@acme.test', tz: 'UTC' }).id;
  erin = slack.fake.addUser({ name: 'erin', realName: 'Erin', email: 'erin@acme.test', tz: 'UTC' }).id;
  oscar = slack.fake.addUser({ name: 'oscar', realName: 'Oscar', email: 'oscar@acme.test', tz: 'UTC' }).id;
  teamChannel = slack.fake.addChannel({ name: 'team-oncall', members: [] }).id;
  const yaml = oncallFixture({
    participants: ['{bob}', 'carol@acme.test', dave],
    schedules: { teamed: { participants: ['{bob}', '{carol}', erin], announceChannel: teamChannel } },
    admins: ['{alice}'],
    levels: [['schedule:primary', '10m']],
  });
  h = await startHarness({ oncallYaml: yaml, slack, clock });
  schedules = parseOncallConfig(
    yaml
      .replaceAll('{bob}', h.people.bob)
      .replaceAll('{carol}', h.people.carol)
      .replaceAll('{alice}', h.people.alice),
  ).schedules;
  const shift = nextShifts(schedules.primary!, new Date(Date.now() + 24 * HOUR), 6).find(
    (s) => s.user === h.people.bob,
  )!;
  bobShift = { start: shift.start, end: shift.end };
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

/** The n-th two-hour window inside Bob's shift, as he types it (in his Slack time zone). */
function slot(n: number): { from: Date; to: Date; typed: string } {
  const from = new Date(bobShift.start.getTime() + 12 * HOUR + n * 3 * HOUR);
  const to = new Date(from.getTime() + 2 * HOUR);
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: BOB_ZONE }).toFormat('yyyy-MM-dd HH:mm');
  return { from, to, typed: `"${local(from)}" "${local(to)}"` };
}

async function run(userId: string, text: string): Promise<string> {
  const response = await h.driver.slashCommand({ userId, channelId: h.generalId, text });
  const answer = (response.body as { text: string }).text;
  if (!answer.includes('Working on it')) return answer;
  const late = await waitFor(() => h.fake.responses(response.responseUrl).at(-1), {
    what: `an answer to ${text}`,
  });
  return (late.body as { text: string }).text;
}

/** Asks for cover as `userId`; returns the request id. */
async function ask(userId: string, text: string): Promise<number> {
  const answer = await run(userId, `oncall cover ${text}`);
  const id = /Request (\d+)/.exec(answer);
  if (!id) throw new Error(`no request in: ${answer}`);
  return Number(id[1]);
}

interface Copy {
  channel: string;
  ts: string;
  recipient: string | null;
}

/** The copies of request `id` once `count` are posted (from the bot's record of them). */
const copies = (id: number, count: number) =>
  waitFor(
    async () => {
      const rows = await queryRows<{ channel_id: string; ts: string; recipient: string | null }>(
        h.databaseUrl,
        'SELECT channel_id, ts, recipient FROM cover_request_posts WHERE request_id = $1',
        [id],
      );
      return rows.length === count
        ? rows.map((r): Copy => ({ channel: r.channel_id, ts: r.ts, recipient: r.recipient }))
        : null;
    },
    { what: `${count} copies of cover request ${id}` },
  );

/** What a copy shows now: its text and blocks. */
const shown = (copy: Copy) => JSON.stringify(h.fake.getMessage(copy.channel, copy.ts) ?? null);
const copyFor = (all: Copy[], recipient: string | null) => all.find((c) => c.recipient === recipient)!;
const press = (userId: string, copy: Copy, actionId: string) =>
  click(h, userId, copy.ts, actionId, copy.channel);

const overridesIn = (from: Date, to: Date) =>
  queryRows<{ id: number; schedule: string; user_id: string; starts_at: Date; ends_at: Date }>(
    h.databaseUrl,
    'SELECT id, schedule, user_id, starts_at, ends_at FROM schedule_overrides WHERE starts_at = $1 AND ends_at = $2',
    [from, to],
  );

/** Who is on call on `schedule` at `at`, with the overrides stored in Postgres. */
async function onCallAt(schedule: string, at: Date): Promise<string | undefined> {
  const rows = await queryRows<{
    id: number;
    schedule: string;
    user_id: string;
    starts_at: Date;
    ends_at: Date;
  }>(
    h.databaseUrl,
    'SELECT id, schedule, user_id, starts_at, ends_at FROM schedule_overrides ORDER BY created_at, id',
  );
  const stored = rows.map((r) => ({
    id: Number(r.id),
    schedule: r.schedule,
    userId: r.user_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdBy: '',
  }));
  const config = { schedules } as Parameters<typeof withOverrides>[0];
  return whoIsOnCall(withOverrides(config, stored)[schedule]!, at)?.user;
}

const dmsOf = (userId: string) => {
  const dm = h.fake.dmChannelId(userId);
  return dm ? h.fake.messages(dm).map((m) => m.text) : [];
};

/** Presses a button of request `id` still on someone's screen after its copy changed (forged in #general). */
const pressStale = (userId: string, id: number, actionId: string) =>
  click(h, userId, postButtons(h, userId, id, COVER_BUTTONS), actionId);

describe('cover requests', () => {
  it('go by DM to each other participant when the schedule has no team channel, and to the requester with Cancel', async () => {
    const { typed } = slot(0);
    const answer = await run(h.people.bob, `oncall cover ${typed} --schedule primary &lt;!here&gt; dentist`);
    expect(answer).toMatch(/^:sos: Asked for cover on \*primary\*/);
    expect(answer).toContain(`sent to <@${h.people.carol}> and <@${dave}>`);
    const id = Number(/Request (\d+)/.exec(answer)![1]);
    const all = await copies(id, 3);
    expect(all.map((c) => c.recipient).sort()).toEqual([h.people.bob, h.people.carol, dave].sort());
    for (const copy of all) expect(copy.channel).toBe(h.fake.dmChannelId(copy.recipient!));
    for (const who of [h.people.carol, dave]) {
      const copy = shown(copyFor(all, who));
      expect(copy).toContain(`<@${h.people.bob}> asks for cover on *primary*`);
      expect(copy).toContain(ActionId.takeCover);
      expect(copy).not.toContain(ActionId.cancelCover);
    }
    const own = shown(copyFor(all, h.people.bob));
    expect(own).toContain(ActionId.cancelCover);
    expect(own).not.toContain(ActionId.takeCover);
    // The reason is shown as typed, never as a mention of the channel.
    for (const copy of all) {
      expect(shown(copy)).toContain('&lt;!here&gt; dentist');
      expect(shown(copy)).not.toContain('<!here>');
    }
    expect(h.fake.messages(teamChannel)).toEqual([]);
  });

  it('puts the first taker on call for the window; both are told by DM and every copy says who took it', async () => {
    const { from, to, typed } = slot(1);
    const middle = new Date((from.getTime() + to.getTime()) / 2);
    expect(await onCallAt('primary', middle)).toBe(h.people.bob);
    const id = await ask(h.people.bob, `${typed} --schedule primary`);
    const all = await copies(id, 3);

    const answer = await press(h.people.carol, copyFor(all, h.people.carol), ActionId.takeCover);
    expect(answer).toMatch(/^:white_check_mark: You are on call for \*primary\*/);
    const [override, ...more] = await overridesIn(from, to);
    expect(more).toEqual([]);
    expect(override).toMatchObject({ schedule: 'primary', user_id: h.people.carol });
    expect(await onCallAt('primary', middle)).toBe(h.people.carol);
    // Outside the window the rota stands.
    expect(await onCallAt('primary', new Date(to.getTime() + HOUR))).toBe(h.people.bob);

    await waitFor(
      () => dmsOf(h.people.carol).some((t) => t.includes(`You took <@${h.people.bob}>'s cover request`)),
      {
        what: "Carol's DM",
      },
    );
    await waitFor(
      () => dmsOf(h.people.bob).some((t) => t.includes(`<@${h.people.carol}> took your cover request`)),
      {
        what: "Bob's DM",
      },
    );
    await waitFor(() => all.every((c) => shown(c).includes(`<@${h.people.carol}> took it`)), {
      what: 'every copy edited',
    });
    for (const copy of all) expect(shown(copy)).not.toMatch(/cover-take|cover-cancel/);
    // Dave was too late.
    expect(await pressStale(dave, id, ActionId.takeCover)).toBe(
      `<@${h.people.carol}> already took this cover request.`,
    );
    expect(await overridesIn(from, to)).toHaveLength(1);
  });

  it('posts in the team channel when the schedule has one; strangers, other schedules and the requester may not take it, an admin may', async () => {
    const { from, to, typed } = slot(2);
    const answer = await run(h.people.bob, `oncall cover ${typed} --schedule teamed`);
    expect(answer).toContain(`posted in <#${teamChannel}>`);
    const id = Number(/Request (\d+)/.exec(answer)![1]);
    const all = await copies(id, 2);
    const inChannel = copyFor(all, null);
    expect(inChannel.channel).toBe(teamChannel);
    expect(copyFor(all, h.people.bob).channel).toBe(h.fake.dmChannelId(h.people.bob));
    // Nobody else was DMed about it.
    expect(dmsOf(erin)).toEqual([]);

    expect(await press(oscar, inChannel, ActionId.takeCover)).toBe(
      ':no_entry: Only the participants of a schedule and the admins named in `oncall.yaml` can take or cancel its cover requests.',
    );
    expect(await press(dave, inChannel, ActionId.takeCover)).toBe(
      ':no_entry: Only the other participants of *teamed* and the admins can take this request.',
    );
    expect(await press(h.people.bob, inChannel, ActionId.takeCover)).toMatch(/^That is your own request/);
    expect(await pressStale(oscar, id, ActionId.cancelCover)).toMatch(/^:no_entry: Only the participants/);
    expect(await overridesIn(from, to)).toEqual([]);
    expect(shown(inChannel)).toContain(ActionId.takeCover);

    expect(await press(h.people.alice, inChannel, ActionId.takeCover)).toMatch(/^:white_check_mark:/);
    expect(await overridesIn(from, to)).toMatchObject([{ schedule: 'teamed', user_id: h.people.alice }]);
    await waitFor(() => shown(inChannel).includes(`<@${h.people.alice}> took it`), {
      what: 'the channel copy edited',
    });
  });

  it('says what to fix: which schedule, not on call, a window that started or ends first, an unknown schedule', async () => {
    const { from, to, typed } = slot(3);
    const requests = () => queryRows(h.databaseUrl, 'SELECT id FROM cover_requests ORDER BY id');
    const before = await requests();
    expect(await run(h.people.bob, `oncall cover ${typed}`)).toBe(
      'You are on call on *primary* and *teamed* in that window: say which with `--schedule <name>`, one request per schedule.',
    );
    expect(await run(h.people.carol, `oncall cover ${typed}`)).toMatch(
      /^You are not on call on any schedule in that window \(times read in Asia\/Kolkata: your Slack time zone\)/,
    );
    expect(await run(erin, `oncall cover ${typed} --schedule primary`)).toMatch(
      /^You are not on call on \*primary\* in that window/,
    );
    expect(
      await run(h.people.bob, 'oncall cover "2026-01-05 09:00" "2026-01-05 17:00" --schedule primary'),
    ).toMatch(/^That window has already started/);
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: BOB_ZONE }).toFormat('yyyy-MM-dd HH:mm');
    const reversed = `"${local(to)}" "${local(from)}"`;
    expect(await run(h.people.bob, `oncall cover ${reversed} --schedule primary`)).toMatch(
      /^The end must come after the start/,
    );
    expect(await run(h.people.bob, `oncall cover ${typed} --schedule nosuch`)).toMatch(
      /^There is no schedule called "nosuch"/,
    );
    expect(await run(h.people.bob, 'oncall cover tomorrow morning')).toMatch(
      /I could not read "tomorrow morning"/,
    );
    expect(await run(h.people.bob, 'oncall cover "2026-02-30 09:00" "2026-03-01 09:00"')).toMatch(
      /"2026-02-30 09:00" is not a date and time that exists/,
    );
    expect(await requests()).toEqual(before);
  });

  it('is cancelled by its requester (button or command) or an admin; the copies say so and nobody can take it', async () => {
    const first = slot(4);
    const id = await ask(h.people.bob, `${first.typed} --schedule primary`);
    const all = await copies(id, 3);
    expect(await run(dave, `oncall cover cancel ${id}`)).toBe(
      ':no_entry: Only whoever asked for cover, or an admin, can cancel the request.',
    );
    expect(await press(h.people.bob, copyFor(all, h.people.bob), ActionId.cancelCover)).toMatch(
      /^:leftwards_arrow_with_hook: Cancelled cover request/,
    );
    await waitFor(() => all.every((c) => shown(c).includes('cancelled this request')), {
      what: 'copies edited',
    });
    expect(await pressStale(dave, id, ActionId.takeCover)).toBe('This cover request was cancelled.');
    expect(await overridesIn(first.from, first.to)).toEqual([]);

    // The same window may be asked for again; this time an admin cancels it by command.
    const again = await ask(h.people.bob, `${first.typed} --schedule primary`);
    expect(await run(h.people.bob, `oncall cover ${first.typed} --schedule primary`)).toMatch(
      new RegExp(`^You already asked for cover on \\*primary\\* .* \\(request ${again}\\)`),
    );
    expect(await run(h.people.alice, `oncall cover cancel ${again}`)).toMatch(/^:leftwards_arrow_with_hook:/);
    expect(await run(h.people.bob, `oncall cover cancel ${again}`)).toBe('This cover request was cancelled.');
    expect(await run(h.people.bob, 'oncall cover cancel 99999')).toBe('That cover request no longer exists.');
  });

  it('makes one override when two people press Take it at once', async () => {
    for (const n of [5, 6, 7]) {
      const { from, to, typed } = slot(n);
      const id = await ask(h.people.bob, `${typed} --schedule primary`);
      const all = await copies(id, 3);
      const answers = await Promise.all(
        [h.people.carol, dave].map((who) => press(who, copyFor(all, who), ActionId.takeCover)),
      );
      const won = answers.filter((a) => a.startsWith(':white_check_mark:'));
      expect(won, answers.join(' | ')).toHaveLength(1);
      const overrides = await overridesIn(from, to);
      expect(overrides).toHaveLength(1);
      const winner = overrides[0]!.user_id;
      expect(answers.filter((a) => a === `<@${winner}> already took this cover request.`)).toHaveLength(1);
      const [request] = await queryRows<{ status: string; closed_by: string; override_id: number }>(
        h.databaseUrl,
        'SELECT status, closed_by, override_id FROM cover_requests WHERE id = $1',
        [id],
      );
      expect(request).toEqual({ status: 'taken', closed_by: winner, override_id: overrides[0]!.id });
    }
  });

  it('are deleted with the overrides 30 days after their window ended, copies and all', async () => {
    const [old, recent] = await queryRows<{ id: number }>(
      h.databaseUrl,
      `INSERT INTO cover_requests (schedule, requested_by, starts_at, ends_at, status, closed_at) VALUES
         ('primary', 'UOLD', now() - interval '32 days', now() - interval '31 days', 'expired', now() - interval '32 days'),
         ('primary', 'URECENT', now() - interval '30 days', now() - interval '29 days', 'expired', now() - interval '30 days')
       RETURNING id`,
    );
    await queryRows(
      h.databaseUrl,
      "INSERT INTO cover_request_posts (request_id, channel_id, ts, recipient) VALUES ($1, 'D0OLD', '1.1', 'UOLD')",
      [old!.id],
    );
    await h.bot.queues.timers.add(overridesRetentionJob.name, {}, { jobId: 'cover-retention-now' });
    const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id));
    await waitFor(
      async () =>
        !ids(await queryRows(h.databaseUrl, 'SELECT id FROM cover_requests')).includes(Number(old!.id)),
      { what: 'the old request deleted' },
    );
    expect(ids(await queryRows(h.databaseUrl, 'SELECT id FROM cover_requests'))).toContain(
      Number(recent!.id),
    );
    expect(
      await queryRows(h.databaseUrl, "SELECT * FROM cover_request_posts WHERE channel_id = 'D0OLD'"),
    ).toEqual([]);
  });

  it('expires when its start comes: the copies say so, and Take it says it expired', async () => {
    const now = clock.now();
    const entry = whoIsOnCall(schedules.primary!, new Date(now.getTime() + 5 * 60_000))!.user;
    const requester = entry.includes('@') ? h.fake.findUserByEmail(entry)!.id : entry;
    const zone = h.fake.getUser(requester)!.tz ?? 'UTC';
    const from = DateTime.fromJSDate(now, { zone })
      .plus({ minutes: 2 })
      .startOf('minute')
      .plus({ minutes: 1 });
    const to = from.plus({ hours: 1 });
    const typed = `"${from.toFormat('yyyy-MM-dd HH:mm')}" "${to.toFormat('yyyy-MM-dd HH:mm')}"`;
    const id = await ask(requester, `${typed} --schedule primary`);
    const all = await copies(id, 3);
    const taker = all.find((c) => c.recipient !== requester)!;
    expect(shown(taker)).toContain(ActionId.takeCover);

    // Ten minutes pass for the bot: the start has come.
    clock.offsetMs = 0;
    await waitFor(() => all.every((c) => shown(c).includes('Expired: nobody took it')), {
      what: 'every copy edited to say it expired',
    });
    // A Take it button still on someone's screen (a forged one here: the copies have none left).
    const stale = postButtons(h, taker.recipient!, id, COVER_BUTTONS);
    expect(await click(h, taker.recipient!, stale, ActionId.takeCover)).toMatch(
      /^This cover request expired/,
    );
    expect(await overridesIn(from.toJSDate(), to.toJSDate())).toEqual([]);
  });
});
