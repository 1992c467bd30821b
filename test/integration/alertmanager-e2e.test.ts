import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ActionId } from '../../src/slack/ids.js';
import { type PostableAlert, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The whole loop with a real Alertmanager (Debian's prometheus-alertmanager): alerts posted to its API
 * are grouped and delivered by its webhook receiver to `/alerts/alertmanager/<alert_key>` on the bot,
 * the bot pages Bob, and when the alerts end Alertmanager sends `resolved` and the page says so.
 */

// The key is taken from the environment, as the README's loop does it (`${VAR}` in oncall.yaml).
const ALERT_KEY = 'e2e-checkout-alert-key-5f0c1d2e3a4b5c6d7e8f';
const ONCALL = (() => {
  const file = parse(
    oncallFixture({
      levels: [['schedule:primary', '10m']],
      services: { checkout: { policy: 'default', runbook: 'https://wiki.example/runbooks/checkout' } },
      fastEscalation: true,
    }),
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: oncall.yaml's own `${VAR}`, not a template
  file.services.checkout.alert_key = '${CHECKOUT_ALERT_KEY}';
  return stringify(file);
})();

const RUNBOOK = 'https://wiki.example/runbooks/checkout-5xx';
const GENERATOR = 'http://prometheus.example/graph?g0.expr=checkout_5xx';
/** Two alerts of one Alertmanager group (same alertname and service), on two instances. */
const FIRING: PostableAlert[] = ['checkout-1:8080', 'checkout-2:8080'].map((instance) => ({
  labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical', instance },
  annotations: { summary: 'Checkout 5xx above 2%', runbook_url: RUNBOOK },
  generatorURL: GENERATOR,
}));
const GROUP_KEY = '{}:{alertname="CheckoutErrors", service="checkout"}';

interface AlertRow {
  id: number;
  dedup_key: string;
  source: string;
  status: string;
  title: string;
  severity: string;
  labels: Record<string, string>;
  links: Array<{ text: string; href: string }>;
  alert_group_id: number;
  resolved_by: string | null;
}
interface GroupRow {
  id: number;
  group_key: string | null;
  state: string;
  severity: string;
  resolved_by: string | null;
}

let h: Harness;
let am: RunningAlertmanager;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL, env: { CHECKOUT_ALERT_KEY: ALERT_KEY } });
  am = await startAlertmanager({ webhookUrl: `${h.bot.url}/alerts/alertmanager/${ALERT_KEY}` });
}, 90_000);
afterAll(async () => {
  await am?.stop();
  await h?.stop();
});

const alerts = (service: string) =>
  queryRows<AlertRow>(h.databaseUrl, 'SELECT * FROM alerts WHERE service = $1 ORDER BY id', [service]);
const groups = (service: string) =>
  queryRows<GroupRow>(h.databaseUrl, 'SELECT * FROM alert_groups WHERE service = $1 ORDER BY id', [service]);
/** Bob's alert page DMs for checkout (the local Slack's messages in his DM channel). */
const bobsPages = () =>
  h.fake.messages(h.fake.dmChannelId(h.people.bob) ?? 'none').filter((m) => m.text.includes('for checkout'));

/**
 * Waits for what Alertmanager's delivery should cause; on a timeout the error carries its log (which
 * shows a failed notification and the bot's answer). Its timers (group_wait and group_interval 1 s) and
 * a loaded machine: a generous bound.
 */
async function delivered<T>(check: () => Promise<T | null>, what: string): Promise<NonNullable<T>> {
  try {
    return await waitFor(check, { timeoutMs: 45_000, intervalMs: 100, what });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nAlertmanager's log:\n${am.output().slice(-3000)}`);
  }
}

describe('Prometheus Alertmanager → the bot → the on-call', () => {
  it('delivers a firing group to the webhook, pages Bob once, and resolves the page when the alerts end', async () => {
    await am.postAlerts(FIRING);

    // Alertmanager delivered both alerts, identified by the fingerprints it computed, in one group.
    const fired = await delivered(async () => {
      const rows = await alerts('checkout');
      return rows.length === 2 ? rows : null;
    }, 'Alertmanager to deliver both alerts');
    const fingerprints = (await am.alerts()).map((a) => a.fingerprint).sort();
    expect(fired.map((a) => a.dedup_key).sort()).toEqual(fingerprints);
    for (const alert of fired) {
      expect(alert).toMatchObject({
        source: 'alertmanager',
        status: 'firing',
        title: 'Checkout 5xx above 2%',
        severity: 'SEV1',
        labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' },
      });
      // The runbook first, then the link to the expression in Prometheus.
      expect(alert.links.map((l) => l.href)).toEqual([RUNBOOK, GENERATOR]);
    }
    expect(new Set(fired.map((a) => a.alert_group_id)).size).toBe(1);
    const [group] = await groups('checkout');
    expect(group).toMatchObject({ id: fired[0]!.alert_group_id, group_key: GROUP_KEY, state: 'firing' });

    // Bob, on call for checkout, is paged once for the group: its title, severity, links (runbook
    // first), and the buttons.
    const [page] = await delivered(async () => {
      const pages = bobsPages();
      return pages.length > 0 ? pages : null;
    }, "Bob's alert page DM");
    expect(page!.text).toContain('2 alerts firing for checkout');
    const blocks = JSON.stringify(page!.blocks);
    expect(blocks).toContain('SEV1');
    expect(blocks).toContain('Checkout 5xx above 2%');
    expect(blocks.indexOf(RUNBOOK)).toBeGreaterThan(-1);
    expect(blocks.indexOf(RUNBOOK)).toBeLessThan(blocks.indexOf('prometheus.example'));
    for (const action of [ActionId.alertAcknowledge, ActionId.alertEscalate, ActionId.alertResolve])
      expect(blocks).toContain(action);

    // Alertmanager ends the alerts: endsAt in the past makes them resolved, and its next flush of the
    // group sends `status: resolved` for both.
    const ended = new Date(Date.now() - 1000).toISOString();
    await am.postAlerts(FIRING.map((alert) => ({ ...alert, endsAt: ended })));
    const resolved = await delivered(async () => {
      const rows = await alerts('checkout');
      return rows.every((a) => a.status === 'resolved') ? rows : null;
    }, 'Alertmanager to deliver the resolved alerts');
    expect(resolved.map((a) => a.id)).toEqual(fired.map((a) => a.id));
    const [after] = await groups('checkout');
    expect(after!.state).toBe('resolved');
    expect(after!.resolved_by).toBe('Alertmanager');

    // The page DM is edited in place: resolved, by Alertmanager, and no buttons left to press.
    const edited = await delivered(async () => {
      const dm = bobsPages().find((m) => m.ts === page!.ts);
      return dm?.text.startsWith('Resolved:') ? dm : null;
    }, "Bob's page DM to say resolved");
    expect(JSON.stringify(edited.blocks)).toContain('Resolved by Alertmanager at ');
    expect(JSON.stringify(edited.blocks)).not.toContain(ActionId.alertAcknowledge);
    // Paged once: no second DM for the group, from the delivery or from the resolved notification.
    expect(bobsPages()).toHaveLength(1);
  }, 120_000);

  it('a receiver with a wrong key is refused: Alertmanager logs the 404 and the bot stores nothing', async () => {
    const wrong = await startAlertmanager({
      webhookUrl: `${h.bot.url}/alerts/alertmanager/${ALERT_KEY.replace(/.$/, 'X')}`,
    });
    try {
      await wrong.postAlerts([
        { labels: { alertname: 'WrongKey', service: 'checkout', severity: 'warning' } },
      ]);
      await waitFor(() => /Notify for alerts failed[^\n]*404/.test(wrong.output()), {
        timeoutMs: 45_000,
        intervalMs: 100,
        what: `Alertmanager to log the refused notification (its log: ${wrong.output().slice(-2000)})`,
      });
      const stored = await queryRows(
        h.databaseUrl,
        `SELECT id FROM alerts WHERE labels->>'alertname' = 'WrongKey'`,
      );
      expect(stored).toEqual([]);
    } finally {
      await wrong.stop();
    }
  }, 90_000);
});
