/**
 * Prometheus Alertmanager's webhook (payload version 4) → alert events, one per alert. An alert is
 * identified by its fingerprint; its title is `annotations.summary`, else `labels.alertname`; the
 * runbook (`annotations.runbook_url`) and `generatorURL` are its links; `labels.severity` gives the
 * SEV level. Fields Alertmanager may add later are ignored.
 */
import { z } from 'zod';
import {
  DEFAULT_ALERT_SEVERITY,
  fitTitle,
  orderLinks,
  type ParseContext,
  type Parsed,
  parseWith,
  severityFromWord,
  timestamp,
} from './alert-parsing.js';
import type { AlertEvent, AlertLink } from './alert-types.js';

const textMap = z.record(z.string(), z.string({ error: 'expected text' }), {
  error: 'expected an object of text values',
});

const status = z.enum(['firing', 'resolved'], { error: 'expected "firing" or "resolved"' });

const alert = z.object({
  status,
  labels: textMap,
  annotations: textMap.default({}),
  startsAt: timestamp.optional(),
  endsAt: timestamp.optional(),
  generatorURL: z.string({ error: 'expected text' }).optional(),
  fingerprint: z
    .string({ error: 'expected text' })
    .min(1, 'expected a non-empty fingerprint')
    .max(255, 'expected at most 255 characters'),
});

const webhook = z.object(
  {
    version: z.literal('4', {
      error: 'expected "4" (the Alertmanager webhook payload version this bot reads)',
    }),
    groupKey: z.string({ error: 'expected text' }).min(1, 'expected a non-empty group key'),
    status,
    alerts: z.array(alert, { error: 'expected a list of alerts' }).max(1000, 'expected at most 1000 alerts'),
    truncatedAlerts: z.int({ error: 'expected a whole number' }).min(0, 'expected a whole number').optional(),
  },
  { error: 'expected a JSON object (an Alertmanager webhook payload)' },
);

type AmAlert = z.output<typeof alert>;

/** Alertmanager writes the zero time (0001-01-01) for "not set"; anything before 1970 is that. */
const isSet = (date: Date | undefined): date is Date => date !== undefined && date.getTime() > 0;

function linksOf(am: AmAlert): AlertLink[] {
  const links: AlertLink[] = [];
  const runbook = am.annotations.runbook_url;
  if (runbook) links.push({ text: 'Runbook', href: runbook });
  if (am.generatorURL) links.push({ text: 'Source', href: am.generatorURL });
  return orderLinks(links);
}

function eventOf(am: AmAlert, raw: unknown, groupKey: string, context: ParseContext): AlertEvent {
  const firing = am.status === 'firing';
  const title = am.annotations.summary?.trim() || am.labels.alertname?.trim() || `Alert ${am.fingerprint}`;
  const at = firing ? am.startsAt : am.endsAt;
  return {
    service: context.service,
    source: 'alertmanager',
    action: firing ? 'trigger' : 'resolve',
    dedupKey: am.fingerprint,
    groupKey,
    title: fitTitle(title),
    severity: severityFromWord(am.labels.severity) ?? DEFAULT_ALERT_SEVERITY,
    labels: am.labels,
    details: am.annotations,
    links: linksOf(am),
    at: isSet(at) ? at : context.receivedAt,
    actor: 'Alertmanager',
    payload: { groupKey, alert: raw },
  };
}

/** A webhook body → one event per alert, in order; or every problem with it. */
export function parseAlertmanagerWebhook(body: unknown, context: ParseContext): Parsed<AlertEvent[]> {
  const parsed = parseWith(webhook, body);
  if (!parsed.ok) return parsed;
  const { groupKey, alerts } = parsed.value;
  // Each event keeps its own alert as received (not the whole body, which repeats every alert).
  const raw = (body as { alerts: unknown[] }).alerts;
  return { ok: true, value: alerts.map((am, index) => eventOf(am, raw[index], groupKey, context)) };
}
