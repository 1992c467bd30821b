import { Writable } from 'node:stream';
import { createSlackFake, type SlackFake } from '@incident-bot/local-slack';
import { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHandoffService, type HandoffService } from '../../src/escalation/handoff-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createOverrideService } from '../../src/escalation/override-service.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { createOverrideAnnouncer } from '../../src/slack/override-announcer.js';
import { createShiftNotifier } from '../../src/slack/shift-notifier.js';
import { createUsergroupSync } from '../../src/slack/usergroup-sync.js';
import { type ServiceDb, serviceDb } from '../helpers/service-deps.js';

/**
 * A week of handoffs with a fixed clock, on real Postgres and the local Slack: the handoff service
 * fires each timer when the test moves the clock to it, and the effects it queues run through the
 * job catalogue against the real Slack adapters. The week spans the end of summer time in Berlin
 * (Sunday 25 October 2026): handoffs stay at local 09:00 (07:00Z before, 08:00Z after).
 */

const ZONE = 'Europe/Berlin';
const START = '2026-10-21T12:00:00.000Z';

let db: ServiceDb;
let fake: SlackFake;
let people: { bob: string; carol: string; dave: string; heidi: string };
let teamChannel: string;
let logLines: Record<string, unknown>[];
let handoffs: HandoffService;
let deps: JobDeps;

const oncallText = (p: typeof people, channel: string) => `
timezone: ${ZONE}
schedules:
  primary:
    rotation: { length: daily, handoff: "09:00", start: 2026-10-21 }
    participants: [${p.bob}, carol@acme.test, ${p.dave}]
    channel: ${channel}
    slack_usergroup: checkout-oncall
    usergroup_members_always: [${p.heidi}]
  secondary:
    rotation: { length: weekly, handoff: "09:00", start: 2026-10-19 }
    participants: [${p.heidi}]
escalation_policies:
  default:
    levels:
      - { notify: [schedule:primary], escalate_after: 5m }
      - { notify: [schedule:secondary], escalate_after: 15m }
paging:
  default_policy: default
`;

/** The next handoff timer the service enqueued, as BullMQ would hold it. */
function pendingTimer(): { schedule: string; epoch: number; dueAt: Date } {
  const timers = db.enqueued.requests.filter((r) => r.name === 'handoff.fire');
  const last = timers.at(-1)!;
  const data = last.data as { schedule: string; epoch: number };
  return { ...data, dueAt: last.dueAt! };
}

/** Runs every outbox row not done yet through the catalogue, as the workers would, and marks it done. */
async function runEffects(): Promise<void> {
  const rows = await db.rows<{ job: string; key: string; payload: unknown }>(
    'SELECT job, key, payload FROM outbox WHERE done_at IS NULL ORDER BY id',
  );
  for (const row of rows) {
    const job = jobCatalogue.get(row.job)!;
    await job.handle(deps, job.payload.parse(row.payload), {
      mayRepeat: false,
      finalAttempt: false,
      key: row.key,
    });
    await db.pool.query('UPDATE outbox SET done_at = $2 WHERE key = $1', [row.key, db.clock.now()]);
  }
  db.enqueued.requests.splice(
    0,
    db.enqueued.requests.length,
    ...db.enqueued.requests.filter((r) => r.name === 'handoff.fire'),
  );
}

/** Moves the clock to each timer of `schedule` in turn, until `until`, firing each (twice: a duplicate job). */
async function runUntil(until: string, schedule = 'primary'): Promise<void> {
  for (;;) {
    const timer = db.enqueued.requests
      .filter((r) => r.name === 'handoff.fire' && (r.data as { schedule: string }).schedule === schedule)
      .at(-1)!;
    const data = timer.data as { schedule: string; epoch: number };
    if (timer.dueAt! > new Date(until)) return;
    db.clock.set(timer.dueAt!);
    await handoffs.fire(data.schedule, data.epoch);
    // The same job delivered again (a retry, or the reconciler): a no-op, its epoch is spent.
    await handoffs.fire(data.schedule, data.epoch);
    await runEffects();
  }
}

const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('ccc HH:mm');
const dmTexts = (userId: string) => fake.messages(fake.dmChannelId(userId) ?? 'none').map((m) => m.text);

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), START);
  fake = createSlackFake({ clock: () => db.clock.now().getTime() });
  await fake.start();
  const add = (name: string) => fake.addUser({ name, email: `${name}@acme.test`, tz: ZONE }).id;
  people = { bob: add('bob'), carol: add('carol'), dave: add('dave'), heidi: add('heidi') };
  teamChannel = fake.addChannel({ name: 'checkout-team', members: [people.bob] }).id;
  const oncall = parseOncallConfig(oncallText(people, teamChannel));
  logLines = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  });
  handoffs = createHandoffService({ pool: db.pool, clock: db.clock, logger, oncall, outbox: db.outbox });
  const client = new WebClient(fake.config.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
  });
  deps = {
    handoffs,
    usergroups: createUsergroupSync({ client, logger, members: handoffs.usergroupMembers }),
    shiftNotifier: createShiftNotifier({ client, clock: db.clock }),
    overrideAnnouncer: createOverrideAnnouncer({ client }),
  } as JobDeps;
  await handoffs.start();
  await runEffects();
});

afterAll(async () => {
  await fake.stop();
  await db.pool.end();
});

describe('a week of handoffs across the end of summer time', () => {
  it('sets the user group to whoever is on call at start-up, creating it, with the permanent members', () => {
    const [group] = fake.usergroups();
    expect(group).toMatchObject({ handle: 'checkout-oncall', users: [people.bob, people.heidi] });
    expect(fake.calls('usergroups.create')).toHaveLength(1);
  });

  it('switches the group once per handoff, each at local 09:00, across the DST change', async () => {
    fake.resetCalls();
    await runUntil('2026-10-28T12:00:00.000Z');
    const updates = fake.calls('usergroups.users.update');
    expect(updates.map((call) => local(call.at))).toEqual([
      'Thu 09:00',
      'Fri 09:00',
      'Sat 09:00',
      'Sun 09:00',
      'Mon 09:00',
      'Tue 09:00',
      'Wed 09:00',
    ]);
    // 07:00Z in summer time, 08:00Z after the clocks went back on Sunday.
    expect(updates.map((call) => new Date(call.at).toISOString().slice(11, 16))).toEqual([
      '07:00',
      '07:00',
      '07:00',
      '08:00',
      '08:00',
      '08:00',
      '08:00',
    ]);
    expect(updates.map((call) => String(call.args.users).split(',')[0])).toEqual([
      people.carol,
      people.dave,
      people.bob,
      people.carol,
      people.dave,
      people.bob,
      people.carol,
    ]);
    expect(fake.usergroups()[0]!.users).toEqual([people.carol, people.heidi]);
  });

  it('DMs each person an hour before their shift and as it starts, once each', () => {
    const carol = dmTexts(people.carol);
    // Carol's shifts start Thursday, Sunday and Wednesday: one heads-up and one start notice each.
    expect(carol.filter((t) => t?.startsWith(':alarm_clock:'))).toHaveLength(3);
    expect(carol.filter((t) => t?.startsWith(':pager:'))).toEqual([
      expect.stringContaining('You are on call for *primary* until Fri 23 Oct 09:00 Europe/Berlin'),
      expect.stringContaining('until Mon 26 Oct 09:00 Europe/Berlin'),
      expect.stringContaining('until Thu 29 Oct 09:00 Europe/Berlin'),
    ]);
    expect(carol[1]).toContain(`escalation: primary → secondary.`);
    const sundayNotice = fake
      .messages(fake.dmChannelId(people.carol)!)
      .find((m) => m.text?.includes('from Sun 25 Oct 09:00'));
    expect(sundayNotice?.text).toMatch(/^:alarm_clock: In 1 h you are on call/);
    // Sent at 08:00 local on the day the clocks changed: 07:00Z.
    expect(new Date(Number(sundayNotice!.ts.split('.')[0]) * 1000).toISOString()).toBe(
      '2026-10-25T07:00:00.000Z',
    );
  });

  it("posts a handoff message in the schedule's channel at every handoff, once each", () => {
    const messages = fake.messages(teamChannel).map((m) => m.text);
    expect(messages).toHaveLength(7);
    expect(messages[0]).toBe(
      `:arrows_counterclockwise: *primary* on call: <@${people.bob}> → <@${people.carol}>, no incidents in the last day.`,
    );
  });

  it('counts the incidents that paged the schedule during the shift that ended', async () => {
    const declaredAt = '2026-10-28T10:00:00.000Z';
    const [incident] = await db.rows<{ id: number }>(
      `INSERT INTO incidents (number, title, severity, reporter_id, declared_at)
       VALUES (1, 'Checkout down', 'SEV1', $1, $2), (2, 'Slow search', 'SEV2', $1, $2) RETURNING id`,
      [people.bob, declaredAt],
    );
    // A page names its escalation (migration 0013): the incident's, started when it was declared.
    await db.pool.query(
      `WITH escalation AS (
         INSERT INTO escalations (incident_id, policy_name, policy, state, started_at)
         VALUES ($1, 'default', '{}', 'triggered', $3) RETURNING id
       )
       INSERT INTO pages (escalation_id, incident_id, epoch, step, loop, target, via)
       SELECT id, $1, 0, 0, 0, $2, 'schedule:primary' FROM escalation`,
      [incident!.id, people.carol, declaredAt],
    );
    await runUntil('2026-10-29T12:00:00.000Z');
    expect(fake.messages(teamChannel).at(-1)?.text).toBe(
      `:arrows_counterclockwise: *primary* on call: <@${people.carol}> → <@${people.dave}>, 1 incident in the last day, 1 still open.`,
    );
  });

  it('records each action once per handoff, whatever ran twice', async () => {
    const counts = await db.rows<{ action: string; n: number }>(
      `SELECT action, count(*) AS n FROM handoff_actions WHERE schedule = 'primary' GROUP BY action ORDER BY action`,
    );
    expect(counts).toEqual([
      { action: 'channel_message', n: 8 },
      { action: 'notice_before', n: 8 },
      { action: 'notice_start', n: 8 },
      { action: 'usergroup', n: 8 },
    ]);
    expect(pendingTimer().dueAt.toISOString()).toBe('2026-10-30T07:00:00.000Z');
  });

  it('an override re-plans the timer: the group follows it at once, and back when it is cancelled', async () => {
    const oncall = parseOncallConfig(oncallText(people, teamChannel));
    const overrides = createOverrideService({ ...db, oncall, handoffs });
    db.clock.set('2026-10-29T13:00:00.000Z');
    const placed = await overrides.place({
      actor: { id: people.dave, email: null },
      person: { id: people.bob, email: null },
      schedule: 'primary',
      durationMs: 2 * 3_600_000,
    });
    expect(placed.ok).toBe(true);
    const timer = pendingTimer();
    expect(timer.dueAt.toISOString()).toBe('2026-10-29T13:00:00.000Z');
    await handoffs.fire(timer.schedule, timer.epoch);
    await runEffects();
    expect(fake.usergroups()[0]!.users).toEqual([people.bob, people.heidi]);
    expect(dmTexts(people.bob).at(-1)).toContain(
      'You are on call for *primary* until Thu 29 Oct 16:00 Europe/Berlin',
    );

    db.clock.set('2026-10-29T13:30:00.000Z');
    if (!placed.ok) return;
    await overrides.cancel(placed.overrides[0]!.id, { id: people.dave, email: null });
    const back = pendingTimer();
    await handoffs.fire(back.schedule, back.epoch);
    await runEffects();
    expect(fake.usergroups()[0]!.users).toEqual([people.dave, people.heidi]);
    expect(fake.messages(teamChannel).at(-1)?.text).toContain(`<@${people.bob}> → <@${people.dave}>`);
  });
});

describe('an override and a fire at the same moment', () => {
  it('an override committed just after a fire that could not see it still switches the group', async () => {
    // A fire at 14:00:01 handles everything up to then, before the override's transaction commits…
    db.clock.set('2026-10-29T14:00:01.000Z');
    const [replanned] = await handoffs.replanInTx(db.pool, ['primary']);
    await handoffs.fire('primary', replanned!.epoch);
    // …which had put Bob on call from 14:00:00 and re-plans the timer as it commits.
    await db.pool.query(
      `INSERT INTO schedule_overrides (schedule, user_id, starts_at, ends_at, created_by)
       VALUES ('primary', $1, '2026-10-29T14:00:00Z', '2026-10-29T15:00:00Z', $1)`,
      [people.bob],
    );
    db.clock.set('2026-10-29T14:00:00.000Z');
    const [timer] = await handoffs.replanInTx(db.pool, ['primary']);
    db.clock.set('2026-10-29T14:00:02.000Z');
    await handoffs.fire('primary', timer!.epoch);
    await runEffects();
    expect(fake.usergroups()[0]!.users).toEqual([people.bob, people.heidi]);
  });
});

describe('a workspace whose plan has no user groups', () => {
  it('is warned about once, not at every handoff, and shift notices go on', async () => {
    fake.setPlan({ usergroups: false });
    const before = dmTexts(people.dave).length;
    await runUntil('2026-11-01T12:00:00.000Z');
    const warnings = logLines.filter((line) => line.code === 'paid_teams_only');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/user group @checkout-oncall cannot follow the rota: .*paid plan/);
    expect(fake.calls('usergroups.list').filter((c) => c.error === 'paid_teams_only').length).toBeGreaterThan(
      1,
    );
    expect(dmTexts(people.dave).length).toBeGreaterThan(before);
  });
});
