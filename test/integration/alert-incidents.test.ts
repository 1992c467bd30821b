import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertIncidents, createAlertIncidents } from '../../src/alerts/alert-incidents.js';
import { systemClock } from '../../src/clock.js';
import { withTransaction } from '../../src/db/pool.js';
import { createEscalationService } from '../../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createIncidentService } from '../../src/incidents/incident-service.js';
import { alertGroupDeclareJob } from '../../src/jobs/alert-group-declare.js';
import { jobCatalogue } from '../../src/jobs/catalogue.js';
import type { JobDeps } from '../../src/jobs/job.js';
import { createOutbox } from '../../src/jobs/outbox.js';
import { createLogger } from '../../src/logger.js';
import { insertAlertGroup, recordAlertEvent } from '../helpers/alert-rows.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call. Only SEV1 pages by itself: an incident declared from an alert pages anyway.
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '10m']],
  services: {
    checkout: { policy: 'default', alerts: { declare: 'SEV2' } },
  },
  autoPage: ['SEV1'],
  admins: ['{alice}'],
});
const RUNBOOK = 'https://wiki.example/runbooks/checkout-errors';
const SOURCE = 'https://prometheus.example/graph?g0.expr=errors';

let h: Harness;
/** A second "worker" on the same Postgres and Redis, racing the bot's own for the declare job. */
let racer: AlertIncidents;

beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
  const ids = ONCALL.replaceAll('{bob}', h.people.bob).replaceAll('{alice}', h.people.alice);
  const oncall = parseOncallConfig(ids);
  const logger = createLogger({ level: 'silent' });
  const base = { pool: h.bot.pool, clock: systemClock, logger };
  const outbox = createOutbox({ ...base, enqueuer: h.bot.queues, jobNamed: (n) => jobCatalogue.get(n) });
  const escalation = createEscalationService({ ...base, oncall, outbox });
  const incidents = createIncidentService({ ...base, outbox, paging: escalation, services: oncall.services });
  racer = createAlertIncidents({
    ...base,
    outbox,
    incidents,
    declareSeverity: (service) => oncall.services[service]?.alerts.declare,
    paging: null,
  });
});
afterAll(async () => {
  await h?.stop();
});

const incidentOfGroup = async (groupId: number) =>
  (
    await queryRows<{ incident_id: number | null }>(
      h.databaseUrl,
      'SELECT incident_id FROM alert_groups WHERE id = $1',
      [groupId],
    )
  )[0]?.incident_id ?? null;

const say = async (channelId: string, text: string) => {
  const response = await h.driver.slashCommand({ userId: h.people.alice, channelId, text });
  return (response.body as { text: string }).text;
};

const bobsPages = () =>
  h.fake.messages(h.fake.dmChannelId(h.people.bob) ?? 'none').filter((m) => m.text.includes('paged'));

describe('an alert group on a service with alerts.declare', () => {
  it('declares exactly one incident, however often the job runs, which pages Bob once and shows the alert', async () => {
    const { groupId, alertId } = await insertAlertGroup(h.databaseUrl, {
      service: 'checkout',
      title: 'High error rate on checkout',
      severity: 'SEV3',
      links: [
        { text: 'Source', href: SOURCE },
        { text: 'Runbook', href: RUNBOOK },
      ],
    });
    // Intake's transaction opens it; after commit the bot's worker runs the job…
    const after = await withTransaction(h.bot.pool, (tx) =>
      racer.openGroupIncident(tx, { id: groupId, service: 'checkout' }),
    );
    // …while the same job runs twice more here, concurrently: a retry and a second worker.
    const run = { mayRepeat: true, finalAttempt: false, key: `alert-declare-${groupId}` };
    const deps = { alertIncidents: racer } as unknown as JobDeps;
    await Promise.all([
      after?.(),
      alertGroupDeclareJob.handle(deps, { groupId }, run),
      alertGroupDeclareJob.handle(deps, { groupId }, run),
    ]);
    const incidentId = await waitFor(() => incidentOfGroup(groupId), { what: 'the group linked' });
    await waitFor(
      async () =>
        (
          await queryRows(
            h.databaseUrl,
            "SELECT 1 FROM outbox WHERE job = 'alert-group.declare' AND done_at IS NULL",
          )
        ).length === 0,
      { what: 'the bot worker to finish the declare job' },
    );
    const incidents = await queryRows<{
      id: number;
      number: number;
      severity: string;
      reporter_id: string;
      commander_id: string | null;
      runbook_url: string | null;
    }>(h.databaseUrl, 'SELECT * FROM incidents');
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({
      id: incidentId,
      severity: 'SEV2',
      reporter_id: 'Alertmanager',
      commander_id: null,
      runbook_url: RUNBOOK,
    });

    // The incident pages (SEV2 is not in auto_page): Bob, once.
    await waitFor(() => bobsPages().length > 0, { what: "Bob's page" });
    expect(bobsPages()[0]!.text).toContain(`incident #${incident!.number}`);
    const pages = await queryRows<{ incident_id: number | null }>(
      h.databaseUrl,
      'SELECT incident_id FROM pages',
    );
    expect(pages).toEqual([{ incident_id: incidentId }]);

    // The card: the alert, the runbook link first.
    const row = await waitFor(
      async () => {
        const r = await incidentRow<{ channel_id: string; headline_ts: string | null }>(
          h.databaseUrl,
          incident!.number,
        );
        return r?.headline_ts ? r : null;
      },
      { what: 'the headline card' },
    );
    const card = JSON.stringify(h.fake.getMessage(row.channel_id, row.headline_ts!)!.blocks);
    expect(card).toContain('High error rate on checkout');
    expect(card).toContain('*Reporter*\\nAlertmanager');
    const runbookAt = card.indexOf(`<${RUNBOOK}|Runbook>`);
    expect(runbookAt).toBeGreaterThan(-1);
    expect(card.indexOf(`<${SOURCE.replace('&', '&amp;')}|Source>`)).toBeGreaterThan(runbookAt);
    expect(bobsPages()).toHaveLength(1);

    // The alert's events follow on the timeline, as intake records them.
    await recordAlertEvent(h.databaseUrl, alertId, 'trigger', 'Alertmanager');
    await recordAlertEvent(h.databaseUrl, alertId, 'resolve', 'Alertmanager');
    await withTransaction(h.bot.pool, (tx) => racer.recordAlertActivity(tx, [groupId]));
    await withTransaction(h.bot.pool, (tx) => racer.recordAlertActivity(tx, [groupId]));
    const timeline = await say(row.channel_id, 'timeline');
    expect(timeline).toContain('Alert fired by Alertmanager: High error rate on checkout (checkout)');
    expect(timeline).toContain(
      'Alert fired again by Alertmanager: High error rate on checkout (2 times so far)',
    );
    expect(timeline).toContain('Alert resolved by Alertmanager: High error rate on checkout');
    expect(timeline).toContain('Declared by Alertmanager as SEV2');
    expect(timeline.match(/Alert fired by/g)).toHaveLength(1);

    // The postmortem lists the alert.
    expect(await say(row.channel_id, 'close --resolution "Rolled back"')).toContain('closed');
    const [draft] = await waitFor(
      async () => {
        const drafts = await queryRows<{ markdown: string }>(
          h.databaseUrl,
          'SELECT markdown FROM postmortems WHERE incident_id = $1',
          [incidentId],
        );
        return drafts.length > 0 ? drafts : null;
      },
      { what: 'the postmortem draft' },
    );
    expect(draft!.markdown).toContain('## Alerts');
    expect(draft!.markdown).toMatch(
      new RegExp(
        `\\| High error rate on checkout \\| checkout \\| SEV3 \\| [\\d-]+ [\\d:]+ \\| [\\d-]+ [\\d:]+ \\| 2 \\| Source: ${SOURCE.replace(/[.?]/g, '\\$&')}, Runbook: ${RUNBOOK.replace(/[.]/g, '\\.')} \\|`,
      ),
    );
    expect(draft!.markdown).toContain('**Reporter:** Alertmanager');
  });
});
