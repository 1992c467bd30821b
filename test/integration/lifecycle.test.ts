import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, slackClock, startHarness } from '../helpers/bot-harness.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { INCIDENT_UPDATE_REMINDERS: 'SEV1=30m,SEV2=1500ms,SEV3=4h,SEV4=off' } });
});
afterEach(() => {
  slackClock.offsetMs = 0;
});

afterAll(async () => {
  await h?.stop();
});

type Row = Record<string, unknown> & {
  id: number;
  channel_id: string;
  headline_ts: string;
  announce_ts: string;
};
const row = async (number: number) => (await incidentRow<Row>(h.databaseUrl, number))!;

/** Declares (as Alice, commander) and waits for the channel; returns the incident number and its row. */
async function declare(title: string, severity = 'SEV3'): Promise<{ number: number; incident: Row }> {
  const response = await h.driver.slashCommand({
    userId: h.people.alice,
    channelId: h.generalId,
    text: `create --severity ${severity} --title "${title}"`,
  });
  const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
  await waitFor(async () => (await row(number)).setup_completed_at);
  return { number, incident: await row(number) };
}

const say = async (channelId: string, text: string, userId = h.people.alice) => {
  const response = await h.driver.slashCommand({ userId, channelId, text });
  expect(response.status).toBe(200);
  return (response.body as { text: string }).text;
};
const kinds = async (id: number) =>
  (
    await queryRows<{ kind: string }>(
      h.databaseUrl,
      'SELECT kind FROM timeline_events WHERE incident_id = $1 AND removed_at IS NULL ORDER BY id',
      [id],
    )
  ).map((e) => e.kind);
const headline = (incident: Row) => h.fake.getMessage(incident.channel_id, incident.headline_ts)!;

describe('running an incident from its channel', () => {
  it('changes status, severity and roles; the headline is edited in place, never re-posted', async () => {
    const { number, incident } = await declare('Checkout latency');
    const before = h.fake.messages(incident.channel_id).length;
    expect(await say(incident.channel_id, 'status identified')).toContain('now *identified*');
    expect(await say(incident.channel_id, 'severity SEV1')).toContain('now *SEV1*');
    expect(await say(incident.channel_id, `role comms <@${h.people.bob}|bob>`)).toContain(
      `<@${h.people.bob}> is now comms`,
    );
    await waitFor(
      () =>
        headline(incident).text === `Incident #${number} (SEV1, identified): Checkout latency` &&
        JSON.stringify(headline(incident).blocks).includes(`*Comms*\\n<@${h.people.bob}>`),
      { what: 'the headline to show the changes' },
    );
    expect(
      h.fake.messages(incident.channel_id).filter((m) => m.text.startsWith(`Incident #${number} `)),
    ).toHaveLength(1);
    expect(h.fake.calls('chat.update').some((c) => c.args.ts === incident.headline_ts)).toBe(true);
    await waitFor(
      () =>
        h.fake.getChannel(incident.channel_id)!.topic?.value ===
        `SEV1 · Identified · Commander: <@${h.people.alice}>`,
    );
    // The announcement mirrors it, edited in place too.
    await waitFor(
      () =>
        h.fake.getMessage(h.announceId, incident.announce_ts)!.blocks?.length &&
        JSON.stringify(h.fake.getMessage(h.announceId, incident.announce_ts)!.blocks).includes('SEV1'),
    );
    expect(h.fake.messages(incident.channel_id).length).toBe(before);
    expect(await kinds(incident.id)).toEqual(
      expect.arrayContaining([
        'incident.status_changed',
        'incident.severity_changed',
        'incident.role_assigned',
      ]),
    );
  });

  it('posts updates in the channel and under the announcement, and shows the latest on the card', async () => {
    const { incident } = await declare('Search errors');
    await say(incident.channel_id, 'update Rolled back search-api to v41; error rate falling');
    await waitFor(() =>
      h.fake.messages(incident.channel_id).find((m) => m.text.includes('Rolled back search-api to v41')),
    );
    await waitFor(() =>
      h.fake
        .replies(h.announceId, incident.announce_ts)
        .find((m) => m.text.includes('Rolled back search-api')),
    );
    await waitFor(() => JSON.stringify(headline(incident).blocks).includes('*Latest update*'));
  });

  it('keeps notes and follow-ups on the timeline, and lists it in pages', async () => {
    const { number, incident } = await declare('Queue backlog');
    await say(incident.channel_id, 'note Consumer lag started at 14:02 after the deploy');
    const answer = await say(
      incident.channel_id,
      `followup Alert on consumer lag <@${h.people.bob}|bob> due 2026-12-01`,
    );
    expect(answer).toContain('Alert on consumer lag');
    const [followup] = await queryRows(
      h.databaseUrl,
      "SELECT text, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due FROM followups WHERE incident_id = $1",
      [incident.id],
    );
    expect(followup).toEqual({ text: 'Alert on consumer lag', owner_id: h.people.bob, due: '2026-12-01' });
    for (let i = 0; i < 30; i++) await say(incident.channel_id, `note step ${i}`);
    const first = await say(incident.channel_id, 'timeline');
    expect(first).toContain(`Timeline of incident #${number}`);
    expect(first).toContain('page 1 of 2');
    expect(first).toContain('Consumer lag started at 14:02');
    const second = await say(h.generalId, `timeline 2 #${number}`);
    expect(second).toContain('page 2 of 2');
    expect(second).toContain('step 29');
  });

  it('resolves and reopens', async () => {
    const { number, incident } = await declare('Login loop');
    expect(await say(incident.channel_id, 'status resolved')).toContain('now *resolved*');
    expect((await row(number)).resolved_at).not.toBeNull();
    expect(await say(incident.channel_id, 'reopen')).toContain('reopened');
    expect(await row(number)).toMatchObject({ status: 'investigating', resolved_at: null });
    const shown = await say(incident.channel_id, 'show');
    expect(shown).toBe(`Incident #${number} (SEV3, investigating): Login loop`);
  });

  it('refuses changes from people outside the incident, with the reason', async () => {
    const { number, incident } = await declare('Private-ish');
    const refused = await say(h.generalId, `status monitoring #${number}`, h.people.carol);
    expect(refused).toContain('Only the commander');
    expect(refused).toContain('Join the channel first');
    expect((await row(number)).status).toBe('investigating');
    // Once a member, Carol may.
    await h.driver.clickButton({
      userId: h.people.carol,
      channelId: h.announceId,
      messageTs: incident.announce_ts,
      actionId: 'incident-join',
    });
    await waitFor(() => h.fake.members(incident.channel_id).includes(h.people.carol));
    expect(await say(h.generalId, `status monitoring #${number}`, h.people.carol)).toContain(
      'now *monitoring*',
    );
  });

  it('answers a command outside an incident channel without a reference with what to do', async () => {
    expect(await say(h.generalId, 'status identified')).toContain('This is not an incident channel');
    expect(await say(h.generalId, 'update Things')).toContain('This is not an incident channel');
  });
});

describe('the headline card’s buttons', () => {
  it('open small modals whose submissions change the incident', async () => {
    const { number, incident } = await declare('Buttons');
    const { alice, bob } = h.people;
    const click = async (actionId: string) => {
      const before = new Set(h.fake.openViews(alice).map((v) => v.view.id));
      await h.driver.clickButton({
        userId: alice,
        channelId: incident.channel_id,
        messageTs: incident.headline_ts,
        actionId,
      });
      return waitFor(() => h.fake.openViews(alice).find((v) => !before.has(v.view.id)));
    };
    let view = await click('headline-status');
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { status: { 'status-select': 'monitoring' } },
    });
    await waitFor(async () => (await row(number)).status === 'monitoring');

    view = await click('headline-severity');
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { severity: { 'severity-select-change': 'SEV2' } },
    });
    await waitFor(async () => (await row(number)).severity === 'SEV2');

    view = await click('headline-role');
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { role: { 'role-select': 'scribe' }, person: { 'role-user': bob } },
    });
    await waitFor(async () => (await row(number)).scribe_id === bob);

    view = await click('headline-update');
    const empty = await h.driver
      .submitView({ userId: alice, viewId: view.view.id, values: { update: { 'update-text': '   ' } } })
      .catch((e) => e);
    expect(String(empty.message ?? JSON.stringify(empty.body))).toMatch(/required|Write what changed/);
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { update: { 'update-text': 'Mitigated with a cache flush' } },
    });
    await waitFor(() =>
      h.fake.messages(incident.channel_id).find((m) => m.text.includes('Mitigated with a cache flush')),
    );

    await waitFor(() => JSON.stringify(headline(incident).blocks).includes('headline-resolve'));
    await h.driver.clickButton({
      userId: alice,
      channelId: incident.channel_id,
      messageTs: incident.headline_ts,
      actionId: 'headline-resolve',
    });
    await waitFor(async () => (await row(number)).status === 'resolved');
    await waitFor(() => JSON.stringify(headline(incident).blocks).includes('headline-reopen'));

    // The resolved card offers closing: its form drafts the postmortem.
    view = await click('headline-close');
    expect(view.view.callback_id).toBe('incident-close');
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { resolution: { resolution: 'Flushed the cache' } },
    });
    await waitFor(async () => (await row(number)).status === 'closed', { timeoutMs: 15_000 });
    await waitFor(() => !JSON.stringify(headline(incident).blocks).includes('headline-close'));
  });
});

describe('timeline capture', () => {
  it('puts a pinned message on the timeline at its own time, once, and takes it off when un-pinned', async () => {
    // The incident (and its channel) began more than ten minutes ago; the message is ten minutes old.
    slackClock.offsetMs = -12 * 60_000;
    const { number, incident } = await declare('Pinned evidence');
    slackClock.offsetMs = -10 * 60_000;
    const message = h.fake.postAsUser({
      userId: h.people.alice,
      channelId: incident.channel_id,
      text: 'DB CPU hit 100% at 14:02',
    });
    slackClock.offsetMs = 0;
    const pinEvent = {
      type: 'pin_added',
      user: h.people.bob,
      channel_id: incident.channel_id,
      item: { type: 'message', channel: incident.channel_id, created_by: h.people.bob, message },
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    };
    const first = await h.driver.event({ event: pinEvent });
    // Slack retries the same delivery, and someone also adds a :pushpin:.
    await h.driver.event({
      event: pinEvent,
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    await h.driver.react({
      userId: h.people.carol,
      channelId: incident.channel_id,
      ts: message.ts,
      name: 'pushpin',
      added: true,
    });
    const captured = await waitFor(async () => {
      const rows = await queryRows<{ occurred_at: Date; details: { text: string } }>(
        h.databaseUrl,
        "SELECT occurred_at, details FROM timeline_events WHERE incident_id = $1 AND kind = 'timeline.message_added' AND removed_at IS NULL",
        [incident.id],
      );
      return rows.length ? rows : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      await queryRows(
        h.databaseUrl,
        "SELECT id FROM timeline_events WHERE incident_id = $1 AND kind = 'timeline.message_added'",
        [incident.id],
      ),
    ).toHaveLength(1);
    expect(captured[0]!.details.text).toBe('DB CPU hit 100% at 14:02');
    expect(Math.abs(captured[0]!.occurred_at.getTime() - Number(message.ts) * 1000)).toBeLessThan(1000);
    expect(Date.now() - captured[0]!.occurred_at.getTime()).toBeGreaterThan(9 * 60_000);
    expect(await say(incident.channel_id, 'timeline')).toContain('DB CPU hit 100% at 14:02');

    await h.driver.event({ event: { ...pinEvent, type: 'pin_removed' } });
    await waitFor(async () => !(await say(incident.channel_id, 'timeline')).includes('DB CPU hit 100%'));
    expect(number).toBeGreaterThan(0);
  });

  it('adds a message with the “Add to timeline” shortcut', async () => {
    const { incident } = await declare('Shortcut');
    const message = h.fake.postAsUser({
      userId: h.people.alice,
      channelId: incident.channel_id,
      text: 'Saw 502s from the LB',
    });
    // Alice runs the incident; someone outside its channel may not add to its timeline (outsider.test.ts).
    const response = await h.driver.messageShortcut({
      userId: h.people.alice,
      channelId: incident.channel_id,
      ts: message.ts,
      callbackId: 'timeline-add',
    });
    expect(response.status).toBe(200);
    const answer = await waitFor(() => h.fake.responses(response.responseUrl).at(-1));
    expect(JSON.stringify(answer)).toContain('Added to the timeline');
    expect(await say(incident.channel_id, 'timeline')).toContain('Saw 502s from the LB');
  });
});

describe('update reminders', () => {
  it('nudge the commander when no update was posted for the severity’s cadence; snooze moves it', async () => {
    const { incident } = await declare('Quiet incident', 'SEV2');
    const nudge = await waitFor(
      () => h.fake.messages(incident.channel_id).find((m) => m.text.includes('has had no status update')),
      {
        timeoutMs: 10_000,
        what: 'the update reminder',
      },
    );
    expect(nudge.text).toContain(`<@${h.people.alice}>`);
    await h.driver.clickButton({
      userId: h.people.alice,
      channelId: incident.channel_id,
      messageTs: nudge.ts,
      actionId: 'reminder-snooze',
      value: `${incident.id}-60`,
    });
    const snoozed = await waitFor(async () => {
      const r = await row(incident.id ? (incident.number as number) : 0);
      return (r.reminder_due_at as Date).getTime() > Date.now() + 50 * 60_000 ? r : null;
    });
    expect((snoozed.reminder_due_at as Date).getTime()).toBeLessThan(Date.now() + 61 * 60_000);
    expect(await kinds(incident.id)).toEqual(expect.arrayContaining(['reminder.sent', 'reminder.snoozed']));
  });
});

describe('App Home', () => {
  it('lists open incidents, the viewer’s first, and who is on call', async () => {
    await declare('Home listed');
    await h.driver.event({
      event: { type: 'app_home_opened', user: h.people.alice, channel: 'D0000000', tab: 'home' },
    });
    const home = await waitFor(() => h.fake.homeView(h.people.alice));
    const text = JSON.stringify(home.view.blocks);
    expect(text).toContain('Open incidents');
    expect(text).toContain('Home listed');
    expect(text).toContain('On call now');
  });
});
