import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; SEV1 pages him at once and nothing escalates during the test.
const ONCALL = `
timezone: UTC
admins: ["{carol}"]
schedules:
  primary:
    timezone: UTC
    rotation: { length: 1 week, handoff: "09:00", start: 2026-01-05 }
    participants: ["{bob}"]
escalation_policies:
  default:
    levels:
      - { notify: [schedule:primary], escalate_after: 30m }
paging:
  default_policy: default
  auto_page: [SEV1]
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
});
afterAll(async () => {
  await h?.stop();
});

type Row = {
  id: number;
  number: number;
  status: string;
  severity: string;
  channel_id: string;
  headline_ts: string;
};
const row = async (number: number) => (await incidentRow<Row>(h.databaseUrl, number))!;
const timelineCount = async (id: number) =>
  (
    await queryRows<{ n: number }>(
      h.databaseUrl,
      'SELECT count(*)::int AS n FROM timeline_events WHERE incident_id = $1',
      [id],
    )
  )[0]!.n;

const say = async (channelId: string, text: string, userId = h.people.alice) => {
  const response = await h.driver.slashCommand({ userId, channelId, text });
  expect(response.status).toBe(200);
  return (response.body as { text: string }).text;
};

async function declare(title: string, severity = 'SEV3'): Promise<Row> {
  const answer = await say(h.generalId, `create --severity ${severity} --title "${title}"`);
  const number = Number(/#(\d+)/.exec(answer)![1]);
  await waitFor(
    async () =>
      (
        await queryRows(
          h.databaseUrl,
          'SELECT 1 FROM incidents JOIN slack_incident_presence ON incident_id = id WHERE number = $1 AND setup_completed_at IS NOT NULL',
          [number],
        )
      ).length === 1,
  );
  return row(number);
}

describe('/incident over HTTP, from the command registry', () => {
  it('refuses a bad role, status or extra words with the command’s usage, and changes nothing', async () => {
    const incident = await declare('Registry refusals');
    const events = await timelineCount(incident.id);
    const role = await say(incident.channel_id, `role janitor <@${h.people.bob}|bob>`);
    expect(role).toContain('`janitor` is not a role: use commander, comms or scribe.');
    expect(role).toContain('• `/incident role commander|comms|scribe @person` — assign a role');
    expect(role).not.toContain('/incident create');
    const status = await say(incident.channel_id, 'status garbage');
    expect(status).toContain(
      '`garbage` is not a status: use investigating, identified, monitoring or resolved.',
    );
    const resolve = await say(incident.channel_id, 'resolve right now');
    expect(resolve).toContain('`/incident resolve` takes nothing but an incident reference');
    const oncall = await say(incident.channel_id, `oncall bogus <@${h.people.bob}|bob> 2h`);
    expect(oncall).toContain(
      `Too many words: "bogus <@${h.people.bob}|bob> 2h". Use \`/incident oncall [--schedule <schedule>] [--at "YYYY-MM-DD HH:MM"]\`.`,
    );
    expect(oncall).toContain('/incident oncall override @person <duration>');
    const due = await say(incident.channel_id, 'followup Add an alert due 2026-02-30');
    expect(due).toContain('"2026-02-30" is not a date');
    expect(await row(incident.number)).toMatchObject({ status: 'investigating', severity: 'SEV3' });
    expect(await timelineCount(incident.id)).toBe(events);
    expect(
      await queryRows(h.databaseUrl, 'SELECT 1 FROM followups WHERE incident_id = $1', [incident.id]),
    ).toEqual([]);
    expect(await queryRows(h.databaseUrl, 'SELECT 1 FROM schedule_overrides')).toEqual([]);
  });

  it('answers help for one command, and the runbook forms in the full help', async () => {
    const one = await say(h.generalId, 'help timeline');
    expect(one).toContain('`/incident timeline [page]`');
    expect(one).not.toContain('/incident create');
    const all = await say(h.generalId, 'help');
    expect(all).toContain('/incident create --severity SEV2 --title "API Latency Spike"');
    expect(all).toContain('/incident close --resolution "Rolled back to v1.2.3"');
    expect(await say(h.generalId, 'help frobnicate')).toContain('There is no command `frobnicate`.');
  });

  it('shows a page of the timeline for a reference given before or after the page number', async () => {
    const incident = await declare('Timeline pages');
    for (let i = 0; i < 26; i++) await say(incident.channel_id, `note step ${i}`);
    for (const text of [`timeline #${incident.number} 2`, `timeline 2 #${incident.number}`]) {
      const answer = await say(h.generalId, text);
      expect(answer).toContain(`Timeline of incident #${incident.number}`);
      expect(answer).toContain('page 2 of 2');
      expect(answer).toContain('step 25');
    }
    const first = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: `timeline inc-${incident.number}`,
    });
    const body = first.body as { text: string; blocks: unknown[] };
    expect(body.text).toContain('page 1 of 2');
    // The hint for the next page names the incident, so it works from any channel.
    const hint = /More: `\/incident (timeline #\d+ 2)`/.exec(JSON.stringify(body.blocks));
    expect(hint?.[1]).toBe(`timeline #${incident.number} 2`);
    expect(await say(h.generalId, hint![1]!)).toContain('page 2 of 2');
  });

  it('applies a spec’s access tag: strangers may read but not change', async () => {
    const incident = await declare('Access tags');
    const stranger = h.people.bob;
    expect(await say(h.generalId, `show #${incident.number}`, stranger)).toContain(
      `Incident #${incident.number}`,
    );
    const refused = await say(h.generalId, `severity SEV2 #${incident.number}`, stranger);
    expect(refused).toContain('can change the severity');
    const resolved = await say(h.generalId, `resolve #${incident.number}`, stranger);
    expect(resolved).toContain('can resolve this incident');
    expect(await row(incident.number)).toMatchObject({ severity: 'SEV3', status: 'investigating' });
    // Carol is an admin in oncall.yaml.
    expect(await say(h.generalId, `severity SEV2 #${incident.number}`, h.people.carol)).toContain(
      'now *SEV2*',
    );
  });

  it('refuses an unchanged status in the modal under its own field', async () => {
    const incident = await declare('Modal errors');
    const before = new Set(h.fake.openViews(h.people.alice).map((v) => v.view.id));
    await h.driver.clickButton({
      userId: h.people.alice,
      channelId: incident.channel_id,
      messageTs: incident.headline_ts,
      actionId: 'headline-status',
    });
    const view = await waitFor(() => h.fake.openViews(h.people.alice).find((v) => !before.has(v.view.id)));
    const response = await h.driver.submitView({
      userId: h.people.alice,
      viewId: view.view.id,
      values: { status: { 'status-select': 'investigating' } },
    });
    expect(response.body).toEqual({
      response_action: 'errors',
      errors: { status: 'The incident is already investigating.' },
    });
    expect(await timelineCount(incident.id)).toBeGreaterThan(0);
    expect((await row(incident.number)).status).toBe('investigating');
  });
});

describe('App Home', () => {
  it('puts an unacknowledged page to the viewer on top, with Acknowledge, from one query', async () => {
    const incident = await declare('Home paging', 'SEV1');
    await waitFor(
      async () =>
        (
          await queryRows(h.databaseUrl, "SELECT 1 FROM pages WHERE incident_id = $1 AND status = 'sent'", [
            incident.id,
          ])
        ).length > 0,
      { what: 'the page to Bob' },
    );
    const open = async (user: string) => {
      const published = h.fake.calls('views.publish').length;
      await h.driver.event({ event: { type: 'app_home_opened', user, channel: 'D0000000', tab: 'home' } });
      await waitFor(() => h.fake.calls('views.publish').length > published);
      return JSON.stringify(h.fake.homeView(user)!.view.blocks);
    };
    const bobs = await open(h.people.bob);
    expect(bobs).toContain('Waiting for your acknowledgement');
    expect(bobs).toContain(`"action_id":"escalation-ack"`);
    expect(bobs).toContain(`"value":"${incident.id}"`);
    expect(bobs).toContain('Home paging');
    // Alice was not paged: the same incident is listed, without the waiting section.
    const alices = await open(h.people.alice);
    expect(alices).toContain('Home paging');
    expect(alices).not.toContain('Waiting for your acknowledgement');
    // Once resolved, nothing waits for Bob and the incident leaves the open list.
    await say(incident.channel_id, 'resolve');
    const after = await open(h.people.bob);
    expect(after).not.toContain('Waiting for your acknowledgement');
    expect(after).not.toContain('Home paging');
  });
});
