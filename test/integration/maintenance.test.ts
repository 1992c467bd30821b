import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOncallFixture, postWebhookAlert } from '../helpers/alert-services.js';
import { type Harness, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { commandAnswer } from '../helpers/command-answer.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Maintenance windows over the real stack: alerts posted to the webhook route while `checkout` is in
 * maintenance are recorded without paging; when the window ends (`off`, or its timer) the groups
 * still firing page Bob then. Carol is an admin; Bob is on call (schedule primary); Alice is neither.
 * Starts and ends are posted in #checkout-alerts (`alerts.channel`).
 */
const KEY = 'checkout-alert-key-0123456789abcdef0123';
let h: Harness;
let alertsChannel: string;

beforeAll(async () => {
  const slack = await startSeededFake();
  alertsChannel = slack.fake.addChannel({ name: 'checkout-alerts', members: [slack.people.bob] }).id;
  const yaml = alertOncallFixture(
    {
      levels: [['schedule:primary', '1h']],
      admins: ['{carol}'],
      fastEscalation: true,
      services: { checkout: { policy: 'default' } },
    },
    { checkout: { alertKey: KEY, channel: alertsChannel } },
  );
  h = await startHarness({ oncallYaml: yaml, slack });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const say = (userId: string, text: string) => commandAnswer(h, userId, h.generalId, text);

const fire = async (dedupKey: string, title: string) => {
  const answer = await postWebhookAlert(h, KEY, {
    title,
    status: 'firing',
    dedup_key: dedupKey,
    severity: 'critical',
  });
  expect(answer.status).toBeLessThan(300);
};

const groupOf = async (title: string) =>
  (
    await queryRows<{ id: number; held: boolean; state: string }>(
      h.databaseUrl,
      'SELECT g.id, g.held, g.state FROM alert_groups g JOIN alerts a ON a.alert_group_id = g.id WHERE a.title = $1',
      [title],
    )
  )[0];

const pagesFor = async (groupId: number) =>
  (
    await queryRows<{ n: number }>(
      h.databaseUrl,
      'SELECT count(*)::int AS n FROM pages WHERE alert_group_id = $1',
      [groupId],
    )
  )[0]!.n;

/** Bob's DMs from the bot that mention `title`. */
const bobsPagesAbout = (title: string) => {
  const dm = h.fake.dmChannelId(h.people.bob);
  return dm ? h.fake.messages(dm).filter((m) => JSON.stringify(m).includes(title)) : [];
};

const postedInAlerts = (match: RegExp) => h.fake.messages(alertsChannel).filter((m) => match.test(m.text));

describe('maintenance windows', () => {
  it('refuses who may not, says what to fix, and lists nothing before a window starts', async () => {
    expect(await say(h.people.alice, 'maintenance checkout 2h')).toBe(
      ":no_entry: Only the admins named in `oncall.yaml` and the people *checkout*'s escalation policy pages can start or end its maintenance.",
    );
    expect(await say(h.people.carol, 'maintenance nosuch 2h')).toBe(
      'There is no service called "nosuch". Services: checkout.',
    );
    expect(await say(h.people.carol, 'maintenance checkout 2x')).toContain('"2x" is not a duration');
    // Shorter than a second even with paging.allow_fast_escalation (a minute without it).
    expect(await say(h.people.carol, 'maintenance checkout 500ms')).toBe(
      'A maintenance window lasts from 1s to 7 days.',
    );
    expect(await say(h.people.bob, 'maintenance checkout off')).toBe(
      '*checkout* is not in maintenance; `/incident maintenance` lists the services that are.',
    );
    expect(await say(h.people.alice, 'maintenance')).toBe('No service is in maintenance.');
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM maintenance_windows')).toEqual([]);
  });

  it('records alerts without paging during the window, and pages the ones still firing when it is turned off', async () => {
    const started = await say(h.people.bob, 'maintenance checkout 2h Upgrading &lt;!channel&gt; the DB');
    expect(started).toMatch(/^:construction: Started maintenance of \*checkout\* until <!date\^\d+\^/);
    // Posted where checkout's alerts go, once, with the reason escaped.
    const announced = await waitFor(() => postedInAlerts(/started maintenance of \*checkout\*/)[0], {
      what: 'the start in #checkout-alerts',
    });
    expect(announced.text).toContain(`<@${h.people.bob}> started maintenance`);
    expect(announced.text).toContain('(Upgrading &lt;!channel&gt; the DB)');
    expect(await say(h.people.alice, 'maintenance')).toMatch(
      new RegExp(
        `^\\*In maintenance\\* .*\\n• \\*checkout\\* until <!date.*, started by <@${h.people.bob}> \\(Upgrading &lt;!channel&gt; the DB\\)$`,
      ),
    );

    await fire('db-down', 'Checkout DB unreachable');
    await fire('db-slow', 'Checkout DB slow');
    await postWebhookAlert(h, KEY, { status: 'resolved', dedup_key: 'db-slow' });
    const held = await waitFor(() => groupOf('Checkout DB unreachable'), { what: 'the held group' });
    expect(held.held).toBe(true);
    // The list shows it, held.
    expect(await say(h.people.alice, 'alerts')).toContain('Checkout DB unreachable');
    expect(await say(h.people.alice, 'alerts')).toContain('firing, held by maintenance');
    // Nothing pages while the window is in force (the reconciler runs every 300 ms here).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await pagesFor(held.id)).toBe(0);
    expect(bobsPagesAbout('Checkout DB unreachable')).toEqual([]);

    const ended = await say(h.people.carol, 'maintenance checkout off');
    expect(ended).toBe(
      ':white_check_mark: Ended maintenance of *checkout*: its alerts page again. 1 alert group opened during it is still firing and paging now.',
    );
    // The problem that outlived the window pages Bob now; the resolved one does not.
    await waitFor(() => bobsPagesAbout('Checkout DB unreachable').length > 0, {
      what: 'Bob paged for the DB',
    });
    expect((await groupOf('Checkout DB unreachable'))!.held).toBe(false);
    // Both alerts were one group (a storm is one page): it pages once, no longer held.
    expect(await groupOf('Checkout DB slow')).toEqual(await groupOf('Checkout DB unreachable'));
    expect(await pagesFor(held.id)).toBe(1);
    await waitFor(() => postedInAlerts(/ended by/).length === 1, { what: 'the end in #checkout-alerts' });
    expect(postedInAlerts(/ended by/)[0]!.text).toBe(
      `:white_check_mark: Maintenance of *checkout* ended by <@${h.people.carol}>: its alerts page again. 1 alert group opened during it is still firing and paging now.`,
    );
    expect(await say(h.people.alice, 'maintenance')).toBe('No service is in maintenance.');
  }, 60_000);

  it('ends by itself when its time is up, paging what is still firing then, once', async () => {
    expect(await say(h.people.carol, 'maintenance checkout 3s')).toContain(
      'Started maintenance of *checkout*',
    );
    await fire('queue-full', 'Checkout queue full');
    const held = await waitFor(() => groupOf('Checkout queue full'), { what: 'the held group' });
    expect(held.held).toBe(true);
    await waitFor(() => bobsPagesAbout('Checkout queue full').length > 0, {
      what: 'Bob paged when the window ran out',
      timeoutMs: 20_000,
    });
    await waitFor(() => postedInAlerts(/is over/).length === 1, { what: 'the end posted' });
    const [window] = await queryRows<{ ended_at: Date | null; ended_by: string | null }>(
      h.databaseUrl,
      'SELECT ended_at, ended_by FROM maintenance_windows ORDER BY id DESC LIMIT 1',
    );
    expect(window!.ended_at).not.toBeNull();
    expect(window!.ended_by).toBeNull();
    // The timer and the reconciler both had a go: one page, one end posted.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await pagesFor(held.id)).toBe(1);
    expect(postedInAlerts(/is over/)).toHaveLength(1);
    // A new alert after the window is not held: it joins the page in progress.
    await fire('cpu', 'Checkout CPU high');
    expect(await waitFor(() => groupOf('Checkout CPU high'))).toEqual({
      id: held.id,
      held: false,
      state: 'firing',
    });
  }, 60_000);

  it('moves the end of a window in force instead of opening a second one', async () => {
    await say(h.people.carol, 'maintenance checkout 2h');
    const moved = await say(h.people.carol, 'maintenance checkout 4h');
    expect(moved).toMatch(/^:construction: Maintenance of \*checkout\* now runs until/);
    const open = await queryRows<{ ends_at: Date; starts_at: Date }>(
      h.databaseUrl,
      'SELECT starts_at, ends_at FROM maintenance_windows WHERE ended_at IS NULL',
    );
    expect(open).toHaveLength(1);
    const hours = (open[0]!.ends_at.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(3.9);
    expect(hours).toBeLessThanOrEqual(4);
    await waitFor(() => postedInAlerts(/extended maintenance of \*checkout\*/).length === 1);
    await say(h.people.carol, 'maintenance checkout off');
  }, 30_000);

  it('lists open alerts for anyone: per service, with count, since when, state and who acknowledged', async () => {
    await fire('disk', '<!here> disk <b>full</b>');
    await fire('disk', '<!here> disk <b>full</b>');
    await fire('tls', 'TLS certificate expires in 3 days');
    const acked = await fetch(`${h.bot.url}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routing_key: KEY, event_action: 'acknowledge', dedup_key: 'tls' }),
    });
    expect(acked.status).toBe(202);
    const list = await say(h.people.alice, 'alerts');
    expect(list).toMatch(/^\*Open alerts\* \(\d+\)\n\*checkout\*\n/);
    expect(list).toMatch(
      /\n• SEV1 &lt;!here&gt; disk &lt;b&gt;full&lt;\/b&gt; ×2, since <!date\^\d+\^[^>]+> \(\d+s\), firing(\n|$)/,
    );
    expect(list).toMatch(
      /\n• SEV1 TLS certificate expires in 3 days, since <!date[^>]+> \(\d+s\), acknowledged by PagerDuty/,
    );
    // Resolved alerts are not listed.
    await postWebhookAlert(h, KEY, { status: 'resolved', dedup_key: 'disk' });
    expect(await say(h.people.alice, 'alerts')).not.toContain('disk');
  }, 30_000);
});
