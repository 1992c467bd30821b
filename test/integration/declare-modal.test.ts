import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const count = async (table: string) =>
  (await queryRows<{ n: number }>(h.databaseUrl, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

/** Opens the declare modal as `userId` and returns its view id. */
async function openDeclareModal(userId: string): Promise<string> {
  const before = new Set(h.fake.openViews(userId).map((v) => v.view.id));
  const response = await h.driver.slashCommand({ userId, channelId: h.generalId, text: 'create' });
  expect(response.status).toBe(200);
  expect(response.body).toBe('');
  const view = await waitFor(() => h.fake.openViews(userId).find((v) => !before.has(v.view.id)), {
    what: 'the declare modal',
  });
  expect(view.view.callback_id).toBe('incident-declare');
  return view.view.id;
}

const validValues = (commander: string, title = 'Search results empty') => ({
  title: { 'title-input': title },
  severity: { 'severity-select': 'SEV1' },
  summary: { 'summary-input': 'No results for any query since 14:00' },
  service: { 'service-input': 'search' },
  commander: { 'commander-select': commander },
  visibility: { 'private-toggle': [] as string[] },
});

describe('declaring through the modal', () => {
  it('opens the modal when no title is given, and declares with the chosen commander on submit', async () => {
    const { alice, bob } = h.people;
    const viewId = await openDeclareModal(alice);
    const submitted = await h.driver.submitView({ userId: alice, viewId, values: validValues(bob) });
    expect(submitted.status).toBe(200);
    expect(submitted.outcome).toBe('closed');
    const row = await waitFor(async () => {
      const [r] = await queryRows(
        h.databaseUrl,
        "SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE title = 'Search results empty'",
      );
      return r?.setup_completed_at ? r : null;
    });
    expect(row).toMatchObject({
      severity: 'SEV1',
      summary: 'No results for any query since 14:00',
      service: 'search',
      reporter_id: alice,
      commander_id: bob,
      origin_channel_id: h.generalId,
    });
    const members = h.fake.members(row.channel_id as string);
    expect(members).toEqual(expect.arrayContaining([alice, bob]));
    expect(h.fake.getChannel(row.channel_id as string)!.topic?.value).toBe(
      `SEV1 · Investigating · Commander: <@${bob}>`,
    );
  });

  it('returns invalid values as errors under their fields and keeps the modal open', async () => {
    const { alice } = h.people;
    const viewId = await openDeclareModal(alice);
    const before = await count('incidents');
    const submitted = await h.driver.submitView({
      userId: alice,
      viewId,
      values: {
        ...validValues(alice),
        title: { 'title-input': '   ' },
        service: { 'service-input': 'not a service!' },
      },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({
      response_action: 'errors',
      errors: {
        title: 'Give the incident a title.',
        service: 'Use the service name: letters, digits, "-", "_" or ".", like checkout-api.',
      },
    });
    expect(submitted.outcome).toBe('errors');
    expect(h.fake.getView(viewId)!.status).toBe('open');
    expect(await count('incidents')).toBe(before);
  });

  it('makes one incident and one channel from a burst of duplicate submits of one modal', async () => {
    const { carol } = h.people;
    const viewId = await openDeclareModal(carol);
    const incidentsBefore = await count('incidents');
    const channelsBefore = h.fake.listChannels().length;
    const title = 'Duplicate submit storm';
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.driver.submitView({ userId: carol, viewId, values: validValues(carol, title) }),
      ),
    );
    for (const r of responses) expect(r.status).toBe(200);
    const rows = await waitFor(async () => {
      const found = await queryRows(
        h.databaseUrl,
        'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE title = $1',
        [title],
      );
      return found.length > 0 && found.every((r) => r.setup_completed_at) ? found : null;
    });
    expect(rows).toHaveLength(1);
    expect(await count('incidents')).toBe(incidentsBefore + 1);
    // Give any stray duplicate set-up time to show itself before counting channels.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.fake.listChannels().length).toBe(channelsBefore + 1);
    expect(
      h.fake
        .calls('conversations.create')
        .filter((c) => String(c.args.name).includes('duplicate-submit-storm')),
    ).toHaveLength(1);
  });

  it('makes one incident from a slash command that Slack delivers several times at once', async () => {
    const { alice } = h.people;
    const triggerId = h.fake.issueTriggerId(alice);
    const body = new URLSearchParams({
      token: 'sandbox-verification-token',
      team_id: h.fake.config.teamId,
      team_domain: h.fake.config.teamDomain,
      channel_id: h.generalId,
      channel_name: 'general',
      user_id: alice,
      user_name: 'alice',
      command: '/incident',
      text: 'create --severity SEV2 --title "Replayed declare"',
      api_app_id: h.fake.config.appId,
      is_enterprise_install: 'false',
      response_url: h.fake.createResponseUrl({ channelId: h.generalId, userId: alice }),
      trigger_id: triggerId,
    }).toString();
    const responses = await Promise.all(Array.from({ length: 5 }, () => h.driver.post(body)));
    const texts = responses.map((r) => (r.body as { text: string }).text);
    expect(texts.filter((t) => t.includes(':rotating_light: Declared'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Already declared'))).toHaveLength(4);
    const rows = await waitFor(async () => {
      const found = await queryRows(
        h.databaseUrl,
        "SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE title = 'Replayed declare'",
      );
      return found.every((r) => r.setup_completed_at) ? found : null;
    });
    expect(rows).toHaveLength(1);
    expect(h.fake.listChannels().filter((c) => c.name?.endsWith('replayed-declare'))).toHaveLength(1);
  });
});
