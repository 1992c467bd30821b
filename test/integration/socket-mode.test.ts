import { createSlackDriver, type SlackDriver } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SIGNING_SECRET, startHarness } from '../helpers/bot-harness.js';
import { queryRows, waitForEscalationState } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; a slow policy so nothing escalates during the test.
const ONCALL = oncallFixture({ levels: [['schedule:primary', '10m']], autoPage: ['SEV1', 'SEV2'] });

let h: Harness;
let socket: SlackDriver;
beforeAll(async () => {
  h = await startHarness({
    oncallYaml: ONCALL,
    env: { SLACK_APP_TOKEN: 'xapp-1-A0SANDBOX01-sandbox' },
  });
  // Slack's side of the link: the same people and clicks, delivered as Socket Mode envelopes.
  socket = createSlackDriver({
    fake: h.fake,
    appUrl: `${h.bot.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    socketMode: true,
  });
});
afterAll(async () => {
  await h?.stop();
});

interface IncidentRow {
  id: number;
  number: number;
  channel_id: string | null;
  severity: string;
}

/** The incident with this title once its channel exists (Postgres says, not the reply's wording). */
const incidentByTitle = (title: string) =>
  waitFor(
    async () => {
      const [row] = await queryRows<IncidentRow>(
        h.databaseUrl,
        'SELECT id, number, channel_id, severity FROM incidents WHERE title = $1',
        [title],
      );
      return row?.channel_id ? { ...row, channel_id: row.channel_id } : null;
    },
    { timeoutMs: 30_000, what: `incident "${title}" with its channel` },
  );

async function declareAndAcknowledge(title: string) {
  const { alice, bob } = h.people;
  const answer = await socket.slashCommand({
    userId: alice,
    channelId: h.generalId,
    text: `create --severity SEV2 --title "${title}"`,
  });
  // The ack's payload is the command's reply, as the Request URL's body would be.
  expect(JSON.stringify(answer.body)).toMatch(/incident|Declar|working/i);
  const incident = await incidentByTitle(title);
  expect(h.fake.getChannel(incident.channel_id)?.name).toMatch(new RegExp(`^inc-${incident.number}-`));
  const dm = await waitFor(
    () =>
      h.fake
        .messages(h.fake.dmChannelId(bob) ?? '')
        .find((m) => m.text.includes(`incident #${incident.number} `) && m.text.includes('You are paged')),
    { timeoutMs: 30_000, what: `bob's page for #${incident.number}` },
  );
  await socket.clickButton({
    userId: bob,
    channelId: h.fake.dmChannelId(bob)!,
    messageTs: dm.ts,
    actionId: 'escalation-ack',
  });
  await waitForEscalationState(h.databaseUrl, incident.id, 'acknowledged', {
    timeoutMs: 30_000,
    what: `#${incident.number} acknowledged`,
  });
}

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects through SLACK_API_URL and leaves /slack/events unserved while health routes stay', async () => {
    await waitFor(() => h.fake.socketMode.connectionCount === 1, { what: 'the bot to connect' });
    expect((await fetch(`${h.bot.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
  });

  it('declares with a command and acknowledges the page with a button, over the socket', async () => {
    await declareAndAcknowledge('Socket checkout errors');
  });

  it('declares through the modal, with field errors returned in the ack payload', async () => {
    const { alice, bob } = h.people;
    const before = new Set(h.fake.openViews(alice).map((v) => v.view.id));
    await socket.slashCommand({ userId: alice, channelId: h.generalId, text: 'create' });
    const view = await waitFor(() => h.fake.openViews(alice).find((v) => !before.has(v.view.id)), {
      what: 'the declare modal',
    });
    const values = {
      title: { 'title-input': 'Socket modal declare' },
      severity: { 'severity-select': 'SEV3' },
      summary: { 'summary-input': 'Declared over Socket Mode' },
      service: { 'service-input': 'search' },
      commander: { 'commander-select': bob },
      visibility: { 'private-toggle': [] as string[] },
    };
    const refused = await socket.submitView({
      userId: alice,
      viewId: view.view.id,
      values: { ...values, title: { 'title-input': '  ' } },
    });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: { title: 'Give the incident a title.' },
    });
    expect(refused.outcome).toBe('errors');
    const accepted = await socket.submitView({ userId: alice, viewId: view.view.id, values });
    expect(accepted.outcome).toBe('closed');
    expect((await incidentByTitle('Socket modal declare')).severity).toBe('SEV3');
  });

  it('reconnects after Slack disconnects it mid-session, and the next command and click work', async () => {
    const opened = h.fake.socketMode.connectionsOpened;
    h.fake.socketMode.disconnect('refresh_requested');
    await waitFor(
      () => h.fake.socketMode.connectionsOpened > opened && h.fake.socketMode.connectionCount === 1,
      {
        timeoutMs: 45_000,
        what: 'the bot to open a new Socket Mode connection',
      },
    );
    await declareAndAcknowledge('Socket after reconnect');
  }, 90_000);
});
