import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { declareSetUp } from '../helpers/declare-set-up.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call; the `ghost` service pages an email no Slack user has.
const ONCALL = oncallFixture({
  levels: [['schedule:primary', '5m']],
  policies: { ghost: { levels: [['user:nobody@acme.test', '5m']] } },
  services: { ghost: { policy: 'ghost' } },
  autoPage: ['SEV1'],
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
});
afterAll(async () => {
  await h?.stop();
});

type PageRow = { id: number; status: string; sent_at: Date | null; channel_noted_at: Date | null };

const declare = (flags: string) => declareSetUp(h, `--severity SEV1 ${flags}`);
const pagesOf = (incidentId: number) =>
  queryRows<PageRow>(h.databaseUrl, 'SELECT * FROM pages WHERE incident_id = $1 ORDER BY id', [incidentId]);
const lines = (channelId: string, start: string) =>
  h.fake.messages(channelId).filter((m) => m.text.startsWith(start));
const noted = (incidentId: number) =>
  waitFor(
    async () => {
      const pages = await pagesOf(incidentId);
      return pages.length > 0 && pages.every((p) => p.channel_noted_at) ? pages : null;
    },
    { timeoutMs: 20_000, what: 'every page noted in the channel' },
  );

describe("a page's line in the incident channel", () => {
  it('is posted once the channel exists for a page that went out before it', async () => {
    // The channel takes 3 s to create; the SEV1 page goes out meanwhile.
    h.fake.injectFault('conversations.create', { delayMs: 3000 }, 1);
    const incident = await declare('--title "Slow channel"');
    const [page] = await noted(incident.id);
    const [created] = await queryRows<{ occurred_at: Date }>(
      h.databaseUrl,
      "SELECT occurred_at FROM timeline_events WHERE incident_id = $1 AND kind = 'incident.channel_created'",
      [incident.id],
    );
    expect(page!.status).toBe('sent');
    expect(page!.sent_at!.getTime()).toBeLessThan(created!.occurred_at.getTime());
    const paged = lines(incident.channel_id, ':pager: Paged');
    expect(paged.map((m) => m.text)).toEqual([
      `:pager: Paged <@${h.people.bob}> (level 1, on call in primary).`,
    ]);
  });

  it('says why a page could not go out, once', async () => {
    const incident = await declare('--service ghost --title "Ghost pager"');
    const [page] = await noted(incident.id);
    expect(page!.status).toBe('failed');
    const warnings = lines(incident.channel_id, ':warning: Could not page');
    expect(warnings.map((m) => m.text)).toEqual([
      ':warning: Could not page nobody@acme.test: no Slack user has that email. Fix `oncall.yaml`.',
    ]);
  });

  it('is asked for again by the reconciler when its job was lost, and not posted twice', async () => {
    const incident = await declare('--title "Lost note"');
    const [page] = await noted(incident.id);
    expect(lines(incident.channel_id, ':pager: Paged')).toHaveLength(1);
    // As if the note job died after Slack took the line but before it was recorded (or Redis lost it).
    await queryRows(
      h.databaseUrl,
      "UPDATE pages SET channel_noted_at = NULL, created_at = now() - interval '10 seconds' WHERE id = $1",
      [page!.id],
    );
    await noted(incident.id);
    expect(lines(incident.channel_id, ':pager: Paged')).toHaveLength(1);
  });
});
