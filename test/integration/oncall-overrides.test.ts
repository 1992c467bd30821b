import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { whoIsOnCall } from '../../src/escalation/schedule.js';
import { overridesRetentionJob } from '../../src/jobs/overrides-retention.js';
import { type Harness, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue #11, item 2: nobody can take the pager for anyone. `primary` is Bob (by id) and Carol (by
 * email) taking weeks in turn; `secondary` is Carol alone and announces in its own channel; Dave is
 * the admin (by email); Alice is an outsider. Level 1 pages primary's on-call, slowly enough that
 * nobody else is paged while a test looks.
 */
let h: Harness;
let dave: string;
let secondaryChannel: string;
/** Who the rota has on call in primary now, and the other participant. */
let onCall: string;
let other: string;

beforeAll(async () => {
  const slack = await startSeededFake();
  dave = slack.fake.addUser({ name: 'dave', realName: 'Dave Admin', email: 'dave@acme.test', tz: 'UTC' }).id;
  secondaryChannel = slack.fake.addChannel({ name: 'oncall-secondary', members: [] }).id;
  const yaml = oncallFixture({
    participants: ['{bob}', 'carol@acme.test'],
    schedules: { secondary: { participants: ['{carol}'], announceChannel: secondaryChannel } },
    admins: ['dave@acme.test'],
    levels: [['schedule:primary', '10m']],
    repeat: 0,
    autoPage: ['SEV1'],
  });
  h = await startHarness({ oncallYaml: yaml, slack });
  const { bob, carol } = h.people;
  const primary = parseOncallConfig(yaml.replaceAll('{bob}', bob).replaceAll('{carol}', carol)).schedules
    .primary!;
  onCall = whoIsOnCall(primary, new Date())!.user === bob ? bob : carol;
  other = onCall === bob ? carol : bob;
});
afterAll(async () => {
  await h?.stop();
});

async function run(userId: string, text: string): Promise<string> {
  const response = await h.driver.slashCommand({ userId, channelId: h.generalId, text });
  return (response.body as { text: string }).text;
}

const overrideRows = () =>
  queryRows<{ id: number; schedule: string; user_id: string; created_by: string }>(
    h.databaseUrl,
    'SELECT id, schedule, user_id, created_by FROM schedule_overrides WHERE ends_at > now() ORDER BY id',
  );

const overrideId = (answer: string) => Number(/override (\d+)/.exec(answer)![1]);

/** A message in `userId`'s DM with the bot that matches. */
const dmWith = (userId: string, match: (text: string) => boolean, what: string) =>
  waitFor(() => h.fake.messages(h.fake.dmChannelId(userId) ?? 'none').find((m) => match(m.text)), { what });

/** Declares a SEV1 as Alice and returns who its first page went to. */
async function pagedFor(title: string): Promise<string[]> {
  const answer = await run(h.people.alice, `create --severity SEV1 --title "${title}"`);
  const number = Number(/#(\d+)/.exec(answer)![1]);
  const rows: { user_id: string | null }[] = await waitFor(
    async () => {
      const pages = await queryRows<{ user_id: string | null }>(
        h.databaseUrl,
        'SELECT p.user_id FROM pages p JOIN incidents i ON i.id = p.incident_id WHERE i.number = $1',
        [number],
      );
      // An email in oncall.yaml is resolved to a Slack id when the page is sent.
      return pages.length > 0 && pages.every((p) => p.user_id !== null) ? pages : null;
    },
    { what: `the first page of #${number}` },
  );
  return rows.map((r) => r.user_id ?? '');
}

describe('/incident oncall override: who may take the pager', () => {
  it('refuses an outsider, for themself or for a participant, and stores nothing', async () => {
    const self = await run(h.people.alice, `oncall override <@${h.people.alice}> 14d --schedule primary`);
    expect(self).toContain('Only the admins named in `oncall.yaml` and participants of *primary*');
    const forBob = await run(h.people.alice, `oncall override <@${h.people.bob}> 2h --schedule primary`);
    expect(forBob).toContain('participants of *primary*');
    // Without --schedule, the schedules the person is in: still refused.
    expect(await run(h.people.alice, `oncall override <@${h.people.bob}> 2h`)).toContain(':no_entry:');
    expect(await overrideRows()).toEqual([]);
    expect(await pagedFor('Outsider tried to take the pager')).toEqual([onCall]);
  });

  it('refuses a participant putting an outsider on the schedule', async () => {
    const answer = await run(other, `oncall override <@${h.people.alice}> 2h --schedule primary`);
    expect(answer).toContain('is not a participant of *primary*; only an admin');
    expect(await overrideRows()).toEqual([]);
  });

  it('lets a participant cover a shift: announced to both, paged instead, and cancel restores the real on-call', async () => {
    const answer = await run(other, `oncall override <@${other}> 1h --schedule primary`);
    expect(answer).toContain(`<@${other}> is on call for *primary*`);
    const id = overrideId(answer);
    expect(await overrideRows()).toEqual([{ id, schedule: 'primary', user_id: other, created_by: other }]);

    // Announced by DM (primary has no announce_channel) to the person covering and the one displaced.
    const covering = await dmWith(
      other,
      (t) => t.includes(`Override ${id};`),
      'the announcement to the coverer',
    );
    expect(covering.text).toContain(`instead of <@${onCall}>`);
    await dmWith(onCall, (t) => t.includes(`Override ${id};`), 'the announcement to the person displaced');

    expect(await run(h.people.alice, 'oncall overrides')).toContain(
      `\`${id}\` *primary*: <@${other}>, now until`,
    );
    expect(await pagedFor('Covered shift')).toEqual([other]);

    // An outsider cannot cancel it; the person covering can.
    expect(await run(h.people.alice, `oncall override cancel ${id}`)).toContain(':no_entry: Only an admin');
    expect(await run(other, `oncall override cancel ${id}`)).toContain(`Cancelled override ${id}`);
    expect(await overrideRows()).toEqual([]);
    await dmWith(
      onCall,
      (t) => t.includes(`cancelled override ${id}`),
      'the cancellation to the one back on call',
    );
    expect(await pagedFor('After the cancel')).toEqual([onCall]);
    expect(await run(other, `oncall override cancel ${id}`)).toContain(
      `There is no current or future override ${id}`,
    );
  });

  it('lets an admin (named by email) put anyone on any schedule, announced in its channel', async () => {
    const answer = await run(dave, `oncall override <@${h.people.alice}> 30m --schedule primary`);
    expect(answer).toContain(`<@${h.people.alice}> is on call for *primary*`);
    const primaryId = overrideId(answer);
    const onSecondary = await run(dave, `oncall override <@${h.people.bob}> 2h --schedule secondary`);
    const secondaryId = overrideId(onSecondary);

    const announced = await waitFor(
      () => h.fake.messages(secondaryChannel).find((m) => m.text.includes(`Override ${secondaryId};`)),
      { what: 'the announcement in the secondary schedule’s channel' },
    );
    expect(announced.text).toContain(`<@${h.people.bob}> is on call for *secondary*`);
    expect(announced.text).toContain(`instead of <@${h.people.carol}> (set by <@${dave}>)`);
    // Run again as a repeat (the reconciler re-enqueues its row, as after a crash): not posted twice.
    const key = `override-placed-${secondaryId}`;
    await queryRows(h.databaseUrl, 'UPDATE outbox SET done_at = NULL, deadline_at = now() WHERE key = $1', [
      key,
    ]);
    await waitFor(
      async () =>
        (
          await queryRows(
            h.databaseUrl,
            'SELECT 1 FROM outbox WHERE key = $1 AND dispatches > 1 AND done_at IS NOT NULL',
            [key],
          )
        ).length > 0,
      { what: 'the announcement to run again' },
    );
    expect(
      h.fake.messages(secondaryChannel).filter((m) => m.text.includes(`Override ${secondaryId};`)),
    ).toHaveLength(1);
    // A schedule with a channel announces there, not by DM.
    expect(
      h.fake
        .messages(h.fake.dmChannelId(h.people.bob) ?? 'none')
        .some((m) => m.text.includes(`Override ${secondaryId};`)),
    ).toBe(false);

    const list = await run(h.people.bob, 'oncall overrides --schedule secondary');
    expect(list).toContain(`\`${secondaryId}\` *secondary*: <@${h.people.bob}>`);
    expect(list).not.toContain(`\`${primaryId}\``);
    expect(await run(h.people.bob, 'oncall overrides')).toContain(
      `\`${primaryId}\` *primary*: <@${h.people.alice}>`,
    );

    // The admin cancels what they placed; Bob, neither creator nor covering on primary, cannot.
    expect(await run(h.people.bob, `oncall override cancel ${primaryId}`)).toContain(':no_entry:');
    expect(await run(dave, `oncall override cancel ${primaryId}`)).toContain(
      `Cancelled override ${primaryId}`,
    );
    expect(await run(dave, `oncall override cancel ${secondaryId}`)).toContain(
      `Cancelled override ${secondaryId}`,
    );
    expect(await run(h.people.bob, 'oncall overrides')).toBe('No overrides now or to come.');
  });

  it('answers a bad id or an unknown schedule with what to do', async () => {
    expect(await run(h.people.bob, 'oncall override cancel abc')).toContain('is not an override id');
    expect(await run(h.people.bob, 'oncall overrides --schedule nope')).toContain(
      'There is no schedule called "nope". Schedules: primary, secondary.',
    );
  });
});

describe('override retention', () => {
  it('deletes overrides that ended more than 30 days ago, hourly, and keeps the rest', async () => {
    const schedulers = await h.bot.queues.timers.getJobSchedulers();
    expect(schedulers.find((s) => s.key === 'overrides-retention')).toMatchObject({ every: 3_600_000 });
    await queryRows(
      h.databaseUrl,
      `INSERT INTO schedule_overrides (schedule, user_id, starts_at, ends_at, created_by) VALUES
         ('primary', 'UOLD', now() - interval '32 days', now() - interval '31 days', 'UOLD'),
         ('primary', 'URECENT', now() - interval '30 days', now() - interval '29 days', 'URECENT'),
         ('primary', 'UFUTURE', now() + interval '1 day', now() + interval '2 days', 'UFUTURE')`,
    );
    await h.bot.queues.timers.add(overridesRetentionJob.name, {}, { jobId: 'retention-now' });
    const left = await waitFor(
      async () => {
        const rows = await queryRows<{ user_id: string }>(
          h.databaseUrl,
          "SELECT user_id FROM schedule_overrides WHERE user_id IN ('UOLD', 'URECENT', 'UFUTURE') ORDER BY id",
        );
        return rows.some((r) => r.user_id === 'UOLD') ? null : rows;
      },
      { what: 'the retention job to delete the old override' },
    );
    expect(left.map((r) => r.user_id)).toEqual(['URECENT', 'UFUTURE']);
  });
});
