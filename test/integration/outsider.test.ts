import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../src/slack/commands/command-specs.js';
import type { CommandName } from '../../src/slack/commands/parse-command.js';
import { ActionId } from '../../src/slack/ids.js';
import { insertAlertGroup, startAlertGroup } from '../helpers/alert-fixture.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import {
  ALERT_BUTTONS,
  BUTTONS,
  COVER_BUTTONS,
  checkButtonsAndModalsCovered,
  checkSamplesCoverCommands,
  click,
  commandLine,
  MODALS,
  postButtons,
  seenBy,
  submitForged,
  TEST_BUTTONS,
} from '../helpers/outsider.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The outsider suite: a workspace member with no role in an incident, not paged for it and not in
 * its channel, runs every command, clicks every button and submits every form against a private and
 * a public incident. Strangers to the private one are answered exactly as if it did not exist;
 * nothing either incident holds changes; nobody is let into the private channel.
 */

// Bob is on call and paged for both SEV1s; Carol is an admin.
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '1h']],
  autoPage: ['SEV1'],
  admins: ['{carol}'],
  services: { checkout: { policy: 'default' } },
});
const SECRET = 'Secret merger outage';
const MISSING = 99_999;

let h: Harness;
let oscar: string;
const answers: string[] = [];
interface Incident {
  id: number;
  number: number;
  channel_id: string;
  channel_name: string;
  version: number;
  status: string;
}
let priv: Incident;
let pub: Incident;

const incidentRow = async (number: number) =>
  (
    await queryRows<Incident>(
      h.databaseUrl,
      `SELECT i.id, i.number, i.channel_id, i.channel_name, i.version, i.status FROM incidents i
       JOIN slack_incident_presence p ON p.incident_id = i.id
       WHERE i.number = $1 AND p.setup_completed_at IS NOT NULL`,
      [number],
    )
  )[0];

/** What the state of an incident looks like to a test: a change anywhere shows here. */
const footprint = async (id: number) =>
  queryRows(
    h.databaseUrl,
    `SELECT (SELECT row_to_json(i) FROM incidents i WHERE i.id = $1) AS incident,
       (SELECT count(*)::int FROM timeline_events WHERE incident_id = $1) AS events,
       (SELECT count(*)::int FROM followups WHERE incident_id = $1) AS followups,
       (SELECT json_agg(json_build_object('state', state, 'epoch', epoch)) FROM escalations WHERE incident_id = $1) AS escalation,
       (SELECT count(*)::int FROM pages WHERE incident_id = $1) AS pages`,
    [id],
  );

async function declare(userId: string, flags: string): Promise<Incident> {
  const response = await h.driver.slashCommand({ userId, channelId: h.generalId, text: `create ${flags}` });
  const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
  const incident = await waitFor(() => incidentRow(number), { what: `incident #${number} set up` });
  // Bob's page has gone out: he is "a person paged for it".
  await waitFor(
    async () =>
      (
        await queryRows(h.databaseUrl, "SELECT 1 FROM pages WHERE incident_id = $1 AND status = 'sent'", [
          incident.id,
        ])
      ).length > 0,
    { what: `the page for #${number}` },
  );
  return incident;
}

/** Runs a command as `userId` and returns the answer (at once, or later on the response URL). */
async function run(userId: string, channelId: string, text: string): Promise<string> {
  const response = await h.driver.slashCommand({ userId, channelId, text });
  expect(response.status).toBe(200);
  const body = response.body as { text?: string } | '';
  const now = body === '' ? undefined : body.text;
  const answer =
    now && !now.includes('Working on it')
      ? now
      : (
          (
            await waitFor(() => h.fake.responses(response.responseUrl).at(-1), {
              what: `an answer to ${text}`,
            })
          ).body as { text: string }
        ).text;
  if (userId === oscar) answers.push(answer);
  return answer;
}

const names = (access: string[]) =>
  COMMAND_SPECS.filter((s) => s.scope === 'incident' && access.includes(s.access)).map(
    (s) => s.name as CommandName,
  );
const INCIDENT_COMMANDS = names(['viewer', 'changer', 'pager', 'escalator', 'admin', 'anyone']);
const WRITERS = names(['changer', 'pager', 'escalator', 'admin']);
const GLOBAL_COMMANDS = COMMAND_SPECS.filter((s) => s.scope === 'global').map((s) => s.name as CommandName);

beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
  oscar = h.fake.addUser({ name: 'oscar', realName: 'Oscar Outsider', email: 'oscar@acme.test' }).id;
  priv = await declare(h.people.alice, `--severity SEV1 --private --title "${SECRET}"`);
  pub = await declare(h.people.alice, '--severity SEV1 --title "Public checkout outage"');
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('the outsider suite', () => {
  it('covers every declared command, button and form', () => {
    checkSamplesCoverCommands();
    checkButtonsAndModalsCovered();
  });

  it('runs every command, by reference and from the channels, and changes nothing', async () => {
    const before = [await footprint(priv.id), await footprint(pub.id)];
    for (const name of INCIDENT_COMMANDS) {
      // Private, by reference: word for word what a missing incident gets.
      const hidden = await run(oscar, h.generalId, commandLine(name, oscar, `#${priv.number}`));
      const missing = await run(oscar, h.generalId, commandLine(name, oscar, `#${MISSING}`));
      expect(hidden, name).toBe(missing.replaceAll(String(MISSING), String(priv.number)));
      expect(hidden, name).toBe(`There is no incident #${priv.number}.`);

      // Public, by reference and from its channel: visible, but only the people running it may write.
      for (const [channel, ref] of [
        [h.generalId, `#${pub.number}`],
        [pub.channel_id, null],
      ] as const) {
        const answer = await run(oscar, channel, commandLine(name, oscar, ref));
        if (WRITERS.includes(name)) {
          expect(answer, name).toMatch(/^:no_entry: Only the commander, the other role holders/);
          expect(answer, name).not.toContain(h.people.alice);
          expect(answer, name).not.toContain(pub.channel_id);
        } else {
          expect(answer, name).toContain('Public checkout outage');
        }
      }
    }
    expect(await footprint(priv.id)).toEqual(before[0]);
    expect(await footprint(pub.id)).toEqual(before[1]);
    // The show answer for the stranger is the one a missing incident gets: compare with `show #999`.
    expect(await run(oscar, h.generalId, `show #${priv.number}`)).toBe(
      (await run(oscar, h.generalId, 'show #999')).replace('999', String(priv.number)),
    );
  });

  it('runs every command that needs no incident without learning of the private one', async () => {
    for (const name of GLOBAL_COMMANDS) await run(oscar, h.generalId, commandLine(name, oscar, null));
    const list = await run(oscar, h.generalId, 'list');
    expect(list).toContain('Public checkout outage');
    expect(list).not.toContain(SECRET);
    // Alice reported it: she sees it listed.
    expect(await run(h.people.alice, h.generalId, 'list')).toContain(SECRET);
    // Stats count private incidents for admins only.
    const total = (text: string) => Number(/: (\d+)\*/.exec(text)![1]);
    const forOscar = total(await run(oscar, h.generalId, 'stats'));
    const forAdmin = total(await run(h.people.carol, h.generalId, 'stats'));
    expect(forAdmin - forOscar).toBe(1);
    // Nobody was paged for the outsider's asking, and the override changed nothing.
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM schedule_overrides')).toEqual([]);
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM maintenance_windows')).toEqual([]);
  });

  it('clicks every button with the private incident’s id: the answer a missing incident gets', async () => {
    const before = await footprint(priv.id);
    const forged = postButtons(h, oscar, priv.id);
    const missing = postButtons(h, oscar, MISSING);
    for (const actionId of Object.keys(BUTTONS)) {
      const hidden = await click(h, oscar, forged, actionId);
      answers.push(hidden);
      expect(hidden, actionId).toBe(await click(h, oscar, missing, actionId));
      expect(hidden, actionId).toMatch(/no longer exists|not open to join/);
    }
    expect(h.fake.openViews(oscar)).toEqual([]);
    expect(await footprint(priv.id)).toEqual(before);
    expect(h.fake.members(priv.channel_id)).not.toContain(oscar);
  });

  it('clicks every button of the public incident: refused, except Join', async () => {
    const before = await footprint(pub.id);
    const buttons = postButtons(h, oscar, pub.id);
    for (const actionId of Object.keys(BUTTONS).filter((a) => a !== ActionId.joinIncident)) {
      const answer = await click(h, oscar, buttons, actionId);
      answers.push(answer);
      expect(answer, actionId).toMatch(/^:no_entry: Only the/);
    }
    expect(h.fake.openViews(oscar)).toEqual([]);
    expect(await footprint(pub.id)).toEqual(before);
  });

  it('clicks the cover request buttons: refused alike whether the request exists or not', async () => {
    const some = postButtons(h, oscar, 1, COVER_BUTTONS);
    const missing = postButtons(h, oscar, MISSING, COVER_BUTTONS);
    for (const actionId of Object.keys(COVER_BUTTONS)) {
      const answer = await click(h, oscar, some, actionId);
      answers.push(answer);
      expect(answer, actionId).toBe(await click(h, oscar, missing, actionId));
      expect(answer, actionId).toMatch(/^:no_entry: Only the participants of a schedule and the admins/);
    }
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM schedule_overrides')).toEqual([]);
  });

  it('clicks Send test on Bob’s notification rules: refused as one naming nobody, nothing sent', async () => {
    const bobs = postButtons(h, oscar, h.people.bob, TEST_BUTTONS);
    const nobodys = postButtons(h, oscar, 'U0NOBODY00', TEST_BUTTONS);
    for (const actionId of Object.keys(TEST_BUTTONS)) {
      const answer = await click(h, oscar, bobs, actionId);
      answers.push(answer);
      expect(answer, actionId).toBe(await click(h, oscar, nobodys, actionId));
      expect(answer, actionId).toMatch(/^There is no such notification rule of yours to test\./);
    }
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM notification_tests')).toEqual([]);
  });

  it('submits every form naming either incident: refused, the private one as if missing', async () => {
    const before = [await footprint(priv.id), await footprint(pub.id)];
    for (const callbackId of Object.keys(MODALS)) {
      const hidden = JSON.stringify(await submitForged(h, oscar, callbackId, priv.id));
      expect(hidden, callbackId).toBe(JSON.stringify(await submitForged(h, oscar, callbackId, MISSING)));
      expect(hidden, callbackId).toContain('That incident no longer exists.');
      const refused = JSON.stringify(await submitForged(h, oscar, callbackId, pub.id));
      expect(refused, callbackId).toContain(':no_entry: Only the');
      answers.push(hidden, refused);
    }
    expect([await footprint(priv.id), await footprint(pub.id)]).toEqual(before);
  });

  it('cannot add a public incident’s messages to its timeline from outside its channel', async () => {
    const message = h.fake.postAsUser({
      userId: h.people.alice,
      channelId: pub.channel_id,
      text: 'Deploy 41 out',
    });
    const before = await footprint(pub.id);
    const response = await h.driver.messageShortcut({
      userId: oscar,
      channelId: pub.channel_id,
      ts: message.ts,
      callbackId: 'timeline-add',
    });
    const answer = await waitFor(() => h.fake.responses(response.responseUrl).at(-1));
    expect((answer.body as { text: string }).text).toMatch(/^:no_entry:/);
    expect(await footprint(pub.id)).toEqual(before);
  });

  it('shows the outsider an App Home without the private incident', async () => {
    for (const user of [oscar, h.people.alice]) {
      await h.driver.event({ event: { type: 'app_home_opened', user, channel: 'D0000000', tab: 'home' } });
    }
    const home = (user: string) => JSON.stringify(h.fake.homeView(user)?.view ?? '');
    await waitFor(
      () => home(oscar).includes('Public checkout outage') && home(h.people.alice).includes(SECRET),
    );
    expect(home(oscar)).not.toContain(SECRET);
  });

  it('joins the public channel, and even then may not silence its page', async () => {
    const buttons = postButtons(h, oscar, pub.id);
    expect(await click(h, oscar, buttons, ActionId.joinIncident)).toContain('You joined');
    expect(h.fake.members(pub.channel_id)).toContain(oscar);
    const before = await footprint(pub.id);
    const refused = await click(h, oscar, buttons, ActionId.acknowledgePage);
    expect(refused).toBe(
      ':no_entry: Only the people paged for this incident, its role holders and admins can acknowledge its pages.',
    );
    expect(await footprint(pub.id)).toEqual(before);
    // As a member of its channel, the outsider now helps run it.
    expect(await run(oscar, pub.channel_id, 'note Looking at the LB logs')).toContain('Noted');
  });

  it('lets an admin who was not paged acknowledge the private page, without entering its channel', async () => {
    const buttons = postButtons(h, h.people.carol, priv.id);
    const clicked = await h.driver.clickButton({
      userId: h.people.carol,
      channelId: h.generalId,
      messageTs: buttons,
      actionId: ActionId.acknowledgePage,
    });
    expect(clicked.status).toBe(200);
    await waitFor(() =>
      h.fake.messages(priv.channel_id).some((m) => m.text.includes(`<@${h.people.carol}> acknowledged`)),
    );
    expect(h.fake.members(priv.channel_id)).not.toContain(h.people.carol);
    expect(h.fake.calls('conversations.invite').some((c) => c.args.users === h.people.carol)).toBe(false);
  });

  it('lets the person paged for a private incident into its channel when they acknowledge', async () => {
    const other = await declare(h.people.alice, '--severity SEV1 --private --title "Second secret"');
    const dmId = h.fake.dmChannelId(h.people.bob)!;
    const dm = await waitFor(() => h.fake.messages(dmId).find((m) => m.text.includes(`#${other.number} `)));
    await h.driver.clickButton({
      userId: h.people.bob,
      channelId: dmId,
      messageTs: dm.ts,
      actionId: ActionId.acknowledgePage,
    });
    await waitFor(() => h.fake.members(other.channel_id).includes(h.people.bob), {
      what: 'Bob in the private channel',
    });
  });

  it('clicks every button of an alert page: answered as if the alert did not exist, nothing changes', async () => {
    const title = 'Ledger replication broken';
    const groupId = await insertAlertGroup(h.bot.pool, { service: 'ledger', title });
    await startAlertGroup(h.bot.pool, h.bot.alertPaging!, { id: groupId, service: 'ledger' });
    const paged = () =>
      queryRows(h.databaseUrl, "SELECT id FROM pages WHERE alert_group_id = $1 AND status = 'sent'", [
        groupId,
      ]);
    await waitFor(async () => (await paged()).length === 1, { what: "Bob's alert page" });
    const footprintOf = () =>
      queryRows(
        h.databaseUrl,
        `SELECT (SELECT row_to_json(g) FROM alert_groups g WHERE g.id = $1) AS grp,
           (SELECT json_agg(json_build_object('state', state, 'epoch', epoch)) FROM escalations WHERE alert_group_id = $1) AS escalation,
           (SELECT count(*)::int FROM pages WHERE alert_group_id = $1) AS pages`,
        [groupId],
      );
    const before = await footprintOf();
    const real = postButtons(h, oscar, groupId, ALERT_BUTTONS);
    const missing = postButtons(h, oscar, MISSING, ALERT_BUTTONS);
    for (const actionId of Object.keys(ALERT_BUTTONS)) {
      const hidden = await click(h, oscar, real, actionId);
      answers.push(hidden);
      expect(hidden, actionId).toBe('That alert no longer exists.');
      expect(await click(h, oscar, missing, actionId), actionId).toBe(hidden);
    }
    expect(h.fake.openViews(oscar)).toEqual([]);
    expect(await footprintOf()).toEqual(before);
    expect(seenBy(h, oscar, answers)).not.toContain(title);
  });

  it('never showed the outsider the private incident', () => {
    const seen = seenBy(h, oscar, answers);
    expect(seen).toContain('Public checkout outage');
    for (const secret of [SECRET, priv.channel_id, priv.channel_name]) expect(seen).not.toContain(secret);
    expect(h.fake.members(priv.channel_id)).not.toContain(oscar);
  });
});
