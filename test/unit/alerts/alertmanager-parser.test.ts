import { describe, expect, it } from 'vitest';
import { parseAlertmanagerWebhook } from '../../../src/alerts/alertmanager-parser.js';

const context = { service: 'checkout', receivedAt: new Date('2026-12-02T14:05:00Z') };

function amAlert(fields: Record<string, unknown> = {}) {
  return {
    status: 'firing',
    labels: { alertname: 'ErrorBudgetBurn1h', service: 'checkout', severity: 'critical' },
    annotations: {
      summary: 'checkout is burning its error budget 14.4x too fast',
      runbook_url: 'https://wiki.example/runbooks/checkout',
    },
    startsAt: '2026-12-02T14:00:00.123Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    fingerprint: 'c0ffee0123456789',
    ...fields,
  };
}

function body(alerts: unknown[], fields: Record<string, unknown> = {}) {
  return {
    version: '4',
    groupKey: '{}/{service="checkout"}:{alertname="ErrorBudgetBurn1h"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'incident-bot-checkout',
    groupLabels: { alertname: 'ErrorBudgetBurn1h' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
    ...fields,
  };
}

function events(alerts: unknown[]) {
  const parsed = parseAlertmanagerWebhook(body(alerts), context);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.value;
}

describe('the Alertmanager webhook (version 4)', () => {
  it('makes one event per alert, identified by its fingerprint and grouped by the groupKey', () => {
    const [event] = events([amAlert()]);
    expect(event).toEqual({
      service: 'checkout',
      source: 'alertmanager',
      action: 'trigger',
      dedupKey: 'c0ffee0123456789',
      groupKey: '{}/{service="checkout"}:{alertname="ErrorBudgetBurn1h"}',
      title: 'checkout is burning its error budget 14.4x too fast',
      severity: 'SEV1',
      labels: { alertname: 'ErrorBudgetBurn1h', service: 'checkout', severity: 'critical' },
      details: {
        summary: 'checkout is burning its error budget 14.4x too fast',
        runbook_url: 'https://wiki.example/runbooks/checkout',
      },
      links: [
        { text: 'Runbook', href: 'https://wiki.example/runbooks/checkout' },
        { text: 'Source', href: 'http://prometheus:9090/graph?g0.expr=up' },
      ],
      at: new Date('2026-12-02T14:00:00.123Z'),
      actor: 'Alertmanager',
      payload: { groupKey: '{}/{service="checkout"}:{alertname="ErrorBudgetBurn1h"}', alert: amAlert() },
    });
  });

  it('takes the title from annotations.summary, else labels.alertname, else the fingerprint', () => {
    const [bySummary, byName, byFingerprint] = events([
      amAlert(),
      amAlert({ annotations: {}, fingerprint: 'b' }),
      amAlert({ annotations: { summary: '  ' }, labels: {}, fingerprint: 'c' }),
    ]);
    expect(bySummary?.title).toBe('checkout is burning its error budget 14.4x too fast');
    expect(byName?.title).toBe('ErrorBudgetBurn1h');
    expect(byFingerprint?.title).toBe('Alert c');
  });

  it('maps labels.severity: critical→SEV1, error/high→SEV2, warning→SEV3, info→SEV4, else SEV3', () => {
    const severities = ['critical', 'error', 'high', 'warning', 'info', 'CRITICAL', 'page', undefined];
    const mapped = events(
      severities.map((severity, index) =>
        amAlert({ fingerprint: `f${index}`, labels: severity ? { severity } : { alertname: 'x' } }),
      ),
    ).map((event) => event.severity);
    expect(mapped).toEqual(['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV4', 'SEV1', 'SEV3', 'SEV3']);
  });

  it('shows the runbook first and only http(s) links; a missing runbook or generatorURL is no link', () => {
    const [onlySource, none, unsafe] = events([
      amAlert({ annotations: { summary: 's' } }),
      amAlert({ annotations: {}, generatorURL: '', fingerprint: 'b' }),
      amAlert({
        annotations: { runbook_url: 'javascript:alert(1)' },
        generatorURL: '/relative',
        fingerprint: 'c',
      }),
    ]);
    expect(onlySource?.links).toEqual([{ text: 'Source', href: 'http://prometheus:9090/graph?g0.expr=up' }]);
    expect(none?.links).toEqual([]);
    expect(unsafe?.links).toEqual([]);
  });

  it('reads a resolved alert as a resolve at its endsAt; the zero time means "when received"', () => {
    const [resolved, unset] = events([
      amAlert({ status: 'resolved', endsAt: '2026-12-02T14:04:00Z' }),
      amAlert({ status: 'resolved', fingerprint: 'b' }),
    ]);
    expect(resolved).toMatchObject({ action: 'resolve', at: new Date('2026-12-02T14:04:00Z') });
    expect(unset).toMatchObject({ action: 'resolve', at: context.receivedAt });
  });

  it('cuts a very long summary to 1024 characters', () => {
    const [event] = events([amAlert({ annotations: { summary: 'x'.repeat(5000) } })]);
    expect(event?.title).toHaveLength(1024);
    expect(event?.title.endsWith('…')).toBe(true);
  });

  it('ignores fields it does not know (Alertmanager adds some over time) and accepts an empty list', () => {
    expect(events([amAlert({ silencedBy: [] })])).toHaveLength(1);
    expect(events([])).toEqual([]);
  });

  const refusals: [unknown, string][] = [
    [null, 'expected a JSON object (an Alertmanager webhook payload)'],
    [[], 'expected a JSON object (an Alertmanager webhook payload)'],
    [
      body([], { version: '3' }),
      'version: expected "4" (the Alertmanager webhook payload version this bot reads)',
    ],
    [body([], { groupKey: undefined }), 'groupKey: is required'],
    [body([], { groupKey: '' }), 'groupKey: expected a non-empty group key'],
    [body([], { status: 'pending' }), 'status: expected "firing" or "resolved"'],
    [body([], { alerts: {} }), 'alerts: expected a list of alerts'],
    [body([amAlert({ status: 'fired' })]), 'alerts[0].status: expected "firing" or "resolved"'],
    [body([amAlert({ labels: { severity: 1 } })]), 'alerts[0].labels.severity: expected text'],
    [body([amAlert({ labels: 'x' })]), 'alerts[0].labels: expected an object of text values'],
    [body([amAlert({ fingerprint: '' })]), 'alerts[0].fingerprint: expected a non-empty fingerprint'],
    [body([amAlert({ fingerprint: undefined })]), 'alerts[0].fingerprint: is required'],
    [
      body([amAlert({ startsAt: 'yesterday' })]),
      'alerts[0].startsAt: expected an ISO 8601 time such as 2026-12-02T14:05:00Z',
    ],
    [body([], { truncatedAlerts: -1 }), 'truncatedAlerts: expected a whole number'],
  ];
  it.each(refusals.map(([input, message]) => ({ input, message })))(
    'refuses: $message',
    ({ input, message }) => {
      const parsed = parseAlertmanagerWebhook(input, context);
      expect(parsed).toEqual({ ok: false, errors: [message] });
    },
  );

  it('lists every problem at once', () => {
    const parsed = parseAlertmanagerWebhook(
      body([amAlert({ status: 'x' }), amAlert({ fingerprint: '' })], { version: '5' }),
      context,
    );
    expect(parsed.ok ? [] : parsed.errors).toHaveLength(3);
  });
});
