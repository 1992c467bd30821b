import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertIncidents, createAlertIncidents } from '../../src/alerts/alert-incidents.js';
import { systemClock } from '../../src/clock.js';
import { createEscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createIncidentService } from '../../src/incidents/incident-service.js';
import { alertGroupDeclareJob } from '../../src/jobs/alert-group-declare.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { createOutbox } from '../../src/jobs/outbox.js';
import { createLogger } from '../../src/logger.js';
import { ActionId, CallbackId } from '../../src/slack/ids.js';
import { type Harness, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Incidents from alerts, driven through alert intake's real route: `alerts.declare` declares one
 * incident per group, which pages instead of the alert; the Declare incident button declares from
 * an alert page, prefilled, and links the two.
 */

const CHECKOUT_KEY = 'checkout-0123456789abcdef0123456789abcdef';
const PAYMENTS_KEY = 'payments-0123456789abcdef0123456789abcdef';
const RUNBOOK = 'https://wiki.example/runbooks/checkout';
const SOURCE = 'http://prometheus:9090/graph';

// Bob is on call. Only SEV1 pages by itself: an incident declared by `alerts.declare: SEV2` pages anyway.
const oncall = (alertsChannel: string) =>
  oncallFixture({
    levels: [['schedule:primary', '10m']],
    services: {
      checkout: { policy: 'default', alertKey: CHECKOUT_KEY, alerts: { declare: 'SEV2' } },
      payments: { policy: 'default', alertKey: PAYMENTS_KEY, alerts: { channel: alertsChannel } },
    },
    autoPage: ['SEV1'],
    admins: ['{alice}'],
    fastEscalation: true,
  });

let h: Harness;
/** The alerts channel of `payments`, where Carol (not paged) sees its alert messages. */
let alertsChannel: string;
/** A second "worker" on the same Postgres and Redis, racing the bot's own for the declare job. */
let racer: AlertIncidents;

beforeAll(async () => {
  const slack = await startSeededFake();
  alertsChannel = slack.fake.addChannel({ name: 'alerts-payments', members: [slack.people.carol] }).id;
  const yaml = oncall(alertsChannel);
  h = await startHarness({ slack, oncallYaml: yaml });
  const config = parseOncallConfig(
    yaml.replaceAll('{bob}', h.people.bob).replaceAll('{alice}', h.people.alice),
  );
  const logger = createLogger({ level: 'silent' });
  const base = { pool: h.bot.pool, clock: systemClock, logger };
  const outbox = createOutbox({ ...base, enqueuer: h.bot.queues, jobNamed: (n) => jobCatalogue.get(n) });
  const escalation = createEscalationService({ ...base, oncall: config, outbox });
  const incidents = createIncidentService({ ...base, outbox, paging: escalation, services: config.services });
  racer = createAlertIncidents({
    ...base,
    outbox,
    incidents,
    declareSeverity: (service) => config.services[service]?.alerts.declare,
    paging: null,
  });
});
afterAll(async () => {
  await h?.stop();
  await h?.fake.stop();
});

/** Alertmanager posts a group of one alert (firing or resolved) to the service's route. */
async function alertmanager(
  key: string,
  alert: { fingerprint: string; service: string; summary: string; severity: string },
  status = 'firing',
): Promise<void> {
  const body = {
    version: '4',
    groupKey: `{}/{service="${alert.service}"}:{alertname="${alert.fingerprint}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'incident-bot',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status,
        labels: { alertname: 'ErrorRate', service: alert.service, severity: alert.severity },
        annotations: { summary: alert.summary, runbook_url: RUNBOOK },
        startsAt: '2026-12-02T14:00:00Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-02T14:05:00Z',
        generatorURL: SOURCE,
        fingerprint: alert.fingerprint,
      },
    ],
  };
  const response = await fetch(`${h.bot.url}/alerts/alertmanager/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  queryRows<T>(h.databaseUrl, sql, params);
const groupOf = async (service: string) =>
  waitFor(
    async () =>
      (
        await rows<{ id: number; incident_id: number | null }>(
          'SELECT id, incident_id FROM alert_groups WHERE service = $1',
          [service],
        )
      )[0],
    { what: `the ${service} alert group` },
  );
const say = async (channelId: string, text: string) =>
  ((await h.driver.slashCommand({ userId: h.people.alice, channelId, text })).body as { text: string }).text;
const dms = (userId: string) => h.fake.messages(h.fake.dmChannelId(userId) ?? 'none');
/** Incident page DMs (the engine's "You are paged for incident #N"). */
const incidentPages = (userId: string) => dms(userId).filter((m) => /paged for incident #\d+/.test(m.text));
const setUp = (number: number) =>
  waitFor(
    async () => {
      const r = await incidentRow<{ channel_id: string; headline_ts: string | null }>(h.databaseUrl, number);
      return r?.headline_ts ? (r as { channel_id: string; headline_ts: string }) : null;
    },
    { what: `incident #${number}'s headline card` },
  );

describe('an alert group on a service with alerts.declare', () => {
  it('declares exactly one incident, however often the job runs, which pages Bob once instead of the alert', async () => {
    const alert = {
      fingerprint: 'c0ffee01',
      service: 'checkout',
      summary: 'High error rate on checkout',
      severity: 'warning',
    };
    await alertmanager(CHECKOUT_KEY, alert);
    const group = await groupOf('checkout');
    // The bot's worker runs the job intake wrote; it runs twice more here at once (a retry, a second worker).
    const run = { mayRepeat: true, finalAttempt: false, key: `alert-declare-${group.id}` };
    const deps = { alertIncidents: racer } as unknown as JobDeps;
    await Promise.all([
      alertGroupDeclareJob.handle(deps, { groupId: group.id }, run),
      alertGroupDeclareJob.handle(deps, { groupId: group.id }, run),
    ]);
    const incidentId = await waitFor(async () => (await groupOf('checkout')).incident_id);
    await waitFor(
      async () =>
        (await rows("SELECT 1 FROM outbox WHERE job = 'alert-group.declare' AND done_at IS NULL")).length ===
        0,
      { what: "the bot's worker to finish the declare job" },
    );
    const incidents = await rows<{ id: number; number: number }>(
      "SELECT * FROM incidents WHERE service = 'checkout'",
    );
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({
      id: incidentId,
      severity: 'SEV2',
      title: 'High error rate on checkout',
      reporter_id: 'Alertmanager',
      commander_id: null,
      runbook_url: RUNBOOK,
    });

    // The incident pages (SEV2 is not in auto_page): Bob, once; the alert itself pages nobody.
    await waitFor(() => incidentPages(h.people.bob).length > 0, { what: "Bob's page" });
    expect(incidentPages(h.people.bob)[0]!.text).toContain(`incident #${incident!.number}`);
    expect(await rows('SELECT 1 FROM escalations WHERE alert_group_id = $1', [group.id])).toEqual([]);
    expect(await rows('SELECT 1 FROM pages WHERE alert_group_id = $1', [group.id])).toEqual([]);

    // The card: the alert, its runbook link first.
    const where = await setUp(incident!.number);
    const card = JSON.stringify(h.fake.getMessage(where.channel_id, where.headline_ts)!.blocks);
    expect(card).toContain('High error rate on checkout');
    expect(card).toContain('*Reporter*\\nAlertmanager');
    const runbookAt = card.indexOf(`<${RUNBOOK}|Runbook>`);
    expect(runbookAt).toBeGreaterThan(-1);
    expect(card.indexOf(`<${SOURCE}|Source>`)).toBeGreaterThan(runbookAt);

    // Alertmanager repeats it, then resolves it: both on the timeline, nobody paged again.
    await alertmanager(CHECKOUT_KEY, alert);
    await alertmanager(CHECKOUT_KEY, alert, 'resolved');
    const timeline = await waitFor(
      async () => {
        const text = await say(where.channel_id, 'timeline');
        return text.includes('Alert resolved') ? text : null;
      },
      { what: 'the resolve on the timeline' },
    );
    expect(timeline).toContain('Alert fired by Alertmanager: High error rate on checkout (checkout)');
    expect(timeline).toContain(
      'Alert fired again by Alertmanager: High error rate on checkout (2 times so far)',
    );
    expect(timeline).toContain('Alert resolved by Alertmanager: High error rate on checkout');
    expect(timeline).toContain('Declared by Alertmanager as SEV2');
    expect(timeline.match(/Alert fired by/g)).toHaveLength(1);
    expect(incidentPages(h.people.bob)).toHaveLength(1);

    // The postmortem lists the alert.
    expect(await say(where.channel_id, 'close --resolution "Rolled back"')).toContain('closed');
    const [draft] = await waitFor(
      async () => {
        const drafts = await rows<{ markdown: string }>(
          'SELECT markdown FROM postmortems WHERE incident_id = $1',
          [incidentId],
        );
        return drafts.length > 0 ? drafts : null;
      },
      { what: 'the postmortem draft' },
    );
    expect(draft!.markdown).toContain('## Alerts');
    expect(draft!.markdown).toMatch(
      /\| High error rate on checkout \| checkout \| SEV3 \| [\d-]+ [\d:]+ \| [\d-]+ [\d:]+ \| 2 \| Runbook: https:\/\/wiki\.example\/runbooks\/checkout, Source: http:\/\/prometheus:9090\/graph \|/,
    );
    expect(draft!.markdown).toContain('**Reporter:** Alertmanager');
  });
});

describe('alerts held by maintenance on a service with alerts.declare', () => {
  it('declare nothing while held, and open the incident (not an alert page) when the window ends', async () => {
    await say(h.generalId, 'maintenance checkout 1h Database upgrade');
    await alertmanager(CHECKOUT_KEY, {
      fingerprint: 'c0ffee02',
      service: 'checkout',
      summary: 'Replica lag during the upgrade',
      severity: 'error',
    });
    const [held] = await waitFor(
      async () => {
        const found = await rows<{ id: number; held: boolean; incident_id: number | null }>(
          "SELECT id, held, incident_id FROM alert_groups WHERE title = 'Replica lag during the upgrade'",
        );
        return found.length > 0 ? found : null;
      },
      { what: 'the held group' },
    );
    expect(held).toMatchObject({ held: true, incident_id: null });
    expect(await say(h.generalId, 'maintenance checkout off')).not.toContain(':no_entry:');
    const incidentId = await waitFor(
      async () =>
        (
          await rows<{ incident_id: number | null }>('SELECT incident_id FROM alert_groups WHERE id = $1', [
            held!.id,
          ])
        )[0]?.incident_id,
      { what: 'the incident opened at the end of the window' },
    );
    const [incident] = await rows<{ number: number; severity: string }>(
      'SELECT * FROM incidents WHERE id = $1',
      [incidentId],
    );
    expect(incident!.severity).toBe('SEV2');
    await waitFor(
      () => incidentPages(h.people.bob).some((m) => m.text.includes(`incident #${incident!.number}`)),
      {
        what: "the incident's page to Bob",
      },
    );
    expect(await rows('SELECT 1 FROM escalations WHERE alert_group_id = $1', [held!.id])).toEqual([]);
  });
});

describe('the Declare incident button on an alert page', () => {
  it('opens the declare modal prefilled, links the incident to the group, stops the alert page, and answers a second Declare with the incident', async () => {
    const { bob, carol } = h.people;
    await alertmanager(PAYMENTS_KEY, {
      fingerprint: 'feed0001',
      service: 'payments',
      summary: 'Card processor timeouts',
      severity: 'critical',
    });
    const group = await groupOf('payments');
    const alertPage = await waitFor(
      () => dms(bob).find((m) => JSON.stringify(m.blocks).includes(`"action_id":"${ActionId.alertDeclare}"`)),
      { what: "Bob's alert page" },
    );
    const inChannel = await waitFor(
      () =>
        h.fake.messages(alertsChannel).find((m) => JSON.stringify(m.blocks).includes(ActionId.alertDeclare)),
      { what: "the group's message in the alerts channel" },
    );
    const openDeclare = async (userId: string, channelId: string, ts: string) => {
      const before = h.fake.openViews(userId).length;
      const clicked = await h.driver.clickButton({
        userId,
        channelId,
        messageTs: ts,
        actionId: ActionId.alertDeclare,
      });
      expect(clicked.status).toBe(200);
      return waitFor(() => h.fake.openViews(userId)[before], { what: `${userId}'s declare modal` });
    };

    // Bob (paged) and Carol (in the alerts channel) both open it; the form is prefilled from the group.
    const bobs = await openDeclare(bob, h.fake.dmChannelId(bob)!, alertPage.ts);
    const carols = await openDeclare(carol, alertsChannel, inChannel.ts);
    expect(bobs.view.callback_id).toBe(CallbackId.declareModal);
    const form = JSON.stringify(bobs.view.blocks);
    expect(form).toContain('"initial_value":"Card processor timeouts"');
    expect(form).toContain('"initial_value":"payments"');
    expect(form).toContain('"initial_option":{"text":{"type":"plain_text","text":"SEV1 · Critical"}');
    expect(JSON.parse(bobs.view.private_metadata!)).toEqual({
      originChannelId: null,
      alertGroupId: group.id,
    });

    const submitted = await h.driver.submitView({ userId: bob, viewId: bobs.view.id!, values: {} });
    expect(submitted.outcome).toBe('closed');
    const incidentId = await waitFor(async () => (await groupOf('payments')).incident_id, {
      what: 'the group linked',
    });
    const [incident] = await rows<{ number: number }>('SELECT * FROM incidents WHERE id = $1', [incidentId]);
    expect(incident).toMatchObject({
      title: 'Card processor timeouts',
      severity: 'SEV1',
      service: 'payments',
      reporter_id: bob,
      commander_id: bob,
      runbook_url: RUNBOOK,
    });
    // The alert's page stops (Bob declared it: acknowledged); the incident pages by its own rules (SEV1).
    const [escalation] = await rows<{ state: string; acknowledged_by: string }>(
      'SELECT state, acknowledged_by FROM escalations WHERE alert_group_id = $1',
      [group.id],
    );
    expect(escalation).toEqual({ state: 'acknowledged', acknowledged_by: bob });
    await waitFor(() => incidentPages(bob).some((m) => m.text.includes(`incident #${incident!.number}`)), {
      what: "the incident's page to Bob",
    });
    const timeline = await waitFor(
      async () => {
        const where = await setUp(incident!.number);
        return say(where.channel_id, 'timeline');
      },
      { what: 'the timeline' },
    );
    expect(timeline).toContain(
      `Alert linked by <@${bob}>: Card processor timeouts (payments, from Alertmanager)`,
    );
    expect(timeline).toContain('Alert fired by Alertmanager: Card processor timeouts (payments)');

    // Carol's modal, opened before: submitting it declares nothing and shows the incident.
    const late = await h.driver.submitView({ userId: carol, viewId: carols.view.id!, values: {} });
    expect(late.outcome).toBe('updated');
    expect(JSON.stringify(h.fake.getView(carols.view.id!)!.view.blocks)).toContain(
      `This alert already has an incident. Already declared: incident #${incident!.number}`,
    );
    // A second press (on a message not refreshed yet: refreshed ones drop the button) answers with the incident.
    const stale = h.fake.postAsUser({
      userId: carol,
      channelId: alertsChannel,
      text: 'an alert message before its refresh',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ActionId.alertDeclare,
              text: { type: 'plain_text', text: 'Declare incident' },
              value: String(group.id),
            },
          ],
        },
      ],
    });
    const again = await h.driver.clickButton({
      userId: carol,
      channelId: alertsChannel,
      messageTs: stale.ts,
      actionId: ActionId.alertDeclare,
    });
    const answer = await waitFor(() => h.fake.responses(again.responseUrl)[0], { what: 'the answer' });
    expect((answer.body as { text: string }).text).toContain(
      `Already declared: incident #${incident!.number}`,
    );
    expect(h.fake.openViews(carol).filter((v) => v.status === 'open')).toHaveLength(1);
    expect(await rows("SELECT 1 FROM incidents WHERE service = 'payments'")).toHaveLength(1);
  });

  it('answers a forged Declare submission from someone who may not act on the group as if it did not exist', async () => {
    const mallory = h.fake.addUser({ name: 'mallory' }).id;
    await alertmanager(PAYMENTS_KEY, {
      fingerprint: 'feed0002',
      service: 'payments',
      summary: 'Refunds failing',
      severity: 'error',
    });
    const group = await waitFor(
      async () =>
        (await rows<{ id: number }>("SELECT id FROM alert_groups WHERE title = 'Refunds failing'"))[0],
      { what: 'the second payments group' },
    );
    const values = {
      title: { 'title-input': { type: 'plain_text_input', value: 'Mallory takes over' } },
      severity: { 'severity-select': { type: 'static_select', selected_option: { value: 'SEV4' } } },
      commander: { 'commander-select': { type: 'users_select', selected_user: mallory } },
    };
    const payload = {
      type: 'view_submission',
      team: { id: h.fake.config.teamId, domain: h.fake.config.teamDomain },
      user: { id: mallory, username: 'mallory', name: 'mallory', team_id: h.fake.config.teamId },
      api_app_id: h.fake.config.appId,
      token: 'sandbox-verification-token',
      trigger_id: h.fake.issueTriggerId(mallory),
      view: {
        id: 'VFORGEDALERTDECLARE',
        team_id: h.fake.config.teamId,
        type: 'modal',
        callback_id: CallbackId.declareModal,
        private_metadata: JSON.stringify({ originChannelId: null, alertGroupId: group.id }),
        title: { type: 'plain_text', text: 'Forged' },
        blocks: [],
        state: { values },
        hash: '1.forged',
      },
      response_urls: [],
    };
    const response = await h.driver.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    );
    expect(response.body).toEqual({
      response_action: 'errors',
      errors: { title: 'That alert no longer exists.' },
    });
    expect(await rows("SELECT 1 FROM incidents WHERE title = 'Mallory takes over'")).toEqual([]);
    expect(await rows('SELECT incident_id FROM alert_groups WHERE id = $1', [group.id])).toEqual([
      { incident_id: null },
    ]);
  });
});
