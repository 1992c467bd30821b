import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

const RUNBOOK = 'https://wiki.example/runbooks/checkout';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    oncallYaml: oncallFixture({
      levels: [['schedule:primary', '20s']],
      services: { checkout: { policy: 'default', runbook: RUNBOOK } },
      autoPage: ['SEV1'],
      fastEscalation: true,
    }),
  });
});
afterAll(async () => {
  await h?.stop();
});

const incidentRow = (title: string) =>
  waitFor(async () => {
    const [row] = await queryRows<{ id: number; number: number; channel_id: string; headline_ts: string }>(
      h.databaseUrl,
      `SELECT id, number, channel_id, headline_ts FROM incidents JOIN slack_incident_presence ON incident_id = id
       WHERE title = $1 AND setup_completed_at IS NOT NULL`,
      [title],
    );
    return row ?? null;
  });

describe('links for responders', () => {
  it("bookmarks the service's runbook at set-up and links it on the headline card", async () => {
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV3 --service checkout --title "Checkout errors"',
    });
    const incident = await incidentRow('Checkout errors');
    const bookmarks = await waitFor(() => {
      const list = h.fake.bookmarks(incident.channel_id);
      return list.length > 0 ? list : null;
    });
    expect(bookmarks.map((b) => [b.title, b.link])).toEqual([['Runbook', RUNBOOK]]);
    const card = h.fake.getMessage(incident.channel_id, incident.headline_ts)!;
    expect(JSON.stringify(card.blocks)).toContain(`<${RUNBOOK}|Open the runbook>`);
  });

  it('/incident link bookmarks the link once, puts it on the timeline and in the postmortem', async () => {
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV3 --title "Search is slow"',
    });
    const incident = await incidentRow('Search is slow');
    const say = async (text: string) =>
      (
        (await h.driver.slashCommand({ userId: h.people.alice, channelId: incident.channel_id, text }))
          .body as { text: string }
      ).text;
    expect(await say('link <https://grafana.example/d/search|Search latency>')).toContain(
      `Link added to incident #${incident.number}`,
    );
    // The same link again is a second timeline entry but not a second bookmark.
    await say('link <https://grafana.example/d/search> Search latency again');
    expect(await say('link dashboards')).toContain('is not a link');
    await waitFor(() => h.fake.bookmarks(incident.channel_id).length === 1 || null);
    const links = await queryRows<{ details: { url: string; title: string | null } }>(
      h.databaseUrl,
      "SELECT details FROM timeline_events WHERE incident_id = $1 AND kind = 'incident.link_added' ORDER BY id",
      [incident.id],
    );
    expect(links.map((l) => l.details.title)).toEqual(['Search latency', 'Search latency again']);
    expect(h.fake.bookmarks(incident.channel_id).map((b) => [b.title, b.link])).toEqual([
      ['Search latency', 'https://grafana.example/d/search'],
    ]);

    await say('close --resolution "Reindexed"');
    const file = await waitFor(() =>
      h.fake.files().find((f) => f.name === `incident-${incident.number}-postmortem.md`),
    );
    const markdown = h.fake.fileContent(file.id).toString('utf8');
    expect(markdown).toContain('## Links\n\n- Search latency: https://grafana.example/d/search\n');
  });
});
