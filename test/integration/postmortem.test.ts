import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPostmortem } from '../../src/postmortem/postmortem-repo.js';
import { linkKeys, signPostmortemPath } from '../../src/postmortem/signed-links.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; only SEV1 pages; checkout has an SLO for the error budget.
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '10m']],
  services: { checkout: { policy: 'default', slo: { target: 99.9, window: '30d' } } },
  autoPage: ['SEV1'],
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL, env: { INCIDENT_ARCHIVE_AFTER: '1500ms' } });
});
afterAll(async () => {
  await h?.stop();
});

const say = async (channelId: string, text: string) =>
  ((await h.driver.slashCommand({ userId: h.people.alice, channelId, text })).body as { text: string }).text;

/** The declared incident once its channel is set up. */
const setUp = (number: number) =>
  waitFor(async () => {
    const [r] = await queryRows<{ id: number; channel_id: string; setup_completed_at: Date | null }>(
      h.databaseUrl,
      'SELECT id, channel_id, setup_completed_at FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
      [number],
    );
    return r?.setup_completed_at ? r : null;
  });

describe('closing an incident and its postmortem draft', () => {
  it('closes with a resolution, uploads the draft through Slack’s upload flow, stores it, and serves it behind a signed link', async () => {
    const declared = await say(
      h.generalId,
      'create --severity SEV2 --service checkout --title "Checkout 502s"',
    );
    const number = Number(/#(\d+)/.exec(declared)![1]);
    const incident = await setUp(number);
    await say(incident.channel_id, 'note Load balancer returned 502 for /pay');
    await say(
      incident.channel_id,
      `followup Add a 502 alert on the LB <@${h.people.bob}|bob> due 2026-12-01`,
    );
    expect(await say(incident.channel_id, 'close --resolution "Rolled back to v1.2.3"')).toContain(
      'is closed',
    );

    const file = await waitFor(
      () => h.fake.files().find((f) => f.name === `incident-${number}-postmortem.md`),
      {
        what: 'the uploaded postmortem',
      },
    );
    expect(h.fake.calls('files.getUploadURLExternal').length).toBeGreaterThan(0);
    expect(
      h.fake.calls('files.completeUploadExternal').some((c) => c.args.channel_id === incident.channel_id),
    ).toBe(true);
    const markdown = h.fake.fileContent(file.id).toString('utf8');
    expect(markdown).toContain(`# Postmortem: Incident #${number} — Checkout 502s`);
    expect(markdown).toContain('**Resolution:** Rolled back to v1.2.3');
    expect(markdown).toContain('| Add a 502 alert on the LB | @bob | 2026-12-01 | normal |');
    expect(markdown).toContain('the 99.9% SLO over 30 d allows 43.2 min of downtime');
    expect(markdown).toContain('Note by @alice: Load balancer returned 502 for /pay');
    const shared = await waitFor(() =>
      h.fake.messages(incident.channel_id).find((m) => (m as { files?: unknown[] }).files?.length),
    );
    expect(shared.text).toContain('/postmortem.md?expires=');

    const [stored] = await queryRows<{ markdown: string; slack_file_id: string }>(
      h.databaseUrl,
      'SELECT markdown, slack_file_id FROM postmortems WHERE incident_id = $1',
      [incident.id],
    );
    expect(stored!.markdown).toBe(markdown);
    expect(stored!.slack_file_id).toBe(file.id);

    const link = /<(http[^|>]+)\|postmortem\.md>/.exec(shared.text)![1]!;
    const served = await fetch(link);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('text/markdown');
    expect(await served.text()).toBe(markdown);

    const tampered = link.replace(/sig=([0-9a-f])/, (_, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);
    const otherIncident = link.replace(`/incidents/${incident.id}/`, `/incidents/${incident.id + 1}/`);
    expect((await fetch(otherIncident)).status).toBe(403);
    const [stored2] = await queryRows<{ value: string }>(h.databaseUrl, 'SELECT value FROM bot_secrets');
    const keys = linkKeys([stored2!.value]);
    const expired = `${h.bot.url}${signPostmortemPath(keys, incident.id, new Date(Date.now() - 1000))}`;
    const expiredResponse = await fetch(expired);
    expect(expiredResponse.status).toBe(403);
    expect(await expiredResponse.text()).toContain('expired');

    // The card shows the final state and the metrics; the channel is archived after the configured delay.
    const [card] = await queryRows<{ headline_ts: string }>(
      h.databaseUrl,
      'SELECT headline_ts FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE id = $1',
      [incident.id],
    );
    await waitFor(
      () => {
        const blocks = JSON.stringify(h.fake.getMessage(incident.channel_id, card!.headline_ts)?.blocks);
        return blocks.includes('*Time to resolve*') && blocks.includes('Closed');
      },
      { what: 'the closed card with its metrics' },
    );
    await waitFor(() => h.fake.getChannel(incident.channel_id)?.is_archived, {
      what: 'the channel to be archived',
    });
    const [row] = await queryRows(
      h.databaseUrl,
      'SELECT status, closed_at, resolved_at FROM incidents WHERE id = $1',
      [incident.id],
    );
    expect(row).toMatchObject({ status: 'closed' });
    expect(row!.resolved_at).not.toBeNull();
  });

  it('regenerates the draft from the latest data, and reopening undoes a close', async () => {
    const declared = await say(h.generalId, 'create --title "Regenerate me"');
    const number = Number(/#(\d+)/.exec(declared)![1]);
    const incident = await setUp(number);
    // `/incident close` without a resolution opens the close form.
    const before = new Set(h.fake.openViews(h.people.alice).map((v) => v.view.id));
    expect(
      (await h.driver.slashCommand({ userId: h.people.alice, channelId: incident.channel_id, text: 'close' }))
        .body,
    ).toBe('');
    const form = await waitFor(() => h.fake.openViews(h.people.alice).find((v) => !before.has(v.view.id)));
    expect(form.view.callback_id).toBe('incident-close');
    const submitted = await h.driver.submitView({
      userId: h.people.alice,
      viewId: form.view.id,
      values: {
        resolution: { resolution: 'Restarted the consumer' },
        rootCause: { rootCause: 'A poison message blocked the queue' },
        usersAffected: { usersAffected: '~300' },
        wentWell: { wentWell: 'Fast diagnosis' },
      },
    });
    expect(submitted.outcome).toBe('closed');
    await waitFor(
      async () =>
        (await queryRows(h.databaseUrl, 'SELECT id FROM postmortems WHERE incident_id = $1', [incident.id]))
          .length === 1,
    );
    await say(incident.channel_id, 'followup Write the runbook');
    expect(await say(incident.channel_id, 'postmortem')).toContain('Regenerating');
    const drafts = await waitFor(async () => {
      const rows = await queryRows<{ markdown: string }>(
        h.databaseUrl,
        'SELECT markdown FROM postmortems WHERE incident_id = $1 ORDER BY id',
        [incident.id],
      );
      return rows.length === 2 ? rows : null;
    });
    expect(drafts[0]!.markdown).toContain('_No action items recorded yet._');
    expect(drafts[0]!.markdown).toContain('A poison message blocked the queue');
    expect(drafts[0]!.markdown).toContain('**Impact:** ~300 users affected');
    expect(drafts[1]!.markdown).toContain('| Write the runbook | unassigned | none | normal |');
    // Regenerating is a change: someone outside the incident channel may not.
    const outsider = await h.driver.slashCommand({
      userId: h.people.carol,
      channelId: h.generalId,
      text: `postmortem #${number}`,
    });
    expect((outsider.body as { text: string }).text).toContain('regenerate the postmortem');
    // Nothing changed since: not regenerated, and the person is told so.
    expect(await say(incident.channel_id, 'postmortem')).toContain('Nothing has changed in incident');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      await queryRows(h.databaseUrl, 'SELECT id FROM postmortems WHERE incident_id = $1', [incident.id]),
    ).toHaveLength(2);
    const again = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: incident.channel_id,
      text: 'close',
    });
    expect(JSON.stringify(await waitFor(() => h.fake.responses(again.responseUrl).at(-1)))).toContain(
      'already closed',
    );
    expect(await say(incident.channel_id, 'reopen')).toContain('reopened');
    const [row] = await queryRows(h.databaseUrl, 'SELECT status, closed_at FROM incidents WHERE id = $1', [
      incident.id,
    ]);
    expect(row).toEqual({ status: 'investigating', closed_at: null });
    // Whether or not the archive delay had passed, a reopened incident has a live channel.
    await new Promise((resolve) => setTimeout(resolve, 1800));
    await waitFor(() => h.fake.getChannel(incident.channel_id)?.is_archived === false, {
      what: 'the channel to be live',
    });
  });

  it('keeps the newest 10 drafts of an incident', async () => {
    const [incident] = await queryRows<{ id: number }>(h.databaseUrl, 'SELECT min(id) AS id FROM incidents');
    const before = await queryRows<{ id: number }>(
      h.databaseUrl,
      'SELECT id FROM postmortems WHERE incident_id = $1',
      [incident!.id],
    );
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const stored = await insertPostmortem(h.bot.pool, {
        incidentId: incident!.id,
        markdown: `draft ${i}`,
        generatedBy: null,
        sourceVersion: `v${i}`,
      });
      ids.push(stored.id);
    }
    const kept = await queryRows<{ id: number }>(
      h.databaseUrl,
      'SELECT id FROM postmortems WHERE incident_id = $1 ORDER BY id',
      [incident!.id],
    );
    expect(before.length).toBeGreaterThan(0);
    expect(kept.map((r) => r.id)).toEqual(ids.slice(-10));
  });

  it('reports counts, response times and the DORA tier with /incident stats', async () => {
    const text = await say(h.generalId, 'stats 7d');
    expect(text).toContain('*Incidents in the last 7 days: 2*');
    expect(text).toContain('SEV1 0 · SEV2 1 · SEV3 1 · SEV4 0');
    expect(text).toMatch(
      /Time to resolve \(declared → resolved\): p50 \d+s · p90 \d+s · p95 \d+s \(1 incident\)/,
    );
    expect(text).toContain('DORA time-to-restore tier (p50): Elite (under 1 hour)');
    expect(await say(h.generalId, 'stats 1y')).toContain('`1y` is not a window: use 7d, 30d or 90d.');
  });
});
