import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { commandAnswer } from '../helpers/command-answer.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { click, postButtons } from '../helpers/outsider.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Paging another team into an incident: checkout's incident pages Bob (its own policy); Alice, who
 * reported it and is in its channel, pages payments in, whose policy pages Carol. Each team's paging
 * is an escalation of its own: its own DMs, acknowledgement and channel invitation.
 */
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '1h']],
  schedules: { payments: { participants: ['{carol}'] } },
  policies: { payments: { levels: [['schedule:payments', '1h']] } },
  services: {
    checkout: { policy: 'default' },
    payments: { policy: 'payments' },
    search: { policy: 'default' },
  },
  autoPage: ['SEV1'],
});

let h: Harness;
let oscar: string;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
  oscar = h.fake.addUser({ name: 'oscar', realName: 'Oscar Outsider', email: 'oscar@acme.test' }).id;
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

interface Incident {
  id: number;
  number: number;
  channel_id: string;
  headline_ts: string;
}

async function declare(title: string): Promise<Incident> {
  const answer = await commandAnswer(
    h,
    h.people.alice,
    h.generalId,
    `create --severity SEV1 --service checkout --title "${title}"`,
  );
  const number = Number(/#(\d+)/.exec(answer)![1]);
  return waitFor(
    async () =>
      (
        await queryRows<Incident>(
          h.databaseUrl,
          `SELECT i.id, i.number, i.channel_id, p.headline_ts FROM incidents i
           JOIN slack_incident_presence p ON p.incident_id = i.id
           WHERE i.number = $1 AND p.setup_completed_at IS NOT NULL`,
          [number],
        )
      )[0],
    { what: `incident #${number} set up` },
  );
}

const escalations = (id: number) =>
  queryRows<{ id: number; engaged_service: string | null; state: string; acknowledged_by: string | null }>(
    h.databaseUrl,
    'SELECT id, engaged_service, state, acknowledged_by FROM escalations WHERE incident_id = $1 ORDER BY id',
    [id],
  );

const pageDm = (userId: string, number: number) =>
  waitFor(
    () =>
      h.fake
        .messages(h.fake.dmChannelId(userId) ?? 'none')
        .find((m) => m.text.includes(`incident #${number} `) && m.text.includes('You are paged')),
    { what: `a page DM to ${userId} for #${number}` },
  );

const card = (incident: Incident) =>
  JSON.stringify(h.fake.getMessage(incident.channel_id, incident.headline_ts)!);

const say = (incident: Incident, text: string, userId = h.people.alice) =>
  commandAnswer(h, userId, incident.channel_id, text);

describe('/incident page service:NAME', () => {
  let incident: Incident;
  beforeAll(async () => {
    incident = await declare('Checkout down');
    await pageDm(h.people.bob, incident.number);
  });

  it('pages the other team by its own policy, once however often it is asked, with the reason', async () => {
    // A double click, or two people at once: the unique key makes one escalation.
    const answers = await Promise.all([
      say(incident, 'page service:payments Card payments fail at checkout'),
      say(incident, 'page team:payments Card payments fail at checkout'),
    ]);
    expect(answers.filter((a) => a.startsWith(':pager: Paging *payments* into incident'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('*payments* is already paged into incident'))).toHaveLength(1);
    expect(await say(incident, 'page service:payments again')).toContain('is already paged into incident');
    const rows = await escalations(incident.id);
    expect(rows.map((r) => [r.engaged_service, r.state])).toEqual([
      [null, 'triggered'],
      ['payments', 'triggered'],
    ]);

    // Carol, on call for payments, is paged, and her DM says who asked for her team and why.
    const carolDm = await pageDm(h.people.carol, incident.number);
    expect(JSON.stringify(carolDm.blocks)).toContain(
      `*payments* was paged into this incident by <@${h.people.alice}>: Card payments fail at checkout`,
    );
    const paged = await queryRows<{ user_id: string; escalation_id: number }>(
      h.databaseUrl,
      "SELECT user_id, escalation_id FROM pages WHERE incident_id = $1 AND status = 'sent' ORDER BY id",
      [incident.id],
    );
    expect(paged).toEqual([
      { user_id: h.people.bob, escalation_id: rows[0]!.id },
      { user_id: h.people.carol, escalation_id: rows[1]!.id },
    ]);
    const timeline = await say(incident, 'timeline');
    expect(timeline).toContain('payments paged in by');
    expect(timeline).toContain('Card payments fail at checkout');
    expect(timeline).toMatch(/Paged .*\(level 1\) for payments/);

    // The card lists both teams, its own service first.
    await waitFor(
      () =>
        card(incident).includes('*Teams engaged*\\ncheckout · :pager: paging\\npayments · :pager: paging'),
      {
        what: 'the card to list both teams paging',
      },
    );
  });

  it('shows the teams engaged in `/incident show` too', async () => {
    const response = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: incident.channel_id,
      text: 'show',
    });
    const body = JSON.stringify(response.body).includes('Working on it')
      ? (await waitFor(() => h.fake.responses(response.responseUrl).at(-1), { what: 'the card' })).body
      : response.body;
    expect(JSON.stringify(body)).toContain('*Teams engaged*\\ncheckout · :pager: paging\\npayments ·');
  });

  it('answers its own service, an unknown service and a stranger without paging anyone', async () => {
    const before = await escalations(incident.id);
    expect(await say(incident, 'page service:checkout')).toContain(
      '*checkout* is this incident’s own service',
    );
    expect(await say(incident, 'page service:paymnts Cards')).toBe(
      'There is no service called "paymnts". Services: checkout, payments, search.',
    );
    // Someone with no part in the incident is refused as for `/incident page @person`.
    const refused = await commandAnswer(h, oscar, h.generalId, `page service:search #${incident.number}`);
    expect(refused).toMatch(/^:no_entry: Only the commander, the other role holders/);
    expect(await escalations(incident.id)).toEqual(before);
  });

  it('acknowledging payments’ page stops only payments, and brings its acknowledger into the channel', async () => {
    expect(h.fake.members(incident.channel_id)).not.toContain(h.people.carol);
    const carolDm = await pageDm(h.people.carol, incident.number);
    const bobDm = await pageDm(h.people.bob, incident.number);
    await h.driver.clickButton({
      userId: h.people.carol,
      channelId: h.fake.dmChannelId(h.people.carol)!,
      messageTs: carolDm.ts,
      actionId: 'escalation-ack',
    });
    await waitFor(() => h.fake.members(incident.channel_id).includes(h.people.carol), {
      what: 'Carol invited to the incident channel',
    });
    const rows = await escalations(incident.id);
    expect(rows.map((r) => [r.engaged_service, r.state, r.acknowledged_by])).toEqual([
      [null, 'triggered', null],
      ['payments', 'acknowledged', h.people.carol],
    ]);
    await waitFor(
      () =>
        h.fake
          .messages(incident.channel_id)
          .some((m) => m.text.includes(`<@${h.people.carol}> acknowledged the page for *payments*`)),
      { what: 'the ack line in the channel' },
    );
    // Carol's DM says so; Bob's, of checkout's own paging, still asks him to acknowledge.
    await waitFor(
      () =>
        h.fake.getMessage(h.fake.dmChannelId(h.people.carol)!, carolDm.ts)?.text ===
        `The page for payments in incident #${incident.number} was acknowledged by <@${h.people.carol}>`,
      { what: 'Carol’s DM edited' },
    );
    expect(JSON.stringify(h.fake.getMessage(h.fake.dmChannelId(h.people.bob)!, bobDm.ts))).toContain(
      'escalation-ack',
    );
    await waitFor(
      () =>
        card(incident).includes('checkout · :pager: paging') &&
        card(incident).includes(`payments · :white_check_mark: acknowledged by <@${h.people.carol}>`),
      { what: 'the card to show payments acknowledged and checkout paging' },
    );
    const timeline = await say(incident, 'timeline');
    expect(timeline).toContain(`Page for payments acknowledged by`);
    expect(await escalations(incident.id)).toEqual(rows);
  });

  it('acknowledges nothing from a button naming another incident’s escalation', async () => {
    // Bob is paged for both incidents, so he may acknowledge on either; the value is checked anyway.
    const other = await declare('Search down');
    await pageDm(h.people.bob, other.number);
    const [otherEscalation] = await escalations(other.id);
    const forged = postButtons(h, h.people.bob, incident.id, {
      'escalation-ack': (id) => `${id}-e${otherEscalation!.id}`,
    });
    expect(await click(h, h.people.bob, forged, 'escalation-ack')).toBe(
      'This incident is not paging anyone right now.',
    );
    expect((await escalations(other.id))[0]).toEqual(otherEscalation);
  });

  it('resolving the incident stops every team’s paging; reopened, a team can be paged in again', async () => {
    expect(await say(incident, 'resolve')).toContain('resolved');
    await waitFor(async () => (await escalations(incident.id)).every((r) => r.state === 'resolved'), {
      what: 'both escalations stopped',
    });
    const stopped = await queryRows<{ details: { service?: string } }>(
      h.databaseUrl,
      "SELECT details FROM timeline_events WHERE incident_id = $1 AND kind = 'escalation.stopped' ORDER BY id",
      [incident.id],
    );
    expect(stopped.map((e) => e.details.service ?? null)).toEqual([null, 'payments']);
    expect(await say(incident, 'page service:search')).toBe(
      `Incident #${incident.number} is no longer open (resolved or closed); nobody was paged.`,
    );

    // Reopened, the team can be paged in again: from its first level, for whoever asks now.
    await say(incident, 'reopen');
    expect(await say(incident, 'page service:payments Still failing')).toMatch(
      /^:pager: Paging \*payments\* into incident/,
    );
    await waitFor(
      async () =>
        (
          await queryRows(
            h.databaseUrl,
            "SELECT 1 FROM pages WHERE incident_id = $1 AND user_id = $2 AND status = 'sent'",
            [incident.id, h.people.carol],
          )
        ).length === 2,
      { what: 'Carol paged again' },
    );
    const [, again] = await escalations(incident.id);
    expect(again).toMatchObject({ engaged_service: 'payments', state: 'triggered', acknowledged_by: null });
  });
});
