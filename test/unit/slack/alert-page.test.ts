import { blockLimitProblems } from '@incident-bot/local-slack';
import { describe, expect, it } from 'vitest';
import type { AlertGroupView, AlertSummary } from '../../../src/alerts/alert-group-view.js';
import { ActionId } from '../../../src/slack/ids.js';
import { buildAlertPageMessage, LISTED_ALERTS } from '../../../src/slack/views/alert-page.js';

const AT = new Date('2026-11-21T14:05:00Z');
const RUNBOOK = { text: 'Runbook', href: 'https://wiki.example/runbooks/checkout' };
const SOURCE = { text: 'Source', href: 'http://prometheus.example/graph?g0.expr=up' };

const alert = (i: number, fields: Partial<AlertSummary> = {}): AlertSummary => ({
  id: i,
  title: `Checkout 5xx above 2% #${i}`,
  severity: 'SEV1',
  status: 'firing',
  count: 1,
  labels: {},
  links: [],
  firstSeenAt: AT,
  lastSeenAt: AT,
  ...fields,
});

const group = (fields: Partial<AlertGroupView> = {}, alerts = [alert(1)]): AlertGroupView => ({
  id: 7,
  service: 'checkout',
  source: 'alertmanager',
  title: 'Checkout 5xx above 2%',
  severity: 'SEV1',
  state: 'firing',
  held: false,
  incidentId: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  openedAt: AT,
  alertCount: alerts.length,
  firingCount: alerts.length,
  alerts,
  channelId: null,
  messageTs: null,
  ...fields,
});

const TRIGGERED = { state: 'triggered' as const, epoch: 2, loop: 0 };
const text = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);
const actionIds = (message: { blocks: unknown[] }) =>
  [...text(message).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describe('the alert page', () => {
  it('shows title, service, severity, labels, count and links (runbook first), with the four buttons', () => {
    const page = buildAlertPageMessage(
      group({}, [
        alert(1, {
          title: 'Checkout 5xx above 2%',
          count: 4,
          labels: { alertname: 'ErrorBudgetBurn1h', severity: 'critical' },
          links: [RUNBOOK, SOURCE],
        }),
      ]),
      TRIGGERED,
      { level: 1, pass: 1, via: 'schedule:primary' },
    );
    const section = (page.blocks[0] as { text: { text: string } }).text.text.split('\n');
    expect(section[0]).toBe(':rotating_light: *Checkout 5xx above 2%*');
    expect(section[1]).toBe(
      'SEV1 · Critical · checkout · fired 4 times · since <!date^1795269900^{time}|2026-11-21 14:05 UTC>',
    );
    expect(section[2]).toBe('`alertname=ErrorBudgetBurn1h` `severity=critical`');
    expect(section[3]).toBe(
      '<https://wiki.example/runbooks/checkout|Runbook> · <http://prometheus.example/graph?g0.expr=up|Source>',
    );
    expect(text(page)).toContain('Level 1: you are on call (primary).');
    expect(actionIds(page)).toEqual([
      ActionId.alertAcknowledge,
      ActionId.alertEscalate,
      ActionId.alertResolve,
      ActionId.alertDeclare,
    ]);
    // Escalate now carries the epoch seen; the others the group id.
    expect(text(page)).toContain('"value":"7-2"');
    expect(page.text).toBe(':rotating_light: Alert for checkout: SEV1 Checkout 5xx above 2%');
  });

  it('lists a group of several alerts as "N alerts firing for <service>", capped with "and N more"', () => {
    const many = Array.from({ length: LISTED_ALERTS }, (_, i) => alert(i + 1, { count: i === 0 ? 3 : 1 }));
    const page = buildAlertPageMessage(group({ alertCount: 42, firingCount: 42 }, many), TRIGGERED);
    expect(text(page)).toContain('*42 alerts firing for checkout*');
    expect(text(page)).toContain('• SEV1 Checkout 5xx above 2% #1 (×3)');
    expect(text(page)).toContain(`#${LISTED_ALERTS}`);
    expect(text(page)).toContain('and 32 more');
    expect(blockLimitProblems(page.blocks, 50)).toEqual([]);
  });

  it('says who acknowledged (a person or a source) and keeps only Resolve and Declare', () => {
    const byBob = buildAlertPageMessage(
      group({ state: 'acknowledged', acknowledgedBy: 'U0BOB00001', acknowledgedAt: AT }),
      { ...TRIGGERED, state: 'acknowledged' },
    );
    expect(text(byBob)).toContain(
      'Acknowledged by <@U0BOB00001> at <!date^1795269900^{time}|2026-11-21 14:05 UTC>.',
    );
    expect(actionIds(byBob)).toEqual([ActionId.alertEscalate, ActionId.alertResolve, ActionId.alertDeclare]);
    const bySource = buildAlertPageMessage(
      group({ state: 'acknowledged', acknowledgedBy: 'PagerDuty Events API', acknowledgedAt: AT }),
      null,
    );
    expect(text(bySource)).toContain('Acknowledged by PagerDuty Events API at');
  });

  it('says who resolved it and when (in the viewer’s zone, UTC as the fallback), with no buttons', () => {
    const page = buildAlertPageMessage(
      group({ state: 'resolved', resolvedBy: 'Alertmanager', resolvedAt: AT }),
      {
        ...TRIGGERED,
        state: 'resolved',
      },
    );
    expect(text(page)).toContain(
      'Resolved by Alertmanager at <!date^1795269900^{time}|2026-11-21 14:05 UTC>.',
    );
    expect(actionIds(page)).toEqual([]);
    expect(page.text).toBe('Resolved: SEV1 Checkout 5xx above 2%');
  });

  it('says when nobody acknowledged, and offers no Declare once an incident exists', () => {
    const page = buildAlertPageMessage(group({ incidentId: 12 }), { state: 'exhausted', epoch: 0, loop: 1 });
    expect(text(page)).toContain('Nobody acknowledged after 2 passes through the escalation policy.');
    expect(actionIds(page)).not.toContain(ActionId.alertDeclare);
  });

  it('shows what a source sent as text: no broadcast, mention or disguised link, within Block Kit limits', () => {
    const hostile = '<!channel> <@U0EVIL0001> <https://evil.example|sso.acme.com> & '.repeat(60);
    const page = buildAlertPageMessage(
      group({ title: hostile, service: '<!here>' }, [
        alert(1, {
          title: hostile,
          labels: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}<!here>`, hostile])),
          links: [
            { text: hostile, href: 'javascript:alert(1)' },
            { text: 'ok', href: 'https://evil.example/|<!channel>' },
          ],
        }),
        ...Array.from({ length: LISTED_ALERTS - 1 }, (_, i) => alert(i + 2, { title: hostile })),
      ]),
      TRIGGERED,
      { level: 1, pass: 1, via: `schedule:${hostile}` },
    );
    const all = `${page.text}${text(page)}`;
    expect(all).not.toMatch(/<!(channel|here)/);
    expect(all).not.toContain('<@U0EVIL0001>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('<javascript:');
    expect(blockLimitProblems(page.blocks, 50)).toEqual([]);
  });
});
