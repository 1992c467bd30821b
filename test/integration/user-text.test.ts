import { blockLimitProblems } from '@incident-bot/local-slack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue #11 items 4 and 6 through the real bot and the local Slack, which refuses what Slack refuses:
 * typed markup never reaches Slack as markup, and long or `&`-heavy text stays within Block Kit's limits.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const BROADCAST = /<!(?:channel|here|everyone|subteam\^)/;
const EVIL_LINK = /<https:\/\/evil\.example/;

async function settled(title: string) {
  return waitFor(
    async () => {
      const [row] = await queryRows(
        h.databaseUrl,
        'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE title = $1',
        [title],
      );
      return row?.setup_completed_at ? row : null;
    },
    { what: `set-up of "${title}"`, timeoutMs: 60_000 },
  );
}

type Answer = { text: string; blocks?: unknown[] };

/** The command's answer: the ack body, or the response_url post when the bot took longer. */
async function say(userId: string, channelId: string, text: string): Promise<Answer> {
  const response = await h.driver.slashCommand({ userId, channelId, text });
  const body = response.body as Answer;
  if (!body.text?.includes('Working on it')) return body;
  return (await waitFor(() => h.fake.responses(response.responseUrl).at(-1))).body as Answer;
}

describe('user text on its way to Slack', () => {
  it('posts an update with <!channel> and a disguised link as text: in the channel, the announcement thread and on the card', async () => {
    const { alice } = h.people;
    await say(alice, h.generalId, 'create --severity SEV2 --title "Checkout &amp; SSO"');
    const row = await settled('Checkout & SSO');
    const channel = row.channel_id as string;
    // What Slack sends when someone types "@channel rotate your creds at [sso.acme.com](https://evil.example)".
    const answer = await say(
      alice,
      channel,
      'update <!channel> rotate your creds at <https://evil.example|sso.acme.com> &lt;!here&gt;',
    );
    expect(answer.text).toContain('Update posted');
    const posted = await waitFor(() =>
      h.fake.messages(channel).find((m) => m.text?.includes(':loudspeaker:')),
    );
    expect(posted.text).toContain(
      '@channel rotate your creds at sso.acme.com (https://evil.example) &lt;!here&gt;',
    );
    const thread = await waitFor(() =>
      h.fake.replies(h.announceId, row.announce_ts as string).find((m) => m.text?.includes(':loudspeaker:')),
    );
    const card = await waitFor(() => {
      const c = h.fake.getMessage(channel, row.headline_ts as string);
      return JSON.stringify(c?.blocks).includes('Latest update') ? c : null;
    });
    const announcement = await waitFor(() => {
      const a = h.fake.getMessage(h.announceId, row.announce_ts as string);
      return JSON.stringify(a?.blocks).includes('Latest update') ? a : null;
    });
    for (const message of [posted, thread, card, announcement]) {
      const shown = JSON.stringify([message?.text, message?.blocks]);
      expect(shown).not.toMatch(BROADCAST);
      expect(shown).not.toMatch(EVIL_LINK);
    }
    expect(card.text).toBe(`Incident #${row.number} (SEV2, investigating): Checkout &amp; SSO`);
  });

  it('takes a 3,000-character summary of `&` on the card, cut after escaping (Slack would refuse 5,000)', async () => {
    const { alice } = h.people;
    const before = new Set(h.fake.openViews(alice).map((v) => v.view.id));
    await h.driver.slashCommand({ userId: alice, channelId: h.generalId, text: 'create' });
    const view = await waitFor(() => h.fake.openViews(alice).find((v) => !before.has(v.view.id)));
    await h.driver.submitView({
      userId: alice,
      viewId: view.view.id,
      values: {
        title: { 'title-input': 'Paste & paste' },
        severity: { 'severity-select': 'SEV3' },
        summary: { 'summary-input': '&<'.repeat(1500) },
        service: { 'service-input': '' },
        commander: { 'commander-select': alice },
        visibility: { 'private-toggle': [] as string[] },
      },
    });
    const row = await settled('Paste & paste');
    const card = h.fake.getMessage(row.channel_id as string, row.headline_ts as string)!;
    const summary = JSON.stringify(card.blocks).match(/\*Summary\*\\n([^"]*)"/)?.[1] ?? '';
    expect(summary).toMatch(/^(?:&amp;&lt;)+(?:&amp;)?…$/);
    expect(summary.length).toBeGreaterThan(2900);
    expect(h.fake.calls().filter((c) => c.error === 'invalid_blocks')).toEqual([]);
  });

  it('lists 24 open incidents with `&`-heavy titles in /incident list and App Home, over several sections', async () => {
    const { bob } = h.people;
    const title = (i: number) => `R&D ${i} ${'& <x> '.repeat(23)}`.trim().slice(0, 150);
    // As Slack sends typed text: `&<>` as entities.
    const typed = (i: number) => title(i).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (let i = 0; i < 24; i++) await say(bob, h.generalId, `create ${typed(i)}`);
    await settled(title(23));
    const list = await say(bob, h.generalId, 'list');
    expect(list.text).toMatch(/^Open incidents \(\d+\):/);
    const listSections = (list.blocks ?? []).filter((b) => JSON.stringify(b).includes('R&amp;D'));
    expect(listSections.length).toBeGreaterThan(1);
    expect(blockLimitProblems(list.blocks ?? [], 50)).toEqual([]);
    expect(JSON.stringify(list)).not.toMatch(/<x>/);

    await h.driver.event({ event: { type: 'app_home_opened', user: bob, channel: 'D0000000', tab: 'home' } });
    const home = await waitFor(() => h.fake.homeView(bob));
    const sections = home.view.blocks.filter(
      (b) => b.type === 'section' && JSON.stringify(b).includes('R&amp;D'),
    );
    expect(sections.length).toBeGreaterThan(1);
    const shown = JSON.stringify(home.view.blocks);
    for (let i = 0; i < 24; i++) expect(shown).toContain(`R&amp;D ${i} &amp; &lt;x&gt;`);
    expect(shown).not.toMatch(/<x>/);
  });

  it('counts an App Home Slack refuses instead of swallowing it', async () => {
    const { carol } = h.people;
    h.fake.injectFault('views.publish', { error: 'invalid_arguments' }, 1);
    await h.driver.event({
      event: { type: 'app_home_opened', user: carol, channel: 'D0000001', tab: 'home' },
    });
    const failures = await waitFor(async () => {
      const text = await h.bot.metrics.registry.metrics();
      return /incident_bot_app_home_publish_failures_total\{reason="invalid_arguments"\} 1/.test(text)
        ? text
        : null;
    });
    expect(failures).toBeTruthy();
    expect(h.fake.homeView(carol)).toBeUndefined();
  });
});
