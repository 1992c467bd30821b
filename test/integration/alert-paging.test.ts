import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlertPaging } from '../../src/alerts/alert-types.js';
import { DEFAULT_QUEUE_PREFIX } from '../../src/jobs/queues.js';
import { ActionId } from '../../src/slack/ids.js';
import { insertAlertGroup, startAlertGroup, stopAlertGroup } from '../helpers/alert-fixture.js';
import { type Harness, startHarness, startSeededFake } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';
import { type ProcessStack, startProcessStack } from '../helpers/process-stack.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Alert groups page through the same engine as incidents: the service's policy, level by level,
 * with the same DMs, buttons, fencing and crash guarantees. Groups are written with SQL as alert
 * intake writes them (test/helpers/alert-fixture.ts) and started as intake starts them.
 */

// Bob is on call (level 1); Carol is level 2. `checkout` pages through `fast`, `payments` through
// `slow` and posts its alerts in `alertsChannel` when given one.
const oncall = (delay: string, alertsChannel?: string) =>
  oncallFixture({
    levels: [['schedule:primary', '1h']],
    policies: {
      fast: {
        levels: [
          ['schedule:primary', delay],
          ['user:{carol}', delay],
        ],
        repeat: 0,
      },
      flappy: { levels: [['schedule:primary', '1h']], ackTimeout: '1s' },
      slow: {
        levels: [
          ['schedule:primary', '1h'],
          ['user:{carol}', '1h'],
        ],
      },
    },
    services: {
      search: { policy: 'flappy' },
      checkout: { policy: 'fast' },
      payments: { policy: 'slow', ...(alertsChannel ? { alerts: { channel: alertsChannel } } : {}) },
    },
    fastEscalation: true,
  });

const ackButton = (groupId: number) => ({
  type: 'button',
  action_id: ActionId.alertAcknowledge,
  text: { type: 'plain_text', text: 'Acknowledge' },
  value: String(groupId),
});

type PageRow = { step: number; user_id: string | null; status: string; alert_group_id: number | null };
const pagesOf = (url: string, groupId: number) =>
  queryRows<PageRow>(url, 'SELECT * FROM pages WHERE alert_group_id = $1 ORDER BY id', [groupId]);
const escalationOf = async (url: string, groupId: number) =>
  (
    await queryRows<{ state: string; epoch: number }>(
      url,
      'SELECT state, epoch FROM escalations WHERE alert_group_id = $1',
      [groupId],
    )
  )[0];

describe('an alert group pages through the escalation engine', () => {
  let h: Harness;
  let paging: AlertPaging;
  /** #payments-alerts: Alice is in it (neither paged nor an admin). */
  let alertsChannel: string;
  beforeAll(async () => {
    const slack = await startSeededFake();
    alertsChannel = slack.fake.addChannel({ name: 'payments-alerts', members: [slack.people.alice] }).id;
    h = await startHarness({ oncallYaml: oncall('1500ms', alertsChannel), slack });
    paging = h.bot.alertPaging!;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const start = async (service: string, fixture: Parameters<typeof insertAlertGroup>[1] = {}) => {
    const id = await insertAlertGroup(h.bot.pool, { service, ...fixture });
    expect(await startAlertGroup(h.bot.pool, paging, { id, service })).toBe(true);
    return id;
  };
  const alertDm = (userId: string, title: string) =>
    waitFor(
      () =>
        h.fake
          .messages(h.fake.dmChannelId(userId) ?? 'none')
          .find((m) => JSON.stringify(m.blocks).includes(title)),
      { what: `an alert page DM to ${userId}` },
    );
  const dmNow = (userId: string, ts: string) =>
    h.fake.messages(h.fake.dmChannelId(userId)!).find((m) => m.ts === ts)!;
  const press = (userId: string, ts: string, actionId: string) =>
    h.driver.clickButton({ userId, channelId: h.fake.dmChannelId(userId)!, messageTs: ts, actionId });
  const answerTo = async (clicked: { responseUrl: string }) =>
    ((await waitFor(() => h.fake.responses(clicked.responseUrl)[0])).body as { text: string }).text;

  it('pages Bob with the alert page, then Carol after the level delay', async () => {
    const id = await start('checkout', {
      title: 'Checkout 5xx above 2%',
      count: 3,
      labels: { alertname: 'ErrorBudgetBurn1h', severity: 'critical' },
      links: [
        { text: 'Runbook', href: 'https://wiki.example/runbooks/checkout' },
        { text: 'Source', href: 'http://prometheus.example/graph' },
      ],
    });
    // A second start of the same group pages nobody again.
    expect(await startAlertGroup(h.bot.pool, paging, { id, service: 'checkout' })).toBe(false);
    const dm = await alertDm(h.people.bob, 'Checkout 5xx above 2%');
    const blocks = JSON.stringify(dm.blocks);
    expect(blocks).toContain('SEV2 · High · checkout · fired 3 times');
    expect(blocks).toContain('`alertname=ErrorBudgetBurn1h`');
    expect(blocks.indexOf('runbooks/checkout')).toBeLessThan(blocks.indexOf('prometheus.example'));
    for (const action of [
      ActionId.alertAcknowledge,
      ActionId.alertEscalate,
      ActionId.alertResolve,
      ActionId.alertDeclare,
    ]) {
      expect(blocks).toContain(`"action_id":"${action}"`);
    }
    await alertDm(h.people.carol, 'Checkout 5xx above 2%');
    const pages = await waitFor(async () => {
      const rows = await pagesOf(h.databaseUrl, id);
      return rows.length === 2 && rows.every((p) => p.status === 'sent') ? rows : null;
    });
    expect(pages.map((p) => [p.step, p.user_id])).toEqual([
      [0, h.people.bob],
      [1, h.people.carol],
    ]);
    // No incident was touched: a group's escalation writes no timeline.
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM timeline_events')).toEqual([]);
  });

  it('stops at Acknowledge on the DM, records who, and edits the DM', async () => {
    const id = await start('payments', { title: 'Payments latency p99 > 2s' });
    const dm = await alertDm(h.people.bob, 'Payments latency p99');
    expect((await press(h.people.bob, dm.ts, ActionId.alertAcknowledge)).status).toBe(200);
    await waitFor(async () => (await escalationOf(h.databaseUrl, id))?.state === 'acknowledged');
    const [group] = await queryRows<{ state: string; acknowledged_by: string }>(
      h.databaseUrl,
      'SELECT state, acknowledged_by FROM alert_groups WHERE id = $1',
      [id],
    );
    expect(group).toEqual({ state: 'acknowledged', acknowledged_by: h.people.bob });
    const edited = await waitFor(() => {
      const now = dmNow(h.people.bob, dm.ts);
      return JSON.stringify(now.blocks).includes('Acknowledged by') ? now : null;
    });
    expect(JSON.stringify(edited.blocks)).toContain(`Acknowledged by <@${h.people.bob}>`);
    expect(JSON.stringify(edited.blocks)).not.toContain(ActionId.alertAcknowledge);
    // A button still showing elsewhere (a stale copy) is told who acknowledged.
    const stale = h.fake.postAsUser({
      userId: h.people.bob,
      channelId: h.generalId,
      text: 'stale page',
      blocks: [{ type: 'actions', elements: [ackButton(id)] }],
    }).ts;
    const again = await h.driver.clickButton({
      userId: h.people.bob,
      channelId: h.generalId,
      messageTs: stale,
      actionId: ActionId.alertAcknowledge,
    });
    expect(await answerTo(again)).toMatch(/^Already acknowledged by you at/);
  });

  it('stops when the source resolves the group: the DMs say so, and pending levels never page', async () => {
    const id = await start('checkout', { title: 'Disk almost full' });
    const dm = await alertDm(h.people.bob, 'Disk almost full');
    expect(await stopAlertGroup(h.bot.pool, paging, id, { state: 'resolved', by: 'Alertmanager' })).toBe(
      true,
    );
    expect(await escalationOf(h.databaseUrl, id)).toMatchObject({ state: 'resolved' });
    const edited = await waitFor(() => {
      const now = dmNow(h.people.bob, dm.ts);
      return JSON.stringify(now.blocks).includes('Resolved by') ? now : null;
    });
    expect(JSON.stringify(edited.blocks)).toMatch(
      /Resolved by Alertmanager at <!date\^\d+\^\{time\}\|[^>]+ UTC>/,
    );
    expect(JSON.stringify(edited.blocks)).not.toContain('"type":"actions"');
    // Level 2 was due 1.5 s later: its timer is stale, Carol is never paged.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await pagesOf(h.databaseUrl, id)).map((p) => p.user_id)).toEqual([h.people.bob]);
    // Resolving again changes nothing.
    expect(await stopAlertGroup(h.bot.pool, paging, id, { state: 'resolved', by: 'Alertmanager' })).toBe(
      false,
    );
  });

  it('pages again past the ack timeout, with a page that can be acknowledged again', async () => {
    const id = await start('search', { title: 'Search index stale' });
    const first = await alertDm(h.people.bob, 'Search index stale');
    await press(h.people.bob, first.ts, ActionId.alertAcknowledge);
    const repaged = await waitFor(
      async () => {
        const rows = await pagesOf(h.databaseUrl, id);
        return rows.length === 2 && rows[1]!.status === 'sent' ? rows : null;
      },
      { what: 'the page after the ack timeout' },
    );
    expect(repaged.map((p) => p.user_id)).toEqual([h.people.bob, h.people.bob]);
    const [group] = await queryRows<{ state: string; acknowledged_by: string | null }>(
      h.databaseUrl,
      'SELECT state, acknowledged_by FROM alert_groups WHERE id = $1',
      [id],
    );
    expect(group).toEqual({ state: 'firing', acknowledged_by: null });
    const second = await waitFor(() =>
      h.fake
        .messages(h.fake.dmChannelId(h.people.bob)!)
        .find(
          (m) =>
            m.ts !== first.ts &&
            JSON.stringify(m.blocks).includes('Search index stale') &&
            JSON.stringify(m.blocks).includes(ActionId.alertAcknowledge),
        ),
    );
    await press(h.people.bob, second.ts, ActionId.alertAcknowledge);
    // Recorded as a second acknowledgement by Bob (the ack timeout may page again after it).
    await waitFor(
      async () =>
        (
          await queryRows(
            h.databaseUrl,
            `SELECT e.id FROM alert_events e JOIN alerts a ON a.id = e.alert_id
             WHERE a.alert_group_id = $1 AND e.action = 'acknowledge' AND e.actor = $2`,
            [id, h.people.bob],
          )
        ).length === 2,
      { what: 'the second acknowledgement' },
    );
  });

  it('escalates to the next level at once on Escalate now', async () => {
    const id = await start('payments', { title: 'Queue backlog growing' });
    const dm = await alertDm(h.people.bob, 'Queue backlog growing');
    const answer = await answerTo(await press(h.people.bob, dm.ts, ActionId.alertEscalate));
    expect(answer).toContain('Escalating to the next level now');
    await alertDm(h.people.carol, 'Queue backlog growing');
    expect((await pagesOf(h.databaseUrl, id)).map((p) => p.step)).toEqual([0, 1]);
  });

  it('shows a group of several alerts as one page: "N alerts firing" and the list, capped', async () => {
    await start('payments', { title: 'Card authorisations failing', alerts: 13 });
    const dm = await alertDm(h.people.bob, 'Card authorisations failing');
    const blocks = JSON.stringify(dm.blocks);
    expect(blocks).toContain('13 alerts firing for payments');
    expect(blocks).toContain('Card authorisations failing #10');
    expect(blocks).not.toContain('Card authorisations failing #11');
    expect(blocks).toContain('and 3 more');
  });
  it('posts the group in the alerts channel, where a member may resolve it; every message says who', async () => {
    const id = await start('payments', { title: 'Refunds stuck in queue' });
    const dm = await alertDm(h.people.bob, 'Refunds stuck in queue');
    const posted = await waitFor(() =>
      h.fake.messages(alertsChannel).find((m) => JSON.stringify(m.blocks).includes('Refunds stuck in queue')),
    );
    const pressHere = (userId: string, actionId: string) =>
      h.driver
        .clickButton({ userId, channelId: alertsChannel, messageTs: posted.ts, actionId })
        .then(answerTo);
    // Carol is neither paged for it nor in the channel: the alert does not exist for her.
    expect(await pressHere(h.people.carol, ActionId.alertAcknowledge)).toBe('That alert no longer exists.');
    expect(await escalationOf(h.databaseUrl, id)).toMatchObject({ state: 'triggered' });
    const clicked = await h.driver.clickButton({
      userId: h.people.alice,
      channelId: alertsChannel,
      messageTs: posted.ts,
      actionId: ActionId.alertResolve,
    });
    expect(clicked.status).toBe(200);
    await waitFor(async () => (await escalationOf(h.databaseUrl, id))?.state === 'resolved');
    const resolvedBy = `Resolved by <@${h.people.alice}> at`;
    await waitFor(() => JSON.stringify(dmNow(h.people.bob, dm.ts).blocks).includes(resolvedBy), {
      what: "Bob's DM to say who resolved it",
    });
    await waitFor(
      () =>
        JSON.stringify(h.fake.messages(alertsChannel).find((m) => m.ts === posted.ts)!.blocks).includes(
          resolvedBy,
        ),
      { what: 'the channel message to say who resolved it' },
    );
    // One message per group in the channel, edited in place.
    expect(
      h.fake.messages(alertsChannel).filter((m) => JSON.stringify(m.blocks).includes('Refunds stuck')),
    ).toHaveLength(1);
  });

  // A stranger pressing an alert page's buttons: the outsider suite (test/integration/outsider.test.ts).
});

describe('an alert page across a worker killed with SIGKILL (separate processes)', () => {
  let stack: ProcessStack;
  let web: Harness;

  beforeAll(async () => {
    stack = await startProcessStack(inject('postgresAdminUrl'), async (slack) => ({
      ONCALL_CONFIG: await writeOncallFile(oncall('2s'), slack.people),
    }));
    await stack.start('worker');
    // The web role in this process starts the group (as intake would); the worker process pages.
    web = await startHarness({
      role: 'web',
      slack: stack.slack,
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redis.url,
      queuePrefix: DEFAULT_QUEUE_PREFIX,
      oncallYaml: oncall('2s'),
    });
  }, 90_000);
  afterAll(async () => {
    await web?.stop();
    await stack?.stop();
  });

  it('neither loses nor duplicates a page when the worker dies while Slack takes the DM', async () => {
    const { slack, databaseUrl, processes } = stack;
    // Slack posts the DM, then answers only after 5 s: the worker is killed in between.
    slack.fake.injectFault('chat.postMessage', { delayResponseMs: 5000 }, 1);
    const id = await insertAlertGroup(web.bot.pool, {
      service: 'checkout',
      title: 'Crash between start and send',
    });
    await startAlertGroup(web.bot.pool, web.bot.alertPaging!, { id, service: 'checkout' });
    const dms = (userId: string) =>
      slack.fake
        .messages(slack.fake.dmChannelId(userId) ?? '')
        .filter((m) => JSON.stringify(m.blocks).includes('Crash between start and send')).length;
    await waitFor(() => dms(slack.people.bob) === 1, { timeoutMs: 20_000, what: 'the DM to reach Slack' });
    const worker = processes.at(-1)!;
    worker.kill('SIGKILL');
    await worker.exited;
    await stack.start('worker');
    const pages = await waitFor(
      async () => {
        const rows = await pagesOf(databaseUrl, id);
        return rows.length === 2 && rows.every((p) => p.status === 'sent') ? rows : null;
      },
      { timeoutMs: 60_000, what: 'both levels to be paged and recorded' },
    );
    expect(pages.map((p) => [p.step, p.user_id])).toEqual([
      [0, slack.people.bob],
      [1, slack.people.carol],
    ]);
    expect([dms(slack.people.bob), dms(slack.people.carol)]).toEqual([1, 1]);
  }, 120_000);
});
